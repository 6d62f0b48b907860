"""Each result code of the doc's table, in the situation that produces it (doc 002, L33-L56)."""

import pytest

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite.outcome import expect

req = pytest.mark.req


def _one(customerid, **attributes):
    return {"profiles": [{"customerid": customerid, "attributes": attributes}]}


@req("IMI-ERR-001")
@pytest.mark.parametrize("op", ["createProfile", "updateProfile", "createAppProfile", "updateAppProfile"])
def test_invalid_json_7000(api, op):
    for raw in ('{"profiles": [', "profiles=1", "{'profiles': []}"):
        imi.expect_code(api, "IMI-ERR-001", imi.call(api, op, raw=raw), 7000, f"{op} with body {raw!r}")


@req("IMI-ERR-002")
def test_missing_parameters_7003(api):
    rid = "IMI-ERR-002"
    appid = imi.app_id(api)
    customerid, _ = imi.new_customer(api, rid)
    cases = [
        ("getProfile", {"params": {}}),
        ("getAppProfile", {"params": {"appid": appid}}),
        ("getAppProfile", {"params": {"customerid": customerid}}),
        ("deleteProfile", {"params": {}}),
        ("deleteAppProfile", {"params": {"customerid": customerid, "appid": appid}}),
        ("deleteDeviceAppProfile", {"params": {"appid": appid}}),
        ("createProfile", {"body": {}}),
        ("createProfile", {"body": {"profiles": [{"attributes": {}}]}}),
    ]
    imi.expect_codes(api, rid, cases, 7003, "with")
    imi.profile(api, rid, customerid)  # the customer the refused deletes named is still there


@req("IMI-ERR-003")
def test_invalid_parameters_7004(api):
    rid = "IMI-ERR-003"
    customerid, _ = imi.new_customer(api, rid)
    cases = [
        ("getProfile", {"params": {"customerid": customerid, "showinwardlinks": 2}}),
        ("getProfile", {"params": {"customerid": customerid, "showinwardlinks": "yes"}}),
        ("getProfile", {"params": {"customerid": ""}}),
        ("createProfile", {"body": {"profiles": [{"customerid": "", "attributes": {}}]}}),
        ("createProfile", {"body": {"profiles": "not-a-list"}}),
        ("updateProfile", {"body": {"profiles": [{"customerid": customerid, "attributes": ["name", "Ada"]}]}}),
    ]
    imi.expect_codes(api, rid, cases, 7004, "with")


@req("IMI-ERR-004")
def test_unknown_customer_7014(api):
    customerid = api.unique("nobody")
    imi.expect_code(api, "IMI-ERR-004", imi.call(api, "getProfile", params={"customerid": customerid}), 7014,
                    f"getProfile of {customerid}, which was never created")


@req("IMI-ERR-005")
def test_existing_customer_7015(api):
    rid = "IMI-ERR-005"
    customerid, attributes = imi.new_customer(api, rid)
    key = next(iter(attributes))
    response = imi.call(api, "createProfile", body=_one(customerid, **{key: "overwritten"}))
    imi.expect_code(api, rid, response, 7015, f"createProfile of existing {customerid}")
    got = (imi.profile(api, rid, customerid).get("attributes") or {}).get(key)
    expect(got == attributes[key], rid, f"the refused create changed {key} of {customerid} to {got!r}")


@req("IMI-ERR-006")
def test_undefined_attribute_read_7017(api):
    rid = "IMI-ERR-006"
    customerid, _ = imi.new_customer(api, rid)
    undefined = imi.setting(api, "undefined_attribute")
    response = imi.call(api, "getProfile", params={"customerid": customerid, "attributes": undefined})
    imi.expect_code(api, rid, response, 7017, f"getProfile asking for undefined attribute {undefined!r}")


@req("IMI-ERR-007")
def test_unlinked_app_read_7018(api):
    rid = "IMI-ERR-007"
    customerid, _ = imi.new_customer(api, rid)
    unlinked = imi.setting(api, "unlinked_appid")
    response = imi.call(api, "getAppProfile", params={"customerid": customerid, "appid": unlinked})
    imi.expect_code(api, rid, response, 7018, f"getAppProfile for unlinked app {unlinked!r}")


@req("IMI-ERR-008")
def test_update_or_delete_unknown_7203(api):
    rid = "IMI-ERR-008"
    appid = imi.app_id(api)
    nobody = api.unique("nobody")
    customerid, _ = imi.new_customer(api, rid)
    name = imi.attrs(api, nobody)
    ghost = {"customerid": customerid, "appid": appid, "appprofilekey": api.unique("ghost")}
    cases = [
        ("updateProfile", {"body": _one(nobody, **name)}),
        ("deleteProfile", {"params": {"customerid": nobody}}),
        ("updateAppProfile", {"body": {"appprofiles": [dict(ghost, attributes={"handle": "x"})]}}),
        ("deleteAppProfile", {"params": ghost}),
    ]
    imi.expect_codes(api, rid, cases, 7203, "of something that does not exist")
    imi.expect_code(api, rid, imi.call(api, "getProfile", params={"customerid": nobody}), 7014,
                    f"getProfile of {nobody} after a refused update")


@req("IMI-ERR-009")
def test_invalid_attribute_value_7205(api):
    rid = "IMI-ERR-009"
    appid = imi.app_id(api)
    key = imi.setting(api, "attribute_keys")[0]
    customerid, attributes = imi.new_customer(api, rid)
    _, app_key, app_attributes = imi.new_app_profile(api, rid, customerid)
    for bad in (42, {"first": "Ada"}):
        fresh = api.unique("badvalue")
        imi.expect_code(api, rid, imi.call(api, "createProfile", body=_one(fresh, **{key: bad})), 7205,
                        f"createProfile with {key}={bad!r}")
        imi.expect_code(api, rid, imi.call(api, "getProfile", params={"customerid": fresh}), 7014,
                        f"getProfile of {fresh}, whose create was refused with 7205")
        imi.expect_code(api, rid, imi.call(api, "updateProfile", body=_one(customerid, **{key: bad})), 7205,
                        f"updateProfile with {key}={bad!r}")
        app = {"customerid": customerid, "appid": appid, "appprofilekey": api.unique("dev"), "attributes": {"handle": bad}}
        imi.expect_code(api, rid, imi.call(api, "createAppProfile", body={"appprofiles": [app]}), 7205,
                        f"createAppProfile with handle={bad!r}")
        existing = dict(app, appprofilekey=app_key, attributes={"handle": bad})
        imi.expect_code(api, rid, imi.call(api, "updateAppProfile", body={"appprofiles": [existing]}), 7205,
                        f"updateAppProfile with handle={bad!r}")
    got = (imi.profile(api, rid, customerid).get("attributes") or {}).get(key)
    expect(got == attributes[key], rid, f"a refused update changed {key} to {got!r}")
    found = imi.app_profiles(api, rid, customerid, appid, app_key)
    expect([p.get("attributes") for p in found] == [app_attributes], rid, f"a refused update changed it: {found!r}")


@req("IMI-ERR-010")
def test_existing_app_profile_7209(api):
    rid = "IMI-ERR-010"
    customerid, _ = imi.new_customer(api, rid)
    appid, key, attributes = imi.new_app_profile(api, rid, customerid)
    body = {"appprofiles": [{"customerid": customerid, "appid": appid, "appprofilekey": key,
                             "attributes": {"handle": "overwritten"}}]}
    imi.expect_code(api, rid, imi.call(api, "createAppProfile", body=body), 7209,
                    f"createAppProfile of existing {appid}/{key}")
    found = imi.app_profiles(api, rid, customerid, appid, key)
    expect([p.get("attributes") for p in found] == [attributes], rid, f"the refused create changed it: {found!r}")


@req("IMI-ERR-011")
def test_undefined_attribute_write_7211(api):
    rid = "IMI-ERR-011"
    undefined = imi.setting(api, "undefined_attribute")
    fresh = api.unique("undef")
    imi.expect_code(api, rid, imi.call(api, "createProfile", body=_one(fresh, **{undefined: "x"})), 7211,
                    f"createProfile with undefined attribute {undefined!r}")
    imi.expect_code(api, rid, imi.call(api, "getProfile", params={"customerid": fresh}), 7014,
                    f"getProfile of {fresh}, whose create was refused with 7211")
    customerid, _ = imi.new_customer(api, rid)
    imi.expect_code(api, rid, imi.call(api, "updateProfile", body=_one(customerid, **{undefined: "x"})), 7211,
                    f"updateProfile with undefined attribute {undefined!r}")
    got = imi.profile(api, rid, customerid).get("attributes") or {}
    expect(undefined not in got, rid, f"the refused update stored {undefined!r}: {got!r}")


@req("IMI-ERR-012")
def test_unlinked_app_write_7212(api):
    rid = "IMI-ERR-012"
    customerid, _ = imi.new_customer(api, rid)
    unlinked = imi.setting(api, "unlinked_appid")
    app = {"customerid": customerid, "appid": unlinked, "appprofilekey": api.unique("dev")}
    cases = [
        ("createAppProfile", {"body": {"appprofiles": [dict(app, attributes={"handle": "x"})]}}),
        ("updateAppProfile", {"body": {"appprofiles": [dict(app, attributes={"handle": "y"})]}}),
        ("deleteAppProfile", {"params": app}),
        ("deleteDeviceAppProfile", {"params": {"appid": unlinked, "appprofilekey": app["appprofilekey"]}}),
    ]
    imi.expect_codes(api, rid, cases, 7212, f"for unlinked app {unlinked!r}")


@req("IMI-ERR-013")
def test_partial_success_1002(api):
    rid = "IMI-ERR-013"
    existing, _ = imi.new_customer(api, rid)
    fresh = api.unique("partial")
    body = {"profiles": [
        {"customerid": fresh, "attributes": imi.attrs(api, fresh)},
        {"customerid": existing, "attributes": imi.attrs(api, existing)},
    ]}
    response = imi.call(api, "createProfile", body=body)
    answer = imi.expect_code(api, rid, response, 1002, "createProfile of one new and one existing customer")
    results = answer.get("results")
    expect(isinstance(results, list) and len(results) == 2, rid,
           f"a partial success must say which profile failed; results: {results!r}")
    expect(imi.result_codes(api, results) == [1000, 7015], rid,
           f"per-profile codes {imi.result_codes(api, results)}, expected [1000, 7015] in the batch's order")
    imi.profile(api, rid, fresh)
    # "created or updated" (L34): an update batch naming one unknown customer.
    key = next(iter(imi.attrs(api, fresh)))
    nobody = api.unique("nobody")
    body = {"profiles": [{"customerid": fresh, "attributes": {key: "partially-updated"}},
                         {"customerid": nobody, "attributes": {key: "x"}}]}
    answer = imi.expect_code(api, rid, imi.call(api, "updateProfile", body=body), 1002,
                             "updateProfile of one existing and one unknown customer")
    expect(imi.result_codes(api, answer.get("results")) == [1000, 7203], rid,
           f"per-profile codes {imi.result_codes(api, answer.get('results'))}, expected [1000, 7203]")
    got = (imi.profile(api, rid, fresh).get("attributes") or {}).get(key)
    expect(got == "partially-updated", rid, f"the profile the partial update accepted was not updated: {key}={got!r}")



@req("IMI-ERR-014")
def test_messages_are_the_docs(api):
    rid = "IMI-ERR-014"
    customerid, _ = imi.new_customer(api, rid)
    imi.call(api, "getProfile", params={"customerid": customerid})
    imi.call(api, "getProfile", params={"customerid": api.unique("nobody")})
    imi.call(api, "getProfile", params={"customerid": customerid}, key=None)
    imi.call(api, "createProfile", raw="{")
    field = imi.setting(api, "description_field")
    wrong = []
    for op, response in api.imi_seen:
        code = imi.code_of(api, response)
        if code not in imi.CODES:
            continue
        given = response.json().get(field)
        if not imi.same_message(imi.CODES[code][0], given):
            wrong.append(f"{op} {code}: {given!r} (doc: {imi.CODES[code][0]!r})")
    expect(not wrong, rid, "descriptions differ from the doc's messages: " + "; ".join(sorted(set(wrong))[:8]))
