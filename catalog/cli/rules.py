"""``catalog rules``: list the validation rules, or explain one (like ``ruff rule``).

Each rule shows its lifecycle (``Lifecycle``): stable, preview (runs only when its code is
selected), deprecated (still runs, on its way out) or removed (its code reserved, never runs).
"""

from __future__ import annotations

import json

import click

from catalog.core.rules import Lifecycle, Rule, all_rules, get_rule
from catalog.fix.available import fix_availability

#: What each lifecycle means for whoever selects the rule, in ``catalog rules CODE``.
_LIFECYCLE_NOTES = {
    Lifecycle.STABLE: "runs unless deselected",
    Lifecycle.PREVIEW: "runs only when its code is selected by name, not by ALL or a prefix",
    Lifecycle.DEPRECATED: "still runs unless deselected, and will be removed",
    Lifecycle.REMOVED: "never runs; the code stays reserved",
}


def _rule_dict(rule: Rule) -> dict[str, str]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "lifecycle": rule.lifecycle.value,
        "summary": rule.summary,
        "explanation": rule.explanation,
        "good": rule.good,
        "bad": rule.bad,
        "fix": rule.fix,
        "fixable": _fixable(rule),
    }


def _fixable(rule: Rule) -> str:
    """Whether ``catalog fix`` fixes the rule's findings, and how safely."""
    fix = fix_availability(rule.code)
    return f"{fix.safety}: {fix.what}" if fix else "no: a person fixes it"


def _explain(rule: Rule) -> str:
    return "\n".join(
        [
            f"{rule.code} ({rule.name})",
            f"Default severity: {rule.severity.value}",
            f"Lifecycle: {rule.lifecycle.value} ({_LIFECYCLE_NOTES[rule.lifecycle]})",
            "",
            rule.summary,
            "",
            rule.explanation,
            "",
            f"Good: {rule.good}",
            f"Bad:  {rule.bad}",
            "",
            f"Fix: {rule.fix}",
            f"Fixable by catalog fix: {_fixable(rule)}",
        ]
    )


@click.command("rules")
@click.argument("code", required=False)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def rules_command(code: str | None, as_json: bool) -> None:
    """List every validation rule, or explain the rule CODE.

    \b
    Examples:
      catalog rules
      catalog rules VIR003
      catalog rules --json
    """
    if code:
        try:
            rule = get_rule(code)
        except KeyError:
            raise click.BadParameter(f"no rule has the code {code!r}", param_hint="CODE") from None
        click.echo(json.dumps(_rule_dict(rule), indent=2) if as_json else _explain(rule))
        return
    rules = all_rules()
    if as_json:
        click.echo(json.dumps([_rule_dict(r) for r in rules], indent=2))
        return
    for rule in rules:
        click.echo(
            f"{rule.code}  {rule.severity.value:<7}  {rule.lifecycle.value:<10}  "
            f"{rule.name:<36}  {rule.summary}"
        )
