"""What the Customer Profile B2B tests share. Nothing here knows about the mock: every
assumption of the spec (paths, headers, token field, validity unit) is read from the target's
settings, whose defaults (with the doc lines behind them) are the spec's `x-settings`.

The checks judge the running test's rows (its req marker) unless given `ids=`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import httpx
import pytest

from conformance.apis.customer_profile_b2b import spec_identifiers, spec_resources
from conformance.suite import ApiContext, Grant, expect, fail


@dataclass
class State:
    """What this API's tests share during a run (api.state)."""

    tokens_created: int = 0  # token requests of the run that issued a token
    created_before_disruptive: int = 0  # of those, the ones before its first disruptive test
    example: str | None = None  # the doc's example token (basic, segments; validity 600)
    spare: str | None = None  # a token for basic, shared by the update tests
    plain: str | None = None  # a token of the tenant without OAuth (credential plain_tenant_hash)


# --- setup (ApiInfo.setup) ------------------------------------------------------------------------
def setup(api: ApiContext) -> None:
    # The spec's assumed headers and token field, as this target's settings name them (its
    # assumed paths follow the settings by themselves: x-setting).
    aim_spec(api, api.spec)
    # Their answers are credentials, whatever field the token comes in (redaction).
    api.client.token_paths |= {api.path_of("createToken")[1], api.path_of("updateToken")[1]}
    # One token for all 14 resources, reused by every test: a tenant may create 100 a day (L56).
    api.use_token_fetcher(grant_fetcher(api))
    api.auth_headers = lambda: auth(api, api.tokens.get())


def aim_spec(api: ApiContext, spec: dict) -> None:
    """Rename the spec's assumed token field and headers to what the target's settings say, so
    that checks against the spec follow the target's choices."""
    field = api.setting("token_field")
    if field != "token":
        schema = spec["components"]["schemas"]["TokenResponse"]
        schema["required"] = [field]
        schema["properties"] = {field: schema["properties"]["token"]}
    params = spec["components"]["parameters"]
    params["TenantHash"]["name"] = api.setting("tenant_header")
    params["OAuthKeySecret"]["name"] = api.setting("secret_header")
    header, scheme = api.setting("token_header"), api.setting("token_scheme")
    if header.lower() != "authorization" or scheme.lower() != "bearer":
        spec["components"]["securitySchemes"]["tokenAuth"] = {"type": "apiKey", "in": "header", "name": header}


# --- vendor facts (the spec's) ---------------------------------------------------------------------
def aim_contract(api: ApiContext, spec: dict) -> None:
    """The spec as the property tests use it. The token creation is left out: every generated
    request that succeeded would spend one of the tenant's 100 tokens a day (L56). The assumed
    paths, header names and token field are already the target's (x-setting, aim_spec)."""
    spec["paths"].pop(api.path_of("createToken")[1], None)
    params = spec["components"]["parameters"]
    # The tenant's own credentials in positive cases; anything else is negative data.
    params["TenantHash"]["schema"] = {"const": api.credential("tenant_hash")}
    if api.target.credentials.get("oauth_key_secret"):
        params["OAuthKeySecret"]["schema"] = {"const": api.credential("oauth_key_secret")}
    # Valid identifiers are those of the target's known customer, so that valid requests reach
    # a profile (200); anything else is a customer nobody has, or an ambiguous mix (4xx).
    known = api.setting("customer") or {}
    for param in ("GcrId", "EmailAddress", "MobileNumber", "CustomerCodeExternal"):
        value = known.get(params[param]["name"])
        if value:
            params[param]["schema"] = {"const": str(value)}


# The header carrying the token, as the target's settings name it (for contract.schema_for).
TOKEN_AUTH = {"header": lambda api: api.setting("token_header"), "scheme": lambda api: api.setting("token_scheme")}


def all_resources(api: ApiContext) -> list[str]:
    """The 14 resources (L25-L50), in the doc's order."""
    return list(spec_resources(api.spec))


def identifier_names(api: ApiContext) -> tuple[str, ...]:
    """The four customer identifier headers (L65-L70): gcrId, email_address, mobile_number,
    customer_code_external."""
    return spec_identifiers(api.spec)


def documented_update_path(api: ApiContext) -> str:
    """The update URL the doc gives (L90, L100), whatever the target's update_path says."""
    return api.spec["x-settings"]["update_path"]["default"]


# --- validity --------------------------------------------------------------------------------------
def unit(api: ApiContext) -> str:
    value = str(api.setting("validity_unit")).lower()
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
    headers = {api.setting("tenant_header"): api.credential("tenant_hash")}
    secret = api.target.credentials.get("oauth_key_secret")
    if secret:
        headers[api.setting("secret_header")] = secret
    named = {"tenant": api.setting("tenant_header"), "secret": api.setting("secret_header")}
    for key, value in override.items():
        headers.pop(named[key], None)
        if value is not None:
            headers[named[key]] = value
    return {k: v for k, v in headers.items() if v is not None}


def token_of(api: ApiContext, body: Any) -> str | None:
    if isinstance(body, dict):
        value = body.get(api.setting("token_field"))
        return value if isinstance(value, str) and value else None
    return None


def json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def count_created(api: ApiContext, response: httpx.Response) -> None:
    """Count a token the target issued (the token budget row judges the count)."""
    if response.is_success and token_of(api, json_of(response)):
        api.state.tokens_created += 1
        if api.tokens_before_disruptive is None:  # no disruptive test has started yet
            api.state.created_before_disruptive += 1


def create(api: ApiContext, body: Any = None, *, resources: Any = None, validity: Any = None,
           headers: dict[str, str] | None = None, **override: str | None) -> httpx.Response:
    """POST the token request: `body` as given, or {"resources": ..., "validity": ...}."""
    if body is None:
        body = {"resources": resources if resources is not None else ["basic"]}
        if validity is not None:
            body["validity"] = validity
    sent = headers if headers is not None else tenant_headers(api, **override)
    if isinstance(body, (str, bytes)):
        response = api.call("createToken", content=body, headers=sent, auth=False)
    else:
        response = api.call("createToken", json=body, headers=sent, auth=False)
    count_created(api, response)
    return response


def issued(api: ApiContext, response: httpx.Response, *, ids: Any = None) -> str:
    """The token of a successful token response (2xx, documented shape), or the row fails."""
    body = api.conforms(response, status="2xx", ids=ids)
    token = token_of(api, body)
    expect(token is not None, f"the token response carries no {api.setting('token_field')!r}", ids=ids)
    return token


def new_token(api: ApiContext, resources: list[str], minutes: int = 10, *, ids: Any = None) -> str:
    return issued(api, create(api, resources=resources, validity=validity_for_minutes(api, minutes)), ids=ids)


def refused(api: ApiContext, response: httpx.Response, operation: str, *, status: Any = "4xx",
            ids: Any = None) -> Any:
    """A refusal of a token request (`operation` "create" or "update"): the expected status, a
    documented response, and (creation) no token in it."""
    body = api.conforms(response, status=status, ids=ids)
    if operation == "create":
        expect(token_of(api, body) is None, "a refused token request carried a token", ids=ids)
    return body


def update(api: ApiContext, token: str, resources: Any, validity: Any = None, *, field: str = "resource",
           headers: dict[str, str] | None = None, path: str | None = None, **override: str | None) -> httpx.Response:
    """POST an update of `token`; `path` sends it to that path instead of the update operation's."""
    body: dict[str, Any] = {field: resources, "token": token}  # the update's field is documented, L96
    if validity is not None:
        body["validity"] = validity
    sent = headers if headers is not None else tenant_headers(api, **override)
    if path is not None:
        return api.client.post(path, json=body, headers=sent)
    return api.call("updateToken", json=body, headers=sent, auth=False)


def updated(api: ApiContext, response: httpx.Response, *, ids: Any = None) -> Any:
    return api.conforms(response, status="2xx", ids=ids)


# --- the token the suite reuses -------------------------------------------------------------------
def grant_fetcher(api: ApiContext):
    """One token for all 14 resources, valid 60 minutes, reused by every test (L56). A failing
    fetch is B2B-AUTH-002's (a token for all 14 resources): the tests needing it are blocked."""

    def fetch() -> Grant:
        response = create(api, resources=all_resources(api), validity=validity_for_minutes(api, 60))
        token = token_of(api, json_of(response))
        if response.status_code >= 300 or token is None:
            fail(f"the token request for all 14 resources answered {response.status_code} without a token",
                 ids="B2B-AUTH-002")
        return Grant(token, 3600.0)

    return fetch


def example_token(api: ApiContext) -> str:
    """The doc's example token (L59-L60: basic and segments, validity 600), created once; a
    failing request is B2B-AUTH-001's (the doc's example)."""
    if api.state.example is None:
        response = create(api, {"resources": ["basic", "segments"], "validity": 600})
        api.state.example = issued(api, response, ids="B2B-AUTH-001")
    return api.state.example


def spare_token(api: ApiContext, *, ids: Any = None) -> str:
    """A token for basic, valid 60 minutes, created once and shared by the update tests that
    expect refusals (and by UPD-004 and VER-001, which add segments / extend it): the run keeps
    within its token budget (L56). No test relies on it lacking anything but userActivity."""
    if api.state.spare is None:
        api.state.spare = new_token(api, ["basic"], minutes=60, ids=ids)
    return api.state.spare


def plain_token(api: ApiContext, *, ids: Any = None) -> str | None:
    """A token of the target's tenant without OAuth (credential plain_tenant_hash), created once;
    None where the target names no such tenant."""
    plain = api.target.credentials.get("plain_tenant_hash")
    if not plain:
        return None
    if api.state.plain is None:
        response = create(api, resources=["basic"], validity=validity_for_minutes(api, 10),
                          headers={api.setting("tenant_header"): plain})
        expect(response.is_success, f"a token request of a tenant without OAuth, sent without "
                                    f"OAuth_key_secret, answered {response.status_code}", ids=ids)
        api.state.plain = issued(api, response, ids=ids)
    return api.state.plain


def update_raw(api: ApiContext, content: str) -> httpx.Response:
    """POST a body that is not JSON to the update URL, with the tenant's credentials."""
    return api.call("updateToken", content=content, headers=tenant_headers(api), auth=False)


# --- data calls ------------------------------------------------------------------------------------
def auth(api: ApiContext, token: str) -> dict[str, str]:
    scheme = api.setting("token_scheme")
    return {api.setting("token_header"): f"{scheme} {token}" if scheme else token}


def get(api: ApiContext, resource: str, customer_headers: dict[str, str], *, token: str | None = None,
        headers: dict[str, str] | None = None) -> httpx.Response:
    """GET one resource with the customer's identifier headers, and the suite's token, `token`,
    or exactly the auth `headers` given."""
    if headers is None and token is None:
        return api.call("getProfileResource", headers=customer_headers, resource=resource)
    sent = dict(headers) if headers is not None else auth(api, token)
    sent.update(customer_headers)
    return api.call("getProfileResource", headers=sent, auth=False, resource=resource)


def get_each(api: ApiContext, wanted: list[tuple[str, dict[str, str]]]) -> Iterator[tuple[str, httpx.Response]]:
    """`get` of each (resource, customer identifier headers), sent side by side
    (api.call_each, `reads_in_flight` at once): reads of the target's fixed customers, which no
    test changes. Yields (resource, answer) in the order given."""
    calls = [{"headers": dict(headers), "resource": resource} for resource, headers in wanted]
    answers = api.call_each("getProfileResource", calls, concurrency=int(api.setting("reads_in_flight")))
    yield from zip((resource for resource, _ in wanted), answers)


def customer(api: ApiContext, key: str = "customer") -> dict[str, str]:
    value = api.setting(key) or {}
    missing = [k for k in identifier_names(api) if not value.get(k)]
    if missing:
        pytest.skip(f"the target's setting {key} does not name the customer's {', '.join(missing)}")
    return {k: str(value[k]) for k in identifier_names(api)}


def found(api: ApiContext, response: httpx.Response, who: dict[str, str], what: str, *, ids: Any = None) -> Any:
    """A data call that must answer 200 with the customer `who`."""
    body = api.conforms(response, status=200, ids=ids)
    expect(str(body.get("gcrId")) == who["gcrId"],
           f"{what}: answered the customer with gcrId {body.get('gcrId')!r}, not {who['gcrId']!r}", ids=ids)
    return body


def not_found_data(api: ApiContext, response: httpx.Response, what: str, *, status: Any = "4xx",
                   ids: Any = None) -> Any:
    """A data call that must be refused, with no profile in the answer."""
    expect(not response.is_success, f"{what} answered {response.status_code}, not a refusal", ids=ids)
    body = api.conforms(response, status=status, ids=ids)
    expect(not (isinstance(body, dict) and "gcrId" in body), f"{what}: the refusal carries a profile", ids=ids)
    return body


def accepted(api: ApiContext, token: str, resource: str, what: str, *, ids: Any = None) -> None:
    who = customer(api)
    found(api, get(api, resource, {"gcrId": who["gcrId"]}, token=token), who, what, ids=ids)


def refused_data(api: ApiContext, token: str, resource: str, what: str, *, status: Any = "4xx",
                 ids: Any = None) -> None:
    who = customer(api)
    not_found_data(api, get(api, resource, {"gcrId": who["gcrId"]}, token=token), what, status=status, ids=ids)
