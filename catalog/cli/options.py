"""Options shared by the catalog commands: ``--db``, the limits of each file's analysis, the
filters of search and export, paths that may be URLs and ``--endpoint-url``; and the error that
ends a command with exit status 2."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:  # imported where used: validate must not load the store
    from catalog.store.catalog import Catalog
    from catalog.store.queries import Filters

DEFAULT_DB = "catalog.db"
PROFILE_HELP = "Submission profile: default, or dvids (every mandatory field)."


class PathOrURL(click.ParamType):
    """A folder or file that exists, or a URL (``s3://bucket/prefix``) taken as given."""

    name = "PATH|URL"

    def convert(self, value: Any, param: Any, ctx: Any) -> Path | str:
        from catalog.files.remote import is_url

        existing = click.Path(exists=True, path_type=Path)
        return value if is_url(value) else existing.convert(value, param, ctx)


#: Where the s3:// paths of ``import`` and ``validate`` are served.
endpoint_option = click.option(
    "--endpoint-url",
    metavar="URL",
    help="The S3-compatible service of s3:// paths (credentials come from the AWS environment "
    "variables, never from the command line).",
)


class CommandError(click.ClickException):
    """The command could not do its job (a catalog that cannot be opened or written, a bad
    configuration, an internal error): exit status 2, never mistaken for findings (status 1);
    the message names the file."""

    exit_code = 2


@contextmanager
def written_whole(path: Path) -> Iterator[TextIO]:
    """A text file that appears at ``path`` only once the command wrote all of it: written beside
    it as ``.NAME.partial``, renamed over ``path`` at the end and removed when the command fails,
    so a failed command never leaves half a report where a whole one is expected."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        handle = open(partial, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
    except OSError as error:
        raise CommandError(f"{path}: cannot be written: {error.strerror or error}") from None
    try:
        with handle:
            yield handle
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@contextmanager
def catalog_errors(path: Path) -> Iterator[None]:
    """Turn what SQLite says about an unusable catalog file into one line and exit status 2.

    A file that is no catalog (``CatalogError``) and a catalog with damaged pages - met when the
    command opens it or at any page it reads later - end the command with the file's name and,
    for damage, the way to recover it (``sqlite3 FILE .recover``); never a traceback.
    """
    from catalog.store.catalog import unusable_as

    with unusable_as(path, CommandError):
        yield


@contextmanager
def open_catalog(path: Path, *, create: bool = False) -> Iterator[Catalog]:
    """The catalog at ``path`` (``Catalog.open``) for one command, its errors as ``catalog_errors``
    turns them."""
    from catalog.store.catalog import Catalog

    with catalog_errors(path), Catalog.open(path, create=create) as catalog:
        yield catalog


def db_option(*, must_exist: bool) -> Callable:
    """``--db FILE``, the catalog file (it must exist for the commands that only read)."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path, exists=must_exist),
        default=DEFAULT_DB,
        show_default=True,
        help="The catalog file.",
    )


#: ``--jobs N``: how many worker processes analyse files.
jobs_option = click.option(
    "--jobs", type=click.IntRange(min=1), help="Worker processes [default: all cores]."
)


def limit_options(command: Callable) -> Callable:
    """``--timeout`` and ``--memory-limit``: the limits of each file's isolated analysis
    (``catalog.pool``), given to the command as ``timeout`` and ``memory_limit``."""
    # Imported here, by the commands that run workers: search, show and stats need no
    # multiprocessing at start-up.
    from catalog.pool import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS

    options = [
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=DEFAULT_TIMEOUT_SECONDS,
            show_default=True,
            metavar="SECONDS",
            help="Time one file's analysis may take; past it the worker is killed and the file "
            "reported.",
        ),
        click.option(
            "--memory-limit",
            type=click.IntRange(min=1),
            default=DEFAULT_MEMORY_MB,
            show_default=True,
            metavar="MB",
            help="Memory a worker may use for one file (address space beyond its start).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def filter_options(command: Callable) -> Callable:
    """Add the filter options; the command receives them as one ``filters`` argument."""
    options = [
        click.option("--service", help="VIRIN service code of the photographer (F, A, N ...)."),
        click.option("--from", "date_from", callback=_date, help="Shot on or after (YYYY-MM-DD)."),
        click.option("--to", "date_to", callback=_date, help="Shot on or before (YYYY-MM-DD)."),
        click.option("--photographer", help="Part of the photographer's name."),
        click.option("--release", "release_status", help="Release status (Released, FOUO ...)."),
        click.option("--rule", help="Only assets with a finding of this rule code (VIR003 ...)."),
        click.option(
            "--has-errors/--no-errors",
            "has_errors",
            default=None,
            help="Only assets with (or without) error findings.",
        ),
        click.option(
            "--publishable/--not-publishable",
            "publishable",
            default=None,
            help="Only assets that may (or may not) be published.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def filters_from(text: str | None, options: dict[str, Any]) -> Filters:
    """Pop the filter options out of a command's keyword arguments."""
    from catalog.store.queries import Filters

    names = (
        "service",
        "date_from",
        "date_to",
        "photographer",
        "release_status",
        "rule",
        "has_errors",
        "publishable",
    )
    return Filters(text=text or None, **{name: options.pop(name) for name in names})
