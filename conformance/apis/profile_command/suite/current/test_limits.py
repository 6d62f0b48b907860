"""100 user-id updates per second (doc 001, L73-L84)."""

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import CURRENT
from conformance.suite import disruptive, expect, req

pytestmark = disruptive


@req("PC-LIM-001")
def test_no_429_at_the_limit(api):
    # 100 updates sent within one second after a quiet second are all accepted. A slower burst
    # proves nothing about the limit: it is tried again, then skipped (which blocks sign-off),
    # never passed.
    result = pc.full_second(api, CURRENT)
    expect(result.limited == 0,
           f"{result.limited} of {pc.documented_limit(api)} updates sent in {result.seconds:.2f} s after a quiet "
           "second drew 429")
    expect(all(s == 200 for s in result.statuses), f"statuses at the limit: {sorted(set(result.statuses))}")


@req("PC-LIM-002")
def test_429_above_the_limit(api):
    pc.must_be_limited(api, CURRENT)


@req("PC-LIM-003")
def test_429_has_retry_after(api):
    result = pc.must_be_limited(api, CURRENT)
    expect(pc.retry_after_seconds(result.first_429) is not None, "the 429 carries no Retry-After")


@req("PC-LIM-004")
def test_accepted_again_after_the_second(api):
    result = pc.must_be_limited(api, CURRENT)
    # The burst began after a quiet second: its first update is in a new second, so accepted.
    expect(result.statuses[:1] == [200],
           f"the first update after a quiet second answered {result.statuses[:1]}: earlier seconds still count")
    # "per second" (L84): a second after the 429, whatever its Retry-After says, a full second's
    # 100 updates are accepted again (a server that honestly locks a client out for longer, or
    # counts over two seconds, still breaks L84).
    again = pc.full_second(api, CURRENT)
    expect(all(s == 200 for s in again.statuses),
           f"{pc.documented_limit(api)} updates a second after the 429 answered {sorted(set(again.statuses))}, "
           "not all 200")
