"""Updating a token: extending its validity, changing its resources (doc 003, L89-L107)."""

import pytest

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite.outcome import expect

req = pytest.mark.req


@req("B2B-UPD-001")
@pytest.mark.disruptive  # moves the target's clock
def test_update_extends_validity(api):
    api.need("mock-clock")
    rid = "B2B-UPD-001"
    token = b2b.new_token(api, rid, ["basic"], minutes=10)
    life = 10 * 60
    api.pass_time(life / 2)
    b2b.updated(api, rid, b2b.update(api, token, ["basic"], b2b.validity_for_minutes(api, 10)))
    api.pass_time(life * 0.9)  # 14 minutes after creation: past the first validity
    b2b.accepted(api, rid, token, "basic", "an extended token after its first validity ended")
    api.pass_time(life * 0.6 + 5)  # past the new validity, counted from the update or from the old expiry
    b2b.refused_data(api, rid, token, "basic", "an extended token once its new validity has passed")


@req("B2B-UPD-002")
def test_update_adds_a_resource(api):
    rid = "B2B-UPD-002"
    token = b2b.new_token(api, rid, ["basic"])
    b2b.refused_data(api, rid, token, "segments", "a token for basic on segments, before the update")
    body = b2b.updated(api, rid, b2b.update(api, token, ["basic", "segments"], b2b.validity_for_minutes(api, 10)))
    expect(b2b.token_of(api, body) in (None, token), rid, "the update answered another token than the one it updated")
    b2b.accepted(api, rid, token, "segments", "the updated token on segments")
    b2b.accepted(api, rid, token, "basic", "the updated token on basic")


@req("B2B-UPD-003")
def test_update_replaces_the_resources(api):
    rid = "B2B-UPD-003"
    token = b2b.new_token(api, rid, ["basic", "segments"])
    b2b.updated(api, rid, b2b.update(api, token, ["segments"], b2b.validity_for_minutes(api, 10)))
    b2b.refused_data(api, rid, token, "basic", "a token updated to segments only, on basic")
    b2b.accepted(api, rid, token, "segments", "a token updated to segments only, on segments")


@req("B2B-UPD-004")
def test_update_takes_resources_field(api):
    rid = "B2B-UPD-004"
    token = b2b.new_token(api, rid, ["basic"])
    b2b.updated(api, rid, b2b.update(api, token, ["basic", "segments"], b2b.validity_for_minutes(api, 10),
                                     field="resources"))
    b2b.accepted(api, rid, token, "segments", "a token updated through the field resources, on segments")


@req("B2B-UPD-005")
def test_update_of_unknown_token_refused(api):
    rid = "B2B-UPD-005"
    response = b2b.update(api, "cfx-not-a-token-" + api.run.run_id, ["basic"], 10)
    expect(not response.is_success, rid, f"updating a token never issued answered {response.status_code}")
    body = b2b.refused(api, rid, response, "update")
    expect(b2b.token_of(api, body) is None, rid, "updating an unknown token answered a token")


@req("B2B-UPD-006")
def test_update_needs_tenant_credentials(api):
    rid = "B2B-UPD-006"
    token = b2b.new_token(api, rid, ["basic"])
    cases = [("no tenant_hash", {"tenant": None}), ("an unknown tenant_hash", {"tenant": api.unique("no-such-tenant")})]
    if b2b.setting(api, "oauth_enabled"):
        cases.append(("no OAuth_key_secret", {"secret": None}))
    for label, override in cases:
        response = b2b.update(api, token, ["basic", "segments"], 10, **override)
        expect(not response.is_success, rid, f"an update with {label} answered {response.status_code}")
        b2b.refused(api, rid, response, "update")
    b2b.refused_data(api, rid, token, "segments", "a token after refused updates, on segments")
