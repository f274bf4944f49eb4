"""IPTC-IIM: datasets to record values, with the character set handled and damage reported.

An IIM stream is a run of datasets: the tag marker 0x1C, record number, dataset number, a 2-byte
length (or, with its top bit set, the length of a longer length), then the value bytes. Which
datasets hold which record field is declared on the record model (``field_locations()``); which
datasets may repeat and their byte limits come from ``schemas/tables/iim_limits.toml``.

Character set (dataset 1:90):

* ``ESC % G``: UTF-8. A value that is not valid UTF-8 is read as Windows Latin-1 (cp1252), which
  recovers the usual cause (a Latin-1 writer ignoring the marker), and flagged
  ``iptc-invalid-utf8``; ExifTool shows '?' for the bad bytes instead. A value that fills its byte
  limit and is valid UTF-8 except for a character cut at its end was truncated at that limit: the
  broken tail is dropped and flagged ``iptc-utf8-cut``.
* ``ESC - A`` or ``ESC . A``: ISO 8859-1.
* No marker (the documented fallback): ASCII needs no decision; other text is read as UTF-8 when it
  is valid UTF-8 - Latin-1 text practically never is - and as cp1252 otherwise, and flagged
  ``iptc-charset-missing`` with the choice made. ExifTool always assumes cp1252 here, so it shows
  UTF-8 text without a marker as mojibake ("cafÃ©").

Trailing NUL bytes are removed (some writers terminate strings, as ExifTool also strips).

Fail closed for release: a block cut short by damage makes the IPTC source unusable for the release
fields (``Collector.unusable``), and a single dataset of a release field given several times
(2:40 "Released", then 2:40 "Not Released") is weighed in every copy, not "the first wins".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from catalog.core.codes import CodeTables
from catalog.core.file_rules import (
    IPTC_CHARSET_MISSING,
    IPTC_DATASET_REPEATED,
    IPTC_INVALID_UTF8,
    IPTC_SEVERAL_BLOCKS,
    IPTC_UTF8_CUT,
    METADATA_MALFORMED,
)
from catalog.core.merge import SourcedValue, SourceValues
from catalog.core.release import RELEASE_FIELDS
from catalog.readers.fields import LOCATIONS, Collector, kind

UTF8_MARKER = b"\x1b%G"
LATIN1_MARKERS = (b"\x1b-A", b"\x1b.A")

#: Windows Latin-1 with its five undefined bytes mapped to the same code points as Latin-1,
#: as ExifTool does, so that decoding never fails.
_CP1252 = str.maketrans(
    {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}
)

#: Datasets of interest: "2:05" -> record fields stored there, in declaration order.
_FIELDS_BY_TAG: dict[str, list[str]] = defaultdict(list)
for _name, _location in LOCATIONS.items():
    for _tag in _location.iptc:
        _FIELDS_BY_TAG[_tag].append(_name)


#: "2:05" for (2, 5), precomputed for the datasets met in every file.
_TAGS = {(r, n): f"{r}:{n:02d}" for r in (1, 2) for n in range(256)}


def cp1252(raw: bytes) -> str:
    """Decode Windows Latin-1 without ever failing."""
    return raw.decode("latin-1").translate(_CP1252)


class Dataset(NamedTuple):
    """One IIM dataset; ``tag`` is its "2:05" name, as the record model and the tables write it."""

    tag: str
    record: int
    value: bytes


def parse_datasets(stream: bytes, collector: Collector) -> list[Dataset]:
    """The datasets of one IIM stream; damage stops the walk with a finding, keeping the rest."""
    datasets: list[Dataset] = []
    pos, end = 0, len(stream)
    while pos + 5 <= end:
        if stream[pos] != 0x1C:
            if stream[pos:].strip(b"\x00"):  # NUL padding after the last dataset is harmless
                _damaged(collector, f"unexpected byte 0x{stream[pos]:02X} at offset {pos}")
            return datasets
        record, number = stream[pos + 1], stream[pos + 2]
        length = int.from_bytes(stream[pos + 3 : pos + 5], "big")
        pos += 5
        if length & 0x8000:  # extended dataset: the low bits give the size of the length
            size = length & 0x7FFF
            if size > 8 or pos + size > end:
                _damaged(collector, f"dataset {record}:{number:02d} has a bad extended length")
                return datasets
            length = int.from_bytes(stream[pos : pos + size], "big")
            pos += size
        if pos + length > end:
            _damaged(collector, f"dataset {record}:{number:02d} runs past the end of the block")
            return datasets
        tag = _TAGS.get((record, number)) or f"{record}:{number:02d}"
        datasets.append(Dataset(tag, record, stream[pos : pos + length]))
        pos += length
    if stream[pos:].strip(b"\x00"):
        _damaged(collector, "the block ends inside a dataset header")
    return datasets


def _damaged(collector: Collector, message: str) -> None:
    """Damage stops the walk: the datasets after it - perhaps a "Not Released" - are lost."""
    collector.findings.append(
        METADATA_MALFORMED.finding(f"IPTC: {message}", field="*", part="iptc")
    )
    collector.unusable(f"the IPTC block is cut short: {message}")


def read_iptc(streams: list[bytes], *, tables: CodeTables) -> SourceValues:
    """Record values from the IIM streams of one file (several streams are read in order)."""
    collector = Collector("iptc", "iptc")
    if len(streams) > 1:
        collector.findings.append(
            IPTC_SEVERAL_BLOCKS.finding(
                f"IPTC is stored in {len(streams)} resource blocks; all were read in order",
                field="*",
                part="iptc",
                blocks=len(streams),
            )
        )
    datasets = [d for stream in streams for d in parse_datasets(stream, collector)]
    charset = _charset(datasets)
    found: dict[str, list[str]] = defaultdict(list)
    for dataset in datasets:
        if dataset.tag in _FIELDS_BY_TAG:
            limit = tables.iim[dataset.tag].max_bytes if dataset.tag in tables.iim else None
            found[dataset.tag].append(_decode(dataset, charset, limit, collector))
    for tag, names in _FIELDS_BY_TAG.items():
        for name in names:
            if tag not in found:
                continue
            if name in collector.values:  # a later location of the same field: shown, not used
                collector.extra.extend(SourcedValue(name, "iptc", text) for text in found[tag])
            else:
                _put(collector, name, tag, found[tag], tables)
    return collector.result()


def _charset(datasets: list[Dataset]) -> bytes | None:
    """The 1:90 marker value, or None when the IIM declares no character set."""
    return next((d.value for d in datasets if d.tag == "1:90"), None)


def _decode(
    dataset: Dataset, charset: bytes | None, limit: int | None, collector: Collector
) -> str:
    raw = dataset.value.rstrip(b"\x00")
    if raw.isascii():
        return raw.decode("ascii")
    if charset in LATIN1_MARKERS:
        return raw.decode("latin-1")
    where = f"dataset {dataset.tag}"
    text, cut = _utf8(raw, limit)
    if charset == UTF8_MARKER:
        if text is None:
            collector.findings.append(
                IPTC_INVALID_UTF8.finding(
                    f"IPTC {where} is not valid UTF-8 despite the 1:90 marker; read as cp1252",
                    field=_field_of(dataset.tag),
                    part=dataset.tag,
                    raw=raw.hex(" "),
                )
            )
            return cp1252(raw)
    else:
        guess = "cp1252" if text is None else "UTF-8"
        marker = "no 1:90 marker" if charset is None else f"an unknown 1:90 marker {charset!r}"
        collector.findings.append(
            IPTC_CHARSET_MISSING.finding(
                f"IPTC {where} has text outside ASCII and {marker}; read as {guess}",
                field=_field_of(dataset.tag),
                part=dataset.tag,
                charset=guess,
                raw=raw.hex(" "),
            )
        )
        if text is None:
            return cp1252(raw)
    if cut:
        collector.findings.append(
            IPTC_UTF8_CUT.finding(
                f"IPTC {where} ends inside a UTF-8 character (cut at {len(raw)} bytes); "
                f"the broken tail was dropped",
                field=_field_of(dataset.tag),
                part=dataset.tag,
                bytes=len(raw),
            )
        )
    return text


def _utf8(raw: bytes, limit: int | None) -> tuple[str | None, bool]:
    """(text, cut): UTF-8 text, or None when invalid.

    ``cut`` is set when the only fault is a character split at the very end of a value that fills
    its byte limit (within the 3 bytes a split character can lose): the mark of a value truncated
    at the limit. The same bytes in a short value are more likely Latin-1 ("caf\xe9").
    """
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError as error:
        at_limit = limit is not None and len(raw) > limit - 4
        if at_limit and error.reason == "unexpected end of data" and error.end == len(raw):
            return raw[: error.start].decode("utf-8"), True
        return None, False


def _field_of(tag: str) -> str:
    return _FIELDS_BY_TAG[tag][0]


def _put(collector: Collector, name: str, tag: str, texts: list[str], tables: CodeTables) -> None:
    where = f"dataset {tag}"
    dataset = tables.iim.get(tag)
    if len(texts) > 1 and kind(name) != "list" and not (dataset and dataset.repeatable):
        weighed = name in RELEASE_FIELDS  # for release, a conflict, not "the first wins"
        if weighed:
            collector.extra.extend(SourcedValue(name, "iptc", text) for text in texts[1:])
        outcome = "every copy is weighed for release" if weighed else "the first is used"
        collector.findings.append(
            IPTC_DATASET_REPEATED.finding(
                f"IPTC {where} occurs {len(texts)} times; {outcome}",
                field=name,
                part=tag,
                values=texts,
            )
        )
        texts = texts[:1]
    if kind(name) == "date":
        _put_date(collector, name, texts[0], where)
    else:
        collector.put_items(name, texts, where=where)


def _put_date(collector: Collector, name: str, text: str, where: str) -> None:
    """IIM dates are CCYYMMDD."""
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError("not in the IIM form CCYYMMDD")
        value = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as error:
        collector.reject(name, text, str(error), where=where)
        return
    collector.put(name, value, where=where)
