"""Documented error answers: 400 for malformed requests, 404 for what does not exist (doc L202,
L323), and their JSON bodies."""

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, ids_of, req

SEARCHES = {
    "searchProfilesByAddress": {"city": "X", "stateProvince": "Y"},
    "searchProfilesByEmail": {"emailAddress": "a@example.com"},
    "searchProfilesByName": {"lastName": "X"},
    "searchProfilesByPartialName": {"lastName": "X"},
    "searchProfilesByPhone": {"phoneNumber": "5550100"},
    "searchProfilesByCustomFields": {"customFields[0].Name": "a", "customFields[0].Value": "b"},
    "searchProfilesByPreferenceAttributes": {"attributes[0].Key": "a", "attributes[0].Value": "b"},
    "searchProfilesByTags": {"tag[0]": "a"},
    "getGroupProfilesByGroupName": {"groupType": "a", "groupName": "b"},
    "getGroupProfilesByEmail": {"groupType": "a", "emailAddress": "a@example.com"},
    "getGroupProfilesByPhone": {"groupType": "a", "phoneNumber": "5550100"},
    "searchProfilesBySelectListCustomFields": {"customFields[0].OperatorId": 1, "customFields[0].Name": "a",
                                               "customFields[0].Value": "b"},
}


def _owner():
    # The profiles the fixtures create: a failing create is MP-ERR-002's row, the other tests are blocked.
    return ids_of(test_get_unknown_profile)


@pytest.fixture
def existing(api):
    body = mp.new_profile(api, "err")
    return mp.create(api, body, ids=_owner()), body


@pytest.fixture
def gone(api):
    """A ProfileId that certainly does not exist: created by the run, then deleted."""
    profile_id = mp.create(api, mp.new_profile(api, "gone"), ids=_owner())
    api.call("deleteProfile", profileId=profile_id)
    return profile_id


def _unknown_alt(api):
    return {"alternateIdType": mp.alt_type(api), "alternateId": api.unique("nobody")}


@req("MP-ERR-001")
def test_unknown_account_is_404_everywhere(api, existing):
    profile_id, body = existing
    account = "cfx-no-such-account-" + api.run.run_id
    for request in mp.every_operation(api, profile_id, mp.alt_of(body)):
        response = mp.send(api, request, clientId=account)
        expect(response.status_code == 404,
               f"{request['label']} under unknown clientId answered {response.status_code}, not 404")


@req("MP-ERR-002")
def test_get_unknown_profile(api, gone):
    api.conforms(mp.get(api, gone), status=404)


@req("MP-ERR-003")
def test_update_unknown_profile(api, gone):
    body = mp.new_profile(api, "ghost")
    api.conforms(api.call("updateProfile", json=body, profileId=gone), status=404)
    lookup = api.call("getProfileByAlternateId", params=mp.alt_of(body))
    expect(lookup.status_code == 404, "updating an unknown profile created one")


@req("MP-ERR-004")
def test_put_unknown_profile(api, gone):
    body = mp.new_profile(api, "ghost")
    api.conforms(api.call("replaceProfile", json=body, profileId=gone), status=404)
    lookup = api.call("getProfileByAlternateId", params=mp.alt_of(body))
    expect(lookup.status_code == 404, "a PUT of an unknown profile created one")


@req("MP-ERR-005")
def test_patch_unknown_profile(api, gone):
    patch = [{"op": "replace", "path": "/CustomerType", "value": "X"}]
    response = api.call("patchProfile", json=patch, profileId=gone)
    api.conforms(response, status=404)


@req("MP-ERR-006")
def test_delete_unknown_profile(api, gone):
    api.conforms(api.call("deleteProfile", profileId=gone), status=404)


@req("MP-ERR-007")
def test_get_unknown_alternate_id(api):
    response = api.call("getProfileByAlternateId", params=_unknown_alt(api))
    api.conforms(response, status=404)


@req("MP-ERR-008")
def test_patch_unknown_alternate_id(api):
    alt = _unknown_alt(api)
    patch = {"Operations": [{"op": "add", "path": "/CustomerType", "value": "X"}]}
    api.conforms(api.call("patchProfileByAlternateId", params=alt, json=patch), status=404)
    lookup = api.call("getProfileByAlternateId", params=alt)
    expect(lookup.status_code == 404, "a PATCH of an unknown alternate id created a profile")


@req("MP-ERR-009")
def test_history_of_unknown_profile(api, gone):
    for kind in mp.HISTORY_KINDS:
        by_id = api.call(mp.history_op(kind), profileId=gone)
        api.conforms(by_id, status=404)
        by_alt = api.call(mp.history_op(kind, by_alt=True), params=_unknown_alt(api))
        api.conforms(by_alt, status=404)


@req("MP-ERR-010")
def test_archive_unknown_profile(api, gone):
    response = api.call("archivePreferences", json={"GlobalDeactivate": True}, profileId=gone)
    api.conforms(response, status=404)


@req("MP-ERR-011")
def test_group_of_unknown_profile(api, gone):
    response = api.call("getGroupProfilesByProfileId", params={"groupType": "Household"}, profileId=gone)
    api.conforms(response, status=404)


@req("MP-ERR-012")
def test_body_that_is_not_json(api, existing):
    profile_id, body = existing
    before = mp.read(api, profile_id)
    bad = b'{"CustomerType": "Broken",'
    writes = [("createProfile", {}, None), ("updateProfile", {"profileId": profile_id}, None),
              ("upsertProfileByAlternateId", {}, mp.alt_of(body)), ("replaceProfile", {"profileId": profile_id}, None),
              ("replaceProfileByAlternateId", {}, mp.alt_of(body)), ("patchProfile", {"profileId": profile_id}, None),
              ("patchProfileByAlternateId", {}, mp.alt_of(body)), ("archivePreferences", {"profileId": profile_id}, None)]
    for operation, path, params in writes:
        response = api.call(operation, content=bad, params=params, **path)
        api.conforms(response, status=400)
    after = mp.wait_complete(api, profile_id)
    expect(after.get("CustomerType") == before.get("CustomerType"), "a rejected body changed the profile")


@req("MP-ERR-013")
def test_wrongly_typed_members(api, existing):
    profile_id, _ = existing
    _refuse_typed(api, profile_id, (("IsActive 'yes'", {"IsActive": "yes"}),
                                    ("Emails as an object", {"Emails": {"a": 1}})))


def _refuse_typed(api, profile_id, cases):
    for label, override in cases:
        body = mp.new_profile(api, "typed", **override)
        create = api.call("createProfile", json=body)
        api.conforms(create, status=400)
        lookup = api.call("getProfileByAlternateId", params=mp.alt_of(body))
        expect(lookup.status_code == 404, f"a create with {label} left a profile behind")
        update = api.call("updateProfile", json=override | {"CustomerType": "cfxTyped"}, profileId=profile_id)
        api.conforms(update, status=400)
        after = mp.wait_complete(api, profile_id)
        expect(after.get("CustomerType") != "cfxTyped", f"an update with {label} was applied")


@req("MP-ERR-021")
def test_read_only_profile_id_of_the_wrong_type(api, existing):
    profile_id, _ = existing
    _refuse_typed(api, profile_id, (("ProfileId as text", {"ProfileId": "abc"}),))


@req("MP-ERR-014")
def test_alternate_id_operations_need_both_parameters(api, existing):
    _, body = existing
    alt = mp.alt_of(body)
    operations = [("getProfileByAlternateId", None), ("upsertProfileByAlternateId", {"CustomerType": "X"}),
                  ("patchProfileByAlternateId", {"Operations": []}), ("replaceProfileByAlternateId", {"CustomerType": "X"})]
    operations += [(mp.history_op(kind, by_alt=True), None) for kind in mp.HISTORY_KINDS]
    for operation, payload in operations:
        for missing in ("alternateId", "alternateIdType"):
            params = {k: v for k, v in alt.items() if k != missing}
            response = api.call(operation, params=params, json=payload)
            api.conforms(response, status=400)


@req("MP-ERR-015")
def test_searches_need_their_required_parameters(api, existing):
    profile_id, body = existing
    cases = [(operation, params, {}) for operation, params in SEARCHES.items()]
    # The two group queries that name an existing profile: only the missing groupType can refuse them.
    cases += [("getGroupProfilesByAlternateId", {"groupType": "a", **mp.alt_of(body)}, {}),
              ("getGroupProfilesByProfileId", {"groupType": "a"}, {"profileId": profile_id})]
    for operation, params, path in cases:
        for name in params:
            if operation != "getGroupProfilesByAlternateId" or name == "groupType":
                partial = {k: v for k, v in params.items() if k != name}
                response = api.call(operation, params=partial or None, **path)
                expect(response.status_code == 400,
                       f"{' '.join(api.path_of(operation))} without {name} answered {response.status_code}, not 400")


@req("MP-ERR-016")
def test_boolean_query_parameters_must_be_booleans(api, existing):
    profile_id, body = existing
    cases = [
        ("getProfile", {"implied": "maybe"}, {"profileId": profile_id}),
        ("getProfileByAlternateId", mp.alt_of(body) | {"matchInactive": "maybe"}, {}),
        ("getProfileByAlternateId", mp.alt_of(body) | {"implied": "maybe"}, {}),
        ("searchProfilesByEmail", {"emailAddress": "a@example.com", "implied": "maybe"}, {}),
        ("searchProfilesByAddress", {"city": "X", "stateProvince": "Y", "partialAddress1Match": "maybe"}, {}),
        ("searchProfilesByAddress", {"city": "X", "stateProvince": "Y", "partialNameMatch": "maybe"}, {}),
        ("searchProfilesByTags", {"tag[0]": "a", "exactMatch": "maybe"}, {}),
        ("searchProfilesByTags", {"tag[0]": "a", "multipleProfiles": "maybe"}, {}),
    ]
    for operation, params, path in cases:
        response = api.call(operation, params=params, **path)
        expect(response.status_code == 400,
               f"{' '.join(api.path_of(operation))} with {params} answered {response.status_code}, not 400")


@req("MP-ERR-017")
def test_non_integer_profile_id_is_refused(api, existing):
    # An existing id with text around it must not be "read for its digits" and served, on any operation
    # taking a profileId (the POST update even types it as a string, L378-L380). DELETE goes last.
    profile_id, body = existing
    before = mp.read(api, profile_id)
    requests = [r for r in mp.every_operation(api, profile_id, mp.alt_of(body))
                if "{profileId}" in api.path_of(r["operationId"])[1]]
    requests.sort(key=lambda r: api.path_of(r["operationId"])[0] == "DELETE")
    for request in requests:
        payload = {"CustomerType": "cfxLax"} if request["json"] == {"CustomerType": "Retail"} else request["json"]
        for value in ("abc", f"{profile_id}abc", f"x{profile_id}", "1.5", "99999999999999999999"):
            response = mp.send(api, request, profileId=value, json=payload)
            expect(response.status_code in (400, 404),
                   f"{request['label']} with profileId {value!r} answered "
                   f"{response.status_code}, not 400 or 404")
    after = mp.read(api, profile_id)
    expect(after.get("CustomerType") == before.get("CustomerType"),
           f"a write to a non-integer profileId changed profile {profile_id}")


@req("MP-ERR-018")
def test_error_bodies_are_json_objects(api, existing, gone):
    profile_id, body = existing
    samples = {
        400: api.call("createProfile", content=b"{"),
        401: api.call("getProfile", auth=False, profileId=profile_id),
        404: mp.get(api, gone),
        409: api.call("createProfile", json=mp.new_profile(api, "dup") | {"AlternateIds": body["AlternateIds"]}),
    }
    for status, response in samples.items():
        expect(response.status_code == status, f"expected a {status} sample, got {response.status_code}")
        try:
            payload = response.json()
        except ValueError:
            payload = None
        expect(isinstance(payload, dict),
               f"the {status} body is not a JSON object: {response.text[:120]!r}")
