"""Sources by URL: object storage (``s3://bucket/prefix``) and any other fsspec protocol installed.

An archive of millions of photos lives in object storage, not in folders. ``walk_url`` lists a
URL as the local walker lists a folder - ``Folder``s of ``FileStat``s, one per "folder" of keys
(the part of the key before its last ``/``), hidden folders skipped, names in order, each image
with the sidecars beside it - so the importer's diff, writer and missing-file bookkeeping work on
URLs unchanged. What tells an object changed is its key, size and ``version`` (the ETag, or the
version id of a versioned bucket), plus its last-modified time: a rewritten object is read again.

``fetched`` copies an object and its sidecars, whole, into a private temporary folder of the
process that analyses it, under the same names, so the one analysis of a local file (open once,
hash, metadata, sidecars, thumbnail from the same bytes) runs on the copy; the object itself is
never written. An object larger than the caller's limit is refused from its listed size, unread,
and a copy is never taken past the limit, even from an object that grows while it is read.

Credentials are never arguments here: fsspec and s3fs take them from the environment
(``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_PROFILE`` ...) of each process that
reads, importer and cluster workers alike. ``options`` holds only where to connect
(``endpoint_url`` of an S3-compatible service). fsspec and s3fs come with the ``[s3]`` extra and
are imported only when a URL is given.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import posixpath
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from catalog.files.untrusted import TooLarge, larger_than
from catalog.files.walk import FileStat, Folder, is_hidden, is_image_name, sidecar_names

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
#: How much of an object is copied at a time.
_CHUNK = 8 << 20


class RemoteError(OSError):
    """A URL that cannot be listed or read (no such bucket, no access, fsspec not installed)."""


def is_url(text: str | os.PathLike) -> bool:
    """Whether ``text`` is a URL (``s3://...``) rather than a local path."""
    return isinstance(text, str) and bool(_URL.match(text))


def filesystem(url: str, options: Mapping[str, Any] | None = None) -> Any:
    """The fsspec file system of ``url``'s protocol, with ``options`` (``endpoint_url``) applied
    where the protocol takes them."""
    try:
        import fsspec
    except ImportError:
        raise RemoteError(
            f"{url}: reading URLs needs fsspec: pip install 'dod-imagery-catalog[s3]'"
        ) from None
    protocol = url.split("://", 1)[0]
    kwargs = dict(options or {}) if protocol in ("s3", "s3a") else {}
    try:
        return fsspec.filesystem(protocol, **kwargs)
    except (ImportError, ValueError) as error:
        raise RemoteError(f"{url}: the protocol {protocol}:// cannot be used: {error}") from None


def walk_url(url: str, options: Mapping[str, Any] | None = None) -> Iterator[Folder]:
    """The folders of keys under ``url`` with their images, depth first in name order; a URL
    that names one object is a folder of that one file (``complete`` False)."""
    fs = filesystem(url, options)
    protocol = url.split("://", 1)[0]
    base = fs._strip_protocol(url).rstrip("/")
    try:
        fs.invalidate_cache()  # a listing cached by an earlier run in this process is stale
        if fs.isfile(base):
            info = fs.info(base)
            folder, name = posixpath.split(base)
            stat = _object_stat(protocol, folder, name, info)
            yield Folder(stat.folder, [stat], complete=False)
            return
        found = fs.find(base, detail=True)
    except FileNotFoundError:
        raise RemoteError(f"{url}: no such bucket, prefix or object") from None
    except OSError as error:
        raise RemoteError(f"{url}: cannot be listed: {error}") from None
    except Exception as error:  # botocore's own errors (no credentials, access denied)
        raise RemoteError(f"{url}: cannot be listed: {type(error).__name__}: {error}") from None
    by_folder: dict[str, dict[str, dict]] = defaultdict(dict)
    by_folder[base] = {}
    for key, info in found.items():
        if info.get("type", "file") != "file":
            continue
        folder, name = posixpath.split(key)
        below = folder[len(base) :].split("/")
        if not any(is_hidden(part) for part in below if part):
            by_folder[folder][name] = info
    for folder in sorted(by_folder, key=lambda f: f.split("/")):
        entries = by_folder[folder]
        stats = [
            _with_sidecars(_object_stat(protocol, folder, name, info), name, entries)
            for name, info in sorted(entries.items())
            if is_image_name(name)
        ]
        yield Folder(f"{protocol}://{folder}", stats)


@contextlib.contextmanager
def fetched(
    stat: FileStat, limit: int, options: Mapping[str, Any] | None = None
) -> Iterator[FileStat]:
    """A local copy of the object ``stat`` and of its sidecars, as the ``FileStat`` of the copy,
    in a temporary folder removed on exit. ``TooLarge`` for an object over ``limit`` bytes;
    ``RemoteError`` when it cannot be read."""
    if stat.size > limit:
        raise TooLarge(larger_than(limit, stat.size))
    fs = filesystem(stat.path, options)
    with tempfile.TemporaryDirectory(prefix="catalog-object-") as folder:
        for name in (stat.name, *(sidecar[0] for sidecar in stat.sidecars)):
            _copy(fs, posixpath.join(stat.folder, name), os.path.join(folder, name), limit)
        local = os.path.join(folder, stat.name)
        yield replace(stat, path=local, folder=folder, size=os.path.getsize(local))


def _copy(fs: Any, url: str, target: str, limit: int) -> None:
    """Copy the object ``url`` to the new file ``target``, never more than ``limit`` bytes."""
    copied = 0
    try:
        with fs.open(url, "rb", block_size=_CHUNK) as source, open(target, "xb") as copy:
            while chunk := source.read(_CHUNK):
                copied += len(chunk)
                if copied > limit:
                    raise TooLarge(larger_than(limit))
                copy.write(chunk)
    except (TooLarge, MemoryError):
        raise
    except FileNotFoundError:
        raise RemoteError("the object is gone (deleted after it was listed)") from None
    except Exception as error:  # network, access, botocore errors: the file is skipped
        raise RemoteError(f"cannot be read: {type(error).__name__}: {error}") from None


def _object_stat(protocol: str, folder: str, name: str, info: Mapping[str, Any]) -> FileStat:
    """The ``FileStat`` of an object from its listing: path and folder are URLs; ``inode`` and
    ``device`` are 0; the ETag or version id is the ``version``."""
    problem = None
    if "\x00" in name or name in (".", ".."):
        problem = "a key that cannot be a file name: not read"
    return FileStat(
        path=f"{protocol}://{folder}/{name}",
        folder=f"{protocol}://{folder}",
        name=name,
        size=int(info.get("size") or 0),
        mtime_ns=_mtime_ns(info),
        inode=0,
        device=0,
        version=str(info.get("VersionId") or info.get("ETag") or "").strip('"'),
        problem=problem,
    )


def _with_sidecars(stat: FileStat, name: str, entries: Mapping[str, Mapping]) -> FileStat:
    """``stat`` with the (name, size, mtime_ns, 0) of the sidecar objects beside ``name``."""
    found = tuple(
        (sidecar, int(entries[sidecar].get("size") or 0), _mtime_ns(entries[sidecar]), 0)
        for sidecar in sidecar_names(name)
        if sidecar in entries
    )
    return replace(stat, sidecars=found) if found else stat


def _mtime_ns(info: Mapping[str, Any]) -> int:
    """The last-modified time of a listed object in nanoseconds (0 when the listing has none):
    S3 gives a datetime, the local file system seconds."""
    value = info.get("LastModified", info.get("mtime"))
    if isinstance(value, dt.datetime):
        return int(value.timestamp() * 1_000_000_000)
    if isinstance(value, int | float):
        return int(value * 1_000_000_000)
    return 0
