"""Proof that each check can fail: the mock started with each named fault must be caught,
on the requirement the fault breaks, with the exit code a CI gate reads."""

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


@pytest.mark.parametrize("api,fault", _faults())
def test_fault_is_caught(api, fault, tmp_path):
    # Only the tests of the requirements the fault breaks: the clean mock's full run
    # (test_conformant_mock) shows the rest passes; this keeps ~150 fault runs within CI time.
    only = [arg for rid in fault.breaks for arg in ("--requirement", rid)]
    run = run_suite(tmp_path, "--api", api, "--mock-fault", fault.name, *only)
    statuses = run.status()
    reqs = catalogue.by_id([api])
    for rid in fault.breaks:
        expected = "failed" if reqs[rid].severity == "required" else "warning"
        assert statuses[rid] == expected, f"{fault.name}: {rid} is {statuses[rid]}, expected {expected}"
        assert rid in run.stdout, f"the run's output does not name {rid}"
    gating = any(reqs[rid].severity == "required" for rid in fault.breaks)
    assert run.code == (1 if gating else 0), run.stdout[-2000:] + run.stderr[-2000:]
    assert run.summary["target"]["mock_fault"] == fault.name


def test_every_fault_names_known_requirements():
    for name in registry.all_apis():
        (mock,) = build_mocks([name], None, MockClock())
        known = {r.id for r in catalogue.load(name)}
        for fault in mock.FAULTS.values():
            assert fault.breaks, f"{name}:{fault.name} names no requirement"
            assert set(fault.breaks) <= known, f"{name}:{fault.name}: {set(fault.breaks) - known}"
