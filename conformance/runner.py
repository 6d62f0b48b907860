"""`conformance run`: pick the target, run the selected APIs' suites under pytest, write the
reports, and turn the outcome into the exit code a CI gate reads."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance import __version__, catalogue, registry, specs
from conformance import target as targets
from conformance.errors import ConfigError, ConformanceError
from conformance.redact import REDACTOR
from conformance.report import html, junit, summary
from conformance.report.results import STATUSES, load_waivers
from conformance.suite.context import RunInfo

INI = Path(__file__).resolve().parent / "suite" / "pytest.ini"


@dataclass
class RunOptions:
    apis: list[str] = field(default_factory=list)
    target: str | None = None
    profile: str = "quick"
    report_dir: str | None = None
    seed: int | None = None
    allow_production: bool = False
    waivers: str | None = None
    baseline: str | None = None
    mock_fault: str | None = None  # embedded mock only: start it with this named defect
    serve_editions: list[str] = field(default_factory=list)  # embedded mock only: API=EDITION
    keyword: str | None = None  # pytest -k, to run part of a suite
    requirements: list[str] = field(default_factory=list)  # only the tests checking these ids
    today: dt.date | None = None
    quiet: bool = False


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


def _report_dir(option: str | None, run: RunInfo) -> Path:
    if option:
        path = Path(option)
    else:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path("reports") / f"run-{stamp}-{run.run_id}"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create report directory {path}: {exc.strerror or exc}") from None
    return path


def _hypothesis_profile(profile: str) -> None:
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        f"conformance-{profile}",
        deadline=None,
        database=None,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
        max_examples=25 if profile == "quick" else 150,
    )
    settings.load_profile(f"conformance-{profile}")


def run(options: RunOptions) -> int:
    if options.profile not in ("quick", "full"):
        raise ConfigError(f"--profile must be quick or full, not {options.profile!r}")
    for name in options.apis:
        registry.get(name)  # unknown names are a usage error
    waivers = load_waivers(options.waivers)
    baseline = summary.load(options.baseline) if options.baseline else None
    seed = options.seed if options.seed is not None else random.randrange(1, 2**31)
    run_info = RunInfo(profile=options.profile, seed=seed)

    mock = None
    if options.target:
        if options.mock_fault or options.serve_editions:
            raise ConfigError("--mock-fault and --serve-edition apply to the embedded mock only, not with --target")
        target = targets.select(targets.load(options.target), options.apis)
        targets.refuse_production(target, options.allow_production)
        targets.check_reachable(target)
    else:
        from conformance.mock.server import MockServer, parse_editions

        names = options.apis or list(registry.all_apis())
        editions = parse_editions(options.serve_editions)
        mock = MockServer(names, fault=options.mock_fault, editions=editions).start()
        target = mock.target()
    try:
        known: set[str] = set()
        for name in target.apis:  # a spec or catalogue that does not load ends the run here (exit 3)
            specs.load_spec(name)
            known |= {row.id for row in catalogue.load(name)}
        unknown = sorted(set(options.requirements) - known)
        if unknown:
            raise ConfigError(f"--requirement {', '.join(unknown)}: no such requirement in the selected APIs")
        report_dir = _report_dir(options.report_dir, run_info)
        return _run_suites(options, target, run_info, report_dir, waivers, baseline, mock)
    finally:
        if mock is not None:
            mock.stop()


def _run_suites(options, target, run_info, report_dir, waivers, baseline, mock) -> int:
    import pytest

    from conformance.suite.plugin import ConformancePlugin

    infos = {name: registry.get(name) for name in target.apis}
    suites = {name: info.suite_dir for name, info in infos.items()}
    _hypothesis_profile(options.profile)
    context = {
        "target": target,
        "infos": infos,
        "options": options,
        "run": run_info,
        "report_dir": report_dir,
        "baseline": baseline,
        "mock_fault": options.mock_fault,
    }
    plugin = ConformancePlugin(
        target, suites, run_info, waivers=waivers, today=options.today,
        html_summary=lambda p: html.signoff_sections(p, context), only=tuple(options.requirements),
    )
    args = [str(path) for path in suites.values()] + [
        "-c", str(INI),
        "--rootdir", str(Path(__file__).resolve().parent),
        "--import-mode=importlib",
        "--assert=plain",  # the suite asserts through expect(); rewriting 300 modules cost ~2 s a run
        "-p", "no:cacheprovider",
        "-p", "no:randomly",
        "-p", "no:warnings",
        "--html", str(report_dir / "report.html"),
        "--self-contained-html",
        f"--hypothesis-seed={run_info.seed}",
        "-q", "--no-header", "--tb=no", "-rN",
    ]
    if options.keyword:
        args += ["-k", options.keyword]
    out = sys.stdout if not options.quiet else open(os.devnull, "w")
    stream = RedactingStream(out)
    with contextlib.redirect_stdout(stream):
        code = pytest.main(args, plugins=[plugin])
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.INTERRUPTED):
        raise ConformanceError(f"the suite could not run (pytest exit {int(code)}); see the output above")

    rows = plugin.requirements
    data = context.get("data") or summary.build(plugin, context)  # the HTML hook built it already
    summary.write(report_dir / "summary.json", data)
    junit.write(report_dir / "junit.xml", rows, target)
    _scrub(report_dir)
    exit_code = data["exit_code"]
    _print_outcome(data, report_dir, exit_code)
    return exit_code


def _scrub(report_dir: Path) -> None:
    """Last line of defence: no known secret survives in anything the run wrote."""
    for path in report_dir.rglob("*"):
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            clean = REDACTOR.text(text)
            if clean != text:
                path.write_text(clean, encoding="utf-8")


def _print_outcome(data: dict[str, Any], report_dir: Path, exit_code: int) -> None:
    print()
    for api, counts in data["counts"]["by_api"].items():
        shown = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts.get(s))
        print(f"{api}: {shown}")
    for row in data["requirements"]:
        if row["status"] in ("failed", "error", "warning"):
            label = {"failed": "FAILED", "error": "ERROR", "warning": "WARNING"}[row["status"]]
            print(f"  {label} {row['id']} ({row['api']}, {row['doc']}): {row['message'][:300]}")
    for problem in data.get("cleanup_problems", []):
        print(f"  CLEANUP {problem}")
    print(f"verdict: {data['verdict']['label']} (exit {exit_code})")
    print(f"report: {(report_dir / 'report.html').resolve()}")
    print(f"summary: {(report_dir / 'summary.json').resolve()}  junit: {(report_dir / 'junit.xml').resolve()}")
