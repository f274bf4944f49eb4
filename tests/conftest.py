"""Shared test settings: the Hypothesis profiles and the ``fuzz`` marker.

``make test`` runs every property test with Hypothesis' usual number of examples (100) and no
deadline: the machine is shared and noisy, and a slow example is not a wrong one. ``make fuzz``
runs the tests marked ``fuzz`` - the properties of every parser of untrusted text - under the
``fuzz`` profile (``HYPOTHESIS_PROFILE=fuzz``) with many more examples (``FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("test", deadline=None)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "5000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "test"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fuzz: a property of a parser of untrusted text; make fuzz runs it at length"
    )
