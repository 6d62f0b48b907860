"""The private code of other libraries the suite relies on (all in conformance/_compat.py):
this fails when a new release of pytest changes it."""

import pytest

from conformance import _compat


def test_marker_expressions_evaluate_like_pytest_m():
    assert _compat.marker_expression_matches("auth or limits", {"limits"})
    assert not _compat.marker_expression_matches("auth and not limits", {"limits"})
    assert _compat.marker_expression_matches("opt-out", {"opt-out"})


def test_items_can_be_renamed(pytester: pytest.Pytester):
    pytester.makepyfile("import pytest\n@pytest.mark.parametrize('x', [1])\ndef test_a(x):\n    pass\n")
    (item,), _ = pytester.inline_genitems()
    assert _compat.can_set_nodeid(item)
    _compat.set_nodeid(item, item.nodeid + "-renamed")
    assert item.nodeid.endswith("-renamed")


def test_schemathesis_failures_and_responses_are_where_the_wrapper_looks():
    import datetime as dt

    import httpx

    failure, group = _compat.schemathesis_failure_types()
    assert issubclass(failure, AssertionError) and issubclass(group, BaseException)
    request = httpx.Request("GET", "http://example.test/x")
    answer = httpx.Response(204, request=request)
    answer.elapsed = dt.timedelta(milliseconds=5)  # as httpx sets it on a response it received
    wrapped = _compat.schemathesis_response(answer)
    assert wrapped.status_code == 204


def test_schemathesis_tests_can_be_built_when_they_run(pytester: pytest.Pytester):
    """What every run does (defer_schemathesis_builds): the items are collected
    without their hypothesis test, which is built at setup, with the fixtures the test asks for."""
    pytester.makeconftest(
        "from conformance import _compat\n"
        "def pytest_configure(config):\n    _compat.defer_schemathesis_builds()\n"
        "def pytest_collection_finish(session):\n"
        "    assert all(hasattr(i.obj, 'conformance_build') for i in session.items), 'built at collection'\n"
        "def pytest_runtest_setup(item):\n    _compat.built_test(item)\n"
        "    assert getattr(item.obj, 'is_hypothesis_test', False)\n")
    pytester.makepyfile(
        "import pytest, schemathesis\n"
        "schema = schemathesis.openapi.from_dict({'openapi': '3.1.0', 'info': {'title': 't', 'version': '1'},\n"
        "  'paths': {'/items': {'post': {'requestBody': {'required': True, 'content': {'application/json':\n"
        "    {'schema': {'type': 'object', 'required': ['n'], 'properties': {'n': {'type': 'integer'}}}}}},\n"
        "    'responses': {'200': {'description': 'ok'}}}}}})\n"
        "@pytest.fixture(scope='module')\ndef tag():\n    return 'from a fixture'\n"
        "@schema.parametrize()\n"
        "def test_items(case, tag):\n"
        "    assert tag == 'from a fixture' and case.operation.label == 'POST /items'\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:conformance")
    result.assert_outcomes(passed=1)


def test_the_requests_schemathesis_checks_send_go_where_the_suite_routes_them():
    """send_checks_requests_through: the schema's transport sends through the suite's function,
    still serializes bodies as schemathesis' requests transport does, and survives the clones
    `include()` makes (MyPreferences' stateful test over three links is one)."""
    import datetime as dt

    import httpx
    import schemathesis

    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/items": {"post": {"operationId": "create", "requestBody": {"content": {"application/json": {
                "schema": {"type": "object"}}}}, "responses": {"200": {"description": "ok"}}}},
                      "/other": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    sent = []

    def send(case):
        kwargs = case.as_transport_kwargs(base_url="http://target.invalid")
        sent.append((kwargs["method"], kwargs["url"], kwargs.get("json")))
        answer = httpx.Response(200, request=httpx.Request(kwargs["method"], kwargs["url"]))
        answer.elapsed = dt.timedelta(milliseconds=1)
        return answer

    schema = _compat.send_checks_requests_through(schemathesis.openapi.from_dict(spec), send)
    narrowed = schema.include(operation_id="create")
    case = narrowed["/items"]["POST"].Case(body={"n": 1}, media_type="application/json")
    assert narrowed.transport.send(case).status_code == 200
    assert sent == [("POST", "http://target.invalid/items", {"n": 1})]
