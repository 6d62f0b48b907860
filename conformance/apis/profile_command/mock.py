"""Stateful mock of the Profile Command API, either edition, as its doc describes it.

Current edition (001): tokens live 28,800 s (L13, L34), the opt-out path carries the site's
apiKey (L49), opting back in is refused (L7), above 100 updates per second answers 429 (L75, L84).
Legacy edition (000): no apiKey segment (L77), tokens do not expire (L24), `false` opts back in (L84).
"""

from __future__ import annotations

import math
import re
import secrets
from collections import deque
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from conformance.apis.profile_command import faults, variants
from conformance.suite import JSONResponse, MockApi, MockClock, error, json_body, load_spec

ODD_USER = re.compile(r"[^A-Za-z0-9_-]")
INVALID_TOKEN = "The access token is invalid or has expired"  # 000#L108, 001#L72
OPT_OUT = {"type": "optOut", "enableOptOut": True}


class ProfileCommandMock(MockApi):
    def __init__(self, clock: MockClock, fault: str | None, edition: str) -> None:
        self.edition = edition
        self.current = edition == "current"
        self.FAULTS = faults.CURRENT if self.current else faults.LEGACY
        self.VARIANTS = variants.CURRENT if self.current else variants.LEGACY
        self.v = "pc-" if self.current else "pcl-"  # the prefix of this edition's variants
        super().__init__(clock, fault)
        self.name = "profile-command" if self.current else "profile-command-legacy"
        prefix = "pc" if self.current else "pcl"
        # Demo credentials, documented in README.md; a second client proves apiKey scoping.
        self.clients = {
            f"{prefix}-demo-client": {"secret": f"{prefix}-demo-secret-7f3a9c2e51", "site": f"{prefix}-demo-site-4b1d"},
            f"{prefix}-other-client": {"secret": f"{prefix}-other-secret-0c6e8d", "site": f"{prefix}-other-site-9a2f"},
        }
        self.tokens: dict[str, dict[str, Any]] = {}
        self.opted_out: dict[tuple[str, str], bool] = {}
        self.windows: dict[str, deque[float]] = {}
        self.limited_until: dict[str, float] = {}
        # The documented facts, from the current edition's spec: token TTL (001#L13, bearerAuth
        # x-token-lifetime) and user-id updates per second (001#L84, optOut x-rate-limit).
        spec = load_spec("profile-command")
        self.ttl = int(spec["components"]["securitySchemes"]["bearerAuth"]["x-token-lifetime"])
        limit = next(op["x-rate-limit"]["limit"] for item in spec["paths"].values()
                     for op in item.values() if isinstance(op, dict) and op.get("operationId") == "optOut")
        self.limit = 90 if self.has("429-below-limit") else int(limit)  # above the suite's pace of 50/s

    # --- wiring -------------------------------------------------------------------------------
    def routes(self) -> list:
        token_path = "/oath2/token" if self.has("token-path-typo") else "/oauth2/token"  # 000's typo
        routes = [Route(token_path, self.token, methods=["POST"])]
        if self.current or self.has("legacy-apikey-path"):
            # get-opts-out: the doc's cURL without -X PUT (001#L47) taken at its word.
            methods = ["PUT", "GET"] if self.has("get-opts-out") else ["PUT"]
            routes.append(Route("/{apiKey}/optOut/{userId:path}", self.opt_out, methods=methods))
        if (not self.current and not self.has("legacy-apikey-path")) or self.has("legacy-path-served"):
            routes.append(Route("/optOut/{userId:path}", self.opt_out, methods=["PUT"]))
        return routes

    def unlisted_method(self, method: str, template: str, allowed: list[str]) -> Response | None:
        if method == "GET" and "optOut" in template and self.has("get-opts-out"):
            return None  # the fault serves GET on the opt-out path (routes above)
        response = super().unlisted_method(method, template, allowed)
        if response is not None and self.has("405-without-allow"):
            del response.headers["allow"]  # issue 15: RFC 9110 §15.5.6 makes Allow a MUST
        return response

    def demo_credentials(self) -> dict[str, str]:
        client_id, info = next(iter(self.clients.items()))
        creds = {"client_id": client_id, "client_secret": info["secret"]}
        if self.current:
            creds["api_key"] = info["site"]
        return creds

    def target_settings(self) -> dict[str, Any]:
        # A second real site of the tenant (another client's), so PC-AUTH-014 tries a key that
        # exists, not only a made-up one.
        if not self.current:
            return {}
        sites = [info["site"] for info in self.clients.values()]
        return {"other_api_key": sites[1]}

    def rate_limit(self) -> float | None:
        # Pacing for the suite: under the documented 100/s; the legacy doc states no limit.
        return 80.0 if self.current else 1000.0

    def state(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "tokens_issued": len(self.tokens),
            "tokens": list(self.tokens),  # lets tests of the suite prove no token leaks into a report
            "users": [{"site": s, "userId": u, "optedOut": v} for (s, u), v in self.opted_out.items()],
        }

    # --- responses ----------------------------------------------------------------------------
    def err(self, status: int, code: str, description: str, headers: dict[str, str] | None = None) -> Response:
        if self.has("text-errors"):
            return PlainTextResponse(f"{code}: {description}", status_code=status, headers=headers)
        if self.has("no-error-description"):
            return JSONResponse({"error": code}, status_code=status, headers=headers)
        return error(status, code, description, headers)

    def token_error(self) -> Response:
        if self.has("invalid-client-200"):
            return JSONResponse({"error": "invalid_client", "error_description": "Invalid client authentication"})
        if self.has("wrong-error-code"):
            return self.err(400, "invalid_request", "Invalid client authentication")
        return self.err(401, "invalid_client", "Invalid client authentication")

    def bearer_error(self, description: str = INVALID_TOKEN) -> Response:
        challenge = "Basic" if self.has("basic-challenge") else "Bearer"  # a gateway's default challenge
        headers = {} if self.has("no-www-authenticate") else {
            "WWW-Authenticate": f'{challenge} realm="{self.name}", error="invalid_token"'
        }
        code = "access_denied" if self.has("invalid-token-wrong-error") else "invalid_token"
        return self.err(401, code, description, headers)

    # --- POST /oauth2/token -------------------------------------------------------------------
    async def token(self, request: Request) -> Response:
        params: dict[str, str] = {}
        if self.current and not self.has("query-token-ignored"):
            params.update(request.query_params)  # 001#L24
        body = await request.body()
        form: dict[str, str] = {}
        if body:
            if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
                return self.err(400, "invalid_request", "The token request must be form-encoded")
            try:
                form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
            except (UnicodeDecodeError, ValueError):
                return self.err(400, "invalid_request", "Malformed form body")
            params.update(form)
        via_query = any(k in params and k not in form for k in ("grant_type", "client_id", "client_secret"))
        grant = params.get("grant_type")
        if not (self.has("grant-type-ignored") or (via_query and self.has("query-grant-unchecked"))):
            if not grant:
                code = "invalid_grant" if self.has("missing-grant-invalid-grant") else "invalid_request"
                return self.err(400, code, "Missing grant_type")
            if grant != "client_credentials":
                status = 401 if self.has("unsupported-grant-401") else 400
                return self.err(status, "unsupported_grant_type", "Invalid grant_type")
        client_id, secret = params.get("client_id"), params.get("client_secret")
        if not (client_id and secret) and self.has("missing-credentials-token"):
            client_id = next(iter(self.clients))
        elif via_query and self.has("query-secret-unchecked") and (client_id or "") in self.clients:
            pass  # the secret of a query-string request is never compared
        else:
            client = self.clients.get(client_id or "")
            if client is None or not secret or not secrets.compare_digest(client["secret"], secret):
                return self.token_error()
        token = secrets.token_urlsafe(24)
        if self.plays(self.v + "long-token"):  # a signed JWT's shape and length
            token = ".".join(secrets.token_urlsafe(n) for n in (27, 420, 256))
        now = self.clock.now()
        if self.current:
            ttl = None if self.has("token-without-expiry") else (3600 if self.has("wrong-ttl") else self.ttl)
            if via_query and self.has("query-token-short-ttl"):
                ttl = 3600
        else:
            ttl = 3600 if self.has("legacy-token-expires") else None
        lifetime = ttl - 20 if ttl and self.has("token-expires-early") else ttl
        with self.lock:
            if self.has("new-token-revokes-old"):  # one live token per client
                for old in [t for t, r in self.tokens.items() if r["client"] == client_id]:
                    del self.tokens[old]
            self.tokens[token] = {"client": client_id, "expires_at": now + lifetime if lifetime else None, "uses": 0}
        field = "accessToken" if self.has("token-field-renamed") else "access_token"
        payload: dict[str, Any] = {"token_type": "bearer", field: token}
        if self.current and ttl is not None:
            payload["expires_in"] = ttl
        if self.plays(self.v + "token-extra-fields"):
            payload.update(scope="optOut", issued_at=int(now), jti=secrets.token_hex(8))
        if self.plays("pc-token-type-case"):
            payload["token_type"] = "Bearer"
        headers = {} if self.has("token-cacheable") else {"Cache-Control": "no-store"}
        # --- fault for the redaction proof (issue 12): the token moves out of the body -------
        if self.has("token-moved-to-header"):
            payload.pop(field, None)
            headers["X-Access-Token"] = token
        return JSONResponse(payload, headers=headers)

    # --- PUT [/{apiKey}]/optOut/{userId} ------------------------------------------------------
    def _authenticate(self, request: Request) -> tuple[str | None, Response | None]:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not header:
            if self.has("missing-token-accepted"):
                return next(iter(self.clients)), None
            return None, self.bearer_error("An access token is required")
        if self.has("invalid-token-accepted"):
            return next(iter(self.clients)), None
        if self.has("bearer-case-sensitive"):
            record = self.tokens.get(token.strip()) if scheme == "Bearer" else None
        else:
            record = self.tokens.get(token.strip()) if scheme.lower() == "bearer" else None
        if record is None:
            return None, self.bearer_error()
        expires_at = record["expires_at"]
        if expires_at is not None and self.clock.now() >= expires_at and not self.has("expired-token-accepted"):
            return None, self.bearer_error()
        if self.has("single-use-token") and record["uses"] >= 1:
            return None, self.bearer_error()
        record["uses"] += 1
        return record["client"], None

    def _throttle(self, client: str) -> Response | None:
        if not self.current or self.has("no-429"):
            return None
        now = self.clock.monotonic()
        if self.plays("pc-fixed-window"):  # counted per clock second, not over any one second
            second = math.floor(now)
            fixed = self.__dict__.setdefault("fixed_windows", {})
            start, count = fixed.get(client, (second, 0))
            count = 0 if start != second else count
            if count >= self.limit:
                return self.err(429, "too_many_requests", f"More than {self.limit} user ID updates per second",
                                {"Retry-After": str(max(1, math.ceil(second + 1 - now)))})
            fixed[client] = (second, count + 1)
            return None
        span = 2.0 if self.has("limit-per-two-seconds") else 1.0  # the limit's window, seconds
        window = self.windows.setdefault(client, deque())
        while window and window[0] <= now - span:
            window.popleft()
        until = self.limited_until.get(client, 0.0)
        if len(window) >= self.limit or now < until:
            if self.has("429-sticks") and now >= until:
                self.limited_until[client] = now + 5.0
            # Retry-After tells when the window frees a slot (the 429-sticks fault keeps it untrue).
            wait = (window[0] + span - now) if window else 1.0
            headers = {} if self.has("no-retry-after") else {"Retry-After": str(max(1, math.ceil(wait)))}
            if self.plays("pc-retry-after-date") and headers:  # an HTTP-date (RFC 9110 §10.2.3)
                from email.utils import formatdate

                headers["Retry-After"] = formatdate(self.clock.now() + max(1, math.ceil(wait)) + 1, usegmt=True)
            return self.err(429, "too_many_requests", f"More than {self.limit} user ID updates per second", headers)
        window.append(now)
        return None

    def _invalid(self, description: str) -> Response:
        rejected = 422 if self.has("bad-body-422") or self.plays(self.v + "422-rejected-command") else 400
        return self.err(rejected, "invalid_request", description)

    async def opt_out(self, request: Request) -> Response:
        user_id = request.path_params["userId"]
        with self.lock:
            client, failure = self._authenticate(request)
            if failure is not None:
                return failure
            site = self.clients[client]["site"]
            if "apiKey" in request.path_params and not self.has("apikey-ignored"):
                known = {info["site"] for info in self.clients.values()}
                if self.has("apikey-any-known-site") and request.path_params["apiKey"] in known:
                    pass  # checks that the site exists, not that it is the token's
                elif request.path_params["apiKey"] != site:
                    return self.err(403, "access_denied", "The apiKey is not a site of this client")
            limited = self._throttle(client)
            if limited is not None:
                return limited
        body, ok = await json_body(request)
        no_body_opt_out = self.has("empty-body-accepted") or (self.has("get-opts-out") and request.method == "GET")
        if not ok and no_body_opt_out and not await request.body():
            body, ok = dict(OPT_OUT), True  # the PUT example of 001#L45 / the GET of L47: no body
        if self.has("bad-body-accepted"):
            enable = not (isinstance(body, dict) and body.get("enableOptOut") in (False, "false"))
        else:
            if not ok or not isinstance(body, dict):
                return self._invalid("The body must be a JSON object")
            if self.has("unknown-member-refused") and set(body) - {"type", "enableOptOut"}:
                return self._invalid("Unknown member in the command")  # issue 15: stricter than the spec
            if "type" not in body:
                return self._invalid("Missing required field: type")
            kind = body["type"]
            if self.has("type-case-insensitive") and isinstance(kind, str):
                kind = "optOut" if kind.lower() == "optout" else kind
            if kind != "optOut":
                return self._invalid('type must be "optOut"')
            if "enableOptOut" not in body:
                return self._invalid("Missing required field: enableOptOut")
            value = body["enableOptOut"]
            strings_ok = not self.has("string-true-refused")
            if value is True or (strings_ok and value == "true"):
                enable = True
            elif value is False or (strings_ok and value == "false"):
                enable = False
            elif self.has("enable-opt-out-truthy") and value in (1, "1", "yes", None):
                enable = True  # a lax boolean parser: anything truthy-looking opts out
            else:
                return self._invalid("enableOptOut must be true or false")
        if self.has("user-id-charset") and any(c in user_id for c in "@.+"):
            return self._invalid("userId may contain only letters, digits, '-' and '_'")
        if ODD_USER.search(user_id) and self.has("server-error-on-odd-user"):
            return PlainTextResponse("Internal Server Error", status_code=500)
        key = (site, user_id)
        with self.lock:
            if not enable and (self.current or self.has("legacy-opt-in-refused")):
                if self.has("opt-back-in-403"):
                    return self.err(403, "access_denied", "Once opted out, a user cannot be opted back in")
                if not self.has("opt-back-in-accepted"):
                    return self._invalid("Once opted out, a user cannot be opted back in")
                return JSONResponse({})
            if self.has("new-user-404") and key not in self.opted_out:
                return self.err(404, "not_found", "Unknown user")
            if self.has("repeat-optout-409") and enable and self.opted_out.get(key):
                return self.err(409, "conflict", "The user is already opted out")
            self.opted_out[key] = enable
        if self.has("optout-body-not-empty"):
            return JSONResponse({"status": "ok"})
        return JSONResponse({}, status_code=202 if self.has("optout-202") else 200)


def current(clock: MockClock, fault: str | None = None) -> ProfileCommandMock:
    return ProfileCommandMock(clock, fault, "current")


def legacy(clock: MockClock, fault: str | None = None) -> ProfileCommandMock:
    return ProfileCommandMock(clock, fault, "legacy")
