"""``python -m accuracy [CORPUS]``: the credit and caption parsers against a corpus of real records.

Unlike ``bench`` (speed) this measures whether the parsers read what DoD desks publish: each record
of ``CORPUS/records.jsonl`` carries a hand-made expected answer (see the corpus README), and the
targets of issue 15 decide the exit status. Not part of ``make test``: the corpus lives outside the
repository and other corpora in the same format can be measured the same way.
"""
