"""Benchmarks (``make bench``): each reports speed as a ratio to a baseline timed in the same run.

The machine is shared and noisy, so absolute times mean little; a ratio to a simple baseline
measured a moment earlier on the same machine does.
"""
