"""The `conformance` command: run, mock, diff, compare, merge.

Exit codes: 0 passed, 1 conformance failure (or breaking change / regression), 2 bad usage or
configuration (one line, no traceback), 3 the run could not complete.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from conformance import __version__
from conformance.errors import ConfigError, ConformanceError
from conformance.redact import REDACTOR


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        raise ConfigError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="conformance", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"conformance {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run the conformance suite against a target (default: the embedded mock)")
    run.add_argument("--api", action="append", default=[], metavar="NAME", help="API to test (repeatable; default all)")
    run.add_argument("--target", metavar="FILE", help="target file (TOML); default: start the embedded mock")
    run.add_argument("--profile", default="quick", choices=["quick", "full"])
    run.add_argument("--max-examples", type=int, metavar="N",
                     help="at most N generated examples per operation in the property tests (a smoke run)")
    run.add_argument("--report-dir", metavar="DIR", help="where to write report.html, summary.json, junit.xml")
    run.add_argument("--seed", type=int, help="seed of the generated data, to reproduce a run")
    run.add_argument("--allow-production", action="store_true", help="allow production hosts named in the docs")
    run.add_argument("--waivers", metavar="FILE", help="waiver file (TOML) of known, dated deviations")
    run.add_argument("--baseline", metavar="SUMMARY", help="an earlier summary.json to compare this run with")
    run.add_argument("--mock-fault", metavar="NAME", help="start the embedded mock with this named fault")
    run.add_argument("--mock-variant", action="append", default=[], metavar="NAME",
                     help="embedded mock plays this doc-allowed variant (repeatable; see mock --list-variants)")
    run.add_argument("--serve-edition", action="append", default=[], metavar="API=EDITION",
                     help="embedded mock serves API with another edition's mock (e.g. "
                          "profile-command=profile-command-legacy: what an upgrading client meets)")
    run.add_argument("-k", dest="keyword", metavar="EXPR", help="only tests matching this pytest expression")
    run.add_argument("--requirement", action="append", default=[], metavar="ID",
                     help="only the tests that check this requirement (repeatable), e.g. to re-check a failure")
    run.add_argument("--category", action="append", default=[], metavar="NAME",
                     help="only the tests of this catalogue category (repeatable), e.g. auth, limits")
    run.add_argument("-m", dest="markers", metavar="EXPR", help='only tests matching this pytest marker expression, '
                     'e.g. "auth or limits" (every catalogue category is a marker)')
    run.add_argument("--docs", metavar="DIR", help="folder of the vendor docs (not shipped): the report quotes the "
                     "cited lines (also CONFORMANCE_DOCS, or docs in the target file's [target] table)")
    run.add_argument("--shard", metavar="K/N", help="run shard K of N: a deterministic, duration-balanced share of "
                     "the selected tests (each API's dependent tests stay together); join with `conformance merge`")
    run.add_argument("--shard-durations", metavar="FILE", help="seconds per test balancing the shards (default: the "
                     "committed conformance/_durations.json; `conformance merge --durations-out` refreshes it)")
    run.add_argument("--workers", type=int, metavar="N",
                     help="run the tests on N processes side by side (pytest-xdist), under one shared rate limit per "
                          "API (default: 1 against the embedded mock, up to 4 against a target over a network)")
    run.add_argument("--progress", default="auto", choices=["auto", "tty", "lines", "off"],
                     help="progress: in place on a terminal (tty), a line every few seconds in CI logs (lines); "
                          "default auto (also CONFORMANCE_PROGRESS)")

    merge = sub.add_parser("merge", help="join the reports of a run's shards (run --shard K/N) into one")
    merge.add_argument("dirs", nargs="+", metavar="DIR",
                       help="a shard's report directory or summary.json, or a folder of them (repeatable)")
    merge.add_argument("--report-dir", metavar="DIR", help="where to write the merged report.html, summary.json, "
                       "junit.xml (default reports/merged-<time>/)")
    merge.add_argument("--baseline", metavar="SUMMARY", help="an earlier summary.json to compare the merged run with")
    merge.add_argument("--durations-out", metavar="FILE",
                       help="also write the tests' durations (for run --shard-durations, or to commit as "
                            "conformance/_durations.json)")

    mock = sub.add_parser("mock", help="serve the mock of one or more APIs")
    mock.add_argument("--api", action="append", default=[], metavar="NAME", help="API to serve (repeatable; default all)")
    mock.add_argument("--host", default="127.0.0.1")
    mock.add_argument("--port", type=int, default=8080)
    mock.add_argument("--write-target", metavar="FILE", help="write a target file pointing at this mock")
    mock.add_argument("--fault", metavar="NAME", help="start with this named defect (see --list-faults)")
    mock.add_argument("--list-faults", action="store_true", help="list the named faults and exit")
    mock.add_argument("--variant", action="append", default=[], metavar="NAME",
                      help="play this doc-allowed variant (repeatable; see --list-variants)")
    mock.add_argument("--list-variants", action="store_true",
                      help="list the doc-allowed variants (name, API, description, what allows it) and exit")
    mock.add_argument("--serve-edition", action="append", default=[], metavar="API=EDITION",
                      help="serve API with another edition's mock")

    settings = sub.add_parser("settings", help="the target settings each API's spec defines (x-settings), with defaults")
    settings.add_argument("--api", action="append", default=[], metavar="NAME", help="API to show (repeatable; default all)")
    settings.add_argument("--markdown", action="store_true", help="as the Markdown table README.md holds")

    diff = sub.add_parser("diff", help="what changed between two editions of a spec (exit 1 on a breaking change)")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--format", choices=["text", "json"], default="text")

    compare = sub.add_parser("compare", help="behavioural diff of two runs' summary.json (exit 1 on a regression)")
    compare.add_argument("old")
    compare.add_argument("new")
    compare.add_argument("--format", choices=["text", "json"], default="text")
    return parser


def _cmd_run(args: argparse.Namespace) -> int:
    from conformance.runner import RunOptions, run

    return run(
        RunOptions(
            apis=args.api, target=args.target, profile=args.profile, max_examples=args.max_examples,
            report_dir=args.report_dir, seed=args.seed,
            allow_production=args.allow_production, waivers=args.waivers, baseline=args.baseline,
            mock_fault=args.mock_fault, keyword=args.keyword, requirements=args.requirement, serve_editions=args.serve_edition,
            mock_variants=args.mock_variant, categories=args.category, markers=args.markers, docs=args.docs,
            shard=args.shard, durations=args.shard_durations, progress=args.progress, workers=args.workers,
        )
    )


def _cmd_merge(args: argparse.Namespace) -> int:
    from conformance.report import merge

    return merge.run(args.dirs, args.report_dir, baseline=args.baseline, durations_out=args.durations_out)


def _cmd_mock(args: argparse.Namespace) -> int:
    from conformance import registry, target
    from conformance.mock.server import MockServer, build_mocks, parse_editions
    from conformance.mock.base import MockClock

    names = args.api or list(registry.all_apis())
    if args.list_faults:
        for mock in build_mocks(names, None, MockClock()):
            for fault in mock.FAULTS.values():
                print(f"{mock.name:24} {fault.name:28} {fault.description}  [breaks {', '.join(fault.breaks)}]")
        return 0
    if args.list_variants:
        from conformance.mock.server import known_variants

        for variant in known_variants(build_mocks(names, None, MockClock())).values():
            touches = f"  [may warn {', '.join(variant.touches)}]" if variant.touches else ""
            print(f"{variant.name:28} {variant.api:24} {variant.description}  (allowed by: {variant.allowed_by}){touches}")
        return 0
    server = MockServer(names, host=args.host, port=args.port, fault=args.fault,
                        editions=parse_editions(args.serve_edition), variants=args.variant)
    tgt = server.target()
    tgt.is_embedded_mock = False
    if args.write_target:
        path = Path(args.write_target)
        try:
            path.write_text(target.to_toml(tgt), encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"conformance mock on {server.base}" + (f" with fault {args.fault!r}" if args.fault else "")
          + (f" playing {', '.join(server.variants)}" if server.variants else ""))
    for name, api in tgt.apis.items():
        creds = ", ".join(f"{k}={v}" for k, v in api.credentials.items())
        print(f"  {name}: {api.base_url}  demo credentials: {creds}")
    print(f"  control: {server.base}/_mock (clock, state)")
    if args.write_target:
        print(f"  target file: {args.write_target}")
    sys.stdout.flush()
    server.serve_forever()
    return 0


def _cmd_settings(args: argparse.Namespace) -> int:
    from conformance import registry, specs

    names = args.api or sorted(registry.all_apis())
    for name in names:
        registry.get(name)  # an unknown name is a usage error
    if args.markdown:
        print(specs.settings_markdown(names), end="")
        return 0
    for name in names:
        print(f"[apis.{name}.settings]")
        for key, meta in specs.settings(name).items():
            meta = meta or {}
            note = " ".join(str(meta.get("description") or meta.get("x-doc-note") or "").split())
            assumed = " (an assumption: the doc is silent)" if meta.get("x-assumption") else ""
            print(f"  {key} = {json.dumps(meta.get('default'))}{assumed}\n      {note}")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from conformance.specdiff import diff_files, render_text

    changes = diff_files(args.old, args.new)
    if args.format == "json":
        import json

        print(json.dumps(changes, indent=2))
    else:
        print(render_text(changes))
    return 1 if changes["breaking"] else 0


def _cmd_compare(args: argparse.Namespace) -> int:
    import json

    from conformance.report import summary
    from conformance.report.compare import compare, render_text

    changes = compare(summary.load(args.old), summary.load(args.new))
    print(json.dumps(changes, indent=2) if args.format == "json" else render_text(changes))
    return 1 if changes["regression"] else 0


def _terminate_as_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM (a CI runner's cancel) ends a command like SIGINT does


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate_as_interrupt)
    try:
        args = _parser().parse_args(argv)
        handler = {"run": _cmd_run, "mock": _cmd_mock, "diff": _cmd_diff, "compare": _cmd_compare, "settings": _cmd_settings,
                   "merge": _cmd_merge}[args.command]
        return handler(args)
    except ConformanceError as exc:
        print(f"conformance: {REDACTOR.text(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("conformance: interrupted", file=sys.stderr)
        return 3
    except BrokenPipeError:  # `conformance settings | head`: the reader left
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
