"""Generate the JSON Schemas in ``schemas/`` from the models (``make schemas``).

The schemas are derived, never hand-written: ``record.schema.json`` from ``AssetRecord`` (the
sidecar and record format) and ``virin.schema.json`` from the VIRIN string type, whose pattern is
built from the code tables. They are committed so that other tools can use them without Python;
a test fails when the committed files differ from what the models generate (``make schemas``).
Keys are sorted and the files end with a newline, so a model change shows up as a small diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from catalog.core.record import AssetRecord
from catalog.core.virin import virin_adapter
from catalog.schemas import default_tables

#: Where the schemas say they live; ``$id`` of each is this base plus its file name.
SCHEMA_BASE = "https://schemas.dod-imagery-catalog.example/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _identified(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": DIALECT, "$id": SCHEMA_BASE + name, **schema}


def generated_schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, as the models and the shipped code tables define them now."""
    virin_schema = virin_adapter(default_tables()).json_schema()
    return {
        "record.schema.json": _identified("record.schema.json", AssetRecord.model_json_schema()),
        "virin.schema.json": _identified("virin.schema.json", virin_schema),
    }


def render(schema: dict[str, Any]) -> str:
    """The diff-friendly text of a schema: sorted keys, two-space indent, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    """Write every generated schema into ``directory``; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in generated_schemas().items():
        path = directory / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def main(directory: Path) -> None:
    """Write the JSON Schemas generated from the models into DIRECTORY (normally schemas)."""
    for path in write_schemas(directory):
        click.echo(f"wrote {path}")


if __name__ == "__main__":
    main()
