"""Validity and expiry (doc 003, L87-L92, L109). Each test moves the target's clock (its rows
need mock-clock: the catalogue says so, and the run skips them on a target without it)."""

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite import disruptive, expect, req

pytestmark = disruptive


@req("B2B-LIFE-001")
def test_expired_token_is_401(api):
    token = b2b.new_token(api, b2b.all_resources(api), minutes=60)
    api.pass_time(60 * 60 - 30)  # "after the full 60 minutes" (L109): still accepted half a minute before
    for resource in b2b.all_resources(api):
        b2b.accepted(api, token, resource, f"a 60-minute token after 59.5 minutes, on {resource}")
    api.pass_time(60)
    for resource in b2b.all_resources(api):  # "an expired token ... 401" (L87), whichever resource it is used on
        b2b.refused_data(api, token, resource, f"a 60-minute token after 60.5 minutes, on {resource}", status=401)


def _ten(api):
    """A token created with validity 10 (whatever the unit), and 15 s later."""
    response = b2b.create(api, resources=["basic"], validity=10)
    token = b2b.issued(api, response)
    api.pass_time(15)
    return token


@req("B2B-LIFE-002")
def test_validity_in_minutes(api):
    token = _ten(api)
    if b2b.unit(api) == "seconds":  # the target declares the other reading
        b2b.refused_data(api, token, "basic", "validity 10 after 15 s, on a target declaring validity in seconds")
        return
    b2b.accepted(api, token, "basic", "validity 10 (minutes) after 15 s")
    api.pass_time(10 * 60 - 15 + 5)
    b2b.refused_data(api, token, "basic", "validity 10 (minutes) after 10 minutes 5 s")


@req("B2B-LIFE-003")
def test_validity_in_seconds(api):
    token = _ten(api)
    if b2b.unit(api) == "seconds":
        b2b.refused_data(api, token, "basic", "validity 10 (seconds) after 15 s")
    else:  # minutes declared: the seconds reading must not be what the target applies
        b2b.accepted(api, token, "basic", "validity 10 after 15 s, on a target declaring validity in minutes")


@req("B2B-LIFE-004")
def test_expired_token_cannot_be_updated(api):
    token = b2b.new_token(api, ["basic"], minutes=10)
    api.pass_time(10 * 60 + 5)
    # Changes its resources (only "an existing valid token" can, L99) and extends it (a token is
    # "discarded" once its validity has passed, L109): refused under either sentence.
    response = b2b.update(api, token, ["basic", "segments"], b2b.validity_for_minutes(api, 10))
    expect(not response.is_success, f"updating an expired token answered {response.status_code}")
    b2b.refused(api, response, "update")
    b2b.refused_data(api, token, "basic", "an expired token after an update attempt")


@req("B2B-LIFE-005")
def test_expired_token_update_is_401(api):
    token = b2b.new_token(api, ["basic"], minutes=10)
    api.pass_time(10 * 60 + 5)
    response = b2b.update(api, token, ["basic", "segments"], b2b.validity_for_minutes(api, 10))
    b2b.refused(api, response, "update", status=401)
