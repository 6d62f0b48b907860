"""What the plugin reads from the markers and the catalogue, proven both ways: a row's `needs:`
skips its test on a target without the ability (and lets it run where declared), and
@after_suite / @disruptive decide the run order, not file names."""

from __future__ import annotations

import pytest

from tests.helpers import run_suite, separate_mock

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "not-declared"])
def test_a_row_that_needs_the_mock_clock_runs_only_where_the_target_declares_it(tmp_path, declared):
    # PCL-AUTH-002 `needs: mock-clock` (its test moves the server's clock) in the catalogue.
    with separate_mock(tmp_path, "--api", "profile-command-legacy") as (target, _):
        if not declared:
            text = target.read_text()
            target.write_text(text.replace('    "mock-clock",\n', ""))
        run = run_suite(tmp_path, "--target", str(target), "--requirement", "PCL-AUTH-002")
    row = next(r for r in run.summary["requirements"] if r["id"] == "PCL-AUTH-002")
    if declared:
        assert row["status"] == "passed", row
    else:
        assert row["status"] == "skipped" and "needs target ability 'mock-clock'" in row["message"], row
        assert run.summary["verdict"]["signable"] is False  # a skipped row blocks sign-off


def test_after_suite_tests_run_last_and_disruptive_ones_before_them(tmp_path):
    run = run_suite(tmp_path, "--api", "imiconnect-profile", "--api", "customer-profile-b2b")
    assert run.code == 0, run.stdout[-2000:]
    order = [t["nodeid"] for t in run.summary["tests"]]  # in the order they ran
    for api_folder, last in (("imiconnect_profile", "test_http_status.py"), ("customer_profile_b2b", "test_token_budget.py")):
        ran = [n for n in order if f"/{api_folder}/" in n]
        tail = [n for n in ran if last in n]
        assert tail and ran[-len(tail):] == tail, ran[-5:]
    b2b = [n for n in order if "/customer_profile_b2b/" in n]
    disruptive = [i for i, n in enumerate(b2b) if "test_limits.py" in n]  # pytestmark = disruptive
    ordinary = [i for i, n in enumerate(b2b) if "test_identity.py" in n]
    assert disruptive and ordinary and max(ordinary) < min(disruptive), b2b


class _SlowReads:
    """An API context whose reads finish in reverse order (what api.call_each reads of it)."""

    name = "fake"

    def __init__(self):
        self.sent = []

    def call(self, operation_id, **kwargs):
        import time

        from conformance.http import CURRENT_RECORDER

        time.sleep(0.02 * (4 - kwargs["n"] % 4))
        CURRENT_RECORDER.get().add(f"exchange {kwargs['n']}")
        self.sent.append(kwargs["n"])
        return kwargs["n"]


def test_reads_side_by_side_are_judged_in_order_with_their_evidence():
    from conformance.http import CURRENT_RECORDER, Recorder
    from conformance.suite.context import ApiContext

    api, recorder = _SlowReads(), Recorder()
    token = CURRENT_RECORDER.set(recorder)
    try:
        for n, answer in enumerate(ApiContext.call_each(api, "op", [{"n": i} for i in range(4)])):
            assert answer == n and list(recorder.exchanges)[-1] == f"exchange {n}"  # a failure here shows up to n
        assert list(recorder.exchanges) == [f"exchange {i}" for i in range(4)]
        assert sorted(api.sent) == [0, 1, 2, 3] and api.sent != [0, 1, 2, 3]  # sent side by side
        # A failure judged at the first answer: what was not sent yet is not sent.
        later = _SlowReads()
        for answer in ApiContext.call_each(later, "op", [{"n": i} for i in range(40)], concurrency=2):
            break
        assert len(later.sent) < 40
    finally:
        CURRENT_RECORDER.reset(token)


def _limited_client(answers: list[tuple[int, dict]]):
    """An ApiClient whose target answers `answers` in turn (status, headers)."""
    import httpx

    from conformance.http import ApiClient

    client, seen = ApiClient("demo", "http://target.invalid"), []

    def answer(request: httpx.Request) -> httpx.Response:
        status, headers = answers[min(len(seen), len(answers) - 1)]
        seen.append(request)
        return httpx.Response(status, headers=headers)

    client._http = httpx.Client(transport=httpx.MockTransport(answer))
    return client, seen


def test_a_paced_request_limited_with_a_short_retry_after_is_sent_again_after_it():
    import time

    client, seen = _limited_client([(429, {"Retry-After": "0.2"}), (200, {})])
    started = time.perf_counter()
    assert client.get("/x").status_code == 200
    assert len(seen) == 2 and time.perf_counter() - started >= 0.2 and client.resent_after_429 == 1
    assert client.requests_sent == 2  # both are on the record (and in the test's evidence)
    # At most twice: a target that keeps answering 429 gets its 429 judged.
    client, seen = _limited_client([(429, {"Retry-After": "0"})])
    assert client.get("/x").status_code == 429 and len(seen) == 3
    # Not without a time, nor for a long one (a daily budget), nor in the limit tests (unpaced).
    for headers in ({}, {"Retry-After": "3600"}, {"Retry-After": "soon"}):
        client, seen = _limited_client([(429, headers), (200, {})])
        assert client.get("/x").status_code == 429 and len(seen) == 1
    client, seen = _limited_client([(429, {"Retry-After": "0"}), (200, {})])
    with client.unpaced():
        assert client.get("/x").status_code == 429 and len(seen) == 1
    # Nor in a disruptive test (the plugin turns resending off for it): its 429s are what it judges.
    from conformance.http import RESENDS_429

    client, seen = _limited_client([(429, {"Retry-After": "0"}), (200, {})])
    token = RESENDS_429.set(False)
    try:
        assert client.get("/x").status_code == 429 and len(seen) == 1
    finally:
        RESENDS_429.reset(token)


def _probed_schema(answer):
    """A one-operation spec whose apiKey `key` is sent by an auth provider (as the suite's is),
    aimed at a client whose target answers `answer(request)`, with the suite's probe routing."""
    import datetime as dt

    import httpx
    import schemathesis

    from conformance import _compat
    from conformance.http import ApiClient

    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "security": [{"key": []}],
            "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "key"}}},
            "paths": {"/items": {"get": {"responses": {"200": {"description": "ok"}, "401": {"description": "no"}}}}}}
    client = ApiClient("demo", "http://target.invalid")
    client._http = httpx.Client(transport=httpx.MockTransport(answer))
    schema = schemathesis.openapi.from_dict(spec)
    schema.config.update(base_url="http://target.invalid")

    def send(case):
        response = client.send_case(case)
        response.elapsed = dt.timedelta(milliseconds=1)  # httpx's MockTransport leaves it unset
        return response

    class Key:
        def get(self, case, ctx):
            return "good"

        def set(self, case, data, ctx):
            case.headers = {**(case.headers or {}), "key": data}

    _compat.send_checks_requests_through(schema, send)
    schema.auth()(Key)
    return schema["/items"]["GET"], send, client


def test_ignored_auth_probes_go_through_the_suites_client_once_per_operation():
    """Schemathesis' ignored_auth probes a served operation without the credential and with a wrong
    one. The probes are the suite's requests (paced, on the record); an operation that refused both
    is not probed again in the run (as st's CLI), one that served a probe is, and its row fails."""
    import httpx

    from conformance.suite import contract

    contract._AUTH_ENFORCED.clear()
    keys = []

    def enforcing(request):
        keys.append(request.headers.get("key"))
        return httpx.Response(200 if request.headers.get("key") == "good" else 401, json={})

    operation, send, client = _probed_schema(enforcing)
    for _ in range(3):
        case = operation.as_strategy().example()
        case.validate_response(send(case), checks=[contract.ignored_auth])
    assert keys == ["good", None, "SCHEMATHESIS-INVALID-VALUE", "good", "good"]
    assert client.requests_sent == 5

    contract._AUTH_ENFORCED.clear()
    keys.clear()
    ignoring = lambda request: keys.append(request.headers.get("key")) or httpx.Response(200, json={})  # noqa: E731
    operation, send, client = _probed_schema(ignoring)
    failure, group = contract.Failure, contract.FailureGroup
    for _ in range(2):
        case = operation.as_strategy().example()
        with pytest.raises((failure, group)):
            case.validate_response(send(case), checks=[contract.ignored_auth])
    assert keys == ["good", None, "good", None] and client.requests_sent == 4
