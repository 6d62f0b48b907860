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
from typing import Any, Callable

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conformance import catalogue
from conformance.auth import TokenCache, bearer_provider
from conformance.redact import REDACTOR
from conformance.suite.context import ApiContext
from conformance.suite.outcome import RequirementFailure

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    ignored_auth,
]
CHECK_NAMES = [c.__name__ for c in CHECKS]
EXAMPLES = {"quick": 25, "full": 150}


def load_schema(api: ApiContext, spec: dict[str, Any] | None = None, *, tokens: TokenCache | None = None,
                header: str = "Authorization", scheme: str = "Bearer", examples: dict[str, int] | None = None,
                phases: dict[str, tuple[str, ...]] | None = None) -> Any:
    """The API's spec as a schemathesis schema aimed at the target, with the suite's tokens."""
    schema = schemathesis.openapi.from_dict(spec if spec is not None else api.spec)
    schema.config.update(base_url=api.base_url)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=(examples or EXAMPLES)[api.run.profile],
        database="none",
    )
    if phases is not None:
        # e.g. a large body schema whose coverage phase is too slow for the quick profile
        schema.config.phases.update(phases=list(phases[api.run.profile]))
    if tokens is not None:
        schema.auth(refresh_interval=None)(bearer_provider(tokens, header=header, scheme=scheme))
    return schema


def schema_for(api_name: str, adapt: Callable[[ApiContext, dict], None] | None = None, **auth: Any) -> Any:
    """The schema of `api_name` for the running session; `adapt` may aim the spec at the target."""
    from conformance.suite.plugin import active

    api = active().context(api_name)
    spec = copy.deepcopy(api.spec)
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
    api.contract_answers[f"{response.status_code // 100}xx"] += 1
    chosen = checks or CHECKS
    if exempt is not None:  # checks that do not apply to this answer (the caller says why)
        skip = exempt(response)
        chosen = [c for c in chosen if c.__name__ not in skip]
    validate(api, case, response, checks=chosen)
    return response


def validate(api: ApiContext, case: Any, response: Any, *, checks: list | None = None, **kwargs: Any) -> None:
    """Run the contract checks on a response; failures are recorded against their requirements."""
    try:
        case.validate_response(response, checks=checks or CHECKS, **kwargs)
    except (FailureGroup, Failure) as found:
        _record(api, case, found)


def state_machine(schema: Any, api: ApiContext) -> type:
    """Schemathesis' stateful tests (OpenAPI links) through the suite's client and checks."""
    from schemathesis.core.transport import Response

    base = schema.as_state_machine()

    class Workflow(base):  # type: ignore[misc, valid-type]
        def call(self, case: Any, **kwargs: Any) -> Any:
            _refresh_auth(api, case)
            response = api.client.send_case(case)
            api.contract_answers[f"{response.status_code // 100}xx"] += 1
            return Response.from_any(response)

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            validate(api, case, response)

    return Workflow


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


def served_test(*ids: str) -> Callable:
    """The test an API's contract module ends with (assign it to a `test_...` name, last in the
    module): property checks that only ever saw refusals verified nothing."""

    @pytest.mark.req(*ids)
    def test(api: ApiContext) -> None:
        served(api, ids)

    return test


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

    operation = f"{case.method.upper()} {case.operation.path}"
    recorder = CURRENT_RECORDER.get()
    evidence = [x.redacted() for x in list(recorder.exchanges)[-1:]] if recorder else []
    for failure in _failed_checks(found):
        names = _check_names(failure)
        matched = [rid for name in names for rid in catalogue.for_check(api.name, name, operation)]
        if not matched:  # a check the catalogue maps nowhere: count it against status conformance
            matched = [rid for rid in api.requirements if rid.endswith("-CON-001")][:1]
        text = REDACTOR.text(f"{operation}: {'/'.join(names) or failure.code}: {failure.title}. {failure.message}")
        for rid in matched:
            api.contract_failures.setdefault(rid, (text.strip()[:1500], evidence))
