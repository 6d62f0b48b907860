"""The command line as CI and QA engineers meet it: exit codes, one-line errors, a target the
suite did not start, and no secret in anything a run writes."""

import json
import re
import socket
import urllib.request

import pytest

from conformance import catalogue

from tests.helpers import conformance, run_suite, separate_mock


def _one_line_error(done, code=2):
    assert done.returncode == code, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def test_missing_target_file(tmp_path):
    line = _one_line_error(conformance("run", "--target", str(tmp_path / "missing.toml")))
    assert "target file not found" in line


def test_bad_toml(tmp_path):
    target = tmp_path / "t.toml"
    target.write_text("[apis.profile-command\nbase_url = 1")
    assert "not valid TOML" in _one_line_error(conformance("run", "--target", str(target)))


def test_missing_env_secret(tmp_path):
    target = tmp_path / "t.toml"
    target.write_text(
        '[apis.profile-command]\nbase_url = "http://127.0.0.1:9"\n'
        '[apis.profile-command.credentials]\nclient_id = "x"\nclient_secret = "env:CFX_NOT_SET_ANYWHERE"\n'
        'api_key = "k"\n'
    )
    line = _one_line_error(conformance("run", "--target", str(target)))
    assert "CFX_NOT_SET_ANYWHERE" in line


def test_unreachable_host(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    target = tmp_path / "t.toml"
    target.write_text(
        f'[apis.profile-command-legacy]\nbase_url = "http://127.0.0.1:{port}/x"\n'
        '[apis.profile-command-legacy.credentials]\nclient_id = "x"\nclient_secret = "y"\n'
    )
    assert "cannot reach" in _one_line_error(conformance("run", "--target", str(target)))


def test_production_host_refused(tmp_path):
    target = tmp_path / "t.toml"
    target.write_text(
        '[apis.profile-command]\nbase_url = "https://gateway.richrelevance.com/profile-command/v1"\n'
        '[apis.profile-command.credentials]\nclient_id = "x"\nclient_secret = "y"\napi_key = "k"\n'
    )
    assert "--allow-production" in _one_line_error(conformance("run", "--target", str(target)))


@pytest.mark.parametrize("args", [["run", "--api", "no-such-api"], ["run", "--profile", "slow"], ["frobnicate"],
                                  ["run", "--mock-fault", "no-such-fault", "--api", "profile-command"]])
def test_bad_usage(args):
    _one_line_error(conformance(*args))


_mock = separate_mock  # a target the suite did not start


@pytest.mark.slow
def test_separately_started_mock_passes_and_nothing_secret_is_written(tmp_path):
    with _mock(tmp_path, "--api", "profile-command", "--api", "profile-command-legacy") as (target, port):
        run = run_suite(tmp_path, "--target", str(target))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock/state/profile-command") as response:
            tokens = json.load(response)["tokens"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock/state/profile-command-legacy") as response:
            tokens += json.load(response)["tokens"]
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    assert "report:" in run.stdout
    secrets = set(tokens) | set(re.findall(r'client_secret = "([^"]+)"', target.read_text()))
    assert len(tokens) >= 5 and len(secrets) > len(tokens)
    written = list(run.report_dir.rglob("*")) 
    assert {p.name for p in written} >= {"report.html", "summary.json", "junit.xml"}
    for path in written:
        text = path.read_text(encoding="utf-8", errors="replace")
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{path.name} contains {len(leaked)} secret(s)"
    for secret in secrets:
        assert secret not in run.stdout and secret not in run.stderr


@pytest.mark.slow
def test_separately_started_faulty_mock_fails_naming_the_requirement(tmp_path):
    with _mock(tmp_path, "--api", "profile-command", "--fault", "type-case-insensitive") as (target, _):
        run = run_suite(tmp_path, "--target", str(target), "--api", "profile-command")
    assert run.code == 1
    assert "FAILED PC-ERR-003" in run.stdout


def test_list_faults():
    done = conformance("mock", "--api", "profile-command", "--list-faults")
    assert done.returncode == 0 and "expired-token-accepted" in done.stdout


@pytest.mark.slow
def test_run_against_a_separate_mypreferences_mock_leaves_no_profile_behind(tmp_path):
    with _mock(tmp_path, "--api", "mypreferences") as (target, port):
        run = run_suite(tmp_path, "--target", str(target))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock/state/mypreferences") as response:
            accounts = json.load(response)["accounts"]
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    left = {account: profiles for account, profiles in accounts.items() if profiles}
    assert not left, f"profiles the run created are still there: {left}"
    token = re.search(r'authorization = "([^"]+)"', target.read_text()).group(1)
    for path in run.report_dir.rglob("*"):
        assert token not in path.read_text(encoding="utf-8", errors="replace"), path.name
    assert token not in run.stdout + run.stderr


@pytest.mark.slow
def test_run_against_a_separate_imiconnect_mock_leaves_no_customer_behind(tmp_path):
    with _mock(tmp_path, "--api", "imiconnect-profile") as (target, port):
        run = run_suite(tmp_path, "--target", str(target), "--profile", "full")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock/state/imiconnect-profile") as response:
            state = json.load(response)
    assert run.code == 0, run.stdout[-3000:] + run.stderr
    assert not state["customers"] and not state["app_profiles"], f"the run left data behind: {state}"
    key = re.search(r'key = "([^"]+)"', target.read_text()).group(1)
    for path in run.report_dir.rglob("*"):
        assert key not in path.read_text(encoding="utf-8", errors="replace"), path.name
    assert key not in run.stdout + run.stderr


def test_requirement_selects_its_tests(tmp_path):
    run = run_suite(tmp_path, "--api", "mypreferences", "--requirement", "MP-SRCH-013")
    assert run.code == 0, run.stdout[-2000:]
    tested = {row["id"] for row in run.summary["requirements"] if row["status"] == "passed"}
    assert tested == {"MP-SRCH-013"}
    assert "no such requirement" in _one_line_error(
        conformance("run", "--api", "mypreferences", "--requirement", "MP-NOPE"))


def test_property_tests_that_only_saw_refusals_do_not_pass(tmp_path):
    # A key the target does not take: every generated request is refused (7001), every
    # contract check would hold vacuously. The contract rows must not read "passed".
    with _mock(tmp_path, "--api", "imiconnect-profile") as (target, _):
        text = target.read_text()
        target.write_text(re.sub(r'key = "[^"]+"', 'key = "not-the-demo-key-0000"', text))
        run = run_suite(tmp_path, "--target", str(target), "--requirement", "IMI-CON-002")
    statuses = run.status()
    expected = "failed" if catalogue.by_id(["imiconnect-profile"])["IMI-CON-002"].severity == "required" else "warning"
    assert statuses["IMI-CON-002"] == expected, statuses
    assert "verified nothing" in run.stdout


def test_docs_folder_that_does_not_exist_is_a_usage_error(tmp_path):
    line = _one_line_error(conformance("run", "--api", "profile-command", "--docs", str(tmp_path / "nowhere")))
    assert "vendor docs folder not found" in line


def test_target_file_names_the_docs_folder_relative_to_itself(tmp_path):
    from conformance import target

    (tmp_path / "docs").mkdir()
    path = tmp_path / "t.toml"
    path.write_text('[target]\nname = "x"\ndocs = "docs"\n[apis.profile-command-legacy]\nbase_url = "http://127.0.0.1:9"\n'
                    '[apis.profile-command-legacy.credentials]\nclient_id = "a"\nclient_secret = "b"\n')
    assert target.load(path).docs == str(tmp_path / "docs")


def test_max_examples_caps_the_generated_examples_and_the_report_says_so(tmp_path):
    """`--max-examples N`, a smoke run: fewer generated requests, the cap in summary.json and
    report.html."""
    capped = run_suite(tmp_path / "capped", "--api", "profile-command-legacy", "--category", "contract",
                       "--max-examples", "2")
    plain = run_suite(tmp_path / "plain", "--api", "profile-command-legacy", "--category", "contract")
    assert capped.code == 0 and plain.code == 0, capped.stdout[-1500:]
    assert capped.summary["run"]["max_examples"] == 2 and plain.summary["run"]["max_examples"] is None
    assert capped.summary["apis"][0]["requests_sent"] < plain.summary["apis"][0]["requests_sent"]
    assert "at most 2 generated examples per operation" in (capped.report_dir / "report.html").read_text()


def test_max_examples_below_one_is_a_usage_error(tmp_path):
    run = run_suite(tmp_path, "--api", "profile-command-legacy", "--max-examples", "0")
    assert run.code == 2 and run.stderr.strip().splitlines() == ["conformance: --max-examples must be at least 1"]
