"""``catalog import``: walk folders of images into the SQLite catalog, then print a summary."""

from __future__ import annotations

import datetime as dt
import shlex
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from catalog.cli.options import (
    PROFILE_HELP,
    CommandError,
    PathOrURL,
    catalog_errors,
    db_option,
    endpoint_option,
    jobs_option,
    limit_options,
)

if TYPE_CHECKING:
    from catalog.store.catalog import Catalog

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("import")
@click.argument("paths", nargs=-1, type=PathOrURL())
@db_option(must_exist=False)
@click.option("--manifest", "manifests", multiple=True, type=_file, help="A CSV manifest.")
@click.option(
    "--article",
    "articles",
    multiple=True,
    type=_file,
    help="A DoD web page (text or .html): every photo block becomes a record.",
)
@click.option(
    "--forget",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Stop re-using this manifest or article remembered for the folders.",
)
@jobs_option
@click.option("--no-thumbnails", is_flag=True, help="Do not make thumbnails.")
@click.option("--profile", default="default", show_default=True, help=PROFILE_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@limit_options
@endpoint_option
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Analyse on a Dask cluster: a scheduler (tcp://host:8786) or local:N worker processes.",
)
@click.option("--batch-files", type=click.IntRange(min=1), hidden=True)  # default: BATCH_FILES
def import_command(
    paths: tuple[Path, ...],
    db_path: Path,
    manifests: tuple[Path, ...],
    articles: tuple[Path, ...],
    forget: tuple[Path, ...],
    jobs: int | None,
    no_thumbnails: bool,
    profile: str,
    as_json: bool,
    quiet: bool,
    timeout: float,
    memory_limit: int,
    endpoint_url: str | None,
    cluster: str | None,
    batch_files: int | None,
) -> None:
    """Import image files under PATH... into the catalog.

    Reads each new or changed JPEG, TIFF or PNG once (hash, metadata, thumbnail), checks it
    against the DoD rules and stores everything in one SQLite file. Files already cataloged and
    unchanged (same size, modification time and inode) are not read again; files gone are marked
    missing. Source files are never written to. Safe to interrupt: the next run completes the job.

    Every photo block of an --article page is stored as a record, with or without its image
    (PATH may then be left out). The manifests and articles given are remembered for the PATHs:
    a later import of the same PATHs without them re-uses them (and says so); --forget drops one.

    Every file is analysed in a worker process within --timeout and --memory-limit: a file that
    overruns them or crashes its worker is recorded as skipped, with the reason, and the run
    goes on.

    \b
    Examples:
      catalog import assets/photos/
      catalog import assets --manifest assets/manifest.csv --article assets/article.txt
      catalog import /media/card --db desk.db --jobs 4 --json
      catalog import s3://bucket/photos --cluster tcp://scheduler:8786
      catalog import --article page.txt
      catalog import assets --forget assets/article.txt
    """
    # Imported here, not at the top: `catalog --help` loads every command's module to list them,
    # and the importer (analysis, readers, store) takes about half a second to load.
    from catalog.cluster import ClusterError
    from catalog.core.text import dump_json
    from catalog.files.remote import RemoteError, is_url
    from catalog.files.walk import count_images
    from catalog.importer.pipeline import ImportOptions, run_import
    from catalog.importer.progress import interrupted_lines, progress_for, summary_lines
    from catalog.pool import Limits
    from catalog.schemas import load_tables
    from catalog.store.catalog import is_damage
    from catalog.store.writer import BATCH_FILES

    if not paths and not articles:
        raise click.UsageError("give a PATH to import, or an --article page")
    options = ImportOptions(
        roots=paths,
        tables=load_tables(),
        today=dt.date.today(),
        manifests=manifests,
        articles=articles,
        forget=forget,
        jobs=jobs,
        thumbnails=not no_thumbnails,
        profile=profile,
        batch_files=batch_files or BATCH_FILES,
        limits=Limits(seconds=timeout, memory_mb=memory_limit),
        storage={"endpoint_url": endpoint_url} if endpoint_url else {},
        cluster=cluster,
    )
    local = [path for path in paths if not is_url(path)]  # objects are not counted ahead
    progress = None
    with catalog_errors(db_path), _open(db_path) as catalog:
        try:
            with progress_for(lambda: count_images(local), quiet=quiet) as progress:
                summary = run_import(catalog, options, progress)
            in_catalog = catalog.finding_counts()
        except KeyboardInterrupt:  # the writer rolled back the batch in progress: whole files kept
            done = progress.done if progress is not None else 0
            present = catalog.stats()["locations"].get("present", 0)
            command = shlex.join(["catalog", *sys.argv[1:]])
            click.echo("\n".join(interrupted_lines(str(db_path), done, present, command)), err=True)
            sys.exit(130)  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
        except (RemoteError, ClusterError) as error:
            raise CommandError(f"{error}. The files committed before are kept.") from None
        except sqlite3.Error as error:  # a full disk, an I/O error: the files committed are kept
            if is_damage(error):
                raise
            raise CommandError(
                f"{db_path}: the import stopped: {error}. The files committed before are kept; "
                "run the import again (once there is room) to complete it."
            ) from None
    if as_json:
        document = {"db": str(db_path), **summary.to_dict(), "catalog_findings": in_catalog}
        click.echo(dump_json(document, indent=2))
    else:
        click.echo("\n".join(summary_lines(summary, str(db_path), in_catalog)))


def _open(db_path: Path) -> Catalog:
    """The catalog to import into (created if need be); a file that cannot be opened is a
    ``CommandError``, damage is left to ``catalog_errors``."""
    from catalog.store.catalog import Catalog, is_damage

    try:
        return Catalog.open(db_path)
    except (sqlite3.Error, OSError) as error:
        if is_damage(error):
            raise
        raise CommandError(f"{db_path}: cannot open the catalog: {error}") from None
