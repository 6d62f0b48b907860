"""`conformance run --shard K/N` then `conformance merge`: the same rows, statuses and exit code
as one run of the same selection with the same seed (issue 14)."""

from __future__ import annotations

import copy
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conformance.errors import ConfigError
from conformance.report import merge
from conformance.suite import shard

from tests.helpers import Run, conformance

# Two APIs, kept fast: the legacy edition is one group (its own process state), mypreferences
# without its property tests splits by module, so rows can be judged in both shards. The
# fault fails a stated legacy row: the single run exits 1, and so must the merge.
SELECTION = ("--api", "profile-command-legacy", "--api", "mypreferences", "-k", "not test_contract",
             "--mock-fault", "wrong-error-code", "--seed", "5")
FAILING_ROW = "PCL-AUTH-003"


def _pairs(data: dict) -> set[tuple[str, str]]:
    return {(row["id"], row["status"]) for row in data["requirements"]}


def _run(out: Path, *extra: str) -> Run:
    done = conformance("run", "--report-dir", str(out), *SELECTION, *extra)
    return Run(done.returncode, done.stdout, done.stderr, out)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("shards")
    with ThreadPoolExecutor(3) as pool:
        single = pool.submit(_run, root / "single")
        shards = [pool.submit(_run, root / f"shard-{k}", "--shard", f"{k}/2") for k in (1, 2)]
        return single.result(), [s.result() for s in shards], root


@pytest.mark.slow
def test_shards_then_merge_give_the_single_runs_rows_and_exit_code(runs, tmp_path):
    single, shards, root = runs
    assert single.code == 1, single.stdout[-2000:] + single.stderr[-2000:]
    assert dict(_pairs(single.summary))[FAILING_ROW] == "failed"
    for run in shards:
        assert run.code in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
        assert (run.report_dir / "report.html").is_file() and (run.report_dir / "junit.xml").is_file()
    # Every selected test ran in exactly one shard.
    tests = [{t["nodeid"] for t in run.summary["tests"]} for run in shards]
    assert tests[0] and tests[1] and not tests[0] & tests[1]
    assert tests[0] | tests[1] == {t["nodeid"] for t in single.summary["tests"]}
    # A row a shard did not judge says so, and is listed for the merge.
    first = shards[0].summary
    not_run = set(first["run"]["selection"]["shard"]["not_run"])
    assert not_run and all(r["status"] == "not_selected" and r["message"].startswith(shard.NOT_RUN)
                           for r in first["requirements"] if r["id"] in not_run)

    out = tmp_path / "merged"
    done = conformance("merge", str(shards[0].report_dir), str(shards[1].report_dir), "--report-dir", str(out))
    assert done.returncode == single.code, done.stdout[-2000:] + done.stderr[-2000:]
    merged = json.loads((out / "summary.json").read_text())
    assert _pairs(merged) == _pairs(single.summary)
    assert merged["exit_code"] == single.summary["exit_code"]
    assert merged["verdict"]["label"] == single.summary["verdict"]["label"]
    assert merged["counts"]["total"] == single.summary["counts"]["total"]
    assert f"FAILED {FAILING_ROW}" in done.stdout and "verdict: FAILED (exit 1)" in done.stdout
    html = (out / "report.html").read_text()
    assert 'id="verdict"' in html and f'id="req-{FAILING_ROW}"' in html and "<script src=" not in html
    assert "Merged from" in html
    junit = (out / "junit.xml").read_text()
    assert junit.count("<testcase ") == len(single.summary["requirements"])

    # A folder of shard folders (what a CI artifact download leaves) merges the same.
    for run in shards:
        shutil.copytree(run.report_dir, tmp_path / "artifacts" / run.report_dir.name)
    again = conformance("merge", str(tmp_path / "artifacts"), "--report-dir", str(tmp_path / "again"))
    assert again.returncode == single.code
    assert _pairs(json.loads((tmp_path / "again" / "summary.json").read_text())) == _pairs(single.summary)


def test_a_row_failed_in_any_shard_is_failed(runs):
    _, shards, _ = runs
    reports = [merge.ShardReport(run.report_dir / "summary.json", copy.deepcopy(run.summary)) for run in shards]
    # A row the second shard judged passed, also judged (and failed) by the first shard's tests.
    second_judged = {r["id"] for r in reports[1].data["requirements"] if r["status"] == "passed"} - reports[1].not_run
    rid = sorted(second_judged & reports[0].not_run)[0]
    info = reports[0].data["run"]["selection"]["shard"]
    info["not_run"] = [i for i in info["not_run"] if i != rid]
    row = next(r for r in reports[0].data["requirements"] if r["id"] == rid)
    row.update(status="failed" if row["basis"] == "stated" else "warning", message="broken", tests=["x::t"])
    result = merge.merge(reports)
    merged = next(r for r in result.rows if r.req.id == rid)
    assert merged.status == row["status"] and merged.message == "broken"
    assert "x::t" in merged.tests and len(merged.tests) > 1


def test_a_shard_missing_from_the_merge_makes_it_incomplete(runs):
    _, shards, _ = runs
    result = merge.merge([merge.ShardReport(shards[0].report_dir, copy.deepcopy(shards[0].summary))])
    assert result.exit_code == 3 and result.verdict.label == "INCOMPLETE"
    assert "shard 2/2 missing" in result.run.stopped
    statuses = {r.req.id: r.status for r in result.rows}
    assert all(statuses[rid] == "untested" for rid in shards[0].summary["run"]["selection"]["shard"]["not_run"])


def test_merge_refuses_what_is_not_a_set_of_shards(runs, tmp_path):
    single, shards, _ = runs
    shutil.copytree(shards[0].report_dir, tmp_path / "copy")
    with pytest.raises(ConfigError, match="given twice"):
        merge.load_shards([str(shards[0].report_dir), str(tmp_path / "copy"), str(shards[1].report_dir)])
    done = conformance("merge", str(single.report_dir))
    assert done.returncode == 2 and "is not the summary of a shard" in done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip()]) == 1


def test_assignment_is_deterministic_and_balanced():
    weights = {"a": 10.0, "b": 6.0, "c": 5.0, "d": 4.0, "e": 1.0}
    first = shard.assign(weights, 2)
    assert first == shard.assign(dict(reversed(list(weights.items()))), 2)
    load = [sum(w for k, w in weights.items() if first[k] == i) for i in (1, 2)]
    assert sorted(load) == [12.0, 14.0]  # longest first, each to the least loaded shard
    with pytest.raises(ConfigError):
        shard.parse("3/2")
    assert shard.parse("2/4") == (2, 4)


def test_operation_coverage_counts_every_shards_answers():
    """The property tests of one API may run in several shards or workers: an operation one of
    them got a 2xx from is reached, whichever shard sent the most requests."""
    op = lambda name, answers: {"operation": name, "method": "GET", "path": f"/{name}", "answers": answers}  # noqa: E731
    one = {"by_operation": [op("a", {"2xx": 3}), op("b", {"4xx": 2}), op("c", {})]}
    two = {"by_operation": [op("a", {"4xx": 1}), op("b", {"2xx": 1}), op("c", {})]}
    merged = merge._merged_coverage([one, two])
    assert merged["operations"] == 3 and merged["reached_2xx"] == 2
    assert [o["operation"] for o in merged["never_2xx"]] == ["c"] and merged["never_2xx"][0]["sent"] is False
    assert {o["operation"]: o["answers"] for o in merged["by_operation"]}["a"] == {"2xx": 3, "4xx": 1}
