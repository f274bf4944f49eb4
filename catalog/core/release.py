"""Release decisions: may an asset ever reach a public catalog?

The decision fails closed. An asset is publishable only when every source that says anything about
release says exactly ``Released`` (after the one normalization of ``codes.normalize_term``) and
every source that gives a classification gives an unclassified marking, and at least one of each is
present. Missing, unparseable, conflicting or restrictive data means *not publishable*: the most
restrictive source wins, and a restrictive classification overrides a Released status.

Two more things keep an asset out whatever its sources say:

* **a source that could not be used** (``Unusable``): a sidecar refused as a whole, an XMP packet
  that is not XML, an IPTC block cut short, a manifest refused or a row of it dropped. What it
  would have said is unknown - perhaps "Not Released" - so the readers record, for each release
  field, a value with an ``error`` (stored in ``field_values`` like any rejected value, so the
  publish-time re-decision sees it too), and the decision treats it as a restrictive answer;
* **a classification or control marking in any text** (``catalog.core.markings``): a caption
  whose first line is ``SECRET//NOFORN`` says more than a Released status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalog.core.codes import CodeTables
from catalog.core.findings import Finding, Severity, shorten
from catalog.core.markings import find_markings
from catalog.core.merge import SourcedValue
from catalog.core.rule import define

#: The record fields that speak about release: a source that could have given them and could not
#: be used is recorded against each of them.
RELEASE_FIELDS = ("release_instructions", "classification")

RELEASE_MISSING = define(
    "REL001",
    "release-status-missing",
    Severity.WARNING,
    "The record does not say whether it is released.",
    explanation="""
A record without a release status (IPTC 2:40 Special Instructions) is treated as not released: the
catalog never assumes an image is public. DINFOS and DVIDS require release instructions on every
submission.""",
    good="Special Instructions: Released",
    bad="Special Instructions: (empty)",
    fix="Write the release decision of the reviewing authority into Special Instructions.",
)
RELEASE_UNKNOWN = define(
    "REL002",
    "release-status-unknown",
    Severity.ERROR,
    "The release status is not a term of the release vocabulary.",
    explanation="""
The release vocabulary is Released, Not Released, Not Reviewed (2011), FOUO and CUI
(schemas/tables/release.toml). Anything else - a typo, a sentence, two statuses at once - cannot be
interpreted safely, so the asset is treated as not released until the value is corrected.""",
    good="Released",
    bad="Released for internal use",
    fix="Use exactly one term of the release vocabulary.",
)
RELEASE_CONFLICT = define(
    "REL003",
    "release-sources-conflict",
    Severity.ERROR,
    "Two sources give different release statuses or classifications.",
    explanation="""
When the IPTC, XMP, sidecar or manifest copies disagree about release or classification, the most
restrictive one wins and the asset is not published until the sources agree.""",
    good="IPTC Special Instructions and XMP photoshop:Instructions both say Released",
    bad="IPTC says Released, the JSON sidecar says Not Released",
    fix="Correct the source that is wrong so that every copy says the same.",
)
RESTRICTED_RELEASED = define(
    "REL004",
    "restrictive-classification-released",
    Severity.ERROR,
    "A Released status on an asset with a restrictive classification.",
    explanation="""
Only unclassified imagery is public. A classification or control marking such as FOUO, CUI or
Secret overrides a Released status: the asset is not published and the contradiction must be
resolved by the release authority.""",
    good="Released / Unclassified",
    bad="Released / FOUO",
    fix="Check the marking with the release authority; correct either the status or the marking.",
)
CLASSIFICATION_MISSING = define(
    "REL005",
    "classification-missing",
    Severity.WARNING,
    "A Released asset has no classification marking.",
    explanation="""
Publication requires an explicit unclassified marking (IPTC 2:20 Supplemental Category #1). A
Released asset without one is kept out of the public catalog.""",
    good="Supplemental Category: Unclassified",
    bad="Supplemental Category: (empty) on a Released image",
    fix="Write 'Unclassified' into Supplemental Category #1 once confirmed.",
)
CLASSIFICATION_UNKNOWN = define(
    "REL006",
    "classification-unknown",
    Severity.ERROR,
    "The classification is not a known marking.",
    explanation="""
Classification markings are listed in schemas/tables/release.toml. An unknown marking cannot be
shown to be unclassified, so the asset is treated as restricted.""",
    good="Unclassified",
    bad="Unclassfied",
    fix="Use a marking from the classification table.",
)
GPS_ON_RELEASED = define(
    "REL007",
    "gps-on-released",
    Severity.WARNING,
    "A released image carries GPS coordinates.",
    explanation="""
GPS coordinates in imagery headed for public release are an operations-security (OPSEC) concern:
they can reveal where a unit is or was. The catalog never publishes them; the file itself should
be stripped before release.""",
    good="Released image without GPS tags",
    bad="Released image with GPSLatitude 38.8719, GPSLongitude -77.0563",
    fix="Remove the GPS tags from the file (e.g. exiftool -gps:all= IMG.jpg) before release.",
)


SOURCE_UNUSABLE = define(
    "REL008",
    "release-source-unusable",
    Severity.ERROR,
    "A source that could say whether the asset is released could not be used.",
    explanation="""
A source that can carry the release status or the classification - a JSON or XMP sidecar, a
manifest row, the IPTC block, an XMP packet - was refused as a whole (a duplicate JSON key, a file
over the size limit, not UTF-8, a symbolic link, a DTD in the XMP, XML that is not well-formed, a
manifest with an unknown column), cut short (an IPTC dataset running past its block, an extended
XMP part missing), partly read (a JSON key that is not a record field) or dropped (a manifest row
naming the file that was rejected). What it would have said is unknown, and it may be
"Not Released": the asset is kept out of the public catalog until the source can be read. The
finding names the source and why it was unusable.""",
    good='IMG.json that parses: {"release_instructions": "Released"}',
    bad='IMG.json with "release_instructions" twice (refused: duplicate key)',
    fix="Repair or remove the source, then import again.",
)
MARKING_IN_TEXT = define(
    "REL009",
    "classification-marking-in-text",
    Severity.ERROR,
    "A classification banner or control marking appears in a text field.",
    explanation="""
A caption, title, keyword or instruction that carries a classification banner or control marking
(SECRET, TOP SECRET//NOFORN, CONFIDENTIAL as a banner, (U//FOUO), CUI, //NOFORN, REL TO USA, GBR,
ORCON, portion markings such as (S) or (S//NF)) says the image or its text is not public, whatever
the release status says. Markings are recognised by their form, in capitals as the marking manuals
write them: a line that is only a marking, a level joined to a control with //, a control word
(NOFORN, ORCON, FOUO, NOCONTRACT, PROPIN, RELIDO, REL TO + trigraph), a level set off by punctuation
at the start or end of a line, a portion marking starting a line. Prose is not a marking:
"a confidential informant", "the Secret Service", "Secretary", "SECRET SERVICE AGENTS" in an
all-capitals headline, "(C) 2022" (copyright) or an (A) (B) (C) list. The exact patterns are
documented in catalog/core/markings.py.""",
    good="Caption: Airmen load cargo ... (U.S. Air Force photo by Senior Airman Karla Parra)",
    bad="Caption: SECRET//NOFORN Airmen load cargo ...",
    fix="Have the release authority review the image; remove a marking that was pasted in error.",
)


@dataclass(frozen=True, slots=True)
class Unusable:
    """A source that could have given a release value but could not be used, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReleaseDecision:
    """The outcome of the release decision for one asset."""

    publishable: bool
    status: str | None  # canonical release term when all sources agree on one known term
    classification: str | None  # canonical classification marking, likewise
    findings: tuple[Finding, ...]


def decide_release(
    statuses: Iterable[str | Unusable | None],
    classifications: Iterable[str | Unusable | None],
    *,
    texts: Iterable[SourcedValue] = (),
    has_gps: bool = False,
    tables: CodeTables,
) -> ReleaseDecision:
    """Decide from every value any source gave for release status and classification.

    An ``Unusable`` among them (a source that could not be read) keeps the asset out with a
    finding naming it. ``texts`` are the text values of every source (captions, titles, keywords
    ...): a classification or control marking in any of them keeps the asset out too. ``has_gps``
    adds the OPSEC finding for a released image that carries coordinates (it does not change
    publishability: the public catalog never carries GPS whatever the decision).
    """
    findings: list[Finding] = []
    statuses = _usable(statuses, "release_instructions", findings)
    classifications = _usable(classifications, "classification", findings)
    findings += marking_findings(texts)
    status = _agreed(
        statuses, tables.release_term, "release_instructions", RELEASE_UNKNOWN, findings
    )
    marking = _agreed(
        classifications,
        tables.classification_term,
        "classification",
        CLASSIFICATION_UNKNOWN,
        findings,
    )
    if not statuses:
        findings.append(
            RELEASE_MISSING.finding("no release status: not released", field="release_instructions")
        )
    released = status is not None and status.public
    if released and not classifications:
        findings.append(
            CLASSIFICATION_MISSING.finding(
                "Released but no classification marking: kept out of the public catalog",
                field="classification",
            )
        )
    if released and marking is not None and not marking.public:
        findings.append(
            RESTRICTED_RELEASED.finding(
                f"Released but classified {marking.canonical!r}: the classification wins",
                field="classification",
                status=status.canonical,
                classification=marking.canonical,
            )
        )
    if released and has_gps:
        findings.append(
            GPS_ON_RELEASED.finding(
                "a Released image carries GPS coordinates (OPSEC)", field="gps_latitude"
            )
        )
    publishable = (
        released
        and marking is not None
        and marking.public
        and not any(f.severity is Severity.ERROR for f in findings)
    )
    return ReleaseDecision(
        publishable=publishable,
        status=status.canonical if status else None,
        classification=marking.canonical if marking else None,
        findings=tuple(findings),
    )


def _usable(
    values: Iterable[str | Unusable | None], field: str, findings: list[Finding]
) -> list[str]:
    """The values given (blank ones say nothing); an ``Unusable`` becomes a finding instead."""
    given = []
    for value in values:
        if isinstance(value, Unusable):
            findings.append(
                SOURCE_UNUSABLE.finding(
                    f"{value.source} could not be used ({value.reason}): it may say the asset is "
                    "not released, so it is kept out",
                    field=field,
                    source=value.source,
                    reason=value.reason,
                )
            )
        elif value is not None and value.strip():
            given.append(value)
    return given


def marking_findings(texts: Iterable[SourcedValue]) -> list[Finding]:
    """A finding for each text value (or keyword) that carries a classification marking."""
    findings = []
    for value in texts:
        items = value.value if isinstance(value.value, list) else [value.value]
        for item in dict.fromkeys(i for i in items if isinstance(i, str)):  # each text once
            markings = find_markings(item)
            if markings:
                findings.append(
                    MARKING_IN_TEXT.finding(
                        f"{value.source} {value.field} carries the marking "
                        f"{shorten(', '.join(markings))}: kept out of the public catalog",
                        field=value.field,
                        source=value.source,
                        markings=markings,
                    )
                )
    return findings


def _agreed(values, lookup, field, unknown_rule, findings):
    """The term ``values`` agree on; when they differ, the most restrictive one (with a finding).

    None (with a finding) when any value is not a known term.
    """
    terms = []
    for value in values:
        term = lookup(value)
        if term is None:
            findings.append(
                unknown_rule.finding(f"{value!r} is not a known term", field=field, value=value)
            )
            return None
        terms.append(term)
    distinct = {t.canonical for t in terms}
    if len(distinct) > 1:
        findings.append(
            RELEASE_CONFLICT.finding(
                f"sources disagree: {', '.join(sorted(distinct))}",
                field=field,
                values=sorted(distinct),
            )
        )
        return next((t for t in terms if not t.public), None)
    return terms[0] if terms else None
