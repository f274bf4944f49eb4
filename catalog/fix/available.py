"""Which rules ``catalog fix`` can fix, and whether the fix is safe (applied by default) or unsafe
(applied only with ``--unsafe-fixes``), as ruff marks its fixes. ``catalog rules CODE`` shows it.

A safe fix changes how a value is written, never what it says; an unsafe fix changes content a
person should look at (keywords dropped, an organisation supplied). Opt-in fixes run only when
their option asks for them (GPS removal with ``--strip-gps`` or ``--for-release``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FixAvailability:
    """How a rule's findings are fixed: ``safety`` is safe, unsafe or opt-in; ``what`` says it."""

    safety: str
    what: str


FIXES = {
    "VIR002": FixAvailability(
        "safe",
        "a VIRIN with spaces or underscores for hyphens, a file extension or a four-digit year is "
        "rewritten in the canonical form when that form parses without error",
    ),
    "VIR015": FixAvailability("safe", "the VIRIN is written in upper case"),
    "REC001": FixAvailability(
        "safe", "a missing Date Created is taken from the VIRIN date (other fields need a person)"
    ),
    "REC002": FixAvailability(
        "safe",
        "an over-long By-line or By-line Title gets the official rank abbreviation (Senior "
        "Airman -> SrA) when that fits, in IPTC and XMP alike",
    ),
    "REC003": FixAvailability(
        "unsafe",
        "duplicate keywords are dropped (safe); the list is cut to the allowed count (unsafe)",
    ),
    "REC004": FixAvailability("safe", "the photographer's name is removed from the keywords"),
    "CRD001": FixAvailability(
        "unsafe",
        "a missing credit is made of the organisation of the VIRIN's service and the By-line "
        "(U.S. Air Force photo by SrA Karla Parra) when the rules accept it; without a By-line a "
        "person writes it",
    ),
    "REL007": FixAvailability(
        "opt-in", "GPS is removed from the copy with --strip-gps, always with --for-release"
    ),
}


def fix_availability(code: str) -> FixAvailability | None:
    """The fix of rule ``code``, or None when its findings always need a person."""
    return FIXES.get(code.upper())
