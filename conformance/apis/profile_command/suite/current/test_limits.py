"""100 user-id updates per second (doc 001, L73-L84)."""

import pytest

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import CURRENT, OPT_OUT
from conformance.suite.outcome import expect

req = pytest.mark.req
pytestmark = pytest.mark.disruptive


@req("PC-LIM-001")
def test_no_429_at_the_limit(api):
    result = pc.burst(api, CURRENT, 100)
    expect(result.limited == 0, "PC-LIM-001",
           f"{result.limited} of 100 updates sent in {result.seconds:.2f} s after a quiet second drew 429")
    expect(all(s == 200 for s in result.statuses), "PC-LIM-001",
           f"statuses at the limit: {sorted(set(result.statuses))}")


@req("PC-LIM-002")
def test_429_above_the_limit(api):
    pc.must_be_limited(api, CURRENT, "PC-LIM-002")


@req("PC-LIM-003")
def test_429_has_retry_after(api):
    result = pc.must_be_limited(api, CURRENT, "PC-LIM-003")
    expect(pc.retry_after_seconds(result.first_429) is not None, "PC-LIM-003", "the 429 carries no Retry-After")


@req("PC-LIM-004")
def test_accepted_again_after_the_second(api):
    result = pc.must_be_limited(api, CURRENT, "PC-LIM-004")
    wait = pc.retry_after_seconds(result.first_429) or 1.0
    api.pass_time(min(wait, 60.0) + 0.2)
    response = pc.put_opt(api, CURRENT, api.unique("user"), OPT_OUT)
    api.conforms(response, "PUT", CURRENT.opt_path, "PC-LIM-004", status=200)
