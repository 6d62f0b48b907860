"""Authorization: every operation needs the Authorization header (doc L192-L194, L326)."""

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, ids_of, req


@pytest.fixture
def target_profile(api):
    body = mp.new_profile(api, "auth", ProfilePreferences=[mp.preference("Offers", "Monthly")])
    # The profile every test here aims at: a failing create is the first test's row, the others are blocked.
    return mp.create(api, body, ids=ids_of(test_every_operation_refuses_missing_or_invalid_credentials)), mp.alt_of(body)


@req("MP-AUTH-001")
def test_every_operation_refuses_missing_or_invalid_credentials(api, target_profile):
    profile_id, alt = target_profile
    for request in mp.every_operation(api, profile_id, alt):
        missing = mp.send(api, request, auth=False)
        expect(missing.status_code == 401,
               f"{request['label']} without Authorization answered {missing.status_code}, not 401")
        wrong = mp.send(api, request, headers={"Authorization": "cfx-not-a-token"})
        expect(wrong.status_code == 401,
               f"{request['label']} with an invalid token answered {wrong.status_code}, not 401")


@req("MP-AUTH-002")
def test_401_body_is_a_json_object(api, target_profile):
    profile_id, _ = target_profile
    response = api.call("getProfile", auth=False, profileId=profile_id)
    body = api.conforms(response, status=401)
    expect(isinstance(body, dict), f"the 401 body is not a JSON object: {body!r}")


@req("MP-AUTH-003")
def test_refused_writes_have_no_effect(api, target_profile):
    profile_id, alt = target_profile
    before = mp.read(api, profile_id)
    body = mp.new_profile(api, "unauth")
    api.call("createProfile", auth=False, json=body)
    lookup = api.call("getProfileByAlternateId", params=mp.alt_of(body))
    expect(lookup.status_code == 404,
           f"a create refused for missing credentials left a profile behind (GET by its alternate id: {lookup.status_code})")
    change = {"CustomerType": "Changed-" + api.run.run_id}
    api.call("updateProfile", auth=False, json=change, profileId=profile_id)
    api.call("upsertProfileByAlternateId", auth=False, json=change, params=alt)
    api.call("replaceProfile", auth=False, json=change, profileId=profile_id)
    api.call("replaceProfileByAlternateId", auth=False, json=change, params=alt)
    api.call("patchProfile", auth=False, json=[{"op": "replace", "path": "/CustomerType", "value": "X"}],
             profileId=profile_id)
    api.call("patchProfileByAlternateId", auth=False, params=alt,
             json={"Operations": [{"op": "replace", "path": "/CustomerType", "value": "X"}]})
    api.call("archivePreferences", auth=False, json={"GlobalDeactivate": True}, profileId=profile_id)
    api.call("deleteProfile", auth=False, profileId=profile_id)
    after = mp.wait_complete(api, profile_id)
    expect(after.get("CustomerType") == before.get("CustomerType"),
           f"refused writes changed CustomerType to {after.get('CustomerType')!r}")
    prefs = [p.get("ProgramId") for p in mp.active(after.get("ProfilePreferences"))]
    expect(prefs == [p.get("ProgramId") for p in mp.active(before.get("ProfilePreferences"))],
           f"a refused archive removed preferences: {prefs}")
