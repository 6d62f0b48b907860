"""`conformance merge DIR...`: one report from the shards of a run (`conformance run --shard K/N`).

Playwright's convention: every machine runs `--shard K/N` and keeps its report directory; a last
job merges them. The merged summary.json, junit.xml and report.html have the rows, statuses and
exit code the same selection would have had in one run:

- every shard lists all the rows of its APIs; a row whose tests ran in another shard is
  `not_selected` there and named in the shard's `run.selection.shard.not_run`, so it is taken
  from the shards that judged it;
- a row judged in several shards (its tests fell in different groups) gets the status a single
  run would give its tests together: an error anywhere makes it `error`, a failure anywhere
  `failed` (or `warning`/`waived`), else a pass anywhere `passed`, then `skipped`, then
  `not_applicable` (the order of conformance.report.results.aggregate);
- the tests are the union of the shards' tests; exit code and verdict are judged again over
  the merged rows (conformance.report.model), so a shard that stopped, or a shard missing from
  the merge, makes the merged run INCOMPLETE (exit 3).
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.catalogue import Requirement
from conformance.errors import ConfigError
from conformance.redact import REDACTOR
from conformance.report import html, junit, model, summary
from conformance.report.results import RequirementResult, TestResult, Waiver

# A row judged in several shards: the first of these statuses any shard gave it (aggregate()'s order).
PRECEDENCE = ("error", "failed", "warning", "waived", "passed", "skipped", "not_applicable", "untestable",
              "untested", "not_selected")
MISSING = "not run: its tests were in a shard missing from the merge"


@dataclass
class MergedRunFacts(model.RunFacts):
    shards: list[dict[str, Any]] = field(default_factory=list)  # each shard merged: index, run id, exit code


@dataclass
class ShardReport:
    source: Path
    data: dict[str, Any]

    @property
    def shard(self) -> dict[str, Any]:
        return self.data["run"]["selection"]["shard"]

    @property
    def not_run(self) -> set[str]:
        return set(self.shard.get("not_run", ()))


def find_summaries(paths: list[str]) -> list[Path]:
    """Each argument: a summary.json, a report directory, or a folder of report directories
    (what `actions/download-artifact` leaves: all-shards/shard-1/summary.json, ...)."""
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_file():
            found.append(path)
        elif (path / "summary.json").is_file():
            found.append(path / "summary.json")
        elif path.is_dir() and sorted(path.rglob("summary.json")):
            found += sorted(path.rglob("summary.json"))
        else:
            raise ConfigError(f"no summary.json in {text}")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique


def load_shards(paths: list[str]) -> list[ShardReport]:
    reports = []
    for path in find_summaries(paths):
        data = summary.load(str(path))
        if not (data.get("run", {}).get("selection") or {}).get("shard"):
            raise ConfigError(f"{path} is not the summary of a shard (run it with --shard K/N)")
        reports.append(ShardReport(path, data))
    first = reports[0]
    same = lambda d: (d["suite"]["version"], d["run"]["profile"], d["target"]["name"],  # noqa: E731
                      {k: v for k, v in d["run"]["selection"].items() if k != "shard"}, d["run"]["selection"]["shard"]["total"])
    for report in reports[1:]:
        if same(report.data) != same(first.data):
            raise ConfigError(f"{report.source} and {first.source} are not shards of the same run (suite version, "
                              "profile, target, selection and shard count must agree)")
    seen: dict[int, Path] = {}
    for report in reports:
        index = report.shard["index"]
        if index in seen:
            raise ConfigError(f"shard {index}/{report.shard['total']} given twice: {seen[index]} and {report.source}")
        seen[index] = report.source
    return sorted(reports, key=lambda r: r.shard["index"])


def _requirement(row: dict[str, Any]) -> Requirement:
    return Requirement(id=row["id"], api=row["api"], category=row["category"], requirement=row["requirement"],
                       doc=row["doc"], basis=row["basis"], rfc=row.get("rfc"), untestable=row.get("untestable"))


def _waiver(row: dict[str, Any]) -> Waiver | None:
    waiver = row.get("waiver")
    if not waiver:
        return None
    return Waiver(row["id"], waiver["reason"], dt.date.fromisoformat(waiver["expires"]), used=True)


def _merge_row(rid: str, judged: list[dict[str, Any]], fallback: dict[str, Any]) -> tuple[RequirementResult, Any]:
    if not judged:
        return RequirementResult(_requirement(fallback), "untested", [], MISSING), fallback.get("doc_excerpt")
    rank = {status: i for i, status in enumerate(PRECEDENCE)}
    winner = min(judged, key=lambda r: rank.get(r["status"], len(PRECEDENCE)))  # min keeps the first shard's
    tests = list(dict.fromkeys(t for r in judged for t in r.get("tests", [])))
    row = RequirementResult(_requirement(winner), winner["status"], tests, winner.get("message", ""),
                            list(winner.get("evidence", [])), _waiver(winner))
    return row, winner.get("doc_excerpt")


def _test(test: dict[str, Any]) -> TestResult:
    return TestResult(test["nodeid"], test["api"], tuple(test["requirements"]), test["outcome"],
                      tuple(test.get("failed_requirements", ())), test.get("message", ""),
                      duration=float(test.get("duration_s") or 0.0))


def _api_facts(name: str, reports: list[ShardReport]) -> model.ApiFacts:
    facts = [api for r in reports for api in r.data["apis"] if api["name"] == name]
    main = max(facts, key=lambda api: api.get("requests_sent", 0))  # the shard that tested it (most of it)
    known = {f for f in model.ApiFacts.__dataclass_fields__ if f != "extra"}
    summed = ("requests_sent", "tokens_received", "tokens_before_disruptive", "resent_after_429")
    values = {k: main.get(k) for k in known}
    values.update({k: sum(int(api.get(k) or 0) for api in facts) for k in summed})
    extra = {k: v for k, v in main.items() if k not in known}
    coverages = [api["operation_coverage"] for api in facts if api.get("operation_coverage")]
    if coverages:  # the property tests ran in several shards or workers: every one's answers count
        extra["operation_coverage"] = _merged_coverage(coverages)
    return model.ApiFacts(**values, extra=extra)


def _merged_coverage(coverages: list[dict[str, Any]]) -> dict[str, Any]:
    """contract.operation_coverage of one run from those of its shards: answers summed per operation."""
    operations: dict[str, dict[str, Any]] = {}
    for coverage in coverages:
        for op in coverage.get("by_operation", []):
            merged = operations.setdefault(op["operation"], {**op, "answers": {}})
            for cls, n in op.get("answers", {}).items():
                merged["answers"][cls] = merged["answers"].get(cls, 0) + int(n)
    from conformance.suite.contract import coverage_of

    return coverage_of([{**op, "answers": dict(sorted(op["answers"].items()))} for op in operations.values()])


def merge(reports: list[ShardReport], command: str = "conformance merge") -> model.RunResult:
    first = reports[0].data
    total = reports[0].shard["total"]
    present = {r.shard["index"] for r in reports}
    missing = [f"{k}/{total}" for k in range(1, total + 1) if k not in present]
    rows, excerpts = [], {}
    for base in first["requirements"]:
        rid = base["id"]
        judged = [row for r in reports if rid not in r.not_run for row in r.data["requirements"] if row["id"] == rid]
        row, excerpt = _merge_row(rid, judged, base)
        rows.append(row)
        excerpts[rid] = excerpt
    tests = [_test(t) for r in reports for t in r.data["tests"]]
    stopped = [f"shard {r.shard['index']}/{total}: {r.data['run']['stopped']}" for r in reports if r.data["run"]["stopped"]]
    if missing:
        stopped.append(f"shard {', '.join(missing)} missing from the merge")
    stopped_text = "; ".join(stopped) or None
    code, reason = model.exit_code(rows, tests, stopped_text)
    run = first["run"]
    facts = MergedRunFacts(
        id=run["id"],
        data_prefix=", ".join(dict.fromkeys(r.data["run"]["data_prefix"] for r in reports)),
        profile=run["profile"],
        seed=run["seed"],
        max_examples=run.get("max_examples"),
        started=min(r.data["run"]["started"] for r in reports),
        finished=max(r.data["run"]["finished"] for r in reports),
        ran_by=run["ran_by"],
        command=REDACTOR.text(command),
        python=run["python"],
        stopped=stopped_text,
        workers=max(int(r.data["run"].get("workers") or 1) for r in reports),
        selection={k: v for k, v in run["selection"].items() if k != "shard"},
        shards=[{"index": r.shard["index"], "total": total, "run_id": r.data["run"]["id"],
                 "seed": r.data["run"]["seed"], "tests": len(r.data["tests"]), "exit_code": r.data["exit_code"],
                 "verdict": r.data["verdict"]["label"], "groups": r.shard.get("groups", []), "test_s": r.shard.get("test_s"),
                 "lock_wait_s": r.shard.get("lock_wait_s"), "first_test": r.shard.get("first_test"),
                 "started": r.data["run"]["started"], "finished": r.data["run"]["finished"],
                 "source": str(r.source.parent)} for r in reports],
    )
    names = list(dict.fromkeys(api["name"] for r in reports for api in r.data["apis"]))
    apis = [_api_facts(name, reports) for name in names]
    target = dict(first["target"])
    target["apis"] = {name: api for r in reversed(reports) for name, api in r.data["target"]["apis"].items()}
    for facts_api in apis:  # the base URL of the shard that tested the API
        if facts_api.name in target["apis"]:
            target["apis"][facts_api.name] = {**target["apis"][facts_api.name], "base_url": facts_api.base_url}
    unused = set.intersection(*(set(r.data["waivers"]["unused"]) for r in reports))
    expired = list(dict.fromkeys(w for r in reports for w in r.data["waivers"]["expired"]))
    notes = list({json.dumps(n, sort_keys=True): n for r in reports for n in r.data["doc_notes"]}.values())
    return model.RunResult(
        run=facts,
        docs=first["docs"],
        target=target,
        apis=apis,
        rows=rows,
        tests=tests,
        exit_code=code,
        verdict=model.verdict(rows, code, reason),
        waivers={"unused": [w for w in first["waivers"]["unused"] if w in unused], "expired": expired},
        doc_notes=notes,
        cleanup_problems=[p for r in reports for p in r.data.get("cleanup_problems", [])],
        excerpts=excerpts,
    )


def _tests_table(data: dict[str, Any]) -> str:
    out = ['<h2>Tests</h2><table id="tests" class="signoff"><tr><th>Test</th><th>Requirements</th><th>Outcome</th>'
           "<th>Duration (s)</th><th>Message</th></tr>"]
    for test in data["tests"]:
        out.append(f"<tr><td>{htmlmod.escape(test['nodeid'])}</td><td>{htmlmod.escape(', '.join(test['requirements']))}</td>"
                   f"<td>{htmlmod.escape(test['outcome'])}</td><td>{test['duration_s']}</td>"
                   f"<td>{htmlmod.escape(test.get('message') or '')[:500]}</td></tr>")
    out.append("</table>")
    return "".join(out)


def write_html(path: Path, data: dict[str, Any]) -> None:
    """A self-contained page (inline CSS and SVG, no script, no network): the sign-off sections
    of a single run's report, then the tests of every shard."""
    shards = data["run"].get("shards", [])
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Conformance sign-off report</title>'
        "</head><body><h1>Conformance sign-off report</h1>"
        f"<p>Merged from {len(shards)} shard report(s) of one run.</p>"
        + "".join(html.signoff_sections(data))
        + _tests_table(data)
        + "</body></html>\n"
    )
    path.write_text(REDACTOR.text(page), encoding="utf-8")


def run(paths: list[str], report_dir: str | None, baseline: str | None = None,
        durations_out: str | None = None) -> int:
    reports = load_shards(paths)
    command = "conformance merge " + " ".join(sys.argv[2:] if len(sys.argv) > 2 else paths)
    result = merge(reports, command)
    if baseline:
        from conformance.report.compare import compare

        result.baseline = compare(summary.load(baseline), result.to_json())
    out = Path(report_dir) if report_dir else Path("reports") / f"merged-{dt.datetime.now():%Y%m%d-%H%M%S}"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create report directory {out}: {exc.strerror or exc}") from None
    data = result.to_json()
    summary.write(out / "summary.json", data)
    junit.write(out / "junit.xml", result)
    write_html(out / "report.html", data)
    if durations_out:
        from conformance.suite.shard import durations_of

        Path(durations_out).write_text(json.dumps(durations_of([data]), indent=1) + "\n", encoding="utf-8")
    for line in summary.outcome_lines(data, out):
        print(REDACTOR.text(line))
    return result.exit_code
