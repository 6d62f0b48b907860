"""What the IMIconnect Profile tests share. Nothing here knows the mock: the envelope's field
names and the HTTP status of each result code come from the target's settings, with the
defaults of `conformance.apis.imiconnect_profile` (the spec's assumptions)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from conformance.apis.imiconnect_profile import CODES, SETTINGS, STATUS
from conformance.redact import REDACTOR
from conformance.suite.context import ApiContext
from conformance.suite.outcome import expect

# Every operation: (method, path) as the doc's table gives them (002#L11-L19).
OPS = {
    "getProfile": ("GET", "/getProfile"),
    "getAppProfile": ("GET", "/getAppProfile"),
    "createProfile": ("POST", "/createProfile"),
    "createAppProfile": ("POST", "/createAppProfile"),
    "updateProfile": ("PUT", "/updateProfile"),
    "updateAppProfile": ("PUT", "/updateAppProfile"),
    "deleteProfile": ("DELETE", "/deleteProfile"),
    "deleteAppProfile": ("DELETE", "/deleteAppProfile"),
    "deleteDeviceAppProfile": ("DELETE", "/deleteDeviceAppProfile"),
}
BATCH_FIELD = {"createProfile": "profiles", "updateProfile": "profiles",
               "createAppProfile": "appprofiles", "updateAppProfile": "appprofiles"}


def setting(api: ApiContext, key: str) -> Any:
    return api.setting(key, SETTINGS[key])


def expected_status(api: ApiContext, code: int) -> int:
    overrides = {int(k): int(v) for k, v in (setting(api, "status_map") or {}).items()}
    return overrides.get(code, STATUS[code])


# --- calls --------------------------------------------------------------------------------------
def call(api: ApiContext, op: str, *, params: dict | None = None, body: Any = None, raw: str | None = None,
         key: str | None | bool = True) -> httpx.Response:
    """One operation. key=True sends the client's key, None none, a string that value."""
    method, path = OPS[op]
    headers: dict[str, str] = {}
    if key is True:
        headers["key"] = api.credential("key")
    elif isinstance(key, str):
        headers["key"] = key
    kwargs: dict[str, Any] = {"headers": headers, "params": params}
    if raw is not None:
        kwargs["content"] = raw.encode()
        headers["Content-Type"] = "application/json"
    elif body is not None:
        kwargs["json"] = body
    response = api.client.request(method, path, **kwargs)
    api.imi_seen.append((op, response))  # for the HTTP status row (IMI-CON-006)
    return response


def code_of(api: ApiContext, response: httpx.Response) -> int | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return as_int(body.get(setting(api, "code_field"))) if isinstance(body, dict) else None


def describe(response: httpx.Response) -> str:
    return f"HTTP {response.status_code}, body {REDACTOR.text(response.text[:300])!r}"


def expect_code(api: ApiContext, rid, response: httpx.Response, code: int, what: str) -> Any:
    """The response carries result `code` in the envelope; returns the decoded body."""
    __tracebackhide__ = True
    got = code_of(api, response)
    field = setting(api, "code_field")
    expect(got == code, rid, f"{what}: expected result {code} {CODES[code][0]!r}, got "
           f"{field}={got!r} ({describe(response)})")
    return response.json()


def expect_codes(api: ApiContext, rid, cases: list[tuple[str, dict]], code: int, what: str) -> None:
    """Each (operation, call arguments) answers result `code`."""
    __tracebackhide__ = True
    for op, request in cases:
        expect_code(api, rid, call(api, op, **request), code, f"{op} {what}: {request}")


def ok(api: ApiContext, rid, response: httpx.Response, what: str) -> Any:
    __tracebackhide__ = True
    return expect_code(api, rid, response, 1000, what)


# --- data the run owns --------------------------------------------------------------------------
def track(api: ApiContext) -> None:
    """Note every customer and application profile the run creates (property tests included),
    so that the end of the run deletes them, whatever failed."""
    customers: dict[str, None] = {}
    apps: dict[tuple[str, str, str], None] = {}
    base = httpx.URL(api.base_url).path.rstrip("/")

    def hook(response: httpx.Response) -> None:
        request = response.request
        path = request.url.path[len(base):]
        if request.method != "POST" or path not in ("/createProfile", "/createAppProfile"):
            return
        try:
            items = json.loads(request.content)[BATCH_FIELD[path.lstrip("/")]]
            items = [i for i in items if isinstance(i, dict)]
        except (ValueError, KeyError, TypeError, AttributeError):
            return
        ours = [i for i in items if str(i.get("customerid", "")).startswith(api.run.prefix)]
        top = code_of(api, response)
        if top == 1000:
            created = items
        elif top == 1002:  # only the items the answer says were created, never someone else's
            codes = result_codes(api, response.json().get("results")) or []
            created = [i for i, code in zip(items, codes) if code == 1000]
        else:
            created = []
        for item in created + ours:
            if path == "/createProfile" and isinstance(item.get("customerid"), str):
                customers[item["customerid"]] = None
            elif path == "/createAppProfile" and all(isinstance(item.get(k), str)
                                                      for k in ("customerid", "appid", "appprofilekey")):
                apps[(item["customerid"], item["appid"], item["appprofilekey"])] = None

    def delete_all() -> None:
        linked = {setting(api, "appid"), setting(api, "other_appid")}
        for (customerid, appid, key) in apps:
            if appid in linked and customerid not in customers:
                call(api, "deleteAppProfile", params={"customerid": customerid, "appid": appid, "appprofilekey": key})
        for customerid in customers:
            call(api, "deleteProfile", params={"customerid": customerid})

    api.client.response_hooks.append(hook)
    api.on_cleanup("delete the customers and application profiles the run created", delete_all)


def result_codes(api: ApiContext, results: Any) -> list[int | None] | None:
    """The per-profile codes of a batch answer's `results`, in order (None if it has none)."""
    if not isinstance(results, list):
        return None
    field = setting(api, "code_field")
    return [as_int(r.get(field)) if isinstance(r, dict) else None for r in results]


def as_int(value: Any) -> int | None:
    """A result code as a number, whether the target sends 1000 or "1000"."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def attrs(api: ApiContext, uid: str) -> dict[str, str]:
    """Attribute values for a new customer, on the keys the client defines."""
    keys = list(setting(api, "attribute_keys"))
    values = {"name": f"Ada {uid}", "email": f"{uid}@example.com", "msisdn": "447700900123"}
    return {k: values.get(k, f"{k}-{uid}") for k in keys[:3]}


def new_customer(api: ApiContext, rid, label: str = "cust", **extra: str) -> tuple[str, dict[str, str]]:
    """Create a customer the run owns; (customerid, attributes)."""
    customerid = api.unique(label)
    attributes = attrs(api, customerid)
    attributes.update(extra)
    response = call(api, "createProfile", body={"profiles": [{"customerid": customerid, "attributes": attributes}]})
    ok(api, rid, response, f"createProfile of new customer {customerid}")
    return customerid, attributes


def app_id(api: ApiContext, which: str = "appid") -> str:
    value = setting(api, which)
    if not value:
        import pytest

        pytest.skip(f"the target names no linked application (setting {which})")
    return value


def new_app_profile(api: ApiContext, rid, customerid: str, key_label: str = "dev", appid: str | None = None,
                    **attributes: str) -> tuple[str, str, dict[str, str]]:
    appid = appid or app_id(api)
    key = api.unique(key_label)
    attributes = attributes or {"handle": f"@{key}"}
    response = call(api, "createAppProfile", body={"appprofiles": [
        {"customerid": customerid, "appid": appid, "appprofilekey": key, "attributes": attributes}]})
    ok(api, rid, response, f"createAppProfile {appid}/{key} for {customerid}")
    return appid, key, attributes


def profile(api: ApiContext, rid, customerid: str, **params: Any) -> dict[str, Any]:
    """getProfile's data, expecting 1000."""
    response = call(api, "getProfile", params={"customerid": customerid, **params})
    body = ok(api, rid, response, f"getProfile of {customerid}")
    data = body.get("data")
    expect(isinstance(data, dict), rid, f"getProfile of {customerid} has no profile data: {describe(response)}")
    return data


def app_profiles(api: ApiContext, rid, customerid: str, appid: str, key: str | None = None) -> list[dict[str, Any]]:
    params = {"customerid": customerid, "appid": appid}
    if key is not None:
        params["appprofilekey"] = key
    response = call(api, "getAppProfile", params=params)
    body = ok(api, rid, response, f"getAppProfile {appid}/{key} of {customerid}")
    data = body.get("data")
    expect(isinstance(data, list), rid, f"getAppProfile has no list of profiles: {describe(response)}")
    return data


def same_message(documented: str, given: Any) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"[\s.]+", " ", text).strip().lower()

    return isinstance(given, str) and norm(documented) == norm(given)


