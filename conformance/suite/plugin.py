"""The conformance suite as a pytest plugin (entry point `pytest11: conformance`).

Installed, it is inert until asked: `--conformance-target FILE|mock` (or `--conformance-api`)
starts a run, aims it at the target (or starts the embedded mock), collects the suites of the
target's APIs unless paths are given, and with `--conformance-report-dir` writes report.html,
summary.json and junit.xml. Every catalogue category is a marker (`pytest -m "auth or limits"`).
`conformance run` is a thin wrapper that passes its options as these.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from conformance import _compat, catalogue, registry, specs
from conformance import target as targets
from conformance.errors import ConfigError, ConformanceError, TargetUnreachable
from conformance.http import CURRENT_RECORDER, RESENDS_429, Recorder
from conformance.redact import REDACTOR
from conformance.report.results import RequirementResult, TestResult, Waiver, aggregate, load_waivers
from conformance.suite.context import ApiContext, RunInfo
from conformance.suite import outcome, workers
from conformance.suite.options import Settings, add_options
from conformance.suite.outcome import NOT_APPLICABLE, RequirementFailure
from conformance.target import Target

EVIDENCE_EXCHANGES = 4
UNREACHABLE_PREFIX = "target unreachable: "
UNREACHABLE_LIMIT = 3  # consecutive tests that could not reach the target: the run stops
MARKERS = (
    "req(*ids): the requirement ids (from the API's catalogue) this test checks",
    "disruptive: the test pushes the target past a limit; it runs after the others",
    "after_suite: the test judges what the API's other tests saw; it runs after all of them",
)
# Run order within a run: ordinary tests, then disruptive ones, then after_suite ones.
ORDER = ("disruptive", "after_suite")


def marker_ids(item: pytest.Item) -> tuple[str, ...]:
    """The requirement ids a test's `req` markers name (its own and its parameter's)."""
    ids: list[str] = []
    for mark in item.iter_markers("req"):
        ids += list(mark.args)
    return tuple(dict.fromkeys(ids))


def run_order(item: pytest.Item) -> int:
    return max((i + 1 for i, name in enumerate(ORDER) if item.get_closest_marker(name)), default=0)


# The plugin of the run being collected: test modules build their property tests' schemas at
# import (contract.schema_for), when no fixture can reach the run yet.
COLLECTING: contextvars.ContextVar["ConformancePlugin"] = contextvars.ContextVar("conformance_collecting")


def _find(exc: BaseException | None, kind: type) -> BaseException | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, kind):
            return exc
        if isinstance(exc, BaseExceptionGroup):
            for inner in exc.exceptions:
                found = _find(inner, kind)
                if found:
                    return found
        exc = exc.__cause__ or exc.__context__
    return None


# --- hooks of the plugin module -----------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


@pytest.hookimpl(tryfirst=True)  # before pytest-html and hypothesis read the options we set
def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    for category in catalogue.CATEGORIES:
        config.addinivalue_line("markers", f"{category}: tests of the catalogue rows of category {category!r}")
    try:
        plugin = ConformancePlugin(config, Settings.from_config(config))
        config.stash[PLUGIN] = plugin
        config.pluginmanager.register(plugin, "conformance-run")
        # Property tests are built when they run, not when collected: a run selects a share of the
        # suite (-k, --requirement, --category, a worker's share of --workers N), and building every
        # operation's test (its coverage cases) was most of a selective run's start-up.
        _compat.defer_schemathesis_builds()
        if workers.is_worker(config):  # one of the processes of `--workers N`: the controller's run
            workers.join(plugin)
        elif workers.is_controller(config):
            if plugin.settings.shard is not None:
                raise ConfigError("--shard and --workers do not combine: run each shard with one worker")
            plugin.controller = workers.Controller(plugin)
            config.pluginmanager.register(plugin.controller, "conformance-workers")
        if plugin.settings.shard is not None:  # --conformance-shard K/N: this run's share of the tests
            from conformance.suite.shard import Shard, ShardPlugin, load_durations

            shard = Shard(*plugin.settings.shard, durations=load_durations(plugin.settings.durations))
            config.pluginmanager.register(ShardPlugin(plugin, shard), "conformance-shard")
        if plugin.settings.requested:
            plugin.start()
    except ConformanceError as exc:
        config.stash[FATAL] = exc
        raise pytest.UsageError(REDACTOR.text(str(exc))) from None


def pytest_unconfigure(config: pytest.Config) -> None:
    plugin = config.stash.get(PLUGIN, None)
    if plugin is not None:
        plugin.finish()
        config.pluginmanager.unregister(plugin)


class ConformancePlugin:
    """One conformance run: its target, the API contexts, and every test's outcome."""

    name = "conformance"

    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.started_run = False
        self.target: Target | None = None
        self.mock: Any = None
        self.run = RunInfo(profile=settings.profile, seed=settings.seed, max_examples=settings.max_examples)
        self.waivers: list[Waiver] = []
        self.baseline: dict[str, Any] | None = None
        self.docs: Path | None = None
        self.suites: dict[str, Path] = {}
        self._api_of: dict[str, str | None] = {}  # path -> API (api_of)
        self._suite_roots: list[tuple[Path, str]] | None = None
        self.report_dir: Path | None = None
        self.today = dt.date.today()
        self.only = set(settings.requirements)  # run only the tests checking these requirement ids
        self.contexts: dict[str, ApiContext] = {}
        self.item_api: dict[str, str] = {}
        self.item_ids: dict[str, tuple[str, ...]] = {}
        self.deselected: set[str] = set()  # requirement ids of tests a selection left out
        self.tests: dict[str, TestResult] = {}
        self.requirements: list[RequirementResult] = []
        self.cleanup_problems: list[str] = []
        self.collected = 0
        self.unreachable_streak = 0
        self.stopped: str | None = None  # why the run ended early (a signal, a dead target)
        self.result: Any = None  # the result model (report.model.RunResult), built once at the end
        self.data: dict[str, Any] | None = None  # its JSON view (summary.json)
        self.shard: Any = None  # conformance.suite.shard.Shard of a `--conformance-shard K/N` run
        self.controller: Any = None  # workers.Controller: the xdist controller of `--workers N`
        self.worker_out: Path | None = None  # a worker's summary.json, which the controller merges
        self.selected_ids: set[str] = set()  # requirement ids of the tests selected to run
        self.api_lock: Any = None  # workers.ApiLock in a worker: disruptive tests hold their API alone
        self.started = dt.datetime.now(dt.timezone.utc)
        self.finished: dt.datetime | None = None
        self._signals: dict[int, Any] = {}

    # --- starting a run -------------------------------------------------------------------------
    def start(self) -> None:
        """Aim the run at its target: load and check the target file, or start the embedded mock."""
        if self.started_run:
            return
        self.started_run = True
        s = self.settings
        for name in s.apis:
            registry.get(name)  # unknown names are a usage error
        unknown = sorted(set(s.categories) - set(catalogue.CATEGORIES))
        if unknown:
            raise ConfigError(f"unknown category {unknown[0]!r}; known: {', '.join(catalogue.CATEGORIES)}")
        self.waivers = load_waivers(s.waivers)
        if s.baseline:
            from conformance.report import summary

            self.baseline = summary.load(s.baseline)
        if self.worker_out is not None:
            self.target = workers.target_from_input(self.config.workerinput[workers.INPUT]["target"])
        elif s.embedded:
            self.target = self._start_mock()
        else:
            target = targets.select(targets.load(s.target), s.apis)
            targets.refuse_production(target, s.allow_production)
            targets.check_reachable(target)
            self.target = target
        self.docs = self._docs_dir()
        known: set[str] = set()
        for name in self.target.apis:  # a spec or catalogue that does not load ends the run (exit 3)
            specs.load_spec(name)
            known |= {row.id for row in catalogue.load(name)}
        missing = sorted(self.only - known)
        if missing:
            raise ConfigError(f"--requirement {', '.join(missing)}: no such requirement in the selected APIs")
        self.suites = {name: registry.get(name).suite_dir.resolve() for name in self.target.apis}
        self._configure_pytest()
        self._trap_signals()

    def _start_mock(self) -> Target:
        from conformance.mock.server import MockServer, parse_editions

        s = self.settings
        names = s.apis or list(registry.all_apis())
        self.mock = MockServer(names, fault=s.mock_fault, editions=parse_editions(s.serve_editions),
                               variants=s.mock_variants).start()
        return self.mock.target()

    def _docs_dir(self) -> Path | None:
        explicit = self.settings.docs or (self.target.docs if self.target else None)
        folder = specs.docs_dir(explicit)
        if folder is not None and not folder.is_dir():
            raise ConfigError(f"vendor docs folder not found: {folder}")
        return folder

    def _configure_pytest(self) -> None:
        from hypothesis import HealthCheck, settings

        config = self.config
        settings.register_profile(
            f"conformance-{self.run.profile}", deadline=None, database=None, print_blob=False,
            suppress_health_check=list(HealthCheck),
            max_examples=min(25 if self.run.profile == "quick" else 150, self.run.max_examples or 10**6),
        )
        settings.load_profile(f"conformance-{self.run.profile}")
        config.option.hypothesis_seed = str(self.run.seed)
        if config.args_source != pytest.Config.ArgsSource.ARGS:
            # No paths given: the suites of the target's APIs are the tests.
            config.args = [str(path) for path in self.suites.values()]
        if self.settings.report_dir is not None and self.worker_out is None:  # workers write no report
            self.report_dir = self.settings.report_dir
            try:
                self.report_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(f"cannot create report directory {self.report_dir}: {exc.strerror or exc}") from None
            config.option.htmlpath = str(self.report_dir / "report.html")
            config.option.self_contained_html = True

    def _trap_signals(self) -> None:
        """SIGINT and SIGTERM end the run the same way: cleanup, then reports marked incomplete."""
        if threading.current_thread() is not threading.main_thread():
            return

        def interrupted(signum: int, frame: Any) -> None:
            if self.stopped and self.stopped.startswith("interrupted"):
                return  # already stopping (a second Ctrl-C, or the controller's): let cleanup finish
            self.stopped = f"interrupted ({signal.Signals(signum).name})"
            if self.controller is not None:
                # --workers: the workers hold the data; each stops, cleans up and writes its results,
                # and the controller, still waiting for them, reports the run as interrupted.
                self.controller.interrupt()
                return
            raise KeyboardInterrupt

        for signum in (signal.SIGINT, signal.SIGTERM):
            self._signals[signum] = signal.signal(signum, interrupted)

    def finish(self) -> None:
        for signum, handler in self._signals.items():
            signal.signal(signum, handler)
        self._signals.clear()
        if self.report_dir is not None:
            _scrub(self.report_dir)
        if self.mock is not None:
            self.mock.stop()
            self.mock = None
        if self.controller is not None:
            self.controller.close()

    # --- contexts ---------------------------------------------------------------------------
    def context(self, api: str) -> ApiContext:
        """The API's context, set up (tokens, pacing) the first time a test asks for it."""
        if api not in self.contexts:
            self.start()  # a bare `pytest --pyargs <suite>` runs against the embedded mock
            if api not in self.target.apis:
                raise ConfigError(f"{self.target.source} has no [apis.{api}] table, whose tests were collected")
            info = registry.get(api)
            setup = info.setup_function()
            context = ApiContext(self.target.apis[api], self.run, info.default_rate, state=info.state_factory())
            self.contexts[api] = context
            if setup is not None:
                setup(context)
        return self.contexts[api]

    def api_of(self, path: Path) -> str | None:
        # Asked for every test collected (and each test's module): resolved once per path.
        key = str(path)
        if key not in self._api_of:
            resolved = Path(path).resolve()
            if self._suite_roots is None:
                self._suite_roots = [(info.suite_dir.resolve(), info.name) for info in registry.all_apis().values()]
            self._api_of[key] = next((name for root, name in self._suite_roots
                                      if resolved == root or root in resolved.parents), None)
        return self._api_of[key]

    # --- collection ---------------------------------------------------------------------------
    @pytest.hookimpl(wrapper=True)
    def pytest_collection(self, session: pytest.Session):
        token = COLLECTING.set(self)
        try:
            return (yield)
        finally:
            COLLECTING.reset(token)

    @pytest.hookimpl(wrapper=True, tryfirst=True)  # outside schemathesis' wrapper, which forces its collector
    def pytest_pycollect_makeitem(self, collector: Any, name: str, obj: Any):
        """With --requirement, a test whose own `req` marker names none of its ids yields no item:
        a property test would otherwise build every operation's cases (the coverage phase's
        take seconds) only to be deselected. A test whose parameters carry their own `req`
        marks is collected as usual and selected item by item."""
        result = yield
        if not self.only or self.api_of(Path(str(collector.path))) is None:
            return result
        marks = getattr(obj, "pytestmark", None)
        if not isinstance(marks, list):
            return result
        ids = {rid for mark in marks if getattr(mark, "name", None) == "req" for rid in mark.args}
        params = any(getattr(mark, "name", None) == "parametrize" for mark in marks)
        if ids and not params and not ids & self.only:
            return []
        return result

    def pytest_ignore_collect(self, collection_path: Path, config: pytest.Config) -> bool | None:
        """With --requirement, a suite module that names none of the requirements is not even
        imported: ids are written only in markers, so a module without the id's text has no test
        of it (and building its property tests' cases would cost seconds)."""
        if not self.only or collection_path.suffix != ".py" or not collection_path.name.startswith("test_"):
            return None
        if self.api_of(collection_path) is None:
            return None
        try:
            text = collection_path.read_text(encoding="utf-8")
        except OSError:
            return None
        return True if not any(rid in text for rid in self.only) else None

    @pytest.hookimpl(tryfirst=True)  # before -m / -k deselect: category markers are added here
    def pytest_collection_modifyitems(self, session: pytest.Session, config: pytest.Config, items: list) -> None:
        problems = []
        ours = []
        for item in items:
            api = self.api_of(Path(item.fspath))
            if api is None:
                continue  # not a conformance test: none of our business
            _unique_nodeid(item)
            item.stash[NODEID] = item.nodeid  # what results name it by (xdist's loadgroup appends `@group`)
            ours.append(item)
            ids = marker_ids(item)
            rows = {r.id: r for r in catalogue.load(api)}
            unknown = [i for i in ids if i not in rows]
            if any(mark.kwargs for mark in item.iter_markers("req")):
                problems.append(f"{item.nodeid}: req(...) takes requirement ids only, not keywords")
            if not ids:
                problems.append(f"{item.nodeid}: no @pytest.mark.req(...) naming the requirements it checks")
            elif unknown:
                problems.append(f"{item.nodeid}: requirement ids not in the {api} catalogue: {', '.join(unknown)}")
            for category in sorted({rows[i].category for i in ids if i in rows}):
                item.add_marker(category)
            self.item_api[item.nodeid] = api
            self.item_ids[item.nodeid] = ids
        if problems:
            self.config.stash[FATAL] = ConformanceError("suite defect: " + "; ".join(problems))
            raise pytest.UsageError("suite defect:\n  " + "\n  ".join(problems))
        if not ours:
            return
        self.start()
        if not self.settings.apis and config.args_source == pytest.Config.ArgsSource.ARGS:
            # Paths were given: report the APIs whose tests were collected.
            collected = {self.item_api[item.nodeid] for item in ours}
            self.suites = {api: path for api, path in self.suites.items() if api in collected}
        keep = items
        if self.only:
            keep = [i for i in keep if i not in ours or self.only & set(self.item_ids[i.nodeid])]
        if self.settings.categories:
            wanted = set(self.settings.categories)
            keep = [i for i in keep if i not in ours or wanted & {m.name for m in i.iter_markers()}]
        if self.worker_out is not None:  # the groups xdist keeps in one worker, longest first (workers.mark_groups)
            mine = {id(i) for i in ours}
            grouped = iter(workers.mark_groups([i for i in keep if id(i) in mine], lambda i: self.item_api[i.nodeid]))
            keep = [next(grouped) if id(i) in mine else i for i in keep]
        dropped = [item for item in items if item not in keep]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = keep
        # Tests that push a target past its limits go last, so their 429s disturb no other test;
        # after them, the tests that judge what the others saw.
        items.sort(key=run_order)

    def pytest_deselected(self, items: list) -> None:
        for item in items:  # from our selection, -m or -k alike
            self.deselected.update(self.item_ids.get(item.nodeid, ()))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.collected = sum(1 for item in session.items if item.nodeid in self.item_api)
        self.selected_ids = {rid for item in session.items for rid in self.item_ids.get(item.nodeid, ())}

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed and self.started_run and not self.stopped:
            self.stopped = f"suite defect: {report.nodeid or 'collection'} could not be collected"

    # --- running ------------------------------------------------------------------------------
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: Any):
        if item.get_closest_marker("disruptive") is not None:
            # Tokens the suite needed for everything but its deliberate limit tests (which run
            # last and only where the target allows them): the figure a real tenant would see.
            for context in self.contexts.values():
                if context.tokens_before_disruptive is None:
                    context.tokens_before_disruptive = context.client.tokens_received
        recorder = Recorder()
        item.stash[_RECORDER] = recorder
        token = CURRENT_RECORDER.set(recorder)
        resends = RESENDS_429.set(item.get_closest_marker("disruptive") is None)
        previous = outcome.set_current(self.item_ids.get(item.nodeid, ()))  # what expect() judges
        api = self.item_api.get(item.nodeid)
        if self.api_lock is not None:
            self.shard.first_test = self.shard.first_test or dt.datetime.now(dt.timezone.utc).isoformat()
            self.shard.groups.update(str(m.args[0]) for m in item.iter_markers("xdist_group") if m.args)
        held = contextlib.nullcontext() if self.api_lock is None or api is None else \
            self.api_lock.held(api, exclusive=item.get_closest_marker("disruptive") is not None)
        try:
            with held:
                if self.api_lock is not None and api in self.contexts:
                    self.contexts[api].sync_clock()  # another worker's disruptive test may have moved it
                yield
        finally:
            outcome.set_current(previous)
            CURRENT_RECORDER.reset(token)
            RESENDS_429.reset(resends)

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """A row whose catalogue entry `needs:` a mock-only ability the target lacks: skipped,
        which blocks sign-off (the ability is declared in the target file)."""
        _compat.built_test(item)  # a property test built now, not at collection (defer_schemathesis_builds)
        api = self.item_api.get(item.nodeid)
        if api is None or self.target is None or api not in self.target.apis:
            return
        supports = self.target.apis[api].supports
        rows = catalogue.by_id([api])
        for rid in self.item_ids.get(item.nodeid, ()):
            needs = rows[rid].needs
            for ability in [needs] if isinstance(needs, str) else list(needs or ()):
                if ability not in supports:
                    pytest.skip(f"{rid} needs target ability {ability!r} ({targets.CAPABILITIES[ability]}), "
                                "which this target does not declare")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item):
        result = yield
        # Property tests record what they find instead of stopping at the first failure;
        # the test fails here with every requirement it found broken.
        api = self.item_api.get(item.nodeid)
        context = self.contexts.get(api) if api else None
        if context is not None and context.contract_failures:
            found, context.contract_failures = context.contract_failures, {}
            message = " | ".join(m for m, _ in found.values())
            raise RequirementFailure(list(found), message, found, complete=True)
        return result

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report = outcome.get_result()
        nodeid = item.nodeid
        if nodeid not in self.item_api:
            return
        # A test's duration is its setup, call and teardown: its fixtures create and remove data
        # through the target (seconds over a network), which is what balances shards and workers.
        elapsed = item.stash.get(_ELAPSED, 0.0) + (report.duration or 0.0)
        item.stash[_ELAPSED] = elapsed
        if report.when == "teardown" and nodeid in self.tests and not report.failed:
            self.tests[nodeid].duration = elapsed
        if report.when == "call" or (report.when == "setup" and not report.passed) or (
            report.when == "teardown" and report.failed and nodeid not in self.tests
        ):
            result = self._result(item, call, report)
            self.tests[nodeid] = result
            report.user_properties.append(("requirements", ", ".join(result.ids)))  # travels from an xdist worker
            self._decorate(report, result)
            self._watch_target(item.session, result)
        elif report.when == "teardown" and report.failed:
            # A cleanup failure after a passing test: the test's verdict stands, the problem is shown.
            self.cleanup_problems.append(f"{nodeid}: {REDACTOR.text(str(report.longrepr))[:500]}")
            report.longrepr = REDACTOR.text(str(report.longrepr))

    def _watch_target(self, session: pytest.Session, result: TestResult) -> None:
        """A target that stopped answering: after a few tests in a row could not reach it, stop."""
        unreachable = result.outcome == "error" and result.message.startswith(UNREACHABLE_PREFIX)
        self.unreachable_streak = self.unreachable_streak + 1 if unreachable else 0
        if self.unreachable_streak >= UNREACHABLE_LIMIT and not self.stopped:
            self.stopped = (f"the target stopped answering ({UNREACHABLE_LIMIT} tests in a row could not reach it: "
                            f"{result.message[:200]}); the run stopped")
            session.shouldstop = self.stopped

    def _result(self, item: pytest.Item, call: pytest.CallInfo, report: pytest.TestReport) -> TestResult:
        api = self.item_api.get(item.nodeid, "?")
        ids = self.item_ids.get(item.nodeid, ())
        nodeid = item.stash.get(NODEID, item.nodeid)
        recorder: Recorder = item.stash.get(_RECORDER, Recorder())
        evidence = [x.redacted() for x in list(recorder.exchanges)[-EVIDENCE_EXCHANGES:]]
        duration = item.stash.get(_ELAPSED, report.duration)  # the phases so far (teardown adds its own)
        if report.passed:
            return TestResult(nodeid, api, ids, "passed", duration=duration)
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            reason = reason.removeprefix("Skipped: ")
            kind = "not_applicable" if reason.startswith(NOT_APPLICABLE) else "skipped"
            return TestResult(nodeid, api, ids, kind, message=REDACTOR.text(reason))
        exc = call.excinfo.value if call.excinfo else None
        unreachable = _find(exc, TargetUnreachable)
        if unreachable is not None:
            return TestResult(nodeid, api, ids, "error", message=f"{UNREACHABLE_PREFIX}{unreachable}",
                              evidence=evidence)
        failure = _find(exc, RequirementFailure)
        if isinstance(failure, RequirementFailure):
            failed = tuple(i for i in failure.ids if i in ids)
            if not failed:
                # A step this test depends on (getting a token, say) broke another requirement,
                # which its own test reports; this test's requirements stay unverified.
                message = f"not verified: blocked by a failure of {', '.join(failure.ids)}: {failure}"
                return TestResult(nodeid, api, ids, "skipped", message=REDACTOR.text(message)[:2000],
                                  evidence=evidence)
            message = str(failure)
            details = {rid: (REDACTOR.text(m)[:2000], ev or evidence) for rid, (m, ev) in failure.details.items()}
            return TestResult(nodeid, api, ids, "failed", failed, REDACTOR.text(message)[:2000], evidence,
                              duration, details, complete=failure.complete)
        elif isinstance(exc, AssertionError) or exc is None:
            failed = ids
            message = str(exc) if exc is not None else str(report.longrepr)
        else:
            # Not a check that failed but the suite that broke: the run is incomplete, not red.
            message = f"suite error: {type(exc).__name__}: {exc}"
            return TestResult(nodeid, api, ids, "error", message=REDACTOR.text(message)[:2000],
                              evidence=evidence)
        return TestResult(
            nodeid, api, ids, "failed", failed, REDACTOR.text(message)[:2000], evidence, duration
        )

    def _decorate(self, report: pytest.TestReport, result: TestResult) -> None:
        """Redact what pytest and pytest-html will print, and attach the evidence."""
        if report.failed:
            report.longrepr = REDACTOR.text(str(report.longrepr))
        report.sections = [(title, REDACTOR.text(text)) for title, text in report.sections]
        if result.evidence:
            from pytest_html import extras

            text = "\n\n".join(
                f"{e['request']['method']} {e['request']['url']} -> {e['response']['status']}\n"
                f"request headers: {e['request']['headers']}\nrequest body: {e['request']['body']}\n"
                f"response headers: {e['response']['headers']}\nresponse body: {e['response']['body']}\n"
                f"reproduce: {e['curl']}"
                for e in result.evidence
            )
            report.extras = list(getattr(report, "extras", [])) + [extras.text(text, name="Evidence (redacted)")]

    # --- fixtures -----------------------------------------------------------------------------
    @pytest.fixture
    def run_info(self) -> RunInfo:
        return self.run

    # --- end of the session -------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.started_run or self.config.stash.get(FATAL, None) is not None:
            return
        if exitstatus == pytest.ExitCode.INTERRUPTED and not self.stopped:
            self.stopped = "interrupted"
        if self.controller is not None:  # --workers N: the workers judged; their results make the run's
            self._finish_from_workers(session)
            return
        for context in self.contexts.values():  # also after a failure, a signal or a dead target
            self.cleanup_problems += [f"{context.name}: {p}" for p in context.cleanup()]
            context.close()
        self.finished = dt.datetime.now(dt.timezone.utc)
        reqs = [r for api in self.suites for r in catalogue.load(api)]
        self.requirements = aggregate(reqs, list(self.tests.values()), self.waivers, self.today)
        for row in self.requirements:
            left_out = row.req.id in self.deselected or (self.only and row.req.id not in self.only)
            if not self._row_selected(row.req) or (row.status == "untested" and left_out):
                row.status, row.message = "not_selected", "not selected in this run"
                row.evidence = []
        if self.shard is not None:  # rows whose tests ran in another shard say so, for `conformance merge`
            self.shard.mark_rows(self.requirements)
        from conformance.report import junit, model, summary

        self.result = model.build(self)  # the one result model; three writers over it
        self.data = self.result.to_json()
        if self.report_dir is not None:
            summary.write(self.report_dir / "summary.json", self.data)
            junit.write(self.report_dir / "junit.xml", self.result)
        if self.worker_out is not None:
            self.worker_out.parent.mkdir(parents=True, exist_ok=True)
            summary.write(self.worker_out, self.data)
        session.exitstatus = self.result.exit_code

    def _finish_from_workers(self, session: pytest.Session) -> None:
        from conformance.report import junit, summary

        try:
            self.result = workers.merged_result(self)
        except ConformanceError as exc:
            self.config.stash[FATAL] = exc
            return
        if self.stopped:  # the controller itself was interrupted: its reason is the run's
            self.result.run.stopped = self.stopped
            from conformance.report import model

            self.result.exit_code, reason = model.exit_code(self.result.rows, self.result.tests, self.result.run.stopped)
            self.result.verdict = model.verdict(self.result.rows, self.result.exit_code, reason)
        if self.baseline is not None:
            from conformance.report.compare import compare

            self.result.baseline = compare(self.baseline, self.result.to_json())
        self.requirements = self.result.rows
        self.data = self.result.to_json()
        if self.report_dir is not None:
            summary.write(self.report_dir / "summary.json", self.data)
            junit.write(self.report_dir / "junit.xml", self.result)
        session.exitstatus = self.result.exit_code

    def _row_selected(self, req: catalogue.Requirement) -> bool:
        """A category selection (-m, --category) selects rows too: a row of another category that a
        selected test happened to touch is not judged by this run."""
        if req.untestable:
            return True
        if self.settings.categories and req.category not in self.settings.categories:
            return False
        expression = self.config.getoption("markexpr", "") or ""
        return not expression or _compat.marker_expression_matches(expression, {req.category})

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.data is None:
            return
        from conformance.report import summary

        write = terminalreporter.write_line
        write("")
        for line in summary.outcome_lines(self.data, self.report_dir):
            write(REDACTOR.text(line))

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_report_title(self, report: Any) -> None:
        report.title = "Conformance sign-off report"

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_summary(self, prefix: list, summary: list, postfix: list, session: Any) -> None:
        if self.data is not None:
            from conformance.report import html

            prefix.extend(html.signoff_sections(self.data))

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_header(self, cells: list) -> None:
        cells.insert(2, "<th>Requirements</th>")

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_row(self, report: Any, cells: list) -> None:
        ids = dict(getattr(report, "user_properties", ())).get("requirements", "")
        cells.insert(2, f"<td>{ids}</td>")

    @pytest.hookimpl(optionalhook=True)
    def pytest_metadata(self, metadata: dict) -> None:
        # pytest-metadata would list environment variables (CI secrets among them): keep only ours.
        metadata.clear()


_RECORDER = pytest.StashKey[Recorder]()
_ELAPSED = pytest.StashKey[float]()  # seconds of a test's phases so far
NODEID = pytest.StashKey[str]()
PLUGIN = pytest.StashKey[ConformancePlugin]()
FATAL = pytest.StashKey[ConformanceError]()  # why the run could not start (read by `conformance run`)


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


def _unique_nodeid(item: pytest.Item) -> None:
    """Schemathesis names one item per operation (`test_contract[PUT /optOut/{userId}]`) but on
    pytest 9 they all get the nodeid `...::test_contract`; results would overwrite each other."""
    if item.name in item.nodeid or not _compat.can_set_nodeid(item):
        return
    _compat.set_nodeid(item, f"{item.nodeid.rsplit('::', 1)[0]}::{item.name}")


def active() -> ConformancePlugin:
    """The run whose tests are being collected (for test modules that build schemas at import)."""
    plugin = COLLECTING.get(None)
    if plugin is None:
        raise RuntimeError("no conformance run is collecting tests (install the package, or pytest -p conformance)")
    return plugin


def api_fixture(name: str):
    """The `api` fixture of one API's suite (its conftest.py: `api = api_fixture("name")`): the
    API's context for the run, set up as its ApiInfo says (setup, state, default_rate)."""

    @pytest.fixture(scope="session")  # one context per API and run; module fixtures build on it
    def api(request: pytest.FixtureRequest) -> ApiContext:
        return request.config.stash[PLUGIN].context(name)

    return api
