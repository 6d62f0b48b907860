"""POST update merges, PUT replaces, the alternate-id upsert creates then updates (doc L25,
L362, L588, L2912) and the Preserve flags (L278, L282)."""

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, req


def _rich(api):
    body = mp.rich_profile(api)
    profile_id = mp.create(api, body)
    return profile_id, body, mp.read(api, profile_id)


@req("MP-UPD-001")
def test_update_leaves_what_it_does_not_name(api):
    profile_id, _, before = _rich(api)
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"CustomerName": {"FirstName": "Grace", "LastName": before["CustomerName"]["LastName"]}})
    after = mp.read(api, profile_id)
    for collection, kept in mp.keys(before).items():
        expect(mp.keys(after)[collection] == kept,
               f"an update naming only CustomerName changed {collection}: {sorted(kept)} -> {sorted(mp.keys(after)[collection])}")
    expect(after.get("CustomerType") == before.get("CustomerType"), "CustomerType changed")


@req("MP-UPD-002")
def test_update_changes_what_it_names(api):
    profile_id, _, before = _rich(api)
    name = dict(before["CustomerName"], FirstName="Grace")
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"CustomerName": name, "CustomerType": "Commercial"})
    after = mp.read(api, profile_id)
    expect(after["CustomerName"].get("FirstName") == "Grace" and after.get("CustomerType") == "Commercial",
           f"the update did not apply: {after.get('CustomerName')}, {after.get('CustomerType')!r}")


@req("MP-UPD-003")
def test_update_adds_an_email_and_keeps_the_others(api):
    profile_id, body, before = _rich(api)
    new = mp.email(f"{api.unique('added')}@example.com", "Work")
    mp.write(api, "updateProfile", profile_id=profile_id, json={"Emails": [new]})
    got = set(mp.emails(mp.read(api, profile_id)))
    want = set(mp.emails(before)) | {new["EmailAddress"]}
    expect(got == want, f"emails after adding one: {sorted(got)}, expected {sorted(want)}")


@req("MP-UPD-004")
def test_update_of_a_named_custom_field_replaces_its_value(api):
    profile_id, _, _ = _rich(api)
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"CustomFields": [{"Name": "Loyalty", "Value": "Platinum", "IsActive": True}]})
    fields = [(f.get("Name"), f.get("Value")) for f in mp.active(mp.read(api, profile_id).get("CustomFields"))]
    expect(fields == [("Loyalty", "Platinum")], f"custom fields after the update: {fields}")


@req("MP-UPD-005")
def test_put_blanks_what_it_leaves_out(api):
    profile_id, body, _ = _rich(api)
    replacement = {"AlternateIds": body["AlternateIds"], "CustomerName": body["CustomerName"]}
    mp.write(api, "replaceProfile", profile_id=profile_id, json=replacement)
    after = mp.read(api, profile_id)
    expect(not mp.active(after.get("Emails")), f"Emails survived a PUT without them: {mp.emails(after)}")
    expect(not mp.active(after.get("CustomFields")), "CustomFields survived a PUT without them")
    expect(after.get("CustomerType") in (None, ""),
           f"CustomerType survived a PUT without it: {after.get('CustomerType')!r}")


@req("MP-UPD-006")
def test_put_replaces_collections(api):
    profile_id, body, _ = _rich(api)
    only = mp.email(f"{api.unique('only')}@example.com")
    mp.write(api, "replaceProfile", profile_id=profile_id, json=dict(body, Emails=[only]))
    got = mp.emails(mp.read(api, profile_id))
    expect(got == [only["EmailAddress"]], f"emails after a PUT with one: {got}")


@req("MP-UPD-007")
def test_put_keeps_the_profile_id(api):
    profile_id, body, _ = _rich(api)
    response = api.call("replaceProfile", json=mp.new_profile(api, "put"), profileId=profile_id)
    api.conforms(response, status=(200, 202))
    after = mp.wait_complete(api, profile_id)
    expect(after.get("ProfileId") == profile_id, f"the PUT changed ProfileId to {after.get('ProfileId')}")


@req("MP-UPD-008")
def test_put_by_alternate_id_replaces(api):
    profile_id, body, _ = _rich(api)
    alt = mp.alt_of(body)
    mp.write(api, "replaceProfileByAlternateId", profile_id=profile_id, params=alt, status=200,
             json={"CustomerName": {"FirstName": "Only", "LastName": "Name"}})
    after = mp.read(api, profile_id)
    expect(after["CustomerName"].get("FirstName") == "Only", "the PUT by alternate id did not apply")
    expect(not mp.active(after.get("Emails")) and not mp.active(after.get("CustomFields")),
           "collections the PUT left out survived it")


@req("MP-UPD-009")
def test_put_by_unknown_alternate_id_is_not_an_upsert(api):
    alt = {"alternateIdType": mp.alt_type(api), "alternateId": api.unique("nobody")}
    response = api.call("replaceProfileByAlternateId", params=alt, json=mp.new_profile(api, "ghost"))
    api.conforms(response, status=404)
    expect(api.call("getProfileByAlternateId", params=alt).status_code == 404, "the PUT created a profile")


@req("MP-UPD-010")
def test_upsert_creates(api):
    alt = {"alternateIdType": mp.alt_type(api), "alternateId": api.unique("upsert")}
    response = api.call("upsertProfileByAlternateId", params=alt, json={"CustomerType": "Retail"})
    api.conforms(response, status=202)
    profile = mp.wait_complete(api, 0, by_alt=alt)
    pairs = {(a.get("AlternateIdType"), a.get("AlternateId")) for a in mp.active(profile.get("AlternateIds"))}
    expect((alt["alternateIdType"], alt["alternateId"]) in pairs,
           f"the upserted profile does not carry its alternate id: {sorted(pairs)}")


@req("MP-UPD-011")
def test_upsert_updates_an_existing_profile(api):
    profile_id, body, _ = _rich(api)
    alt = mp.alt_of(body)
    mp.write(api, "upsertProfileByAlternateId", profile_id=profile_id, params=alt, status=202,
             json={"CustomerType": "Commercial"})
    found = mp.wait_complete(api, profile_id, by_alt=alt)
    expect(found.get("ProfileId") == profile_id and found.get("CustomerType") == "Commercial",
           f"the upsert of an existing pair gave ProfileId {found.get('ProfileId')}, CustomerType {found.get('CustomerType')!r}")


@req("MP-UPD-012")
def test_upsert_update_merges(api):
    profile_id, body, before = _rich(api)
    mp.write(api, "upsertProfileByAlternateId", profile_id=profile_id, params=mp.alt_of(body), status=202,
             json={"CustomerType": "Commercial"})
    after = mp.read(api, profile_id)
    expect(mp.keys(after) == mp.keys(before), "an upsert naming only CustomerType changed collections")


def _email_extras(profile):
    first = mp.active(profile.get("Emails"))[0]
    consents = [c.get("ConsentType") for c in mp.active(first.get("Consents"))]
    prefs = [p.get("ProgramId") for p in mp.active(first.get("EmailPreferences"))]
    return consents, prefs


@req("MP-UPD-013")
def test_preserve_flags_default_to_true(api):
    profile_id, body, before = _rich(api)
    bare = [{k: v for k, v in body["Emails"][0].items() if k not in ("Consents", "EmailPreferences")}]
    mp.write(api, "updateProfile", profile_id=profile_id, json={"Emails": bare})
    after = mp.read(api, profile_id)
    expect(_email_extras(after) == _email_extras(before),
           f"without Preserve flags the email's consents/preferences became {_email_extras(after)}")


@req("MP-UPD-014")
def test_preserve_consents_false_drops_unsent_consents(api):
    profile_id, body, _ = _rich(api)
    bare = [{k: v for k, v in body["Emails"][0].items() if k != "Consents"}]
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"Emails": bare, "PreserveConsents": False})
    consents, _ = _email_extras(mp.read(api, profile_id))
    expect(not consents, f"consents still active after PreserveConsents false: {consents}")


@req("MP-UPD-015")
def test_preserve_preferences_false_drops_unsent_preferences(api):
    profile_id, body, _ = _rich(api)
    bare = [{k: v for k, v in body["Emails"][0].items() if k != "EmailPreferences"}]
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"Emails": bare, "PreservePreferences": False})
    after = mp.read(api, profile_id)
    _, prefs = _email_extras(after)
    expect(not prefs and not mp.active(after.get("ProfilePreferences")),
           f"preferences still active after PreservePreferences false: {prefs}, {after.get('ProfilePreferences')}")


@req("MP-UPD-016")
def test_system_fields_in_a_body_are_ignored(api):
    profile_id, _, before = _rich(api)
    fake = {"CreateDate": "1999-01-01T00:00:00", "CreatedBy": "cfx-forger", "ModifiedDate": "1999-01-01T00:00:00",
            "ModifiedBy": "cfx-forger"}
    mp.write(api, "updateProfile", profile_id=profile_id,
             json={"Edited": fake, "UpdateStatus": "Forged", "CustomerType": "Commercial"})
    after = mp.read(api, profile_id)
    edited = after.get("Edited") or {}
    expect(edited.get("CreateDate") != fake["CreateDate"] and edited.get("ModifiedBy") != "cfx-forger",
           f"Edited took the body's values: {edited}")
    expect(after.get("UpdateStatus") in ("Complete", "Pending Update"),
           f"UpdateStatus took the body's value: {after.get('UpdateStatus')!r}")


@req("MP-UPD-017")
def test_edited_is_maintained(api):
    profile_id, _, before = _rich(api)
    created = (before.get("Edited") or {}).get("CreateDate")
    expect(bool(created), f"a new profile has no Edited.CreateDate: {before.get('Edited')}")
    mp.write(api, "updateProfile", profile_id=profile_id, json={"CustomerType": "Commercial"})
    after = (mp.read(api, profile_id).get("Edited") or {})
    expect(after.get("CreateDate") == created, "CreateDate changed on update")
    expect(after.get("ModifiedDate") and after.get("ModifiedDate") != (before.get("Edited") or {}).get("ModifiedDate"),
           f"ModifiedDate did not change on update: {after}")


@req("MP-UPD-018")
def test_deactivated_email_is_no_longer_returned(api):
    profile_id, body, _ = _rich(api)
    off = dict(body["Emails"][0], IsActive=False)
    mp.write(api, "updateProfile", profile_id=profile_id, json={"Emails": [off]})
    returned = [e.get("EmailAddress") for e in mp.read(api, profile_id).get("Emails") or []]
    expect(off["EmailAddress"] not in returned, f"the deactivated email is still returned: {returned}")
