"""Checks both editions of the Profile Command API share; each edition's test files bind them
to that edition's requirement ids. Nothing here knows about the mock."""

from __future__ import annotations

import concurrent.futures
import time
from dataclasses import dataclass

import httpx

from conformance.auth import Grant
from conformance.suite.context import ApiContext
from conformance.suite.outcome import RequirementFailure, expect, fail

TOKEN = "/oauth2/token"


@dataclass(frozen=True)
class Edition:
    opt_path: str  # the spec's path of the opt-out operation
    token_req: str  # requirement id of "a valid token request returns a token"

    def opt_url(self, api: ApiContext, user: str, api_key: str | None = None) -> str:
        key = api_key if api_key is not None else api.target.credentials.get("api_key", "")
        return self.opt_path.replace("{apiKey}", key).replace("{userId}", user)


CURRENT = Edition("/{apiKey}/optOut/{userId}", "PC-AUTH-001")
LEGACY = Edition("/optOut/{userId}", "PCL-AUTH-001")
OPT_OUT = {"type": "optOut", "enableOptOut": True}
OPT_IN = {"type": "optOut", "enableOptOut": False}


def credentials_form(api: ApiContext, **override: str | None) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": api.credential("client_id"),
        "client_secret": api.credential("client_secret"),
    }
    form.update(override)
    return {k: v for k, v in form.items() if v is not None}


def request_token(api: ApiContext, **override: str | None) -> httpx.Response:
    return api.client.post(TOKEN, data=credentials_form(api, **override))


def grant_fetcher(api: ApiContext, edition: Edition):
    """How the suite gets the one token it reuses for every call."""

    def fetch() -> Grant:
        # Lenient on purpose: the token's own requirements are checked by their tests; any
        # usable token lets every other requirement be verified.
        response = request_token(api)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            fail(edition.token_req, f"the token request answered {response.status_code} without an access_token")
        expires = body.get("expires_in")
        return Grant(body["access_token"], float(expires) if isinstance(expires, (int, float)) else None)

    return fetch


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def put_opt(api: ApiContext, edition: Edition, user: str, body, *, token: str | None = None,
            headers: dict[str, str] | None = None, api_key: str | None = None, **kw) -> httpx.Response:
    if headers is None:
        headers = bearer(token if token is not None else api.tokens.get())
    url = edition.opt_url(api, user, api_key)
    if isinstance(body, (bytes, str)):
        return api.client.put(url, content=body, headers={**headers, "Content-Type": "application/json"}, **kw)
    return api.client.put(url, json=body, headers=headers, **kw)


# --- token endpoint -----------------------------------------------------------------------------
def token_refused(api: ApiContext, rid: str, expected_error: str | tuple[str, ...] | None, *,
                  status="4xx", **override: str | None) -> dict:
    response = request_token(api, **override)
    body = api.conforms(response, "POST", TOKEN, rid, status=status)
    expect(isinstance(body, dict) and "access_token" not in body, rid, f"a refused token request carried a token")
    if expected_error is not None:
        allowed = (expected_error,) if isinstance(expected_error, str) else expected_error
        expect(body.get("error") in allowed, rid,
               f"error is {body.get('error')!r}, the doc says {' or '.join(allowed)}")
    return body


def bad_client_cases(api: ApiContext) -> list[dict[str, str]]:
    return [
        {"client_secret": api.credential("client_secret") + "x"},
        {"client_id": api.unique("no-such-client")},
    ]


def token_issued(api: ApiContext, rid: str, response: httpx.Response, edition: Edition) -> str:
    body = api.conforms(response, "POST", TOKEN, rid, status=200)
    expect(body["token_type"].lower() == "bearer", rid, f"token_type is {body['token_type']!r}, not bearer")
    # A token that works: it must open the opt-out call.
    opt = put_opt(api, edition, api.unique("user"), OPT_OUT, token=body["access_token"])
    api.conforms(opt, "PUT", edition.opt_path, rid, status=200)
    return body["access_token"]


# --- bearer-token checks on PUT -----------------------------------------------------------------
def bearer_refusals(api: ApiContext, edition: Edition, rid: str, *, www_authenticate: bool = False,
                    invalid_token_body: bool = False) -> None:
    user = api.unique("user")
    cases = {
        "no Authorization header": {},
        "an unknown bearer token": bearer("cfx-not-a-token-" + api.run.run_id),
        "an empty bearer token": {"Authorization": "Bearer"},
        "Basic credentials": {"Authorization": "Basic Y2xpZW50OnNlY3JldA=="},
    }
    if invalid_token_body:
        cases = {"an unknown bearer token": cases["an unknown bearer token"]}
    for label, headers in cases.items():
        response = put_opt(api, edition, user, OPT_OUT, headers=headers)
        where = f"PUT optOut with {label}"
        expect(400 <= response.status_code < 500, rid, f"{where} answered {response.status_code}, not a refusal")
        if www_authenticate:
            expect(response.status_code == 401, rid, f"{where} answered {response.status_code}, not 401")
            challenge = response.headers.get("www-authenticate", "")
            expect(challenge.lower().startswith("bearer"), rid,
                   f"{where}: WWW-Authenticate is {challenge!r}, not a Bearer challenge")
        if invalid_token_body:
            body = api.conforms(response, "PUT", edition.opt_path, rid)
            expect(body.get("error") == "invalid_token", rid, f"{where}: error is {body.get('error')!r}, not invalid_token")


def token_reused(api: ApiContext, edition: Edition, rid: str) -> None:
    token = api.tokens.get()
    for _ in range(2):
        response = put_opt(api, edition, api.unique("user"), OPT_OUT, token=token)
        api.conforms(response, "PUT", edition.opt_path, rid, status=200)


# --- opt-out ------------------------------------------------------------------------------------
def opt_out_ok(api: ApiContext, edition: Edition, rid: str, user: str | None = None, body=OPT_OUT) -> None:
    response = put_opt(api, edition, user or api.unique("user"), body)
    payload = api.conforms(response, "PUT", edition.opt_path, rid, status=200)
    expect(payload == {}, rid, f"the good response is {{}} per the doc, got {payload!r}")


def command_refused(api: ApiContext, edition: Edition, rid: str, body, *, exact_400: bool = False) -> None:
    response = put_opt(api, edition, api.unique("user"), body)
    if exact_400:
        payload = api.conforms(response, "PUT", edition.opt_path, rid, status=400)
        expect(isinstance(payload, dict) and payload.get("error"), rid, "the 400 body carries no 'error'")
    else:
        expect(400 <= response.status_code < 500, rid,
               f"PUT optOut with body {body!r} answered {response.status_code}, not a 4xx refusal")


BAD_COMMANDS = {
    "no type": {"enableOptOut": True},
    "no enableOptOut": {"type": "optOut"},
    "another type": {"type": "optIn", "enableOptOut": True},
    "not JSON": "type=optOut&enableOptOut=true",
}
ODD_USER_IDS = ["user@example.com", "first.last", "user+tag", "ü-ser", "a b", "1234567890" * 8]


def odd_user_ids_no_5xx(api: ApiContext, edition: Edition, rid: str) -> None:
    for user in ODD_USER_IDS:
        response = put_opt(api, edition, f"{api.run.prefix}-{user}", OPT_OUT)
        expect(response.status_code < 500, rid, f"userId {user!r} made the server fail: {response.status_code}")


# --- rate limit (current edition) -----------------------------------------------------------------
@dataclass
class Burst:
    statuses: list[int]
    first_429: httpx.Response | None
    seconds: float

    @property
    def limited(self) -> int:
        return self.statuses.count(429)


def burst(api: ApiContext, edition: Edition, count: int, *, stop_at_429: bool = False) -> Burst:
    """Send `count` opt-outs as fast as the target takes them, after a quiet second."""
    api.pass_time(1.2)
    token = api.tokens.get()
    users = [api.unique("burst") for _ in range(count)]
    workers = int(api.setting("burst_concurrency", 1 if api.supports("mock-clock") else 16))
    statuses: list[int] = []
    first_429: httpx.Response | None = None
    started = time.perf_counter()
    with api.client.unpaced():
        if workers <= 1:
            for user in users:
                response = put_opt(api, edition, user, OPT_OUT, token=token)
                statuses.append(response.status_code)
                if response.status_code == 429 and first_429 is None:
                    first_429 = response
                    if stop_at_429:
                        break
        else:
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                for response in pool.map(lambda u: put_opt(api, edition, u, OPT_OUT, token=token), users):
                    statuses.append(response.status_code)
                    if response.status_code == 429 and first_429 is None:
                        first_429 = response
    return Burst(statuses, first_429, time.perf_counter() - started)


def must_be_limited(api: ApiContext, edition: Edition, rid: str) -> Burst:
    result = burst(api, edition, 250, stop_at_429=True)
    if result.first_429 is None:
        if result.seconds > 1.0:
            import pytest

            pytest.skip(f"could not send more than 100 updates within one second ({result.seconds:.2f} s for 250)")
        fail(rid, f"250 updates in {result.seconds:.2f} s drew no 429 (statuses: {sorted(set(result.statuses))})")
    return result


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            raise RequirementFailure("PC-LIM-003", f"Retry-After {value!r} is neither seconds nor an HTTP date")


def endpoints_in_place(api: ApiContext, edition: Edition, rid: str) -> None:
    """The documented paths answer (whatever the answer): neither 404 nor 405."""
    token = request_token(api)
    expect(token.status_code not in (404, 405), rid, f"POST {TOKEN} answered {token.status_code}: not served there")
    response = put_opt(api, edition, api.unique("user"), OPT_OUT)
    expect(response.status_code not in (404, 405), rid,
           f"PUT {edition.opt_path} answered {response.status_code}: the opt-out endpoint is not served there")
