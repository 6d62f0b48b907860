"""`conformance` runs for the tests of the suite, forked from a process that has already imported it.

About 430 of this suite's tests each run `conformance run` (one per named fault, variant and
collateral check). A fresh interpreter spends ~1.5 s of its ~2.5 s importing pytest, schemathesis,
hypothesis and the core before it sends a request; on CI's two cores that was ~10 minutes of the
run. A fork of a process that imported them once starts the same `conformance.cli.main` in ~0.1 s.

What the child gets is what a fresh `python -m conformance` gets: its own argv, environment,
working directory, stdin from /dev/null, stdout and stderr into files, the signal handlers a fresh interpreter has,
and an exit status. Nothing is imported here that reads the environment or caches state at import
(the core reads settings when it runs), and the suites' test modules are not imported: pytest
collects them in the child, with its assertion rewriting, as in any run. Tests about the process
itself (signals, start-up errors, the installed entry point) keep using real subprocesses;
`CONFORMANCE_TEST_FORK=0` sends every run through one, and tests/test_forkserver.py checks that
both give the same result.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# What a run imports before it judges anything; the child reuses them.
PRELOAD = (
    "conformance.cli", "conformance.runner", "conformance.suite", "conformance.suite.plugin",
    "conformance.mock.server", "conformance.report.summary", "conformance.report.html",
    "pytest", "xdist.plugin", "pytest_html.plugin", "schemathesis", "schemathesis.pytest.plugin",
    "hypothesis", "httpx", "uvicorn", "starlette.applications", "jsonschema", "pyrate_limiter",
)


def enabled() -> bool:
    return os.environ.get("CONFORMANCE_TEST_FORK", "1") != "0" and hasattr(os, "fork")


class ForkServer:
    """One server process per test process (an xdist worker runs one test at a time)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tests.forkserver"], cwd=ROOT, text=True, bufsize=1,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None,
            )
            assert json.loads(self._process.stdout.readline()) == {"ready": True}, "fork server did not start"
        return self._process

    def run(self, args: list[str], *, env: dict[str, str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
        with self._lock, tempfile.TemporaryDirectory() as scratch:
            out, err = Path(scratch, "stdout"), Path(scratch, "stderr")
            server = self._start()
            server.stdin.write(json.dumps({"args": args, "env": env, "cwd": str(cwd), "out": str(out), "err": str(err)}) + "\n")
            pid = json.loads(self._reply(server))["pid"]
            done: dict = {}
            reader = threading.Thread(target=lambda: done.update(json.loads(self._reply(server))), daemon=True)
            reader.start()
            reader.join(timeout)
            if reader.is_alive():  # as subprocess.run does on a timeout: kill, then say so
                os.kill(pid, signal.SIGKILL)
                reader.join(30)
                raise subprocess.TimeoutExpired(["conformance", *args], timeout, out.read_text(), err.read_text())
            return subprocess.CompletedProcess(["conformance", *args], done["code"], out.read_text(errors="replace"),
                                               err.read_text(errors="replace"))

    @staticmethod
    def _reply(server: subprocess.Popen) -> str:
        line = server.stdout.readline()
        if not line:
            raise RuntimeError(f"the fork server exited (code {server.wait()}); its stderr is in the test's output")
        return line

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.stdin.close()
            self._process.wait(timeout=10)


SERVER = ForkServer()


def _child(request: dict) -> None:
    """In the forked child: become `python -m conformance ARGS`, never return."""
    code = 3
    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        for fd, path in ((1, request["out"]), (2, request["err"])):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(signum, {signal.SIGINT: signal.default_int_handler, signal.SIGPIPE: signal.SIG_IGN}.get(signum, signal.SIG_DFL))
        import random

        random.seed()  # the server's state is shared by every fork
        sys.argv = ["conformance", *request["args"]]
        from conformance.cli import main

        code = main(request["args"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # what an uncaught exception does to a fresh interpreter
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def serve() -> None:
    import importlib

    import gc

    for name in PRELOAD:
        importlib.import_module(name)
    gc.freeze()  # what is loaded now stays out of every child's collections (and its pages shared)
    # The protocol runs on copies of stdin/stdout; the children get fresh 0/1/2.
    requests = os.fdopen(os.dup(0), "r")
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    replies.write(json.dumps({"ready": True}) + "\n")
    for line in requests:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            requests.close()
            replies.close()
            _child(request)
        replies.write(json.dumps({"pid": pid}) + "\n")
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"code": os.waitstatus_to_exitcode(status)}) + "\n")


if __name__ == "__main__":
    serve()
