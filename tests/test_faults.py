"""Proof that each check can fail: the mock started with each named fault must be caught,
on the requirement the fault breaks, with the exit code a CI gate reads."""

import warnings

import pytest

from conformance import catalogue, registry
from conformance.mock.base import MockClock
from conformance.mock.server import build_mocks
from tests.helpers import run_suite

pytestmark = pytest.mark.slow


def _faults():
    cases = []
    for name in sorted(registry.all_apis()):
        (mock,) = build_mocks([name], None, MockClock())
        cases += [pytest.param(name, fault, id=f"{name}:{fault.name}") for fault in mock.FAULTS.values()]
    return cases


def _misses(run, fault, reqs) -> list[str]:
    """How the run differs from what the fault must produce: each broken row failed (a warning
    for an inferred row) and named in the output, and the exit code a CI gate reads."""
    statuses = run.status()
    misses = []
    for rid in fault.breaks:
        expected = "failed" if reqs[rid].severity == "required" else "warning"
        if statuses.get(rid) != expected:
            misses.append(f"{fault.name}: {rid} is {statuses.get(rid)}, expected {expected}\n{run.explain(rid)}")
        elif rid not in run.stdout:
            misses.append(f"the run's output does not name {rid}")
    gating = any(reqs[rid].severity == "required" for rid in fault.breaks)
    if run.code != (1 if gating else 0):
        misses.append(f"exit {run.code}, expected {1 if gating else 0}: " + run.stdout[-2000:] + run.stderr[-2000:])
    if run.summary["target"]["mock_fault"] != fault.name:
        misses.append(f"summary.json names fault {run.summary['target']['mock_fault']!r}")
    return misses


@pytest.mark.parametrize("api,fault", _faults())
def test_fault_is_caught(api, fault, tmp_path):
    # Only the tests of the requirements the fault breaks: the clean mock's full run
    # (test_conformant_mock) shows the rest passes; this keeps ~400 fault runs within CI time.
    only = [arg for rid in fault.breaks for arg in ("--requirement", rid)]
    reqs = catalogue.by_id([api])
    misses = _misses(run_suite(tmp_path / "first", "--api", api, "--mock-fault", fault.name, *only), fault, reqs)
    if misses:
        # Once more: two runs share CI's two cores, and a proof that a load spike (a queued write
        # processed a moment late) bent is not a fault the suite misses. Both runs must miss to
        # fail; a miss that the second run does not repeat stays visible as a warning.
        again = _misses(run_suite(tmp_path / "again", "--api", api, "--mock-fault", fault.name, *only), fault, reqs)
        assert not again, "\n".join(again)
        warnings.warn(f"{api}:{fault.name}: caught on the second run only; the first: " + "\n".join(misses)[:3000])


def test_every_fault_names_known_requirements():
    for name in registry.all_apis():
        (mock,) = build_mocks([name], None, MockClock())
        known = {r.id for r in catalogue.load(name)}
        for fault in mock.FAULTS.values():
            assert fault.breaks, f"{name}:{fault.name} names no requirement"
            assert set(fault.breaks) <= known, f"{name}:{fault.name}: {set(fault.breaks) - known}"
