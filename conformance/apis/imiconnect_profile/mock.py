"""Stateful mock of the IMIconnect Profile API (doc 002), with the choices of
specs/imiconnect-profile.yaml filled in where the doc is silent (envelope, HTTP statuses,
request bodies, which parameter goes where).

One client (the demo key) owns a master profile store with the attribute keys name, email and
msisdn (L2) plus one of its own (L27: "Service Providers may include their own keys"), and two
linked applications. Customers are keyed by customerid (L24); application profiles by
(customerid, appid, appprofilekey) (L28-L29). Each situation answers the result code the spec
assigns it (L33-L56).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from conformance.apis.imiconnect_profile import faults, variants
from conformance.suite import JSONResponse, MockApi, MockClock, load_spec

_SPEC = load_spec("imiconnect-profile")
# The doc's result codes and their messages (x-result-codes), the HTTP status the spec assumes
# for each (x-result-status) and the batch limit (x-settings batch_limit, L42, L53).
CODES = {int(row["code"]): row["message"] for row in _SPEC["x-result-codes"]["codes"]}
STATUS = {int(code): int(status) for status, codes in _SPEC["x-result-status"]["statuses"].items()
          for code in codes}
BATCH_LIMIT = int(_SPEC["x-settings"]["batch_limit"]["default"])

# Demo credentials and data (documented in README.md).
KEY = "imi-demo-key-3e9b71c04a"
ATTRIBUTE_KEYS = ("name", "email", "msisdn", "loyaltyTier")
LINKED_APPS = ("imi-demo-app-facebook", "imi-demo-app-twitter")
ABSENT = object()  # an attributes member left out, unlike one sent as null
# White space as the spec's pattern '\S' means it (ECMA-262 \s, JSON Schema 2020-12 §6.4):
# Python's str.strip() also strips \x1c-\x1f and \x85, which the spec holds usable.
ECMA_SPACE = frozenset("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
                       + "".join(chr(c) for c in range(0x2000, 0x200B)))


class Refused(Exception):
    """A whole request refused with one result code."""

    def __init__(self, code: int) -> None:
        self.code = code


class Crash(Exception):
    """imi-undefined-attribute-500: the server fails."""


class ImiconnectProfileMock(MockApi):
    name = "imiconnect-profile"
    FAULTS = faults.FAULTS
    VARIANTS = variants.VARIANTS

    def __init__(self, clock: MockClock, fault: str | None = None) -> None:
        super().__init__(clock, fault)
        self.customers: dict[str, dict[str, str]] = {}  # customerid -> attributes
        # (customerid, appid, appprofilekey) -> attributes
        self.app_profiles: dict[tuple[str, str, str], dict[str, str]] = {}
        self.limit = BATCH_LIMIT + 1 if self.has("imi-batch-101-accepted") else (
            BATCH_LIMIT - 1 if self.has("imi-batch-100-refused") else BATCH_LIMIT)
        self.keys = set(ATTRIBUTE_KEYS)
        if self.has("imi-unknown-attribute-accepted"):
            self.keys = None  # every key accepted
        if self.has("imi-custom-keys-refused"):
            self.keys = {"name", "email", "msisdn"}

    # --- wiring -------------------------------------------------------------------------------
    def routes(self) -> list:
        return [
            Route("/getProfile", self.get_profile, methods=["GET"]),
            Route("/getAppProfile", self.get_app_profile, methods=["GET"]),
            Route("/createProfile", self.create_profile, methods=["POST"]),
            Route("/createAppProfile", self.create_app_profile, methods=["POST"]),
            Route("/updateProfile", self.update_profile, methods=["PUT"]),
            Route("/updateAppProfile", self.update_app_profile, methods=["PUT"]),
            Route("/deleteProfile", self.delete_profile, methods=["DELETE"]),
            Route("/deleteAppProfile", self.delete_app_profile, methods=["DELETE"]),
            Route("/deleteDeviceAppProfile", self.delete_device_app_profile, methods=["DELETE"]),
        ]

    def unlisted_method(self, method: str, template: str, allowed: list[str]):
        response = super().unlisted_method(method, template, allowed)
        if response is not None and self.has("imi-405-without-allow"):
            del response.headers["allow"]  # issue 15: RFC 9110 §15.5.6 makes Allow a MUST
        return response

    def demo_credentials(self) -> dict[str, str]:
        return {"key": KEY}

    def target_settings(self) -> dict[str, Any]:
        # The other settings are the spec's defaults (x-settings).
        return {"appid": LINKED_APPS[0], "other_appid": LINKED_APPS[1], "attribute_keys": list(ATTRIBUTE_KEYS)}

    def rate_limit(self) -> float | None:
        return 2000.0  # the doc states no request rate (7020 gives no number); the mock serves far more

    def state(self) -> dict[str, Any]:
        return {
            "customers": sorted(self.customers),
            "app_profiles": [list(k) for k in sorted(self.app_profiles)],
        }

    # --- responses ----------------------------------------------------------------------------
    def answer(self, code: int, **extra: Any) -> Response:
        if self.has("imi-text-errors") and code >= 7000:
            return PlainTextResponse(f"{code} {CODES[code]}", status_code=STATUS[code])
        message = CODES[code]
        if self.has("imi-wrong-message"):
            message = "OK" if code < 7000 else "Error"
        body: dict[str, Any] = {"code": code, "description": message}
        if self.has("imi-code-renamed"):
            body = {"status": code, "description": message}
        body.update(extra)
        if self.variants:
            body = self.played_envelope(body)
        status = 200 if self.has("imi-status-200-errors") else STATUS[code]
        if self.plays("imi-all-200") or self.plays("imi-all-200-declared") or (self.plays("imi-7014-200") and code == 7014):
            status = 200
        if self.has("imi-success-201") and code in (1000, 1002):
            status = 201
        return JSONResponse(body, status_code=status)

    def played_envelope(self, body: dict[str, Any]) -> dict[str, Any]:
        """The variants of the envelope (variants.py): the doc documents none."""
        def item(entry: Any) -> Any:
            if not isinstance(entry, dict):
                return entry
            entry = dict(entry)
            if self.plays("imi-string-codes") and isinstance(entry.get("code"), int):
                entry["code"] = str(entry["code"])
            if self.plays("imi-envelope-renamed"):
                entry = {{"code": "status", "description": "message"}.get(k, k): v for k, v in entry.items()}
            return entry

        body = item(body)
        if self.plays("imi-no-results-on-success") and body.get("code") in (1000, "1000"):
            body.pop("results", None)
        if isinstance(body.get("results"), list):
            body["results"] = [item(r) for r in body["results"]]
        if self.plays("imi-extra-fields"):
            body["requestId"] = secrets.token_hex(8)
            body["timestamp"] = int(self.clock.now() * 1000)
        data = body.get("data")
        if self.plays("imi-reversed-order"):
            if isinstance(data, list):
                body["data"] = data = data[::-1]
            elif isinstance(data, dict) and isinstance(data.get("inwardlinks"), list):
                data["inwardlinks"] = data["inwardlinks"][::-1]
        if self.plays("imi-extra-fields"):
            for entry in data if isinstance(data, list) else [data] if isinstance(data, dict) else []:
                entry["extra"] = {"source": "cfx-variant"}
        return body

    def authorised(self, request: Request) -> int | None:
        """None when the key is right, else the result code refusing the call (L23, L36-L37)."""
        if self.has("imi-key-unchecked-on-deletes") and request.method == "DELETE":
            return None
        key = request.headers.get("key")
        if key is None and self.has("imi-key-from-query"):
            key = request.query_params.get("key")
        if key is None:
            if self.has("imi-key-not-required"):
                return None
            return 7001 if self.has("imi-missing-key-7001") else 7002
        if self.has("imi-any-key"):
            return None
        if not secrets.compare_digest(key.encode(), KEY.encode()):
            return 7001
        return None

    async def guarded(self, request: Request, handler) -> Response:
        refused = self.authorised(request)
        if refused is not None:
            still = {"POST": "imi-refused-still-writes", "PUT": "imi-refused-update-still-writes",
                     "DELETE": "imi-refused-delete-still-deletes"}.get(request.method)
            if still and self.has(still):
                try:
                    await handler(request)
                except Refused:
                    pass
            return self.answer(refused)
        try:
            with self.lock:
                return await handler(request)
        except Refused as refusal:
            return self.answer(refusal.code)
        except Crash:
            return PlainTextResponse("Internal Server Error", status_code=500)

    # --- parameters -----------------------------------------------------------------------------
    @staticmethod
    def _text(value: Any) -> str:
        """A customerid / appid / appprofilekey: 7003 when absent, 7004 when not a usable string."""
        if value is None:
            raise Refused(7003)
        if not isinstance(value, str) or all(c in ECMA_SPACE for c in value):
            raise Refused(7004)
        return value

    def query(self, request: Request, name: str, *, required: bool = True) -> str | None:
        value = request.query_params.get(name)
        if value is None and not required:
            return None
        if value is None and self.has("imi-missing-param-7004"):
            raise Refused(7004)
        return self._text(value)

    def app(self, appid: str, code: int) -> None:
        if appid not in LINKED_APPS and not self.has("imi-app-unlinked-allowed"):
            raise Refused(code)

    async def items(self, request: Request, field: str, limit_code: int) -> list[Any]:
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            if self.has("imi-invalid-json-500"):
                raise Crash()
            raise Refused(7004 if self.has("imi-invalid-json-7004") else 7000)
        if not isinstance(body, dict):
            raise Refused(7004)
        items = body.get(field)
        if items is None:
            raise Refused(7004 if self.has("imi-missing-param-7004") else 7003)
        if not isinstance(items, list):
            raise Refused(7004)
        if not items:
            raise Refused(7003)
        unlimited = self.has("imi-update-batch-unlimited") and request.method == "PUT"
        if len(items) > self.limit and not unlimited:
            if self.has("imi-batch-truncated"):
                return items[: BATCH_LIMIT]
            code = 7012 if (self.has("imi-app-batch-7012") and limit_code == 7207) else limit_code
            raise Refused(code)
        return items

    def attributes(self, value: Any, *, master: bool, required: bool) -> dict[str, str]:
        """Validate an attributes object: 7004 when not an object, 7211 for a key the client's
        master profile does not define (L55), 7205 for a value that is not a string (L26, L51)."""
        if value is ABSENT:
            if required:
                raise Refused(7003)
            return {}
        if not isinstance(value, dict):  # null included
            raise Refused(7004)
        if master and self.keys is not None and any(k not in self.keys for k in value):
            if self.has("imi-undefined-attribute-500"):
                raise Crash()
            raise Refused(7211)
        lax = self.has("imi-invalid-value-accepted") or (not master and self.has("imi-app-value-unchecked"))
        if not lax and any(not isinstance(v, str) for v in value.values()):
            raise Refused(7205)
        if master and self.has("imi-email-format-checked") and "@" not in str(value.get("email", "@")):
            raise Refused(7205)  # issue 15: stricter than the spec (any string)
        return dict(value)

    def batch(self, results: list[dict[str, Any]]) -> Response:
        """1000 when every item succeeded, 1002 when some did (L34), else the first item's code."""
        codes = [r["code"] for r in results]
        if all(c == 1000 for c in codes):
            top = 1000
        elif any(c == 1000 for c in codes):
            top = 1000 if self.has("imi-partial-as-success") else 1002
        else:
            top = next(c for c in codes if c != 1000)
        if top == 1002 and self.has("imi-partial-no-results"):
            return self.answer(top)
        return self.answer(top, results=results)

    def run_items(self, items: list[Any], work, *, app: bool = False, update: bool = False) -> list[dict[str, Any]]:
        results = []
        staged = []
        # imi-batch-update-off-by-one: an update batch of the full limit skips its last item.
        skip_last = update and len(items) >= BATCH_LIMIT and self.has("imi-batch-update-off-by-one")
        for index, item in enumerate(items):
            if skip_last and index == len(items) - 1:
                results.append({"customerid": None, "code": 1000, "description": CODES[1000]})
                continue
            ident = item.get("customerid") if isinstance(item, dict) else None
            ident = ident if isinstance(ident, str) else None  # echoed only when it is an id
            try:
                if not isinstance(item, dict):
                    raise Refused(7004)
                staged.append(work(item))
                results.append({"customerid": ident, "code": 1000, "description": CODES[1000]})
            except Refused as refusal:
                results.append({"customerid": ident, "code": refusal.code, "description": CODES[refusal.code]})
        all_or_nothing = self.has("imi-partial-all-or-nothing") or (app and self.has("imi-app-partial-all-or-nothing"))
        if all_or_nothing and any(r["code"] != 1000 for r in results):
            first = next(r for r in results if r["code"] != 1000)
            for undo in staged:
                undo()
            raise Refused(first["code"])
        for r in results:
            r["description"] = CODES[r["code"]]
        return results

    # --- master profiles (L11, L13, L15, L17) ---------------------------------------------------
    async def get_profile(self, request: Request) -> Response:
        return await self.guarded(request, self._get_profile)

    async def _get_profile(self, request: Request) -> Response:
        customerid = self.query(request, "customerid")
        links = request.query_params.get("showinwardlinks")
        if links is not None and links not in ("0", "1") and not self.has("imi-showinwardlinks-lax"):
            if self.has("imi-bare-422"):  # no result code: nothing but the HTTP status to judge
                return JSONResponse({"error": "invalid showinwardlinks"}, status_code=422)
            raise Refused(7004)
        wanted = request.query_params.get("attributes")
        if self.has("imi-customers-mixed") and self.customers:
            customerid = list(self.customers)[-1]
        if customerid not in self.customers:
            raise Refused(7203 if self.has("imi-not-found-7203-on-get") else 7014)
        attributes = dict(self.customers[customerid])
        if wanted is not None:
            keys = [k.strip() for k in wanted.split(",") if k.strip()]
            if not keys:
                raise Refused(7004)
            unknown = [k for k in keys if k not in ATTRIBUTE_KEYS]
            if unknown and not self.has("imi-get-unknown-attribute-ignored"):
                raise Refused(7017)
            if not self.has("imi-attributes-filter-ignored"):
                attributes = {k: v for k, v in attributes.items() if k in keys}
        data: dict[str, Any] = {"customerid": customerid, "attributes": attributes}
        inward = (links == "1" and not self.has("imi-inwardlinks-missing")) or self.has("imi-inwardlinks-always")
        if inward:
            data["inwardlinks"] = [
                {"appid": a, "appprofilekey": k, "attributes": dict(v)}
                for (c, a, k), v in self.app_profiles.items()
                if (c == customerid or self.has("imi-inwardlinks-all-customers"))
                and (a == LINKED_APPS[0] or not self.has("imi-inwardlinks-one-app"))
            ]
        return self.answer(1000, data=data)

    async def create_profile(self, request: Request) -> Response:
        return await self.guarded(request, self._create_profile)

    async def _create_profile(self, request: Request) -> Response:
        items = await self.items(request, "profiles", 7012)

        def work(item: dict[str, Any]):
            if self.has("imi-lax-bodies"):
                item = dict(item, customerid=str(item.get("customerid") or f"gen-{len(self.customers)}"))
            customerid = self._text(item.get("customerid"))
            attributes = self.attributes(item.get("attributes", ABSENT), master=True, required=False)
            if customerid in self.customers and not self.has("imi-create-overwrites"):
                raise Refused(7209 if self.has("imi-exists-7209-master") else 7015)
            if self.has("imi-attributes-dropped"):
                attributes = {}
            self.customers[customerid] = attributes
            return lambda: self.customers.pop(customerid, None)

        return self.batch(self.run_items(items, work))

    async def update_profile(self, request: Request) -> Response:
        return await self.guarded(request, self._update_profile)

    async def _update_profile(self, request: Request) -> Response:
        items = await self.items(request, "profiles", 7012)

        def work(item: dict[str, Any]):
            if item.get("customerid") is None and self.has("imi-missing-customerid-item-7203"):
                raise Refused(7203)
            customerid = self._text(item.get("customerid"))
            raw = item.get("attributes")
            if self.has("imi-update-writes-before-validating") and customerid in self.customers and isinstance(raw, dict):
                self.customers[customerid].update(
                    {k: v for k, v in raw.items() if k in ATTRIBUTE_KEYS and isinstance(v, str)})
            if self.has("imi-update-first-attribute-only") and isinstance(raw, dict):
                item = dict(item, attributes=dict(list(raw.items())[:1]))
            # attributes are optional in an update as in a create (the spec's MasterProfile): none
            # sent, nothing changes.
            attributes = self.attributes(item.get("attributes", ABSENT), master=True, required=False)
            if customerid not in self.customers:
                if not self.has("imi-update-unknown-creates"):
                    raise Refused(7203)
                self.customers[customerid] = {}
            before = dict(self.customers[customerid])
            if not self.has("imi-update-ignored"):
                self.customers[customerid].update(attributes)  # merge: the spec's x-doc-note
            return lambda: self.customers.__setitem__(customerid, before)

        return self.batch(self.run_items(items, work, update=True))

    async def delete_profile(self, request: Request) -> Response:
        return await self.guarded(request, self._delete_profile)

    async def _delete_profile(self, request: Request) -> Response:
        customerid = self.query(request, "customerid")
        if customerid not in self.customers:
            raise Refused(7203)
        if not self.has("imi-delete-noop"):
            del self.customers[customerid]
            if not self.has("imi-delete-keeps-apps"):
                for key in [k for k in self.app_profiles if k[0] == customerid]:
                    del self.app_profiles[key]
        return self.answer(1000)

    # --- application profiles (L12, L14, L16, L18, L19) -----------------------------------------
    async def get_app_profile(self, request: Request) -> Response:
        return await self.guarded(request, self._get_app_profile)

    async def _get_app_profile(self, request: Request) -> Response:
        customerid = self.query(request, "customerid")
        appid = self.query(request, "appid")
        key = self.query(request, "appprofilekey", required=False)
        if appid not in LINKED_APPS and not self.has("imi-app-unlinked-allowed"):
            raise Refused(7014 if self.has("imi-get-app-unlinked-7014") else 7018)
        if customerid not in self.customers:
            if self.has("imi-get-app-unknown-customer-empty"):
                return self.answer(1000, data=[])
            raise Refused(7014)
        keyed = key is not None
        found = [
            {"customerid": c, "appid": a, "appprofilekey": k, "attributes": dict(v)}
            for (c, a, k), v in self.app_profiles.items()
            if (c == customerid or (keyed and self.has("imi-get-app-ignores-customer")))
            and (a == appid or (keyed and self.has("imi-get-app-ignores-appid")))
            and (key is None or k == key or self.has("imi-get-app-ignores-key"))
        ]
        if not keyed and self.has("imi-get-app-list-first-only"):
            found = found[:1]
        if not found:
            raise Refused(7018 if self.has("imi-app-missing-7018") else 7014)
        return self.answer(1000, data=found)

    async def create_app_profile(self, request: Request) -> Response:
        return await self.guarded(request, self._create_app_profile)

    async def _create_app_profile(self, request: Request) -> Response:
        items = await self.items(request, "appprofiles", 7207)

        def work(item: dict[str, Any]):
            customerid = self._text(item.get("customerid"))
            appid = self._text(item.get("appid"))
            key = self._text(item.get("appprofilekey"))
            attributes = self.attributes(item.get("attributes", ABSENT), master=False, required=False)
            self.app(appid, 7212)
            if customerid not in self.customers and not self.has("imi-app-create-orphan"):
                raise Refused(7014)
            ident = (customerid, appid, key)
            if ident in self.app_profiles and not self.has("imi-app-exists-overwrites"):
                raise Refused(7209)
            self.app_profiles[ident] = attributes
            return lambda: self.app_profiles.pop(ident, None)

        return self.batch(self.run_items(items, work, app=True))

    async def update_app_profile(self, request: Request) -> Response:
        return await self.guarded(request, self._update_app_profile)

    async def _update_app_profile(self, request: Request) -> Response:
        items = await self.items(request, "appprofiles", 7207)

        def work(item: dict[str, Any]):
            if item.get("customerid") is None and self.has("imi-missing-customerid-item-7203"):
                raise Refused(7203)
            customerid = self._text(item.get("customerid"))
            appid = self._text(item.get("appid"))
            key = self._text(item.get("appprofilekey"))
            attributes = self.attributes(item.get("attributes", ABSENT), master=False, required=False)  # as above
            self.app(appid, 7212)
            ident = (customerid, appid, key)
            if ident not in self.app_profiles:
                if customerid in self.customers and self.has("imi-app-update-upserts"):
                    self.app_profiles[ident] = dict(attributes)
                    return lambda: self.app_profiles.pop(ident, None)
                raise Refused(self._app_missing(customerid))
            before = dict(self.app_profiles[ident])
            if not self.has("imi-app-update-ignored"):
                self.app_profiles[ident].update(attributes)
            return lambda: self.app_profiles.__setitem__(ident, before)

        return self.batch(self.run_items(items, work, app=True, update=True))

    def _app_missing(self, customerid: str | None) -> int:
        """The code for an application profile that does not exist (7203, L50); with
        imi-app-not-found-7212, 7212 when the customer exists."""
        exists = customerid is None or customerid in self.customers
        return 7212 if exists and self.has("imi-app-not-found-7212") else 7203

    async def delete_app_profile(self, request: Request) -> Response:
        return await self.guarded(request, self._delete_app_profile)

    async def _delete_app_profile(self, request: Request) -> Response:
        customerid = self.query(request, "customerid")
        appid = self.query(request, "appid")
        key = self.query(request, "appprofilekey")
        self.app(appid, 7212)
        if (customerid, appid, key) not in self.app_profiles:
            raise Refused(self._app_missing(customerid))
        doomed = [k for k in self.app_profiles if k[0] == customerid and k[1] == appid] \
            if self.has("imi-delete-app-deletes-all") else [(customerid, appid, key)]
        if self.has("imi-delete-app-ignores-customer"):
            doomed = [k for k in self.app_profiles if k[1] == appid and k[2] == key]
        for ident in doomed:
            del self.app_profiles[ident]
        return self.answer(1000)

    async def delete_device_app_profile(self, request: Request) -> Response:
        return await self.guarded(request, self._delete_device_app_profile)

    async def _delete_device_app_profile(self, request: Request) -> Response:
        appid = self.query(request, "appid")
        key = self.query(request, "appprofilekey")
        self.app(appid, 7212)
        doomed = [k for k in self.app_profiles if k[1] == appid and k[2] == key]
        if not doomed:
            raise Refused(self._app_missing(None))
        if not self.has("imi-device-delete-noop"):
            for ident in doomed:
                del self.app_profiles[ident]
        return self.answer(1000)


def factory(clock: MockClock, fault: str | None = None) -> ImiconnectProfileMock:
    return ImiconnectProfileMock(clock, fault)
