"""Running the `conformance` command the way a user does, and reading what it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    report_dir: Path

    @property
    def summary(self) -> dict[str, Any]:
        return json.loads((self.report_dir / "summary.json").read_text())

    def status(self) -> dict[str, str]:
        return {row["id"]: row["status"] for row in self.summary["requirements"]}


def conformance(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})},
    )


def run_suite(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    report_dir = tmp_path / "report"
    done = conformance("run", "--report-dir", str(report_dir), "--seed", "7", *args, env=env)
    return Run(done.returncode, done.stdout, done.stderr, report_dir)
