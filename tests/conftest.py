"""Shared test settings: the Hypothesis profiles, the ``fuzz`` marker, the catalogs many tests read.

``make test`` runs every property test with Hypothesis' usual number of examples (100) and no
deadline: the machine is shared and noisy, and a slow example is not a wrong one. ``make fuzz``
runs the tests marked ``fuzz`` - the properties of every parser of untrusted text - under the
``fuzz`` profile (``HYPOTHESIS_PROFILE=fuzz``) with many more examples (``FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os
from pathlib import Path

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


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Path:
    """The bundled sample collection, imported once for every test that only reads it (tests
    that change a catalog change a copy)."""
    from webtools import sample_catalog

    return sample_catalog(tmp_path_factory.mktemp("sample") / "catalog.db")


@pytest.fixture(scope="session")
def leak_source(tmp_path_factory) -> Path:
    """The leak-test catalog (every kind of asset the public catalog must hold back), built once."""
    from webtools import leak_catalog

    return leak_catalog(tmp_path_factory.mktemp("leak"))


@pytest.fixture(scope="module")
def internal(sample):
    """``catalog serve`` of the sample catalog, in-process (``webtools.Client``)."""
    from webtools import Client

    with Client.serving(sample) as client:
        yield client


@pytest.fixture(scope="module")
def public(sample, tmp_path_factory):
    """``catalog serve --public`` of the sample catalog published, in-process."""
    from webtools import Client

    with Client.published(sample, tmp_path_factory.mktemp("public")) as client:
        yield client


@pytest.fixture(scope="module")
def s3():
    """A moto S3 server (``objectstore.moto_server``) with the credentials in the environment;
    yields (endpoint, fsspec fs)."""
    import fsspec
    from objectstore import DUMMY_CREDENTIALS, moto_server

    with pytest.MonkeyPatch.context() as env, moto_server() as endpoint:
        for name, value in DUMMY_CREDENTIALS.items():
            env.setenv(name, value)
        yield endpoint, fsspec.filesystem("s3", endpoint_url=endpoint, skip_instance_cache=True)
