"""The result model of a run: built once when the session ends; summary.json, junit.xml and
report.html are three writers over it (and `conformance merge` rebuilds it from summaries)."""

from __future__ import annotations

import getpass
import platform
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from conformance import __version__, docmap, quotes, registry, specs
from conformance.redact import REDACTOR
from conformance.report.results import STATUSES, RequirementResult, TestResult

SCHEMA_VERSION = 1
FAILING = ("failed",)


@dataclass
class RunFacts:
    id: str
    data_prefix: str
    profile: str
    seed: int
    max_examples: int | None
    started: str
    finished: str
    ran_by: str
    command: str
    python: str
    stopped: str | None
    selection: dict[str, Any]
    workers: int = 1  # processes that ran the tests side by side (--workers N)


@dataclass
class ApiFacts:
    name: str
    title: str
    spec: str
    spec_sha256: str
    spec_version: str | None
    vendor_doc: str | None
    doc_coverage: dict[str, Any] | None
    base_url: str
    requests_sent: int
    tokens_received: int
    tokens_before_disruptive: int
    resent_after_429: int = 0  # paced requests the target answered 429 and the suite sent again (http.RESEND_429)
    extra: dict[str, Any] = field(default_factory=dict)  # further per-API figures (coverage, ...)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(out.pop("extra"))
        return out


@dataclass
class Verdict:
    label: str
    reason: str
    failed: list[str]
    not_verified: list[str]
    signable: bool


@dataclass
class RunResult:
    run: RunFacts
    docs: dict[str, Any]
    target: dict[str, Any]
    apis: list[ApiFacts]
    rows: list[RequirementResult]
    tests: list[TestResult]
    exit_code: int
    verdict: Verdict
    waivers: dict[str, list[str]]
    doc_notes: list[dict[str, Any]]
    cleanup_problems: list[str]
    excerpts: dict[str, list[dict[str, Any]] | None] = field(default_factory=dict)  # row id -> quoted doc lines
    baseline: dict[str, Any] | None = None

    def counts(self) -> dict[str, Any]:
        by_api: dict[str, Counter] = {}
        for row in self.rows:
            by_api.setdefault(row.req.api, Counter())[row.status] += 1
        return {
            "total": dict(Counter(r.status for r in self.rows)),
            "by_api": {api: dict(c) for api, c in by_api.items()},
            "tests": dict(Counter(t.outcome for t in self.tests)),
        }

    def row_json(self, row: RequirementResult) -> dict[str, Any]:
        return {**row.to_json(), "doc_excerpt": self.excerpts.get(row.req.id)}

    def to_json(self) -> dict[str, Any]:
        data = {
            "schema_version": SCHEMA_VERSION,
            "suite": {"name": "conformance", "version": __version__},
            "run": asdict(self.run),
            "docs": self.docs,
            "target": self.target,
            "apis": [api.to_json() for api in self.apis],
            "exit_code": self.exit_code,
            "verdict": asdict(self.verdict),
            "counts": self.counts(),
            "requirements": [self.row_json(r) for r in self.rows],
            "tests": [t.to_json() for t in self.tests],
            "waivers": self.waivers,
            "doc_notes": self.doc_notes,
            "cleanup_problems": self.cleanup_problems,
        }
        if self.baseline is not None:
            data["baseline"] = self.baseline
        return data


# --- judging ------------------------------------------------------------------------------------
def exit_code(rows: list[RequirementResult], tests: list[TestResult], stopped: str | None) -> tuple[int, str]:
    executed = [t for t in tests if t.outcome in ("passed", "failed")]
    if stopped:
        return 3, stopped
    if any(r.status == "error" for r in rows):
        return 3, "the target stopped answering during the run"
    if not executed:
        return 3, "no test was executed"
    if any(r.status in FAILING for r in rows):
        return 1, "a required check failed"
    return 0, "every required check that ran passed"


def verdict(rows: list[RequirementResult], code: int, reason: str) -> Verdict:
    blocking = [r.req.id for r in rows if STATUSES[r.status] and r.status not in ("failed", "error", "not_selected")]
    failed = [r.req.id for r in rows if r.status in FAILING]
    partial = any(r.status == "not_selected" for r in rows)
    if code == 3:
        label = "INCOMPLETE"
    elif code == 1:
        label = "FAILED"
    elif blocking:
        label = "PASSED, SIGN-OFF BLOCKED"
    elif partial:
        label = "PASSED, PARTIAL RUN"
    else:
        label = "PASSED"
    return Verdict(label, reason, failed, blocking, code == 0 and not blocking and not partial)


# --- building it at the end of a session --------------------------------------------------------
def doc_notes(apis: list[str]) -> list[dict[str, Any]]:
    notes = []
    for api in apis:
        for pointer, note, doc in specs.iter_doc_notes(specs.load_spec(api)):
            notes.append({"api": api, "where": pointer, "note": note, "doc": doc})
    return notes


def _command() -> str:
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "pytest"
    if program in ("__main__.py", "conformance", ""):
        program = "conformance"
    return REDACTOR.text(" ".join([program] + sys.argv[1:]))


def _doc_coverage(name: str, docs: Path | None) -> dict[str, Any] | None:
    doc = docmap.doc_file(name)
    if doc is None:
        return None
    lines = docmap.read_doc(docs, doc) if docs is not None else None
    return {"doc": doc, **docmap.figures(name, lines)} if lines is not None else {"doc": doc}


def _api_facts(plugin: Any, name: str) -> ApiFacts:
    spec = specs.load_spec(name)
    ctx = plugin.contexts.get(name)
    received = ctx.client.tokens_received if ctx else 0
    before = ctx.tokens_before_disruptive if ctx and ctx.tokens_before_disruptive is not None else received
    return ApiFacts(
        name=name,
        title=registry.get(name).title,
        spec=f"specs/{name}.yaml",
        spec_sha256=specs.spec_sha256(name),
        spec_version=spec.get("info", {}).get("version"),
        vendor_doc=spec.get("x-vendor-doc"),
        doc_coverage=_doc_coverage(name, plugin.docs),
        base_url=plugin.target.apis[name].base_url,
        requests_sent=ctx.client.requests_sent if ctx else 0,
        tokens_received=received,
        tokens_before_disruptive=before,
        resent_after_429=ctx.client.resent_after_429 if ctx else 0,
        extra=_property_coverage(ctx, name),
    )


def _property_coverage(ctx: Any, name: str) -> dict[str, Any]:
    """Issue 15: the operations the property tests answered 2xx and those they never did
    (`operation_coverage`), and the checks the API's catalogue declines, with why (`checks_not_run`)."""
    from conformance.suite import contract

    out: dict[str, Any] = {"checks_not_run": [{k: e.get(k) for k in ("check", "operations", "reason")}
                                              for e in contract.not_checked(name)]}
    coverage = contract.operation_coverage(ctx)
    if coverage is not None:
        out["operation_coverage"] = coverage
    return out


def build(plugin: Any) -> RunResult:
    """The run's result, from the plugin's state when the session ends."""
    target, run, docs, settings = plugin.target, plugin.run, plugin.docs, plugin.settings
    rows = list(plugin.requirements)
    tests = list(plugin.tests.values())
    code, reason = exit_code(rows, tests, plugin.stopped)
    excerpts = {}
    for row in rows:
        found = quotes.for_citations(row.req.doc, docs)
        excerpts[row.req.id] = [q.to_json() for q in found] if found is not None else None
    result = RunResult(
        run=RunFacts(
            id=run.run_id,
            data_prefix=run.prefix,
            profile=run.profile,
            max_examples=run.max_examples,
            seed=run.seed,
            started=plugin.started.isoformat(timespec="seconds"),
            finished=(plugin.finished or plugin.started).isoformat(timespec="seconds"),
            ran_by=f"{getpass.getuser()}@{platform.node()}",
            command=_command(),
            python=platform.python_version(),
            stopped=plugin.stopped,
            workers=run.workers,
            selection={
                "requirements": sorted(plugin.only),
                "categories": list(settings.categories),
                "markers": plugin.config.getoption("markexpr", "") or "",
                "keyword": plugin.config.getoption("keyword", "") or "",
                **({"shard": plugin.shard.info()} if getattr(plugin, "shard", None) else {}),  # --shard K/N
            },
        ),
        docs={"dir": str(docs) if docs else None,
              "hint": None if docs else "run with --docs DIR (or CONFORMANCE_DOCS, or docs = \"DIR\" in the "
                                        "target file's [target] table) to quote the cited lines of the vendor docs"},
        target={
            "name": target.name,
            "source": target.source,
            "embedded_mock": target.is_embedded_mock,
            "mock_fault": settings.mock_fault,
            "mock_variants": list(settings.mock_variants),
            "apis": {name: api.public() for name, api in target.apis.items() if name in plugin.suites},
        },
        apis=[_api_facts(plugin, name) for name in plugin.suites],
        rows=rows,
        tests=tests,
        exit_code=code,
        verdict=verdict(rows, code, reason),
        waivers={
            "unused": [w.id for w in plugin.waivers if not w.used],
            "expired": [w.id for w in plugin.waivers if w.used and not w.active(plugin.today)],
        },
        doc_notes=doc_notes(list(plugin.suites)),
        cleanup_problems=list(plugin.cleanup_problems),
        excerpts=excerpts,
    )
    if plugin.baseline is not None:
        from conformance.report.compare import compare

        result.baseline = compare(plugin.baseline, result.to_json())
    return result
