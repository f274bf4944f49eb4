"""The rule table: every code the catalog can report, its rule and the rule's lifecycle.

As ruff's ``codes.rs``, one explicit table lists every rule; ``catalog rules``, the linter's
selection, the catalog's ``rules`` table and the generated test per rule
(``tests/test_rule_table.py``) all read it. A rule is declared next to its check
(``core/rule.py``'s ``define``) and listed here; its lifecycle (``Lifecycle``) decides when it runs.

Codes are stable: a code is never reused for a different meaning, and a retired rule stays in the
table as ``removed``, keeping its code reserved. The prefix names the family, as in ruff:

=======  ===============================================
prefix   family
=======  ===============================================
VIR      VIRIN grammar and parts (spec section 1)
CRD      credit lines and By-line (spec section 3)
CAP      captions (spec section 4)
REC      the record as a whole (schema, mandatory fields, byte limits, keywords)
REL      release, classification and OPSEC
SRC      disagreement between metadata sources (IPTC vs XMP, sidecar vs embedded, file name)
FIL      the file itself (unreadable, wrong format, skipped)
SET      the collection (one VIRIN on several contents, one content under several VIRINs)
=======  ===============================================
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from catalog.core import (
    caption,
    collection,
    credit,
    file_rules,
    merge,
    record_checks,
    release,
    virin,
)
from catalog.core.rule import Lifecycle, Rule

__all__ = [
    "ALL",
    "TABLE",
    "Lifecycle",
    "Rule",
    "RuleTable",
    "all_rules",
    "default_selection",
    "get_rule",
    "named_by",
]

#: The selector that stands for every code.
ALL = "ALL"

#: Every rule, family by family in code order.
RULE_TABLE: tuple[Rule, ...] = (
    # VIR: VIRIN grammar and parts (core/virin.py)
    virin.MISSING,
    virin.MALFORMED,
    virin.DATE_INVALID,
    virin.SERVICE_INVALID,
    virin.SERVICE_UNOFFICIAL,
    virin.PLACEHOLDER,
    virin.LEGACY_ID,
    virin.DVIAN_LETTER,
    virin.SEQUENCE_ZERO,
    virin.SEQUENCE_LEADING_ZERO,
    virin.SEQUENCE_THREE_DIGITS,
    virin.VARIANT_SUFFIX,
    virin.COUNTRY_UNEXPECTED,
    virin.COUNTRY_UNKNOWN,
    virin.LOWER_CASE,
    virin.TOO_LONG,
    virin.DATE_EARLY,
    # CRD: credit lines and By-line (core/credit.py)
    credit.MISSING,
    credit.UNPARSEABLE,
    credit.KIND_NOT_STILL,
    credit.SERVICE_MISMATCH,
    credit.RANK_NOT_IN_SERVICE,
    credit.PHOTOGRAPHER_UNKNOWN,
    # CAP: captions (core/caption.py)
    *caption.RULES,  # CAP001-CAP006
    record_checks.CLOSING_CREDIT_DIFFERS,
    record_checks.CLOSING_CREDIT_KIND,
    # REC: the record as a whole (core/record_checks.py)
    record_checks.REQUIRED_FIELD_MISSING,
    record_checks.VALUE_TOO_LONG,
    record_checks.TOO_MANY_KEYWORDS,
    record_checks.PHOTOGRAPHER_IN_KEYWORDS,
    record_checks.DATE_CREATED_MISMATCH,
    record_checks.EXIF_DATE_MISMATCH,
    record_checks.UNUSUAL_CHARACTERS,
    record_checks.MOJIBAKE,
    # REL: release, classification and OPSEC (core/release.py)
    release.RELEASE_MISSING,
    release.RELEASE_UNKNOWN,
    release.RELEASE_CONFLICT,
    release.RESTRICTED_RELEASED,
    release.CLASSIFICATION_MISSING,
    release.CLASSIFICATION_UNKNOWN,
    release.GPS_ON_RELEASED,
    release.SOURCE_UNUSABLE,
    release.MARKING_IN_TEXT,
    # SRC: metadata sources disagreeing (core/merge.py)
    merge.SOURCES_DISAGREE,
    merge.IIM_COPY_TRUNCATED,
    merge.IPTC_DIGEST_STALE,
    merge.FILENAME_VIRIN_DIFFERS,
    # FIL: the file itself (core/file_rules.py)
    file_rules.FILE_UNSUPPORTED,
    file_rules.EXTENSION_MISMATCH,
    file_rules.CONTAINER_MALFORMED,
    file_rules.METADATA_MALFORMED,
    file_rules.XML_FORBIDDEN,
    file_rules.IPTC_CHARSET_MISSING,
    file_rules.IPTC_INVALID_UTF8,
    file_rules.IPTC_UTF8_CUT,
    file_rules.IPTC_DATASET_REPEATED,
    file_rules.IPTC_SEVERAL_BLOCKS,
    file_rules.VALUE_INVALID,
    file_rules.SEVERAL_VALUES,
    file_rules.SIDECAR_INVALID,
    file_rules.MANIFEST_INVALID,
    file_rules.MANIFEST_ROW_INVALID,
    file_rules.ARTICLE_BLOCK_INCOMPLETE,
    file_rules.PIXELS_UNDECODABLE,
    file_rules.FILE_UNREADABLE,
    file_rules.FILE_NOT_ANALYZED,
    file_rules.IMAGE_TOO_LARGE,
    file_rules.IPTC_IN_TRAILER,
    file_rules.ARTICLE_NOT_UTF8,
    # SET: the collection (core/collection.py)
    collection.VIRIN_ON_DIFFERENT_CONTENT,
    collection.CONTENT_UNDER_SEVERAL_VIRINS,
    collection.DERIVATIVE_UNDER_ONE_VIRIN,
)


class RuleTable:
    """Rules by code, and what a selector names among them."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        by_code: dict[str, Rule] = {}
        for rule in rules:
            if rule.code in by_code:  # a programming error, caught at import
                raise ValueError(
                    f"rule code {rule.code} is listed twice ({by_code[rule.code].name})"
                )
            by_code[rule.code] = rule
        self.rules = rules
        self._by_code: Mapping[str, Rule] = MappingProxyType(by_code)

    def get(self, code: str) -> Rule:
        """The rule with this code (case-insensitive); KeyError when there is none."""
        return self._by_code[code.upper()]

    def named_by(self, pattern: str, *, selecting: bool) -> frozenset[str]:
        """The codes the selector ``pattern`` names: ``ALL``, a prefix (``VIR``, ``VIR0``) or a
        code.

        A removed rule is never named. When ``selecting``, ``ALL`` and prefixes name only the
        rules that run by default, so a preview rule runs only when its full code is selected;
        when ignoring, they name preview rules too.
        """
        selector = pattern.strip().upper()
        if not selector:
            return frozenset()
        return frozenset(
            rule.code
            for rule in self.rules
            if rule.lifecycle is not Lifecycle.REMOVED
            and (
                rule.code == selector
                or (
                    (selector == ALL or rule.code.startswith(selector))
                    and (rule.runs_by_default or not selecting)
                )
            )
        )


#: The catalog's rules.
TABLE = RuleTable(RULE_TABLE)


def all_rules() -> list[Rule]:
    """Every rule the catalog knows, removed ones included, sorted by code."""
    return sorted(TABLE.rules, key=lambda r: r.code)


def get_rule(code: str) -> Rule:
    """The rule with this code (case-insensitive); KeyError when there is none."""
    return TABLE.get(code)


def named_by(pattern: str, *, selecting: bool) -> frozenset[str]:
    """The codes the selector ``pattern`` names in the catalog's table (``RuleTable.named_by``)."""
    return TABLE.named_by(pattern, selecting=selecting)


def default_selection() -> frozenset[str]:
    """The codes checked when nothing is selected (``catalog import``, ``select = ["ALL"]``)."""
    return named_by(ALL, selecting=True)
