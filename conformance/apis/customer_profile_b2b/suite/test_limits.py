"""The daily soft limit of 100 tokens (doc 003, L56).

Only on a target whose clock the suite may move (the rows need mock-clock): the suite first moves
to a new day, so its own tokens do not count, and moves a day on afterwards so that later tests
get tokens. Against a real tenant these tests skip: they would spend its whole daily quota.
"""

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite import disruptive, expect, not_applicable, req

pytestmark = disruptive
DAY = 86_400


def _limit(api):
    return int(api.setting("daily_token_limit"))


def _fresh_day(api):
    api.pass_time(DAY)


IN_FLIGHT = 8  # the day's token requests sent side by side: each waits out a round trip


def _request(api):
    return b2b.create(api, resources=["basic"], validity=1)


def _spend(api, count):
    """`count` token requests of the day, unpaced (the limit is what is tested), IN_FLIGHT at a
    time: only the count matters, and these tests run only on a target whose clock the suite moves."""
    sent = {"json": {"resources": ["basic"], "validity": 1}, "headers": b2b.tenant_headers(api), "auth": False}
    responses = list(api.call_each("createToken", [sent] * count, concurrency=IN_FLIGHT, paced=False))
    for response in responses:
        b2b.count_created(api, response)
    return responses


@req("B2B-LIM-001")
def test_limit_tokens_issued(api):
    _fresh_day(api)
    try:
        responses = _spend(api, _limit(api))
        refused = [i + 1 for i, r in enumerate(responses) if not r.is_success]
        expect(not refused,
               f"token request #{refused[0] if refused else 0} of the day answered "
               f"{responses[refused[0] - 1].status_code if refused else ''}; the soft limit is {_limit(api)}")
        for response in responses[-1:]:
            b2b.issued(api, response)
    finally:
        api.pass_time(DAY)


def _over(api, status):
    _fresh_day(api)
    try:
        _spend(api, _limit(api))
        response = _request(api)
        expect(not response.is_success,
               f"token request #{_limit(api) + 1} of the day answered {response.status_code}: the soft limit is not enforced")
        b2b.refused(api, response, "create", status=status)
    finally:
        api.pass_time(DAY)


@req("B2B-LIM-002")
def test_over_the_limit_refused(api):
    _over(api, "4xx")


@req("B2B-LIM-003")
def test_over_the_limit_is_429(api):
    _over(api, 429)


@req("B2B-LIM-004")
def test_limit_is_daily(api):
    _fresh_day(api)
    _spend(api, _limit(api))
    with api.client.unpaced():
        over = _request(api)  # the day's request past the limit, after all the others were answered
    if over.is_success:
        api.pass_time(DAY)
        # A soft limit (L56) need not refuse: then nothing shows that the count is per day.
        not_applicable(f"the target issued token #{_limit(api) + 1} of the day (its soft limit is not enforced), "
                       "so the daily reset is not observable")
    api.pass_time(DAY)
    b2b.issued(api, _request(api))
