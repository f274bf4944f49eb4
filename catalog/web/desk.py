"""What the desk home page shows: a gallery of the assets a search and its filters find, and
beside it the catalog's health.

The first page ``catalog serve`` opens. The search takes what people type (``C-17``, ``U.S. Air
Force``, "a quoted phrase": ``plain_words``), ranks by relevance with the matched words of each
result's best passage highlighted, and narrows by the filters ``catalog search`` has; all of it
is ``Catalog.search``, read inside Datasette's query threads (``Database.execute_fn``) as the
asset page is. A public catalog gets the same page without what is internal: no error filter,
no findings, no import runs, no paths (its file has none of them, and the page never asks).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog.store.catalog import Catalog
from catalog.store.queries import RESULT_COLUMNS, Filters, plain_words
from catalog.web.config import INTERNAL, PUBLIC

#: Results on one page of the gallery.
PAGE_SIZE = 48
#: Import runs the health panel lists.
RECENT_RUNS = 5
#: Photographers offered as suggestions in the filter (the field takes any part of a name).
SUGGESTED_PHOTOGRAPHERS = 200

#: The result columns a public file has (it keeps no error counts, publishability or paths).
_PUBLIC_COLUMNS = ("sha256", "virin", "shot_date", "photographer_name", "release_status", "title")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: The request's fields, as the form names them: a public catalog has no errors or rules.
_PUBLIC_FIELDS = ("q", "service", "photographer", "date_from", "date_to", "release")
_FIELDS = {INTERNAL: (*_PUBLIC_FIELDS, "errors", "rule"), PUBLIC: _PUBLIC_FIELDS}


@dataclass(frozen=True)
class DeskRequest:
    """The search a visitor asked for, checked: the form's values, the filters they make, and
    what was wrong with any of them (said on the page, never a traceback)."""

    values: dict[str, str]
    filters: Filters
    offset: int
    problems: tuple[str, ...]


def desk_request(args: Mapping[str, str], kind: str) -> DeskRequest:
    """The desk search of a request's query-string ``args`` (each a string, untrusted)."""
    values = {name: (args.get(name) or "").strip() for name in _FIELDS[kind]}
    problems = []
    for name in ("date_from", "date_to"):
        if values[name] and not _DATE.match(values[name]):
            problems.append(f"{values[name]!r} is not a date (YYYY-MM-DD): the filter is ignored")
            values[name] = ""
    errors = values.get("errors", "")
    if errors not in ("", "yes", "no"):
        problems.append(f"{errors!r} is not yes or no: the errors filter is ignored")
        values["errors"] = errors = ""
    filters = Filters(
        text=plain_words(values["q"]) or None,
        service=values["service"] or None,
        photographer=values["photographer"] or None,
        date_from=values["date_from"] or None,
        date_to=_end_of(values["date_to"]) or None,
        release_status=values["release"] or None,
        rule=values.get("rule") or None,
        has_errors={"yes": True, "no": False}.get(errors),
    )
    offset = args.get("offset") or "0"
    return DeskRequest(values, filters, int(offset) if offset.isdigit() else 0, tuple(problems))


def _end_of(date: str) -> str:
    """The last shot date a "to" date of a year, a month or a day includes (shot dates may carry
    a time after the day)."""
    return f"{date}\uffff" if date else ""


def desk_page(conn: sqlite3.Connection, request: DeskRequest, kind: str) -> dict[str, Any]:
    """Everything the desk home page shows for ``request``."""
    catalog = Catalog(conn)
    internal = kind == INTERNAL
    columns = RESULT_COLUMNS if internal else _PUBLIC_COLUMNS
    results = catalog.search(
        request.filters, limit=PAGE_SIZE + 1, offset=request.offset, columns=columns
    )
    page: dict[str, Any] = {
        "results": results[:PAGE_SIZE],
        "more": len(results) > PAGE_SIZE,
        "previous_offset": max(0, request.offset - PAGE_SIZE),
        "counts": catalog.desk_counts(internal=internal),
        "services": catalog.distinct_values("virin_service", labelled_by="virin_service_name"),
        "release_statuses": catalog.distinct_values("release_status"),
        "photographers": [
            name
            for name, _, _ in catalog.distinct_values(
                "photographer_name", limit=SUGGESTED_PHOTOGRAPHERS
            )
        ],
    }
    if internal:
        page["errors_by_rule"] = catalog.errors_by_rule()
        page["rules"] = catalog.finding_codes()
        page["runs"] = catalog.recent_runs(RECENT_RUNS)
    return page
