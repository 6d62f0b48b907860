"""A run that cannot finish still cleans up and says so: SIGINT or SIGTERM mid-run, and a target
that stops answering, end with the three files marked incomplete, exit 3 and one line."""

import json
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.helpers import ROOT, separate_mock

pytestmark = pytest.mark.slow


def _interrupted_run(tmp_path, sig, *args, after=3.0):
    report = tmp_path / "report"
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance", "run", "--report-dir", str(report), "--seed", "7", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.time() + 60
    while not report.exists() and time.time() < deadline:  # the run has started (a loaded CI machine is slow)
        time.sleep(0.1)
    time.sleep(after)  # tests are running, data exists on the target
    process.send_signal(sig)
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, stdout, stderr, report


@pytest.mark.parametrize("sig,workers", [(signal.SIGINT, "1"), (signal.SIGTERM, "1"), (signal.SIGINT, "2")],
                         ids=["SIGINT", "SIGTERM", "SIGINT-2-workers"])
def test_a_signal_mid_run_cleans_up_and_writes_an_incomplete_report(tmp_path, sig, workers):
    # With workers the signal reaches the controller only: it must have each worker clean up.
    with separate_mock(tmp_path, "--api", "mypreferences") as (target, port):
        code, stdout, stderr, report = _interrupted_run(tmp_path, sig, "--target", str(target), "--workers", workers,
                                                        after=3.0 if workers == "1" else 6.0)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock/state/mypreferences") as response:
            accounts = json.load(response)["accounts"]
    assert code == 3, stdout[-2000:] + stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines == [f"conformance: interrupted ({sig.name})"], stderr
    assert {p.name for p in report.iterdir()} >= {"report.html", "summary.json", "junit.xml"}
    summary = json.loads((report / "summary.json").read_text())
    assert summary["verdict"]["label"] == "INCOMPLETE" and summary["exit_code"] == 3
    assert 'data-verdict="INCOMPLETE"' in (report / "report.html").read_text()
    left = {account: profiles for account, profiles in accounts.items() if profiles}
    assert not left, f"the interrupted run left profiles behind: {left}"
