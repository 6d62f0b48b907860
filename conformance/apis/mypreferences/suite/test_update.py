"""POST update merges, PUT replaces, the alternate-id upsert creates then updates (doc L25,
L362, L588, L2912) and the Preserve flags (L278, L282)."""

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect

req = pytest.mark.req


def _rich(api, rid):
    body = mp.rich_profile(api)
    profile_id = mp.create(api, body, rid)
    return profile_id, body, mp.read(api, profile_id, rid)


@req("MP-UPD-001")
def test_update_leaves_what_it_does_not_name(api):
    profile_id, _, before = _rich(api, "MP-UPD-001")
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-001", profile_id=profile_id,
             body={"CustomerName": {"FirstName": "Grace", "LastName": before["CustomerName"]["LastName"]}})
    after = mp.read(api, profile_id, "MP-UPD-001")
    for collection, kept in mp.keys(before).items():
        expect(mp.keys(after)[collection] == kept, "MP-UPD-001",
               f"an update naming only CustomerName changed {collection}: {sorted(kept)} -> {sorted(mp.keys(after)[collection])}")
    expect(after.get("CustomerType") == before.get("CustomerType"), "MP-UPD-001", "CustomerType changed")


@req("MP-UPD-002")
def test_update_changes_what_it_names(api):
    profile_id, _, before = _rich(api, "MP-UPD-002")
    name = dict(before["CustomerName"], FirstName="Grace")
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-002", profile_id=profile_id,
             body={"CustomerName": name, "CustomerType": "Commercial"})
    after = mp.read(api, profile_id, "MP-UPD-002")
    expect(after["CustomerName"].get("FirstName") == "Grace" and after.get("CustomerType") == "Commercial",
           "MP-UPD-002", f"the update did not apply: {after.get('CustomerName')}, {after.get('CustomerType')!r}")


@req("MP-UPD-003")
def test_update_adds_an_email_and_keeps_the_others(api):
    profile_id, body, before = _rich(api, "MP-UPD-003")
    new = mp.email(f"{api.unique('added')}@example.com", "Work")
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-003", profile_id=profile_id, body={"Emails": [new]})
    got = set(mp.emails(mp.read(api, profile_id, "MP-UPD-003")))
    want = set(mp.emails(before)) | {new["EmailAddress"]}
    expect(got == want, "MP-UPD-003", f"emails after adding one: {sorted(got)}, expected {sorted(want)}")


@req("MP-UPD-004")
def test_update_of_a_named_custom_field_replaces_its_value(api):
    profile_id, _, _ = _rich(api, "MP-UPD-004")
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-004", profile_id=profile_id,
             body={"CustomFields": [{"Name": "Loyalty", "Value": "Platinum", "IsActive": True}]})
    fields = [(f.get("Name"), f.get("Value")) for f in mp.active(mp.read(api, profile_id, "MP-UPD-004").get("CustomFields"))]
    expect(fields == [("Loyalty", "Platinum")], "MP-UPD-004", f"custom fields after the update: {fields}")


@req("MP-UPD-005")
def test_put_blanks_what_it_leaves_out(api):
    profile_id, body, _ = _rich(api, "MP-UPD-005")
    replacement = {"AlternateIds": body["AlternateIds"], "CustomerName": body["CustomerName"]}
    mp.write(api, "PUT", mp.BY_ID, "MP-UPD-005", profile_id=profile_id, body=replacement)
    after = mp.read(api, profile_id, "MP-UPD-005")
    expect(not mp.active(after.get("Emails")), "MP-UPD-005", f"Emails survived a PUT without them: {mp.emails(after)}")
    expect(not mp.active(after.get("CustomFields")), "MP-UPD-005", "CustomFields survived a PUT without them")
    expect(after.get("CustomerType") in (None, ""), "MP-UPD-005",
           f"CustomerType survived a PUT without it: {after.get('CustomerType')!r}")


@req("MP-UPD-006")
def test_put_replaces_collections(api):
    profile_id, body, _ = _rich(api, "MP-UPD-006")
    only = mp.email(f"{api.unique('only')}@example.com")
    mp.write(api, "PUT", mp.BY_ID, "MP-UPD-006", profile_id=profile_id, body=dict(body, Emails=[only]))
    got = mp.emails(mp.read(api, profile_id, "MP-UPD-006"))
    expect(got == [only["EmailAddress"]], "MP-UPD-006", f"emails after a PUT with one: {got}")


@req("MP-UPD-007")
def test_put_keeps_the_profile_id(api):
    profile_id, body, _ = _rich(api, "MP-UPD-007")
    response = mp.call(api, "PUT", mp.BY_ID, body=mp.new_profile(api, "put"), profileId=profile_id)
    api.conforms(response, "PUT", mp.BY_ID, "MP-UPD-007", status=(200, 202))
    after = mp.wait_complete(api, profile_id, "MP-UPD-007")
    expect(after.get("ProfileId") == profile_id, "MP-UPD-007", f"the PUT changed ProfileId to {after.get('ProfileId')}")


@req("MP-UPD-008")
def test_put_by_alternate_id_replaces(api):
    profile_id, body, _ = _rich(api, "MP-UPD-008")
    alt = mp.alt_of(body)
    mp.write(api, "PUT", mp.BY_ALT, "MP-UPD-008", profile_id=profile_id, params=alt, status=200,
             body={"CustomerName": {"FirstName": "Only", "LastName": "Name"}})
    after = mp.read(api, profile_id, "MP-UPD-008")
    expect(after["CustomerName"].get("FirstName") == "Only", "MP-UPD-008", "the PUT by alternate id did not apply")
    expect(not mp.active(after.get("Emails")) and not mp.active(after.get("CustomFields")), "MP-UPD-008",
           "collections the PUT left out survived it")


@req("MP-UPD-009")
def test_put_by_unknown_alternate_id_is_not_an_upsert(api):
    alt = {"alternateIdType": mp.alt_type(api), "alternateId": api.unique("nobody")}
    response = mp.call(api, "PUT", mp.BY_ALT, params=alt, body=mp.new_profile(api, "ghost"))
    api.conforms(response, "PUT", mp.BY_ALT, "MP-UPD-009", status=404)
    expect(mp.call(api, "GET", mp.BY_ALT, params=alt).status_code == 404, "MP-UPD-009", "the PUT created a profile")


@req("MP-UPD-010")
def test_upsert_creates(api):
    alt = {"alternateIdType": mp.alt_type(api), "alternateId": api.unique("upsert")}
    response = mp.call(api, "POST", mp.BY_ALT, params=alt, body={"CustomerType": "Retail"})
    api.conforms(response, "POST", mp.BY_ALT, "MP-UPD-010", status=202)
    profile = mp.wait_complete(api, 0, "MP-UPD-010", by_alt=alt)
    pairs = {(a.get("AlternateIdType"), a.get("AlternateId")) for a in mp.active(profile.get("AlternateIds"))}
    expect((alt["alternateIdType"], alt["alternateId"]) in pairs, "MP-UPD-010",
           f"the upserted profile does not carry its alternate id: {sorted(pairs)}")


@req("MP-UPD-011")
def test_upsert_updates_an_existing_profile(api):
    profile_id, body, _ = _rich(api, "MP-UPD-011")
    alt = mp.alt_of(body)
    mp.write(api, "POST", mp.BY_ALT, "MP-UPD-011", profile_id=profile_id, params=alt, status=202,
             body={"CustomerType": "Commercial"})
    found = mp.wait_complete(api, profile_id, "MP-UPD-011", by_alt=alt)
    expect(found.get("ProfileId") == profile_id and found.get("CustomerType") == "Commercial", "MP-UPD-011",
           f"the upsert of an existing pair gave ProfileId {found.get('ProfileId')}, CustomerType {found.get('CustomerType')!r}")


@req("MP-UPD-012")
def test_upsert_update_merges(api):
    profile_id, body, before = _rich(api, "MP-UPD-012")
    mp.write(api, "POST", mp.BY_ALT, "MP-UPD-012", profile_id=profile_id, params=mp.alt_of(body), status=202,
             body={"CustomerType": "Commercial"})
    after = mp.read(api, profile_id, "MP-UPD-012")
    expect(mp.keys(after) == mp.keys(before), "MP-UPD-012", "an upsert naming only CustomerType changed collections")


def _email_extras(profile):
    first = mp.active(profile.get("Emails"))[0]
    consents = [c.get("ConsentType") for c in mp.active(first.get("Consents"))]
    prefs = [p.get("ProgramId") for p in mp.active(first.get("EmailPreferences"))]
    return consents, prefs


@req("MP-UPD-013")
def test_preserve_flags_default_to_true(api):
    profile_id, body, before = _rich(api, "MP-UPD-013")
    bare = [{k: v for k, v in body["Emails"][0].items() if k not in ("Consents", "EmailPreferences")}]
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-013", profile_id=profile_id, body={"Emails": bare})
    after = mp.read(api, profile_id, "MP-UPD-013")
    expect(_email_extras(after) == _email_extras(before), "MP-UPD-013",
           f"without Preserve flags the email's consents/preferences became {_email_extras(after)}")


@req("MP-UPD-014")
def test_preserve_consents_false_drops_unsent_consents(api):
    profile_id, body, _ = _rich(api, "MP-UPD-014")
    bare = [{k: v for k, v in body["Emails"][0].items() if k != "Consents"}]
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-014", profile_id=profile_id,
             body={"Emails": bare, "PreserveConsents": False})
    consents, _ = _email_extras(mp.read(api, profile_id, "MP-UPD-014"))
    expect(not consents, "MP-UPD-014", f"consents still active after PreserveConsents false: {consents}")


@req("MP-UPD-015")
def test_preserve_preferences_false_drops_unsent_preferences(api):
    profile_id, body, _ = _rich(api, "MP-UPD-015")
    bare = [{k: v for k, v in body["Emails"][0].items() if k != "EmailPreferences"}]
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-015", profile_id=profile_id,
             body={"Emails": bare, "PreservePreferences": False})
    after = mp.read(api, profile_id, "MP-UPD-015")
    _, prefs = _email_extras(after)
    expect(not prefs and not mp.active(after.get("ProfilePreferences")), "MP-UPD-015",
           f"preferences still active after PreservePreferences false: {prefs}, {after.get('ProfilePreferences')}")


@req("MP-UPD-016")
def test_system_fields_in_a_body_are_ignored(api):
    profile_id, _, before = _rich(api, "MP-UPD-016")
    fake = {"CreateDate": "1999-01-01T00:00:00", "CreatedBy": "cfx-forger", "ModifiedDate": "1999-01-01T00:00:00",
            "ModifiedBy": "cfx-forger"}
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-016", profile_id=profile_id,
             body={"Edited": fake, "UpdateStatus": "Forged", "CustomerType": "Commercial"})
    after = mp.read(api, profile_id, "MP-UPD-016")
    edited = after.get("Edited") or {}
    expect(edited.get("CreateDate") != fake["CreateDate"] and edited.get("ModifiedBy") != "cfx-forger", "MP-UPD-016",
           f"Edited took the body's values: {edited}")
    expect(after.get("UpdateStatus") in ("Complete", "Pending Update"), "MP-UPD-016",
           f"UpdateStatus took the body's value: {after.get('UpdateStatus')!r}")


@req("MP-UPD-017")
def test_edited_is_maintained(api):
    profile_id, _, before = _rich(api, "MP-UPD-017")
    created = (before.get("Edited") or {}).get("CreateDate")
    expect(bool(created), "MP-UPD-017", f"a new profile has no Edited.CreateDate: {before.get('Edited')}")
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-017", profile_id=profile_id, body={"CustomerType": "Commercial"})
    after = (mp.read(api, profile_id, "MP-UPD-017").get("Edited") or {})
    expect(after.get("CreateDate") == created, "MP-UPD-017", "CreateDate changed on update")
    expect(after.get("ModifiedDate") and after.get("ModifiedDate") != (before.get("Edited") or {}).get("ModifiedDate"),
           "MP-UPD-017", f"ModifiedDate did not change on update: {after}")


@req("MP-UPD-018")
def test_deactivated_email_is_no_longer_returned(api):
    profile_id, body, _ = _rich(api, "MP-UPD-018")
    off = dict(body["Emails"][0], IsActive=False)
    mp.write(api, "POST", mp.BY_ID, "MP-UPD-018", profile_id=profile_id, body={"Emails": [off]})
    returned = [e.get("EmailAddress") for e in mp.read(api, profile_id, "MP-UPD-018").get("Emails") or []]
    expect(off["EmailAddress"] not in returned, "MP-UPD-018", f"the deactivated email is still returned: {returned}")
