"""What the MyPreferences tests share: addressing the account, creating profiles the run owns
(and deleting them at the end, even when tests fail), waiting for queued writes, and small
body builders. Nothing here knows about the mock: it must work against the vendor sandbox."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx

from conformance.suite import ApiContext, Grant, Leftovers, expect, fail

# The five histories (doc 004): kind -> (operation by ProfileId, operation by alternate id).
HISTORY_OPS = {
    "Consents": ("getConsentHistory", "getConsentHistoryByAlternateId"),
    "ContactElements": ("getContactElementHistory", "getContactElementHistoryByAlternateId"),
    "CustomFields": ("getCustomFieldHistory", "getCustomFieldHistoryByAlternateId"),
    "Preferences": ("getPreferenceHistory", "getPreferenceHistoryByAlternateId"),
    "StandardFields": ("getStandardFieldHistory", "getStandardFieldHistoryByAlternateId"),
}
HISTORY_KINDS = tuple(HISTORY_OPS)
CREATES = ("createProfile", "upsertProfileByAlternateId")  # a 2xx POST to these is a create receipt


@dataclass
class State:
    """What the MyPreferences tests share within a run (api.state)."""

    stalled: bool = False  # a write already failed to complete: later waits give up sooner


def setup(api: ApiContext) -> None:
    """Once per run, before the first MyPreferences test (ApiInfo setup)."""
    # The doc never says how a token is obtained: the target gives the header value itself.
    api.use_token_fetcher(lambda: Grant(api.credential("authorization")))
    api.auth_headers = lambda: {"Authorization": api.credential("authorization")}
    api.path_defaults = lambda: {"clientId": api.setting("client_id")}
    track_creations(api)


def history_op(kind: str, *, by_alt: bool = False) -> str:
    """The operationId of one history (a key of HISTORY_OPS), by ProfileId or by alternate id."""
    return HISTORY_OPS[kind][1 if by_alt else 0]


# --- cleanup: everything the run creates, property tests included --------------------------------
def track_creations(api: ApiContext) -> None:
    """Note every profile the run creates (from any test) so that the end of the run deletes it.

    Besides the receipts of creates, any ProfileId the target names in a 2xx answer to a write
    (or in a Location header) that the run did not have before is a profile that write made:
    a faulty target may turn an update into a create. Ids the run sent or read before are never
    taken for its own. The cleanup ends with a search by the run prefix (every name the run
    gives starts with it) and names each profile it could not remove."""
    created: dict[str, set[int]] = {}
    known: dict[str, set[int]] = {}  # ids the run had: sent, or read in any answer
    lock = threading.Lock()
    base = httpx.URL(api.base_url).path.rstrip("/")

    def hook(response: httpx.Response) -> None:
        request = response.request
        path = request.url.path[len(base):] if request.url.path.startswith(base) else request.url.path
        parts = path.strip("/").split("/")
        if len(parts) < 2 or parts[1] != "Profile":
            return
        account = unquote(parts[0])
        sent = {int(p) for p in parts[2:] if p.isdigit()}
        try:
            sent |= _profile_ids(json.loads(request.content)) if request.content else set()
        except ValueError:
            pass
        body = _json_or_none(response) if response.is_success else None
        said = _profile_ids(body, top=True)  # what the answer names as its own subject
        location = response.headers.get("location", "")
        said |= {int(p) for p in re.findall(r"/Profile(?:/[^/?#]+)*?/(\d+)(?=$|[/?#])", location)}
        write = request.method in ("POST", "PUT", "PATCH")
        receipt = request.method == "POST" and response.status_code in (200, 201, 202) and _creates(request)
        with lock:
            had = known.setdefault(account, set())
            had |= sent
            if write and response.is_success:
                new = said if receipt else {i for i in said if i not in had}
                if new:
                    created.setdefault(account, set()).update(new)
            had |= said | _profile_ids(body)

    def delete_all() -> None:
        leftovers = []
        with lock:
            owned = {account: sorted(ids) for account, ids in created.items()}
        doomed = [{"clientId": account, "profileId": profile_id} for account, ids in owned.items() for profile_id in ids]
        # Each delete waits out a round trip: `cleanup_in_flight` of them at once.
        for call, response in zip(doomed, api.call_each("deleteProfile", doomed,
                                                        concurrency=int(api.setting("cleanup_in_flight")))):
            if not (response.is_success or response.status_code == 404):
                leftovers.append(f"{call['clientId']}/Profile/{call['profileId']} (DELETE answered {response.status_code})")
        accounts = list(dict.fromkeys([api.setting("client_id"), api.setting("other_client_id"), *owned]))
        for account in [a for a in accounts if a]:
            leftovers += _sweep_prefix(api, account)
        if leftovers:
            raise Leftovers(leftovers)

    def _creates(request: httpx.Request) -> bool:
        try:
            method, template = api.operation_of(request)
        except LookupError:
            return False
        return api.operation(method, template).get("operationId") in CREATES

    api.client.response_hooks.append(hook)
    api.on_cleanup("delete the profiles the run created", delete_all)


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _profile_ids(body: Any, *, top: bool = False) -> set[int]:
    """Every integer ProfileId in an answer; with top=True only those of the answer itself (or of
    the items of a top-level list), not ids it merely refers to."""
    found: set[int] = set()
    stack = list(body) if top and isinstance(body, list) else [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            value = item.get("ProfileId")
            if isinstance(value, int) and not isinstance(value, bool):
                found.add(value)
            if not top:
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list) and not top:
            stack.extend(item)
    return found


def _carries_prefix(api: ApiContext, profile: Any) -> bool:
    """A profile the run named: its last name or an alternate id starts with (or holds) the run prefix."""
    if not isinstance(profile, dict):
        return False
    prefix = api.run.prefix
    name = (profile.get("CustomerName") or {}).get("LastName") if isinstance(profile.get("CustomerName"), dict) else None
    alts = [a.get("AlternateId") for a in profile.get("AlternateIds") or [] if isinstance(a, dict)]
    return any(isinstance(v, str) and prefix in v for v in [name, *alts])


def _sweep_prefix(api: ApiContext, account: str) -> list[str]:
    """Search the account by the run prefix (partial last name, 004#L10027), delete what the run
    named, search again; the profiles still found are leftovers."""
    def search() -> list[int] | str:
        response = api.call("searchProfilesByPartialName", clientId=account, params={"lastName": api.run.prefix})
        body = _json_or_none(response)
        if response.status_code == 404:  # no match (the doc documents 404 on every search)
            return []
        if response.status_code == 403:  # more than 50 matches (004#L10029): they cannot be listed
            return f"{account}: more than 50 profiles carry the run prefix {api.run.prefix} (search answered 403)"
        if response.status_code != 200 or not isinstance(body, list):
            return []  # no search to rely on: the tracked ids above are all the cleanup knows
        return [p["ProfileId"] for p in body if _carries_prefix(api, p) and isinstance(p.get("ProfileId"), int)]

    found = search()
    if isinstance(found, str):
        return [found]
    for profile_id in found:
        api.call("deleteProfile", clientId=account, profileId=profile_id)
    again = search() if found else []
    if isinstance(again, str):
        return [again]
    return [f"{account}/Profile/{i} (still found by the run prefix {api.run.prefix})" for i in again]


# --- profiles ----------------------------------------------------------------------------------------
def alt_type(api: ApiContext) -> str:
    return api.setting("alternate_id_type")


def new_profile(api: ApiContext, label: str = "p", **extra: Any) -> dict[str, Any]:
    """A profile body the run owns: a run-unique alternate id and names."""
    uid = api.unique(label)
    body: dict[str, Any] = {
        "AlternateIds": [{"AlternateIdType": alt_type(api), "AlternateId": uid}],
        "CustomerName": {"FirstName": "Ada", "LastName": f"{uid}-Lovelace"},
        "CustomerType": "Retail",
    }
    body.update(extra)
    return body


def digits(text: str, n: int = 10) -> str:
    """Run-unique digits (a phone number) derived from a run-unique label."""
    return str(int(hashlib.sha256(text.encode()).hexdigest(), 16))[:n]


def alt_of(body: dict[str, Any]) -> dict[str, str]:
    first = body["AlternateIds"][0]
    return {"alternateIdType": first["AlternateIdType"], "alternateId": first["AlternateId"]}


def create(api: ApiContext, body: dict[str, Any], *, wait: bool = True, ids: Any = None) -> int:
    """POST /{clientId}/Profile; the new ProfileId (after processing, unless wait=False)."""
    response = api.call("createProfile", json=body)
    receipt = api.conforms(response, status=(200, 202), ids=ids)
    profile_id = receipt.get("ProfileId") if isinstance(receipt, dict) else None
    expect(isinstance(profile_id, int), f"the create receipt has no integer ProfileId: {receipt!r}", ids=ids)
    if wait:
        wait_complete(api, profile_id, ids=ids)
    return profile_id


def get(api: ApiContext, profile_id: int, **params: Any) -> httpx.Response:
    return api.call("getProfile", params=params or None, profileId=profile_id)


def read(api: ApiContext, profile_id: int, *, ids: Any = None, **params: Any) -> dict[str, Any]:
    return api.conforms(get(api, profile_id, **params), status=200, ids=ids)


def wait_complete(api: ApiContext, profile_id: int, *, by_alt: dict | None = None, ids: Any = None) -> dict[str, Any]:
    """Poll the profile until its queued writes are processed (UpdateStatus "Complete").
    By alternate id, a 404 while waiting is a profile whose creation is still queued."""
    timeout = float(api.setting("completion_timeout"))
    if api.state.stalled:
        timeout = min(timeout, 1.0)  # the target already left a write pending for the full timeout
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        if by_alt is not None:
            response = api.call("getProfileByAlternateId", params=by_alt)
            if response.status_code == 404 and time.monotonic() < deadline:
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            body = api.conforms(response, status=200, ids=ids)
        else:
            body = read(api, profile_id, ids=ids)
        status = body.get("UpdateStatus")
        expect(status in ("Complete", "Pending Update", None),
               f"UpdateStatus {status!r} is neither 'Complete' nor 'Pending Update'", ids=ids)
        if status in ("Complete", None):
            return body
        if time.monotonic() > deadline:
            api.state.stalled = True
            fail(f"profile {profile_id} still 'Pending Update' after {timeout:.0f} s", ids=ids)
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def write(api: ApiContext, operation_id: str, *, profile_id: int, json: Any = None, params: dict | None = None,
          status=(200, 202), by_alt: dict | None = None, ids: Any = None, **path: Any) -> Any:
    """A write that must be accepted (`status`); returns its body once the profile is processed
    (waited for by alternate id when `by_alt` gives it: a write that may create the profile)."""
    response = api.call(operation_id, params=params, json=json, profileId=profile_id, **path)
    answer = api.conforms(response, status=status, ids=ids)
    wait_complete(api, profile_id, by_alt=by_alt, ids=ids)
    return answer


def active(items: list | None) -> list:
    return [item for item in (items or []) if item.get("IsActive", True) is not False]


def emails(profile: dict[str, Any]) -> list[str]:
    return [e.get("EmailAddress") for e in active(profile.get("Emails"))]


def email(address: str, kind: str = "Personal", **extra: Any) -> dict[str, Any]:
    return {"EmailAddress": address, "EmailAddressType": kind, "IsActive": True, **extra}


def ids_of(profiles: list[dict[str, Any]]) -> set[int]:
    return {p.get("ProfileId") for p in profiles}


def search(api: ApiContext, operation_id: str, params: Any, *, status=200, ids: Any = None, **path: Any) -> Any:
    """A search's results. A 404 is no match (the doc documents 404 on every search and never
    says what a search with no match answers: spec x-doc-note, MP-SRCH-029), read as [].
    Every search helper goes through here (a search that should match then fails on its set)."""
    response = api.call(operation_id, params=params, **path)
    if response.status_code == 404 and status == 200:
        return []
    return api.conforms(response, status=status, ids=ids)


# --- every operation, with plausible arguments (auth and account checks walk them all) -----------
def every_operation(api: ApiContext, profile_id: int, alt: dict[str, str]) -> list[dict[str, Any]]:
    """One well-formed request per operation of the spec, aimed at an existing profile: the
    arguments of api.call (send() sends one) and a label for messages."""
    requests = []
    dummy = {
        "city": "Springfield", "stateProvince": "IL", "emailAddress": "nobody@example.com", "lastName": "Nobody",
        "phoneNumber": "5550100", "groupType": "Household", "groupName": "cfx-none",
        "customFields[0].Name": "cfx", "customFields[0].Value": "none", "customFields[0].OperatorId": 1,
        "attributes[0].Key": "cfx", "attributes[0].Value": "none", "tag[0]": "cfx-none",
    }
    for template, item in api.spec["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            params = {}
            for param in list(item.get("parameters", [])) + list(op.get("parameters", [])):
                if param["in"] == "query" and param.get("required"):
                    name = param["name"]
                    params[name] = alt.get(name, dummy.get(name, "x"))
            body: Any = None
            if "requestBody" in op:
                op_id = op["operationId"]
                if op_id == "patchProfile":
                    body = []
                elif op_id == "patchProfileByAlternateId":
                    body = {"Operations": []}
                elif op_id == "archivePreferences":
                    body = {"GlobalDeactivate": False}
                else:
                    body = {"CustomerType": "Retail"}
            requests.append({"operationId": op["operationId"], "params": params or None, "json": body,
                             "profileId": profile_id, "label": f"{method.upper()} {template}"})
    return requests


def send(api: ApiContext, request: dict[str, Any], **overrides: Any) -> httpx.Response:
    """One request of every_operation(); `overrides` are api.call arguments (auth=False,
    clientId=..., profileId=..., json=...)."""
    args = {k: v for k, v in request.items() if k not in ("label", "operationId")}
    args.update(overrides)
    return api.call(request["operationId"], **args)


def consent(kind: str = "Marketing", version: str = "1", status: int = 1, **extra: Any) -> dict[str, Any]:
    return {"ConsentType": kind, "ConsentVersion": version, "Locale": "en_US", "ConsentStatus": status,
            "IsActive": True, **extra}


def preference(program: str, filter_id: str, status: str = "OptIn", **extra: Any) -> dict[str, Any]:
    return {"ProgramId": program, "ChannelId": "Email", "FilterId": filter_id, "PreferenceStatus": status, **extra}


def rich_profile(api: ApiContext, label: str = "rich") -> dict[str, Any]:
    """A profile with something in every collection, all run-unique."""
    uid = api.unique(label)
    return new_profile(
        api, label,
        Emails=[email(f"{uid}@example.com", Consents=[consent("EmailMarketing")],
                      EmailPreferences=[preference("Newsletter", "Weekly")])],
        PhoneNumbers=[{"PhoneNumber": "555" + uid[-4:].rjust(4, "0"), "PhoneType": "Mobile", "IsActive": True,
                       "PhonePreferences": [preference("Alerts", "Daily")]}],
        Addresses=[{"AddressType": "Home", "Address1": f"1 {uid} Street", "City": "Springfield",
                    "StateProvince": "IL", "PostalCode": "62701", "IsActive": True}],
        CustomFields=[{"Name": "Loyalty", "Value": "Gold", "IsActive": True}],
        Groups=[{"GroupType": "Household", "GroupName": uid, "IsPrimary": True, "IsActive": True}],
        ProfileTags=[{"Name": f"{uid}-tag"}],
        Consents=[consent("Privacy")],
        ProfilePreferences=[preference("Offers", "Monthly")],
    )


def keys(profile: dict[str, Any]) -> dict[str, set]:
    """The identity of every active element, per collection: to compare what a write kept."""
    def of(items, *names):
        return {tuple(item.get(n) for n in names) for item in active(items)}

    return {
        "Emails": of(profile.get("Emails"), "EmailAddress", "EmailAddressType"),
        "PhoneNumbers": of(profile.get("PhoneNumbers"), "PhoneNumber", "PhoneType"),
        "Addresses": of(profile.get("Addresses"), "AddressType", "Address1"),
        "CustomFields": of(profile.get("CustomFields"), "Name", "Value"),
        "Groups": of(profile.get("Groups"), "GroupType", "GroupName"),
        "ProfileTags": of(profile.get("ProfileTags"), "Name"),
        "AlternateIds": of(profile.get("AlternateIds"), "AlternateIdType", "AlternateId"),
        "Consents": of(profile.get("Consents"), "ConsentType", "ConsentVersion"),
        "ProfilePreferences": of(profile.get("ProfilePreferences"), "ProgramId", "FilterId"),
    }
