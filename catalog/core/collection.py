"""Rules about a collection of files: a VIRIN names one record, and one record has one VIRIN.

A VIRIN identifies exactly one still (spec section 1). Two files are checked against each other
here, never one at a time: the same VIRIN on two different pictures (``SET001``), one picture in
several forms under one VIRIN (``SET003``, information) or the same image filed under two VIRINs
(``SET002``). The check is pure: callers hand it, for each file, a path, a content key (equal keys
mean equal content - the importer and the linter use the SHA-256 of the file), the VIRIN the
file's record carries and, when its pixels were decoded, their perceptual hash (``picture``):
different content with hashes a few bits apart is one picture saved as JPEG, TIFF and PNG or at
two sizes, a derivative; without a hash, different content stays a conflict.

Each finding is reported on every file of the group, naming the others, so that a report grouped
by file (and a per-path ignore or a baseline entry) sees it where the fix has to be made. Exact
copies (same content, same VIRIN) are not a finding: the copy is the same record. A VIRIN field
holding something that is not a VIRIN at all (a title typed into IPTC Object Name) takes no part:
``VIR002`` already reports it on its file, and two photos titled "Sunset" share no identifier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.core.findings import Finding, Severity
from catalog.core.merge import virin_key
from catalog.core.rule import define
from catalog.core.virin import is_virin_shaped

VIRIN_ON_DIFFERENT_CONTENT = define(
    "SET001",
    "virin-on-different-content",
    Severity.ERROR,
    "One VIRIN is carried by files with different content.",
    explanation="""
A VIRIN is the unique identifier of one record: the same VIRIN on two different images means one of
them carries a copied or mistyped VIRIN, and DoD systems will treat the two as one record (one
replaces the other on ingest). A file that is a byte-for-byte copy of another is the same record
and is not reported; the same picture in another format or size, when its pixels were compared, is
a derivative (SET003, information); an edited copy is different content and is reported.""",
    good="220215-F-DU706-1241.jpg and 220215-F-DU706-1242.jpg, two shots, two VIRINs",
    bad="two different photos both with Object Name 220215-F-DU706-1241",
    fix="Give each image its own VIRIN (next sequence number), or remove the stray copy.",
)
CONTENT_UNDER_SEVERAL_VIRINS = define(
    "SET002",
    "content-under-several-virins",
    Severity.WARNING,
    "Identical files carry different VIRINs.",
    explanation="""
One image must have one VIRIN. Identical files under two VIRINs are the same record submitted
twice: searches and the published copies will disagree about its identifier and date. A derived
version (crop, illustration) is a different file and is not reported.""",
    good="one file 220215-F-DU706-1241.jpg",
    bad="photos/a.jpg and archive/b.jpg, byte-for-byte equal, VIRINs ...-1241 and ...-1250",
    fix="Keep the copy with the right VIRIN and delete or re-identify the other.",
)
DERIVATIVE_UNDER_ONE_VIRIN = define(
    "SET003",
    "derivative-under-one-virin",
    Severity.INFO,
    "One picture is filed under one VIRIN in several forms (formats or sizes).",
    explanation="""
The same photograph saved as JPEG, TIFF and PNG, or at two sizes, is different content but one
picture: one record, one VIRIN, as DoD systems expect of a derivative. The catalog tells it from a
real VIRIN conflict (SET001) by a perceptual hash of the pixels (a 64-bit dHash), which stays
within a few bits across formats, sizes and re-compression and differs widely between two
photographs. It is
reported as information, so that the forms can be seen together.""",
    good="220215-F-DU706-1241.tif and its web-size 220215-F-DU706-1241.jpg",
    bad="(not a mistake) - compare SET001: two different photos under one VIRIN",
    fix="Nothing to fix; keep the forms together, or remove the copies that are not needed.",
)

#: Perceptual hashes (64-bit dHash) at most this many bits apart are one picture. Measured on the
#: development corpus's photos: a photo and its PNG, half-size TIFF and half-size JPEG are 0 or 1
#: bit apart (up to 9 for a synthetic fractal, all detail); two different photos 18 or more. Wider,
#: and a real conflict (SET001, an error) would pass as a derivative.
SAME_PICTURE_BITS = 10
#: The hashes of pictures without detail: no evidence of what the picture is.
_NO_DETAIL = frozenset({0, (1 << 64) - 1})


@dataclass(frozen=True, slots=True)
class Member:
    """One file of the collection: where it is, what it contains, which VIRIN its record has."""

    path: str
    content: str
    virin: str | None
    picture: str | None = None  # perceptual hash of the pixels (16 hex digits), None if unknown


def same_picture(a: str | None, b: str | None) -> bool:
    """Whether two perceptual hashes are one picture. An unknown hash is never one, nor is the hash
    of a picture without detail - a flat colour or a plain gradient hashes to all zeros or all
    ones, whatever its colour - so without evidence different content under one VIRIN stays a
    conflict (fails closed)."""
    try:
        first, second = int(a or "", 16), int(b or "", 16)
    except ValueError:
        return False
    if {first, second} & _NO_DETAIL:
        return False
    return (first ^ second).bit_count() <= SAME_PICTURE_BITS


def check_collection(members: Iterable[Member]) -> dict[str, list[Finding]]:
    """The SET findings of a collection, by member path (paths without findings are absent).

    VIRINs are compared as ``virin_key`` normalizes them (upper case); members without a VIRIN, or
    with a value that is not shaped like one, take no part (``VIR001`` and ``VIR002`` report those).
    """
    named = _named(members)
    findings: dict[str, list[Finding]] = defaultdict(list)
    for virin, group in _groups(named, key=lambda item: item[1]).items():
        for member, _ in group:
            different = [m for m, _ in group if m.content != member.content]
            forms = sorted(m.path for m in different if same_picture(m.picture, member.picture))
            others = sorted(m.path for m in different if m.path not in forms)
            found = (
                (
                    VIRIN_ON_DIFFERENT_CONTENT,
                    f"VIRIN {virin} is also on {_files(others)} with different content",
                    others,
                ),
                (
                    DERIVATIVE_UNDER_ONE_VIRIN,
                    f"the same picture under VIRIN {virin} is also {_files(forms)}",
                    forms,
                ),
            )
            for rule, message, paths in found:
                if paths:
                    findings[member.path].append(
                        rule.finding(message, field="virin", virin=virin, others=paths)
                    )
    for group in _groups(named, key=lambda item: item[0].content).values():
        for member, virin in group:
            others = sorted((m.path, v) for m, v in group if v != virin)
            if others:
                findings[member.path].append(
                    CONTENT_UNDER_SEVERAL_VIRINS.finding(
                        f"the same file is also filed under another VIRIN: "
                        f"{', '.join(f'{path} ({v})' for path, v in others)}",
                        field="virin",
                        virin=virin,
                        others=[path for path, _ in others],
                        other_virins=sorted({v for _, v in others}),
                    )
                )
    return dict(findings)


def needs_pictures(members: Iterable[Member]) -> list[str]:
    """The paths whose pictures decide a finding: members sharing a VIRIN with different content.

    ``catalog validate`` decodes no pixel to check a file; it decodes these alone (few, in a
    healthy collection) so that a derivative is not reported as a conflict.
    """
    groups = _groups(_named(members), key=lambda item: item[1]).values()
    return sorted(
        m.path for group in groups if len({m.content for m, _ in group}) > 1 for m, _ in group
    )


def _named(members: Iterable[Member]) -> list[tuple[Member, str]]:
    """The members whose VIRIN field holds a VIRIN, each with its comparison key."""
    return [(m, virin_key(m.virin)) for m in members if is_virin_shaped(m.virin)]


def _groups(items, key) -> dict:
    """``items`` grouped by ``key``, keeping only groups of two or more."""
    groups = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return {k: v for k, v in groups.items() if len(v) > 1}


def _files(paths: list[str]) -> str:
    shown = ", ".join(paths[:3])
    return shown if len(paths) <= 3 else f"{shown} and {len(paths) - 3} more"
