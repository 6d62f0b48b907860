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
