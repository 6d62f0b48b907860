"""Profile identity: system ProfileIds, alternate ids, per-account isolation (doc L188, L302)."""

import hashlib

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, ids_of, not_applicable, req


@req("MP-ID-001")
def test_create_returns_an_integer_profile_id_that_reads_back(api):
    profile_id = mp.create(api, mp.new_profile(api))
    profile = mp.read(api, profile_id)
    expect(profile.get("ProfileId") == profile_id,
           f"GET /Profile/{profile_id} returned ProfileId {profile.get('ProfileId')!r}")


@req("MP-ID-002")
def test_profile_ids_are_distinct(api):
    first = mp.create(api, mp.new_profile(api), wait=False)
    second = mp.create(api, mp.new_profile(api), wait=False)
    expect(first != second, f"two creates both got ProfileId {first}")


@req("MP-ID-003")
def test_profile_id_in_a_body_is_ignored(api):
    other = mp.create(api, mp.new_profile(api, "other"))
    created = mp.create(api, mp.new_profile(api, ProfileId=other))
    expect(created != other, f"a create with ProfileId {other} in its body took that id")
    mp.write(api, "updateProfile", profile_id=created, json={"ProfileId": other, "CustomerType": "B"})
    mp.write(api, "replaceProfile", profile_id=created,
             json=mp.new_profile(api, "put", ProfileId=other))
    mine, theirs = mp.read(api, created), mp.read(api, other)
    expect(mine.get("ProfileId") == created and theirs.get("ProfileId") == other,
           f"after writes naming ProfileId {other}, the profiles carry {mine.get('ProfileId')} and {theirs.get('ProfileId')}")


@req("MP-ID-004")
def test_get_by_alternate_id(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body)
    found = api.conforms(api.call("getProfileByAlternateId", params=mp.alt_of(body)), status=200)
    expect(isinstance(found, dict) and found.get("ProfileId") == profile_id,
           f"GET by alternate id returned {found.get('ProfileId') if isinstance(found, dict) else found!r}, not {profile_id}")


@req("MP-ID-005")
def test_alternate_id_is_type_and_value(api):
    body = mp.new_profile(api)
    mp.create(api, body)
    params = mp.alt_of(body) | {"alternateIdType": mp.alt_type(api) + "Other"}
    response = api.call("getProfileByAlternateId", params=params)
    expect(response.status_code == 404,
           f"the same AlternateId under another type answered {response.status_code}, not 404")


@req("MP-ID-006")
def test_several_alternate_ids_each_find_the_profile(api):
    body = mp.new_profile(api)
    body["AlternateIds"].append({"AlternateIdType": "cfxCrmId", "AlternateId": api.unique("crm")})
    profile_id = mp.create(api, body)
    for alt in body["AlternateIds"]:
        params = {"alternateIdType": alt["AlternateIdType"], "alternateId": alt["AlternateId"]}
        found = api.conforms(api.call("getProfileByAlternateId", params=params), status=200)
        expect(found.get("ProfileId") == profile_id, f"{params} found {found.get('ProfileId')}")


@req("MP-ID-007")
def test_duplicate_alternate_id_on_create_is_a_conflict(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body)
    again = mp.new_profile(api, "dup")
    again["AlternateIds"] = body["AlternateIds"]
    response = api.call("createProfile", json=again)
    api.conforms(response, status=409)
    found = mp.wait_complete(api, profile_id, by_alt=mp.alt_of(body))
    expect(found.get("ProfileId") == profile_id, "the alternate id now finds another profile")


@req("MP-ID-008")
def test_writes_that_would_duplicate_an_alternate_id_are_conflicts(api):
    first = mp.new_profile(api, "a")
    second = mp.new_profile(api, "b")
    mp.create(api, first)
    second_id = mp.create(api, second)
    stolen = {"AlternateIds": first["AlternateIds"]}
    attempts = [
        ("updateProfile", {"profileId": second_id}, None, stolen),
        ("upsertProfileByAlternateId", {}, mp.alt_of(second), stolen),
        ("replaceProfile", {"profileId": second_id}, None, mp.new_profile(api, "c") | stolen),
        ("replaceProfileByAlternateId", {}, mp.alt_of(second), mp.new_profile(api, "d") | stolen),
    ]
    for operation, path, params, body in attempts:
        response = api.call(operation, params=params, json=body, **path)
        api.conforms(response, status=409)
    profile = mp.wait_complete(api, second_id)
    mine = {(a.get("AlternateIdType"), a.get("AlternateId")) for a in mp.active(profile.get("AlternateIds"))}
    expect(mine == {(a["AlternateIdType"], a["AlternateId"]) for a in second["AlternateIds"]},
           f"the refused writes changed the profile's alternate ids to {sorted(mine)}")


@req("MP-ID-009")
def test_profiles_are_isolated_per_account(api):
    other = api.setting("other_client_id")
    if not other:
        not_applicable("the target names no second account (settings.other_client_id)")
    body = mp.new_profile(api, Emails=[mp.email(f"{api.unique('iso')}@example.com")])
    profile_id = mp.create(api, body)
    by_id = api.call("getProfile", clientId=other, profileId=profile_id)
    by_alt = api.call("getProfileByAlternateId", clientId=other, params=mp.alt_of(body))
    search = api.call("searchProfilesByEmail", clientId=other,
                     params={"emailAddress": body["Emails"][0]["EmailAddress"]})
    expect(by_id.status_code == 404, f"another account reads the profile by id: {by_id.status_code}")
    expect(by_alt.status_code == 404, f"another account finds it by alternate id: {by_alt.status_code}")
    found = search.json() if search.status_code == 200 else []
    expect(profile_id not in mp.ids_of(found if isinstance(found, list) else []),
           "another account's email search returns the profile")
    last = body["CustomerName"]["LastName"]
    for operation in ("searchProfilesByName", "searchProfilesByPartialName"):
        response = api.call(operation, clientId=other, params={"lastName": last})
        found = response.json() if response.status_code == 200 else []
        expect(profile_id not in mp.ids_of(found if isinstance(found, list) else []),
               f"another account's search {' '.join(api.path_of(operation))} returns the profile")


@pytest.fixture
def half_inactive(api):
    """A profile with one active and one inactive element in every collection matchInactive concerns."""
    body = mp.new_profile(api, "inact")
    phones = [str(int(hashlib.sha256(api.unique("tel").encode()).hexdigest(), 16))[:10] for _ in range(2)]
    off = {"alt": api.unique("old"), "email": f"{api.unique('off')}@example.com", "phone": phones[1],
           "address": f"1 {api.unique('off')} Road", "field": "cfxOldField", "consent": "cfxOldConsent"}
    body["AlternateIds"].append({"AlternateIdType": "cfxOld", "AlternateId": off["alt"], "IsActive": False})
    body["Emails"] = [mp.email(f"{api.unique('on')}@example.com"), mp.email(off["email"], IsActive=False)]
    body["PhoneNumbers"] = [{"PhoneNumber": phones[0], "PhoneType": "Mobile", "IsActive": True},
                            {"PhoneNumber": off["phone"], "PhoneType": "Home", "IsActive": False}]
    body["Addresses"] = [{"AddressType": "Home", "Address1": f"1 {api.unique('on')} Road", "City": "Springfield",
                          "StateProvince": "IL", "PostalCode": "62701", "IsActive": True},
                         {"AddressType": "Work", "Address1": off["address"], "City": "Springfield",
                          "StateProvince": "IL", "PostalCode": "62701", "IsActive": False}]
    body["CustomFields"] = [{"Name": "cfxField", "Value": "on", "IsActive": True},
                            {"Name": off["field"], "Value": "off", "IsActive": False}]
    body["Consents"] = [mp.consent("cfxConsent"), mp.consent(off["consent"], IsActive=False)]
    # Shared: a failing create is the first matchInactive test's row, the other one is blocked.
    mp.create(api, body, ids=ids_of(test_match_inactive_returns_inactive_elements))
    return body, off


def _by_alt(api, body, **params):
    response = api.call("getProfileByAlternateId", params=mp.alt_of(body) | params)
    return api.conforms(response, status=200)


def _present(profile: dict, off: dict) -> dict[str, bool]:
    """Which of the inactive elements a read holds."""
    def values(collection, member):
        return [item.get(member) for item in profile.get(collection) or []]

    return {
        "alternate id": off["alt"] in values("AlternateIds", "AlternateId"),
        "email": off["email"] in values("Emails", "EmailAddress"),
        "phone number": off["phone"] in values("PhoneNumbers", "PhoneNumber"),
        "address": off["address"] in values("Addresses", "Address1"),
        "custom field": off["field"] in values("CustomFields", "Name"),
        "consent": off["consent"] in values("Consents", "ConsentType"),
    }


REVEALED = ("alternate id", "email", "phone number", "address")
HIDDEN = ("custom field", "consent")


@req("MP-ID-010")
def test_match_inactive_returns_inactive_elements(api, half_inactive):
    body, off = half_inactive
    default = _present(_by_alt(api, body), off)
    every = _present(_by_alt(api, body, matchInactive="true"), off)
    shown = [kind for kind in REVEALED if default[kind]]
    expect(not shown, f"the default read (matchInactive false) returns the inactive {shown}")
    missing = [kind for kind in REVEALED if not every[kind]]
    expect(not missing, f"matchInactive=true does not return the inactive {missing}")


@req("MP-ID-011")
def test_match_inactive_keeps_other_inactive_data_hidden(api, half_inactive):
    body, off = half_inactive
    every = _present(_by_alt(api, body, matchInactive="true"), off)
    shown = [kind for kind in HIDDEN if every[kind]]
    expect(not shown, f"matchInactive=true also returns the inactive {shown}")
