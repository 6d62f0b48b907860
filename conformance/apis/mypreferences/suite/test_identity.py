"""Profile identity: system ProfileIds, alternate ids, per-account isolation (doc L188, L302)."""

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect, not_applicable

req = pytest.mark.req


@req("MP-ID-001")
def test_create_returns_an_integer_profile_id_that_reads_back(api):
    profile_id = mp.create(api, mp.new_profile(api), "MP-ID-001")
    profile = mp.read(api, profile_id, "MP-ID-001")
    expect(profile.get("ProfileId") == profile_id, "MP-ID-001",
           f"GET /Profile/{profile_id} returned ProfileId {profile.get('ProfileId')!r}")


@req("MP-ID-002")
def test_profile_ids_are_distinct(api):
    first = mp.create(api, mp.new_profile(api), "MP-ID-002", wait=False)
    second = mp.create(api, mp.new_profile(api), "MP-ID-002", wait=False)
    expect(first != second, "MP-ID-002", f"two creates both got ProfileId {first}")


@req("MP-ID-003")
def test_profile_id_in_a_body_is_ignored(api):
    other = mp.create(api, mp.new_profile(api, "other"), "MP-ID-003")
    created = mp.create(api, mp.new_profile(api, ProfileId=other), "MP-ID-003")
    expect(created != other, "MP-ID-003", f"a create with ProfileId {other} in its body took that id")
    mp.write(api, "POST", mp.BY_ID, "MP-ID-003", profile_id=created, body={"ProfileId": other, "CustomerType": "B"})
    mp.write(api, "PUT", mp.BY_ID, "MP-ID-003", profile_id=created,
             body=mp.new_profile(api, "put", ProfileId=other))
    mine, theirs = mp.read(api, created, "MP-ID-003"), mp.read(api, other, "MP-ID-003")
    expect(mine.get("ProfileId") == created and theirs.get("ProfileId") == other, "MP-ID-003",
           f"after writes naming ProfileId {other}, the profiles carry {mine.get('ProfileId')} and {theirs.get('ProfileId')}")


@req("MP-ID-004")
def test_get_by_alternate_id(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body, "MP-ID-004")
    found = api.conforms(mp.call(api, "GET", mp.BY_ALT, params=mp.alt_of(body)), "GET", mp.BY_ALT, "MP-ID-004",
                         status=200)
    expect(isinstance(found, dict) and found.get("ProfileId") == profile_id, "MP-ID-004",
           f"GET by alternate id returned {found.get('ProfileId') if isinstance(found, dict) else found!r}, not {profile_id}")


@req("MP-ID-005")
def test_alternate_id_is_type_and_value(api):
    body = mp.new_profile(api)
    mp.create(api, body, "MP-ID-005")
    params = mp.alt_of(body) | {"alternateIdType": mp.alt_type(api) + "Other"}
    response = mp.call(api, "GET", mp.BY_ALT, params=params)
    expect(response.status_code == 404, "MP-ID-005",
           f"the same AlternateId under another type answered {response.status_code}, not 404")


@req("MP-ID-006")
def test_several_alternate_ids_each_find_the_profile(api):
    body = mp.new_profile(api)
    body["AlternateIds"].append({"AlternateIdType": "cfxCrmId", "AlternateId": api.unique("crm")})
    profile_id = mp.create(api, body, "MP-ID-006")
    for alt in body["AlternateIds"]:
        params = {"alternateIdType": alt["AlternateIdType"], "alternateId": alt["AlternateId"]}
        found = api.conforms(mp.call(api, "GET", mp.BY_ALT, params=params), "GET", mp.BY_ALT, "MP-ID-006", status=200)
        expect(found.get("ProfileId") == profile_id, "MP-ID-006", f"{params} found {found.get('ProfileId')}")


@req("MP-ID-007")
def test_duplicate_alternate_id_on_create_is_a_conflict(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body, "MP-ID-007")
    again = mp.new_profile(api, "dup")
    again["AlternateIds"] = body["AlternateIds"]
    response = mp.call(api, "POST", mp.PROFILE, body=again)
    api.conforms(response, "POST", mp.PROFILE, "MP-ID-007", status=409)
    found = mp.wait_complete(api, profile_id, "MP-ID-007", by_alt=mp.alt_of(body))
    expect(found.get("ProfileId") == profile_id, "MP-ID-007", "the alternate id now finds another profile")


@req("MP-ID-008")
def test_writes_that_would_duplicate_an_alternate_id_are_conflicts(api):
    first = mp.new_profile(api, "a")
    second = mp.new_profile(api, "b")
    mp.create(api, first, "MP-ID-008")
    second_id = mp.create(api, second, "MP-ID-008")
    stolen = {"AlternateIds": first["AlternateIds"]}
    attempts = [
        ("POST", mp.BY_ID, {"profileId": second_id}, None, stolen),
        ("POST", mp.BY_ALT, {}, mp.alt_of(second), stolen),
        ("PUT", mp.BY_ID, {"profileId": second_id}, None, mp.new_profile(api, "c") | stolen),
        ("PUT", mp.BY_ALT, {}, mp.alt_of(second), mp.new_profile(api, "d") | stolen),
    ]
    for method, template, path, params, body in attempts:
        response = mp.call(api, method, template, params=params, body=body, **path)
        api.conforms(response, method, template, "MP-ID-008", status=409)
    profile = mp.wait_complete(api, second_id, "MP-ID-008")
    mine = {(a.get("AlternateIdType"), a.get("AlternateId")) for a in mp.active(profile.get("AlternateIds"))}
    expect(mine == {(a["AlternateIdType"], a["AlternateId"]) for a in second["AlternateIds"]}, "MP-ID-008",
           f"the refused writes changed the profile's alternate ids to {sorted(mine)}")


@req("MP-ID-009")
def test_profiles_are_isolated_per_account(api):
    other = api.setting("other_client_id")
    if not other:
        not_applicable("the target names no second account (settings.other_client_id)")
    body = mp.new_profile(api, Emails=[mp.email(f"{api.unique('iso')}@example.com")])
    profile_id = mp.create(api, body, "MP-ID-009")
    by_id = mp.call(api, "GET", mp.BY_ID, client=other, profileId=profile_id)
    by_alt = mp.call(api, "GET", mp.BY_ALT, client=other, params=mp.alt_of(body))
    search = mp.call(api, "GET", "/{clientId}/Profile/Email", client=other,
                     params={"emailAddress": body["Emails"][0]["EmailAddress"]})
    expect(by_id.status_code == 404, "MP-ID-009", f"another account reads the profile by id: {by_id.status_code}")
    expect(by_alt.status_code == 404, "MP-ID-009", f"another account finds it by alternate id: {by_alt.status_code}")
    found = search.json() if search.status_code == 200 else []
    expect(profile_id not in mp.ids_of(found if isinstance(found, list) else []), "MP-ID-009",
           "another account's email search returns the profile")


@req("MP-ID-010")
def test_match_inactive_returns_inactive_elements(api):
    body = mp.new_profile(api)
    hidden_alt = {"AlternateIdType": "cfxOld", "AlternateId": api.unique("old"), "IsActive": False}
    body["AlternateIds"].append(hidden_alt)
    body["Emails"] = [mp.email(f"{api.unique('on')}@example.com"),
                      mp.email(f"{api.unique('off')}@example.com", IsActive=False)]
    mp.create(api, body, "MP-ID-010")
    default = api.conforms(mp.call(api, "GET", mp.BY_ALT, params=mp.alt_of(body)), "GET", mp.BY_ALT, "MP-ID-010",
                           status=200)
    every = api.conforms(mp.call(api, "GET", mp.BY_ALT, params=mp.alt_of(body) | {"matchInactive": "true"}),
                         "GET", mp.BY_ALT, "MP-ID-010", status=200)
    off_email = body["Emails"][1]["EmailAddress"]
    default_emails = [e.get("EmailAddress") for e in default.get("Emails") or []]
    every_emails = [e.get("EmailAddress") for e in every.get("Emails") or []]
    default_alts = [a.get("AlternateId") for a in default.get("AlternateIds") or []]
    every_alts = [a.get("AlternateId") for a in every.get("AlternateIds") or []]
    expect(off_email not in default_emails and hidden_alt["AlternateId"] not in default_alts, "MP-ID-010",
           "the default read returns inactive elements")
    expect(off_email in every_emails and hidden_alt["AlternateId"] in every_alts, "MP-ID-010",
           f"matchInactive=true does not return the inactive email / alternate id ({every_emails}, {every_alts})")
