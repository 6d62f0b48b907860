"""Documented error answers: 400 for malformed requests, 404 for what does not exist (doc L202,
L323), and their JSON bodies."""

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect

req = pytest.mark.req
SEARCHES = {
    "/{clientId}/Profile/Address": {"city": "X", "stateProvince": "Y"},
    "/{clientId}/Profile/Email": {"emailAddress": "a@example.com"},
    "/{clientId}/Profile/Name": {"lastName": "X"},
    "/{clientId}/Profile/Name/Partial": {"lastName": "X"},
    "/{clientId}/Profile/Phone": {"phoneNumber": "5550100"},
    "/{clientId}/Profile/CustomFields": {"customFields[0].Name": "a", "customFields[0].Value": "b"},
    "/{clientId}/Profile/Attributes": {"attributes[0].Key": "a", "attributes[0].Value": "b"},
    "/{clientId}/Profile/Tags": {"tag[0]": "a"},
    "/{clientId}/Profile/Groups": {"groupType": "a", "groupName": "b"},
    "/{clientId}/Profile/Groups/Email": {"groupType": "a", "emailAddress": "a@example.com"},
    "/{clientId}/Profile/Groups/Phone": {"groupType": "a", "phoneNumber": "5550100"},
    "/{clientId}/Profile/CustomFields/SelectList": {"customFields[0].OperatorId": 1, "customFields[0].Name": "a",
                                                    "customFields[0].Value": "b"},
}
GROUP_PRIMARY = "/{clientId}/Profile/Groups/Primary/{profileId}"


@pytest.fixture
def existing(api):
    body = mp.new_profile(api, "err")
    return mp.create(api, body, "MP-ERR-002"), body


@pytest.fixture
def gone(api):
    """A ProfileId that certainly does not exist: created by the run, then deleted."""
    profile_id = mp.create(api, mp.new_profile(api, "gone"), "MP-ERR-002")
    mp.call(api, "DELETE", mp.BY_ID, profileId=profile_id)
    return profile_id


def _unknown_alt(api):
    return {"alternateIdType": mp.alt_type(api), "alternateId": api.unique("nobody")}


@req("MP-ERR-001")
def test_unknown_account_is_404_everywhere(api, existing):
    profile_id, body = existing
    account = "cfx-no-such-account-" + api.run.run_id
    for request in mp.every_operation(api, profile_id, mp.alt_of(body)):
        response = mp.send(api, request, client=account)
        expect(response.status_code == 404, "MP-ERR-001",
               f"{request['label']} under unknown clientId answered {response.status_code}, not 404")


@req("MP-ERR-002")
def test_get_unknown_profile(api, gone):
    api.conforms(mp.get(api, gone), "GET", mp.BY_ID, "MP-ERR-002", status=404)


@req("MP-ERR-003")
def test_update_unknown_profile(api, gone):
    body = mp.new_profile(api, "ghost")
    api.conforms(mp.call(api, "POST", mp.BY_ID, body=body, profileId=gone), "POST", mp.BY_ID, "MP-ERR-003", status=404)
    lookup = mp.call(api, "GET", mp.BY_ALT, params=mp.alt_of(body))
    expect(lookup.status_code == 404, "MP-ERR-003", "updating an unknown profile created one")


@req("MP-ERR-004")
def test_put_unknown_profile(api, gone):
    body = mp.new_profile(api, "ghost")
    api.conforms(mp.call(api, "PUT", mp.BY_ID, body=body, profileId=gone), "PUT", mp.BY_ID, "MP-ERR-004", status=404)
    lookup = mp.call(api, "GET", mp.BY_ALT, params=mp.alt_of(body))
    expect(lookup.status_code == 404, "MP-ERR-004", "a PUT of an unknown profile created one")


@req("MP-ERR-005")
def test_patch_unknown_profile(api, gone):
    patch = [{"op": "replace", "path": "/CustomerType", "value": "X"}]
    response = mp.call(api, "PATCH", mp.BY_ID, body=patch, profileId=gone)
    api.conforms(response, "PATCH", mp.BY_ID, "MP-ERR-005", status=404)


@req("MP-ERR-006")
def test_delete_unknown_profile(api, gone):
    api.conforms(mp.call(api, "DELETE", mp.BY_ID, profileId=gone), "DELETE", mp.BY_ID, "MP-ERR-006", status=404)


@req("MP-ERR-007")
def test_get_unknown_alternate_id(api):
    response = mp.call(api, "GET", mp.BY_ALT, params=_unknown_alt(api))
    api.conforms(response, "GET", mp.BY_ALT, "MP-ERR-007", status=404)


@req("MP-ERR-008")
def test_patch_unknown_alternate_id(api):
    alt = _unknown_alt(api)
    patch = {"Operations": [{"op": "add", "path": "/CustomerType", "value": "X"}]}
    api.conforms(mp.call(api, "PATCH", mp.BY_ALT, params=alt, body=patch), "PATCH", mp.BY_ALT, "MP-ERR-008",
                 status=404)
    lookup = mp.call(api, "GET", mp.BY_ALT, params=alt)
    expect(lookup.status_code == 404, "MP-ERR-008", "a PATCH of an unknown alternate id created a profile")


@req("MP-ERR-009")
def test_history_of_unknown_profile(api, gone):
    for kind in mp.HISTORY_KINDS:
        by_id = mp.call(api, "GET", mp.HISTORY, kind=kind, profileId=gone)
        api.conforms(by_id, "GET", mp.HISTORY.replace("{kind}", kind), "MP-ERR-009", status=404)
        by_alt = mp.call(api, "GET", mp.HISTORY_ALT, kind=kind, params=_unknown_alt(api))
        api.conforms(by_alt, "GET", mp.HISTORY_ALT.replace("{kind}", kind), "MP-ERR-009", status=404)


@req("MP-ERR-010")
def test_archive_unknown_profile(api, gone):
    response = mp.call(api, "PUT", mp.ARCHIVE, body={"GlobalDeactivate": True}, profileId=gone)
    api.conforms(response, "PUT", mp.ARCHIVE, "MP-ERR-010", status=404)


@req("MP-ERR-011")
def test_group_of_unknown_profile(api, gone):
    template = "/{clientId}/Profile/Groups/Primary/{profileId}"
    response = mp.call(api, "GET", template, params={"groupType": "Household"}, profileId=gone)
    api.conforms(response, "GET", template, "MP-ERR-011", status=404)


@req("MP-ERR-012")
def test_body_that_is_not_json(api, existing):
    profile_id, body = existing
    before = mp.read(api, profile_id, "MP-ERR-012")
    bad = b'{"CustomerType": "Broken",'
    writes = [("POST", mp.PROFILE, {}, None), ("POST", mp.BY_ID, {"profileId": profile_id}, None),
              ("POST", mp.BY_ALT, {}, mp.alt_of(body)), ("PUT", mp.BY_ID, {"profileId": profile_id}, None),
              ("PUT", mp.BY_ALT, {}, mp.alt_of(body)), ("PATCH", mp.BY_ID, {"profileId": profile_id}, None),
              ("PATCH", mp.BY_ALT, {}, mp.alt_of(body)), ("PUT", mp.ARCHIVE, {"profileId": profile_id}, None)]
    for method, template, path, params in writes:
        response = mp.call(api, method, template, raw=bad, params=params, **path)
        api.conforms(response, method, template, "MP-ERR-012", status=400)
    after = mp.wait_complete(api, profile_id, "MP-ERR-012")
    expect(after.get("CustomerType") == before.get("CustomerType"), "MP-ERR-012", "a rejected body changed the profile")


@req("MP-ERR-013")
def test_wrongly_typed_members(api, existing):
    profile_id, _ = existing
    _refuse_typed(api, profile_id, "MP-ERR-013", (("IsActive 'yes'", {"IsActive": "yes"}),
                                                  ("Emails as an object", {"Emails": {"a": 1}})))


def _refuse_typed(api, profile_id, rid, cases):
    for label, override in cases:
        body = mp.new_profile(api, "typed", **override)
        create = mp.call(api, "POST", mp.PROFILE, body=body)
        api.conforms(create, "POST", mp.PROFILE, rid, status=400)
        lookup = mp.call(api, "GET", mp.BY_ALT, params=mp.alt_of(body))
        expect(lookup.status_code == 404, rid, f"a create with {label} left a profile behind")
        update = mp.call(api, "POST", mp.BY_ID, body=override | {"CustomerType": "cfxTyped"}, profileId=profile_id)
        api.conforms(update, "POST", mp.BY_ID, rid, status=400)
        after = mp.wait_complete(api, profile_id, rid)
        expect(after.get("CustomerType") != "cfxTyped", rid, f"an update with {label} was applied")


@req("MP-ERR-021")
def test_read_only_profile_id_of_the_wrong_type(api, existing):
    profile_id, _ = existing
    _refuse_typed(api, profile_id, "MP-ERR-021", (("ProfileId as text", {"ProfileId": "abc"}),))


@req("MP-ERR-014")
def test_alternate_id_operations_need_both_parameters(api, existing):
    _, body = existing
    alt = mp.alt_of(body)
    operations = [("GET", mp.BY_ALT, None), ("POST", mp.BY_ALT, {"CustomerType": "X"}),
                  ("PATCH", mp.BY_ALT, {"Operations": []}), ("PUT", mp.BY_ALT, {"CustomerType": "X"})]
    operations += [("GET", mp.HISTORY_ALT.replace("{kind}", kind), None) for kind in mp.HISTORY_KINDS]
    for method, template, payload in operations:
        for missing in ("alternateId", "alternateIdType"):
            params = {k: v for k, v in alt.items() if k != missing}
            response = mp.call(api, method, template, params=params, body=payload)
            api.conforms(response, method, template, "MP-ERR-014", status=400)


@req("MP-ERR-015")
def test_searches_need_their_required_parameters(api, existing):
    profile_id, body = existing
    cases = [(template, params, {}) for template, params in SEARCHES.items()]
    # The two group queries that name an existing profile: only the missing groupType can refuse them.
    cases += [("/{clientId}/Profile/Groups/AlternateId", {"groupType": "a", **mp.alt_of(body)}, {}),
              (GROUP_PRIMARY, {"groupType": "a"}, {"profileId": profile_id})]
    for template, params, path in cases:
        for name in params:
            if template != "/{clientId}/Profile/Groups/AlternateId" or name == "groupType":
                partial = {k: v for k, v in params.items() if k != name}
                response = mp.call(api, "GET", template, params=partial or None, **path)
                expect(response.status_code == 400, "MP-ERR-015",
                       f"GET {template} without {name} answered {response.status_code}, not 400")


@req("MP-ERR-016")
def test_boolean_query_parameters_must_be_booleans(api, existing):
    profile_id, body = existing
    cases = [
        (mp.BY_ID, {"implied": "maybe"}, {"profileId": profile_id}),
        (mp.BY_ALT, mp.alt_of(body) | {"matchInactive": "maybe"}, {}),
        (mp.BY_ALT, mp.alt_of(body) | {"implied": "maybe"}, {}),
        ("/{clientId}/Profile/Email", {"emailAddress": "a@example.com", "implied": "maybe"}, {}),
        ("/{clientId}/Profile/Address", {"city": "X", "stateProvince": "Y", "partialAddress1Match": "maybe"}, {}),
        ("/{clientId}/Profile/Address", {"city": "X", "stateProvince": "Y", "partialNameMatch": "maybe"}, {}),
        ("/{clientId}/Profile/Tags", {"tag[0]": "a", "exactMatch": "maybe"}, {}),
        ("/{clientId}/Profile/Tags", {"tag[0]": "a", "multipleProfiles": "maybe"}, {}),
    ]
    for template, params, path in cases:
        response = mp.call(api, "GET", template, params=params, **path)
        expect(response.status_code == 400, "MP-ERR-016",
               f"GET {template} with {params} answered {response.status_code}, not 400")


@req("MP-ERR-017")
def test_non_integer_profile_id_is_refused(api, existing):
    # An existing id with text around it must not be "read for its digits" and served, on any operation
    # taking a profileId (the POST update even types it as a string, L378-L380). DELETE goes last.
    profile_id, body = existing
    before = mp.read(api, profile_id, "MP-ERR-017")
    requests = [r for r in mp.every_operation(api, profile_id, mp.alt_of(body)) if "{profileId}" in r["template"]]
    requests.sort(key=lambda r: r["method"] == "DELETE")
    for request in requests:
        payload = {"CustomerType": "cfxLax"} if request["body"] == {"CustomerType": "Retail"} else request["body"]
        for value in ("abc", f"{profile_id}abc", f"x{profile_id}", "1.5", "99999999999999999999"):
            response = mp.send(api, request, profileId=value, body=payload)
            expect(response.status_code in (400, 404), "MP-ERR-017",
                   f"{request['method']} {request['template']} with profileId {value!r} answered "
                   f"{response.status_code}, not 400 or 404")
    after = mp.read(api, profile_id, "MP-ERR-017")
    expect(after.get("CustomerType") == before.get("CustomerType"), "MP-ERR-017",
           f"a write to a non-integer profileId changed profile {profile_id}")


@req("MP-ERR-018")
def test_error_bodies_are_json_objects(api, existing, gone):
    profile_id, body = existing
    samples = {
        400: mp.call(api, "POST", mp.PROFILE, raw=b"{"),
        401: mp.call(api, "GET", mp.BY_ID, auth=False, profileId=profile_id),
        404: mp.get(api, gone),
        409: mp.call(api, "POST", mp.PROFILE, body=mp.new_profile(api, "dup") | {"AlternateIds": body["AlternateIds"]}),
    }
    for status, response in samples.items():
        expect(response.status_code == status, "MP-ERR-018", f"expected a {status} sample, got {response.status_code}")
        try:
            payload = response.json()
        except ValueError:
            payload = None
        expect(isinstance(payload, dict), "MP-ERR-018",
               f"the {status} body is not a JSON object: {response.text[:120]!r}")
