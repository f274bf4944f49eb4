"""``python -m accuracy [CORPUS]``: print the accuracy table and the misses; exit 1 below target."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from accuracy.score import CREDIT_FIELDS, RecordScore, read_corpus, score_record
from catalog.schemas import default_tables

#: Issue 15's targets.
CREDIT_TARGET = 0.97
CAPTION_DATE_TARGET = 0.97


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accuracy", description=__doc__)
    parser.add_argument("corpus", type=Path, nargs="?", default=Path("../shared/corpus"))
    args = parser.parse_args(argv)
    if not (args.corpus / "records.jsonl").is_file():
        parser.error(f"{args.corpus}: no records.jsonl (give the corpus folder)")
    tables = default_tables()
    scores = [score_record(i, r, tables=tables) for i, r in enumerate(read_corpus(args.corpus))]
    lines, passed = report(scores)
    print("\n".join(lines))
    return 0 if passed else 1


def report(scores: list[RecordScore]) -> tuple[list[str], bool]:
    """The table, the misses and the verdict against each target."""
    lines = [f"{'field':<22}{'right':>7}{'unsure':>8}{'of':>5}{'share':>9}"]
    for name in CREDIT_FIELDS:
        verdicts = [s.credit_fields[name] for s in scores if name in s.credit_fields]
        lines.append(_row(f"credit.{name}", verdicts))
    dates = [s.caption_date for s in scores if s.caption_date]
    lines.append(_row("caption_date", dates))
    credited = [s.credit_all_right for s in scores if s.credit_all_right is not None]
    credit_share = sum(credited) / len(credited) if credited else 1.0
    date_share = dates.count("ok") / len(dates) if dates else 1.0
    released = [s for s in scores if s.release_expected]
    missed_releases = [s.index for s in released if not s.release_found]
    unparseable = [s.index for s in scores if s.person_unparseable]
    false_errors = [s for s in scores if s.false_errors]
    checks = [
        (f"credits with every field right: {credit_share:.1%}", credit_share >= CREDIT_TARGET),
        (f"caption dates right: {date_share:.1%}", date_share >= CAPTION_DATE_TARGET),
        (
            f"release markers recognised: {len(released) - len(missed_releases)} of "
            f"{len(released)}",
            not missed_releases,
        ),
        (f"credits naming a person reported unparseable: {len(unparseable)}", not unparseable),
        (f"records with an error the corpus marks fine: {len(false_errors)}", not false_errors),
    ]
    lines += ["", *(f"{'ok  ' if ok else 'FAIL'} {text}" for text, ok in checks)]
    misses = [m for s in scores for m in s.misses]
    if misses:
        lines += ["", "misses (record, field: expected / got, text):"]
        lines += [f"  #{m.index} {m.field}: {m.expected!r} / {m.got!r}  {m.text!r}" for m in misses]
    if false_errors:
        lines += ["", "error-level findings on parts the corpus marks fine:"]
        lines += [f"  #{s.index} {error}" for s in false_errors for error in s.false_errors]
    return lines, all(ok for _, ok in checks)


def _row(label: str, verdicts: list[str]) -> str:
    right, unsure = verdicts.count("ok"), verdicts.count("unsure")
    share = (right + unsure) / len(verdicts) if verdicts else 1.0
    return f"{label:<22}{right:>7}{unsure:>8}{len(verdicts):>5}{share:>9.1%}"


if __name__ == "__main__":
    sys.exit(main())
