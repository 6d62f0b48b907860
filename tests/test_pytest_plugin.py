"""The suite as a plain pytest plugin: the same tests, fixtures and reports as `conformance run`,
selected with pytest's own means (every catalogue category is a marker)."""

import json
import subprocess
import sys

import pytest

from tests.helpers import run_suite, separate_mock

JUDGED = ("passed", "failed", "warning", "waived", "skipped", "not_applicable", "error")


def _pytest(cwd, *args):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          capture_output=True, text=True, timeout=600, cwd=cwd)


@pytest.mark.slow
def test_pytest_m_limits_against_a_target_file_judges_only_the_limits_rows(tmp_path):
    with separate_mock(tmp_path, "--api", "profile-command") as (target, _):
        done = _pytest(tmp_path, "--conformance-target", str(target), "-m", "limits",
                       "--conformance-report-dir", str(tmp_path / "report"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert {p.name for p in (tmp_path / "report").iterdir()} >= {"report.html", "summary.json", "junit.xml"}
    summary = json.loads((tmp_path / "report" / "summary.json").read_text())
    judged = {r["id"]: r["category"] for r in summary["requirements"] if r["status"] in JUDGED}
    assert judged and set(judged.values()) == {"limits"}, judged
    others = {r["status"] for r in summary["requirements"] if r["category"] != "limits"}
    assert others <= {"not_selected", "untestable"}, others
    assert summary["run"]["selection"]["markers"] == "limits"
    assert summary["verdict"]["signable"] is False  # a partial run is never a sign-off
    assert "verdict: PASSED" in done.stdout


def test_category_option_of_the_command_is_the_same_selection(tmp_path):
    run = run_suite(tmp_path, "--api", "profile-command-legacy", "--category", "auth")
    assert run.code == 0, run.stdout[-2000:]
    judged = {r["category"] for r in run.summary["requirements"] if r["status"] in JUDGED}
    assert judged == {"auth"}
    assert run.summary["verdict"]["label"] == "PASSED, PARTIAL RUN"


def test_a_suite_given_by_module_name_runs_against_the_embedded_mock(tmp_path):
    done = _pytest(tmp_path, "--pyargs", "conformance.apis.profile_command.suite.legacy",
                   "--conformance-target", "mock", "-m", "auth", "--conformance-report-dir", str(tmp_path / "r"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert [api["name"] for api in summary["apis"]] == ["profile-command-legacy"]


def test_installed_plugin_stays_out_of_other_test_runs(tmp_path):
    (tmp_path / "test_other.py").write_text("def test_nothing_to_do_with_conformance():\n    assert True\n")
    done = _pytest(tmp_path, "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "verdict" not in done.stdout and not (tmp_path / "reports").exists()


def test_bad_plugin_option_is_one_usage_error(tmp_path):
    done = _pytest(tmp_path, "--conformance-target", str(tmp_path / "missing.toml"))
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert "target file not found" in done.stderr and "Traceback" not in done.stderr
