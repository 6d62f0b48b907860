"""Property-based contract tests: schemathesis over the spec, failures mapped to requirement ids.

A test module uses it as

    schema = contract.schema_for("profile-command")

    @schema.parametrize()
    def test_contract(case, api):
        contract.check(api, case)

(`schemathesis.pytest.from_fixture` would be lazier, but breaks on pytest 9: it reads the
removed `Function._nodeid`. The schema is built at collection instead, when the run's target
is already known.)
"""

from __future__ import annotations

import copy
import functools
from collections import Counter
from typing import Any, Callable

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import ignored_auth as _ignored_auth
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from conformance import _compat, catalogue, specs
from conformance.auth import TokenCache, bearer_provider
from conformance.redact import REDACTOR
from conformance.suite.context import ApiContext
from conformance.suite.outcome import RequirementFailure, current

# base URL -> labels of the operations whose auth ignored_auth confirmed (the APIs judged by their
# answers' bodies probe in _auth_probe instead, once per operation: _PROBED)
_AUTH_ENFORCED: dict[str, set[str]] = {}


@functools.wraps(_ignored_auth)
def ignored_auth(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis' ignored_auth, confirmed once per operation and run, as its CLI does: the two
    probes (without credentials, with a wrong one) follow the first answer served with them.
    Through pytest, schemathesis has no run to remember it in and probed after every 2xx answer,
    two requests more each time (a third of a property test's time on MyPreferences)."""
    ctx.auth_enforced_operations = _AUTH_ENFORCED.setdefault(case.operation.schema.get_base_url(), set())
    return _ignored_auth(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    ignored_auth,
]
# Checks that run only where the API's catalogue maps them to a row (`checks:`, restricted by
# `operations:`), since only some docs support them; a catalogue records under `x-not-checked`
# why a check does not fit its vendor (issue 15). The stateful ones judge a sequence (a read
# after a delete, after a create) and run in the stateful phase over the spec's links only.
MAPPED_CHECKS = [unsupported_method, positive_data_acceptance, missing_required_header]
STATEFUL_CHECKS = [use_after_free, ensure_resource_availability]
CHECK_NAMES = [c.__name__ for c in CHECKS + MAPPED_CHECKS + STATEFUL_CHECKS]
Failure, FailureGroup = _compat.schemathesis_failure_types()
EXAMPLES = {"quick": 25, "full": 150}


def load_schema(api: ApiContext, spec: dict[str, Any] | None = None, *, tokens: TokenCache | None = None,
                header: str = "Authorization", scheme: str = "Bearer", examples: dict[str, int] | None = None,
                phases: dict[str, tuple[str, ...]] | None = None) -> Any:
    """The API's spec as a schemathesis schema aimed at the target, with the suite's tokens."""
    schema = schemathesis.openapi.from_dict(spec if spec is not None else api.spec)
    # The requests schemathesis' checks send themselves (ignored_auth's probes) go through the
    # suite's client too: paced, recorded as evidence, their created data tracked for clean-up.
    _compat.send_checks_requests_through(schema, lambda case: api.client.send_case(case))
    schema.config.update(base_url=api.base_url)
    # The run's seed, not one schemathesis draws per process: the same --seed sends the same
    # cases (what the report's "re-run with --seed N" promises, and what makes a proof repeatable).
    schema.config.seed = api.run.seed
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=min((examples or EXAMPLES)[api.run.profile], api.run.max_examples or 10**6),
        database="none",
    )
    if phases is not None:
        # e.g. a large body schema whose coverage phase is too slow for the quick profile
        schema.config.phases.update(phases=list(phases[api.run.profile]))
    if tokens is not None:
        schema.auth(refresh_interval=None)(bearer_provider(tokens, header=header, scheme=scheme))
    return schema


# api name -> status_of(api, response): the status the spec assigns an answer by its body, for
# APIs whose doc gives no HTTP status at all (the statuses are the spec's assumption).
_STATUS_OF: dict[str, Callable[[ApiContext, Any], int | None]] = {}


def context(api_name: str) -> ApiContext:
    """The API's context in the run collecting this module (for what a contract module needs at
    import, before any fixture: a setting, the profile)."""
    from conformance.suite.plugin import active

    return active().context(api_name)


def schema_for(api_name: str, adapt: Callable[[ApiContext, dict], None] | None = None, *,
               status_of: Callable[[ApiContext, Any], int | None] | None = None, **auth: Any) -> Any:
    """The schema of `api_name` for the running session; `adapt` may aim the spec at the target
    (the target's settings for the spec's assumptions: field names, paths, headers). `auth`
    (header=, scheme=) values may be callables of the API's context (a target setting).

    `status_of(api, response)`: where the doc states no HTTP status and the answer says in its
    body what it is (a result code), the status the spec assumes for that answer. Every check
    then judges the answer as if it had come with that status: a target that sends another
    status (HTTP 200 for every result, a status_map of its own) is judged on the assumption's
    own inferred row (its scenario test), never on a stated row through the property tests."""
    from conformance.suite.plugin import active

    api = active().context(api_name)
    if status_of is not None:
        _STATUS_OF[api_name] = status_of
    auth = {key: (value(api) if callable(value) else value) for key, value in auth.items()}  # e.g. a setting
    spec = specs.aimed(copy.deepcopy(api.spec), api.setting)  # assumed paths moved by the target's settings
    if adapt is not None:
        adapt(api, spec)
    return load_schema(api, spec, tokens=api.tokens, **auth)


def _failed_checks(group: BaseException) -> list[Failure]:
    failures = []
    for exc in getattr(group, "exceptions", [group]):
        if isinstance(exc, Failure):
            failures.append(exc)
        elif isinstance(exc, BaseExceptionGroup):
            failures.extend(_failed_checks(exc))
    return failures


def check(api: ApiContext, case: Any, *, checks: list | None = None,
          exempt: Callable[[Any], tuple[str, ...]] | None = None) -> Any:
    """Send the case through the suite's client and run the contract checks on the answer.

    A failure is recorded against its requirement (first example kept, with its evidence) and
    the generation goes on, so one broken requirement does not hide another; the plugin fails
    the test at its end with all of them. `exempt(response)` may name checks that do not
    apply to one answer."""
    if api.tokens is not None and api.tokens.failure is not None and case.operation.definition.raw.get("security", True):
        raise api.tokens.failure  # no token to test with: blocked by the token requirement
    _refresh_auth(api, case)
    response = api.client.send_case(case)
    status_of = _STATUS_OF.get(api.name)
    judged = status_of(api, response) if status_of is not None else None
    api.contract_answers[f"{(judged or response.status_code) // 100}xx"] += 1
    count_answer(api, case, judged or response.status_code)
    chosen = checks if checks is not None else checks_for(api, case)
    if exempt is not None:  # checks that do not apply to this answer (the caller says why)
        skip = exempt(response)
        chosen = [c for c in chosen if c.__name__ not in skip]
    validate(api, case, response, checks=chosen)
    return response


def check_rows(api: ApiContext, case: Any) -> Any:
    """The property test of rows that map checks of MAPPED_CHECKS (`checks:` in the catalogue):
    the case is sent only when one of the checks the test's rows map for its operation can judge
    it (an unsupported_method probe, a missing required header, a positive case), and only those
    checks judge the answer; CHECKS are the API's main contract test's. Returns the response, or
    None when nothing was sent."""
    chosen = [c for c in row_checks(api, case) if _judges(c, case)]
    if not chosen:
        return None
    return check(api, case, checks=chosen)


def checks_for(api: ApiContext, case: Any, *, stateful: bool = False) -> list:
    """The checks that judge an answer to `case`: CHECKS, and the optional ones (row_checks)."""
    return CHECKS + row_checks(api, case, stateful=stateful)


def row_checks(api: ApiContext, case: Any, *, stateful: bool = False) -> list:
    """The checks of MAPPED_CHECKS (in the stateful phase also STATEFUL_CHECKS) that a row of the
    running test's marker maps for the case's operation. A check no row maps does not run: its
    vendor's doc does not support it (the catalogue's x-not-checked says why)."""
    key = (api.name, operation_of(case), stateful, current())
    chosen = _CHOSEN.get(key)
    if chosen is None:
        optional = MAPPED_CHECKS + (STATEFUL_CHECKS if stateful else [])
        marked = set(key[3])
        chosen = _CHOSEN[key] = [c for c in optional
                                 if marked & set(catalogue.for_check(api.name, c.__name__, key[1]))]
    return list(chosen)


_CHOSEN: dict[tuple[str, str, bool, tuple[str, ...]], list] = {}


def _judges(check: Callable, case: Any) -> bool:
    """Whether a check can say anything about the answer to this case (the others pass it by):
    unsupported_method judges the coverage phase's probes of another method, missing_required_header
    its requests without a required header, positive_data_acceptance positive cases."""
    meta = getattr(case, "meta", None)
    data = getattr(getattr(meta, "phase", None), "data", None)
    scenario = getattr(getattr(data, "scenario", None), "value", None)
    if check is unsupported_method:
        return scenario == "unspecified_http_method"
    if check is missing_required_header:
        location = getattr(data, "parameter_location", None)
        return scenario == "missing_parameter" and getattr(location, "value", location) == "header"
    if check is positive_data_acceptance:
        mode = getattr(getattr(meta, "generation", None), "mode", None)
        return bool(getattr(mode, "is_positive", False))
    return True


def operation_of(case: Any) -> str:
    """'METHOD /template' of the spec operation a case was generated for (also when the case
    probes another method on its path, as unsupported_method's do)."""
    return f"{case.operation.method.upper()} {case.operation.path}"


def validate(api: ApiContext, case: Any, response: Any, *, checks: list | None = None, **kwargs: Any) -> None:
    """Run the contract checks on a response; failures are recorded against their requirements."""
    chosen = list(checks if checks is not None else checks_for(api, case))
    if not chosen:
        return
    status_of = _STATUS_OF.get(api.name)
    if status_of is not None:
        response = _as_assumed(api, response, status_of)
        if ignored_auth in chosen:  # schemathesis' probe reads only the HTTP status: judge it by the body
            chosen.remove(ignored_auth)
            _auth_probe(api, case, response, status_of)
    try:
        case.validate_response(response, checks=chosen, **kwargs)
    except (FailureGroup, Failure) as found:
        _record(api, case, found)


def _as_assumed(api: ApiContext, response: Any, status_of: Callable) -> Any:
    """The answer as the checks judge it: with the status the spec assumes for what its body
    says (unchanged when the body says nothing the spec knows)."""
    import httpx

    assumed = status_of(api, response)
    if assumed is None or assumed == response.status_code or not isinstance(response, httpx.Response):
        return response
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in ("content-encoding", "content-length")]
    judged = httpx.Response(assumed, headers=headers, content=response.content, request=response.request)
    judged.elapsed = response.elapsed
    return judged


def _auth_probe(api: ApiContext, case: Any, response: Any, status_of: Callable) -> None:
    """ignored_auth judged by the answer's meaning: an operation that served a request with
    credentials is called once without them and once with a wrong value; either being served
    (a 2xx after `_as_assumed`) breaks the rows of ignored_auth."""
    if not 200 <= response.status_code < 300:
        return
    operation = f"{case.method.upper()} {case.operation.path}"
    probed = _PROBED.setdefault(api.name, set())
    security = case.operation.definition.raw.get("security", api.spec.get("security")) or []
    schemes = api.spec.get("components", {}).get("securitySchemes", {})
    names = set()
    for requirement in security:
        for scheme in requirement:
            spec = schemes.get(scheme, {})
            if spec.get("type") == "apiKey" and spec.get("in") == "header":
                names.add(spec["name"].lower())
            elif spec.get("type") in ("http", "oauth2", "openIdConnect"):
                names.add("authorization")
    if not names or operation in probed:
        return
    probed.add(operation)
    kw = case.as_transport_kwargs(base_url=api.client.base_url)
    method, url = kw.pop("method"), kw.pop("url")
    allowed = {k: kw[k] for k in ("params", "json", "data", "content", "files") if k in kw}
    plain = {k: v for k, v in (kw.get("headers") or {}).items() if k.lower() not in names}
    for scenario, headers in (("without credentials", plain),
                              ("with a wrong credential", {**plain, **{n: f"cfx-invalid-{api.run.run_id}" for n in names}})):
        probe = _as_assumed(api, api.client.request(method, url, headers=headers, **allowed), status_of)
        if 200 <= probe.status_code < 300:
            rids = catalogue.for_check(api.name, "ignored_auth", operation)
            _record_text(api, rids, f"{operation}: ignored_auth: served a request {scenario} "
                                    f"(HTTP {probe.status_code}, body {probe.text[:200]!r})")
            return


_PROBED: dict[str, set[str]] = {}


def _record_text(api: ApiContext, rids: list[str], text: str) -> None:
    from conformance.http import CURRENT_RECORDER

    recorder = CURRENT_RECORDER.get()
    evidence = [x.redacted() for x in list(recorder.exchanges)[-1:]] if recorder else []
    for rid in rids:
        api.contract_failures.setdefault(rid, (REDACTOR.text(text).strip()[:1500], evidence))


def state_machine(schema: Any, api: ApiContext, *, rows_only: bool = False) -> type:
    """Schemathesis' stateful tests (OpenAPI links) through the suite's client and checks: CHECKS
    and the stateful checks (use_after_free, ensure_resource_availability) the test's rows map;
    with rows_only, only the latter (a test of those rows alone)."""
    base = schema.as_state_machine()

    class Workflow(base):  # type: ignore[misc, valid-type]
        def call(self, case: Any, **kwargs: Any) -> Any:
            _refresh_auth(api, case)
            response = api.client.send_case(case)
            api.contract_answers[f"{response.status_code // 100}xx"] += 1
            count_answer(api, case, response.status_code)
            return _compat.schemathesis_response(response)

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            # The recorder lets use_after_free / ensure_resource_availability see the steps before.
            chosen = row_checks(api, case, stateful=True) if rows_only else checks_for(api, case, stateful=True)
            validate(api, case, response, checks=chosen, recorder=self.recorder)

    return Workflow


# --- which operations the property tests reached (issue 15: stateful coverage) --------------------
_ANSWERS = pytest.StashKey[dict]()  # on api.stash: operationId -> Counter of status classes


def count_answer(api: ApiContext, case: Any, status: int) -> None:
    """One answer to a property-based request, counted for its operation (a probe of another
    method on the operation's path is not the operation and is not counted)."""
    if case.method.upper() != case.operation.method.upper():
        return
    answers = api.stash.setdefault(_ANSWERS, {})
    op_id = case.operation.definition.raw.get("operationId") or operation_of(case)
    answers.setdefault(op_id, Counter())[f"{status // 100}xx"] += 1


def operation_coverage(api: ApiContext | None) -> dict[str, Any] | None:
    """Per API, for the report: how many of the spec's operations the property tests (and the
    stateful phase) got a 2xx answer from, and which they never did (sent but always refused,
    or never sent: left out of the generation, or not selected). None when no property-based
    request was sent."""
    if api is None or _ANSWERS not in api.stash:
        return None
    answers = api.stash[_ANSWERS]
    operations = []
    for path, item in (api.spec.get("paths") or {}).items():
        for method, op in item.items():
            if method in specs.METHODS and isinstance(op, dict):
                op_id = op.get("operationId") or f"{method.upper()} {path}"
                counts = answers.get(op_id) or answers.get(f"{method.upper()} {path}") or Counter()
                operations.append({"operation": op_id, "method": method.upper(), "path": path,
                                   "answers": dict(sorted(counts.items()))})
    return coverage_of(operations)


def coverage_of(operations: list[dict[str, Any]]) -> dict[str, Any]:
    """The report's figures from each operation's answer counts ({operation, method, path, answers});
    also what `conformance merge` computes from the counts of every shard."""
    return {
        "operations": len(operations),
        "reached_2xx": sum(1 for o in operations if o["answers"].get("2xx")),
        "never_2xx": [{"operation": o["operation"], "method": o["method"], "path": o["path"],
                       "answers": o["answers"], "sent": bool(o["answers"])}
                      for o in operations if not o["answers"].get("2xx")],
        "by_operation": operations,
    }


def not_checked(api_name: str) -> list[dict[str, Any]]:
    """The catalogue's `x-not-checked`: the optional checks (MAPPED_CHECKS, STATEFUL_CHECKS, the
    stateful phase) its vendor's doc does not support, each with the reason and the doc lines."""
    raw = specs._load_yaml(specs.catalogue_path(api_name))
    return [dict(entry) for entry in (raw.get("x-not-checked") or []) if isinstance(entry, dict)]


PROBES = {"quick": ("coverage",), "full": ("coverage",)}


def method_probes(api_name: str, adapt: Callable[[ApiContext, dict], None] | None = None, **kw: Any) -> Any:
    """The schema whose cases probe what the spec does not give (the coverage phase: methods a
    path lacks, required headers left out), for the rows of unsupported_method and
    missing_required_header."""
    return schema_for(api_name, adapt, phases=PROBES, **kw)


def valid_data(api_name: str, adapt: Callable[[ApiContext, dict], None] | None = None, **kw: Any) -> Any:
    """The schema of valid requests only (positive generation): for positive_data_acceptance,
    and for operations that must never get invalid data (writes on a real tenant)."""
    def closed(api: ApiContext, spec: dict) -> None:
        if adapt is not None:
            adapt(api, spec)
        specs.nested_members_documented(spec)

    schema = schema_for(api_name, closed, **kw)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE])
    return schema


def served(api: ApiContext, ids: tuple[str, ...]) -> None:
    """End of an API's property tests: at least one generated request must have been served
    (2xx). The spec promises a 2xx answer to valid requests with valid credentials; when every
    one was refused (credentials the target does not take, a base URL that answers 401 or 404
    to everything, an API that changed), the checks only ever saw refusals, so the contract
    rows fail instead of passing vacuously."""
    if not api.contract_answers:
        pytest.skip("no property-based request was sent (the contract tests were not selected)")
    if not api.contract_answers.get("2xx"):
        answers = ", ".join(f"{n} x {cls}" for cls, n in sorted(api.contract_answers.items()))
        raise RequirementFailure(
            ids, f"none of the property-based requests was served ({answers}): the contract checks saw only "
            "refusals and verified nothing. Check the target's base URL and credentials.")


def _refresh_auth(api: ApiContext, case: Any) -> None:
    """Schemathesis builds some cases when the test is collected, auth included; a token that
    has expired since (the mock's clock moved) is swapped for the current one."""
    headers = case.headers or {}
    for name, value in list(headers.items()):
        if api.tokens is not None and isinstance(value, str) and " " in value:
            scheme, token = value.split(" ", 1)
            if api.tokens.is_stale(token):
                headers[name] = f"{scheme} {api.tokens.get()}"


def _check_names(failure: Failure) -> tuple[str, ...]:
    """The check that raised a failure. Some failure kinds are shared by two checks
    (a schema error comes from the body check or the header check): tell them apart."""
    names = type(failure).checks or ()
    if len(names) > 1 and "response_headers_conformance" in names:
        header = "header" in (failure.title or "").lower()
        names = tuple(n for n in names if (n == "response_headers_conformance") == header) or names[:1]
    return names


def _record(api: ApiContext, case: Any, found: BaseException) -> None:
    from conformance.http import CURRENT_RECORDER

    operation = operation_of(case)  # a probe of another method is judged on its operation's rows
    sent = f"{case.method.upper()} {case.operation.path}"
    recorder = CURRENT_RECORDER.get()
    evidence = [x.redacted() for x in list(recorder.exchanges)[-1:]] if recorder else []
    for failure in _failed_checks(found):
        names = _check_names(failure)
        matched = [rid for name in names for rid in catalogue.for_check(api.name, name, operation)]
        if "status_code_conformance" in names:
            assumed = _assumption_rows(api, case, failure)
            if assumed:  # a status the doc never gives: the assumption's own (inferred) row judges it
                matched = assumed
        if not matched:  # a check the catalogue maps nowhere: judged by the row of status conformance
            matched = catalogue.for_check(api.name, "status_code_conformance", operation)[:1]
        text = REDACTOR.text(f"{sent}: {'/'.join(names) or failure.code}: {failure.title}. {failure.message}")
        for rid in matched:
            api.contract_failures.setdefault(rid, (text.strip()[:1500], evidence))


def _assumption_rows(api: ApiContext, case: Any, failure: Failure) -> list[str]:
    """An undocumented status where the spec had to assume one: the rows judging the assumption.

    A response the spec marks `x-assumption: true` is a status the doc does not give (a refused
    command's 400, say). A target answering a status of the same class that the spec does not
    list (422 instead of the assumed 400) deviates from the assumption, not from the doc: the
    failure goes to that response's `x-assumption-row` (an inferred row, a warning). A 404 or
    405 never does: it says the documented path or method is not served."""
    import re

    got = getattr(failure, "status_code", None)
    if got is None:
        found = re.search(r"\b([1-5][0-9]{2})\b", f"{failure.title} {failure.message}")
        got = int(found.group(1)) if found else None
    if got is None or got in (404, 405):  # "not served here": about the documented path, not a refusal's status
        return []
    rows = {r.id: r for r in catalogue.load(api.name)}
    for status, response in (case.operation.definition.raw.get("responses") or {}).items():
        response = _resolve(api.spec, response)
        if not isinstance(response, dict) or not response.get("x-assumption"):
            continue
        if str(status)[:1] != str(got)[:1]:
            continue
        wanted = response.get("x-assumption-row")
        chosen = [rid for rid in ([wanted] if isinstance(wanted, str) else list(wanted or []))
                  if rid in rows and rows[rid].basis == "inferred"]
        if chosen:  # the first assumed status of that class in the spec's order (400 before 401)
            return chosen
    return []


def _resolve(spec: dict, node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = target
    return node


def assumption_rows(api_name: str) -> tuple[str, ...]:
    """Every `x-assumption-row` of the API's spec: a property test names them among its rows,
    since an undocumented status where the spec assumed one is judged there."""
    from conformance import specs

    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            wanted = node.get("x-assumption-row")
            for rid in [wanted] if isinstance(wanted, str) else list(wanted or []):
                if rid not in found:
                    found.append(rid)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(specs.load_spec(api_name))
    return tuple(found)
