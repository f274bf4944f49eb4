"""The GitHub Actions workflow in README.md, run step by step on a photo repository.

The YAML block is taken from the README itself, so the example users copy is the one tested. Steps
that call GitHub actions (checkout, setup-python, upload-sarif) are GitHub's; the install step must
install this project from the checkout (``pip install .``: already installed here, and no release
is published); every other ``run:`` step is run as
the runner would, with bash, in the repository, with ``GITHUB_ACTIONS=true`` - and with the
runner's rule that after a failed step only ``if: always()`` steps run.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml
from lintfiles import good_image

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


def readme_workflow() -> dict:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL)
    (workflow,) = [yaml.safe_load(b) for b in blocks if "jobs:" in b]
    return workflow


def run_job(steps: list[dict], cwd: Path) -> list[tuple[dict, subprocess.CompletedProcess]]:
    """The ``run:`` steps as the runner runs them; the install step is checked, not run."""
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "PATH": bin_dir + os.pathsep + os.environ["PATH"],
    }
    results = []
    failed = False
    for step in steps:
        if "run" not in step or (failed and step.get("if") != "always()"):
            continue
        if step["run"].startswith("pip install"):
            assert step["run"].split() == ["pip", "install", "."]
            continue
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True
        )
        failed = failed or done.returncode != 0
        results.append((step, done))
    return results


def by_name(results, name: str) -> subprocess.CompletedProcess:
    return next(done for step, done in results if step.get("name") == name)


def test_the_workflow_uses_the_actions_it_needs():
    (job,) = readme_workflow()["jobs"].values()
    uses = [step.get("uses", "").split("@")[0] for step in job["steps"]]
    assert uses[0] == "actions/checkout"
    assert "github/codeql-action/upload-sarif" in uses
    assert job["permissions"]["security-events"] == "write"  # needed to upload SARIF


def test_the_workflow_fails_with_annotations_on_a_bad_photo_and_still_uploads_sarif(tmp_path):
    good_image(tmp_path / "assets" / "photos")
    bad = good_image(
        tmp_path / "assets" / "photos",
        "220215-F-DU706-1242.jpg",
        "-Caption-Abstract=Airmen load cargo, Feb. 14, 2022.",
        virin="220215-F-DU706-1242",
    )
    (job,) = readme_workflow()["jobs"].values()
    results = run_job(job["steps"], tmp_path)

    check = by_name(results, "Check photo metadata")
    assert check.returncode == 1
    assert f"::error file=assets/photos/{bad.name},title=CAP002 " in check.stdout

    sarif_step = by_name(results, "Report for code scanning")
    assert sarif_step.returncode == 0  # ran after the failure, as `if: always()` says
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("github/codeql"))
    document = json.loads((tmp_path / upload["with"]["sarif_file"]).read_text())
    jsonschema.validate(document, SCHEMA)
    assert {r["ruleId"] for r in document["runs"][0]["results"]} >= {"CAP002"}


def test_the_workflow_passes_on_good_photos(tmp_path):
    good_image(tmp_path / "assets" / "photos")
    (job,) = readme_workflow()["jobs"].values()
    results = run_job(job["steps"], tmp_path)
    assert all(done.returncode == 0 for _, done in results)
    assert "::" not in by_name(results, "Check photo metadata").stdout
