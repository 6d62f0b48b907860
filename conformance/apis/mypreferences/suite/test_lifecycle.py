"""Queued writes (202 "Pending Update", later "Complete", doc L294, L320), delete (L527) and
archive of preferences (L14650-L14702)."""

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, ids_of, req


def _prefs(profile):
    """Active preferences of the profile and of each contact element: (where, ProgramId, FilterId)."""
    found = {("Profile", p.get("ProgramId"), p.get("FilterId")) for p in mp.active(profile.get("ProfilePreferences"))}
    for collection, key, prefs in (("Emails", "EmailAddress", "EmailPreferences"),
                                   ("PhoneNumbers", "PhoneNumber", "PhonePreferences"),
                                   ("Addresses", "Address1", "AddressPreferences")):
        for element in mp.active(profile.get(collection)):
            found |= {(element.get(key), p.get("ProgramId"), p.get("FilterId")) for p in mp.active(element.get(prefs))}
    return found


@req("MP-LIFE-001")
def test_create_is_queued_with_a_receipt(api):
    response = api.call("createProfile", json=mp.new_profile(api))
    receipt = api.conforms(response, status=(200, 202))
    expect(isinstance(receipt.get("ProfileId"), int), f"no ProfileId in the receipt: {receipt}")
    if response.status_code == 202:
        expect(receipt.get("UpdateStatus") == "Pending Update",
               f"a 202 receipt says UpdateStatus {receipt.get('UpdateStatus')!r}")


@req("MP-LIFE-002")
def test_processed_profile_is_complete(api):
    profile_id = mp.create(api, mp.new_profile(api), wait=False)
    profile = mp.wait_complete(api, profile_id)
    expect(profile.get("UpdateStatus") == "Complete",
           f"the processed profile says UpdateStatus {profile.get('UpdateStatus')!r}")


@req("MP-LIFE-003")
def test_update_status_values(api):
    profile_id = mp.create(api, mp.new_profile(api), wait=False)
    seen = {mp.read(api, profile_id).get("UpdateStatus")}
    api.call("updateProfile", json={"CustomerType": "Commercial"}, profileId=profile_id)
    seen.add(mp.read(api, profile_id).get("UpdateStatus"))
    seen.add(mp.wait_complete(api, profile_id).get("UpdateStatus"))
    expect(seen <= {"Complete", "Pending Update"}, f"reads showed UpdateStatus values {sorted(map(str, seen))}")


@req("MP-LIFE-004")
def test_every_accepted_write_is_applied(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body)
    alt = mp.alt_of(body)
    steps = [
        ("updateProfile", None, {"CustomerType": "Updated"}, "CustomerType", "Updated"),
        ("upsertProfileByAlternateId", alt, {"CustomerType": "Upserted"}, "CustomerType", "Upserted"),
        ("replaceProfile", None, dict(body, CustomerType="Replaced"), "CustomerType", "Replaced"),
        ("patchProfile", None, [{"op": "replace", "path": "/CustomerType", "value": "Patched"}], "CustomerType",
         "Patched"),
        ("replaceProfileByAlternateId", alt, dict(body, CustomerType="ReplacedByAlt"), "CustomerType", "ReplacedByAlt"),
        ("patchProfileByAlternateId", alt,
         {"Operations": [{"op": "replace", "path": "/CustomerType", "value": "PatchedByAlt"}]},
         "CustomerType", "PatchedByAlt"),
    ]
    for operation, params, payload, field, value in steps:
        mp.write(api, operation, profile_id=profile_id, params=params, json=payload)
        got = mp.read(api, profile_id).get(field)
        expect(got == value, f"after an accepted {' '.join(api.path_of(operation))}, {field} is {got!r}, not {value!r}")


@req("MP-LIFE-005")
def test_put_and_patch_create_no_profile(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body)
    mp.write(api, "replaceProfile", profile_id=profile_id, json=dict(body, CustomerType="Put"))
    mp.write(api, "replaceProfileByAlternateId", profile_id=profile_id, params=mp.alt_of(body),
             json=dict(body, CustomerType="PutByAlt"))
    mp.write(api, "patchProfile", profile_id=profile_id,
             json=[{"op": "replace", "path": "/CustomerType", "value": "PatchedById"}])
    mp.write(api, "patchProfileByAlternateId", profile_id=profile_id, params=mp.alt_of(body),
             json={"Operations": [{"op": "replace", "path": "/CustomerType", "value": "Patched"}]})
    lastname = body["CustomerName"]["LastName"]
    found = mp.search(api, "searchProfilesByName", {"lastName": lastname})
    expect(mp.ids_of(found) == {profile_id}, f"profiles named {lastname}: {sorted(mp.ids_of(found))}")


@pytest.fixture
def deleted(api):
    body = mp.new_profile(api, "del", Emails=[mp.email(f"{api.unique('del')}@example.com")])
    owner = ids_of(test_deleted_profile_is_gone)  # a failing create or delete is its row, the others are blocked
    profile_id = mp.create(api, body, ids=owner)
    response = api.call("deleteProfile", profileId=profile_id)
    api.conforms(response, status=204, ids=owner)
    return profile_id, body


@req("MP-LIFE-006")
def test_deleted_profile_is_gone(api, deleted):
    profile_id, _ = deleted
    api.conforms(mp.get(api, profile_id), status=404)


@req("MP-LIFE-007")
def test_deleted_profile_is_gone_everywhere(api, deleted):
    profile_id, body = deleted
    alt = mp.alt_of(body)
    expect(api.call("getProfileByAlternateId", params=alt).status_code == 404, "its alternate id still finds it")
    for kind in mp.HISTORY_KINDS:
        status = api.call(mp.history_op(kind), profileId=profile_id).status_code
        expect(status == 404, f"its {kind} history answers {status}")
        status = api.call(mp.history_op(kind, by_alt=True), params=alt).status_code
        expect(status == 404, f"its {kind} history by alternate id answers {status}")
    found = mp.search(api, "searchProfilesByEmail", {"emailAddress": body["Emails"][0]["EmailAddress"]})
    expect(profile_id not in mp.ids_of(found), "the email search still returns it")


@req("MP-LIFE-008")
def test_second_delete_is_404(api, deleted):
    profile_id, _ = deleted
    api.conforms(api.call("deleteProfile", profileId=profile_id), status=404)


@req("MP-LIFE-009")
def test_delete_with_reason_code(api):
    profile_id = mp.create(api, mp.new_profile(api))
    response = api.call("deleteProfile", params={"reasonCode": "cfx-test"}, profileId=profile_id)
    api.conforms(response, status=204)


@req("MP-LIFE-010")
def test_deleted_alternate_id_can_be_reused(api, deleted):
    profile_id, body = deleted
    reborn = mp.create(api, mp.new_profile(api, "reborn") | {"AlternateIds": body["AlternateIds"]})
    expect(reborn != profile_id, "the new profile got the deleted profile's id")


@pytest.fixture
def with_preferences(api):
    body = mp.rich_profile(api, "arch")
    body["Emails"][0]["EmailPreferences"].append(mp.preference("Newsletter", "Daily"))
    body["Emails"].append(mp.email(f"{api.unique('second')}@example.com",
                                   EmailPreferences=[mp.preference("Newsletter", "Weekly")]))
    body["Addresses"][0]["AddressPreferences"] = [mp.preference("Catalog", "Quarterly"),
                                                  mp.preference("Catalog", "Yearly")]
    owner = ids_of(test_global_archive)  # a failing create is its row, the other archive tests are blocked
    profile_id = mp.create(api, body, ids=owner)
    return profile_id, body, mp.read(api, profile_id, ids=owner)


def _archive(api, profile_id, payload):
    response = api.call("archivePreferences", json=payload, profileId=profile_id)
    api.conforms(response, status=204)
    mp.wait_complete(api, profile_id)
    return mp.read(api, profile_id)


@req("MP-LIFE-011")
def test_global_archive(api, with_preferences):
    profile_id, _, _ = with_preferences
    after = _archive(api, profile_id, {"GlobalDeactivate": True, "Reason_Code": "cfx"})
    expect(not _prefs(after), f"preferences after a global archive: {sorted(map(str, _prefs(after)))}")


@req("MP-LIFE-012")
def test_archive_one_email_filter(api, with_preferences):
    profile_id, body, before = with_preferences
    first = body["Emails"][0]
    payload = {"GlobalDeactivate": False, "Emails": [
        {"EmailAddressType": first["EmailAddressType"], "EmailAddress": first["EmailAddress"], "FilterId": "Weekly"}]}
    after = _archive(api, profile_id, payload)
    gone = (first["EmailAddress"], "Newsletter", "Weekly")
    expect(_prefs(after) == _prefs(before) - {gone},
           f"archiving {gone} left {sorted(map(str, _prefs(after)))} of {sorted(map(str, _prefs(before)))}")


@req("MP-LIFE-013")
def test_archive_phone_address_and_profile_preferences(api, with_preferences):
    profile_id, body, before = with_preferences
    phone = body["PhoneNumbers"][0]
    home = body["Addresses"][0]
    payload = {"GlobalDeactivate": False,
               "PhoneNumbers": [{"PhoneType": phone["PhoneType"], "PhoneNumber": phone["PhoneNumber"], "FilterId": "Daily"}],
               "Addresses": [{key: home[key] for key in ("AddressType", "Address1", "City", "StateProvince", "PostalCode")}
                             | {"FilterId": "Quarterly"}],
               "ProfilePreferences": [{"FilterId": "Monthly"}]}
    after = _archive(api, profile_id, payload)
    gone = {(phone["PhoneNumber"], "Alerts", "Daily"), (home["Address1"], "Catalog", "Quarterly"),
            ("Profile", "Offers", "Monthly")}
    expect(_prefs(after) == _prefs(before) - gone,
           f"archiving {sorted(gone)} left {sorted(map(str, _prefs(after)))}")


def _contact_consents(profile):
    return {(element.get(key), c.get("ConsentType")) for collection, key in
            (("Emails", "EmailAddress"), ("PhoneNumbers", "PhoneNumber"), ("Addresses", "Address1"))
            for element in mp.active(profile.get(collection)) for c in mp.active(element.get("Consents"))}


@req("MP-LIFE-014")
def test_archive_touches_only_preferences(api, with_preferences):
    profile_id, _, before = with_preferences
    expect(_prefs(before) and _contact_consents(before),
           "the profile read back without the preferences and consents it was created with")
    after = _archive(api, profile_id, {"GlobalDeactivate": True})
    # First that the archive took effect: keeping everything else is only shown by an archive that acted.
    expect(not _prefs(after),
           f"the archive removed no preferences ({sorted(map(str, _prefs(after)))} remain): nothing shows what it keeps")
    kept = {k: v for k, v in mp.keys(before).items() if k != "ProfilePreferences"}
    changed = sorted(k for k, v in kept.items() if mp.keys(after)[k] != v)
    expect(not changed, f"the archive changed {changed}, not only preferences")
    expect(_contact_consents(after) == _contact_consents(before),
           f"the archive changed the contact elements' consents: {sorted(map(str, _contact_consents(after)))}")
    same = ("CustomerName", "CustomerType", "ProfileId")
    expect(all(after.get(k) == before.get(k) for k in same), "the archive changed the profile's fields")


@req("MP-LIFE-015")
def test_archived_preferences_not_in_searches(api, with_preferences):
    profile_id, body, _ = with_preferences
    _archive(api, profile_id, {"GlobalDeactivate": True})
    found = mp.search(api, "searchProfilesByEmail", {"emailAddress": body["Emails"][0]["EmailAddress"]})
    mine = [p for p in found if p.get("ProfileId") == profile_id]
    expect(mine, "the email search does not find the archived profile at all")
    expect(not _prefs(mine[0]), f"the search result still shows preferences {sorted(map(str, _prefs(mine[0])))}")
