"""What the IMIconnect Profile tests share. Nothing here knows the mock: the result codes, the
envelope's field names and the HTTP status of each result code come from the spec
(specs/imiconnect-profile.yaml: x-result-codes, x-result-status, x-settings) and the target's
settings."""

from __future__ import annotations

import json
import re
import dataclasses
import threading
from typing import Any

import httpx
import pytest

from conformance.suite import ApiContext, Grant, Leftovers, expect, load_spec, redact

API = "imiconnect-profile"
_SPEC = load_spec(API)
# Every operation of the spec (002#L11-L19), by operationId, in the spec's order.
OPERATIONS = [op["operationId"] for item in _SPEC["paths"].values() for op in item.values()
              if isinstance(op, dict) and "operationId" in op]
# The doc's result code table (x-result-codes, L33-L56): code -> message as the doc spells it.
CODES = {int(row["code"]): row["message"] for row in _SPEC["x-result-codes"]["codes"]}
# The HTTP status the spec assumes for each result code (x-result-status; the doc gives none).
STATUS = {int(code): int(status) for status, codes in _SPEC["x-result-status"]["statuses"].items()
          for code in codes}
# The list each batch operation's body carries (the spec's requestBodies, an assumption).
BATCH_FIELD = {"createProfile": "profiles", "updateProfile": "profiles",
               "createAppProfile": "appprofiles", "updateAppProfile": "appprofiles"}


@dataclasses.dataclass
class State:
    """What the run's IMIconnect calls saw."""

    seen: list[tuple[str, httpx.Response]] = dataclasses.field(default_factory=list)  # (operation, answer) of each call


def setup(api: ApiContext) -> None:
    """Once per run: the `key` header on every call, and cleanup of what the run creates."""
    api.auth_headers = lambda: {"key": api.credential("key")}
    # The key is static (L23): the property tests send it as the `key` header of each case.
    api.use_token_fetcher(lambda: Grant(api.credential("key")))
    track(api)


def expected_status(api: ApiContext, code: int) -> int:
    overrides = {int(k): int(v) for k, v in (api.setting("status_map") or {}).items()}
    return overrides.get(code, STATUS[code])


def assumed_status(api: ApiContext, response: httpx.Response) -> int | None:
    """For the property tests: the status the spec's responses are keyed by for the result code
    this answer carries (None without one). The doc gives no HTTP status at all, so the checks
    judge the body under the response the spec gives its code, whatever status came with it
    (HTTP 200 for everything, or the target's status_map); the status itself is IMI-CON-006's
    business (test_http_status), an inferred row."""
    code = code_of(api, response)
    return STATUS.get(code) if code is not None else None


# --- calls --------------------------------------------------------------------------------------
def call(api: ApiContext, op: str, *, params: dict | None = None, body: Any = None, raw: str | None = None,
         key: str | None | bool = True) -> httpx.Response:
    """One operation (api.call), noted in api.state.seen for the envelope rows (IMI-CON-006,
    IMI-ERR-014). key=True sends the client's key, None none, a string that value."""
    kwargs: dict[str, Any] = {"params": params}
    if key is not True:
        kwargs.update(auth=False, headers={"key": key} if isinstance(key, str) else None)
    if raw is not None:
        kwargs["content"] = raw.encode()
    elif body is not None:
        kwargs["json"] = body
    response = api.call(op, **kwargs)
    api.state.seen.append((op, response))
    return response


def code_of(api: ApiContext, response: httpx.Response) -> int | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return as_int(body.get(api.setting("code_field"))) if isinstance(body, dict) else None


def describe(response: httpx.Response) -> str:
    return f"HTTP {response.status_code}, body {redact(response.text[:300])!r}"


def expect_code(api: ApiContext, response: httpx.Response, code: int, what: str, *, ids=None) -> Any:
    """The response carries result `code` in the envelope; returns the decoded body."""
    __tracebackhide__ = True
    got = code_of(api, response)
    field = api.setting("code_field")
    expect(got == code, f"{what}: expected result {code} {CODES[code]!r}, got "
           f"{field}={got!r} ({describe(response)})", ids=ids)
    return response.json()


def expect_codes(api: ApiContext, cases: list[tuple[str, dict]], code: int, what: str, *, ids=None) -> None:
    """Each (operation, call arguments) answers result `code`."""
    __tracebackhide__ = True
    for op, request in cases:
        expect_code(api, call(api, op, **request), code, f"{op} {what}: {request}", ids=ids)


def ok(api: ApiContext, response: httpx.Response, what: str, *, ids=None) -> Any:
    __tracebackhide__ = True
    return expect_code(api, response, 1000, what, ids=ids)


# --- data the run owns --------------------------------------------------------------------------
def track(api: ApiContext) -> None:
    """Note every customer and application profile the run creates (property tests included),
    so that the end of the run deletes them, whatever failed.

    Created: the items of a create the answer accepts; every item under the run prefix of a
    create or an update (a faulty target may turn an update into a create); and any customerid a
    2xx answer to a write names that the run did not have before (a target assigning ids). Ids
    the run did not send under its prefix and no answer named are never taken for its own. Each
    removal the target refuses is named as a leftover."""
    customers: dict[str, None] = {}
    apps: dict[tuple[str, str, str], None] = {}
    known: set[str] = set()  # customerids the run had: sent, or read in an answer
    known_apps: set[tuple[str, str, str]] = set()
    lock = threading.Lock()

    def operation(request: httpx.Request) -> str | None:
        try:
            method, path = api.operation_of(request)
        except LookupError:
            return None
        return api.operation(method, path).get("operationId")

    def hook(response: httpx.Response) -> None:
        request = response.request
        op = operation(request)
        said = _named_ids(_json_or_none(response)) if response.is_success else ([], [])
        with lock:
            known.update(request.url.params.get_list("customerid"))
        if op not in BATCH_FIELD:
            with lock:
                known.update(said[0])
                known_apps.update(said[1])
            return
        try:
            items = json.loads(request.content)[BATCH_FIELD[op]]
            items = [i for i in items if isinstance(i, dict)]
        except (ValueError, KeyError, TypeError, AttributeError):
            items = []
        ours = [i for i in items if str(i.get("customerid", "")).startswith(api.run.prefix)]
        top = code_of(api, response)
        if not op.startswith("create"):
            created = []
        elif top == 1000:
            created = items
        elif top == 1002:  # only the items the answer says were created, never someone else's
            codes = result_codes(api, response.json().get("results")) or []
            created = [i for i, code in zip(items, codes) if code == 1000]
        else:
            created = []
        app_path = op.endswith("AppProfile")
        with lock:
            sent = {str(i.get("customerid")) for i in items if i.get("customerid") is not None}
            sent_apps = {(str(i.get("customerid")), str(i.get("appid")), str(i.get("appprofilekey"))) for i in items}
            fresh = [c for c in said[0] if c not in known and c not in sent]
            fresh_apps = [a for a in said[1] if a not in known_apps and a not in sent_apps]
            known.update(sent)
            known.update(said[0])
            known_apps.update(sent_apps)
            known_apps.update(said[1])
            for item in created + ours:
                if not app_path and isinstance(item.get("customerid"), str):
                    customers[item["customerid"]] = None
                elif app_path and all(isinstance(item.get(k), str) for k in ("customerid", "appid", "appprofilekey")):
                    apps[(item["customerid"], item["appid"], item["appprofilekey"])] = None
            if app_path:
                apps.update(dict.fromkeys(fresh_apps))
            else:
                customers.update(dict.fromkeys(fresh))

    def delete_all() -> None:
        linked = {api.setting("appid"), api.setting("other_appid")}
        gone = (1000, 7203, 7014)  # removed, or not there (any more)

        def removed(response: httpx.Response) -> bool:
            code = code_of(api, response)
            return code in gone if code is not None else response.is_success

        leftovers = []
        with lock:
            owned_apps, owned = list(apps), list(customers)
        # Each delete waits out a round trip: `cleanup_in_flight` at once (the application profiles
        # first, then their customers).
        in_flight = int(api.setting("cleanup_in_flight"))
        linked_apps = [(c, a, k) for (c, a, k) in owned_apps if a in linked]
        app_calls = [{"params": {"customerid": c, "appid": a, "appprofilekey": k}} for (c, a, k) in linked_apps]
        for (customerid, appid, key), response in zip(linked_apps, api.call_each("deleteAppProfile", app_calls,
                                                                                 concurrency=in_flight)):
            if not removed(response):
                leftovers.append(f"application profile {appid}/{key} of {customerid} ({describe(response)})")
        customer_calls = [{"params": {"customerid": customerid}} for customerid in owned]
        for customerid, response in zip(owned, api.call_each("deleteProfile", customer_calls, concurrency=in_flight)):
            if not removed(response):
                leftovers.append(f"customer {customerid} ({describe(response)})")
        if leftovers:
            raise Leftovers(leftovers)

    api.client.response_hooks.append(hook)
    api.on_cleanup("delete the customers and application profiles the run created", delete_all)


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _named_ids(body: Any) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The customerids, and (customerid, appid, appprofilekey) triples, an answer names anywhere
    (its data, its batch results)."""
    customers: list[str] = []
    apps: list[tuple[str, str, str]] = []
    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            cid = item.get("customerid")
            if isinstance(cid, str):
                customers.append(cid)
                if isinstance(item.get("appid"), str) and isinstance(item.get("appprofilekey"), str):
                    apps.append((cid, item["appid"], item["appprofilekey"]))
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(item)
    return customers, apps


def result_codes(api: ApiContext, results: Any) -> list[int | None] | None:
    """The per-profile codes of a batch answer's `results`, in order (None if it has none)."""
    if not isinstance(results, list):
        return None
    field = api.setting("code_field")
    return [as_int(r.get(field)) if isinstance(r, dict) else None for r in results]


def as_int(value: Any) -> int | None:
    """A result code as a number, whether the target sends 1000 or "1000"."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def attrs(api: ApiContext, uid: str) -> dict[str, str]:
    """Attribute values for a new customer, on the keys the client defines."""
    keys = list(api.setting("attribute_keys"))
    values = {"name": f"Ada {uid}", "email": f"{uid}@example.com", "msisdn": "447700900123"}
    return {k: values.get(k, f"{k}-{uid}") for k in keys[:3]}


def new_customer(api: ApiContext, label: str = "cust", *, ids=None, **extra: str) -> tuple[str, dict[str, str]]:
    """Create a customer the run owns; (customerid, attributes)."""
    customerid = api.unique(label)
    attributes = attrs(api, customerid)
    attributes.update(extra)
    response = call(api, "createProfile", body={"profiles": [{"customerid": customerid, "attributes": attributes}]})
    ok(api, response, f"createProfile of new customer {customerid}", ids=ids)
    return customerid, attributes


def app_id(api: ApiContext, which: str = "appid") -> str:
    value = api.setting(which)
    if not value:
        pytest.skip(f"the target names no linked application (setting {which})")
    return value


def new_app_profile(api: ApiContext, customerid: str, key_label: str = "dev", appid: str | None = None, *,
                    ids=None, **attributes: str) -> tuple[str, str, dict[str, str]]:
    appid = appid or app_id(api)
    key = api.unique(key_label)
    attributes = attributes or {"handle": f"@{key}"}
    response = call(api, "createAppProfile", body={"appprofiles": [
        {"customerid": customerid, "appid": appid, "appprofilekey": key, "attributes": attributes}]})
    ok(api, response, f"createAppProfile {appid}/{key} for {customerid}", ids=ids)
    return appid, key, attributes


def profile(api: ApiContext, customerid: str, *, ids=None, **params: Any) -> dict[str, Any]:
    """getProfile's data, expecting 1000."""
    response = call(api, "getProfile", params={"customerid": customerid, **params})
    body = ok(api, response, f"getProfile of {customerid}", ids=ids)
    data = body.get("data")
    expect(isinstance(data, dict), f"getProfile of {customerid} has no profile data: {describe(response)}", ids=ids)
    return data


def app_profiles(api: ApiContext, customerid: str, appid: str, key: str | None = None, *,
                 ids=None) -> list[dict[str, Any]]:
    params = {"customerid": customerid, "appid": appid}
    if key is not None:
        params["appprofilekey"] = key
    response = call(api, "getAppProfile", params=params)
    body = ok(api, response, f"getAppProfile {appid}/{key} of {customerid}", ids=ids)
    data = body.get("data")
    expect(isinstance(data, list), f"getAppProfile has no list of profiles: {describe(response)}", ids=ids)
    return data


def same_message(documented: str, given: Any) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"[\s.]+", " ", text).strip().lower()

    return isinstance(given, str) and norm(documented) == norm(given)



# --- "it is gone": the doc has four codes for something that does not exist -------------------
# 7014 Customer not found (L44), 7018 invalid app profile (L48, reads), 7203 Customer/App not
# found (L50, updates and deletes), 7212 Invalid app profile (L56). Which one a missing
# application profile answers is the spec's choice (inferred rows IMI-ERR-020 / IMI-ERR-021);
# stated rows that only need a profile gone accept any of them.
NOT_FOUND = (7014, 7018, 7203, 7212)


def expect_code_in(api: ApiContext, response: httpx.Response, codes: tuple[int, ...], what: str, *,
                   ids=None) -> Any:
    """The response carries one of the result `codes`; returns the decoded body."""
    __tracebackhide__ = True
    got = code_of(api, response)
    names = " / ".join(f"{c} {CODES[c]!r}" for c in codes)
    expect(got in codes, f"{what}: expected result {names}, got {api.setting('code_field')}={got!r} "
           f"({describe(response)})", ids=ids)
    return response.json()


def app_profile_gone(api: ApiContext, customerid: str, appid: str, key: str, what: str, *, ids=None) -> None:
    """getAppProfile(customerid, appid, key) no longer returns that application profile: a
    not-found code, or 1000 with no profile of that appprofilekey."""
    __tracebackhide__ = True
    params = {"customerid": customerid, "appid": appid, "appprofilekey": key}
    response = call(api, "getAppProfile", params=params)
    code = code_of(api, response)
    if code == 1000:
        data = response.json().get("data")
        held = [p for p in data if isinstance(p, dict) and p.get("appprofilekey") == key] \
            if isinstance(data, list) else None
        expect(held == [], f"{what}: getAppProfile {appid}/{key} of {customerid} still returns it "
               f"({describe(response)})", ids=ids)
    else:
        expect(code in NOT_FOUND, f"{what}: getAppProfile {appid}/{key} of {customerid} answered "
               f"{code!r}, expected one of the not-found codes {NOT_FOUND} ({describe(response)})", ids=ids)


def app_item(customerid: str, appid: str, key: str, **attributes: Any) -> dict[str, Any]:
    return {"customerid": customerid, "appid": appid, "appprofilekey": key, "attributes": attributes}


def has_attrs(got: Any, attributes: dict[str, Any]) -> bool:
    """`got` carries each of `attributes` with its value (attributes a target adds beside them,
    such as its own timestamps, are not the suite's business: the doc does not forbid them)."""
    return isinstance(got, dict) and all(got.get(k) == v for k, v in attributes.items())


def holds(found: Any, attributes: dict[str, Any]) -> bool:
    """getAppProfile's list `found` is exactly one application profile, carrying `attributes`."""
    return isinstance(found, list) and len(found) == 1 and isinstance(found[0], dict) \
        and has_attrs(found[0].get("attributes"), attributes)


# --- the spec as the property tests use it ---------------------------------------------------------
AUTH = {"header": "key", "scheme": ""}  # the Client Profile Key, sent bare in the `key` header


def aim_contract(methods: set[str] | None = None, *, only_ours: bool, label: str = "ct"):
    """An `adapt` for contract.schema_for: only these methods (None: all); the client's linked
    applications and attribute keys (L55) as valid data; the envelope's field names as the
    target names them. `only_ours`: customerids under the run's prefix only, so that generated
    updates and deletes can never name (and change) a real customer of a vendor sandbox."""

    def aim(api: ApiContext, spec: dict) -> None:
        for path in list(spec["paths"]):
            item = spec["paths"][path]
            for method in [m for m in list(item) if methods is not None and m not in methods]:
                del item[method]
            if not item:
                del spec["paths"][path]
        params = spec["components"]["parameters"]
        schemas = spec["components"]["schemas"]
        if only_ours:
            ours = {"type": "string", "pattern": f"^{api.run.prefix}-{label}-[a-z0-9]{{1,6}}$"}
            params["CustomerId"]["schema"] = ours
            schemas["MasterProfile"]["properties"]["customerid"] = ours
            schemas["AppProfile"]["properties"]["customerid"] = ours
        apps = [a for a in (api.setting("appid"), api.setting("other_appid")) if a]
        if apps:
            params["AppId"]["schema"] = {"enum": apps}
            schemas["AppProfile"]["properties"]["appid"] = {"enum": apps}
        keys = list(api.setting("attribute_keys"))
        schemas["MasterProfile"]["properties"]["attributes"] = {
            "type": "object", "additionalProperties": False,
            "properties": {k: {"type": "string"} for k in keys},
        }
        if keys:  # the keys to read back are the client's too: another answers 7017 (L47)
            params["AttributeKeys"]["schema"] = {"enum": [*keys, ",".join(keys)]}
        code, text = api.setting("code_field"), api.setting("description_field")
        schemas["Result"]["required"] = [code, text]
        schemas["Result"]["properties"] = {code: {"$ref": "#/components/schemas/ResultCode"}, text: {"type": "string"}}
        schemas["ItemResult"]["required"] = [code]
        schemas["ItemResult"]["properties"][code] = schemas["ItemResult"]["properties"].pop("code")

    return aim
