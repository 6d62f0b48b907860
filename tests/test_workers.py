"""`conformance run --workers N` (issue 14): the run on N pytest-xdist workers has the verdict and
every row of the same run on one, shares one rate limit per API across the processes, and gives
a disruptive test its API to itself."""

from __future__ import annotations

import bisect
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conformance.suite.workers import ApiLock, default_workers
from tests.helpers import run_suite

# Two APIs that exercise what workers change: customer-profile-b2b has property-test modules
# (their own groups), clock-moving disruptive tests and an after-suite token budget;
# profile-command-legacy has a disruptive test that moves its clock a month. The third seed
# runs with a fault, so a failing verdict must come out the same too.
SELECTION = ("--api", "customer-profile-b2b", "--api", "profile-command-legacy")
CASES = [("1", ()), ("2", ()), ("3", ("--mock-fault", "wrong-error-code"))]


def _pairs(run) -> set[tuple[str, str]]:
    return {(row["id"], row["status"]) for row in run.summary["requirements"]}


@pytest.mark.slow
@pytest.mark.parametrize("seed,extra", CASES, ids=[f"seed-{s}" for s, _ in CASES])
def test_four_workers_judge_every_row_as_one_process(seed, extra, tmp_path):
    with ThreadPoolExecutor(2) as pool:
        one, four = (pool.submit(run_suite, tmp_path / f"w{n}", *SELECTION, *extra, "--seed", seed, "--workers", str(n))
                     for n in (1, 4))
        one, four = one.result(), four.result()
    assert one.code in (0, 1), one.stdout[-2000:] + one.stderr[-2000:]
    assert four.code == one.code, four.stdout[-3000:] + four.stderr[-3000:]
    assert four.summary["verdict"]["label"] == one.summary["verdict"]["label"]
    assert _pairs(four) == _pairs(one), sorted(_pairs(four) ^ _pairs(one))
    assert {t["nodeid"] for t in four.summary["tests"]} == {t["nodeid"] for t in one.summary["tests"]}
    assert four.summary["run"]["workers"] == 4 and one.summary["run"]["workers"] == 1
    # Each worker made its data under its own prefix, and the report says how the run was made.
    assert len(four.summary["run"]["data_prefix"].split(", ")) >= 2
    assert "Workers" in (four.report_dir / "report.html").read_text()
    assert (four.report_dir / "junit.xml").is_file()
    if extra:
        assert four.status()["PCL-AUTH-003"] == "failed"


PACED = """
import sys, time
from pathlib import Path
from conformance.pacing import Pacer
pacer = Pacer(40.0, api="profile-command", shared=Path(sys.argv[1]))
stamps = []
for _ in range(30):
    pacer.wait()
    stamps.append(time.time())
print(" ".join(repr(s) for s in stamps))
"""


def test_workers_share_one_rate_limit_per_api(tmp_path):
    # Two processes send through one API's limiter file at 40/s: together, never more than 40
    # in any one-second window (what the target counts), so 60 sends take at least 0.5 s.
    shared = tmp_path / "pacing.sqlite"
    procs = [subprocess.Popen([sys.executable, "-c", PACED, str(shared)], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    stamps = sorted(float(s) for p in procs for s in p.communicate(timeout=60)[0].split())
    assert all(p.returncode == 0 for p in procs)
    assert len(stamps) == 60
    busiest = max(bisect.bisect_left(stamps, t + 1.0) - i for i, t in enumerate(stamps))
    assert busiest <= 40, f"{busiest} sends in one second, over the rate of 40/s"
    assert stamps[-1] - stamps[0] >= 0.5


def test_a_disruptive_test_waits_for_the_apis_other_tests(tmp_path):
    lock = ApiLock(tmp_path)
    holding, released = threading.Event(), threading.Event()
    seen = []

    def ordinary():
        with lock.held("mypreferences", exclusive=False):
            holding.set()
            time.sleep(0.3)
            released.set()

    def disruptive():
        holding.wait(5)
        with lock.held("mypreferences", exclusive=True):
            seen.append(released.is_set())

    def other_api():  # another API's ordinary test is not held up
        holding.wait(5)
        with lock.held("imiconnect-profile", exclusive=True):
            seen.append(("other", released.is_set()))

    threads = [threading.Thread(target=f) for f in (ordinary, disruptive, other_api)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert True in seen, "the disruptive test ran while another test of its API held it"
    assert ("other", False) in seen, "a test of another API waited for this API's lock"


def test_one_worker_on_loopback_more_over_a_network(tmp_path):
    assert default_workers(None, []) == 1
    assert default_workers(None, ["latency-50ms"], cpus=2) == 4
    remote = tmp_path / "t.toml"
    remote.write_text('[apis.mypreferences]\nbase_url = "https://sandbox.example.com/mp"\n'
                      'credentials = { authorization = "x" }\n')
    local = tmp_path / "l.toml"
    local.write_text('[apis.mypreferences]\nbase_url = "http://127.0.0.1:9/mp"\ncredentials = { authorization = "x" }\n')
    assert default_workers(str(local), []) == 1
    assert default_workers(str(remote), [], cpus=2) == 4


def test_shard_and_workers_do_not_combine(tmp_path):
    run = run_suite(tmp_path, "--api", "profile-command-legacy", "--shard", "1/2", "--workers", "2")
    assert run.code == 2
    assert "--shard and --workers" in run.stderr
    assert "Traceback" not in run.stderr


def test_progress_of_a_run_with_workers(tmp_path):
    # The controller collects nothing itself: it learns the tests from the workers' collection
    # and the rows from their reports, and counts them as they finish.
    run = run_suite(tmp_path, "--api", "profile-command-legacy", "--workers", "2", "--progress", "lines",
                    env={"CONFORMANCE_PROGRESS_INTERVAL": "0"})
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    total = len(run.summary["tests"])
    lines = [line for line in run.stdout.splitlines() if line.startswith("progress: rows ")]
    assert lines and f"tests {total}/{total}" in lines[-1], lines[-3:]


def test_moving_one_apis_mock_clock_leaves_the_others():
    # Workers run APIs side by side: a disruptive test that moves its API's clock (token expiry)
    # must not expire another API's tokens mid-test.
    import json
    import urllib.request

    from conformance.mock.server import MockServer

    mock = MockServer(["profile-command", "customer-profile-b2b"]).start()
    try:
        request = urllib.request.Request(f"{mock.base}/_mock/clock", method="POST",
                                         data=json.dumps({"advance": 3600, "api": "profile-command"}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            clocks = json.load(response)
    finally:
        mock.stop()
    assert clocks["profile-command"]["offset"] == 3600
    assert clocks["customer-profile-b2b"]["offset"] == 0


def test_workers_are_bounded(tmp_path):
    run = run_suite(tmp_path, "--api", "profile-command-legacy", "--workers", "100")
    assert run.code == 2 and "--workers must be from 1 to 99" in run.stderr and "Traceback" not in run.stderr


class _Item:
    """What shard.group_keys reads of a pytest item."""

    def __init__(self, nodeid: str, *, prop: bool = False, marker: str | None = None):
        self.nodeid, self.fspath, self._marker = nodeid, nodeid.split("::")[0], marker
        self.obj = type("Test", (), {"is_hypothesis_test": prop})()

    def get_closest_marker(self, name):
        return name if name == self._marker else None


def test_property_tests_of_a_module_of_their_own_are_spread_by_test():
    from conformance.suite.shard import group_keys

    items = [_Item("a/test_contract.py::test_contract[GET /x]", prop=True),
             _Item("a/test_contract.py::test_property_requests_were_served"),
             _Item("a/test_contract_more.py::test_valid[GET /x]", prop=True),
             _Item("a/test_contract_more.py::test_valid[GET /y]", prop=True),
             _Item("a/test_limits.py::test_burst", marker="disruptive"),
             _Item("a/test_errors.py::test_404")]
    keys = group_keys(items, lambda item: "api", property_apart=True)
    # A module whose other tests judge what its property tests saw stays one group.
    assert keys[items[0].nodeid] == keys[items[1].nodeid] == "api::a/test_contract.py"
    # Property tests alone: one group each; the API's other tests stay whole (a disruptive one).
    assert len({keys[items[2].nodeid], keys[items[3].nodeid], keys[items[0].nodeid]}) == 3
    assert keys[items[4].nodeid] == keys[items[5].nodeid] == "api"
    # An API whose processes each cost a token of a daily budget: by module.
    budgeted = group_keys(items, lambda item: "api", property_apart=True, by_module={"api"})
    assert budgeted[items[2].nodeid] == budgeted[items[3].nodeid] == "api::a/test_contract_more.py"
