"""The pytest plugin `conformance run` loads: per-API contexts as fixtures, requirement
markers checked against the catalogues, outcomes and redacted evidence collected per test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

import pytest

from conformance import catalogue
from conformance.errors import TargetUnreachable
from conformance.http import CURRENT_RECORDER, Recorder
from conformance.redact import REDACTOR
from conformance.report.results import RequirementResult, TestResult, Waiver, aggregate
from conformance.suite.context import ApiContext, RunInfo
from conformance.suite.outcome import NOT_APPLICABLE, RequirementFailure
from conformance.target import Target

EVIDENCE_EXCHANGES = 4


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


class ConformancePlugin:
    name = "conformance"

    def __init__(
        self,
        target: Target,
        suites: dict[str, Path],
        run: RunInfo,
        *,
        waivers: list[Waiver] | None = None,
        today: dt.date | None = None,
        html_summary: Callable[["ConformancePlugin"], list[str]] | None = None,
        only: tuple[str, ...] = (),
    ) -> None:
        self.target = target
        self.suites = {api: path.resolve() for api, path in suites.items()}
        self.run = run
        self.waivers = waivers or []
        self.today = today or dt.date.today()
        self.html_summary = html_summary
        self.only = set(only)  # run only the tests checking these requirement ids
        self.contexts: dict[str, ApiContext] = {}
        self.item_api: dict[str, str] = {}
        self.item_ids: dict[str, tuple[str, ...]] = {}
        self.tests: dict[str, TestResult] = {}
        self.requirements: list[RequirementResult] = []
        self.cleanup_problems: list[str] = []
        self.collected = 0
        self.started = dt.datetime.now(dt.timezone.utc)
        self.finished: dt.datetime | None = None

    def pytest_configure(self, config: pytest.Config) -> None:
        global _ACTIVE
        config.stash[PLUGIN] = self
        _ACTIVE = self

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        global _ACTIVE
        _ACTIVE = None

    # --- contexts ---------------------------------------------------------------------------
    def context(self, api: str) -> ApiContext:
        """The API's context, set up (tokens, pacing) the first time a test asks for it."""
        if api not in self.contexts:
            setup, default_rate = _SETUPS.get(api, (None, None))
            context = ApiContext(self.target.apis[api], self.run, default_rate)
            self.contexts[api] = context
            if setup is not None:
                setup(context)
        return self.contexts[api]

    def api_of(self, path: Path) -> str | None:
        path = Path(path).resolve()
        for api, root in self.suites.items():
            if path == root or root in path.parents:
                return api
        return None

    # --- collection ---------------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session: pytest.Session, config: pytest.Config, items: list) -> None:
        problems = []
        for item in items:
            _unique_nodeid(item)
            api = self.api_of(Path(item.fspath))
            ids = tuple(i for mark in item.iter_markers("req") for i in mark.args)
            if api is None:
                problems.append(f"{item.nodeid}: not under an API suite folder")
                continue
            known = {r.id for r in catalogue.load(api)}
            unknown = [i for i in ids if i not in known]
            if not ids:
                problems.append(f"{item.nodeid}: no @pytest.mark.req(...) naming the requirements it checks")
            elif unknown:
                problems.append(f"{item.nodeid}: requirement ids not in the {api} catalogue: {', '.join(unknown)}")
            self.item_api[item.nodeid] = api
            self.item_ids[item.nodeid] = ids
        if problems:
            raise pytest.UsageError("suite defect:\n  " + "\n  ".join(problems))
        if self.only:
            unknown = self.only - {i for api in self.suites for i in (r.id for r in catalogue.load(api))}
            if unknown:
                raise pytest.UsageError(f"--requirement: not in the selected catalogues: {', '.join(sorted(unknown))}")
            keep = [item for item in items if self.only & set(self.item_ids.get(item.nodeid, ()))]
            dropped = [item for item in items if item not in keep]
            if dropped:
                config.hook.pytest_deselected(items=dropped)
            items[:] = keep
        # Tests that push a target past its limits go last, so their 429s disturb no other test.
        items.sort(key=lambda item: item.get_closest_marker("disruptive") is not None)
        self.collected = len(items)

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
        try:
            yield
        finally:
            CURRENT_RECORDER.reset(token)

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
        if report.when == "call" or (report.when == "setup" and not report.passed) or (
            report.when == "teardown" and report.failed and nodeid not in self.tests
        ):
            result = self._result(item, call, report)
            self.tests[nodeid] = result
            report.conformance = result
            self._decorate(report, result)
        elif report.when == "teardown" and report.failed:
            # A cleanup failure after a passing test: the test's verdict stands, the problem is shown.
            self.cleanup_problems.append(f"{nodeid}: {REDACTOR.text(str(report.longrepr))[:500]}")
            report.longrepr = REDACTOR.text(str(report.longrepr))

    def _result(self, item: pytest.Item, call: pytest.CallInfo, report: pytest.TestReport) -> TestResult:
        api = self.item_api.get(item.nodeid, "?")
        ids = self.item_ids.get(item.nodeid, ())
        recorder: Recorder = item.stash.get(_RECORDER, Recorder())
        evidence = [x.redacted() for x in list(recorder.exchanges)[-EVIDENCE_EXCHANGES:]]
        if report.passed:
            return TestResult(item.nodeid, api, ids, "passed", duration=report.duration)
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            reason = reason.removeprefix("Skipped: ")
            kind = "not_applicable" if reason.startswith(NOT_APPLICABLE) else "skipped"
            return TestResult(item.nodeid, api, ids, kind, message=REDACTOR.text(reason))
        exc = call.excinfo.value if call.excinfo else None
        unreachable = _find(exc, TargetUnreachable)
        if unreachable is not None:
            return TestResult(item.nodeid, api, ids, "error", message=str(unreachable), evidence=evidence)
        failure = _find(exc, RequirementFailure)
        if isinstance(failure, RequirementFailure):
            failed = tuple(i for i in failure.ids if i in ids)
            if not failed:
                # A step this test depends on (getting a token, say) broke another requirement,
                # which its own test reports; this test's requirements stay unverified.
                message = f"not verified: blocked by a failure of {', '.join(failure.ids)}: {failure}"
                return TestResult(item.nodeid, api, ids, "skipped", message=REDACTOR.text(message)[:2000],
                                  evidence=evidence)
            message = str(failure)
            details = {rid: (REDACTOR.text(m)[:2000], ev or evidence) for rid, (m, ev) in failure.details.items()}
            return TestResult(item.nodeid, api, ids, "failed", failed, REDACTOR.text(message)[:2000], evidence,
                              report.duration, details, complete=failure.complete)
        elif isinstance(exc, AssertionError) or exc is None:
            failed = ids
            message = str(exc) if exc is not None else str(report.longrepr)
        else:
            # Not a check that failed but the suite that broke: the run is incomplete, not red.
            message = f"suite error: {type(exc).__name__}: {exc}"
            return TestResult(item.nodeid, api, ids, "error", message=REDACTOR.text(message)[:2000],
                              evidence=evidence)
        return TestResult(
            item.nodeid, api, ids, "failed", failed, REDACTOR.text(message)[:2000], evidence, report.duration
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
        for context in self.contexts.values():
            self.cleanup_problems += [f"{context.name}: {p}" for p in context.cleanup()]
            context.close()
        self.finished = dt.datetime.now(dt.timezone.utc)
        reqs = [r for api in self.suites for r in catalogue.load(api)]
        self.requirements = aggregate(reqs, list(self.tests.values()), self.waivers, self.today)

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_report_title(self, report: Any) -> None:
        report.title = "Conformance sign-off report"

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_summary(self, prefix: list, summary: list, postfix: list, session: Any) -> None:
        if self.html_summary:
            prefix.extend(self.html_summary(self))

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_header(self, cells: list) -> None:
        cells.insert(2, "<th>Requirements</th>")

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_row(self, report: Any, cells: list) -> None:
        result = getattr(report, "conformance", None)
        ids = ", ".join(result.ids) if result else ""
        cells.insert(2, f"<td>{ids}</td>")

    @pytest.hookimpl(optionalhook=True)
    def pytest_metadata(self, metadata: dict) -> None:
        # pytest-metadata would list environment variables (CI secrets among them): keep only ours.
        metadata.clear()


_RECORDER = pytest.StashKey[Recorder]()
PLUGIN = pytest.StashKey[ConformancePlugin]()


def _unique_nodeid(item: pytest.Item) -> None:
    """Schemathesis names one item per operation (`test_contract[PUT /optOut/{userId}]`) but on
    pytest 9 they all get the nodeid `...::test_contract`; results would overwrite each other."""
    if item.name in item.nodeid or not hasattr(item, "_id"):
        return
    from _pytest.nodeid import coerce_node_id

    item._id = coerce_node_id(f"{item.nodeid.rsplit('::', 1)[0]}::{item.name}")


_ACTIVE: ConformancePlugin | None = None
_SETUPS: dict[str, tuple[Callable[[ApiContext], None] | None, float | None]] = {}


def active() -> ConformancePlugin:
    if _ACTIVE is None:
        raise RuntimeError("the conformance suite runs under `conformance run`, not bare pytest")
    return _ACTIVE


def api_fixture(name: str, setup: Callable[[ApiContext], None] | None = None, default_rate: float | None = None):
    """Declare one API's suite (from its conftest.py): how its context is set up, and the
    `api` fixture its tests take. `default_rate` paces requests (per second) when the target
    file names no rate."""
    _SETUPS[name] = (setup, default_rate)

    @pytest.fixture(scope="session")  # one context per API and run; module fixtures build on it
    def api(request: pytest.FixtureRequest) -> ApiContext:
        return request.config.stash[PLUGIN].context(name)

    return api
