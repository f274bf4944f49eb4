"""The ``catalog`` command: a thin click layer over the core, readers, store and web modules.

Each sub-command lives in its own module and is registered here. Exit status follows the
convention of linters: 0 success, 1 findings at or above the failure threshold, 2 usage or
internal error.
"""

from __future__ import annotations

import gc
import importlib

import click

from catalog import __version__

#: Sub-command name -> "module:attribute". Commands are imported only when used, so that
#: ``catalog import`` does not pay for importing Datasette (about 0.2 s) and every worker it
#: forks starts lean.
COMMANDS = {
    "import": "catalog.cli.import_:import_command",
    "search": "catalog.cli.search:search_command",
    "show": "catalog.cli.show:show_command",
    "export": "catalog.cli.export:export_command",
    "stats": "catalog.cli.stats:stats_command",
    "rules": "catalog.cli.rules:rules_command",
    "validate": "catalog.cli.validate:validate_command",
    "fix": "catalog.cli.fix:fix_command",
    "virin": "catalog.cli.virin:virin_command",
    "credit": "catalog.cli.credit:credit_command",
    "serve": "catalog.cli.serve:serve_command",
    "publish": "catalog.cli.publish:publish_command",
}


class LazyGroup(click.Group):
    """A click group that imports a sub-command's module on first use (the pattern from click's
    documentation, "Lazily Loading Subcommands")."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="catalog")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Catalog, validate and browse official DoD imagery.

    Reads VIRINs, captions and credit lines from image files (IPTC, XMP, EXIF), sidecars, CSV
    manifests and DoD web articles, checks them against the DoD rules, and keeps everything in
    one SQLite file that Datasette can browse.
    """
    # Python's last garbage collection, at exit, walks every object of every library loaded
    # (pydantic, sqlite-utils, Pillow): some 30 ms of each command. Once the command is done,
    # its objects are frozen instead, and the operating system frees them with the process.
    ctx.call_on_close(gc.freeze)
