"""Updating a token: extending its validity, changing its resources (doc 003, L89-L107)."""

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite import disruptive, expect, req


@req("B2B-UPD-001")
@disruptive  # moves the target's clock
def test_update_extends_validity(api):
    token = b2b.new_token(api, ["basic"], minutes=10)
    life = 10 * 60
    api.pass_time(life / 2)
    b2b.updated(api, b2b.update(api, token, ["basic"], b2b.validity_for_minutes(api, 10)))
    api.pass_time(life * 0.9)  # 14 minutes after creation: past the first validity
    b2b.accepted(api, token, "basic", "an extended token after its first validity ended")
    api.pass_time(life * 0.6 + 5)  # past the new validity, counted from the update or from the old expiry
    b2b.refused_data(api, token, "basic", "an extended token once its new validity has passed")


@req("B2B-UPD-002")
def test_update_adds_a_resource(api):
    token = b2b.new_token(api, ["basic"])
    b2b.refused_data(api, token, "segments", "a token for basic on segments, before the update")
    # The doc's own example (L103-L107): {"resource": ["basic", "segments"], "validity": 300, "token": ...}
    body = b2b.updated(api, b2b.update(api, token, ["basic", "segments"], b2b.validity_for_minutes(api, 300)))
    expect(b2b.token_of(api, body) in (None, token), "the update answered another token than the one it updated")
    b2b.accepted(api, token, "segments", "the updated token on segments")
    b2b.accepted(api, token, "basic", "the updated token on basic")


@req("B2B-UPD-003")
def test_update_replaces_the_resources(api):
    token = b2b.new_token(api, ["basic", "segments"])
    b2b.updated(api, b2b.update(api, token, ["segments"], b2b.validity_for_minutes(api, 10)))
    b2b.refused_data(api, token, "basic", "a token updated to segments only, on basic")
    b2b.accepted(api, token, "segments", "a token updated to segments only, on segments")


@req("B2B-UPD-004")
def test_update_takes_resources_field(api):
    token = b2b.spare_token(api)  # basic; this is the one test that adds segments to it
    b2b.refused_data(api, token, "segments", "a token for basic on segments, before the update")
    b2b.updated(api, b2b.update(api, token, ["basic", "segments"], b2b.validity_for_minutes(api, 60),
                                field="resources"))
    b2b.accepted(api, token, "segments", "a token updated through the field resources, on segments")


@req("B2B-UPD-005")
def test_update_of_unknown_token_refused(api):
    response = b2b.update(api, "cfx-not-a-token-" + api.run.run_id, ["basic"], 10)
    expect(not response.is_success, f"updating a token never issued answered {response.status_code}")
    body = b2b.refused(api, response, "update")
    expect(b2b.token_of(api, body) is None, "updating an unknown token answered a token")
    # A token another tenant was issued (the tenant without OAuth, where the target names one):
    # this tenant was never issued it either.
    other = b2b.plain_token(api)
    if other is not None:
        response = b2b.update(api, other, ["basic", "segments"], b2b.validity_for_minutes(api, 10))
        expect(not response.is_success, f"updating another tenant's token answered {response.status_code}")
        b2b.refused(api, response, "update")


@req("B2B-UPD-006")
def test_update_needs_tenant_credentials(api):
    token = b2b.spare_token(api)  # never granted userActivity
    cases = [("no tenant_hash", {"tenant": None}), ("an unknown tenant_hash", {"tenant": api.unique("no-such-tenant")})]
    if api.setting("oauth_enabled"):
        cases += [("no OAuth_key_secret", {"secret": None}),
                  ("a wrong OAuth_key_secret", {"secret": api.credential("oauth_key_secret") + "x"})]
    for label, override in cases:
        response = b2b.update(api, token, ["basic", "userActivity"], b2b.validity_for_minutes(api, 60), **override)
        expect(not response.is_success, f"an update with {label} answered {response.status_code}")
        b2b.refused(api, response, "update")
    b2b.refused_data(api, token, "userActivity", "a token after refused updates, on userActivity")
    # ... while the token itself still works: the refusal above is its scope, not a dead token.
    b2b.accepted(api, token, "basic", "a token after refused updates, on basic")


@req("B2B-UPD-007")
def test_update_without_the_token_refused(api):
    # L91, L101: "you need to include the token as an additional request body parameter".
    for body in ({"resource": ["basic"], "validity": 10}, {"resources": ["basic"], "validity": 10}):
        response = api.call("updateToken", json=body, headers=b2b.tenant_headers(api), auth=False)
        expect(not response.is_success, f"an update without a token answered {response.status_code}")
        body = b2b.refused(api, response, "update")
        expect(b2b.token_of(api, body) is None, "an update without a token answered a token")


@req("B2B-UPD-008")
@disruptive  # moves the target's clock
def test_token_refreshed_as_needed(api):
    # L17 "can be refreshed as needed": a second update extends the token again.
    token = b2b.new_token(api, ["basic"], minutes=10)
    api.pass_time(5 * 60)
    b2b.updated(api, b2b.update(api, token, ["basic"], b2b.validity_for_minutes(api, 10)))
    api.pass_time(7 * 60)  # 12 minutes: the first update ends at 15 (from the update) or 20 (added)
    b2b.updated(api, b2b.update(api, token, ["basic"], b2b.validity_for_minutes(api, 10)))
    api.pass_time(9 * 60)  # 21 minutes: past the first update under both readings, within the second
    b2b.accepted(api, token, "basic", "a token updated twice, after its first update's validity")
    api.pass_time(10 * 60)  # 31 minutes: past the second update under both readings
    b2b.refused_data(api, token, "basic", "a token updated twice, once the second validity has passed")


@req("B2B-UPD-009")
def test_update_needs_known_resources(api):
    # L91, L101: the update's payload has the creation's structure, which needs one or more of
    # the listed resources (L24-L50). Last of this module: a faulty target may change the token.
    token = b2b.spare_token(api)
    validity = b2b.validity_for_minutes(api, 60)
    for label, body in (("no resource field", {"validity": validity, "token": token}),
                        ("an empty resource list", {"resource": [], "validity": validity, "token": token}),
                        ("an unknown resource", {"resource": ["basic", "customerSecrets"], "validity": validity,
                                                 "token": token})):
        response = api.call("updateToken", json=body, headers=b2b.tenant_headers(api), auth=False)
        expect(response.status_code == 400, f"an update with {label} answered {response.status_code}, not 400")
        b2b.refused(api, response, "update", status=400)
    b2b.accepted(api, token, "basic", "a token after refused updates, on basic")
