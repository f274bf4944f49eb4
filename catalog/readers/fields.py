"""Record fields as the readers see them: their kind, their validation, and a value collector.

Every reader turns what it found into a ``SourceValues`` for the merge. ``Collector`` is the one
place where a value is checked against its record field: a value that fits is kept, one that does
not (date 20220230, latitude 123) is kept as a rejected raw value with a finding, so the merge never
sees it and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import types
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import ConfigDict, TypeAdapter, ValidationError

from catalog.core.file_rules import SEVERAL_VALUES, VALUE_INVALID
from catalog.core.findings import Finding, shorten
from catalog.core.merge import SourcedValue, SourceValues
from catalog.core.record import MAX_TEXT, AssetRecord, Location, Text, field_locations
from catalog.core.release import RELEASE_FIELDS
from catalog.core.rules import Rule

#: Where each record field lives in a file (declared once, on the record model).
LOCATIONS: dict[str, Location] = field_locations()

#: Fields defined as the first item of a list: the DoD guide puts the classification in
#: Supplemental Category #1, the other categories are ordinary ones, so taking the first is no loss.
FIRST_OF_LIST = frozenset({"classification"})

_STRICT = ConfigDict(strict=True, allow_inf_nan=False)


def kind(name: str) -> str:
    """The kind of a record field: text, list, date, datetime or float."""
    return _KINDS[name]


def _kind_of(annotation: Any) -> str:
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is list:
        return "list"
    return {str: "text", dt.date: "date", dt.datetime: "datetime", float: "float"}[annotation]


_KINDS = {name: _kind_of(info.annotation) for name, info in AssetRecord.model_fields.items()}


@cache
def adapter(name: str) -> TypeAdapter:
    """A validator of one record field, with the field's constraints (ranges, lengths)."""
    info = AssetRecord.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, info], config=_STRICT)


def problem(name: str, value: Any, *, mode: str = "strict") -> tuple[Any, str | None]:
    """(validated value, None) or (raw value, why it does not fit the field).

    ``mode``: ``strict`` for values readers built (already of the field's type), ``json`` for
    values from JSON (strict, but dates may be ISO strings, as JSON has no date type), ``text``
    for CSV cells (text converted to the field's type: ``2022-02-15``, ``38.5``).
    """
    try:
        if mode == "json":
            return adapter(name).validate_json(json.dumps(value), strict=True), None
        return adapter(name).validate_python(value, strict=mode == "strict"), None
    except ValidationError as error:
        return value, "; ".join(e["msg"] for e in error.errors(include_url=False))


#: Fields declared exactly ``Text | None``: a string within MAX_TEXT is all they check.
_PLAIN_TEXT_FIELDS = frozenset(
    name
    for name, info in AssetRecord.model_fields.items()
    if info.annotation == (Text | None) and not info.metadata
)


def _plain_text(value: Any) -> bool:
    return type(value) is str and len(value) <= MAX_TEXT


class Collector:
    """Accumulates one source's values, rejected values and findings."""

    def __init__(self, kind: str, label: str, *, invalid: Rule = VALUE_INVALID) -> None:
        self.kind = kind
        self.label = label
        self.invalid = invalid
        self.values: dict[str, Any] = {}
        self.extra: list[SourcedValue] = []
        self.findings: list[Finding] = []

    def put(self, name: str, value: Any, *, where: str, mode: str = "strict") -> None:
        """Keep ``value`` for field ``name`` if it fits, else reject it with a finding."""
        if mode == "strict" and name in _PLAIN_TEXT_FIELDS and _plain_text(value):
            self.values[name] = value  # the common case, decided without pydantic (it is hot)
            return
        checked, error = problem(name, value, mode=mode)
        if error is None:
            self.values[name] = checked
        else:
            self.reject(name, value, error, where=where)

    def put_items(self, name: str, items: list[Any], *, where: str) -> None:
        """Put a list of values: the list for a list field, else the first one (with a finding)."""
        if kind(name) == "list":
            self.put(name, list(items), where=where)
            return
        if not items:  # an empty bag or sequence says nothing
            return
        if len(items) > 1 and name not in FIRST_OF_LIST:
            self.findings.append(
                SEVERAL_VALUES.finding(
                    f"{self.label} {where} holds {len(items)} values for {name}; the first, "
                    f"{shorten(repr(items[0]))}, is used",
                    field=name,
                    source=self.label,
                    values=list(items),
                )
            )
        self.extra.extend(SourcedValue(name, self.label, item) for item in items[1:])
        self.put(name, items[0], where=where)

    def reject(self, name: str, raw: Any, reason: str, *, where: str) -> None:
        self.extra.append(SourcedValue(name, self.label, raw, reason))
        self.findings.append(
            self.invalid.finding(
                f"{self.label} {where}: {shorten(repr(raw))} cannot be used as {name}: {reason}",
                field=name,
                source=self.label,
                value=raw if isinstance(raw, str | int | float | list) else repr(raw),
            )
        )

    def unusable(self, reason: str) -> None:
        """Record that this source could not be used in full: for each release field a value
        with ``reason`` as its error. What the lost part said is unknown, so the release decision
        (``core.release``) fails closed on it, at import and again at publish."""
        self.extra.extend(SourcedValue(name, self.label, None, reason) for name in RELEASE_FIELDS)

    def result(self) -> SourceValues:
        return SourceValues(
            self.kind, self.label, dict(self.values), tuple(self.extra), tuple(self.findings)
        )
