"""Body fields whose rules the doc states once per write section: Edited is maintained on every
modification (L262-L264, repeated in each write's body table) and the upsert's Preserve flags
(L686-L692)."""

from __future__ import annotations

import re
import time

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect

req = pytest.mark.req
FRACTION = re.compile(r"\d{2}:\d{2}:\d{2}[.,]\d")


def _edited(profile: dict) -> dict:
    return profile.get("Edited") or {}


@req("MP-UPD-101")
def test_modified_date_moves_on_every_kind_of_write(api):
    body = mp.new_profile(api, "edit", Emails=[mp.email(f"{api.unique('edit')}@example.com")])
    profile_id = mp.create(api, body, "MP-UPD-101")
    alt = mp.alt_of(body)
    created = _edited(mp.read(api, profile_id, "MP-UPD-101")).get("CreateDate")
    expect(bool(created), "MP-UPD-101", "a new profile has no Edited.CreateDate")
    writes = (
        ("upsert", "POST", mp.BY_ALT, alt, {"CustomerType": "Upserted"}, 202),
        ("PUT", "PUT", mp.BY_ID, None, dict(body, CustomerType="Put"), (200, 202)),
        ("PUT by alternate id", "PUT", mp.BY_ALT, alt, dict(body, CustomerType="PutAlt"), 200),
        ("PATCH", "PATCH", mp.BY_ID, None, [{"op": "replace", "path": "/CustomerType", "value": "Patched"}],
         (200, 202)),
        ("PATCH by alternate id", "PATCH", mp.BY_ALT, alt,
         {"Operations": [{"op": "replace", "path": "/CustomerType", "value": "PatchedAlt"}]}, (200, 202)),
    )
    for label, method, template, params, payload, status in writes:
        before = _edited(mp.read(api, profile_id, "MP-UPD-101"))
        if not FRACTION.search(str(before.get("ModifiedDate") or "")):
            time.sleep(1.1)  # a server stamping whole seconds: let the second change first
        mp.write(api, method, template, "MP-UPD-101", profile_id=profile_id, params=params, body=payload,
                 status=status)
        after = _edited(mp.read(api, profile_id, "MP-UPD-101"))
        expect(after.get("ModifiedDate") and after.get("ModifiedDate") != before.get("ModifiedDate"), "MP-UPD-101",
               f"Edited.ModifiedDate did not change on {label}: {before.get('ModifiedDate')!r} -> "
               f"{after.get('ModifiedDate')!r}")
        expect(after.get("CreateDate") == created, "MP-UPD-101",
               f"Edited.CreateDate changed on {label}: {created!r} -> {after.get('CreateDate')!r}")


def _email_extras(profile: dict) -> tuple[list, list]:
    first = mp.active(profile.get("Emails"))[0]
    consents = [c.get("ConsentType") for c in mp.active(first.get("Consents"))]
    prefs = [p.get("ProgramId") for p in mp.active(first.get("EmailPreferences"))]
    return consents, prefs


@req("MP-UPD-102")
def test_upsert_honours_the_preserve_flags(api):
    body = mp.rich_profile(api, "upres")
    profile_id = mp.create(api, body, "MP-UPD-102")
    alt = mp.alt_of(body)
    consents, prefs = _email_extras(mp.read(api, profile_id, "MP-UPD-102"))
    expect(bool(consents) and bool(prefs), "MP-UPD-102", "the email was created without its consent or preference")
    bare = {k: v for k, v in body["Emails"][0].items() if k not in ("Consents", "EmailPreferences")}

    def upsert(extra: dict) -> tuple[list, list]:
        mp.write(api, "POST", mp.BY_ALT, "MP-UPD-102", profile_id=profile_id, params=alt, status=202,
                 body={"Emails": [bare], **extra})
        return _email_extras(mp.read(api, profile_id, "MP-UPD-102"))

    got = upsert({})
    expect(got == (consents, prefs), "MP-UPD-102",
           f"an upsert without Preserve flags changed the email's consents/preferences {(consents, prefs)} -> {got}")
    got = upsert({"PreserveConsents": False})
    expect(not got[0], "MP-UPD-102", f"consents still active after an upsert with PreserveConsents false: {got[0]}")
    expect(got[1] == prefs, "MP-UPD-102", f"PreserveConsents false also changed the preferences: {prefs} -> {got[1]}")
    got = upsert({"PreservePreferences": False})
    expect(not got[1], "MP-UPD-102",
           f"preferences still active after an upsert with PreservePreferences false: {got[1]}")


@req("MP-UPD-103")
def test_preserve_consents_false_keeps_profile_level_consents(api):
    body = mp.rich_profile(api, "upc")
    profile_id = mp.create(api, body, "MP-UPD-103")
    before = [c.get("ConsentType") for c in mp.active(mp.read(api, profile_id, "MP-UPD-103").get("Consents"))]
    expect("Privacy" in before, "MP-UPD-103", f"the profile was created without its profile-level consent: {before}")
    bare = {k: v for k, v in body["Emails"][0].items() if k != "Consents"}
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-103", profile_id=profile_id,
             body={"Emails": [bare], "PreserveConsents": False})
    after = mp.read(api, profile_id, "MP-UPD-103")
    kept = [c.get("ConsentType") for c in mp.active(after.get("Consents"))]
    expect(kept == before, "MP-UPD-103",
           f"PreserveConsents false changed the profile-level consents (not on a contact element): {before} -> {kept}")


@req("MP-UPD-104")
def test_upsert_insert_keeps_the_body(api):
    uid = api.unique("upins")
    alt = {"alternateIdType": mp.alt_type(api), "alternateId": uid}
    payload = {"CustomerType": "Commercial", "CustomerName": {"FirstName": "Ins", "LastName": f"{uid}-Ert"},
               "Emails": [mp.email(f"{uid}@example.com")]}
    response = mp.call(api, "POST", mp.BY_ALT, params=alt, body=payload)
    api.conforms(response, "POST", mp.BY_ALT, "MP-UPD-104", status=202)
    profile = mp.wait_complete(api, 0, "MP-UPD-104", by_alt=alt)
    expect(profile.get("CustomerType") == "Commercial", "MP-UPD-104",
           f"the inserted profile's CustomerType is {profile.get('CustomerType')!r}, not the body's 'Commercial'")
    expect((profile.get("CustomerName") or {}).get("LastName") == f"{uid}-Ert", "MP-UPD-104",
           f"the inserted profile's CustomerName is {profile.get('CustomerName')}")
    expect(mp.emails(profile) == [f"{uid}@example.com"], "MP-UPD-104",
           f"the inserted profile's emails are {mp.emails(profile)}")


@req("MP-UPD-105")
def test_put_blanks_every_collection_it_leaves_out(api):
    for label, template in (("PUT", mp.BY_ID), ("PUT by alternate id", mp.BY_ALT)):
        body = mp.rich_profile(api, "putall")
        profile_id = mp.create(api, body, "MP-UPD-105")
        alt = mp.alt_of(body)
        replacement = {"AlternateIds": body["AlternateIds"], "CustomerName": body["CustomerName"]}
        mp.write(api, "PUT", template, "MP-UPD-105", profile_id=profile_id, body=replacement,
                 params=alt if template == mp.BY_ALT else None, status=(200, 202) if template == mp.BY_ID else 200)
        left = {name: sorted(map(str, kept)) for name, kept in mp.keys(mp.read(api, profile_id, "MP-UPD-105")).items()
                if kept and name != "AlternateIds"}
        expect(not left, "MP-UPD-105", f"collections a {label} left out survived it: {left}")


@req("MP-UPD-106")
def test_update_deactivates_custom_fields_groups_phones_and_alternate_ids(api):
    uid = api.unique("deact")
    extra_alt = {"AlternateIdType": mp.alt_type(api), "AlternateId": f"{uid}-second", "IsActive": True}
    body = mp.rich_profile(api, "deact")
    body["AlternateIds"].append(extra_alt)
    profile_id = mp.create(api, body, "MP-UPD-106")
    off = {"CustomFields": [dict(body["CustomFields"][0], IsActive=False)],
           "Groups": [dict(body["Groups"][0], IsActive=False)],
           "PhoneNumbers": [dict(body["PhoneNumbers"][0], IsActive=False)],
           "AlternateIds": [dict(extra_alt, IsActive=False)]}
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-106", profile_id=profile_id, body=off)
    after = mp.read(api, profile_id, "MP-UPD-106")
    checks = (("CustomFields", "Name", body["CustomFields"][0]["Name"]),
              ("Groups", "GroupName", body["Groups"][0]["GroupName"]),
              ("PhoneNumbers", "PhoneNumber", body["PhoneNumbers"][0]["PhoneNumber"]),
              ("AlternateIds", "AlternateId", extra_alt["AlternateId"]))
    still = [f"{collection} {value!r}" for collection, member, value in checks
             if value in [item.get(member) for item in after.get(collection) or []]]
    expect(not still, "MP-UPD-106", f"deactivated elements are still returned: {', '.join(still)}")
