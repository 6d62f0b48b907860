"""What the Customer Profile B2B tests share. Nothing here knows about the mock: every
assumption of the spec (paths, headers, token field, validity unit) is read from the target's
settings, with the defaults of `conformance.apis.customer_profile_b2b.SETTINGS`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from conformance.apis.customer_profile_b2b import IDENTIFIERS, RESOURCES, SETTINGS
from conformance.auth import Grant
from conformance.suite.context import ApiContext
from conformance.suite.outcome import expect, fail

# The spec's own path keys; a target may serve them elsewhere (settings token_path, ...).
SPEC_TOKEN = "/secureApi/token/profile/create"
SPEC_UPDATE = "/secureApi/token/profile/update"  # documented, 003#L90
SPEC_DATA = "/secureApi/profile/{resource}"
DOC_UPDATE = SPEC_UPDATE
ALL = list(RESOURCES)


def setting(api: ApiContext, key: str) -> Any:
    return api.setting(key, SETTINGS[key])


# --- aiming the spec at the target --------------------------------------------------------------
def aim_spec(api: ApiContext, spec: dict) -> None:
    """Rename the spec's assumed paths and token field to what the target's settings say, so
    that checks against the spec follow the target's choices."""
    paths = spec["paths"]
    for key, setting_name in ((SPEC_TOKEN, "token_path"), (SPEC_UPDATE, "update_path"), (SPEC_DATA, "data_path")):
        target_path = setting(api, setting_name)
        if key in paths and target_path != key:
            paths[target_path] = paths.pop(key)
    field = setting(api, "token_field")
    if field != "token":
        schema = spec["components"]["schemas"]["TokenResponse"]
        schema["required"] = [field]
        schema["properties"] = {field: schema["properties"]["token"]}
    params = spec["components"]["parameters"]
    params["TenantHash"]["name"] = setting(api, "tenant_header")
    params["OAuthKeySecret"]["name"] = setting(api, "secret_header")
    header, scheme = setting(api, "token_header"), setting(api, "token_scheme")
    if header.lower() != "authorization" or scheme.lower() != "bearer":
        spec["components"]["securitySchemes"]["tokenAuth"] = {"type": "apiKey", "in": "header", "name": header}


def token_path(api: ApiContext) -> str:
    return setting(api, "token_path")


def update_path(api: ApiContext) -> str:
    return setting(api, "update_path")


def data_template(api: ApiContext) -> str:
    return setting(api, "data_path")


def data_url(api: ApiContext, resource: str) -> str:
    return data_template(api).replace("{resource}", resource)


# --- validity --------------------------------------------------------------------------------------
def unit(api: ApiContext) -> str:
    value = str(setting(api, "validity_unit")).lower()
    if value not in ("minutes", "seconds"):
        pytest.skip(f"setting validity_unit must be minutes or seconds, not {value!r}")
    return value


def unit_seconds(api: ApiContext) -> int:
    return 60 if unit(api) == "minutes" else 1


def validity_for_minutes(api: ApiContext, minutes: int) -> int:
    """The `validity` value meaning `minutes` minutes under the target's reading."""
    return minutes if unit(api) == "minutes" else minutes * 60


# --- token requests --------------------------------------------------------------------------------
def tenant_headers(api: ApiContext, **override: str | None) -> dict[str, str]:
    headers = {setting(api, "tenant_header"): api.credential("tenant_hash")}
    secret = api.target.credentials.get("oauth_key_secret")
    if secret:
        headers[setting(api, "secret_header")] = secret
    named = {"tenant": setting(api, "tenant_header"), "secret": setting(api, "secret_header")}
    for key, value in override.items():
        headers.pop(named[key], None)
        if value is not None:
            headers[named[key]] = value
    return {k: v for k, v in headers.items() if v is not None}


def token_of(api: ApiContext, body: Any) -> str | None:
    if isinstance(body, dict):
        value = body.get(setting(api, "token_field"))
        return value if isinstance(value, str) and value else None
    return None


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _count_created(api: ApiContext, response: httpx.Response) -> None:
    if response.is_success and token_of(api, _json(response)):
        api.b2b_tokens_created = getattr(api, "b2b_tokens_created", 0) + 1


def create(api: ApiContext, body: Any = None, *, resources: Any = None, validity: Any = None,
           headers: dict[str, str] | None = None, **override: str | None) -> httpx.Response:
    """POST the token request: `body` as given, or {"resources": ..., "validity": ...}."""
    if body is None:
        body = {"resources": resources if resources is not None else ["basic"]}
        if validity is not None:
            body["validity"] = validity
    sent = headers if headers is not None else tenant_headers(api, **override)
    if isinstance(body, (str, bytes)):
        response = api.client.post(token_path(api), content=body, headers={**sent, "Content-Type": "application/json"})
    else:
        response = api.client.post(token_path(api), json=body, headers=sent)
    _count_created(api, response)
    return response


def issued(api: ApiContext, rid: str, response: httpx.Response) -> str:
    """The token of a successful token response (2xx, documented shape), or fail `rid`."""
    body = api.conforms(response, "POST", token_path(api), rid, status="2xx")
    token = token_of(api, body)
    expect(token is not None, rid, f"the token response carries no {setting(api, 'token_field')!r}")
    return token


def new_token(api: ApiContext, rid: str, resources: list[str], minutes: int = 10) -> str:
    return issued(api, rid, create(api, resources=resources, validity=validity_for_minutes(api, minutes)))


def refused(api: ApiContext, rid: str, response: httpx.Response, operation: str, *, status: Any = "4xx") -> Any:
    """A refusal: the expected status, a documented response, and no token in it."""
    path = token_path(api) if operation == "create" else update_path(api)
    body = api.conforms(response, "POST", path, rid, status=status)
    if operation == "create":
        expect(token_of(api, body) is None, rid, "a refused token request carried a token")
    return body


def update(api: ApiContext, token: str, resources: Any, validity: Any = None, *, field: str = "resource",
           headers: dict[str, str] | None = None, path: str | None = None, **override: str | None) -> httpx.Response:
    body: dict[str, Any] = {field: resources, "token": token}  # the update's field is documented, L96
    if validity is not None:
        body["validity"] = validity
    sent = headers if headers is not None else tenant_headers(api, **override)
    return api.client.post(path or update_path(api), json=body, headers=sent)


def updated(api: ApiContext, rid: str, response: httpx.Response) -> Any:
    return api.conforms(response, "POST", update_path(api), rid, status="2xx")


# --- the token the suite reuses -------------------------------------------------------------------
def grant_fetcher(api: ApiContext):
    """One token for all 14 resources, valid 60 minutes, reused by every test (L56)."""

    def fetch() -> Grant:
        response = create(api, resources=ALL, validity=validity_for_minutes(api, 60))
        token = token_of(api, _json(response))
        if response.status_code >= 300 or token is None:
            fail("B2B-AUTH-002", f"the token request for all 14 resources answered {response.status_code} without a token")
        return Grant(token, 3600.0)

    return fetch


def example_token(api: ApiContext) -> str:
    """The doc's example token (L59-L60: basic and segments, validity 600), created once."""
    if getattr(api, "b2b_example", None) is None:
        response = create(api, {"resources": ["basic", "segments"], "validity": 600})
        api.b2b_example_response = response
        api.b2b_example = issued(api, "B2B-AUTH-001", response)
    return api.b2b_example


def spare_token(api: ApiContext, rid: str) -> str:
    """A token for basic, valid 60 minutes, created once and shared by the update tests that
    expect refusals (and by UPD-004 and VER-001, which add segments / extend it): the run keeps
    within its token budget (L56). No test relies on it lacking anything but userActivity."""
    if getattr(api, "b2b_spare", None) is None:
        api.b2b_spare = new_token(api, rid, ["basic"], minutes=60)
    return api.b2b_spare


def plain_token(api: ApiContext, rid: str) -> str | None:
    """A token of the target's tenant without OAuth (credential plain_tenant_hash), created once;
    None where the target names no such tenant."""
    plain = api.target.credentials.get("plain_tenant_hash")
    if not plain:
        return None
    if getattr(api, "b2b_plain", None) is None:
        response = create(api, resources=["basic"], validity=validity_for_minutes(api, 10),
                          headers={setting(api, "tenant_header"): plain})
        expect(response.is_success, rid, f"a token request of a tenant without OAuth, sent without "
                                         f"OAuth_key_secret, answered {response.status_code}")
        api.b2b_plain = issued(api, rid, response)
    return api.b2b_plain


def update_raw(api: ApiContext, content: str) -> httpx.Response:
    """POST a body that is not JSON to the update URL, with the tenant's credentials."""
    return api.client.post(update_path(api), content=content,
                           headers={**tenant_headers(api), "Content-Type": "application/json"})


# --- data calls ------------------------------------------------------------------------------------
def auth(api: ApiContext, token: str) -> dict[str, str]:
    scheme = setting(api, "token_scheme")
    return {setting(api, "token_header"): f"{scheme} {token}" if scheme else token}


def get(api: ApiContext, resource: str, identifiers: dict[str, str], *, token: str | None = None,
        headers: dict[str, str] | None = None) -> httpx.Response:
    sent = dict(headers) if headers is not None else auth(api, token if token is not None else api.tokens.get())
    sent.update(identifiers)
    return api.client.get(data_url(api, resource), headers=sent)


def customer(api: ApiContext, key: str = "customer") -> dict[str, str]:
    value = setting(api, key) or {}
    missing = [k for k in IDENTIFIERS if not value.get(k)]
    if missing:
        pytest.skip(f"the target's setting {key} does not name the customer's {', '.join(missing)}")
    return {k: str(value[k]) for k in IDENTIFIERS}


def found(api: ApiContext, rid: str, response: httpx.Response, who: dict[str, str], what: str) -> Any:
    """A data call that must answer 200 with the customer `who`."""
    body = api.conforms(response, "GET", data_template(api), rid, status=200)
    expect(str(body.get("gcrId")) == who["gcrId"], rid,
           f"{what}: answered the customer with gcrId {body.get('gcrId')!r}, not {who['gcrId']!r}")
    return body


def not_found_data(api: ApiContext, rid: str, response: httpx.Response, what: str, *, status: Any = "4xx") -> Any:
    """A data call that must be refused, with no profile in the answer."""
    expect(not response.is_success, rid, f"{what} answered {response.status_code}, not a refusal")
    body = api.conforms(response, "GET", data_template(api), rid, status=status)
    expect(not (isinstance(body, dict) and "gcrId" in body), rid, f"{what}: the refusal carries a profile")
    return body


def accepted(api: ApiContext, rid: str, token: str, resource: str, what: str) -> None:
    who = customer(api)
    found(api, rid, get(api, resource, {"gcrId": who["gcrId"]}, token=token), who, what)


def refused_data(api: ApiContext, rid: str, token: str, resource: str, what: str, *, status: Any = "4xx") -> None:
    who = customer(api)
    not_found_data(api, rid, get(api, resource, {"gcrId": who["gcrId"]}, token=token), what, status=status)
