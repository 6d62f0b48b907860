"""What the plugin reads from the markers and the catalogue, proven both ways: a row's `needs:`
skips its test on a target without the ability (and lets it run where declared), and
@after_suite / @disruptive decide the run order, not file names."""

from __future__ import annotations

import pytest

from tests.helpers import run_suite, separate_mock

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "not-declared"])
def test_a_row_that_needs_the_mock_clock_runs_only_where_the_target_declares_it(tmp_path, declared):
    # PCL-AUTH-002 `needs: mock-clock` (its test moves the server's clock) in the catalogue.
    with separate_mock(tmp_path, "--api", "profile-command-legacy") as (target, _):
        if not declared:
            text = target.read_text()
            target.write_text(text.replace('    "mock-clock",\n', ""))
        run = run_suite(tmp_path, "--target", str(target), "--requirement", "PCL-AUTH-002")
    row = next(r for r in run.summary["requirements"] if r["id"] == "PCL-AUTH-002")
    if declared:
        assert row["status"] == "passed", row
    else:
        assert row["status"] == "skipped" and "needs target ability 'mock-clock'" in row["message"], row
        assert run.summary["verdict"]["signable"] is False  # a skipped row blocks sign-off


def test_after_suite_tests_run_last_and_disruptive_ones_before_them(tmp_path):
    run = run_suite(tmp_path, "--api", "imiconnect-profile", "--api", "customer-profile-b2b")
    assert run.code == 0, run.stdout[-2000:]
    order = [t["nodeid"] for t in run.summary["tests"]]  # in the order they ran
    for api_folder, last in (("imiconnect_profile", "test_http_status.py"), ("customer_profile_b2b", "test_token_budget.py")):
        ran = [n for n in order if f"/{api_folder}/" in n]
        tail = [n for n in ran if last in n]
        assert tail and ran[-len(tail):] == tail, ran[-5:]
    b2b = [n for n in order if "/customer_profile_b2b/" in n]
    disruptive = [i for i, n in enumerate(b2b) if "test_limits.py" in n]  # pytestmark = disruptive
    ordinary = [i for i, n in enumerate(b2b) if "test_identity.py" in n]
    assert disruptive and ordinary and max(ordinary) < min(disruptive), b2b
