"""A fault's `breaks` list is true: on a full run of its API, every row the fault makes fail (or
warn) is one it declares. The fast per-row proofs (test_faults.py) cannot see collateral damage.

The gate is what matters: every *failed* row must be declared. An undeclared warning (an
inferred row a fault touches now and then, depending on the generated data) is shown in the
message of a failure but does not fail this check.

A full run per fault costs seconds, so CI runs a rotating share of the faults: share H of 24,
H the hour of the day (UTC), so a day of CI covers every fault. CONFORMANCE_FAULT_SAMPLE=all runs
them all; K/N runs share K of N.
"""

import datetime as dt
import os

import pytest

from conformance import registry
from conformance.mock.base import MockClock
from conformance.mock.server import build_mocks
from tests.helpers import run_suite

pytestmark = pytest.mark.slow
SHARES = 24


def _share() -> tuple[int, int] | None:
    value = os.environ.get("CONFORMANCE_FAULT_SAMPLE", "")
    if value == "all":
        return None
    if "/" in value:
        k, n = value.split("/")
        return int(k) - 1, int(n)
    return dt.datetime.now(dt.timezone.utc).hour % SHARES, SHARES


def _faults():
    every = []
    for name in sorted(registry.all_apis()):
        (mock,) = build_mocks([name], None, MockClock())
        every += [(name, fault) for fault in sorted(mock.FAULTS.values(), key=lambda f: f.name)]
    share = _share()
    chosen = every if share is None else [case for i, case in enumerate(every) if i % share[1] == share[0]]
    return [pytest.param(name, fault, id=f"{name}:{fault.name}") for name, fault in chosen]


@pytest.mark.parametrize("api,fault", _faults())
def test_fault_breaks_nothing_it_does_not_declare(api, fault, tmp_path):
    broken, failed = _full_run(tmp_path / "first", api, fault)
    if failed:
        # Only a failure that repeats is a wrong `breaks` list; one that does not is timing noise.
        broken, again = _full_run(tmp_path / "again", api, fault)
        failed = sorted(set(failed) & set(again))
    assert not failed, f"{api}:{fault.name} also fails {failed} (declares {', '.join(fault.breaks)}; all: {broken})"
    assert broken, f"{api}:{fault.name} broke nothing on a full run"


def _full_run(tmp_path, api, fault):
    run = run_suite(tmp_path, "--api", api, "--mock-fault", fault.name)
    broken = {rid: status for rid, status in run.status().items() if status in ("failed", "warning")}
    failed = sorted(rid for rid, status in broken.items() if status == "failed" and rid not in fault.breaks)
    return broken, failed
