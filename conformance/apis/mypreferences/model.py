"""The MyPreferences profile document as the doc describes its rules, free of HTTP: how writes
merge or replace (004 L276-L282, L362, L2910-L2912), which elements a read shows, what each history
endpoint keeps, and how each search matches. The mock (mock.py) wires these to routes; a fault
switches one rule off through `has`."""

from __future__ import annotations

import copy
import re
from typing import Any, Callable

Has = Callable[[str], bool]

CONTACTS = {"Emails": "EmailPreferences", "PhoneNumbers": "PhonePreferences", "Addresses": "AddressPreferences"}
COLLECTIONS = ("Consents", "CustomFields", "Groups", "ProfileTags", "Addresses", "Emails", "PhoneNumbers",
               "ProfilePreferences", "AlternateIds")
SCALARS = ("IsActive", "RegistrationConfirmed", "CustomerType", "DefaultLocale", "ReasonCode")
READ_ONLY = ("ProfileId", "Edited", "UpdateStatus", "PreserveConsents", "PreservePreferences")
PREF_LISTS = ("ProfilePreferences",) + tuple(CONTACTS.values())
NOT_DIGIT = re.compile(r"\D")


def digits(value: Any) -> str:
    return NOT_DIGIT.sub("", str(value or ""))


def low(value: Any) -> str:
    return str(value or "").strip().lower()


# --- identity of elements: what makes an incoming element "the same" as a stored one ------------
def key_of(collection: str, item: dict[str, Any], has: Has) -> tuple:
    if collection == "Emails":
        return (low(item.get("EmailAddress")), low(item.get("EmailAddressType")))
    if collection == "PhoneNumbers":
        return (digits(item.get("PhoneNumber")), low(item.get("PhoneType")))
    if collection == "Addresses":
        return tuple(low(item.get(k)) for k in ("AddressType", "Address1", "City", "StateProvince", "PostalCode"))
    if collection == "CustomFields":
        if has("mp-customfield-duplicated"):
            return (low(item.get("Name")), item.get("Value"))
        return (low(item.get("Name")),)
    if collection == "Groups":
        return (low(item.get("GroupType")), low(item.get("GroupName")))
    if collection == "ProfileTags":
        return (low(item.get("Name")),)
    if collection == "AlternateIds":
        return (item.get("AlternateIdType"), item.get("AlternateId"))
    if collection == "Consents":
        return (item.get("ConsentType"), item.get("ConsentVersion"), item.get("Locale"))
    return (item.get("ProgramId"), item.get("ChannelId"), item.get("FilterId"))  # preferences


def is_active(item: Any) -> bool:
    return not (isinstance(item, dict) and item.get("IsActive") is False)


def alt_pairs(doc: dict[str, Any], *, inactive: bool = False) -> list[tuple]:
    return [(a.get("AlternateIdType"), a.get("AlternateId")) for a in doc.get("AlternateIds") or []
            if isinstance(a, dict) and (inactive or is_active(a))]


# --- writes -------------------------------------------------------------------------------------
def clean_body(body: dict[str, Any]) -> dict[str, Any]:
    """The writable part of a request body: read-only members are ignored (L262, L292)."""
    return {k: copy.deepcopy(v) for k, v in body.items() if k not in READ_ONLY}


def stamp(item: dict[str, Any], now: str, *, created: bool) -> None:
    edited = dict(item.get("Edited") or {}) if not created else {}
    if created:
        edited.update(CreateDate=now, CreatedBy="api")
    edited.update(ModifiedDate=now, ModifiedBy="api")
    item["Edited"] = edited


def merge_list(collection: str, stored: list, incoming: list, now: str, has: Has) -> list:
    out = [copy.deepcopy(x) for x in stored]
    index = {key_of(collection, x, has): i for i, x in enumerate(out) if isinstance(x, dict)}
    for item in incoming:
        if not isinstance(item, dict):  # where the spec lets a list hold anything: kept as given
            out.append(copy.deepcopy(item))
            continue
        k = key_of(collection, item, has)
        if k in index and not has("mp-update-replaces-collections"):
            target = out[index[k]]
            for name, value in item.items():
                if (name in ("Consents", "ConsentAssociations") or name in PREF_LISTS) and isinstance(value, list):
                    kind = "Consents" if name == "Consents" else "Preferences"
                    target[name] = merge_list(kind, target.get(name) or [], value or [], now, has)
                elif name == "IsActive" and collection == "CustomFields" and has("mp-deactivation-ignored"):
                    continue  # the stored field stays active
                elif name != "Edited":
                    target[name] = copy.deepcopy(value)
            if collection not in ("ProfileTags", "Preferences") and not has("mp-edited-missing"):
                stamp(target, now, created=False)
        else:
            new = copy.deepcopy(item)
            new.pop("Edited", None)
            if collection not in ("ProfileTags", "Preferences") and not has("mp-edited-missing"):
                stamp(new, now, created=True)
            index[k] = len(out)
            out.append(new)
    return out


def merge(doc: dict[str, Any], body: dict[str, Any], now: str, has: Has) -> dict[str, Any]:
    """POST update / upsert: what the body names changes, what it leaves out stays (L362)."""
    preserve_consents = body.get("PreserveConsents", True)
    preserve_preferences = body.get("PreservePreferences", True)
    if has("mp-preserve-ignored"):
        preserve_consents = preserve_preferences = True
    if has("mp-preserve-default-false"):
        preserve_consents = body.get("PreserveConsents", False)
        preserve_preferences = body.get("PreservePreferences", False)
    body = clean_body(body)
    out = copy.deepcopy(doc)
    if not preserve_consents:
        _drop_nested(out, ("Consents",), keep=body)
        if has("mp-preserve-consents-all"):
            out["Consents"] = []
    if not preserve_preferences:
        _drop_nested(out, PREF_LISTS, keep=body)
    if has("mp-update-replaces"):
        return replace(out, body, now, has)
    for name, value in body.items():
        if name in COLLECTIONS:
            out[name] = merge_list(name, out.get(name) or [], value or [], now, has)
        elif name == "CustomerName" and isinstance(value, dict):
            out[name] = {**(out.get(name) or {}), **value}
        else:
            out[name] = value
    return out


def _drop_nested(doc: dict[str, Any], lists: tuple[str, ...], keep: dict[str, Any]) -> None:
    """PreserveConsents/PreservePreferences false: the stored contact-element consents (or all
    preferences) are deactivated; what the body re-submits is merged back afterwards."""
    for contact in CONTACTS:
        for element in doc.get(contact) or []:
            for name in lists:
                if name in element and (name == "Consents" or name in CONTACTS.values()):
                    element[name] = []
    if "ProfilePreferences" in lists:
        doc["ProfilePreferences"] = []


def replace(doc: dict[str, Any], body: dict[str, Any], now: str, has: Has) -> dict[str, Any]:
    """PUT: the body becomes the profile; what it omits is blank afterwards (L2910-L2912)."""
    if has("mp-put-merges"):
        return merge(doc, body, now, lambda name: False)
    out = clean_body(body)
    if has("mp-put-keeps-consents") and "Consents" not in out and doc.get("Consents"):
        out["Consents"] = copy.deepcopy(doc["Consents"])  # omitted profile-level consents survive the PUT
    out["ProfileId"] = doc["ProfileId"]
    edited = dict(doc.get("Edited") or {})
    out["Edited"] = edited
    for name in COLLECTIONS:
        if name in out and isinstance(out[name], list):
            out[name] = merge_list(name, [], out[name], now, has)
    return out


# --- reads --------------------------------------------------------------------------------------
REVEALED = ("AlternateIds",) + tuple(CONTACTS)  # what matchInactive=true also returns (L787)


def view(doc: dict[str, Any], *, inactive: bool = False, has: Has = lambda n: False) -> dict[str, Any]:
    """What a read returns: inactive elements left out (L761); matchInactive reveals inactive alternate
    ids and contact elements only (L787): inactive consents, custom fields, ... stay out."""
    out = copy.deepcopy(doc)
    if has("mp-inactive-returned") or (inactive and has("mp-match-inactive-reveals-all")):
        return out
    revealed: tuple[str, ...] = ()
    if inactive:
        revealed = REVEALED
        if has("mp-match-inactive-no-alt-ids"):
            revealed = tuple(CONTACTS)
        if has("mp-match-inactive-emails-only"):
            revealed = ("AlternateIds", "Emails")
        if has("mp-match-inactive-reveals-consents"):
            revealed += ("Consents",)
    for name in COLLECTIONS:
        if isinstance(out.get(name), list) and name not in revealed:
            out[name] = [x for x in out[name] if is_active(x)]
    for contact in CONTACTS:
        for element in out.get(contact) or []:
            if isinstance(element.get("Consents"), list):
                element["Consents"] = [c for c in element["Consents"] if is_active(c)]
    return out


def all_preferences(doc: dict[str, Any]) -> list[dict[str, Any]]:
    prefs = list(doc.get("ProfilePreferences") or [])
    for contact, inner in CONTACTS.items():
        for element in doc.get(contact) or []:
            if is_active(element):
                prefs.extend(element.get(inner) or [])
    return prefs


# --- history (L4047-L7020): a record per change of each kind, kept with the modified date -------
BASIC = ("ProfileId", "CustomerName", "CustomerType", "IsActive", "AlternateIds", "Edited")
STANDARD = ("CustomerName", "CustomerType", "IsActive", "RegistrationConfirmed", "DefaultLocale", "ReasonCode")


def changes(old: dict[str, Any] | None, new: dict[str, Any], now: str, has: Has) -> dict[str, list]:
    """What a write changed, per history kind, as the entries to append."""
    old = old or {}
    out: dict[str, list] = {"Consents": [], "ContactElements": [], "CustomFields": [], "Preferences": [],
                            "StandardFields": []}

    def changed(collection: str, before: list, after: list) -> list:
        known = {key_of(collection, x, has): x for x in before or []}
        return [x for x in after or [] if known.get(key_of(collection, x, has)) != x]

    for consent in changed("Consents", old.get("Consents"), new.get("Consents")):
        out["Consents"].append(_dated(consent, now))
    bare = ("Consents",) if has("mp-contact-history-no-consents") else ()
    for contact, inner in CONTACTS.items():
        strip = lambda e: {k: v for k, v in e.items() if k != inner and k not in bare}  # noqa: E731
        before = [strip(e) for e in old.get(contact) or []]
        for element in changed(contact, before, [strip(e) for e in new.get(contact) or []]):
            out["ContactElements"].append((contact, _dated(element, now)))
    for field in changed("CustomFields", old.get("CustomFields"), new.get("CustomFields")):
        out["CustomFields"].append(_dated(field, now))
    old_prefs = {(where, key_of("Preferences", p, has)): p for where, p in _located_prefs(old)}
    for where, pref in _located_prefs(new):
        if old_prefs.get((where, key_of("Preferences", pref, has))) != pref:
            out["Preferences"].append((where, {**copy.deepcopy(pref), "LastModifiedDate": now}))
    if not old or any(old.get(k) != new.get(k) for k in STANDARD):
        out["StandardFields"].append({**{k: copy.deepcopy(new[k]) for k in STANDARD if k in new},
                                      "Edited": {**(new.get("Edited") or {}), "ModifiedDate": now}})
    return out


def _dated(item: dict[str, Any], now: str) -> dict[str, Any]:
    entry = copy.deepcopy(item)
    entry["Edited"] = {**(entry.get("Edited") or {}), "ModifiedDate": now}
    return entry


def _located_prefs(doc: dict[str, Any]) -> list[tuple[tuple, dict]]:
    out = [(("ProfilePreferences",), p) for p in doc.get("ProfilePreferences") or []]
    for contact, inner in CONTACTS.items():
        for element in doc.get(contact) or []:
            where = (contact, key_of(contact, element, lambda n: False))
            out.extend((where, p) for p in element.get(inner) or [])
    return out


def history_document(kind: str, doc: dict[str, Any], log: dict[str, list], filter_id: str | None,
                     has: Has) -> dict[str, Any]:
    basic = {k: copy.deepcopy(doc[k]) for k in ("ProfileId", "CustomerName", "AlternateIds") if k in doc}
    whole = has("mp-history-whole-profile")
    if whole:  # every history built on the whole current profile
        basic = copy.deepcopy(doc)
    if kind == "Consents":
        entries = sorted(log["Consents"], key=lambda c: (str(c.get("ConsentType")), str(c.get("ConsentVersion")),
                                                         c["Edited"]["ModifiedDate"]))
        if has("mp-consent-history-current"):
            entries = list({key_of("Consents", c, has): c for c in entries}.values())
        if has("mp-history-unordered"):
            entries.reverse()
        out = {**basic, "Consents": entries}
        if has("mp-history-leaks"):
            out["CustomFields"] = copy.deepcopy(doc.get("CustomFields") or [])
        return out
    if kind == "ContactElements":
        out = dict(basic)
        for contact, element in log["ContactElements"]:
            if has("mp-contact-history-emails-only") and contact != "Emails":
                continue
            out.setdefault(contact, []).append(element)
        return out
    if kind == "CustomFields":
        entries = list(log["CustomFields"])
        if has("mp-history-latest-only"):
            latest: dict = {}
            for e in entries:
                latest[low(e.get("Name"))] = e
            entries = list(latest.values())
        return {**basic, "CustomFields": entries}
    if kind == "Preferences":
        out = dict(basic)
        located = log["Preferences"]
        if has("mp-preference-history-current"):
            located = list({(where, key_of("Preferences", p, has)): (where, p) for where, p in located}.values())
        for where, pref in located:
            if filter_id is not None and pref.get("FilterId") != filter_id and not has("mp-history-filter-ignored") \
                    and not (has("mp-history-filter-profile-only") and where[0] != "ProfilePreferences"):
                continue
            if where[0] == "ProfilePreferences":
                out.setdefault("ProfilePreferences", []).append(pref)
                continue
            if has("mp-preference-history-profile-only"):
                continue
            contact, key = where
            elements = out.setdefault(contact, [])
            holder = next((e for e in elements if e.get("_key") == key), None)
            if holder is None:
                holder = _contact_stub(contact, key)
                elements.append(holder)
            holder.setdefault(CONTACTS[contact], []).append(pref)
        for contact in CONTACTS:
            for element in out.get(contact) or []:
                element.pop("_key", None)
        return out
    entries = []
    for snapshot in log["StandardFields"]:
        entry = {**(copy.deepcopy(doc) if whole else {}), "ProfileId": doc["ProfileId"], **copy.deepcopy(snapshot)}
        entry["AlternateIds"] = copy.deepcopy([a for a in doc.get("AlternateIds") or [] if is_active(a)])
        if has("mp-standard-history-old-ids"):  # the ids the profile had when the entry was written
            written = entry["Edited"]["ModifiedDate"]
            entry["AlternateIds"] = [a for a in entry["AlternateIds"]
                                     if str((a.get("Edited") or {}).get("CreateDate") or "") <= written]
        entries.append(entry)
    if has("mp-standard-history-latest"):
        entries = entries[-1:]
    if has("mp-standard-history-newest-first"):
        entries.reverse()
    return {"UserProfilePreferences": entries}


def _contact_stub(contact: str, key: tuple) -> dict[str, Any]:
    names = {"Emails": ("EmailAddress", "EmailAddressType"), "PhoneNumbers": ("PhoneNumber", "PhoneType"),
             "Addresses": ("AddressType", "Address1", "City", "StateProvince", "PostalCode")}[contact]
    return {"_key": key, **dict(zip(names, key))}


# --- searches (L7429-L14299) ---------------------------------------------------------------------
def text_match(stored: Any, wanted: str, partial: bool) -> bool:
    return low(wanted) in low(stored) if partial else low(stored) == low(wanted)


def name_matches(doc: dict[str, Any], first: str | None, middle: str | None, last: str | None,
                 partial: bool) -> bool:
    name = doc.get("CustomerName") or {}
    for member, wanted in (("FirstName", first), ("MiddleName", middle), ("LastName", last)):
        if wanted is not None and not text_match(name.get(member), wanted, partial):
            return False
    return True


def active_items(doc: dict[str, Any], collection: str) -> list[dict[str, Any]]:
    return [x for x in doc.get(collection) or [] if isinstance(x, dict) and is_active(x)]
