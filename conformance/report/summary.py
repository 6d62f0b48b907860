"""summary.json: the machine-readable outcome of a run, one row per requirement (a writer over
the result model, conformance/report/model.py), and the lines a run ends with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.errors import ConfigError
from conformance.redact import REDACTOR
from conformance.report import model
from conformance.report.results import STATUSES

SCHEMA_VERSION = model.SCHEMA_VERSION



def build(plugin: Any) -> dict[str, Any]:
    """The run's summary.json content (the result model's JSON view)."""
    return model.build(plugin).to_json()


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


def write(path: Path, result: "model.RunResult | dict[str, Any]") -> None:
    data = result.to_json() if isinstance(result, model.RunResult) else result
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
