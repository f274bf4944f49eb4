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
import io
import os
import posixpath
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from catalog.files.positioned import Positioned
from catalog.files.untrusted import TooLarge, larger_than, open_untrusted
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


def walk_url(
    url: str,
    options: Mapping[str, Any] | None = None,
    wanted: Callable[[str], bool] = is_image_name,
) -> Iterator[Folder]:
    """The folders of keys under ``url`` with their files whose names are ``wanted`` (images, by
    default), depth first in name order; a URL that names one object is a folder of that one
    file, whatever its name (``complete`` False), with the sidecars beside it."""
    fs = filesystem(url, options)
    protocol = url.split("://", 1)[0]
    base = fs._strip_protocol(url).rstrip("/")
    try:
        fs.invalidate_cache()  # a listing cached by an earlier run in this process is stale
        if fs.isfile(base):
            folder, name = posixpath.split(base)
            entries = {posixpath.basename(i["name"]): i for i in fs.ls(folder, detail=True)}
            stat = _object_stat(protocol, folder, name, entries.get(name) or fs.info(base))
            yield Folder(stat.folder, [_with_sidecars(stat, name, entries)], complete=False)
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
            if wanted(name)
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


#: Sidecars, manifests and articles are copied whole up to this size (the largest any reader
#: takes, a manifest's); a larger one gets a sparse stand-in of its listed size, which its reader
#: refuses from the size alone, as it refuses the local file.
COMPANION_BYTES = 256 << 20


class Mirror:
    """Trees of objects as ``catalog validate`` reads them: without downloading the images.

    ``stage(url)`` lists a URL with ``walk_url`` and gives each file a local stand-in under one
    private temporary folder (``<protocol>/<bucket>/<key>``): the sidecars, manifests and articles
    are copied whole, since their readers read them whole; an image is an empty placeholder,
    there so that a manifest row naming it finds it and a sidecar names it, and ``open`` reads
    the object behind it in ranged requests of ``block`` bytes - its head first, further blocks
    only when a reader seeks past it. ``url_of`` and ``to_urls`` turn the stand-ins' paths back
    into URLs for the report. A local path is opened as every untrusted file is.
    """

    def __init__(self, options: Mapping[str, Any] | None, block: int) -> None:
        self.options = dict(options or {})
        self.block = block
        self.objects: dict[str, FileStat] = {}  # placeholder path -> the object's listing
        self._copies: dict[str, OSError | None] = {}  # companion's copy -> why it failed
        self._temporary: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Mirror:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._temporary is not None:
            self._temporary.cleanup()

    @property
    def staged(self) -> bool:
        """Whether anything was staged: without it, no path or text is a stand-in's."""
        return self._temporary is not None

    @property
    def folder(self) -> str:
        if self._temporary is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="catalog-objects-")
        return self._temporary.name

    def stage(
        self,
        url: str,
        wanted: Callable[[str], bool],
        left_out: Callable[[Path], bool] = lambda _stand_in: False,
    ) -> Iterator[Folder]:
        """The folders of ``url`` (``walk_url``) with each file as its local stand-in; a file
        that cannot be staged, or an image whose sidecar cannot be read, has a ``problem``. A
        file whose stand-in's path is ``left_out`` (excluded) is not staged, so never fetched."""
        fs = filesystem(url, self.options)
        for folder in walk_url(url, self.options, wanted):
            files = [
                self._staged(fs, stat)
                for stat in folder.files
                if not left_out(Path(self._local(stat.path)))
            ]
            yield replace(folder, path=self._local(folder.path), files=files)

    def open(self, path: str | os.PathLike, limit: int) -> BinaryIO:
        """The file at ``path`` for reading: the object behind a placeholder in ranged requests
        (``TooLarge`` over ``limit`` from its listed size, unread), else the local file."""
        stat = self.objects.get(os.fspath(path))
        if stat is None:
            return open_untrusted(path, limit)
        if stat.size > limit:
            raise TooLarge(larger_than(limit, stat.size))
        fs = filesystem(stat.path, self.options)
        return io.BufferedReader(_RangedObject(fs, stat.path, stat.size), buffer_size=self.block)

    def url_of(self, path: str | os.PathLike) -> str | None:
        """The URL a stand-in's ``path`` stands for (None for a path outside the mirror)."""
        if not self.staged:
            return None
        relative = os.path.relpath(os.path.abspath(path), self.folder)
        if relative.startswith(".."):
            return None
        protocol, _, key = relative.partition(os.sep)
        return f"{protocol}://{key.replace(os.sep, '/')}"

    def to_urls(self, text: str) -> str:
        """``text`` with every stand-in's path in it written as its URL."""
        if not self.staged or self.folder not in text:
            return text
        return re.sub(re.escape(self.folder + os.sep) + r"([^/]+)/", r"\1://", text)

    def _local(self, url: str) -> str:
        """The stand-in path of ``url``: each key segment a file name, made safe when it is not
        one (``..``, empty, a NUL), so nothing is written outside the mirror's folder."""
        protocol, _, key = url.partition("://")
        parts = [protocol, *(_safe_segment(part) for part in key.split("/"))]
        return os.path.join(self.folder, *parts)

    def _staged(self, fs: Any, stat: FileStat) -> FileStat:
        """The stand-in of ``stat``: copies of a companion or of an image's sidecars, an empty
        placeholder for the image itself."""
        local = self._local(stat.path)
        staged = replace(stat, path=local, folder=os.path.dirname(local))
        if stat.problem is not None:
            return staged
        try:
            os.makedirs(staged.folder, exist_ok=True)
            if not is_image_name(stat.name):
                self._copy_once(fs, stat.path, local, stat.size)
                return staged
            for name, size, _mtime, _inode in stat.sidecars:
                url = posixpath.join(stat.folder, name)
                self._copy_once(fs, url, os.path.join(staged.folder, name), size)
            open(local, "xb").close()
        except (TooLarge, RemoteError, OSError) as error:
            return replace(staged, problem=f"cannot be read: {error}")
        self.objects[local] = stat
        return staged

    def _copy_once(self, fs: Any, url: str, target: str, size: int) -> None:
        """``_copy_companion``, once per ``target``: a sidecar two images share (``photo.xmp``
        beside ``photo.jpg`` and ``photo.png``) is fetched once, and its failure is each one's."""
        if target not in self._copies:
            try:
                _copy_companion(fs, url, target, size)
                self._copies[target] = None
            except OSError as error:  # TooLarge and RemoteError among them
                self._copies[target] = error
        if (error := self._copies[target]) is not None:
            raise error


def _safe_segment(part: str) -> str:
    if part in ("", ".", "..") or "\x00" in part:
        return "%" + part.encode().hex() + "%"
    return part


def _copy_companion(fs: Any, url: str, target: str, size: int) -> None:
    """A local copy of the companion object ``url`` of listed ``size`` (a sparse stand-in of that
    size when it is over ``COMPANION_BYTES``, which no reader reads); ``RemoteError`` naming the
    URL when it cannot be read."""
    if size > COMPANION_BYTES:
        with open(target, "xb") as stand_in:
            stand_in.truncate(size)
        return
    try:
        _copy(fs, url, target, COMPANION_BYTES)
    except RemoteError as error:
        raise RemoteError(f"{url}: {error}") from None


class _RangedObject(Positioned):
    """The ``size`` bytes of the object ``url``, each read one ranged request (``cat_file`` with
    start and end): wrapped in a ``BufferedReader``, a reader's small reads are served from one
    block. Every failure is a ``RemoteError`` naming the URL, so a reader's guard never takes a
    network error for damage in the file."""

    def __init__(self, fs: Any, url: str, size: int) -> None:
        super().__init__(size)
        self._fs, self.url = fs, url

    def readinto(self, buffer: Any) -> int:
        end = min(self._position + len(buffer), self.size)
        if end <= self._position:
            return 0
        try:
            data = self._fs.cat_file(self.url, start=self._position, end=end)
        except FileNotFoundError:
            gone = "the object is gone (deleted after it was listed)"
            raise RemoteError(f"{self.url}: {gone}") from None
        except Exception as error:  # network, access, botocore errors
            raise RemoteError(f"{self.url}: {type(error).__name__}: {error}") from None
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)
