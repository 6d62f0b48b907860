"""Response shapes the doc states: receipts, 202 statuses, objects vs arrays, empty 204s."""

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect

req = pytest.mark.req
RECEIPT = ("AlternateId", "AlternateIdType", "ProfileId", "UpdateStatus", "SubmittedUtcTime")


@req("MP-CON-006")
def test_create_receipt(api):
    response = mp.call(api, "POST", mp.PROFILE, body=mp.new_profile(api))
    receipt = api.conforms(response, "POST", mp.PROFILE, "MP-CON-006", status=(200, 202))
    missing = [k for k in RECEIPT if k not in receipt]
    expect(not missing, "MP-CON-006", f"the receipt lacks {missing}: {receipt}")
    expect(isinstance(receipt.get("ProfileId"), int), "MP-CON-006", "ProfileId is not an integer")


@req("MP-CON-007")
def test_every_202_says_pending_update(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body, "MP-CON-007")
    writes = [("POST", mp.PROFILE, {}, None, mp.new_profile(api)),
              ("POST", mp.BY_ID, {"profileId": profile_id}, None, {"CustomerType": "A"}),
              ("POST", mp.BY_ALT, {}, mp.alt_of(body), {"CustomerType": "B"}),
              ("PUT", mp.BY_ID, {"profileId": profile_id}, None, dict(body, CustomerType="C")),
              ("PATCH", mp.BY_ID, {"profileId": profile_id}, None, [{"op": "replace", "path": "/CustomerType", "value": "D"}])]
    for method, template, path, params, payload in writes:
        response = mp.call(api, method, template, params=params, body=payload, **path)
        if response.status_code == 202 and response.content:
            status = response.json().get("UpdateStatus")
            expect(status == "Pending Update", "MP-CON-007", f"{method} {template} answered 202 with UpdateStatus {status!r}")
        mp.wait_complete(api, profile_id, "MP-CON-007")


@req("MP-CON-008")
def test_reads_are_objects_searches_are_arrays(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body, "MP-CON-008")
    expect(isinstance(mp.read(api, profile_id, "MP-CON-008"), dict), "MP-CON-008", "GET by id is not an object")
    by_alt = mp.call(api, "GET", mp.BY_ALT, params=mp.alt_of(body)).json()
    expect(isinstance(by_alt, dict), "MP-CON-008", "GET by alternate id is not an object")
    found = mp.search(api, "/{clientId}/Profile/Name", "MP-CON-008", {"lastName": body["CustomerName"]["LastName"]})
    expect(isinstance(found, list), "MP-CON-008", "a search answer is not an array")


@req("MP-CON-009")
def test_standard_field_history_envelope(api):
    profile_id = mp.create(api, mp.new_profile(api), "MP-CON-009")
    template = mp.HISTORY.replace("{kind}", "StandardFields")
    history = api.conforms(mp.call(api, "GET", template, profileId=profile_id), "GET", template, "MP-CON-009", status=200)
    expect(isinstance(history, dict) and isinstance(history.get("UserProfilePreferences"), list), "MP-CON-009",
           f"the standard-field history is not {{UserProfilePreferences: [...]}}: {str(history)[:200]}")


@req("MP-CON-010")
def test_200_to_put_or_patch_is_the_updated_profile(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body, "MP-CON-010")
    calls = [("PUT", mp.BY_ID, None, dict(body, CustomerType="Put"), "Put"),
             ("PATCH", mp.BY_ID, None, [{"op": "replace", "path": "/CustomerType", "value": "Patched"}], "Patched"),
             ("PUT", mp.BY_ALT, mp.alt_of(body), dict(body, CustomerType="PutAlt"), "PutAlt"),
             ("PATCH", mp.BY_ALT, mp.alt_of(body),
              {"Operations": [{"op": "replace", "path": "/CustomerType", "value": "PatchedAlt"}]}, "PatchedAlt")]
    for method, template, params, payload, value in calls:
        response = mp.call(api, method, template, params=params, body=payload, profileId=profile_id)
        answer = api.conforms(response, method, template, "MP-CON-010", status=(200, 202))
        if response.status_code == 200:
            expect(isinstance(answer, dict) and answer.get("ProfileId") == profile_id, "MP-CON-010",
                   f"the 200 answer to {method} {template} is not the profile")
            expect(answer.get("CustomerType") == value, "MP-CON-010",
                   f"the 200 answer to {method} {template} shows CustomerType {answer.get('CustomerType')!r}, not {value!r}")
        mp.wait_complete(api, profile_id, "MP-CON-010")


@req("MP-CON-011")
def test_delete_and_archive_answer_204_without_a_body(api):
    profile_id = mp.create(api, mp.rich_profile(api), "MP-CON-011")
    archive = mp.call(api, "PUT", mp.ARCHIVE, body={"GlobalDeactivate": True}, profileId=profile_id)
    delete = mp.call(api, "DELETE", mp.BY_ID, profileId=profile_id)
    for label, response in (("archive", archive), ("DELETE", delete)):
        expect(response.status_code == 204 and not response.content, "MP-CON-011",
               f"{label} answered {response.status_code} with {len(response.content)} bytes")


@req("MP-VER-001")
def test_documented_paths_under_the_v2_base(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body, "MP-VER-001")
    for template, params in ((mp.BY_ID, None), (mp.BY_ALT, mp.alt_of(body))):
        status = mp.call(api, "GET", template, params=params, profileId=profile_id).status_code
        expect(status == 200, "MP-VER-001", f"GET {template} answered {status}")
    host = api.base_url.split("/")[2]
    if host.endswith("mypreferences.com"):
        expect(api.base_url.rstrip("/").endswith("/Profiles/v2"), "MP-VER-001",
               f"the vendor base URL {api.base_url} is not the documented …/Profiles/v2")
