"""Configuration: found like ruff's, strict about typos, able to change the code tables."""

from pathlib import Path

import pytest
from shipped import TABLES, TODAY

from catalog.core.findings import Severity
from catalog.core.virin import parse_virin
from catalog.lint.config import ConfigError, find_config, load_config
from catalog.lint.policy import Policy


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_file_the_defaults_apply_and_the_root_is_the_start_folder(tmp_path):
    config = load_config(start=tmp_path)
    assert config.path is None and config.root == tmp_path.resolve()
    assert config.fail_on is Severity.ERROR and config.profile == "default"


def test_the_nearest_file_up_the_tree_is_used_and_its_folder_is_the_root(tmp_path):
    write(tmp_path / "catalog.toml", 'fail-on = "warning"\n')
    nested = tmp_path / "photos" / "2022"
    nested.mkdir(parents=True)
    config = load_config(start=nested)
    assert config.root == tmp_path.resolve() and config.fail_on is Severity.WARNING


def test_catalog_toml_wins_over_pyproject_in_the_same_folder(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.catalog]\nprofile = "dvids"\n')
    write(tmp_path / "catalog.toml", 'profile = "default"\n')
    assert find_config(tmp_path) == tmp_path / "catalog.toml"
    assert load_config(start=tmp_path).profile == "default"


def test_a_pyproject_without_tool_catalog_is_passed_over(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.catalog]\nprofile = "dvids"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    config = load_config(start=tmp_path / "sub")
    assert config.profile == "dvids" and config.path == tmp_path.resolve() / "pyproject.toml"


def test_an_explicit_file_wins_over_the_search(tmp_path):
    write(tmp_path / "catalog.toml", 'profile = "default"\n')
    other = write(tmp_path / "ci" / "strict.toml", 'fail-on = "info"\n')
    assert load_config(other, start=tmp_path).fail_on is Severity.INFO


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('selct = ["VIR"]\n', "unknown key 'selct'"),
        ('fail-on = "warn"\n', "key 'fail-on': 'warn' is not error, warning or info"),
        ("select = 'VIR'\n", "key 'select': must be a list of strings"),
        ('[severity]\nVIR012 = "low"\n', "key 'severity'"),
        ('profile = "dvid"\n', "unknown profile 'dvid'"),
        ("[tables.servics.X]\nmeaning = 'x'\n", "unknown code table(s) in configuration: servics"),
        ("[tables.services.X]\nstatus = 'current'\n", "key 'tables': an entry lacks the field"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_a_mistake_is_an_error_naming_the_file_and_the_key(tmp_path, text, message):
    path = write(tmp_path / "catalog.toml", text)
    with pytest.raises(ConfigError, match=r"catalog\.toml") as error:
        load_config(start=tmp_path)
    assert message in str(error.value) and str(path) in str(error.value)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('select = ["VIX"]\n', "'select'"),
        ('ignore = ["CAP9"]\n', "'ignore'"),
        ('[per-path-ignores]\n"legacy/" = ["NOPE01"]\n', "'per-path-ignores' 'legacy/'"),
        ('[severity]\nXYZ = "info"\n', "'severity'"),
    ],
)
def test_an_unknown_code_is_an_error_naming_where_it_is(tmp_path, text, where):
    write(tmp_path / "catalog.toml", text)
    config = load_config(start=tmp_path)
    with pytest.raises(ConfigError, match="matches no rule code") as error:
        Policy.from_config(config)
    assert where in str(error.value) and "catalog.toml" in str(error.value)


def test_paths_in_the_file_are_relative_to_it(tmp_path):
    write(tmp_path / "catalog.toml", 'baseline = "ci/baseline.json"\n')
    config = load_config(start=tmp_path / ".")
    assert config.baseline == tmp_path.resolve() / "ci" / "baseline.json"


def test_a_unit_that_treats_x_as_official_changes_the_table_not_the_rules(tmp_path):
    write(
        tmp_path / "pyproject.toml",
        '[tool.catalog.tables.services.X]\nmeaning = "Space Force"\nstatus = "current"\n',
    )
    config = load_config(start=tmp_path)
    check = parse_virin("230101-X-AB123-1001", tables=config.tables, today=TODAY)
    assert check.findings == ()
    shipped = parse_virin("230101-X-AB123-1001", tables=TABLES, today=TODAY)
    assert [f.code for f in shipped.findings] == ["VIR005"]


def test_replace_drops_the_shipped_entries_of_a_table(tmp_path):
    write(
        tmp_path / "catalog.toml",
        'tables.replace = ["services"]\n'
        '[tables.services.F]\nmeaning = "Air Force"\nstatus = "current"\n',
    )
    tables = load_config(start=tmp_path).tables
    assert set(tables.services) == {"F"}
