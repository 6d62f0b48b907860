"""The forked `conformance run` of tests/forkserver.py stands in for a fresh interpreter: the same
arguments give the same rows, exit code and output, and the child gets the caller's environment."""

import pytest

from tests.helpers import conformance, run_suite

pytestmark = pytest.mark.slow

ARGS = ("--api", "profile-command", "--mock-fault", "query-token-ignored", "--requirement", "PC-AUTH-002",
        "--requirement", "PC-AUTH-003")


def _verdict(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith(("verdict:", "FAILED", "PASSED"))]


def test_a_forked_run_is_a_fresh_run(tmp_path, monkeypatch):
    forked = run_suite(tmp_path / "forked", *ARGS)
    monkeypatch.setenv("CONFORMANCE_TEST_FORK", "0")
    fresh = run_suite(tmp_path / "fresh", *ARGS)
    assert forked.code == fresh.code == 1
    assert forked.status() == fresh.status()
    assert _verdict(forked.stdout) == _verdict(fresh.stdout) != []


def test_a_forked_run_reads_the_callers_environment(tmp_path):
    done = conformance("run", "--api", "profile-command", "--report-dir", str(tmp_path),
                       env={"CONFORMANCE_DOCS": str(tmp_path / "nowhere")})
    assert done.returncode == 2
    assert "nowhere" in done.stderr and "Traceback" not in done.stderr
