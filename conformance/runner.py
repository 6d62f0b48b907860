"""`conformance run`: a thin wrapper over the pytest plugin (`conformance.suite.plugin`).

It turns the command's options into the plugin's `--conformance-*` options, runs pytest with
the suite's own configuration (independent of any project's pytest set-up), and turns what
the plugin found into the exit code a CI gate reads. Every rule of a run lives in the plugin,
so `pytest --conformance-target t.toml` judges exactly as `conformance run --target t.toml`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conformance.errors import ConfigError, ConformanceError
from conformance.redact import REDACTOR

INI = Path(__file__).resolve().parent / "suite" / "pytest.ini"


@dataclass
class RunOptions:
    apis: list[str] = field(default_factory=list)
    target: str | None = None
    profile: str = "quick"
    max_examples: int | None = None  # at most this many generated examples per operation
    report_dir: str | None = None
    seed: int | None = None
    allow_production: bool = False
    waivers: str | None = None
    baseline: str | None = None
    docs: str | None = None
    mock_fault: str | None = None  # embedded mock only: start it with this named defect
    mock_variants: list[str] = field(default_factory=list)  # embedded mock only: doc-allowed variants
    serve_editions: list[str] = field(default_factory=list)  # embedded mock only: API=EDITION
    keyword: str | None = None  # pytest -k, to run part of a suite
    markers: str | None = None  # pytest -m
    requirements: list[str] = field(default_factory=list)  # only the tests checking these ids
    categories: list[str] = field(default_factory=list)  # only the tests of these catalogue categories
    quiet: bool = False
    shard: str | None = None  # "K/N": run shard K of N (conformance.suite.shard)
    durations: str | None = None  # durations file balancing the shards
    progress: str = "auto"  # auto | tty | lines | off (conformance.progress)
    workers: int | None = None  # processes running tests side by side (conformance.suite.workers)


class RedactingStream(io.TextIOBase):
    """Whatever pytest prints passes through the redactor first."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(REDACTOR.text(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", "utf-8")


class _Probe:
    """Hands the run's pytest config back to the wrapper: the plugin keeps its findings there."""

    config: pytest.Config | None = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_cmdline_main(self, config: pytest.Config) -> None:  # before any plugin configures
        self.config = config


def _default_report_dir() -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return str(Path("reports") / f"run-{stamp}-{uuid.uuid4().hex[:6]}")


def pytest_args(options: RunOptions) -> list[str]:
    """The plugin options (and pytest's own) that express a `conformance run`."""
    if options.profile not in ("quick", "full"):
        raise ConfigError(f"--profile must be quick or full, not {options.profile!r}")
    args = [
        "-c", str(INI),
        "--rootdir", str(INI.parents[1]),
        "--import-mode=importlib",
        "--assert=plain",  # the suite asserts through expect(); rewriting 300 modules cost ~2 s a run
        "-p", "no:cacheprovider",
        "-p", "no:randomly",
        "-p", "no:warnings",
        "-q", "--no-header", "--tb=no", "-rN",
        "--conformance-target", options.target or "mock",
        "--conformance-profile", options.profile,
        "--conformance-report-dir", options.report_dir or _default_report_dir(),
    ]
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        args += ["-p", "conformance.suite.plugin", "-p", "pytest_html", "-p", "schemathesis.pytest.plugin"]
    single = {"--conformance-seed": options.seed, "--conformance-waivers": options.waivers,
              "--conformance-baseline": options.baseline, "--conformance-docs": options.docs,
              "--conformance-mock-fault": options.mock_fault, "-k": options.keyword, "-m": options.markers,
              "--conformance-shard": options.shard,
              "--conformance-max-examples": options.max_examples, "--conformance-durations": options.durations}
    args += [item for flag, value in single.items() if value is not None for item in (flag, str(value))]
    repeated = {"--conformance-api": options.apis, "--conformance-mock-variant": options.mock_variants,
                "--conformance-serve-edition": options.serve_editions,
                "--conformance-requirement": options.requirements, "--conformance-category": options.categories}
    args += [item for flag, values in repeated.items() for value in values for item in (flag, value)]
    if options.allow_production:
        args.append("--conformance-allow-production")
    from conformance.suite.workers import xdist_args

    args += xdist_args(workers_for(options))
    return args


def workers_for(options: RunOptions) -> int:
    """The processes a run uses: --workers, or the default for its target."""
    from conformance.suite.workers import MAX_WORKERS, default_workers

    if options.workers is None:
        if options.shard:
            return 1  # each shard is one machine's share; --workers would split it again
        return default_workers(options.target, options.mock_variants)
    if not 1 <= options.workers <= MAX_WORKERS:
        raise ConfigError(f"--workers must be from 1 to {MAX_WORKERS}, not {options.workers}")
    return options.workers


def run(options: RunOptions) -> int:
    from conformance.suite.plugin import FATAL, PLUGIN

    from conformance.progress import Progress

    args = pytest_args(options)
    probe = _Probe()
    out = sys.stdout if not options.quiet else open(os.devnull, "w")
    progress = Progress.for_stream(out, "off" if options.quiet else options.progress)
    if progress.mode == "tty":
        args += ["-o", "console_output_style=classic"]  # the in-place lines replace pytest's dots and [ n%]
    errors = io.StringIO()
    with contextlib.redirect_stdout(RedactingStream(out)), contextlib.redirect_stderr(errors), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libraries' warnings (hypothesis, schemathesis) are not the run's output
        try:
            code = pytest.main(args, plugins=[probe, progress])
        finally:
            progress.close()
    config = probe.config
    fatal = config.stash.get(FATAL, None) if config is not None else None
    if fatal is not None:
        raise fatal  # one line on stderr, with its exit code (2 bad usage, 3 could not run)
    sys.stderr.write(REDACTOR.text(errors.getvalue()))
    plugin = config.stash.get(PLUGIN, None) if config is not None else None
    data = plugin.data if plugin is not None else None
    if data is None:
        raise ConformanceError(f"the suite could not run (pytest exit {int(code)}); see the output above")
    if data["run"]["stopped"]:
        print(f"conformance: {data['run']['stopped']}", file=sys.stderr)
    return data["exit_code"]
