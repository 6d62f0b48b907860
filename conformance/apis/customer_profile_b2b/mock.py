"""Stateful mock of the Customer Profile B2B API, as its doc (003) describes it, with the
assumptions of specs/customer-profile-b2b.yaml filled in (paths, headers, response shapes).

Tokens carry resources (L24-L50) and a validity in minutes (L91) that the mock's clock ends
(L87, L109); an update extends a valid token or replaces its resources (L89-L107); a tenant may
create 100 tokens a UTC day (L56); customers are found from identifier headers, and identifiers
that match more than one customer are refused (L63-L82).
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from conformance.apis.customer_profile_b2b import faults, spec_identifiers, spec_resources, variants
from conformance.suite import JSONResponse, MockApi, MockClock, error, json_body, load_spec

API = "customer-profile-b2b"
DAY = 86_400
DEFAULT_VALIDITY = 60  # minutes, when a request gives none (L109's "full 60 minutes")
# The vendor's facts and the spec's assumptions, as the spec states them (specs/customer-profile-b2b.yaml).
_SPEC = load_spec(API)
RESOURCE_SET = frozenset(spec_resources(_SPEC))  # the 14 resources (L25-L50)
IDENTIFIERS = spec_identifiers(_SPEC)  # the identifier headers (L65-L70)
DEFAULTS = {name: meta.get("default") for name, meta in (_SPEC.get("x-settings") or {}).items()}

# Demo tenant (documented in README.md): OAuth-enabled, so the secret is required (L54).
TENANT = "b2b-demo-tenant-5e2a9c41d7f03b68"
SECRET = "b2b-demo-oauth-secret-9d41c7"
# A second tenant, not enabled with B2B API OAuth authentication: no secret is required (L54).
PLAIN_TENANT = "b2b-demo-plain-tenant-0a7c3e91d4"

# Seeded customers. The first carries the doc's own example identifiers (L74-L82); the third
# and fourth share a household mobile number, so that one identifier matches two customers.
CUSTOMERS = (
    {"gcrId": "1", "email_address": "a@a.com", "mobile_number": "1212121212", "customer_code_external": "EXT-0001",
     "name": "Ada Example", "age": 36},
    {"gcrId": "2", "email_address": "b@b.com", "mobile_number": "5656565656", "customer_code_external": "EXT-0002",
     "name": "Bo Example", "age": 41},
    {"gcrId": "3", "email_address": "c@c.com", "mobile_number": "3434343434", "customer_code_external": "EXT-0003",
     "name": "Cy Example", "age": 44},
    {"gcrId": "4", "email_address": "d@d.com", "mobile_number": "3434343434", "customer_code_external": "EXT-0004",
     "name": "Di Example", "age": 12},
)


def _ids(customer: dict[str, Any]) -> dict[str, str]:
    return {k: customer[k] for k in IDENTIFIERS}


class CustomerProfileB2BMock(MockApi):
    name = API
    FAULTS = faults.FAULTS
    VARIANTS = variants.VARIANTS

    def __init__(self, clock: MockClock, fault: str | None = None) -> None:
        super().__init__(clock, fault)
        self.tenants = {TENANT: {"secret": SECRET, "oauth": True}, PLAIN_TENANT: {"secret": "", "oauth": False}}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.created: dict[tuple[str, int], int] = {}  # (tenant, UTC day) -> tokens created
        self.blocked: set[str] = set()  # b2b-token-limit-sticks
        self.limit = None if self.has("b2b-token-limit-never") else (50 if self.has("b2b-token-limit-early") else 100)
        # Validity unit the mock applies (the target settings declare minutes).
        self.unit = 1 if self.has("b2b-validity-seconds") else 60
        self.index: dict[str, dict[str, set[str]]] = {k: {} for k in IDENTIFIERS}
        self.customers = {c["gcrId"]: c for c in CUSTOMERS}
        for customer in CUSTOMERS:
            for key in IDENTIFIERS:
                self.index[key].setdefault(customer[key], set()).add(customer["gcrId"])

    # --- wiring -------------------------------------------------------------------------------
    @property
    def conf(self) -> dict[str, Any]:
        """The assumptions the mock serves: the spec's, or those a variant's target declares."""
        return {**DEFAULTS, **self.variant_settings()}

    def routes(self) -> list:
        conf = self.conf
        update = "/secureApi/token/update" if self.has("b2b-update-path-moved") else conf["update_path"]
        return [
            Route(conf["token_path"], self.create_token, methods=["POST"]),
            Route(update, self.update_token, methods=["POST"]),
            Route(conf["data_path"].replace("{resource}", "{resource:path}"), self.data, methods=["GET"]),
        ]

    def unlisted_method(self, method: str, template: str, allowed: list[str]):
        response = super().unlisted_method(method, template, allowed)
        if response is not None and self.has("b2b-405-without-allow"):
            del response.headers["allow"]  # issue 15: RFC 9110 §15.5.6 makes Allow a MUST
        return response

    def demo_credentials(self) -> dict[str, str]:
        return {"tenant_hash": TENANT, "oauth_key_secret": SECRET, "plain_tenant_hash": PLAIN_TENANT}

    def target_settings(self) -> dict[str, Any]:
        # The customers the mock holds (the doc has no call that creates one); every other
        # setting is the spec's default (x-settings).
        return {
            "customer": _ids(CUSTOMERS[0]),
            "other_customer": _ids(CUSTOMERS[1]),
            "shared_identifier": {"mobile_number": CUSTOMERS[2]["mobile_number"]},
        }

    def rate_limit(self) -> float | None:
        return 2000.0  # the doc states no request rate; the mock serves far more

    def state(self) -> dict[str, Any]:
        return {
            "tokens_issued": len(self.tokens),
            "tokens": list(self.tokens),  # lets tests of the suite prove no token leaks into a report
            "created_per_day": {f"{t}@{d}": n for (t, d), n in self.created.items()},
            "customers": [_ids(c) for c in CUSTOMERS],
        }

    # --- responses ----------------------------------------------------------------------------
    def err(self, status: int, code: str, description: str, headers: dict[str, str] | None = None) -> Response:
        if self.has("b2b-text-errors"):
            return PlainTextResponse(f"{code}: {description}", status_code=status, headers=headers)
        return error(status, code, description, headers)

    def bearer_error(self, description: str, status: int = 401) -> Response:
        challenge = f'Bearer realm="{self.name}", error="invalid_token"'
        if self.has("b2b-basic-challenge"):
            challenge = f'Basic realm="{self.name}"'  # a gateway's default challenge
        return self.err(status, "invalid_token", description, {"WWW-Authenticate": challenge})

    # --- token requests -----------------------------------------------------------------------
    def _tenant(self, request: Request, *, update: bool = False) -> tuple[str | None, Response | None]:
        tenant_hash = request.headers.get(self.conf["tenant_header"], "")
        if update and not tenant_hash and self.has("b2b-update-missing-tenant-404"):
            return None, self.err(404, "not_found", "No tenant")  # issue 15: not a refusal of the request
        if self.has("b2b-tenant-not-checked"):
            return TENANT, None
        tenant = self.tenants.get(tenant_hash)
        if tenant is None:
            return None, self.err(401, "invalid_client", "Unknown or missing tenant_hash")
        if (tenant["oauth"] or self.has("b2b-secret-required-everywhere")) and not self.has("b2b-secret-not-checked"):
            secret = request.headers.get(self.conf["secret_header"], "")
            if update and self.has("b2b-update-secret-presence-only") and secret:
                return tenant_hash, None  # the update checks that a secret is sent, not which
            if not secret or not secrets.compare_digest(secret.encode(), tenant["secret"].encode()):
                return None, self.err(401, "invalid_client", "Missing or wrong OAuth_key_secret")
        return tenant_hash, None

    def _payload(self, body: Any, *, update: bool) -> tuple[dict[str, Any] | None, Response | None]:
        """(resources, validity[, token]) from a token request body, or the 400 refusing it."""
        if not isinstance(body, dict):
            return None, self.err(400, "invalid_request", "The body must be a JSON object")
        if update and self.has("b2b-update-plural-refused") and "resources" in body:
            return None, self.err(400, "invalid_request", "Unknown field: resources")
        raw = body.get("resources", body.get("resource"))
        if isinstance(raw, str):
            parts = [raw] if self.has("b2b-comma-string-one-name") else raw.split(",")  # fault: one unknown name
            raw = [part.strip() for part in parts] if raw.strip() else []
        if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
            if raw is None and self.has("b2b-empty-resources-accepted"):
                raw = []
            else:
                return None, self.err(400, "invalid_request", "resources must be a list of resource names")
        if not raw and not self.has("b2b-empty-resources-accepted"):
            return None, self.err(400, "invalid_request", "At least one resource is required")
        unknown = [r for r in raw if r not in RESOURCE_SET]
        if unknown and (self.has("b2b-unknown-resource-dropped")
                        or (update and self.has("b2b-update-unknown-resource-dropped"))):
            raw, unknown = [r for r in raw if r in RESOURCE_SET], []
        if unknown:
            return None, self.err(400, "invalid_request", f"Unknown resource: {unknown[0][:40]}")
        if "resources" in body and "resource" in body and not _resource_list(body["resource"]):
            # Both names given: the one not used must be a resource list too (the spec's TokenRequest).
            return None, self.err(400, "invalid_request", "resource must be a list of resource names")
        validity = body.get("validity", DEFAULT_VALIDITY)
        if isinstance(validity, float) and validity.is_integer():
            validity = int(validity)  # 600.0 is the integer 600 (JSON Schema 2020-12 §6.1.1)
        if not isinstance(validity, int) or isinstance(validity, bool) or validity < 1:
            if self.has("b2b-validity-defaulted") or (update and self.has("b2b-update-validity-unchecked")):
                validity = DEFAULT_VALIDITY
            else:
                return None, self.err(400, "invalid_request", "validity must be a positive integer")
        payload = {"resources": list(dict.fromkeys(raw)), "validity": validity}
        if update:
            token = body.get("token")
            if token is None and self.has("b2b-update-without-token-creates"):
                token = ""  # no token: the update is served as a token creation
            elif not isinstance(token, str) or not token:
                return None, self.err(400, "invalid_request", "token is required")
            payload["token"] = token
        return payload, None

    def _lifetime(self, validity: int, *, update: bool = False) -> float:
        if self.has("b2b-validity-ignored"):
            return 3600.0
        unit = 1 if update and self.has("b2b-update-validity-seconds") else self.unit
        return float(validity * unit)

    def _token_body(self, token: str, record: dict[str, Any]) -> JSONResponse:
        field = "access_token" if self.has("b2b-token-field-renamed") else self.conf["token_field"]
        return JSONResponse(
            {field: token, "validity": record["validity"], "resources": sorted(record["resources"])},
            headers={"Cache-Control": "no-store"},
        )

    async def _token_request(self, request: Request, *, update: bool) -> tuple[Any, Any, Response | None]:
        """(tenant, payload, None), or the refusal of a token request (tenant, then JSON body)."""
        tenant, failure = self._tenant(request, update=update)
        if failure is not None:
            return None, None, failure
        body, ok = await json_body(request)
        if not ok:
            return None, None, self.err(400, "invalid_request", "The body must be JSON")
        payload, failure = self._payload(body, update=update)
        return tenant, payload, failure

    async def create_token(self, request: Request) -> Response:
        tenant, payload, failure = await self._token_request(request, update=False)
        if failure is not None:
            return failure
        return self._issue(tenant, payload)

    def _issue(self, tenant: str, payload: dict[str, Any]) -> Response:
        now = self.clock.now()
        day = int(now // DAY)
        with self.lock:
            count = self.created.get((tenant, day), 0)
            if tenant in self.blocked or (self.limit is not None and count >= self.limit):
                if self.has("b2b-token-limit-sticks"):
                    self.blocked.add(tenant)
                return self.err(429, "too_many_requests", "The daily token limit of this tenant is reached")
            self.created[(tenant, day)] = count + 1
            token = secrets.token_urlsafe(24)
            if self.plays("b2b-long-token"):  # a signed JWT's shape and length
                token = ".".join(secrets.token_urlsafe(n) for n in (27, 420, 256))
            record = {
                "tenant": tenant,
                "resources": set(payload["resources"]),
                "validity": payload["validity"],
                "expires_at": now + self._lifetime(payload["validity"]),
                "uses": 0,
                "updates": 0,
            }
            self.tokens[token] = record
        return self._token_body(token, record)

    async def update_token(self, request: Request) -> Response:
        tenant, payload, failure = await self._token_request(request, update=True)
        if failure is not None:
            return failure
        if payload["token"] == "":  # b2b-update-without-token-creates
            return self._issue(tenant, payload)
        now = self.clock.now()
        with self.lock:
            record = self.tokens.get(payload["token"])
            if record is None or (record["tenant"] != tenant and not self.has("b2b-update-any-tenant")):
                return self.err(401, "invalid_token", "Unknown token")
            if now >= record["expires_at"] and not self.has("b2b-update-expired-accepted"):
                status = 400 if self.has("b2b-update-expired-400") else 401
                return self.err(status, "invalid_token", "The token has expired")
            if record["updates"] and self.has("b2b-update-once-only"):
                return self.err(400, "invalid_request", "This token was already updated")
            record["updates"] += 1
            if not self.has("b2b-update-resources-ignored"):
                record["resources"] = set(payload["resources"])
            if not self.has("b2b-update-not-extending"):
                record["validity"] = payload["validity"]
                record["expires_at"] = now + self._lifetime(payload["validity"], update=True)
        return self._token_body(payload["token"], record)

    # --- GET data ---------------------------------------------------------------------------
    def _authenticate(self, request: Request, resource: str) -> tuple[dict[str, Any] | None, Response | None]:
        header = request.headers.get(self.conf["token_header"], "")
        scheme, _, token = header.partition(" ")
        if self.plays("b2b-bare-token-header") and header:
            scheme, token = "bearer", header  # the bare token
        if not header:
            if self.has("b2b-missing-token-accepted") or (resource == "segments" and self.has("b2b-segments-no-token-served")):
                return {"resources": RESOURCE_SET}, None
            return None, self.bearer_error("An access token is required")
        record = self.tokens.get(token.strip()) if scheme.lower() == "bearer" else None
        if record is None:
            return None, self.bearer_error("The access token is invalid")
        unchecked = resource in ("campaigns", "searchCampaigns") and self.has("b2b-expiry-unchecked-on-campaigns")
        if self.clock.now() >= record["expires_at"] and not self.has("b2b-expired-token-accepted") and not unchecked:
            if self.has("b2b-expired-403"):
                return None, self.err(403, "access_denied", "The access token has expired")
            return None, self.bearer_error("The access token has expired")
        if self.has("b2b-single-use-token") and record["uses"] >= 1:
            return None, self.bearer_error("The access token was already used")
        record["uses"] += 1
        return record, None

    def _resolve(self, request: Request, resource: str) -> tuple[dict[str, Any] | None, Response | None]:
        given: dict[str, str] = {}
        for key in IDENTIFIERS:
            if key == "customer_code_external" and self.has("b2b-code-header-ignored"):
                continue
            value = request.headers.get(key)
            if value is None:
                continue
            if not value.strip():
                return None, self.err(400, "invalid_request", f"The {key} header is empty")
            given[key] = value
        if self.has("b2b-mobile-alone-refused") and list(given) == ["mobile_number"]:
            given = {}
        if "email_address" in given and self.has("b2b-code-ignored-with-email"):
            given.pop("customer_code_external", None)  # looked up by email (and mobile) only
        if self.has("b2b-unknown-id-default-customer") and given:
            for key in ("mobile_number", "customer_code_external"):
                if key in given and given[key] not in self.index[key]:
                    del given[key]  # an unmatched value is dropped from the query
            if not given:
                return CUSTOMERS[0], None
        if not given and resource == "gcrId" and self.has("b2b-gcrid-resource-no-identifier"):
            return CUSTOMERS[0], None
        if resource != "basic" and list(given) == ["customer_code_external"] and self.has("b2b-code-only-on-basic"):
            return None, self.err(404, "not_found", "No customer matches the identifiers")
        if resource != "basic" and len(given) > 1 and self.has("b2b-combined-refused-off-basic"):
            return None, self.err(400, "ambiguous_customer", "Give one customer identifier")
        if not given:
            return None, self.err(400, "invalid_request", "At least one customer identifier header is required")
        if len(given) > 2 and self.has("b2b-identifiers-limited-to-two"):
            return None, self.err(400, "invalid_request", "Give at most two customer identifiers")  # issue 15
        if list(given) == ["gcrId"] and self.has("b2b-gcrid-alone-unfiltered"):
            return CUSTOMERS[0], None  # the query's filter dropped: the first customer, whatever the value
        if list(given) == ["email_address"] and self.has("b2b-email-alone-404"):
            return None, self.err(404, "not_found", "No customer matches the identifiers")
        if len(given) > 1 and self.has("b2b-server-error-combined"):
            return None, PlainTextResponse("Internal Server Error", status_code=500)
        matches = [self.index[key].get(value, set()) for key, value in given.items()]
        union = set().union(*matches)
        if not union:
            if self.has("b2b-unknown-customer-400"):
                return None, self.err(400, "invalid_request", "Invalid customer identifier")
            return None, self.err(404, "not_found", "No customer matches the identifiers")
        if len(union) > 1:
            if not self.has("b2b-ambiguous-accepted") and not (
                    resource == "userActivity" and self.has("b2b-ambiguous-first-on-useractivity")):
                return None, self.err(400, "ambiguous_customer", "The identifiers match more than one customer")
        elif any(not m for m in matches):
            return None, self.err(400, "ambiguous_customer", "The identifiers do not all match the same customer")
        return self.customers[min(union)], None

    async def data(self, request: Request) -> Response:
        resource = request.path_params["resource"]
        with self.lock:
            record, failure = self._authenticate(request, resource)
        if failure is not None:
            return failure
        unknown_served = self.has("b2b-unknown-resource-served") and resource not in RESOURCE_SET
        if resource not in RESOURCE_SET and not unknown_served:
            return self.err(404, "not_found", "No such resource")
        if resource not in _granted(record["resources"], self.has("b2b-scope-by-family")) \
                and not self.has("b2b-resources-ignored") and not unknown_served:
            return self.err(403, "insufficient_scope", f"The token was not created for {resource}")
        customer, failure = self._resolve(request, resource)
        if failure is not None:
            return failure
        gcr_id = customer["gcrId"]
        if resource == "gcrId" and self.has("b2b-gcrid-resource-numeric"):
            gcr_id = int(gcr_id)  # the gcrId resource's own backend serialises it as a number
        return JSONResponse({"gcrId": gcr_id, "resource": resource, "data": _data(resource, customer)})


def _resource_list(value: Any) -> bool:
    """A ResourceList of the spec: a non-empty list of resource names, or one comma-separated string."""
    names = value.split(",") if isinstance(value, str) else value
    return isinstance(names, list) and bool(names) and all(isinstance(n, str) and n in RESOURCE_SET for n in names)


def _granted(resources: Any, by_family: bool) -> Any:
    """The resources a token opens (b2b-scope-by-family: the search resources come with their family)."""
    if not by_family:
        return resources
    extra = {"searchSegments", "isCustomerInSegment"} if "segments" in resources else set()
    return set(resources) | extra | ({"searchCampaigns"} if "campaigns" in resources else set())


def _data(resource: str, customer: dict[str, Any]) -> dict[str, Any]:
    if resource == "basic":
        return {"name": customer["name"], "age": customer["age"]}
    if resource == "optIn":
        return {"email": True, "sms": False}
    return {"items": []}


def factory(clock: MockClock, fault: str | None = None) -> CustomerProfileB2BMock:
    return CustomerProfileB2BMock(clock, fault)
