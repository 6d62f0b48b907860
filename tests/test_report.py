"""What the run's three users get: the sign-off report (checked in headless Chromium), the
CI gate (exit codes, waivers, junit) and vendor-upgrade verification (diff, compare)."""

import contextlib
import json
import shutil
import socket
import threading
import xml.etree.ElementTree as ET
from html import escape
from pathlib import Path

import pytest

from conformance import catalogue
from tests import vendor_docs
from tests.helpers import conformance, run_suite

# A defect that fails a stated row: "optOut is the only value" (001 L59), compared ignoring case.
FAILING_FAULT, FAILING_ROW = "type-case-insensitive", "PC-ERR-003"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory):
    """The current edition against a mock with a defect that fails a stated row."""
    return run_suite(tmp_path_factory.mktemp("failing"), "--api", "profile-command", "--mock-fault", FAILING_FAULT)


@contextlib.contextmanager
def _browser_page(report: Path):
    """report.html in headless Chromium, offline: every request but file:// is refused."""
    from playwright.sync_api import sync_playwright

    errors = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
        page.goto(report.as_uri())
        page.wait_for_selector("#verdict")
        try:
            yield page
        finally:
            browser.close()
    assert not errors, errors


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_failing_report_renders_in_headless_chromium(failing_run, tmp_path):
    assert failing_run.code == 1
    with _browser_page(failing_run.report_dir / "report.html") as page:
        verdict = page.locator("#verdict").inner_text()
        matrix = page.locator("#matrix").inner_text()
        row = page.locator(f"#req-{FAILING_ROW}")
        row.locator("details summary").last.click()
        row_text = row.inner_text()
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert "FAILED" in verdict
    assert "opt-out" in matrix and "auth" in matrix
    assert "failed" in row_text and "type 'OptOut' -> 200" in row_text
    assert "Bearer ***" in row_text and "curl" in row_text  # redacted evidence with a reproduction
    assert (tmp_path / "report.png").stat().st_size > 10_000


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_report_quotes_the_vendor_doc_under_each_requirement(tmp_path):
    docs = vendor_docs.folder()  # skips, saying how to point at the docs, when they are not given
    run = run_suite(tmp_path, "--api", "profile-command", "--docs", str(docs), "--requirement", "PC-AUTH-003")
    assert run.code == 0, run.stdout[-2000:]
    with _browser_page(run.report_dir / "report.html") as page:
        row = page.locator("#req-PC-AUTH-003")
        for summary in row.locator("details.quote summary").all():
            summary.click()  # long citations are collapsed blocks
        text = row.inner_text()
    assert "equivalent to 28,800 seconds" in text  # 001 L13, verbatim
    (row,) = [r for r in run.summary["requirements"] if r["id"] == "PC-AUTH-003"]
    assert any("28,800 seconds" in q["text"] for q in row["doc_excerpt"])
    # Only cited lines reach the report, never a whole doc.
    html = (run.report_dir / "report.html").read_text()
    cited = {line for r in run.summary["requirements"] for q in r["doc_excerpt"] for line in q["text"].split("\n")}
    doc = vendor_docs.lines("001_b97213f4390f862f.txt")
    shown = {line for line in doc if len(line) > 40 and escape(line) in html}
    assert shown and shown <= cited, shown - cited
    # The doc map's figures: how much of the doc is normative, tested, or dispositioned none.
    (api,) = run.summary["apis"]
    coverage = api["doc_coverage"]
    assert coverage["lines"] == sum(1 for line in doc if line.strip())
    assert coverage["lines"] == coverage["normative"] + coverage["none"] and 0 < coverage["tested"] <= coverage["normative"]
    assert 'id="doc-coverage"' in html


def test_without_docs_the_report_says_where_quotes_come_from(tmp_path):
    run = run_suite(tmp_path, "--api", "profile-command", "--requirement", "PC-AUTH-003",
                    env={"CONFORMANCE_DOCS": ""})
    assert run.code == 0, run.stdout[-2000:]
    html = (run.report_dir / "report.html").read_text()
    assert 'id="docs-hint"' in html and "--docs DIR" in html
    assert all(r["doc_excerpt"] is None for r in run.summary["requirements"])


def test_report_is_self_contained_and_lists_ambiguities(failing_run):
    html = (failing_run.report_dir / "report.html").read_text()
    assert "<script src=" not in html and "<link href=" not in html  # opens offline
    assert 'id="doc-notes"' in html and "a comma is missing" in html  # 001 L33 sample is not JSON
    summary = failing_run.summary
    assert summary["doc_notes"] and all(n["note"] for n in summary["doc_notes"])
    for key in ("started", "finished", "seed", "profile", "ran_by"):
        assert summary["run"][key]
    assert all(len(api["spec_sha256"]) == 64 for api in summary["apis"])


def test_junit_has_one_case_per_requirement(failing_run):
    root = ET.parse(failing_run.report_dir / "junit.xml").getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == len(catalogue.load("profile-command"))
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert any(name.startswith(FAILING_ROW) for name in failed)


def _waivers(tmp_path, expires):
    path = tmp_path / "waivers.toml"
    path.write_text(
        f'[[waiver]]\nid = "{FAILING_ROW}"\nreason = "vendor ticket 123"\nexpires = {expires}\n'
        f'[[waiver]]\nid = "PC-LIM-002"\nreason = "not failing: reported unused"\nexpires = 2999-01-01\n'
    )
    return path


@pytest.mark.slow
def test_unexpired_waiver_keeps_the_gate_green(tmp_path):
    run = run_suite(tmp_path, "--api", "profile-command", "--mock-fault", FAILING_FAULT,
                    "--waivers", str(_waivers(tmp_path, "2999-12-31")))
    assert run.code == 0, run.stdout[-2000:]
    assert run.status()[FAILING_ROW] == "waived"
    assert run.summary["waivers"]["unused"] == ["PC-LIM-002"]


@pytest.mark.slow
def test_expired_waiver_fails_the_gate(tmp_path):
    run = run_suite(tmp_path, "--api", "profile-command", "--mock-fault", FAILING_FAULT,
                    "--waivers", str(_waivers(tmp_path, "2000-01-01")))
    assert run.code == 1
    row = next(r for r in run.summary["requirements"] if r["id"] == FAILING_ROW)
    assert row["status"] == "failed" and "waiver expired on 2000-01-01" in row["message"]
    assert run.summary["waivers"]["expired"] == [FAILING_ROW]


def test_bad_waiver_file_is_a_usage_error(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text('[[waiver]]\nid = "PC-OPT-003"\n')
    done = conformance("run", "--api", "profile-command", "--waivers", str(path))
    assert done.returncode == 2 and "needs id, reason and expires" in done.stderr


def test_diff_of_the_two_editions_lists_every_documented_difference():
    done = conformance("diff", "specs/profile-command-legacy.yaml", "specs/profile-command.yaml", "--format", "json")
    assert done.returncode == 1
    result = json.loads(done.stdout)
    text = "\n".join(f"{c['breaking']} {c['where']}: {c['message']}" for c in result["changes"])
    expected = [
        ("True", "operation moved to PUT /{apiKey}/optOut/{userId}"),  # apiKey path segment (001 L49)
        ("True", "path parameter apiKey: required parameter added"),
        ("True", "x-reversible changed: True -> False"),
        ("True", "x-token-lifetime changed: 'until revoked' -> 28800"),  # TTL (001 L13)
        ("True", "x-token-scope added: 'environment'"),  # per-environment tokens (001 L22)
        ("True", "x-rate-limit added"),  # 100 updates/s (001 L84)
        ("False", "response 429: status code added"),  # 429 (001 L75)
        ("False", "field expires_in: required field added"),  # expires_in (001 L33-L34)
        ("False", "query parameter grant_type: optional parameter added"),  # query-string token (001 L24)
        ("False", "info.title"),  # RichRelevance -> Algonomy
    ]
    for breaking, fragment in expected:
        assert any(line.startswith(breaking) and fragment in line for line in text.splitlines()), fragment
    same = conformance("diff", "specs/profile-command.yaml", "specs/profile-command.yaml")
    assert same.returncode == 0 and "0 breaking, 0 non-breaking" in same.stdout


@pytest.mark.slow
def test_current_suite_against_the_legacy_mock_and_compare(tmp_path):
    clean = run_suite(tmp_path / "a", "--api", "profile-command")
    upgraded = run_suite(tmp_path / "b", "--api", "profile-command",
                         "--serve-edition", "profile-command=profile-command-legacy",
                         "--baseline", str(clean.report_dir / "summary.json"))
    assert clean.code == 0 and upgraded.code == 1
    statuses = upgraded.status()
    for rid in ("PC-AUTH-003", "PC-OPT-001", "PC-VER-001", "PC-LIM-002"):
        assert statuses[rid] == "failed", rid
    assert upgraded.summary["baseline"]["regression"]
    assert 'id="baseline"' in (upgraded.report_dir / "report.html").read_text()
    regress = conformance("compare", str(clean.report_dir / "summary.json"), str(upgraded.report_dir / "summary.json"))
    assert regress.returncode == 1 and "PC-OPT-001 (profile-command): passed -> failed" in regress.stdout
    recover = conformance("compare", str(upgraded.report_dir / "summary.json"), str(clean.report_dir / "summary.json"))
    assert recover.returncode == 0 and "Newly passing" in recover.stdout


def test_no_test_executed_is_incomplete(tmp_path):
    run = run_suite(tmp_path, "--api", "profile-command", "-k", "no_test_has_this_name")
    assert run.code == 3
    assert run.summary["verdict"]["label"] == "INCOMPLETE"


@pytest.mark.slow
def test_target_that_stops_answering_is_incomplete(tmp_path):
    """Accepts connections (the pre-flight check passes) but drops every request."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    stop = threading.Event()

    def drop():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=drop, daemon=True)
    thread.start()
    target = tmp_path / "t.toml"
    target.write_text(
        f'[apis.profile-command-legacy]\nbase_url = "http://127.0.0.1:{port}/x"\n'
        '[apis.profile-command-legacy.credentials]\nclient_id = "x-client-id"\nclient_secret = "x-client-secret"\n'
    )
    try:
        run = run_suite(tmp_path, "--target", str(target))
    finally:
        stop.set()
        thread.join()
        server.close()
    assert run.code == 3, run.stdout[-2000:] + run.stderr[-1000:]
    assert run.summary["verdict"]["label"] == "INCOMPLETE"
    # After a few tests in a row could not reach it, the run stops instead of erring on every test.
    assert "stopped answering" in run.summary["run"]["stopped"]
    assert len(run.summary["tests"]) <= 5, len(run.summary["tests"])
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "the target stopped answering" in lines[0], run.stderr


def test_spec_that_fails_to_load_is_never_green(tmp_path):
    specs = tmp_path / "specs"
    shutil.copytree(Path(__file__).resolve().parents[1] / "specs", specs)
    (specs / "profile-command.yaml").write_text("openapi: 3.1.0\npaths: {\n")
    done = conformance("run", "--api", "profile-command", "--report-dir", str(tmp_path / "r"),
                       env={"CONFORMANCE_SPECS_DIR": str(specs)})
    assert done.returncode == 3, done.stdout[-1500:] + done.stderr[-1500:]
