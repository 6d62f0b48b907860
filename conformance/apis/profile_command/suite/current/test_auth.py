"""Tokens and bearer authentication, current edition (doc 001)."""

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import CURRENT, OPT_OUT
from conformance.suite import disruptive, expect, req


@req("PC-AUTH-001")
def test_token_from_form_body(api):
    response = pc.request_token(api)
    pc.token_issued(api, response, CURRENT)


@req("PC-AUTH-002")
def test_token_from_query_string(api):
    response = pc.request_token(api, "query")
    pc.token_issued(api, response, CURRENT)


@req("PC-AUTH-003")
def test_token_lives_28800_seconds(api):
    ttl = pc.token_lifetime(api)  # 28800 (L13)
    seen = set()
    for via in VIAS:  # L13 is about every token, however it was requested (L24, L36)
        body = api.conforms(pc.request_token(api, via), status=200)
        expires = body.get("expires_in")
        if body["access_token"] in seen:
            # The same token handed out again (a gateway's token cache): what is left of its 8 hours.
            ok = isinstance(expires, int) and ttl - 60 <= expires <= ttl
        else:
            ok = expires == ttl
        seen.add(body["access_token"])
        expect(ok, f"expires_in of a token requested in the {via} is {expires!r}, not {ttl}")


@req("PC-AUTH-004")  # needs mock-clock (its catalogue row)
@disruptive  # moves the target's clock 8 hours on
def test_token_expires_after_expires_in(api):
    body = api.conforms(pc.request_token(api), status=200)
    expect("expires_in" in body, "the token response states no expires_in")
    token, ttl = body["access_token"], float(body["expires_in"])
    # "valid for exactly 28,800 seconds" (L34): checked 5 s either side of expires_in.
    api.pass_time(ttl - 5)
    before = pc.put_opt(api, CURRENT, api.unique("user"), OPT_OUT, token=token)
    api.conforms(before, status=200)
    api.pass_time(10)
    after = pc.put_opt(api, CURRENT, api.unique("user"), OPT_OUT, token=token)
    refused = api.conforms(after, status="4xx")
    expect(refused.get("error") == "invalid_token",
           f"an expired token drew error {refused.get('error')!r}, not invalid_token")
    expect(pc.has_error_description(refused), "the expired-token error has no error_description (L72)")


# Every token check runs on both ways the doc requests a token: query string (L24) and form body (L36).
VIAS = ("form", "query")


@req("PC-AUTH-005")
def test_bad_client_credentials_invalid_client(api):
    for via in VIAS:
        for override in pc.bad_client_cases(api):
            pc.token_refused(api, "invalid_client", via=via, described=True, **override)


@req("PC-AUTH-006")
def test_invalid_client_status(api):
    for via in VIAS:
        for override in pc.bad_client_cases(api):
            pc.token_refused(api, None, status=(400, 401), via=via, **override)


@req("PC-AUTH-007")
def test_unsupported_grant_type(api):
    for via in VIAS:
        for grant in ("password", "authorization_code", "CLIENT_CREDENTIALS"):
            pc.token_refused(api, "unsupported_grant_type", via=via, described=True, grant_type=grant)


@req("PC-AUTH-008")
def test_unsupported_grant_type_status(api):
    for via in VIAS:
        pc.token_refused(api, None, status=400, via=via, grant_type="password")


@req("PC-AUTH-009")
def test_token_needs_client_credentials(api):
    for via in VIAS:
        for override in ({"client_id": None, "client_secret": None}, {"client_secret": None}, {"client_id": None}):
            pc.token_refused(api, None, via=via, **override)


@req("PC-AUTH-010")
def test_token_needs_grant_type(api):
    for via in VIAS:
        pc.token_refused(api, ("invalid_request", "unsupported_grant_type"), status=400, via=via,
                         grant_type=None)


@req("PC-AUTH-011")
def test_put_without_valid_bearer_refused(api):
    pc.bearer_refusals(api, CURRENT)


@req("PC-AUTH-012")
def test_unknown_token_invalid_token(api):
    pc.bearer_refusals(api, CURRENT, invalid_token_body=True)


@req("PC-AUTH-013")
def test_bearer_refusal_is_401_with_challenge(api):
    pc.bearer_refusals(api, CURRENT, www_authenticate=True)


@req("PC-AUTH-014")
def test_foreign_api_key_refused(api):
    keys = {"a made-up apiKey": api.unique("no-such-site")}
    # A real second site of the tenant (the mock names one): a server that only checks that the
    # site exists passes the made-up key and is caught here.
    if api.setting("other_api_key"):
        keys["another site's apiKey (other_api_key)"] = api.setting("other_api_key")
    for label, key in keys.items():
        response = pc.put_opt(api, CURRENT, api.unique("user"), OPT_OUT, api_key=key)
        expect(400 <= response.status_code < 500,
               f"PUT optOut under {label}, not the site of the token's client, answered {response.status_code}")


@req("PC-AUTH-016")
def test_one_token_many_calls(api):
    pc.token_reused(api, CURRENT)


@req("PC-AUTH-017")
def test_bearer_scheme_any_case(api):
    pc.lower_case_bearer(api, CURRENT)


@req("PC-AUTH-018")
def test_new_token_does_not_end_the_earlier(api):
    pc.new_token_keeps_old(api, CURRENT)


@req("PC-AUTH-019")
def test_token_response_not_cached(api):
    pc.token_not_cached(api, CURRENT, VIAS)
