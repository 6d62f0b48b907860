"""Response shapes the doc states: receipts, 202 statuses, objects vs arrays, empty 204s."""

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect, not_applicable

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
    alt = mp.alt_of(body)
    writes = [("POST", mp.PROFILE, {}, None, mp.new_profile(api)),
              ("POST", mp.BY_ID, {"profileId": profile_id}, None, {"CustomerType": "A"}),
              ("POST", mp.BY_ALT, {}, alt, {"CustomerType": "B"}),
              ("PUT", mp.BY_ID, {"profileId": profile_id}, None, dict(body, CustomerType="C")),
              ("PUT", mp.BY_ALT, {}, alt, dict(body, CustomerType="E")),
              ("PATCH", mp.BY_ID, {"profileId": profile_id}, None, [{"op": "replace", "path": "/CustomerType", "value": "D"}]),
              ("PATCH", mp.BY_ALT, {}, alt, {"Operations": [{"op": "replace", "path": "/CustomerType", "value": "F"}]})]
    queued = 0
    for method, template, path, params, payload in writes:
        response = mp.call(api, method, template, params=params, body=payload, **path)
        if response.status_code == 202:
            queued += 1
            # A 202 without a JSON body, or without UpdateStatus "Pending Update", does not conform (L320).
            receipt = api.conforms(response, method, template, "MP-CON-007", status=202)
            status = receipt.get("UpdateStatus") if isinstance(receipt, dict) else None
            expect(status == "Pending Update", "MP-CON-007", f"{method} {template} answered 202 with UpdateStatus {status!r}")
        else:
            api.conforms(response, method, template, "MP-CON-007", status=200)
        mp.wait_complete(api, profile_id, "MP-CON-007")
    if not queued:
        not_applicable("the target answered every write 200: it queues none (no 202 to check)")


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


def _put_and_patch(api, body):
    return [("PUT", mp.BY_ID, None, dict(body, CustomerType="Put"), "Put"),
            ("PATCH", mp.BY_ID, None, [{"op": "replace", "path": "/CustomerType", "value": "Patched"}], "Patched"),
            ("PUT", mp.BY_ALT, mp.alt_of(body), dict(body, CustomerType="PutAlt"), "PutAlt"),
            ("PATCH", mp.BY_ALT, mp.alt_of(body),
             {"Operations": [{"op": "replace", "path": "/CustomerType", "value": "PatchedAlt"}]}, "PatchedAlt")]


@req("MP-CON-010")
def test_200_to_put_or_patch_is_the_profile(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body, "MP-CON-010")
    for method, template, params, payload, _value in _put_and_patch(api, body):
        response = mp.call(api, method, template, params=params, body=payload, profileId=profile_id)
        answer = api.conforms(response, method, template, "MP-CON-010", status=(200, 202))
        if response.status_code == 200:
            expect(isinstance(answer, dict) and answer.get("ProfileId") == profile_id, "MP-CON-010",
                   f"the 200 answer to {method} {template} is not the profile")
        mp.wait_complete(api, profile_id, "MP-CON-010")


@req("MP-CON-012")
def test_200_to_put_or_patch_shows_the_change(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body, "MP-CON-012")
    for method, template, params, payload, value in _put_and_patch(api, body):
        response = mp.call(api, method, template, params=params, body=payload, profileId=profile_id)
        answer = api.conforms(response, method, template, "MP-CON-012", status=(200, 202))
        if response.status_code == 200:
            shown = answer.get("CustomerType") if isinstance(answer, dict) else None
            expect(shown == value, "MP-CON-012",
                   f"the 200 answer to {method} {template} shows CustomerType {shown!r}, not {value!r}")
        mp.wait_complete(api, profile_id, "MP-CON-012")


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
