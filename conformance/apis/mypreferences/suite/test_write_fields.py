"""Body fields whose rules the doc states once per write section: Edited is maintained on every
modification (L262-L264, repeated in each write's body table) and the upsert's Preserve flags
(L686-L692)."""

from __future__ import annotations

import re
import time

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, req

FRACTION = re.compile(r"\d{2}:\d{2}:\d{2}[.,]\d")


def _edited(profile: dict) -> dict:
    return profile.get("Edited") or {}


@req("MP-UPD-101")
def test_modified_date_moves_on_every_kind_of_write(api):
    body = mp.new_profile(api, "edit", Emails=[mp.email(f"{api.unique('edit')}@example.com")])
    profile_id = mp.create(api, body)
    alt = mp.alt_of(body)
    created = _edited(mp.read(api, profile_id)).get("CreateDate")
    expect(bool(created), "a new profile has no Edited.CreateDate")
    writes = (
        ("upsert", "upsertProfileByAlternateId", alt, {"CustomerType": "Upserted"}, 202),
        ("PUT", "replaceProfile", None, dict(body, CustomerType="Put"), (200, 202)),
        ("PUT by alternate id", "replaceProfileByAlternateId", alt, dict(body, CustomerType="PutAlt"), 200),
        ("PATCH", "patchProfile", None, [{"op": "replace", "path": "/CustomerType", "value": "Patched"}],
         (200, 202)),
        ("PATCH by alternate id", "patchProfileByAlternateId", alt,
         {"Operations": [{"op": "replace", "path": "/CustomerType", "value": "PatchedAlt"}]}, (200, 202)),
    )
    for label, operation, params, payload, status in writes:
        before = _edited(mp.read(api, profile_id))
        if not FRACTION.search(str(before.get("ModifiedDate") or "")):
            time.sleep(1.1)  # a server stamping whole seconds: let the second change first
        mp.write(api, operation, profile_id=profile_id, params=params, json=payload, status=status)
        after = _edited(mp.read(api, profile_id))
        expect(after.get("ModifiedDate") and after.get("ModifiedDate") != before.get("ModifiedDate"),
               f"Edited.ModifiedDate did not change on {label}: {before.get('ModifiedDate')!r} -> "
               f"{after.get('ModifiedDate')!r}")
        expect(after.get("CreateDate") == created,
               f"Edited.CreateDate changed on {label}: {created!r} -> {after.get('CreateDate')!r}")


def _email_extras(profile: dict) -> tuple[list, list]:
    first = mp.active(profile.get("Emails"))[0]
    consents = [c.get("ConsentType") for c in mp.active(first.get("Consents"))]
    prefs = [p.get("ProgramId") for p in mp.active(first.get("EmailPreferences"))]
    return consents, prefs


@req("MP-UPD-102")
def test_upsert_honours_the_preserve_flags(api):
    body = mp.rich_profile(api, "upres")
    profile_id = mp.create(api, body)
    alt = mp.alt_of(body)
    consents, prefs = _email_extras(mp.read(api, profile_id))
    expect(bool(consents) and bool(prefs), "the email was created without its consent or preference")
    bare = {k: v for k, v in body["Emails"][0].items() if k not in ("Consents", "EmailPreferences")}

    def upsert(extra: dict) -> tuple[list, list]:
        mp.write(api, "upsertProfileByAlternateId", profile_id=profile_id, params=alt, status=202,
                 json={"Emails": [bare], **extra})
        return _email_extras(mp.read(api, profile_id))

    got = upsert({})
    expect(got == (consents, prefs),
           f"an upsert without Preserve flags changed the email's consents/preferences {(consents, prefs)} -> {got}")
    got = upsert({"PreserveConsents": False})
    expect(not got[0], f"consents still active after an upsert with PreserveConsents false: {got[0]}")
    expect(got[1] == prefs, f"PreserveConsents false also changed the preferences: {prefs} -> {got[1]}")
    got = upsert({"PreservePreferences": False})
    expect(not got[1], f"preferences still active after an upsert with PreservePreferences false: {got[1]}")


@req("MP-UPD-103")
def test_preserve_consents_false_keeps_profile_level_consents(api):
    body = mp.rich_profile(api, "upc")
    profile_id = mp.create(api, body)
    before = [c.get("ConsentType") for c in mp.active(mp.read(api, profile_id).get("Consents"))]
    expect("Privacy" in before, f"the profile was created without its profile-level consent: {before}")
    bare = {k: v for k, v in body["Emails"][0].items() if k != "Consents"}
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"Emails": [bare], "PreserveConsents": False})
    after = mp.read(api, profile_id)
    kept = [c.get("ConsentType") for c in mp.active(after.get("Consents"))]
    expect(kept == before,
           f"PreserveConsents false changed the profile-level consents (not on a contact element): {before} -> {kept}")


@req("MP-UPD-104")
def test_upsert_insert_keeps_the_body(api):
    uid = api.unique("upins")
    alt = {"alternateIdType": mp.alt_type(api), "alternateId": uid}
    payload = {"CustomerType": "Commercial", "CustomerName": {"FirstName": "Ins", "LastName": f"{uid}-Ert"},
               "Emails": [mp.email(f"{uid}@example.com")]}
    response = api.call("upsertProfileByAlternateId", params=alt, json=payload)
    api.conforms(response, status=202)
    profile = mp.wait_complete(api, 0, by_alt=alt)
    expect(profile.get("CustomerType") == "Commercial",
           f"the inserted profile's CustomerType is {profile.get('CustomerType')!r}, not the body's 'Commercial'")
    expect((profile.get("CustomerName") or {}).get("LastName") == f"{uid}-Ert",
           f"the inserted profile's CustomerName is {profile.get('CustomerName')}")
    expect(mp.emails(profile) == [f"{uid}@example.com"], f"the inserted profile's emails are {mp.emails(profile)}")


@req("MP-UPD-105")
def test_put_blanks_every_collection_it_leaves_out(api):
    for label, operation in (("PUT", "replaceProfile"), ("PUT by alternate id", "replaceProfileByAlternateId")):
        body = mp.rich_profile(api, "putall")
        profile_id = mp.create(api, body)
        alt = mp.alt_of(body)
        replacement = {"AlternateIds": body["AlternateIds"], "CustomerName": body["CustomerName"]}
        by_alt = operation == "replaceProfileByAlternateId"
        mp.write(api, operation, profile_id=profile_id, json=replacement,
                 params=alt if by_alt else None, status=200 if by_alt else (200, 202))
        left = {name: sorted(map(str, kept)) for name, kept in mp.keys(mp.read(api, profile_id)).items()
                if kept and name != "AlternateIds"}
        expect(not left, f"collections a {label} left out survived it: {left}")


@req("MP-UPD-106")
def test_update_deactivates_custom_fields_groups_phones_and_alternate_ids(api):
    uid = api.unique("deact")
    extra_alt = {"AlternateIdType": mp.alt_type(api), "AlternateId": f"{uid}-second", "IsActive": True}
    body = mp.rich_profile(api, "deact")
    body["AlternateIds"].append(extra_alt)
    profile_id = mp.create(api, body)
    off = {"CustomFields": [dict(body["CustomFields"][0], IsActive=False)],
           "Groups": [dict(body["Groups"][0], IsActive=False)],
           "PhoneNumbers": [dict(body["PhoneNumbers"][0], IsActive=False)],
           "AlternateIds": [dict(extra_alt, IsActive=False)]}
    mp.write(api, "updateProfile", profile_id=profile_id, json=off)
    after = mp.read(api, profile_id)
    checks = (("CustomFields", "Name", body["CustomFields"][0]["Name"]),
              ("Groups", "GroupName", body["Groups"][0]["GroupName"]),
              ("PhoneNumbers", "PhoneNumber", body["PhoneNumbers"][0]["PhoneNumber"]),
              ("AlternateIds", "AlternateId", extra_alt["AlternateId"]))
    still = [f"{collection} {value!r}" for collection, member, value in checks
             if value in [item.get(member) for item in after.get(collection) or []]]
    expect(not still, f"deactivated elements are still returned: {', '.join(still)}")
