"""Response shapes the doc states: receipts, 202 statuses, objects vs arrays, empty 204s."""

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, not_applicable, req

RECEIPT = ("AlternateId", "AlternateIdType", "ProfileId", "UpdateStatus", "SubmittedUtcTime")


@req("MP-CON-006")
def test_create_receipt(api):
    response = api.call("createProfile", json=mp.new_profile(api))
    receipt = api.conforms(response, status=(200, 202))
    missing = [k for k in RECEIPT if k not in receipt]
    expect(not missing, f"the receipt lacks {missing}: {receipt}")
    expect(isinstance(receipt.get("ProfileId"), int), "ProfileId is not an integer")


@req("MP-CON-007")
def test_every_202_says_pending_update(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body)
    alt = mp.alt_of(body)
    writes = [("createProfile", {}, None, mp.new_profile(api)),
              ("updateProfile", {"profileId": profile_id}, None, {"CustomerType": "A"}),
              ("upsertProfileByAlternateId", {}, alt, {"CustomerType": "B"}),
              ("replaceProfile", {"profileId": profile_id}, None, dict(body, CustomerType="C")),
              ("replaceProfileByAlternateId", {}, alt, dict(body, CustomerType="E")),
              ("patchProfile", {"profileId": profile_id}, None,
               [{"op": "replace", "path": "/CustomerType", "value": "D"}]),
              ("patchProfileByAlternateId", {}, alt,
               {"Operations": [{"op": "replace", "path": "/CustomerType", "value": "F"}]})]
    queued = 0
    for operation, path, params, payload in writes:
        response = api.call(operation, params=params, json=payload, **path)
        if response.status_code == 202:
            queued += 1
            # A 202 without a JSON body, or without UpdateStatus "Pending Update", does not conform (L320).
            receipt = api.conforms(response, status=202)
            status = receipt.get("UpdateStatus") if isinstance(receipt, dict) else None
            expect(status == "Pending Update",
                   f"{' '.join(api.path_of(operation))} answered 202 with UpdateStatus {status!r}")
        else:
            api.conforms(response, status=200)
        mp.wait_complete(api, profile_id)
    if not queued:
        not_applicable("the target answered every write 200: it queues none (no 202 to check)")


@req("MP-CON-008")
def test_reads_are_objects_searches_are_arrays(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body)
    expect(isinstance(mp.read(api, profile_id), dict), "GET by id is not an object")
    by_alt = api.call("getProfileByAlternateId", params=mp.alt_of(body)).json()
    expect(isinstance(by_alt, dict), "GET by alternate id is not an object")
    found = mp.search(api, "searchProfilesByName", {"lastName": body["CustomerName"]["LastName"]})
    expect(isinstance(found, list), "a search answer is not an array")


@req("MP-CON-009")
def test_standard_field_history_envelope(api):
    profile_id = mp.create(api, mp.new_profile(api))
    history = api.conforms(api.call(mp.history_op("StandardFields"), profileId=profile_id), status=200)
    expect(isinstance(history, dict) and isinstance(history.get("UserProfilePreferences"), list),
           f"the standard-field history is not {{UserProfilePreferences: [...]}}: {str(history)[:200]}")


def _put_and_patch(api, body):
    return [("replaceProfile", None, dict(body, CustomerType="Put"), "Put"),
            ("patchProfile", None, [{"op": "replace", "path": "/CustomerType", "value": "Patched"}], "Patched"),
            ("replaceProfileByAlternateId", mp.alt_of(body), dict(body, CustomerType="PutAlt"), "PutAlt"),
            ("patchProfileByAlternateId", mp.alt_of(body),
             {"Operations": [{"op": "replace", "path": "/CustomerType", "value": "PatchedAlt"}]}, "PatchedAlt")]


@req("MP-CON-010")
def test_200_to_put_or_patch_is_the_profile(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body)
    for operation, params, payload, _value in _put_and_patch(api, body):
        response = api.call(operation, params=params, json=payload, profileId=profile_id)
        answer = api.conforms(response, status=(200, 202))
        if response.status_code == 200:
            expect(isinstance(answer, dict) and answer.get("ProfileId") == profile_id,
                   f"the 200 answer to {' '.join(api.path_of(operation))} is not the profile")
        mp.wait_complete(api, profile_id)


@req("MP-CON-012")
def test_200_to_put_or_patch_shows_the_change(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body)
    for operation, params, payload, value in _put_and_patch(api, body):
        response = api.call(operation, params=params, json=payload, profileId=profile_id)
        answer = api.conforms(response, status=(200, 202))
        if response.status_code == 200:
            shown = answer.get("CustomerType") if isinstance(answer, dict) else None
            expect(shown == value, f"the 200 answer to {' '.join(api.path_of(operation))} shows CustomerType "
                                   f"{shown!r}, not {value!r}")
        mp.wait_complete(api, profile_id)


@req("MP-CON-011")
def test_delete_and_archive_answer_204_without_a_body(api):
    profile_id = mp.create(api, mp.rich_profile(api))
    archive = api.call("archivePreferences", json={"GlobalDeactivate": True}, profileId=profile_id)
    delete = api.call("deleteProfile", profileId=profile_id)
    for label, response in (("archive", archive), ("DELETE", delete)):
        expect(response.status_code == 204 and not response.content,
               f"{label} answered {response.status_code} with {len(response.content)} bytes")


@req("MP-VER-001")
def test_documented_paths_under_the_v2_base(api):
    body = mp.new_profile(api)
    profile_id = mp.create(api, body)
    for operation, params in (("getProfile", None), ("getProfileByAlternateId", mp.alt_of(body))):
        status = api.call(operation, params=params, profileId=profile_id).status_code
        expect(status == 200, f"{' '.join(api.path_of(operation))} answered {status}")
    host = api.base_url.split("/")[2]
    if host.endswith("mypreferences.com"):
        expect(api.base_url.rstrip("/").endswith("/Profiles/v2"),
               f"the vendor base URL {api.base_url} is not the documented …/Profiles/v2")
