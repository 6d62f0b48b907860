"""Tokens and bearer authentication, legacy edition (doc 000)."""

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import LEGACY, OPT_OUT
from conformance.suite import disruptive, req


@req("PCL-AUTH-001")
def test_token_from_form_body(api):
    pc.token_issued(api, pc.request_token(api), LEGACY)


@req("PCL-AUTH-002")  # needs mock-clock (its catalogue row)
@disruptive  # moves the target's clock a month on
def test_token_valid_until_revoked(api):
    body = api.conforms(pc.request_token(api), status=200)
    token = body["access_token"]
    for seconds in (28_800 + 60, 30 * 86_400):  # past the current edition's TTL, then a month
        api.pass_time(seconds)
        response = pc.put_opt(api, LEGACY, api.unique("user"), OPT_OUT, token=token)
        api.conforms(response, status=200)


@req("PCL-AUTH-003")
def test_bad_client_credentials_invalid_client(api):
    for override in pc.bad_client_cases(api):
        pc.token_refused(api, "invalid_client", described=True, **override)


@req("PCL-AUTH-004")
def test_invalid_client_status(api):
    for override in pc.bad_client_cases(api):
        pc.token_refused(api, None, status=(400, 401), **override)


@req("PCL-AUTH-005")
def test_unsupported_grant_type(api):
    for grant in ("password", "authorization_code", "CLIENT_CREDENTIALS"):
        pc.token_refused(api, "unsupported_grant_type", described=True, grant_type=grant)


@req("PCL-AUTH-006")
def test_unsupported_grant_type_status(api):
    pc.token_refused(api, None, status=400, grant_type="password")


@req("PCL-AUTH-007")
def test_token_needs_client_credentials(api):
    for override in ({"client_id": None, "client_secret": None}, {"client_secret": None}, {"client_id": None}):
        pc.token_refused(api, None, **override)


@req("PCL-AUTH-008")
def test_token_needs_grant_type(api):
    pc.token_refused(api, ("invalid_request", "unsupported_grant_type"), status=400, grant_type=None)


@req("PCL-AUTH-009")
def test_put_without_valid_bearer_refused(api):
    pc.bearer_refusals(api, LEGACY)


@req("PCL-AUTH-010")
def test_unknown_token_invalid_token(api):
    pc.bearer_refusals(api, LEGACY, invalid_token_body=True)


@req("PCL-AUTH-011")
def test_bearer_refusal_is_401_with_challenge(api):
    pc.bearer_refusals(api, LEGACY, www_authenticate=True)


@req("PCL-AUTH-012")
def test_one_token_many_calls(api):
    pc.token_reused(api, LEGACY)


@req("PCL-AUTH-013")
def test_lower_case_bearer_as_documented(api):
    pc.lower_case_bearer(api, LEGACY)


@req("PCL-AUTH-014")
def test_new_token_does_not_revoke_the_earlier(api):
    pc.new_token_keeps_old(api, LEGACY)


@req("PCL-AUTH-015")
def test_token_response_not_cached(api):
    pc.token_not_cached(api, LEGACY)
