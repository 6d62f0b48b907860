"""Progress of a `conformance run` that a person can follow.

- On a terminal (`tty`): one line per API, updated in place: requirement rows judged out of
  the API's rows in this run, tests done, and an estimate of the time left; pytest's dots are
  left out (these lines replace them) and the block is erased before the run's final lines,
  which stay exactly as without it.
- In a CI log (`lines`, stdout not a terminal): one line every few seconds
  (CONFORMANCE_PROGRESS_INTERVAL, default 5) between pytest's dots.
- `off`: nothing. `auto` (the default) picks `tty` or `lines`, or `off` when the run was
  started by a test (pytest sets PYTEST_CURRENT_TEST, which the child inherits): the tests of
  this project read the stdout of `conformance run`.

The mode is `conformance run --progress MODE` or CONFORMANCE_PROGRESS=MODE. What is written
passes through the redactor, and names no requirement id or test (only APIs and counts), so it
cannot be mistaken for an outcome line.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

import pytest

from conformance.redact import REDACTOR

MODES = ("auto", "tty", "lines", "off")
TTY_REFRESH = 0.2  # seconds between two redraws on a terminal


@dataclass
class ApiProgress:
    name: str
    tests: list[str] = field(default_factory=list)
    done: set[str] = field(default_factory=set)
    pending_rows: dict[str, set[str]] = field(default_factory=dict)  # row id -> its tests not yet done
    failing: int = 0

    @property
    def rows_total(self) -> int:
        return len(self.pending_rows)

    @property
    def rows_judged(self) -> int:
        return sum(1 for pending in self.pending_rows.values() if not pending)


def _duration(seconds: float) -> str:
    if seconds < 1:
        return "under 1 s"
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def _about(seconds: float) -> str:
    return _duration(seconds) if seconds < 1 else "~" + _duration(seconds)


class Progress:
    """A pytest plugin, registered by `conformance run` (conformance.runner)."""

    def __init__(self, stream: TextIO, mode: str, interval: float = 5.0) -> None:
        self.stream = stream
        self.mode = mode
        self.interval = interval
        self.apis: dict[str, ApiProgress] = {}
        self.api_of: dict[str, str] = {}
        self.expected: dict[str, float] = {}
        self.measured = False  # expected durations come from a durations file
        self.current: str | None = None
        self.first_start: float | None = None
        self.last_write = 0.0
        self.drawn = 0  # lines of the block on the terminal
        self.config: pytest.Config | None = None
        self.by_report = False  # --workers: rows learnt from the workers' reports (see below)

    @classmethod
    def for_stream(cls, stream: TextIO, mode: str = "auto") -> "Progress":
        mode = mode if mode != "auto" else os.environ.get("CONFORMANCE_PROGRESS", "auto")
        if mode not in MODES:
            from conformance.errors import ConfigError

            raise ConfigError(f"--progress must be one of {', '.join(MODES)}, not {mode!r}")
        if mode == "auto":
            if os.environ.get("PYTEST_CURRENT_TEST"):
                mode = "off"  # started by a test, which reads this stdout
            elif getattr(stream, "isatty", lambda: False)() and os.environ.get("TERM") != "dumb":
                mode = "tty"
            else:
                mode = "lines"
        try:
            interval = float(os.environ.get("CONFORMANCE_PROGRESS_INTERVAL", "5"))
        except ValueError:
            interval = 5.0
        return cls(stream, mode, interval)

    # --- what the run will do -------------------------------------------------------------
    @pytest.hookimpl(trylast=True)  # after the conformance plugin knows every item's API and rows
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if self.mode == "off":
            return
        from conformance.suite.plugin import PLUGIN
        from conformance.suite.shard import load_durations

        plugin = session.config.stash.get(PLUGIN, None)
        if plugin is None:
            return
        self.config = session.config
        durations = plugin.shard.durations if plugin.shard is not None else _durations(load_durations)
        for item in session.items:
            api = plugin.item_api.get(item.nodeid)
            if api is None:
                continue
            entry = self.apis.setdefault(api, ApiProgress(api))
            entry.tests.append(item.nodeid)
            self.api_of[item.nodeid] = api
            for rid in plugin.item_ids.get(item.nodeid, ()):
                entry.pending_rows.setdefault(rid, set()).add(item.nodeid)
        known = [durations[n] for n in self.api_of if n in durations]
        self.measured = bool(known)
        mean = sum(known) / len(known) if known else 1.0
        # A test's wall time is its measured call plus set-up the file does not measure (fixtures,
        # tokens, pacing): weigh each test by its duration plus the mean one, then scale by the pace seen.
        self.expected = {n: max(durations.get(n, mean), 0.0) + mean for n in self.api_of}

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """With --workers the tests are collected in the workers: the controller learns their ids
        (each `…@group`) from the first to report, their APIs from their paths, and each test's
        rows from its report (user_properties) as it finishes."""
        if self.mode == "off" or self.apis:
            return
        from conformance.suite.plugin import PLUGIN

        config = node.config
        plugin = config.stash.get(PLUGIN, None)
        if plugin is None:
            return
        self.config = config
        self.by_report = True
        durations = _durations(__import__("conformance.suite.shard", fromlist=["load_durations"]).load_durations)
        for nodeid in ids:
            api = plugin.api_of(config.rootpath / nodeid.split("::", 1)[0])
            if api is None:
                continue
            self.apis.setdefault(api, ApiProgress(api)).tests.append(nodeid)
            self.api_of[nodeid] = api
        known = [durations[n.split("@")[0]] for n in self.api_of if n.split("@")[0] in durations]
        self.measured = bool(known)
        mean = sum(known) / len(known) if known else 1.0
        self.expected = {n: max(durations.get(n.split("@")[0], mean), 0.0) + mean for n in self.api_of}

    # --- while it runs ----------------------------------------------------------------------
    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        api = self.api_of.get(nodeid)
        if api is None:
            return
        if self.first_start is None:
            self.first_start = time.monotonic()
            self.last_write = self.first_start
        self.current = api
        if self.mode == "tty":
            self._draw()

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(self, report: Any, config: pytest.Config):
        result = yield
        if self.mode == "tty" and result and getattr(report, "nodeid", None) in self.api_of:
            category, _letter, _word = result
            return category, "", ""  # counted in the statistics, not printed: the block shows progress
        return result

    def pytest_runtest_logreport(self, report: Any) -> None:
        api = self.api_of.get(report.nodeid)
        if api is not None and report.failed:
            self.apis[api].failing += 1
        if api is not None and self.by_report and report.when == "call":
            # A worker's report names the test's rows; a row counts as judged once a test of it ran
            # (the controller cannot know which other tests of the row are still to come).
            rows = dict(getattr(report, "user_properties", ())).get("requirements", "")
            for rid in filter(None, (r.strip() for r in rows.split(","))):
                self.apis[api].pending_rows.setdefault(rid, set())

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        api = self.api_of.get(nodeid)
        if api is None:
            return
        entry = self.apis[api]
        entry.done.add(nodeid)
        for pending in entry.pending_rows.values():
            pending.discard(nodeid)
        now = time.monotonic()
        if self.mode == "tty":
            self._draw()
        elif self.mode == "lines" and now - self.last_write >= self.interval:
            self.last_write = now
            self._line()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session):
        try:
            return (yield)
        finally:
            self._erase()  # before the final lines (cleanup, verdict, files)

    def close(self) -> None:
        self._erase()

    # --- estimates -----------------------------------------------------------------------
    def _pace(self) -> float | None:
        """Seconds of wall time per second of expected test time, measured so far."""
        if self.first_start is None:
            return None
        done = [n for entry in self.apis.values() for n in entry.done]
        expected_done = sum(self.expected[n] for n in done)
        elapsed = time.monotonic() - self.first_start
        if len(done) < 3 or expected_done <= 0 or elapsed < 1:
            return None
        return elapsed / expected_done

    def left(self, api: str | None = None) -> float | None:
        pace = self._pace()
        if pace is None:
            return None
        entries = [self.apis[api]] if api else list(self.apis.values())
        return pace * sum(self.expected[n] for e in entries for n in e.tests if n not in e.done)

    def lines(self) -> list[str]:
        out = []
        width = max(len(name) for name in self.apis) if self.apis else 0
        for name, entry in self.apis.items():
            state = "done" if len(entry.done) == len(entry.tests) else ("running" if name == self.current else "waiting")
            left = self.left(name)
            eta = f", {_about(left)} left" if left is not None and state != "done" else ""
            failing = f", {entry.failing} failing" if entry.failing else ""
            rows = f"rows {entry.rows_judged}" if self.by_report else f"rows {entry.rows_judged}/{entry.rows_total}"
            out.append(f"  {name:<{width}}  {state:<7}  {rows}  "
                       f"tests {len(entry.done)}/{len(entry.tests)}{failing}{eta}")
        out.append(self._overall())
        return out

    def _overall(self) -> str:
        done = sum(len(e.done) for e in self.apis.values())
        total = sum(len(e.tests) for e in self.apis.values())
        rows = sum(e.rows_judged for e in self.apis.values())
        rows_total = sum(e.rows_total for e in self.apis.values())
        elapsed = time.monotonic() - self.first_start if self.first_start else 0.0
        left = self.left()
        eta = f", {_about(left)} left" if left is not None else ""
        judged = f"rows {rows}" if self.by_report else f"rows {rows}/{rows_total}"
        return (f"progress: {judged}, tests {done}/{total}, "
                f"{_duration(elapsed)} elapsed{eta}")

    # --- writing -------------------------------------------------------------------------
    def _line(self) -> None:
        parts = [(f"{name} tests {len(e.done)}/{len(e.tests)}" if self.by_report else f"{name} rows {e.rows_judged}/{e.rows_total}") for name, e in self.apis.items()
                 if e.done and len(e.done) < len(e.tests)]
        line = self._overall() + (f" ({'; '.join(parts)})" if parts else "")
        self._write_line(line)

    def _write_line(self, line: str) -> None:
        reporter = self.config.pluginmanager.get_plugin("terminalreporter") if self.config else None
        if reporter is None:
            self.stream.write(REDACTOR.text(line) + "\n")
            self.stream.flush()
            return
        writer = getattr(reporter, "_tw", None)
        if writer is not None and writer.width_of_current_line:
            reporter.write("\n")  # after pytest's dots; they go on below
        reporter.write_line(REDACTOR.text(line))

    def _draw(self) -> None:
        now = time.monotonic()
        if self.drawn and now - self.last_write < TTY_REFRESH:
            return
        self.last_write = now
        columns = shutil.get_terminal_size((100, 20)).columns
        lines = self.lines()
        text = (f"\x1b[{self.drawn}F" if self.drawn else "") + "".join(
            "\x1b[2K" + REDACTOR.text(line)[: columns - 1] + "\n" for line in lines)
        self.stream.write(text)
        self.stream.flush()
        self.drawn = len(lines)

    def _erase(self) -> None:
        if self.mode == "tty" and self.drawn:
            self.stream.write(f"\x1b[{self.drawn}F\x1b[J")
            self.stream.flush()
            self.drawn = 0


def _durations(load: Any) -> dict[str, float]:
    try:
        return load(None)
    except Exception:  # a broken committed file only costs the estimate its precision
        return {}
