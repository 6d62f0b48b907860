"""Running the `conformance` command the way a user does, and reading what it wrote."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from tests import forkserver

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

    def explain(self, rid: str) -> str:
        """What the run said about one row, and how it ended: for a proof's failure message."""
        rows = {row["id"]: row for row in self.summary["requirements"]}
        row = rows.get(rid)
        said = json.dumps(row, indent=1)[:1500] if row else f"{rid} is not in summary.json"
        return f"{said}\nexit {self.code}; stderr: {self.stderr[-800:]}\nstdout tail: {self.stdout[-1200:]}"


def conformance(*args: str, env: dict[str, str] | None = None, timeout: float = 600,
                fresh: bool = False) -> subprocess.CompletedProcess:
    """`conformance ARGS` as a user runs it. A `run` is forked from a process that has the suite
    imported (tests/forkserver.py) unless `fresh` asks for a new interpreter, or the environment
    changes what an interpreter does at start-up (PYTHONPATH and the like)."""
    full_env = {**os.environ, **(env or {})}
    if args[:1] == ("run",) and not fresh and forkserver.enabled() and not any(k.startswith("PYTHON") for k in env or {}):
        return forkserver.SERVER.run(list(args), env=full_env, cwd=ROOT, timeout=timeout)
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=full_env,
    )


# Mocks that keep the suite waiting (a queue slow to process writes, one that never does): their runs
# go on 4 workers, which overlap the waits (1-2 min each on one). Rows and verdict are the same with
# workers as without (tests/test_workers.py).
WAITING = {"mp-slow-queue", "mp-never-completes"}


def run_suite(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    report_dir = tmp_path / "report"
    if WAITING & set(args) and "--workers" not in args:
        args = (*args, "--workers", "4")
    done = conformance("run", "--report-dir", str(report_dir), "--seed", "7", *args, env=env)
    return Run(done.returncode, done.stdout, done.stderr, report_dir)


@contextlib.contextmanager
def separate_mock(tmp_path: Path, *args: str) -> Iterator[tuple[Path, int]]:
    """`conformance mock` in its own process, as a target the suite did not start; yields the
    target file it wrote and its port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    target = tmp_path / "t.toml"
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance", "mock", "--port", str(port), "--write-target", str(target), *args],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.time() + 30
        while not target.exists() or not _up(port):
            assert process.poll() is None, process.stderr.read()
            assert time.time() < deadline, "mock did not start"
            time.sleep(0.1)
        yield target, port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock", timeout=1):
            return True
    except OSError:
        return False
