"""The catalog's SQLite schema: tables, their versioned migrations, and what every column means.

One asset is one distinct content (its SHA-256): the same photo copied to two folders is one asset
found at two *locations*. What a file says about itself (its record, findings, the values of every
source) is read from the bytes at a location; the asset row holds the record read from its
*primary* location, the first of its present paths in sort order, so the catalog does not depend
on the order in which files happened to be read.

The schema changes only through migrations (sqlite-utils ``Migrations``): a migration is added,
never edited, so a catalog made by any version can be brought up to date. ``COLUMN_DESCRIPTIONS``
documents every column once, for ``catalog show``, the Datasette plugin and newcomers reading SQL;
the asset columns named after record fields take their descriptions from the record model.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from catalog.core.record import field_descriptions

MIGRATIONS = Migrations("catalog")

#: Columns the catalog derives from the record, the rules and the file, with their descriptions.
DERIVED_ASSET_COLUMNS = {
    "shot_date": (
        "Date shot as YYYY-MM-DD: Date Created, else the VIRIN date. What date filters use."
    ),
    "virin_base": "The VIRIN upper-cased, without a trailing variant letter.",
    "virin_date": "VIRIN field 1, the date shot, as YYYY-MM-DD (empty if not a date).",
    "virin_service": "VIRIN field 2: the service code of the photographer (F, A, N ...).",
    "virin_service_name": "What the service code means (Air Force, Army ...).",
    "virin_originator": "VIRIN field 3: VISION ID, DVIAN unit code or legacy ID.",
    "virin_originator_kind": "Which kind of originator: vision_id, dvian or legacy.",
    "virin_sequence": "VIRIN field 4: the sequence number as written (3 or 4 digits).",
    "virin_variant": "The letter glued to the sequence (2001Y), a derived version.",
    "virin_country": "VIRIN field 5: country of a foreign photographer (ISO alpha-2).",
    "credit_kind": "Kind of credit: photo, photo illustration, courtesy photo ...",
    "credit_organization": "The crediting organization as written (U.S. Air Force).",
    "credit_service": "The service code the credit names (F for Air Force ...).",
    "credit_unit": "The unit named after the photographer in the credit line.",
    "photographer_rank": "The photographer's rank from the credit line, canonical form.",
    "photographer_name": "The photographer's name from the credit line, without rank.",
    "release_status": (
        "Canonical release status all sources agree on (Released, Not Released, FOUO ...); "
        "empty when missing, unknown or in conflict."
    ),
    "classification_marking": (
        "Canonical classification all sources agree on (Unclassified, FOUO ...), likewise."
    ),
    "publishable": (
        "1 when the asset may be published: Released and Unclassified in every source, no release "
        "error. Fails closed: anything missing or unclear gives 0."
    ),
    "format": "The real file format from the content: JPEG, TIFF or PNG.",
    "width": "Width in pixels.",
    "height": "Height in pixels.",
    "perceptual_hash": (
        "Perceptual hash of the pixels (16 hex digits): equal or near for one picture saved in "
        "several formats or sizes. NULL when no thumbnail was made."
    ),
    "file_size": "Size of the file in bytes.",
    "error_count": "Number of error findings at all locations of this asset.",
    "warning_count": "Number of warning findings at all locations of this asset.",
    "info_count": "Number of info findings at all locations of this asset.",
    "primary_path": "The location whose file the record was read from.",
    "first_run_id": "The import run that first cataloged this content.",
    "updated_run_id": "The import run that last wrote this row.",
}

TABLE_DESCRIPTIONS = {
    "assets": "One row per distinct image content (SHA-256), with its merged metadata record, "
    "VIRIN and credit parts, release decision and finding counts.",
    "locations": "Every path where an image file was found, its content and its state.",
    "keywords": "The keywords of each asset, one row per keyword.",
    "findings": "What the rules found, per asset and path; join rules on code for explanations.",
    "field_values": "Every value every metadata source gave, and which one the record kept.",
    "thumbnails": "Small JPEG previews re-encoded from the pixels, without any metadata.",
    "import_runs": "One row per catalog import, with its arguments and counts.",
    "rules": "Every validation rule the catalog knows (a copy of `catalog rules`).",
    "article_records": "Every photo block of the DoD web pages imported with --article, with or "
    "without an image in the catalog; matched to assets by VIRIN (extension stripped, "
    "upper-cased).",
    "companions": "The manifests and articles given for an import's roots, re-used by a later "
    "import of the same root without them (`catalog import --forget FILE` drops one).",
    "run_findings": "What each import run found about its manifests and articles.",
    "summary_counts": "Counts of assets, locations and findings by facet, kept by triggers as "
    "rows change: what `catalog stats` reads.",
    "virin_counts": "How many assets carry each VIRIN (upper case, trimmed), kept by triggers.",
    "asset_lists": "Each asset's present paths and finding codes as JSON arrays and as CSV text, "
    "kept by triggers as rows change: what `catalog export` reads beside the asset row.",
}

COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "assets": {
        "id": "Row number (also the full-text index's rowid).",
        "sha256": "SHA-256 of the file's bytes: the identity of the content.",
        **field_descriptions(),
        "keywords": "Keywords as a JSON array (also one row each in the keywords table).",
        **DERIVED_ASSET_COLUMNS,
    },
    "locations": {
        "path": "Absolute path of the file.",
        "folder": "The folder holding the file.",
        "name": "The file name.",
        "sha256": "The content found at this path (empty for a skipped file).",
        "status": "present, missing (gone since an earlier import) or skipped (not catalogable).",
        "skip_reason": "Why a skipped file could not be cataloged.",
        "skip_code": "The rule that reports the skip: FIL001 (not an image), FIL018 (cannot be "
        "read) or FIL019 (not analysed: stopped by its limits, too large, an internal error).",
        "size": "File size in bytes when last read.",
        "mtime_ns": "Modification time (nanoseconds since 1970) when last read.",
        "inode": "Inode number when last read: with size and mtime, tells a changed file.",
        "device": "Device number of the file system.",
        "first_seen_run_id": "The import run that found this path first.",
        "read_run_id": "The import run that last read the file.",
        "missing_since_run_id": "The import run that found the file gone (empty when present).",
        "companions": "Digest of the file's sidecars (name, size, time, inode) and of the run's "
        "manifests and articles when it was read: when it changes, the file is read again.",
        "ctime_ns": "Status change time (nanoseconds) when last read: an edit in place that keeps "
        "size and mtime still changes it, so publish holds the file back.",
        "head_sha256": "SHA-256 of the file's first 64 KiB when last read: publish reads them "
        "again and holds back a file whose start changed.",
        "publishable": "1 when the file read at this path may be published (its own release "
        "decision, from its sidecars and embedded copies); 0 or empty otherwise. Publishing an "
        "asset needs 1 at every location.",
    },
    "keywords": {
        "sha256": "The asset.",
        "position": "Order of the keyword in the record (from 0).",
        "keyword": "One keyword as written.",
    },
    "findings": {
        "id": "Row number.",
        "sha256": "The asset the finding is about.",
        "path": "The location whose read produced it (sidecars and file names differ by path).",
        "code": "Rule code, e.g. VIR003 (see the rules table or `catalog rules CODE`).",
        "severity": "error, warning or info.",
        "field": "The record field concerned (* for the whole file).",
        "part": "The part of the value concerned, e.g. the date of a VIRIN.",
        "message": "What is wrong, in words.",
        "values_json": "The values involved, as a JSON object.",
    },
    "field_values": {
        "id": "Row number.",
        "sha256": "The asset.",
        "field": "The record field.",
        "source": "The source label: xmp, iptc, exif, sidecar-json:IMG.json, manifest:x.csv#3 ...",
        "value": "The value as the source gives it (lists and numbers as JSON).",
        "chosen": "1 for the value the record kept (by the documented precedence).",
        "error": "Why the value could not be used, when it could not.",
    },
    "thumbnails": {
        "sha256": "The asset.",
        "width": "Thumbnail width in pixels.",
        "height": "Thumbnail height in pixels.",
        "jpeg": "The thumbnail as JPEG bytes.",
    },
    "import_runs": {
        "id": "Run number.",
        "started_at": "When the run started (UTC, ISO 8601).",
        "finished_at": "When it finished (empty when it was interrupted).",
        "status": "running, completed or interrupted.",
        "arguments": "The command's options as JSON.",
        "roots": "The folders and files imported, as a JSON array.",
        "files_seen": "Image files found under the roots.",
        "imported": "Files read for the first time.",
        "updated": "Known files that had changed and were read again.",
        "unchanged": "Known files not read again (same size, time and inode).",
        "missing": "Known files found gone.",
        "skipped": "Files that could not be cataloged.",
        "errors": "Error findings in the files read by this run.",
        "warnings": "Warning findings in the files read by this run.",
        "infos": "Info findings in the files read by this run.",
        "pid": "Process id of the import (with host: whether it still runs).",
        "host": "Name of the machine the import ran on.",
        "heartbeat_at": "When the run last committed (UTC): a run still 'running' with an old "
        "heartbeat, or whose process is gone, is marked interrupted by the next run.",
    },
    "run_findings": {
        "id": "Row number.",
        "run_id": "The import run whose manifests and articles they are about.",
        "path": "The manifest or article.",
        "code": "Rule code (FIL014, FIL015, FIL016, FIL018, FIL019 ...).",
        "severity": "error, warning or info.",
        "field": "The record field concerned (* for the whole file).",
        "part": "The part of the value concerned.",
        "message": "What is wrong, in words.",
        "values_json": "The values involved, as a JSON object.",
    },
    "summary_counts": {
        "facet": "What is counted: assets, publishable, with_errors, thumbnails, service, "
        "release_status, format, location_status, severity or rule; for the desk, asset_service, "
        "asset_release, asset_photographer, asset_month, keyword, finding_field and "
        "rule_assets.",
        "key": "The value counted (a service, a status, a rule code ...; empty for a total).",
        "detail": "For rules and rule_assets, the severity; for asset_service, the service's "
        "name; for asset_photographer, the by-line; for asset_month, the service; else empty.",
        "count": "How many (a value that dropped to 0 stays as 0).",
    },
    "virin_counts": {
        "virin": "A VIRIN as the collection rules compare them: trimmed, upper case.",
        "assets": "How many assets (distinct contents) carry it.",
    },
    "asset_lists": {
        "id": "The asset's row number (assets.id).",
        "paths": "Its present paths in sort order, as a JSON array.",
        "finding_codes": "The distinct codes of its findings in sort order, as a JSON array.",
        "paths_text": "The same paths joined by '; ', as CSV writes them (NULL: none).",
        "finding_codes_text": "The same codes joined by '; ', as CSV writes them (NULL: none).",
    },
    "rules": {
        "code": "Stable rule code.",
        "name": "Rule name (kebab-case).",
        "severity": "Default severity.",
        "summary": "One-line summary.",
        "explanation": "Why the rule exists.",
        "good": "An example that passes.",
        "bad": "An example that fails.",
        "fix": "How to fix it.",
    },
    "article_records": {
        "id": "Row number (also the full-text index's rowid).",
        "page": "Path of the page (text or HTML) the block was read from.",
        "block": "The block's number in the page, from 1.",
        "line": "First line of the block in the page (title or caption).",
        "end_line": "Last line of the block in the page (its labels).",
        "title": "Title printed above the caption, if any.",
        "caption": "The caption as printed (lines joined, a caption printed twice kept once).",
        "credit": "The page's display credit (Credit:, Photo By: ...), never IPTC Credit.",
        "virin": "The VIRIN as printed, without the file extension the page adds.",
        "virin_key": "The VIRIN as compared with the assets' (trimmed, upper-cased).",
        "complete": "1 when the page gave caption, credit and VIRIN.",
        "findings_json": "The rules' findings on the block alone (JSON array), with its line.",
        "read_run_id": "The import run that read the page.",
    },
    "companions": {
        "root": "A path given to `catalog import`.",
        "kind": "manifest or article.",
        "path": "The manifest or article given with that root.",
        "given_run_id": "The import run that last read it.",
    },
}

#: Columns searched by full-text search (FTS5, kept in sync by triggers ``assets_ai/ad/au``).
FTS_COLUMNS = ("title", "caption", "credit", "keywords")

# The migrations. Each is frozen as released: it spells out the statements it ran then and never
# reads a live constant, so that a catalog made by any release is upgraded by exactly the steps
# a new catalog goes through (``tests/test_catalog_upgrade.py`` checks both end the same).


@MIGRATIONS(name="001_initial")
def _initial(db: Database) -> None:
    """The tables of release 0.1.0, and the full-text index over assets with its triggers (an
    update re-indexes a row only when a searched column changes, so updating finding counts does
    not rewrite the index)."""
    db.executescript(_INITIAL)


@MIGRATIONS(name="002_location_companions")
def _location_companions(db: Database) -> None:
    """What travels with each file. ``publishable``: the release decision of the file read there,
    since copies of one content can travel with different sidecars and publishing must hear all
    of them (the asset row keeps only its primary location's record); existing rows get NULL,
    which publishing treats as no. ``companions``: the digest of its sidecars and the run's
    manifests and articles, so that a changed sidecar makes the file be read again."""
    db.execute("ALTER TABLE locations ADD COLUMN publishable INTEGER")
    db.execute("ALTER TABLE locations ADD COLUMN companions TEXT")


@MIGRATIONS(name="003_skip_codes")
def _skip_codes(db: Database) -> None:
    """The rule that reports a skipped location, stored beside the reason in words: ``validate
    --db`` reads the code, never the sentence. Existing skips get their code once, here, from the
    start of the reason as release 0.1.0 wrote it (what ``validate --db`` of 0.1.0 matched)."""
    db.execute("ALTER TABLE locations ADD COLUMN skip_code TEXT REFERENCES rules(code)")
    db.execute(
        """
UPDATE locations SET skip_code = CASE
    WHEN skip_reason GLOB 'not a JPEG*' OR skip_reason GLOB 'not an image*' THEN 'FIL001'
    WHEN skip_reason GLOB 'cannot be read*' OR skip_reason GLOB 'folder cannot be read*'
        OR skip_reason GLOB 'not a regular file*' THEN 'FIL018'
    ELSE 'FIL019'
END
WHERE status = 'skipped'
"""
    )


@MIGRATIONS(name="004_perceptual_hash")
def _perceptual_hash(db: Database) -> None:
    """``assets.perceptual_hash``: the 64-bit perceptual hash (16 hex digits, ``imagehash.dhash``)
    of the asset's pixels, taken from its thumbnail, so that two files under one VIRIN can be told
    apart as one picture in two forms (a derivative) or two pictures (a conflict). NULL where no
    thumbnail was made; existing rows get NULL until the file is read again."""
    db.execute("ALTER TABLE assets ADD COLUMN perceptual_hash TEXT")


@MIGRATIONS(name="005_run_status")
def _run_status(db: Database) -> None:
    """What makes publishing and import runs safe to trust (issue 14).

    ``locations.ctime_ns`` and ``head_sha256`` (the SHA-256 of the first 64 KiB, from the same
    read as the content hash): ``publish`` compares them with the file before it publishes, so a
    file edited in place keeping its size and mtime is held back; existing rows get NULL, which
    makes the next import read the file again. ``import_runs.pid``, ``host`` and ``heartbeat_at``
    tell a run that is still running from one killed with ``kill -9``. ``run_findings``: what a
    run found about its manifests and articles, stored, not only printed. The partial index on
    error findings serves publish's one set-based quality query."""
    db.execute("ALTER TABLE locations ADD COLUMN ctime_ns INTEGER")
    db.execute("ALTER TABLE locations ADD COLUMN head_sha256 TEXT")
    db.execute("ALTER TABLE import_runs ADD COLUMN pid INTEGER")
    db.execute("ALTER TABLE import_runs ADD COLUMN host TEXT")
    db.execute("ALTER TABLE import_runs ADD COLUMN heartbeat_at TEXT")
    db.executescript(
        """
CREATE TABLE run_findings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    code TEXT NOT NULL REFERENCES rules(code),
    severity TEXT NOT NULL,
    field TEXT,
    part TEXT,
    message TEXT NOT NULL,
    values_json TEXT
);
CREATE INDEX idx_run_findings_run ON run_findings(run_id);
CREATE INDEX idx_findings_errors ON findings(sha256, code) WHERE severity = 'error';
"""
    )


@MIGRATIONS(name="006_article_records")
def _article_records(db: Database) -> None:
    """Article records: every photo block of the pages given with ``--article``, kept whether or
    not an image carries its VIRIN, searchable (``article_records_fts``); and the companions
    (manifests, articles) remembered for each import root. Assets are matched to article records
    by ``upper(trim(virin))``, indexed on both sides."""
    db.executescript(
        """
CREATE TABLE article_records (
    id INTEGER PRIMARY KEY,
    page TEXT NOT NULL,
    block INTEGER NOT NULL,
    line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    title TEXT,
    caption TEXT,
    credit TEXT,
    virin TEXT,
    virin_key TEXT,
    complete INTEGER NOT NULL,
    findings_json TEXT NOT NULL,
    read_run_id INTEGER REFERENCES import_runs(id),
    UNIQUE (page, block)
);
CREATE INDEX article_records_virin_key ON article_records(virin_key);
CREATE INDEX assets_virin_key ON assets(upper(trim(virin)));
CREATE VIRTUAL TABLE article_records_fts USING fts5(
    title, caption, credit, virin, content='article_records', content_rowid='id'
);
CREATE TRIGGER article_records_ai AFTER INSERT ON article_records BEGIN
    INSERT INTO article_records_fts (rowid, title, caption, credit, virin)
    VALUES (new.id, new.title, new.caption, new.credit, new.virin);
END;
CREATE TRIGGER article_records_ad AFTER DELETE ON article_records BEGIN
    INSERT INTO article_records_fts (article_records_fts, rowid, title, caption, credit, virin)
    VALUES ('delete', old.id, old.title, old.caption, old.credit, old.virin);
END;
CREATE TABLE companions (
    root TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('manifest', 'article')),
    path TEXT NOT NULL,
    given_run_id INTEGER REFERENCES import_runs(id),
    PRIMARY KEY (root, path)
);
"""
    )


@MIGRATIONS(name="007_summaries")
def _summaries(db: Database) -> None:
    """What the catalog-wide commands need at a million assets (issue 21).

    ``summary_counts`` and ``virin_counts`` hold the counts ``catalog stats`` shows, kept by
    triggers in the writer's own transactions (so they can never disagree with the rows, whoever
    writes them), and filled once here from the rows already there. ``virin_counts`` counts the
    assets of each VIRIN as the collection rules compare them (``upper(trim(virin))``, the SQL of
    ``core.merge.virin_key``): its VIRINs on more than one asset are the only ones a whole-set
    rule can fire on, found through a partial index without reading the catalog. The indexes:
    the public order of publish and export (``shot_date, virin, sha256``) read in index order
    with no sort, an asset's values of one field, and an asset's findings of one code (the
    incremental collection check uses 006's VIRIN key index). ``idx_field_values_sha256`` is a
    prefix of the new field index, so it goes."""
    db.executescript(_SUMMARIES)


_SUMMARIES = """
CREATE TABLE summary_counts (
    facet TEXT NOT NULL,
    key TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL,
    PRIMARY KEY (facet, key, detail)
) WITHOUT ROWID;
CREATE TABLE virin_counts (
    virin TEXT PRIMARY KEY,
    assets INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX idx_virin_counts_shared ON virin_counts(assets) WHERE assets > 1;
CREATE INDEX idx_assets_public_order ON assets(shot_date, virin, sha256);
CREATE INDEX idx_field_values_field ON field_values(sha256, field);
DROP INDEX idx_field_values_sha256;
CREATE INDEX idx_findings_asset_code ON findings(sha256, code, severity);

CREATE TRIGGER summary_assets_ai AFTER INSERT ON assets BEGIN
    INSERT INTO summary_counts VALUES ('assets', '', '', 1),
        ('publishable', '', '', new.publishable IS 1),
        ('with_errors', '', '', coalesce(new.error_count, 0) > 0),
        ('service', coalesce(new.virin_service_name, new.virin_service, '(none)'), '', 1),
        ('release_status', coalesce(new.release_status, '(unknown)'), '', 1),
        ('format', coalesce(new.format, '(none)'), '', 1)
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
    INSERT INTO virin_counts SELECT upper(trim(new.virin)), 1 WHERE new.virin IS NOT NULL
        ON CONFLICT DO UPDATE SET assets = assets + 1;
END;
CREATE TRIGGER summary_assets_ad AFTER DELETE ON assets BEGIN
    INSERT INTO summary_counts VALUES ('assets', '', '', -1),
        ('publishable', '', '', -(old.publishable IS 1)),
        ('with_errors', '', '', -(coalesce(old.error_count, 0) > 0)),
        ('service', coalesce(old.virin_service_name, old.virin_service, '(none)'), '', -1),
        ('release_status', coalesce(old.release_status, '(unknown)'), '', -1),
        ('format', coalesce(old.format, '(none)'), '', -1)
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
    UPDATE virin_counts SET assets = assets - 1 WHERE virin = upper(trim(old.virin));
END;
CREATE TRIGGER summary_assets_au AFTER UPDATE OF publishable, error_count, virin_service_name,
    virin_service, release_status, format, virin ON assets BEGIN
    INSERT INTO summary_counts VALUES
        ('publishable', '', '', (new.publishable IS 1) - (old.publishable IS 1)),
        ('with_errors', '', '',
            (coalesce(new.error_count, 0) > 0) - (coalesce(old.error_count, 0) > 0)),
        ('service', coalesce(old.virin_service_name, old.virin_service, '(none)'), '', -1),
        ('service', coalesce(new.virin_service_name, new.virin_service, '(none)'), '', 1),
        ('release_status', coalesce(old.release_status, '(unknown)'), '', -1),
        ('release_status', coalesce(new.release_status, '(unknown)'), '', 1),
        ('format', coalesce(old.format, '(none)'), '', -1),
        ('format', coalesce(new.format, '(none)'), '', 1)
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
    UPDATE virin_counts SET assets = assets - 1
        WHERE virin = upper(trim(old.virin)) AND old.virin IS NOT new.virin;
    INSERT INTO virin_counts SELECT upper(trim(new.virin)), 1
        WHERE new.virin IS NOT NULL AND old.virin IS NOT new.virin
        ON CONFLICT DO UPDATE SET assets = assets + 1;
END;
CREATE TRIGGER summary_locations_ai AFTER INSERT ON locations BEGIN
    INSERT INTO summary_counts VALUES ('location_status', new.status, '', 1)
        ON CONFLICT DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER summary_locations_ad AFTER DELETE ON locations BEGIN
    INSERT INTO summary_counts VALUES ('location_status', old.status, '', -1)
        ON CONFLICT DO UPDATE SET count = count - 1;
END;
CREATE TRIGGER summary_locations_au AFTER UPDATE OF status ON locations
    WHEN old.status IS NOT new.status BEGIN
    INSERT INTO summary_counts VALUES ('location_status', old.status, '', -1),
        ('location_status', new.status, '', 1)
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER summary_findings_ai AFTER INSERT ON findings BEGIN
    INSERT INTO summary_counts VALUES ('severity', new.severity, '', 1),
        ('rule', new.code, new.severity, 1)
        ON CONFLICT DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER summary_findings_ad AFTER DELETE ON findings BEGIN
    INSERT INTO summary_counts VALUES ('severity', old.severity, '', -1),
        ('rule', old.code, old.severity, -1)
        ON CONFLICT DO UPDATE SET count = count - 1;
END;
CREATE TRIGGER summary_thumbnails_ai AFTER INSERT ON thumbnails BEGIN
    INSERT INTO summary_counts VALUES ('thumbnails', '', '', 1)
        ON CONFLICT DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER summary_thumbnails_ad AFTER DELETE ON thumbnails BEGIN
    INSERT INTO summary_counts VALUES ('thumbnails', '', '', -1)
        ON CONFLICT DO UPDATE SET count = count - 1;
END;

INSERT INTO summary_counts (facet, key, count)
    SELECT 'assets', '', count(*) FROM assets
    UNION ALL SELECT 'publishable', '', count(*) FROM assets WHERE publishable IS 1
    UNION ALL SELECT 'with_errors', '', count(*) FROM assets WHERE error_count > 0
    UNION ALL SELECT 'thumbnails', '', count(*) FROM thumbnails
    UNION ALL SELECT 'service', coalesce(virin_service_name, virin_service, '(none)'), count(*)
        FROM assets GROUP BY 2
    UNION ALL SELECT 'release_status', coalesce(release_status, '(unknown)'), count(*)
        FROM assets GROUP BY 2
    UNION ALL SELECT 'format', coalesce(format, '(none)'), count(*) FROM assets GROUP BY 2
    UNION ALL SELECT 'location_status', status, count(*) FROM locations GROUP BY 2
    UNION ALL SELECT 'severity', severity, count(*) FROM findings GROUP BY 2;
INSERT INTO summary_counts (facet, key, detail, count)
    SELECT 'rule', code, severity, count(*) FROM findings GROUP BY code, severity;
INSERT INTO virin_counts SELECT upper(trim(virin)), count(*) FROM assets
    WHERE virin IS NOT NULL GROUP BY 1;
"""


@MIGRATIONS(name="008_desk_indexes")
def _desk_indexes(db: Database) -> None:
    """What the desk's pages need at a million assets (issue 20): every count they show read from
    ``summary_counts``, every list they open read in index order.

    New summary facets, kept by triggers like 007's and filled here once: ``asset_service``
    (the VIRIN's service code, with its name as the detail: the desk's service filter and the
    table's service facet), ``asset_release`` and ``asset_photographer`` (exact column values:
    the table's facets, the photographer suggestions and the photographer query),
    ``asset_month`` (the shot month, with the service as the detail: images per month, services
    per month and the year facet), ``keyword`` (rows of the keywords table), ``finding_field``
    (findings by field) and ``rule_assets`` (assets with at least one finding of a rule and
    severity: errors by rule). The indexes serve
    the keyset pages of the assets table (newest shots first, then row number), the desk's
    service, release and error filters and the "not released", "GPS" and "assets with errors"
    queries in the order they list (newest first, stopping at the page's end instead of sorting
    every match), and the photographer query's lookup by the raw by-line. The publishable,
    service and release indexes of 001 are prefixes of the new ones, so they go."""
    db.executescript(_DESK_INDEXES)


def _desk_asset_rows(row: str, sign: int) -> str:
    """The desk summary rows of one asset (``row`` is the trigger's ``new`` or ``old``), each
    counted ``sign`` times: a SELECT of the triggers of migration 008, frozen with it."""
    return f"""SELECT 'asset_service', coalesce({row}.virin_service, ''),
            coalesce({row}.virin_service_name, ''), {sign}
        UNION ALL SELECT 'asset_release', {row}.release_status, '', {sign}
            WHERE {row}.release_status IS NOT NULL
        UNION ALL SELECT 'asset_photographer', coalesce({row}.photographer_name, ''),
            coalesce({row}.photographer, ''), {sign}
        UNION ALL SELECT 'asset_month', substr({row}.shot_date, 1, 7),
            coalesce({row}.virin_service, ''), {sign} WHERE {row}.shot_date IS NOT NULL"""


_DESK_INDEXES = f"""
CREATE INDEX idx_assets_date_keyset ON assets(shot_date DESC, id);
CREATE INDEX idx_assets_publishable_date ON assets(publishable, shot_date);
DROP INDEX idx_assets_publishable;
CREATE INDEX idx_assets_service_date ON assets(virin_service, shot_date);
DROP INDEX idx_assets_virin_service;
CREATE INDEX idx_assets_release_date ON assets(release_status, shot_date);
DROP INDEX idx_assets_release_status;
CREATE INDEX idx_assets_errors_date ON assets(shot_date) WHERE error_count > 0;
CREATE INDEX idx_assets_gps_date ON assets(shot_date)
    WHERE gps_latitude IS NOT NULL OR gps_longitude IS NOT NULL;
CREATE INDEX idx_assets_photographer ON assets(photographer);
CREATE INDEX idx_findings_errors_by_code ON findings(code, sha256) WHERE severity = 'error';

CREATE TRIGGER summary_desk_assets_ai AFTER INSERT ON assets BEGIN
    INSERT INTO summary_counts (facet, key, detail, count)
        {_desk_asset_rows("new", 1)}
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER summary_desk_assets_ad AFTER DELETE ON assets BEGIN
    INSERT INTO summary_counts (facet, key, detail, count)
        {_desk_asset_rows("old", -1)}
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER summary_desk_assets_au AFTER UPDATE OF virin_service, virin_service_name,
    release_status, photographer_name, photographer, shot_date ON assets BEGIN
    INSERT INTO summary_counts (facet, key, detail, count)
        {_desk_asset_rows("old", -1)}
        UNION ALL {_desk_asset_rows("new", 1)}
        ON CONFLICT DO UPDATE SET count = count + excluded.count;
END;
CREATE TRIGGER summary_desk_keywords_ai AFTER INSERT ON keywords BEGIN
    INSERT INTO summary_counts VALUES ('keyword', new.keyword, '', 1)
        ON CONFLICT DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER summary_desk_keywords_ad AFTER DELETE ON keywords BEGIN
    INSERT INTO summary_counts VALUES ('keyword', old.keyword, '', -1)
        ON CONFLICT DO UPDATE SET count = count - 1;
END;
CREATE TRIGGER summary_desk_findings_ai AFTER INSERT ON findings BEGIN
    INSERT INTO summary_counts SELECT 'finding_field', new.field, '', 1 WHERE new.field IS NOT NULL
        ON CONFLICT DO UPDATE SET count = count + 1;
    INSERT INTO summary_counts SELECT 'rule_assets', new.code, new.severity, 1
        WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.sha256 = new.sha256
            AND f.code = new.code AND f.severity = new.severity AND f.id != new.id)
        ON CONFLICT DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER summary_desk_findings_ad AFTER DELETE ON findings BEGIN
    INSERT INTO summary_counts SELECT 'finding_field', old.field, '', -1 WHERE old.field IS NOT NULL
        ON CONFLICT DO UPDATE SET count = count - 1;
    INSERT INTO summary_counts SELECT 'rule_assets', old.code, old.severity, -1
        WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.sha256 = old.sha256
            AND f.code = old.code AND f.severity = old.severity)
        ON CONFLICT DO UPDATE SET count = count - 1;
END;

INSERT INTO summary_counts (facet, key, detail, count)
    SELECT 'asset_service', coalesce(virin_service, ''), coalesce(virin_service_name, ''),
        count(*) FROM assets GROUP BY 2, 3
    UNION ALL SELECT 'asset_release', release_status, '', count(*) FROM assets
        WHERE release_status IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'asset_photographer', coalesce(photographer_name, ''),
        coalesce(photographer, ''), count(*) FROM assets GROUP BY 2, 3
    UNION ALL SELECT 'asset_month', substr(shot_date, 1, 7), coalesce(virin_service, ''),
        count(*) FROM assets WHERE shot_date IS NOT NULL GROUP BY 2, 3
    UNION ALL SELECT 'keyword', keyword, '', count(*) FROM keywords GROUP BY 2
    UNION ALL SELECT 'finding_field', field, '', count(*) FROM findings
        WHERE field IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'rule_assets', code, severity, count(DISTINCT sha256) FROM findings
        GROUP BY 2, 3;
"""


@MIGRATIONS(name="009_asset_lists")
def _asset_lists(db: Database) -> None:
    """Each asset's present paths and distinct finding codes, kept beside its row (issue 21).

    ``catalog export`` writes them with every asset. Gathered at export time they cost two
    look-ups by SHA-256 per asset, in the export's date order: two thirds of a million-asset
    export. Here they are kept by triggers in the writer's own transactions (so they can never
    disagree with ``locations`` and ``findings``, whoever writes them), keyed by the asset's row
    number, which the export reads at no extra cost; filled once here from the rows already
    there. The lists are in sort order, as the export writes them: JSON arrays, and the text
    CSV writes (items joined by "; ", NULL for none)."""
    db.executescript(_ASSET_LISTS)


def _refresh_asset_list(which: str) -> str:
    """The statement that recomputes the lists of the assets ``a`` for which ``which`` holds
    (``a.sha256 = new.sha256`` in a trigger, ``true`` to fill): a part of migration 009, frozen
    with it."""
    paths = "FROM locations l WHERE l.sha256 = a.sha256 AND l.status = 'present'"
    codes = "FROM (SELECT code FROM findings f WHERE f.sha256 = a.sha256 GROUP BY code)"
    return f"""INSERT INTO asset_lists (id, paths, finding_codes, paths_text, finding_codes_text)
        SELECT a.id, (SELECT json_group_array(path) {paths}),
            (SELECT json_group_array(code) {codes}),
            (SELECT group_concat(path, '; ') {paths}), (SELECT group_concat(code, '; ') {codes})
        FROM assets a WHERE {which}
        ON CONFLICT (id) DO UPDATE SET paths = excluded.paths,
            finding_codes = excluded.finding_codes, paths_text = excluded.paths_text,
            finding_codes_text = excluded.finding_codes_text;"""


_ASSET_LISTS = f"""
CREATE TABLE asset_lists (
    id INTEGER PRIMARY KEY,
    paths TEXT NOT NULL,
    finding_codes TEXT NOT NULL,
    paths_text TEXT,
    finding_codes_text TEXT
);
CREATE TRIGGER asset_lists_assets_ai AFTER INSERT ON assets BEGIN
    {_refresh_asset_list("a.sha256 = new.sha256")}
END;
CREATE TRIGGER asset_lists_assets_ad AFTER DELETE ON assets BEGIN
    DELETE FROM asset_lists WHERE id = old.id;
END;
CREATE TRIGGER asset_lists_locations_ai AFTER INSERT ON locations
    WHEN new.status = 'present' BEGIN
    {_refresh_asset_list("a.sha256 = new.sha256")}
END;
CREATE TRIGGER asset_lists_locations_ad AFTER DELETE ON locations
    WHEN old.status = 'present' BEGIN
    {_refresh_asset_list("a.sha256 = old.sha256")}
END;
CREATE TRIGGER asset_lists_locations_au AFTER UPDATE OF sha256, status, path ON locations BEGIN
    {_refresh_asset_list("a.sha256 = old.sha256")}
    {_refresh_asset_list("a.sha256 = new.sha256 AND new.sha256 IS NOT old.sha256")}
END;
CREATE TRIGGER asset_lists_findings_ai AFTER INSERT ON findings BEGIN
    {_refresh_asset_list("a.sha256 = new.sha256")}
END;
CREATE TRIGGER asset_lists_findings_ad AFTER DELETE ON findings BEGIN
    {_refresh_asset_list("a.sha256 = old.sha256")}
END;
CREATE TRIGGER asset_lists_findings_au AFTER UPDATE OF sha256, code ON findings BEGIN
    {_refresh_asset_list("a.sha256 = old.sha256")}
    {_refresh_asset_list("a.sha256 = new.sha256 AND new.sha256 IS NOT old.sha256")}
END;

{_refresh_asset_list("true")}
"""


@MIGRATIONS(name="010_release_lookup")
def _release_lookup(db: Database) -> None:
    """The release status indexed alone again (008 dropped it as a prefix of the release-and-date
    index): an index of one column also holds the row number, so "this asset's status is X" is
    one look-up in it. An assets page filtered by a keyword and a release status (a keyword
    page, then the release facet clicked) is answered that way, a look-up per asset of the
    keyword; with only the release-and-date index SQLite read every asset of that status
    instead (900,000 of a million: the page's count past Datasette's time limit)."""
    db.execute("CREATE INDEX idx_assets_release_status ON assets(release_status)")


@MIGRATIONS(name="011_planner_statistics")
def _planner_statistics(db: Database) -> None:
    """Planner statistics written by hand (``sqlite_stat1``): what a catalog looks like, so that
    SQLite chooses its plans for the catalog's shape rather than from its default guess, which
    takes every equality on an indexed column to match about ten rows.

    Without them, an assets page of a keyword with a release status and a year read the release
    index (the guess: ten "Released" assets; at a million, 900,000) instead of looking up the
    keyword's few hundred assets: its count took 125 ms, 12 ms with these rows. The rows
    describe the shape, not this file's counts: a million assets, a handful of release
    statuses, services, formats and severities, a SHA-256, VIRIN or path naming one row, a
    keyword on about a hundred assets. SQLite documents this use of ``sqlite_stat1`` (the query
    planner's "manual control"); written once, they cost nothing to keep, no import has to
    re-analyse the file, and a plan is the same whatever the data, where ``ANALYZE`` (3 s at a
    million) would describe the file of the day and go stale as it grows. A later migration
    that adds an index adds its row (``tests/test_planner_statistics.py`` checks every index has
    one). ``ANALYZE sqlite_schema`` creates the table and, run again, loads the rows into this
    connection."""
    db.executescript(_PLANNER_STATISTICS)


#: (table, index or None for the table itself, "rows, rows per value of the first column, of the
#: first two ..."): SQLite's ``sqlite_stat1`` format. WITHOUT ROWID tables name their primary
#: key by the table's name; a partial index counts only its own rows. A catalog of a million
#: assets shot over ten years (300 a day), four keywords, a location and a finding or so each.
_SHAPE = (
    # one asset a SHA-256 or a VIRIN; a handful of release statuses, services, error counts and
    # formats; a photographer on 500
    ("assets", "sqlite_autoindex_assets_1", "1000000 1"),
    ("assets", "idx_assets_virin", "1000000 1"),
    ("assets", "idx_assets_virin_base", "1000000 1"),
    ("assets", "assets_virin_key", "1000000 1"),
    ("assets", "idx_assets_virin_date", "1000000 300"),
    ("assets", "idx_assets_shot_date", "1000000 300"),
    ("assets", "idx_assets_date_keyset", "1000000 300 1"),
    ("assets", "idx_assets_public_order", "1000000 300 1 1"),
    ("assets", "idx_assets_photographer", "1000000 500"),
    ("assets", "idx_assets_photographer_name", "1000000 500"),
    ("assets", "idx_assets_release_status", "1000000 250000"),
    ("assets", "idx_assets_release_date", "1000000 250000 100"),
    ("assets", "idx_assets_publishable_date", "1000000 500000 150"),
    ("assets", "idx_assets_service_date", "1000000 125000 40"),
    ("assets", "idx_assets_error_count", "1000000 200000"),
    ("assets", "idx_assets_format", "1000000 333334"),
    ("assets", "idx_assets_errors_date", "300000 100"),
    ("assets", "idx_assets_gps_date", "100000 35"),
    # one location a path, 100 a folder; a keyword on 100 assets; two findings an asset, a few
    # severities, 40 rules in use
    ("locations", "sqlite_autoindex_locations_1", "1000000 1"),
    ("locations", "idx_locations_folder", "1000000 100"),
    ("locations", "idx_locations_sha256", "1000000 1 1 1"),
    ("keywords", "sqlite_autoindex_keywords_1", "4000000 4 1"),
    ("keywords", "idx_keywords_keyword", "4000000 100"),
    ("findings", "idx_findings_sha256", "1200000 2"),
    ("findings", "idx_findings_path", "1200000 2"),
    ("findings", "idx_findings_code", "1200000 30000"),
    ("findings", "idx_findings_severity", "1200000 400000"),
    ("findings", "idx_findings_asset_code", "1200000 2 1 1"),
    ("findings", "idx_findings_errors", "300000 1 1"),
    ("findings", "idx_findings_errors_by_code", "300000 10000 1"),
    # 20 values an asset (fields times sources), the small tables
    ("field_values", "idx_field_values_field", "20000000 20 2"),
    ("thumbnails", "sqlite_autoindex_thumbnails_1", "1000000 1"),
    ("import_runs", None, "1000"),
    ("run_findings", "idx_run_findings_run", "10000 10"),
    ("rules", "sqlite_autoindex_rules_1", "100 1"),
    ("article_records", "sqlite_autoindex_article_records_1", "10000 10 1"),
    ("article_records", "article_records_virin_key", "10000 1"),
    ("companions", "sqlite_autoindex_companions_1", "100 10 1"),
    ("summary_counts", "summary_counts", "50000 3500 1 1"),
    ("virin_counts", "virin_counts", "1000000 1"),
    ("virin_counts", "idx_virin_counts_shared", "1000 500"),
    ("asset_lists", None, "1000000"),
)

_SHAPE_ROWS = ",\n    ".join(
    f"('{table}', {'NULL' if index is None else repr(index)}, '{stat}')"
    for table, index, stat in _SHAPE
)
_PLANNER_STATISTICS = f"""
ANALYZE sqlite_schema;
DELETE FROM sqlite_stat1;
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    {_SHAPE_ROWS};
ANALYZE sqlite_schema;
"""


_INITIAL = """
CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    arguments TEXT,
    roots TEXT,
    files_seen INTEGER NOT NULL DEFAULT 0,
    imported INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    missing INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    infos INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE rules (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    severity TEXT NOT NULL,
    summary TEXT,
    explanation TEXT,
    good TEXT,
    bad TEXT,
    fix TEXT
);
CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    virin TEXT,
    title TEXT,
    caption TEXT,
    photographer TEXT,
    photographer_unit TEXT,
    credit TEXT,
    source TEXT,
    date_created TEXT,
    keywords TEXT,
    city TEXT,
    sublocation TEXT,
    state TEXT,
    country_code TEXT,
    country TEXT,
    release_instructions TEXT,
    service_shown TEXT,
    classification TEXT,
    caption_writer TEXT,
    date_time_original TEXT,
    camera_make TEXT,
    camera_model TEXT,
    artist TEXT,
    copyright TEXT,
    gps_latitude REAL,
    gps_longitude REAL,
    gps_altitude REAL,
    shot_date TEXT,
    virin_base TEXT,
    virin_date TEXT,
    virin_service TEXT,
    virin_service_name TEXT,
    virin_originator TEXT,
    virin_originator_kind TEXT,
    virin_sequence TEXT,
    virin_variant TEXT,
    virin_country TEXT,
    credit_kind TEXT,
    credit_organization TEXT,
    credit_service TEXT,
    credit_unit TEXT,
    photographer_rank TEXT,
    photographer_name TEXT,
    release_status TEXT,
    classification_marking TEXT,
    publishable INTEGER,
    format TEXT,
    width INTEGER,
    height INTEGER,
    file_size INTEGER,
    error_count INTEGER,
    warning_count INTEGER,
    info_count INTEGER,
    primary_path TEXT,
    first_run_id INTEGER,
    updated_run_id INTEGER
);
CREATE TABLE locations (
    path TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT REFERENCES assets(sha256) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('present', 'missing', 'skipped')),
    skip_reason TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    inode INTEGER,
    device INTEGER,
    first_seen_run_id INTEGER REFERENCES import_runs(id),
    read_run_id INTEGER REFERENCES import_runs(id),
    missing_since_run_id INTEGER REFERENCES import_runs(id)
);
CREATE TABLE keywords (
    sha256 TEXT NOT NULL REFERENCES assets(sha256) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    keyword TEXT NOT NULL,
    PRIMARY KEY (sha256, position)
);
CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES assets(sha256) ON DELETE CASCADE,
    path TEXT NOT NULL,
    code TEXT NOT NULL REFERENCES rules(code),
    severity TEXT NOT NULL,
    field TEXT,
    part TEXT,
    message TEXT NOT NULL,
    values_json TEXT
);
CREATE TABLE field_values (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES assets(sha256) ON DELETE CASCADE,
    field TEXT NOT NULL,
    source TEXT NOT NULL,
    value TEXT,
    chosen INTEGER NOT NULL,
    error TEXT
);
CREATE TABLE thumbnails (
    sha256 TEXT PRIMARY KEY REFERENCES assets(sha256) ON DELETE CASCADE,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    jpeg BLOB NOT NULL
);
CREATE INDEX idx_assets_virin ON assets(virin);
CREATE INDEX idx_assets_virin_base ON assets(virin_base);
CREATE INDEX idx_assets_virin_date ON assets(virin_date);
CREATE INDEX idx_assets_virin_service ON assets(virin_service);
CREATE INDEX idx_assets_shot_date ON assets(shot_date);
CREATE INDEX idx_assets_photographer_name ON assets(photographer_name);
CREATE INDEX idx_assets_release_status ON assets(release_status);
CREATE INDEX idx_assets_publishable ON assets(publishable);
CREATE INDEX idx_assets_error_count ON assets(error_count);
CREATE INDEX idx_assets_format ON assets(format);
CREATE INDEX idx_locations_folder ON locations(folder);
CREATE INDEX idx_locations_sha256 ON locations(sha256, status, path);
CREATE INDEX idx_keywords_keyword ON keywords(keyword);
CREATE INDEX idx_findings_sha256 ON findings(sha256);
CREATE INDEX idx_findings_path ON findings(path);
CREATE INDEX idx_findings_code ON findings(code);
CREATE INDEX idx_findings_severity ON findings(severity);
CREATE INDEX idx_field_values_sha256 ON field_values(sha256);
CREATE VIRTUAL TABLE "assets_fts" USING FTS5 (
    "title", "caption", "credit", "keywords",
    tokenize='porter',
    content="assets"
);
CREATE TRIGGER assets_ai AFTER INSERT ON assets BEGIN INSERT INTO assets_fts (rowid, title, caption, credit, keywords) VALUES (new.id, new.title, new.caption, new.credit, new.keywords); END;
CREATE TRIGGER assets_ad AFTER DELETE ON assets BEGIN INSERT INTO assets_fts (assets_fts, rowid, title, caption, credit, keywords) VALUES ('delete', old.id, old.title, old.caption, old.credit, old.keywords); END;
CREATE TRIGGER assets_au AFTER UPDATE OF title, caption, credit, keywords ON assets BEGIN INSERT INTO assets_fts (assets_fts, rowid, title, caption, credit, keywords) VALUES ('delete', old.id, old.title, old.caption, old.credit, old.keywords); INSERT INTO assets_fts (rowid, title, caption, credit, keywords) VALUES (new.id, new.title, new.caption, new.credit, new.keywords); END;
"""  # noqa: E501 - the statements exactly as release 0.1.0 wrote them into sqlite_master
