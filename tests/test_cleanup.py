"""Nothing left behind, even on a faulty target (issue 12, item 4).

Runs against a separately started mock whose fault makes it create data the suite did not ask
for (an update turned into a create): the cleanup tracks every identifier a 2xx answer to a
write names that the run did not have before, and items under the run prefix, so the mock is
empty afterwards. Where removal fails, the report names each leftover. Data the run did not
create is never touched.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from tests.helpers import run_suite, separate_mock


def _get(port: int, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return json.load(response)


mock = separate_mock  # a target the suite did not start


def _mp_request(port: int, method: str, path: str, token: str, body=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/mypreferences{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": token, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def _mp_profiles(port: int) -> dict[str, list]:
    return {a: p for a, p in _get(port, "/_mock/state/mypreferences")["accounts"].items() if p}


@pytest.mark.slow
def test_mypreferences_update_turned_create_leaves_no_profile(tmp_path):
    """`mp-update-creates`: generated "update" requests of unknown ProfileIds create profiles
    whose ids come back in 202 receipts; they are deleted with the rest. A profile that was
    there before the run (not the run's) stays."""
    with mock(tmp_path, "--api", "mypreferences", "--fault", "mp-update-creates") as (target, port):
        token = re.search(r'authorization = "([^"]+)"', target.read_text()).group(1)
        account = re.search(r'client_id = "([^"]+)"', target.read_text()).group(1)
        bystander = _mp_request(port, "POST", f"/{account}/Profile", token, {
            "AlternateIds": [{"AlternateIdType": "crm", "AlternateId": "someone-else-0001"}],
            "CustomerName": {"FirstName": "Grace", "LastName": "Hopper"}, "CustomerType": "Retail"})["ProfileId"]
        run = run_suite(tmp_path, "--target", str(target), "--api", "mypreferences")
        left = _mp_profiles(port)
    assert run.code == 1, run.stdout[-3000:] + run.stderr[-2000:]
    assert run.status()["MP-ERR-003"] == "failed"
    assert left == {account: [{"ProfileId": bystander, "AlternateIds": left[account][0]["AlternateIds"]}]}, (
        f"the run left profiles behind (or removed one it did not create): {left}")
    assert "CLEANUP" not in run.stdout, run.stdout[-2000:]


@pytest.mark.slow
def test_mypreferences_leftovers_are_named_in_the_report(tmp_path):
    """`mp-delete-ignored`: DELETE answers 204 and removes nothing. The closing search by the run
    prefix finds the profiles again; the report names each of them."""
    with mock(tmp_path, "--api", "mypreferences", "--fault", "mp-delete-ignored") as (target, port):
        run = run_suite(tmp_path, "--target", str(target), "--api", "mypreferences", "--requirement", "MP-LIFE-002")
        left = _mp_profiles(port)
    assert left, "the fault should have kept profiles"
    problems = " ".join(run.summary["cleanup_problems"])
    ids = {p["ProfileId"] for profiles in left.values() for p in profiles}
    named = {int(i) for i in re.findall(r"/Profile/(\d+) \(still found by the run prefix", problems)}
    assert named == ids, (named, ids, problems)
    html = (run.report_dir / "report.html").read_text()
    assert all(f"/Profile/{i} " in html for i in ids)
    assert "CLEANUP" in run.stdout


@pytest.mark.slow
def test_imiconnect_update_turned_create_leaves_no_customer(tmp_path):
    """`imi-update-unknown-creates`: updates of unknown customers (under the run prefix) create
    them; they are deleted with the rest."""
    with mock(tmp_path, "--api", "imiconnect-profile", "--fault", "imi-update-unknown-creates") as (target, port):
        run = run_suite(tmp_path, "--target", str(target), "--api", "imiconnect-profile")
        state = _get(port, "/_mock/state/imiconnect-profile")
    assert run.code == 1, run.stdout[-3000:] + run.stderr[-2000:]
    assert run.status()["IMI-ERR-008"] == "failed"
    assert not state["customers"] and not state["app_profiles"], f"the run left data behind: {state}"
    assert "CLEANUP" not in run.stdout, run.stdout[-2000:]
