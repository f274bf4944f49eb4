"""``catalog fix``: corrected copies of images under another folder, as ``ruff --fix`` for code.

Thin: the files are found as ``catalog validate`` finds them, planned and written by
``catalog.fix.run``, shown by ``catalog.fix.diff``. Sources are never written: the copies go to
``--out``, which may not be a source folder nor lie inside one. Exit 0 when nothing is left to fix,
1 when findings remain that need a person, 2 on errors (ExifTool missing, a file that cannot be
read or written).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from catalog.cli.options import (
    PROFILE_HELP,
    CommandError,
    filter_options,
    filters_from,
    jobs_option,
    limit_options,
)
from catalog.core.text import printable

if TYPE_CHECKING:
    from catalog.store.queries import Filters


@click.command("fix")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Fix the files a catalog locates (opened read-only), chosen with the filters.",
)
@filter_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the corrected copies (same relative paths); never a source folder.",
)
@click.option("--diff", "dry_run", is_flag=True, help="Show each change; write nothing.")
@click.option("--all", "copy_all", is_flag=True, help="Copy the images with nothing to fix too.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply the fixes marked unsafe.")
@click.option("--strip-gps", is_flag=True, help="Remove GPS from every copy.")
@click.option(
    "--for-release",
    is_flag=True,
    help="Copies meant for release: GPS removed, and no copy of an image that is not released.",
)
@click.option("--profile", help=PROFILE_HELP)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="catalog.toml or pyproject.toml to use instead of searching (profile, tables, exclude).",
)
@jobs_option
@limit_options
def fix_command(
    paths: tuple[Path, ...],
    db_path: Path | None,
    out: Path | None,
    dry_run: bool,
    copy_all: bool,
    unsafe_fixes: bool,
    strip_gps: bool,
    for_release: bool,
    profile: str | None,
    config_file: Path | None,
    jobs: int | None,
    timeout: float,
    memory_limit: int,
    **filters: Any,
) -> None:
    """Write corrected copies of the images PATH... stands for under --out, or show the changes
    (--diff). Only metadata changes; the image data is copied byte for byte.

    Exit status: 0 when nothing is left to fix, 1 when findings remain that need a person, 2 on
    an error (ExifTool missing, a bad option or path).

    \b
    Examples:
      catalog fix assets/mistakes/ --diff
      catalog fix assets/mistakes/ --out fixed/
      catalog fix assets/photos/ --out release/ --for-release --unsafe-fixes
      catalog fix --db catalog.db --out fixed/ --service F --has-errors
    """
    # Imported here, not at the top: `catalog --help` loads every command's module to list them,
    # and the analysis and the store take about half a second to load.
    from catalog.analysis.analyze import AnalysisContext
    from catalog.core.rules import default_selection
    from catalog.fix.diff import render_edits
    from catalog.fix.exiftool import ExifToolMissing
    from catalog.fix.plan import FixOptions
    from catalog.fix.run import FixRequest, fix_files
    from catalog.lint.config import ConfigError, load_config
    from catalog.lint.discover import discover, shown_path
    from catalog.lint.run import read_listed
    from catalog.pool import Limits

    if dry_run == (out is not None):
        raise CommandError("give --out DIR to write copies, or --diff to show the changes")
    if bool(paths) == (db_path is not None):
        raise CommandError("give the images as PATH... or the catalog that locates them as --db")
    roots = paths
    if db_path is not None:
        paths = _located(db_path, filters_from(None, filters))
        roots = (Path(os.path.commonpath([os.path.realpath(p.parent) for p in paths])),)
    if out is not None:
        _refuse_source_folder(out, paths)
    try:
        config = load_config(config_file)
    except ConfigError as error:
        raise CommandError(str(error)) from None
    limits = Limits(seconds=timeout, memory_mb=memory_limit)
    targets = discover(paths, config.root, config.exclude, config.default_exclude)
    _, rows, _ = read_listed(targets, config, limits)
    request = FixRequest(
        options=FixOptions(unsafe=unsafe_fixes, strip_gps=strip_gps or for_release),
        context=AnalysisContext(
            tables=config.tables,
            selected=default_selection(),
            profile=profile or config.profile,
            today=dt.date.today(),
            manifest_rows=rows,
            thumbnail_size=None,
        ),
        out=out,
        copy_all=copy_all,
        for_release=for_release,
        limits=limits,
        jobs=jobs,
    )
    copies = {image: (out or Path()) / _relative(image, roots) for image in targets.images}
    try:
        outcomes = list(fix_files(copies, request))
    except ExifToolMissing as error:
        raise CommandError(str(error)) from None
    except Exception as error:  # a bug must still end with exit 2, never look like findings (1)
        raise CommandError(f"internal error: {type(error).__name__}: {error}") from error
    errors = [*targets.problems.items()]
    left = fixed = 0
    for outcome in outcomes:
        shown = shown_path(outcome.plan.path, config.root)
        if outcome.error is not None:
            errors.append((outcome.plan.path, outcome.error))
            continue
        left += len(outcome.left)
        written = dry_run or outcome.copy is not None
        fixed += bool(outcome.plan.edits and not outcome.skipped and written)
        if outcome.skipped:
            click.echo(f"{printable(shown)}: {outcome.skipped}")
        elif dry_run and (outcome.plan.edits or outcome.left):
            click.echo(render_edits(shown, outcome.plan.edits, outcome.left) + "\n")
        elif outcome.copy is not None:
            click.echo(f"{printable(shown)} -> {printable(str(outcome.copy))}")
    for path, reason in errors:
        click.echo(f"error: {printable(str(path))}: {printable(reason)}", err=True)
    verb = "would fix" if dry_run else "fixed"
    click.echo(f"{verb} {fixed} files; {left} findings left for a person", err=True)
    raise SystemExit(2 if errors else 1 if left else 0)


def _located(db_path: Path, filters: Filters) -> tuple[Path, ...]:
    """The files of the assets the catalog at ``db_path`` locates, opened read-only."""
    from catalog.store.catalog import Catalog, CatalogError

    try:
        with Catalog.read_only(db_path) as catalog:
            located = catalog.present_paths(filters)
    except CatalogError as error:
        raise CommandError(str(error)) from None
    found = tuple(Path(path) for path in located if os.path.lexists(path))
    if not found:
        raise CommandError(f"{db_path}: no present file matches")
    return found


def _refuse_source_folder(out: Path, paths: Sequence[Path]) -> None:
    """Copies never land in a source folder: ``out`` may neither be one nor lie inside one."""
    target = Path(os.path.realpath(out))
    for path in paths:
        folder = Path(os.path.realpath(path if path.is_dir() else path.parent))
        if target == folder or folder in target.parents:
            raise CommandError(f"--out {out}: the copies may not go into the source folder {path}")


def _relative(image: Path, paths: Sequence[Path]) -> Path:
    """The copy's path below the output folder: the image's path below the parent of the PATH it
    was found through (``photos/a/b.jpg`` for ``photos/``; for ``--db``, of the folder holding
    every located file), else its name."""
    resolved = Path(os.path.realpath(image))
    for path in paths:
        root = Path(os.path.realpath(path))
        if root == resolved or root in resolved.parents:
            return resolved.relative_to(root.parent)
    return Path(image.name)
