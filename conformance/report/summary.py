"""summary.json: the machine-readable outcome of a run, one row per requirement."""

from __future__ import annotations

import getpass
import json
import platform
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from conformance import __version__, specs
from conformance.errors import ConfigError
from conformance.redact import REDACTOR
from conformance.report.results import STATUSES

SCHEMA_VERSION = 1
FAILING = ("failed",)


def _exit_code(rows: list[dict[str, Any]], tests: list[dict[str, Any]]) -> tuple[int, str]:
    executed = [t for t in tests if t["outcome"] in ("passed", "failed")]
    if any(r["status"] == "error" for r in rows):
        return 3, "the target stopped answering during the run"
    if not executed:
        return 3, "no test was executed"
    if any(r["status"] in FAILING for r in rows):
        return 1, "a required check failed"
    return 0, "every required check that ran passed"


def _verdict(rows: list[dict[str, Any]], exit_code: int, reason: str) -> dict[str, Any]:
    blocking = [r["id"] for r in rows if STATUSES[r["status"]] and r["status"] not in ("failed", "error")]
    failed = [r["id"] for r in rows if r["status"] in FAILING]
    if exit_code == 3:
        label = "INCOMPLETE"
    elif exit_code == 1:
        label = "FAILED"
    elif blocking:
        label = "PASSED, SIGN-OFF BLOCKED"
    else:
        label = "PASSED"
    return {
        "label": label,
        "reason": reason,
        "failed": failed,
        "not_verified": blocking,
        "signable": exit_code == 0 and not blocking,
    }


def doc_notes(apis: list[str]) -> list[dict[str, Any]]:
    notes = []
    for api in apis:
        for pointer, note, doc in specs.iter_doc_notes(specs.load_spec(api)):
            notes.append({"api": api, "where": pointer, "note": note, "doc": doc})
    return notes


def build(plugin: Any, context: dict[str, Any]) -> dict[str, Any]:
    target = context["target"]
    run = context["run"]
    options = context["options"]
    rows = [r.to_json() for r in plugin.requirements]
    tests = [t.to_json() for t in plugin.tests.values()]
    exit_code, reason = _exit_code(rows, tests)
    by_api: dict[str, Counter] = {}
    for row in rows:
        by_api.setdefault(row["api"], Counter())[row["status"]] += 1
    apis = []
    for name, info in context["infos"].items():
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
            "command": REDACTOR.text(" ".join(["conformance"] + sys.argv[1:])),
            "python": platform.python_version(),
        },
        "target": {
            "name": target.name,
            "source": target.source,
            "embedded_mock": target.is_embedded_mock,
            "mock_fault": context.get("mock_fault"),
            "apis": {name: api.public() for name, api in target.apis.items()},
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
        "doc_notes": doc_notes(list(context["infos"])),
        "cleanup_problems": plugin.cleanup_problems,
    }
    if context.get("baseline") is not None:
        from conformance.report.compare import compare

        data["baseline"] = compare(context["baseline"], data)
    return data


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
