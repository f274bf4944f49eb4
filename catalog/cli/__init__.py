"""The ``catalog`` command: a thin click layer over the core, readers, store and web modules.

Each sub-command lives in its own module and is registered here. Exit status follows the
convention of linters: 0 success, 1 findings at or above the failure threshold, 2 usage or
internal error.
"""

from __future__ import annotations

import click

from catalog import __version__
from catalog.cli.export import export_command
from catalog.cli.import_ import import_command
from catalog.cli.publish import publish_command
from catalog.cli.rules import rules_command
from catalog.cli.search import search_command
from catalog.cli.serve import serve_command
from catalog.cli.show import show_command
from catalog.cli.stats import stats_command
from catalog.cli.virin import virin_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="catalog")
def cli() -> None:
    """Catalog, validate and browse official DoD imagery.

    Reads VIRINs, captions and credit lines from image files (IPTC, XMP, EXIF), sidecars, CSV
    manifests and DoD web articles, checks them against the DoD rules, and keeps everything in
    one SQLite file that Datasette can browse.
    """


cli.add_command(import_command)
cli.add_command(rules_command)
cli.add_command(search_command)
cli.add_command(show_command)
cli.add_command(export_command)
cli.add_command(stats_command)
cli.add_command(virin_command)
cli.add_command(serve_command)
cli.add_command(publish_command)
