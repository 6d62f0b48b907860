"""Checks both editions of the Profile Command API share; each edition's test files bind them
to that edition's rows (their req markers: the checks judge the running test's rows unless
given `ids=`). Nothing here knows about the mock."""

from __future__ import annotations

import concurrent.futures
import math
import threading
import time
from dataclasses import dataclass

import httpx
import pytest

from conformance.suite import ApiContext, Grant, RequirementFailure, expect, fail, load_spec, retry_after


@dataclass(frozen=True)
class Edition:
    opt_op: str  # operationId of the opt-out operation in the edition's spec
    token_req: str  # the row a failing token fetch blocks: "a valid token request returns a token"


CURRENT = Edition("optOut", "PC-AUTH-001")
LEGACY = Edition("updateOptOut", "PCL-AUTH-001")
OPT_OUT = {"type": "optOut", "enableOptOut": True}
OPT_IN = {"type": "optOut", "enableOptOut": False}


# --- setup (ApiInfo.setup) ------------------------------------------------------------------------
def _setup(api: ApiContext, edition: Edition) -> None:
    api.use_token_fetcher(grant_fetcher(api, edition))
    api.auth_headers = lambda: bearer(api.tokens.get())


def setup_current(api: ApiContext) -> None:
    _setup(api, CURRENT)
    api.path_defaults = lambda: {"apiKey": api.credential("api_key")}  # the site's key (001#L49)


def setup_legacy(api: ApiContext) -> None:
    _setup(api, LEGACY)


def credentials_form(api: ApiContext, **override: str | None) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": api.credential("client_id"),
        "client_secret": api.credential("client_secret"),
    }
    form.update(override)
    return {k: v for k, v in form.items() if v is not None}


def _post_token(api: ApiContext, via: str = "form", **override: str | None) -> httpx.Response:
    params = credentials_form(api, **override)
    if via == "query":  # 001#L24: the parameters in the query string
        return api.call("createToken", params=params, auth=False)
    return api.call("createToken", data=params, auth=False)


def request_token(api: ApiContext, via: str = "form", **override: str | None) -> httpx.Response:
    """A token request of a test (not the cache's). When it issues a token, the cache fetches
    its own anew next time: a server that revokes a client's earlier tokens on issuing one
    (checked by its own row, *-AUTH-018 / PCL-AUTH-014) then fails that row only."""
    response = _post_token(api, via, **override)
    if response.status_code == 200 and api.tokens is not None:
        api.tokens.invalidate()
    return response


def has_error_description(body) -> bool:
    """The doc's error bodies carry error_description beside error (000 L57-L67, L107-L110;
    001 L38, L40, L72)."""
    return isinstance(body, dict) and isinstance(body.get("error_description"), str)


def grant_fetcher(api: ApiContext, edition: Edition):
    """How the suite gets the one token it reuses for every call."""

    def fetch() -> Grant:
        # Lenient on purpose: the token's own requirements are checked by their tests; any
        # usable token lets every other requirement be verified.
        response = _post_token(api)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            fail(f"the token request answered {response.status_code} without an access_token", ids=edition.token_req)
        expires = body.get("expires_in")
        return Grant(body["access_token"], float(expires) if isinstance(expires, (int, float)) else None)

    return fetch


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def put_opt(api: ApiContext, edition: Edition, user: str, body, *, token: str | None = None,
            headers: dict[str, str] | None = None, api_key: str | None = None) -> httpx.Response:
    """PUT the opt-out command `body` (a JSON value, or raw bytes / text sent as application/json)
    for `user`: with the suite's token, or `token`, or exactly `headers` (auth as given, or none)."""
    if headers is None and token is not None:
        headers = bearer(token)
    path = {"userId": user} if api_key is None else {"userId": user, "apiKey": api_key}
    send = {"content": body} if isinstance(body, (bytes, str)) else {"json": body}
    return api.call(edition.opt_op, headers=headers, auth=headers is None, **send, **path)


def legacy_path_put(api: ApiContext, user: str, body) -> tuple[httpx.Response, str]:
    """PUT `body` to the legacy edition's opt-out path (its spec's operation; the current edition
    moved it under the apiKey segment), with the suite's token: the response and that path."""
    path = next(p for p, item in load_spec("profile-command-legacy")["paths"].items()
                if (item.get("put") or {}).get("operationId") == LEGACY.opt_op)
    return api.client.put(path.replace("{userId}", user), json=body, headers=bearer(api.tokens.get())), path


# --- token endpoint -----------------------------------------------------------------------------
def token_refused(api: ApiContext, expected_error: str | tuple[str, ...] | None, *, status="4xx",
                  via: str = "form", described: bool = False, ids=None, **override: str | None) -> dict:
    response = request_token(api, via, **override)
    where = f"a token request ({'query string' if via == 'query' else 'form body'})"
    body = api.conforms(response, status=status, ids=ids)
    expect(isinstance(body, dict) and "access_token" not in body, f"{where} that was refused carried a token", ids=ids)
    if expected_error is not None:
        allowed = (expected_error,) if isinstance(expected_error, str) else expected_error
        expect(body.get("error") in allowed,
               f"{where}: error is {body.get('error')!r}, the doc says {' or '.join(allowed)}", ids=ids)
    if described:
        expect(has_error_description(body), f"{where}: the error body has no error_description string: {body!r}",
               ids=ids)
    return body


def bad_client_cases(api: ApiContext) -> list[dict[str, str]]:
    return [
        {"client_secret": api.credential("client_secret") + "x"},
        {"client_id": api.unique("no-such-client")},
    ]


def token_issued(api: ApiContext, response: httpx.Response, edition: Edition, *, ids=None) -> str:
    body = api.conforms(response, status=200, ids=ids)
    expect(body["token_type"].lower() == "bearer", f"token_type is {body['token_type']!r}, not bearer", ids=ids)
    # A token that works: it must open the opt-out call.
    opt = put_opt(api, edition, api.unique("user"), OPT_OUT, token=body["access_token"])
    api.conforms(opt, status=200, ids=ids)
    return body["access_token"]


def token_lifetime(api: ApiContext) -> int:
    """Seconds a current-edition token lives: the spec's bearerAuth x-token-lifetime (001#L13)."""
    return int(api.spec["components"]["securitySchemes"]["bearerAuth"]["x-token-lifetime"])


# --- bearer-token checks on PUT -----------------------------------------------------------------
def bearer_refusals(api: ApiContext, edition: Edition, *, www_authenticate: bool = False,
                    invalid_token_body: bool = False, ids=None) -> None:
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
        expect(400 <= response.status_code < 500, f"{where} answered {response.status_code}, not a refusal", ids=ids)
        if www_authenticate:
            expect(response.status_code == 401, f"{where} answered {response.status_code}, not 401", ids=ids)
            challenge = response.headers.get("www-authenticate", "")
            expect(challenge.lower().startswith("bearer"),
                   f"{where}: WWW-Authenticate is {challenge!r}, not a Bearer challenge", ids=ids)
        if invalid_token_body:
            body = api.conforms(response, ids=ids)
            expect(body.get("error") == "invalid_token", f"{where}: error is {body.get('error')!r}, not invalid_token",
                   ids=ids)
            expect(has_error_description(body), f"{where}: the error body has no error_description string", ids=ids)


def token_reused(api: ApiContext, edition: Edition, *, ids=None) -> None:
    token = api.tokens.get()
    for _ in range(2):
        response = put_opt(api, edition, api.unique("user"), OPT_OUT, token=token)
        api.conforms(response, status=200, ids=ids)


# --- opt-out ------------------------------------------------------------------------------------
def opt_out_ok(api: ApiContext, edition: Edition, user: str | None = None, body=OPT_OUT, *, ids=None) -> None:
    response = put_opt(api, edition, user or api.unique("user"), body)
    payload = api.conforms(response, status=200, ids=ids)
    expect(payload == {}, f"the good response is {{}} per the doc, got {payload!r}", ids=ids)


def command_refused(api: ApiContext, edition: Edition, body, *, exact_400: bool = False, ids=None) -> None:
    response = put_opt(api, edition, api.unique("user"), body)
    if exact_400:
        payload = api.conforms(response, status=400, ids=ids)
        expect(isinstance(payload, dict) and payload.get("error"), "the 400 body carries no 'error'", ids=ids)
    else:
        expect(400 <= response.status_code < 500,
               f"PUT optOut with body {body!r} answered {response.status_code}, not a 4xx refusal", ids=ids)


BAD_COMMANDS = {
    "no type": {"enableOptOut": True},
    "no enableOptOut": {"type": "optOut"},
    "another type": {"type": "optIn", "enableOptOut": True},
    "not JSON": "type=optOut&enableOptOut=true",
    "no body": b"",
    "enableOptOut neither true nor false": {"type": "optOut", "enableOptOut": "yes"},
}
# "optOut" is the only value (000 L83, 001 L59): other spellings are other values.
OTHER_TYPES = ["optIn", "OptOut", "optout", "OPTOUT", "opt_out", ""]
# "Boolean value: true or false" (000 L84, 001 L63): these are neither.
NOT_BOOLEAN = [1, "1", "yes", None, 0, "maybe"]


def refused_each(api: ApiContext, edition: Edition, bodies: dict[str, object], *, ids=None) -> None:
    """Every body is refused with 4xx; the message names each one that was not."""
    accepted = []
    for label, body in bodies.items():
        response = put_opt(api, edition, api.unique("user"), body)
        if not 400 <= response.status_code < 500:
            accepted.append(f"{label} -> {response.status_code}")
    expect(not accepted, f"not refused with 4xx: {'; '.join(accepted)}", ids=ids)


def fresh_token(api: ApiContext, edition: Edition, via: str = "form") -> tuple[httpx.Response, str]:
    """A token of the test's own. A token request that gives none is the token rows' failure
    (edition.token_req): the test's own rows are then not verified, not failed."""
    response = request_token(api, via)
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
        fail(f"the token request ({via}) answered {response.status_code} without an access_token",
             ids=edition.token_req)
    return response, body["access_token"]


def new_token_keeps_old(api: ApiContext, edition: Edition, *, ids=None) -> None:
    """Two tokens in a row: the first still opens the opt-out call after the second was issued."""
    tokens = [fresh_token(api, edition)[1] for _ in range(2)]
    for label, token in (("the earlier token", tokens[0]), ("the new token", tokens[1])):
        response = put_opt(api, edition, api.unique("user"), OPT_OUT, token=token)
        expect(response.status_code == 200,
               f"after a second token was issued, {label} answered {response.status_code}, not 200", ids=ids)


def lower_case_bearer(api: ApiContext, edition: Edition, *, ids=None) -> None:
    response = put_opt(api, edition, api.unique("user"), OPT_OUT,
                       headers={"Authorization": f"bearer {api.tokens.get()}"})
    payload = api.conforms(response, status=200, ids=ids)
    expect(payload == {}, f'"Authorization: bearer <token>" answered {payload!r}, not {{}}', ids=ids)


def token_not_cached(api: ApiContext, edition: Edition, vias: tuple[str, ...] = ("form",), *, ids=None) -> None:
    for via in vias:
        response, _ = fresh_token(api, edition, via)
        directives = [d.strip().lower() for d in response.headers.get("cache-control", "").split(",")]
        expect("no-store" in directives,
               f"the token response ({via}) has Cache-Control {response.headers.get('cache-control')!r}, not no-store",
               ids=ids)


ODD_USER_IDS = ["user@example.com", "first.last", "user+tag", "ü-ser", "a b", "1234567890" * 8]
# A userId is "(string)" (000 L82, 001 L53): ids a client plausibly has must work. Spaces,
# non-ASCII and "/" are left out: gateways may refuse them in a path without breaking the doc.
PLAIN_USER_IDS = ["user@example.com", "first.last", "user+tag", "A_b-9", "1234567890" * 8]


def user_ids_accepted(api: ApiContext, edition: Edition, *, ids=None) -> None:
    for user in PLAIN_USER_IDS:
        response = put_opt(api, edition, f"{api.run.prefix}-{user}", OPT_OUT)
        payload = api.conforms(response, status=200, ids=ids)
        expect(payload == {}, f"userId {user!r}: the good response is {{}}, got {payload!r}", ids=ids)


def odd_user_ids_no_5xx(api: ApiContext, edition: Edition, *, ids=None) -> None:
    for user in ODD_USER_IDS:
        response = put_opt(api, edition, f"{api.run.prefix}-{user}", OPT_OUT)
        expect(response.status_code < 500, f"userId {user!r} made the server fail: {response.status_code}", ids=ids)


# --- rate limit (current edition) -----------------------------------------------------------------
@dataclass
class Burst:
    statuses: list[int]
    first_429: httpx.Response | None
    seconds: float
    workers: int = 1

    @property
    def limited(self) -> int:
        return self.statuses.count(429)


BURST_FACTOR = 2.5  # a burst aims at 2.5 x the documented rate: 250 updates/s for 100 per second


def documented_limit(api: ApiContext) -> int:
    """User-id updates per second the doc allows: the opt-out operation's x-rate-limit (001#L84)."""
    method, path = api.path_of(CURRENT.opt_op)
    return int(api.operation(method, path)["x-rate-limit"]["limit"])


def burst_workers(api: ApiContext, edition: Edition, token: str) -> int:
    """Concurrent senders a burst needs to reach BURST_FACTOR x the documented rate over this
    link: measured latency x rate (x 1.5 for jitter), at least 1, at most the setting
    `burst_max_concurrency` (spec x-settings). The setting `burst_concurrency` fixes the number
    instead. Three opt-outs of run-owned users measure the round trip (paced, before the quiet
    second)."""
    fixed = api.setting("burst_concurrency")
    if fixed:
        return max(1, int(fixed))
    times = []
    for _ in range(3):
        started = time.perf_counter()
        put_opt(api, edition, api.unique("rtt"), OPT_OUT, token=token)
        times.append(time.perf_counter() - started)
    latency = sorted(times)[1]
    ceiling = int(api.setting("burst_max_concurrency"))
    return max(1, min(ceiling, math.ceil(BURST_FACTOR * documented_limit(api) * latency * 1.5)))


def burst(api: ApiContext, edition: Edition, count: int, *, stop_at_429: bool = False) -> Burst:
    """Send `count` opt-outs as fast as the target takes them, after a quiet second; as many at
    once as the measured latency needs to exceed the documented rate (burst_workers)."""
    token = api.tokens.get()
    workers = burst_workers(api, edition, token)
    api.pass_time(1.2)
    users = [api.unique("burst") for _ in range(count)]
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
            stop = threading.Event()

            def send(user: str) -> httpx.Response | None:
                if stop.is_set():
                    return None
                with api.client.unpaced():  # per thread: the client's pacing switch is thread-local
                    response = put_opt(api, edition, user, OPT_OUT, token=token)
                if response.status_code == 429 and stop_at_429:
                    stop.set()
                return response

            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                for response in pool.map(send, users):
                    if response is None:
                        continue
                    statuses.append(response.status_code)
                    if response.status_code == 429 and first_429 is None:
                        first_429 = response
    return Burst(statuses, first_429, time.perf_counter() - started, workers)


def full_second(api: ApiContext, edition: Edition) -> Burst:
    """A second's worth of updates (the documented limit) sent within one second after a quiet
    second (burst), tried up to three times when the link or the client is too slow; skipped
    (blocking sign-off) if never."""
    count = documented_limit(api)
    for _ in range(3):
        result = burst(api, edition, count)
        if result.seconds < 1.0:
            return result
    pytest.skip(f"could not send {count} updates within one second ({result.seconds:.2f} s, three tries)")


def must_be_limited(api: ApiContext, edition: Edition, *, ids=None) -> Burst:
    limit = documented_limit(api)
    count = int(BURST_FACTOR * limit)
    result = burst(api, edition, count, stop_at_429=True)
    if result.first_429 is None:
        if result.seconds > 1.0:
            pytest.skip(f"could not send more than {limit} updates within one second ({result.seconds:.2f} s for "
                        f"{count} with {result.workers} at once; settings burst_concurrency / burst_max_concurrency)")
        fail(f"{count} updates in {result.seconds:.2f} s drew no 429 (statuses: {sorted(set(result.statuses))})",
             ids=ids)
    return result


def retry_after_seconds(response: httpx.Response, *, ids=None) -> float | None:
    try:
        return retry_after(response)
    except ValueError as exc:
        raise RequirementFailure(ids, str(exc)) from None


def endpoints_in_place(api: ApiContext, edition: Edition, *, ids=None) -> None:
    """The documented paths answer (whatever the answer): neither 404 nor 405."""
    token = request_token(api)
    _, token_path = api.path_of("createToken")
    expect(token.status_code not in (404, 405), f"POST {token_path} answered {token.status_code}: not served there",
           ids=ids)
    response = put_opt(api, edition, api.unique("user"), OPT_OUT)
    _, opt_path = api.path_of(edition.opt_op)
    expect(response.status_code not in (404, 405),
           f"PUT {opt_path} answered {response.status_code}: the opt-out endpoint is not served there", ids=ids)
