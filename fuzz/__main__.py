"""``python -m fuzz TARGET [--seconds N]``: fuzz one parser with atheris for N seconds.

Prints libFuzzer's statistics; exit status 0 when the time ran out without a crash, non-zero with
the crashing input written to ``fuzz-out/crash-TARGET-*`` otherwise. The corpus starts from the
sample collection's files of the target's kind and grows in ``fuzz-out/corpus/TARGET``, where
the next run picks it up.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import atheris

OUT = Path("fuzz-out")
ASSETS = Path(__file__).resolve().parent.parent / "assets"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    parser.add_argument("target")
    parser.add_argument("--seconds", type=int, default=60, help="how long to fuzz")
    args = parser.parse_args()
    from fuzz.targets import SEEDS, TARGETS

    atheris.instrument_all()  # every Python function loaded: the catalog and what it calls
    if args.target not in TARGETS:
        parser.error(f"unknown target {args.target!r} (known: {', '.join(TARGETS)})")
    corpus = OUT / "corpus" / args.target
    corpus.mkdir(parents=True, exist_ok=True)
    for pattern in SEEDS.get(args.target, ()):
        for seed in ASSETS.glob(pattern):
            shutil.copyfile(seed, corpus / f"seed-{seed.name}")
    atheris.Setup(
        [
            sys.argv[0],
            str(corpus),
            f"-max_total_time={args.seconds}",
            f"-artifact_prefix={OUT}/crash-{args.target}-",
            "-timeout=10",
            "-rss_limit_mb=2048",
            "-print_final_stats=1",
        ],
        TARGETS[args.target],
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
