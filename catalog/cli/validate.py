"""``catalog validate``: the metadata linter for CI, as ruff is for Python.

Thin: options are parsed here, the work is ``catalog.lint.run.validate`` and the output one of
``catalog.lint.formats``. Exit 0 when nothing is at or above ``--fail-on``, 1 when something is,
2 on a usage, configuration or internal error - never 1 for a crash, so CI can tell a bad photo
from a broken check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TextIO

import click

from catalog.cli.options import (
    PROFILE_HELP,
    CommandError,
    PathOrURL,
    catalog_errors,
    endpoint_option,
    jobs_option,
    limit_options,
    written_whole,
)
from catalog.cli.progress import CommandProgress, counted
from catalog.core.findings import Severity
from catalog.lint.baseline import Baseline, BaselineError, load_baseline, write_baseline
from catalog.lint.config import NEVER, Config, ConfigError, load_config, parse_fail_on
from catalog.lint.formats import FORMATS, MACHINE
from catalog.lint.policy import Policy
from catalog.lint.report import Report
from catalog.pool import Limits, TaskError

FAIL_ON = [s.value for s in Severity] + [NEVER]
#: Characters of report gathered before each write to the output.
ECHO_CHUNK = 1 << 16


def _codes(values: tuple[str, ...]) -> list[str]:
    """``--select VIR,CAP --select REC001`` -> ``["VIR", "CAP", "REC001"]``."""
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


@click.command("validate")
@click.argument("paths", nargs=-1, type=PathOrURL())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    help="Lowest severity that makes the exit status 1 [config, else error].",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Check only these codes or prefixes (comma-separated; replaces the config).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Never report these codes or prefixes (adds to the config).",
)
@click.option("--profile", help=PROFILE_HELP)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="catalog.toml or pyproject.toml to use instead of searching.",
)
@click.option(
    "--db",
    "db_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Validate this catalog (from `catalog import`) instead of files; PATHS then narrow it.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Hide the findings listed in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every finding reported now to this baseline file, then exit 0.",
)
@click.option(
    "--whole-set-from",
    "whole_set_from",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="PATH",
    help="Compare the files checked with the images under PATH too, for the whole-set rules "
    "only (SET: one VIRIN on two pictures); nothing is reported on those images. The pre-commit "
    "hook passes `.`: a VIRIN reused from an earlier commit is caught.",
)
@jobs_option
@limit_options
@endpoint_option
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in text output (auto: only on a terminal).",
)
def validate_command(
    paths: tuple[Path | str, ...],
    output_format: str,
    output: Path | None,
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    profile: str | None,
    config_file: Path | None,
    baseline: Path | None,
    write_baseline: Path | None,
    db_file: Path | None,
    whole_set_from: tuple[Path, ...],
    jobs: int | None,
    timeout: float,
    memory_limit: int,
    endpoint_url: str | None,
    color: str,
) -> None:
    """Check the metadata of images, sidecars and CSV manifests under PATHS (default: .).

    A PATH may be a URL (s3://bucket/prefix, or any fsspec protocol installed): only the head of
    each image is fetched (ranged reads, more only where its metadata reaches further), sidecars,
    manifests and articles beside the images whole; findings are reported by URL.

    A folder's walk passes over test-artifacts/, .venv*/, fuzz-out/, bench-out/ and catalog.csv
    (`default-exclude` in the configuration replaces that list).

    Reads metadata only (never pixels, never writes a file checked). Settings come from
    catalog.toml or [tool.catalog] in pyproject.toml; `catalog rules` documents every code.
    Every file is analysed in a worker process within --timeout and --memory-limit; a file that
    overruns them or crashes its worker is reported (FIL019) and the others are checked.

    \b
    Examples:
      catalog validate assets/photos/
      catalog validate --profile dvids --fail-on warning assets/photos/
      catalog validate --format sarif -o catalog.sarif .
      catalog validate --write-baseline catalog-baseline.json .
      catalog validate --db catalog.db
      catalog validate --whole-set-from . new/photo.jpg
      catalog validate s3://bucket/photos --endpoint-url http://127.0.0.1:9000
    """
    from catalog.files.remote import RemoteError  # light: fsspec loads only for a URL

    try:
        config = _settings(config_file, fail_on, profile, from_catalog=db_file is not None)
        policy = Policy.from_config(config, select=_codes(select), ignore=_codes(ignore))
        baseline_file = baseline or (None if write_baseline else config.baseline)
        loaded = load_baseline(baseline_file) if baseline_file else None
        if db_file is not None:
            checked = _validate_catalog(db_file, config, policy, loaded, paths, output)
        else:
            checked = _validate_files(
                paths,
                config,
                policy,
                loaded,
                Limits(seconds=timeout, memory_mb=memory_limit),
                jobs,
                whole_set_from,
                {"endpoint_url": endpoint_url} if endpoint_url else {},
            )
        # The report is read as it is written: the files are checked (or the catalog's findings
        # read) while the format writes, so errors of the check surface here too.
        with checked as report:
            if write_baseline:
                count = _write_baseline(write_baseline, report)
                wrote = f"Wrote {count} baseline entries to {write_baseline}."
                click.echo(f"{wrote} {report.summary()}")
                return
            _emit(FORMATS[output_format], report, output, _colour(color))
    except (ConfigError, BaselineError, RemoteError) as error:
        raise CommandError(str(error)) from None
    except CommandError:
        raise
    except TaskError as error:  # raised in a worker: its message names the exception and file
        raise CommandError(f"internal error: {error}") from error
    except Exception as error:  # a crash must not look like "findings" (exit 1) to CI
        raise CommandError(f"internal error: {type(error).__name__}: {error}") from error
    if output_format in MACHINE or output is not None:
        click.echo(report.summary(), err=True)
    sys.exit(report.exit_status)


def _settings(
    config_file: Path | None, fail_on: str | None, profile: str | None, *, from_catalog: bool
) -> Config:
    """The configuration found (or given), with the command line's settings over it."""
    config = load_config(config_file)
    if fail_on is not None:
        config = dataclasses.replace(config, fail_on=parse_fail_on(fail_on))
    if profile is None:
        return config
    if from_catalog:
        raise CommandError("--profile: a catalog is checked with the profile of its import")
    if profile not in config.tables.profiles:
        known = ", ".join(sorted(config.tables.profiles))
        raise CommandError(f"--profile: unknown profile {profile!r} (known: {known})")
    return dataclasses.replace(config, profile=profile)


def _write_baseline(path: Path, report: Report) -> int:
    """Write the baseline of ``report``; the number of entries written."""
    try:
        return write_baseline(path, ((r.path, f) for r, f in report.findings()))
    except OSError as error:
        raise CommandError(f"{path}: cannot be written: {error.strerror or error}") from None


def _emit(
    write: Callable[[Report, TextIO], None],
    report: Report,
    output: Path | None,
    colour: bool | None,
) -> None:
    """Write the report in a format to ``output`` (standard output when None), as it is read."""
    if output is None:
        with _Echo(None, colour) as out:
            write(report, out)
        return
    with written_whole(output) as handle, _Echo(handle, colour=False) as out:
        try:
            write(report, out)
        except OSError as error:
            raise CommandError(f"{output}: cannot be written: {error.strerror or error}") from None


class _Echo:
    """A text stream over ``click.echo``, which strips the text format's styles when they are
    not wanted: the report in chunks of ``ECHO_CHUNK`` characters (a style is never cut, each
    ``write`` being whole)."""

    def __init__(self, file: TextIO | None, colour: bool | None) -> None:
        self.file, self.colour = file, colour
        self.pending: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.pending.append(text)
        self.size += len(text)
        if self.size >= ECHO_CHUNK:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.pending:
            click.echo("".join(self.pending), nl=False, file=self.file, color=self.colour)
            self.pending, self.size = [], 0

    def __enter__(self) -> _Echo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()


def _colour(choice: str) -> bool | None:
    """None lets click decide (colour only on a terminal); NO_COLOR switches ``auto`` off."""
    if choice == "auto":
        return False if os.environ.get("NO_COLOR") else None
    return choice == "always"


def _validate_files(
    paths: tuple[Path, ...],
    config: Config,
    policy: Policy,
    baseline: Baseline | None,
    limits: Limits,
    jobs: int | None,
    whole_set_from: tuple[Path, ...],
    storage: dict[str, str],
) -> AbstractContextManager[Report]:
    """The report of the files under ``paths`` (default: ``.``; URLs read where they are, with
    ``storage``'s connection settings)."""
    # Imported here: the analysis (readers, Pillow) takes about 0.2 s to load, which `catalog
    # --help` (it loads every command's module to list them) need not pay.
    from catalog.lint.run import validate

    report = validate(
        paths or (Path("."),),
        config,
        policy,
        today=dt.date.today(),
        baseline=baseline,
        limits=limits,
        jobs=jobs,
        whole_set_from=whole_set_from,
        storage=storage,
    )
    return nullcontext(report)


@contextmanager
def _validate_catalog(
    db_file: Path,
    config: Config,
    policy: Policy,
    baseline: Baseline | None,
    paths: tuple,
    output: Path | None,
) -> Iterator[Report]:
    """The report of a catalog's stored findings, streamed from one read-only snapshot that
    stays open while the report is written. The store is imported here, so a check of files
    (the usual run, and every pre-commit hook) never loads it.

    The progress line is left out when the report itself goes to the terminal standard error
    shares: the two would overwrite each other, and the report scrolling by shows the run is
    alive."""
    from catalog.lint.run import build_report
    from catalog.lint.stored import stored_findings
    from catalog.store.catalog import Catalog

    with catalog_errors(db_file), Catalog.read_only(db_file) as catalog:
        locations = catalog.reported_locations()
        if output is not None or not (sys.stdout.isatty() and sys.stderr.isatty()):
            progress = CommandProgress("validate", catalog.reported_count(), "files")
            locations = counted(locations, progress)
        stored = stored_findings(
            locations, catalog.findings_by_path(), catalog.collection_members(), config, paths
        )
        yield build_report(stored, config, policy, baseline)
