"""Proof that the suite raises no false alarm: the mock playing each doc-allowed variant (a
behaviour a vendor's doc leaves free: HTTP 200 for every IMIconnect result, a 404 for a search
with no match, a 422 for a rejected command, 50 ms of latency, gzip, ...) must pass. The mirror
of test_faults.py: exit 0, no failed or erroring row, and a warning only on the inferred rows
(the spec's own assumptions) the variant declares it touches."""

import pytest

from conformance import registry
from conformance.mock.base import SHARED_VARIANTS, latency_of
from conformance.mock.server import build_mocks, known_variants
from conformance.mock.base import MockClock
from tests.helpers import conformance, run_suite

pytestmark = pytest.mark.slow

# The API an HTTP-level variant (every API may show it) is run against: Profile Command, whose
# rate-limit rows are the ones latency endangers (PC-LIM-002/003/004 must be judged, not skipped).
SHARED_ON = "profile-command"


def _variants():
    cases = []
    for name in sorted(registry.all_apis()):
        (mock,) = build_mocks([name], None, MockClock())
        cases += [pytest.param(name, v, id=f"{name}:{v.name}") for v in mock.VARIANTS.values()]
    cases += [pytest.param(SHARED_ON, v, id=f"{SHARED_ON}:{v.name}") for v in SHARED_VARIANTS.values()]
    return cases


@pytest.mark.parametrize("api,variant", _variants())
def test_variant_passes(api, variant, tmp_path):
    run = run_suite(tmp_path, "--api", api, "--mock-variant", variant.name)
    rows = run.summary["requirements"]
    failed = [f"{r['id']} {r['status']}: {r.get('message', '')[:300]}" for r in rows if r["status"] in ("failed", "error")]
    assert not failed, f"{variant.name} ({variant.allowed_by}) fails rows:\n" + "\n".join(failed)
    warned = {r["id"] for r in rows if r["status"] == "warning"}
    assert warned <= set(variant.touches), (
        f"{variant.name} warns on {sorted(warned - set(variant.touches))}, it declares only {variant.touches}")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    if latency_of({variant.name}) and api == "profile-command":
        status = run.status()
        for rid in ("PC-LIM-002", "PC-LIM-003", "PC-LIM-004"):
            assert status[rid] == "passed", f"{rid} is {status[rid]} over a slow link"


def test_every_variant_cites_what_allows_it():
    for name in registry.all_apis():
        (mock,) = build_mocks([name], None, MockClock())
        for variant in known_variants([mock]).values():
            assert variant.allowed_by.strip(), f"{variant.name} cites nothing that allows it"
            assert variant.api in ("*", name), f"{variant.name} belongs to {variant.api}, served by {name}"
            assert variant.name not in mock.FAULTS, f"{variant.name} is also a fault"


def test_list_variants_and_unknown_variant():
    done = conformance("mock", "--list-variants")
    assert done.returncode == 0, done.stderr
    for variant in ("imi-all-200", "mp-search-404-no-match", "pc-422-rejected-command", "latency-50ms"):
        assert variant in done.stdout
    done = conformance("run", "--api", "imiconnect-profile", "--mock-variant", "mp-search-404-no-match")
    assert done.returncode == 2 and "unknown variant" in done.stderr
