"""The JSON Schemas in ``schemas/`` are generated from the models and accept what the catalog does.

The committed files are compared with a fresh generation, so a model change without
``make schemas`` fails here; the sample documents are validated with the Draft 2020-12 validator
of ``jsonschema``, the library other tools would use.
"""

import json
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from shipped import TABLES, TODAY

from catalog.core.virin import parse_virin
from catalog.schema_export import SCHEMA_BASE, generated_schemas, main, write_schemas
from catalog.schemas import schemas_dir

SCHEMA_FILES = ["record.schema.json", "virin.schema.json"]


def committed(name):
    return json.loads((schemas_dir() / name).read_text(encoding="utf-8"))


def validator(name):
    return Draft202012Validator(committed(name))


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_committed_schemas_are_what_the_models_generate(tmp_path, name):
    write_schemas(tmp_path)
    fresh = (tmp_path / name).read_text(encoding="utf-8")
    assert (schemas_dir() / name).read_text(encoding="utf-8") == fresh, (
        f"schemas/{name} is stale: run `make schemas` and commit the result"
    )


def test_the_export_command_writes_every_schema(tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, [str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == SCHEMA_FILES
    assert set(generated_schemas()) == set(SCHEMA_FILES)


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_schemas_are_draft_2020_12_with_a_stable_id(name):
    schema = committed(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_BASE + name
    text = (schemas_dir() / name).read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert list(schema) == sorted(schema)  # sorted keys: diffs show only real changes


# -- the VIRIN schema -------------------------------------------------------------------------

VALID_REFERENCE = [
    "220215-F-DU706-1241",
    "180515-O-AB123-1001-BE",
    "180515-A-A0987-1001",
    "200229-D-XY123-1001",
    "220224-F-FW957-2001Y",
    "160414-N-YW238-031A",
    "210311-D-PA656-0001",
    "060515-M-1234S-001",
    "230101-X-AB123-1001",
]
INVALID_REFERENCE = [
    "060515-M-ZZ999-1001",
    "220230-F-DU706-1241",
    "220215-P-JD123-1001",
    "20220215-F-DU706-1241",
    "220215-F-DU706-12410",
    "220215-F-DU706-1241-USA",
    "220215_F_DU706_1241",
]


@pytest.mark.parametrize("virin", VALID_REFERENCE)
def test_valid_reference_virins_pass_the_virin_schema(virin):
    assert list(validator("virin.schema.json").iter_errors(virin)) == []


@pytest.mark.parametrize(
    "virin",
    [
        *INVALID_REFERENCE,
        "",
        "220215-F-DU706-0000",
        "180515-O-AB123-1001-UK",
        "230229-F-AB123-1001",
    ],
)
def test_invalid_virins_fail_the_virin_schema(virin):
    assert not validator("virin.schema.json").is_valid(virin)


def test_the_schema_describes_the_canonical_upper_case_form():
    assert not validator("virin.schema.json").is_valid("220215-f-du706-1241")


near_virins = st.from_regex(
    r"[0-9]{6}-[A-Z0-9]-[A-Z0-9]{5}-[0-9]{3,4}[A-Z]?(-[A-Z0-9]{2,3}){0,2}", fullmatch=True
)
upper_text = st.text(string.ascii_uppercase + string.digits + "-", max_size=30)


@given(st.one_of(near_virins, upper_text))
def test_the_virin_schema_accepts_exactly_what_the_parser_accepts(text):
    """For upper-case text, schema-valid and "no error finding" are the same verdict."""
    assert (
        validator("virin.schema.json").is_valid(text)
        == parse_virin(text, tables=TABLES, today=TODAY).ok
    )


# -- the record schema ------------------------------------------------------------------------

GOOD_RECORD = {
    "virin": "220215-F-DU706-1241",
    "title": "Loading Cargo",
    "caption": "Airmen load security assistance cargo for Ukraine aboard a C-17 Globemaster III "
    "at Travis Air Force Base, Calif., Feb. 14, 2022.",
    "credit": "U.S. Air Force photo by Senior Airman Karla Parra",
    "photographer": "SrA Karla Parra",
    "date_created": "2022-02-15",
    "keywords": ["C-17", "Ukraine", "cargo"],
    "city": "Travis Air Force Base",
    "state": "California",
    "country_code": "USA",
    "country": "United States",
    "release_instructions": "Released",
    "classification": "Unclassified",
    "gps_latitude": 38.26,
    "gps_longitude": -121.93,
}


def test_a_good_record_passes_the_record_schema():
    assert list(validator("record.schema.json").iter_errors(GOOD_RECORD)) == []


def test_an_empty_record_passes_because_every_field_is_optional():
    assert validator("record.schema.json").is_valid({})


@pytest.mark.parametrize(
    "change",
    [
        {"photographer_name": "Karla Parra"},  # unknown field
        {"gps_latitude": 91},
        {"gps_longitude": -180.5},
        {"keywords": "C-17"},  # not a list
        {"virin": 220215},
    ],
)
def test_a_bad_record_fails_the_record_schema(change):
    assert not validator("record.schema.json").is_valid({**GOOD_RECORD, **change})
