"""Coverage-guided fuzzing of the parsers of untrusted text with atheris (libFuzzer for Python).

``make fuzz`` runs the Hypothesis properties marked ``fuzz`` with many examples, then each target
of ``fuzz.targets`` under atheris for a fixed time: ``python -m fuzz TARGET --seconds N``.
"""
