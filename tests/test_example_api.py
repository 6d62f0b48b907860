"""A vendor API in its own installable package (tests/example_api, the example of
docs/ADDING_AN_API.md) is found through the `conformance.apis` entry point and run like the
five built in; a registration that is broken fails loudly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_suite

EXAMPLE = ROOT / "tests" / "example_api"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The example package installed (wheel built by hatchling, no network) into a folder that
    goes on PYTHONPATH: its entry point is seen, nothing of the suite's own venv changes."""
    where = tmp_path_factory.mktemp("example-site")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
         "--target", str(where), str(EXAMPLE)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return where


def test_the_example_api_runs_through_its_entry_point(installed, tmp_path):
    run = run_suite(tmp_path, "--api", "example-greetings", env={"PYTHONPATH": str(installed)})
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert run.status() == {"GREET-LIFE-001": "passed", "GREET-AUTH-001": "passed"}


@pytest.mark.parametrize("fault,row", [("greets-nobody", "GREET-LIFE-001"), ("no-key-served", "GREET-AUTH-001")])
def test_the_example_api_faults_are_caught(installed, tmp_path, fault, row):
    run = run_suite(tmp_path, "--api", "example-greetings", "--mock-fault", fault, env={"PYTHONPATH": str(installed)})
    assert run.code == 1 and run.status()[row] == "failed", run.stdout[-2000:]


def test_an_entry_point_without_apis_fails_loudly(tmp_path):
    dist = tmp_path / "badapi-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: badapi\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[conformance.apis]\nbad = json\n")
    run = run_suite(tmp_path, "--api", "mypreferences", env={"PYTHONPATH": str(tmp_path)})
    assert run.code == 2
    assert run.stderr.strip().splitlines() == [
        "conformance: API entry point 'bad': module json has no APIS (a tuple of conformance.suite.ApiInfo)"]
