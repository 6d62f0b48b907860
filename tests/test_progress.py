"""Progress a person can follow (issue 14): a line every few seconds in a CI log, nothing in the
output a test reads unless asked, the run's final lines unchanged, no secret and no row id."""

from __future__ import annotations

import io
import re

import pytest

from conformance import catalogue
from conformance.progress import ApiProgress, Progress

from tests.helpers import run_suite

API = "profile-command-legacy"
SECRETS = ("pcl-demo-secret-7f3a9c2e51",)


def _final_lines(run) -> list[str]:
    lines = run.stdout.replace(str(run.report_dir.resolve()), "DIR").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{API}:"))
    return [line for line in lines[start:] if not line.startswith("---") and " in " not in line]


@pytest.mark.slow
def test_ci_log_gets_progress_lines_and_the_same_final_lines(tmp_path):
    quiet = run_suite(tmp_path / "quiet", "--api", API)  # started by a test: progress stays out (auto)
    lines = run_suite(tmp_path / "lines", "--api", API, "--progress", "lines",
                      env={"CONFORMANCE_PROGRESS_INTERVAL": "0.2"})
    assert quiet.code == lines.code == 0, lines.stdout[-2000:] + lines.stderr[-2000:]
    assert "progress:" not in quiet.stdout
    progress = [line for line in lines.stdout.splitlines() if line.startswith("progress:")]
    assert progress, lines.stdout[-2000:]
    assert all(re.match(r"progress: rows \d+/\d+, tests \d+/\d+, ", line) for line in progress), progress
    assert _final_lines(lines) == _final_lines(quiet)
    assert lines.stderr == quiet.stderr
    ids = {row.id for row in catalogue.load(API)}
    text = "\n".join(progress)
    assert not any(rid in text for rid in ids) and "FAILED" not in text and not any(s in text for s in SECRETS)


def test_terminal_block_is_redrawn_in_place_and_erased():
    stream = io.StringIO()
    progress = Progress(stream, "tty")
    entry = progress.apis.setdefault("demo-api", ApiProgress("demo-api", tests=["a", "b"],
                                                              pending_rows={"R-1": {"a"}, "R-2": {"a", "b"}}))
    progress.api_of = {"a": "demo-api", "b": "demo-api"}
    progress.expected = {"a": 1.0, "b": 1.0}
    progress.pytest_runtest_logstart("a", None)
    progress.pytest_runtest_logfinish("a", None)
    assert entry.rows_judged == 1 and entry.rows_total == 2
    progress.last_write = 0.0
    progress.pytest_runtest_logfinish("b", None)
    text = stream.getvalue()
    assert "rows 2/2" in text and "\x1b[2F" in text  # the second drawing went back over the first
    progress.close()
    assert stream.getvalue().endswith("\x1b[2F\x1b[J")
