"""summary.json: the machine-readable outcome of a run, one row per requirement."""

from __future__ import annotations

import getpass
import json
import platform
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from conformance import __version__, docmap, quotes, registry, specs
from conformance.errors import ConfigError
from conformance.redact import REDACTOR
from conformance.report.results import STATUSES

SCHEMA_VERSION = 1
FAILING = ("failed",)


def _exit_code(rows: list[dict[str, Any]], tests: list[dict[str, Any]], stopped: str | None) -> tuple[int, str]:
    executed = [t for t in tests if t["outcome"] in ("passed", "failed")]
    if stopped:
        return 3, stopped
    if any(r["status"] == "error" for r in rows):
        return 3, "the target stopped answering during the run"
    if not executed:
        return 3, "no test was executed"
    if any(r["status"] in FAILING for r in rows):
        return 1, "a required check failed"
    return 0, "every required check that ran passed"


def _verdict(rows: list[dict[str, Any]], exit_code: int, reason: str) -> dict[str, Any]:
    blocking = [r["id"] for r in rows if STATUSES[r["status"]] and r["status"] not in ("failed", "error", "not_selected")]
    failed = [r["id"] for r in rows if r["status"] in FAILING]
    partial = any(r["status"] == "not_selected" for r in rows)
    if exit_code == 3:
        label = "INCOMPLETE"
    elif exit_code == 1:
        label = "FAILED"
    elif blocking:
        label = "PASSED, SIGN-OFF BLOCKED"
    elif partial:
        label = "PASSED, PARTIAL RUN"
    else:
        label = "PASSED"
    return {
        "label": label,
        "reason": reason,
        "failed": failed,
        "not_verified": blocking,
        "signable": exit_code == 0 and not blocking and not partial,
    }


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


def _with_quotes(row: dict[str, Any], docs: Path | None) -> dict[str, Any]:
    found = quotes.for_citations(row["doc"], docs)
    row["doc_excerpt"] = [q.to_json() for q in found] if found is not None else None
    return row


def _doc_coverage(name: str, docs: Path | None) -> dict[str, Any] | None:
    doc = docmap.doc_file(name)
    if doc is None:
        return None
    lines = docmap.read_doc(docs, doc) if docs is not None else None
    return {"doc": doc, **docmap.figures(name, lines)} if lines is not None else {"doc": doc}


def build(plugin: Any) -> dict[str, Any]:
    """The result model of a run: built once when the session ends, read by the three writers."""
    target = plugin.target
    run = plugin.run
    docs = plugin.docs
    rows = [_with_quotes(r.to_json(), docs) for r in plugin.requirements]
    tests = [t.to_json() for t in plugin.tests.values()]
    exit_code, reason = _exit_code(rows, tests, plugin.stopped)
    by_api: dict[str, Counter] = {}
    for row in rows:
        by_api.setdefault(row["api"], Counter())[row["status"]] += 1
    apis = []
    for name in plugin.suites:
        info = registry.get(name)
        spec = specs.load_spec(name)
        ctx = plugin.contexts.get(name)
        apis.append(
            {
                "name": name,
                "title": info.title,
                "spec": f"specs/{name}.yaml",
                "spec_sha256": specs.spec_sha256(name),
                "spec_version": spec.get("info", {}).get("version"),
                "vendor_doc": spec.get("x-vendor-doc"),
                "doc_coverage": _doc_coverage(name, docs),
                "base_url": target.apis[name].base_url,
                "requests_sent": ctx.client.requests_sent if ctx else 0,
                "tokens_received": ctx.client.tokens_received if ctx else 0,
                "tokens_before_disruptive": (
                    ctx.tokens_before_disruptive if ctx and ctx.tokens_before_disruptive is not None
                    else (ctx.client.tokens_received if ctx else 0)
                ),
            }
        )
    waivers = plugin.waivers
    settings = plugin.settings
    data = {
        "schema_version": SCHEMA_VERSION,
        "suite": {"name": "conformance", "version": __version__},
        "run": {
            "id": run.run_id,
            "data_prefix": run.prefix,
            "profile": run.profile,
            "seed": run.seed,
            "started": plugin.started.isoformat(timespec="seconds"),
            "finished": (plugin.finished or plugin.started).isoformat(timespec="seconds"),
            "ran_by": f"{getpass.getuser()}@{platform.node()}",
            "command": _command(),
            "python": platform.python_version(),
            "stopped": plugin.stopped,
            "selection": {
                "requirements": sorted(plugin.only),
                "categories": list(settings.categories),
                "markers": plugin.config.getoption("markexpr", "") or "",
                "keyword": plugin.config.getoption("keyword", "") or "",
            },
        },
        "docs": {"dir": str(docs) if docs else None,
                 "hint": None if docs else "run with --docs DIR (or CONFORMANCE_DOCS, or docs = \"DIR\" in the "
                                           "target file's [target] table) to quote the cited lines of the vendor docs"},
        "target": {
            "name": target.name,
            "source": target.source,
            "embedded_mock": target.is_embedded_mock,
            "mock_fault": settings.mock_fault,
            "mock_variants": list(settings.mock_variants),
            "apis": {name: api.public() for name, api in target.apis.items() if name in plugin.suites},
        },
        "apis": apis,
        "exit_code": exit_code,
        "verdict": _verdict(rows, exit_code, reason),
        "counts": {
            "total": dict(Counter(r["status"] for r in rows)),
            "by_api": {api: dict(c) for api, c in by_api.items()},
            "tests": dict(Counter(t["outcome"] for t in tests)),
        },
        "requirements": rows,
        "tests": tests,
        "waivers": {
            "unused": [w.id for w in waivers if not w.used],
            "expired": [w.id for w in waivers if w.used and not w.active(plugin.today)],
        },
        "doc_notes": doc_notes(list(plugin.suites)),
        "cleanup_problems": plugin.cleanup_problems,
    }
    if plugin.baseline is not None:
        from conformance.report.compare import compare

        data["baseline"] = compare(plugin.baseline, data)
    return data


def outcome_lines(data: dict[str, Any], report_dir: Path | None) -> list[str]:
    """What the run prints at its end: per API, what needs a look, the verdict, where the files are."""
    lines = []
    for api, counts in data["counts"]["by_api"].items():
        lines.append(f"{api}: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts.get(s)))
    for row in data["requirements"]:
        if row["status"] in ("failed", "error", "warning"):
            label = {"failed": "FAILED", "error": "ERROR", "warning": "WARNING"}[row["status"]]
            lines.append(f"  {label} {row['id']} ({row['api']}, {row['doc']}): {row['message'][:300]}")
    lines += [f"  CLEANUP {problem}" for problem in data.get("cleanup_problems", [])]
    lines.append(f"verdict: {data['verdict']['label']} (exit {data['exit_code']})")
    if report_dir is not None:
        lines.append(f"report: {(report_dir / 'report.html').resolve()}")
        lines.append(f"summary: {(report_dir / 'summary.json').resolve()}  junit: {(report_dir / 'junit.xml').resolve()}")
    return lines


def write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(REDACTOR.text(json.dumps(data, indent=2, ensure_ascii=False)), encoding="utf-8")


def load(path: str) -> dict[str, Any]:
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"summary file not found: {path}")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not a summary.json: {exc}") from None
    if not isinstance(data, dict) or "requirements" not in data:
        raise ConfigError(f"{path} is not a summary.json (no 'requirements')")
    return data
