"""Creating tokens and using them (doc 003, L11-L61)."""

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite import expect, not_applicable, req


def _outside_example(api):
    return [r for r in b2b.all_resources(api) if r not in ("basic", "segments")]  # the 12 the example token lacks


@req("B2B-AUTH-001")
def test_doc_example_token(api):
    token = b2b.example_token(api)  # {"resources": ["basic", "segments"], "validity": 600}
    for resource in ("basic", "segments"):  # both resources of the example (L59)
        b2b.accepted(api, token, resource, f"the example token on {resource}")


@req("B2B-AUTH-002")
def test_token_for_all_14_resources(api):
    token = api.tokens.get()  # the suite's token: all 14 resources (L25-L50)
    who = b2b.customer(api)
    for resource in b2b.all_resources(api):
        b2b.found(api, b2b.get(api, resource, {"gcrId": who["gcrId"]}, token=token), who,
                  f"GET {resource} with a token for all 14 resources")


@req("B2B-AUTH-003")
def test_token_needs_a_resource(api):
    for body in ({"validity": 10}, {"resources": [], "validity": 10}):
        b2b.refused(api, b2b.create(api, body), "create")


@req("B2B-AUTH-004")
def test_unknown_resource_refused(api):
    for resources in (["basic", "customerSecrets"], ["noSuchResource"]):
        b2b.refused(api, b2b.create(api, resources=resources, validity=10), "create", status=400)


@req("B2B-AUTH-005")
def test_comma_separated_resources(api):
    response = b2b.create(api, {"resources": "basic,segments", "validity": b2b.validity_for_minutes(api, 10)})
    token = b2b.issued(api, response)
    for resource in ("basic", "segments"):
        b2b.accepted(api, token, resource, f"a token for 'basic,segments' on {resource}")


def _bad_tenant(api):
    return [
        ("no tenant_hash", {"tenant": None}),
        ("an unknown tenant_hash", {"tenant": api.unique("no-such-tenant")}),
    ]


def _bad_secret(api):
    if not api.setting("oauth_enabled"):
        return []
    return [
        ("no OAuth_key_secret", {"secret": None}),
        ("a wrong OAuth_key_secret", {"secret": api.credential("oauth_key_secret") + "x"}),
    ]


@req("B2B-AUTH-006")
def test_tenant_hash_required(api):
    for label, override in _bad_tenant(api):
        response = b2b.create(api, resources=["basic"], validity=10, **override)
        expect(not response.is_success, f"a token request with {label} answered {response.status_code}")
        b2b.refused(api, response, "create")


@req("B2B-AUTH-007")
def test_oauth_key_secret_required(api):
    if not api.setting("oauth_enabled"):
        not_applicable("the target's tenant is not enabled with B2B API OAuth authentication (setting oauth_enabled)")
    for label, override in _bad_secret(api):
        response = b2b.create(api, resources=["basic"], validity=10, **override)
        expect(not response.is_success, f"a token request with {label} answered {response.status_code}")
        b2b.refused(api, response, "create")


@req("B2B-AUTH-013")
def test_secret_not_required_without_oauth(api):
    # L54: the secret is required "if the tenant is enabled with B2B API OAuth authentication".
    if b2b.plain_token(api) is None:
        not_applicable("the target names no tenant without B2B API OAuth authentication (credential plain_tenant_hash)")


@req("B2B-AUTH-008")
def test_bad_tenant_credentials_401(api):
    for label, override in _bad_tenant(api) + _bad_secret(api):
        b2b.refused(api, b2b.create(api, resources=["basic"], validity=10, **override), "create", status=401)


def _bad_auth(api):
    header = api.setting("token_header")
    return {
        "no token": {},
        "an unknown token": b2b.auth(api, "cfx-not-a-token-" + api.run.run_id),
        "Basic credentials": {header: "Basic Y2xpZW50OnNlY3JldA=="},
    }


@req("B2B-AUTH-009")
def test_data_needs_a_token(api):
    who = b2b.customer(api)
    for resource in b2b.all_resources(api):  # "Access tokens are required for API calls" (L15): every resource
        for label, headers in _bad_auth(api).items():
            b2b.not_found_data(api, b2b.get(api, resource, {"gcrId": who["gcrId"]}, headers=headers),
                               f"GET {resource} with {label}")


@req("B2B-AUTH-010")
def test_token_refusal_is_401_with_challenge(api):
    who = b2b.customer(api)
    cases = _bad_auth(api)
    for resource in b2b.all_resources(api):
        for label in ("no token", "an unknown token"):
            response = b2b.get(api, resource, {"gcrId": who["gcrId"]}, headers=cases[label])
            b2b.not_found_data(api, response, f"GET {resource} with {label}", status=401)
            challenge = response.headers.get("www-authenticate", "")
            expect(challenge.lower().startswith("bearer"),
                   f"GET {resource} with {label}: WWW-Authenticate is {challenge!r}, not a Bearer challenge")


@req("B2B-AUTH-011")
def test_token_limited_to_its_resources(api):
    token = b2b.example_token(api)  # basic and segments only
    for resource in _outside_example(api):  # every other documented resource (L28-L50), the search ones too
        b2b.refused_data(api, token, resource, f"a token for basic and segments on {resource}")
    for resource in ("basic", "segments"):
        b2b.accepted(api, token, resource, f"a token for basic and segments on {resource}")


@req("B2B-AUTH-012")
def test_outside_resources_is_403(api):
    token = b2b.example_token(api)
    for resource in _outside_example(api):
        b2b.refused_data(api, token, resource, f"a token for basic and segments on {resource}", status=403)
