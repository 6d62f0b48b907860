"""Authorization: every operation needs the Authorization header (doc L192-L194, L326)."""

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect

req = pytest.mark.req


@pytest.fixture
def target_profile(api):
    body = mp.new_profile(api, "auth", ProfilePreferences=[mp.preference("Offers", "Monthly")])
    return mp.create(api, body, "MP-AUTH-001"), mp.alt_of(body)


@req("MP-AUTH-001")
def test_every_operation_refuses_missing_or_invalid_credentials(api, target_profile):
    profile_id, alt = target_profile
    for request in mp.every_operation(api, profile_id, alt):
        missing = mp.send(api, request, auth=False)
        expect(missing.status_code == 401, "MP-AUTH-001",
               f"{request['label']} without Authorization answered {missing.status_code}, not 401")
        wrong = api.client.request(
            request["method"], mp.url(api, request["template"], profileId=profile_id),
            params=request["params"], json=request["body"], headers={"Authorization": "cfx-not-a-token"},
        )
        expect(wrong.status_code == 401, "MP-AUTH-001",
               f"{request['label']} with an invalid token answered {wrong.status_code}, not 401")


@req("MP-AUTH-002")
def test_401_body_is_a_json_object(api, target_profile):
    profile_id, _ = target_profile
    response = mp.call(api, "GET", mp.BY_ID, auth=False, profileId=profile_id)
    body = api.conforms(response, "GET", mp.BY_ID, "MP-AUTH-002", status=401)
    expect(isinstance(body, dict), "MP-AUTH-002", f"the 401 body is not a JSON object: {body!r}")


@req("MP-AUTH-003")
def test_refused_writes_have_no_effect(api, target_profile):
    profile_id, alt = target_profile
    before = mp.read(api, profile_id, "MP-AUTH-003")
    body = mp.new_profile(api, "unauth")
    mp.call(api, "POST", mp.PROFILE, auth=False, body=body)
    lookup = mp.call(api, "GET", mp.BY_ALT, params=mp.alt_of(body))
    expect(lookup.status_code == 404, "MP-AUTH-003",
           f"a create refused for missing credentials left a profile behind (GET by its alternate id: {lookup.status_code})")
    change = {"CustomerType": "Changed-" + api.run.run_id}
    mp.call(api, "POST", mp.BY_ID, auth=False, body=change, profileId=profile_id)
    mp.call(api, "POST", mp.BY_ALT, auth=False, body=change, params=alt)
    mp.call(api, "PUT", mp.BY_ID, auth=False, body=change, profileId=profile_id)
    mp.call(api, "PUT", mp.BY_ALT, auth=False, body=change, params=alt)
    mp.call(api, "PATCH", mp.BY_ID, auth=False, body=[{"op": "replace", "path": "/CustomerType", "value": "X"}],
            profileId=profile_id)
    mp.call(api, "PATCH", mp.BY_ALT, auth=False, params=alt,
            body={"Operations": [{"op": "replace", "path": "/CustomerType", "value": "X"}]})
    mp.call(api, "PUT", mp.ARCHIVE, auth=False, body={"GlobalDeactivate": True}, profileId=profile_id)
    mp.call(api, "DELETE", mp.BY_ID, auth=False, profileId=profile_id)
    after = mp.wait_complete(api, profile_id, "MP-AUTH-003")
    expect(after.get("CustomerType") == before.get("CustomerType"), "MP-AUTH-003",
           f"refused writes changed CustomerType to {after.get('CustomerType')!r}")
    prefs = [p.get("ProgramId") for p in mp.active(after.get("ProfilePreferences"))]
    expect(prefs == [p.get("ProgramId") for p in mp.active(before.get("ProfilePreferences"))], "MP-AUTH-003",
           f"a refused archive removed preferences: {prefs}")
