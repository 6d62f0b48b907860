"""Each result code of the doc's table, in the situation that produces it (doc 002, L33-L56)."""

import pytest

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite import expect, req


def _one(customerid, **attributes):
    return {"profiles": [{"customerid": customerid, "attributes": attributes}]}


@req("IMI-ERR-001")
@pytest.mark.parametrize("op", ["createProfile", "updateProfile", "createAppProfile", "updateAppProfile"])
def test_invalid_json_7000(api, op):
    for raw in ('{"profiles": [', "profiles=1", "{'profiles': []}"):
        imi.expect_code(api, imi.call(api, op, raw=raw), 7000, f"{op} with body {raw!r}")


@req("IMI-ERR-002")
def test_missing_customerid_7003(api):
    """customerid, on each operation whose description names the customer (L11-L17)."""
    appid = imi.app_id(api)
    customerid, attributes = imi.new_customer(api)
    _, key, _ = imi.new_app_profile(api, customerid)
    name = next(iter(attributes))
    cases = [
        ("getProfile", {"params": {}}),
        ("getAppProfile", {"params": {"appid": appid, "appprofilekey": key}}),
        ("deleteProfile", {"params": {}}),
        ("createProfile", {"body": {"profiles": [{"attributes": imi.attrs(api, api.unique("anon"))}]}}),
        ("updateProfile", {"body": {"profiles": [{"attributes": {name: "no-customerid"}}]}}),
        ("createAppProfile", {"body": {"appprofiles": [{"appid": appid, "appprofilekey": api.unique("anon"),
                                                        "attributes": {"handle": "x"}}]}}),
        ("updateAppProfile", {"body": {"appprofiles": [{"appid": appid, "appprofilekey": key,
                                                        "attributes": {"handle": "no-customerid"}}]}}),
    ]
    imi.expect_codes(api, cases, 7003, "without customerid")
    # The customer the refused delete and updates could have touched is still there, unchanged.
    got = (imi.profile(api, customerid).get("attributes") or {}).get(name)
    expect(got == attributes[name], f"an update without customerid changed {name} of {customerid} to {got!r}")
    found = imi.app_profiles(api, customerid, appid, key)
    expect([p.get("attributes", {}).get("handle") for p in found] != ["no-customerid"],
           f"an updateAppProfile without customerid changed {appid}/{key}: {found!r}")


@req("IMI-ERR-019")
def test_missing_app_parameters_7003(api):
    """appid, appprofilekey and the batch lists, where the spec makes them mandatory (L28-L29)."""
    appid = imi.app_id(api)
    customerid, _ = imi.new_customer(api)
    _, key, attributes = imi.new_app_profile(api, customerid)
    fresh = api.unique("anon")
    cases = [
        ("getAppProfile", {"params": {"customerid": customerid}}),
        ("deleteAppProfile", {"params": {"customerid": customerid, "appid": appid}}),
        ("deleteAppProfile", {"params": {"customerid": customerid, "appprofilekey": key}}),
        ("deleteAppProfile", {"params": {"appid": appid, "appprofilekey": key}}),
        ("deleteDeviceAppProfile", {"params": {"appid": appid}}),
        ("deleteDeviceAppProfile", {"params": {"appprofilekey": key}}),
        ("createAppProfile", {"body": {"appprofiles": [{"customerid": customerid, "appprofilekey": fresh,
                                                        "attributes": {"handle": "x"}}]}}),
        ("createAppProfile", {"body": {"appprofiles": [{"customerid": customerid, "appid": appid,
                                                        "attributes": {"handle": "x"}}]}}),
        ("updateAppProfile", {"body": {"appprofiles": [{"customerid": customerid, "appprofilekey": key,
                                                        "attributes": {"handle": "x"}}]}}),
        ("updateAppProfile", {"body": {"appprofiles": [{"customerid": customerid, "appid": appid,
                                                        "attributes": {"handle": "x"}}]}}),
    ] + [(op, {"body": {}}) for op in ("createProfile", "updateProfile", "createAppProfile", "updateAppProfile")]
    imi.expect_codes(api, cases, 7003, "with")
    found = imi.app_profiles(api, customerid, appid, key)
    expect(imi.holds(found, attributes),
           f"a refused delete or update changed {appid}/{key}: {found!r}")


@req("IMI-ERR-003")
def test_invalid_parameters_7004(api):
    customerid, _ = imi.new_customer(api)
    cases = [
        ("getProfile", {"params": {"customerid": customerid, "showinwardlinks": 2}}),
        ("getProfile", {"params": {"customerid": customerid, "showinwardlinks": "yes"}}),
        ("getProfile", {"params": {"customerid": ""}}),
        ("createProfile", {"body": {"profiles": [{"customerid": "", "attributes": {}}]}}),
        ("createProfile", {"body": {"profiles": "not-a-list"}}),
        # Not attributes given as an array: L26 calls them "an array of strings" (issue 13).
    ]
    imi.expect_codes(api, cases, 7004, "with")


@req("IMI-ERR-004")
def test_unknown_customer_7014(api):
    customerid = api.unique("nobody")
    imi.expect_code(api, imi.call(api, "getProfile", params={"customerid": customerid}), 7014,
                    f"getProfile of {customerid}, which was never created")
    appid = imi.app_id(api)
    response = imi.call(api, "getAppProfile", params={"customerid": customerid, "appid": appid})
    imi.expect_code(api, response, 7014, f"getAppProfile of {customerid}, which was never created")


@req("IMI-ERR-024")
def test_app_profile_of_unknown_customer_7014(api):
    appid = imi.app_id(api)
    customerid = api.unique("nobody")
    key = api.unique("dev")
    response = imi.call(api, "createAppProfile", body={"appprofiles": [imi.app_item(customerid, appid, key, handle="x")]})
    imi.expect_code(api, response, 7014, f"createAppProfile for {customerid}, which was never created")
    # Nothing waiting for the customer either: created now, it has no such application profile.
    response = imi.call(api, "createProfile", body=_one(customerid, **imi.attrs(api, customerid)))
    imi.ok(api, response, f"createProfile of {customerid}")
    imi.app_profile_gone(api, customerid, appid, key, "the refused createAppProfile")


@req("IMI-ERR-020")
def test_missing_app_profile_read_7014(api):
    appid = imi.app_id(api)
    customerid, _ = imi.new_customer(api)
    imi.new_app_profile(api, customerid)
    params = {"customerid": customerid, "appid": appid, "appprofilekey": api.unique("ghost")}
    imi.expect_code(api, imi.call(api, "getAppProfile", params=params), 7014,
                    f"getAppProfile of an application profile that does not exist: {params}")
    other = api.setting("other_appid")
    if other:  # a customer with no application profile at all for the app
        imi.expect_code(api, imi.call(api, "getAppProfile", params={"customerid": customerid, "appid": other}),
                        7014, f"getAppProfile of {customerid} for {other}, where it has none")


@req("IMI-ERR-005")
def test_existing_customer_7015(api):
    customerid, attributes = imi.new_customer(api)
    key = next(iter(attributes))
    response = imi.call(api, "createProfile", body=_one(customerid, **{key: "overwritten"}))
    imi.expect_code_in(api, response, (7015, 7209), f"createProfile of existing {customerid}")
    got = (imi.profile(api, customerid).get("attributes") or {}).get(key)
    expect(got == attributes[key], f"the refused create changed {key} of {customerid} to {got!r}")


@req("IMI-ERR-022")
def test_existing_customer_is_7015_not_7209(api):
    customerid, attributes = imi.new_customer(api)
    response = imi.call(api, "createProfile", body=_one(customerid, **attributes))
    imi.expect_code(api, response, 7015, f"createProfile of existing {customerid} (the master profile's code)")


@req("IMI-ERR-006")
def test_undefined_attribute_read_7017(api):
    customerid, _ = imi.new_customer(api)
    undefined = api.setting("undefined_attribute")
    response = imi.call(api, "getProfile", params={"customerid": customerid, "attributes": undefined})
    imi.expect_code(api, response, 7017, f"getProfile asking for undefined attribute {undefined!r}")


@req("IMI-ERR-007")
def test_unlinked_app_read_7018(api):
    customerid, _ = imi.new_customer(api)
    unlinked = api.setting("unlinked_appid")
    response = imi.call(api, "getAppProfile", params={"customerid": customerid, "appid": unlinked})
    imi.expect_code(api, response, 7018, f"getAppProfile for unlinked app {unlinked!r}")


@req("IMI-ERR-008")
def test_update_or_delete_unknown_7203(api):
    appid = imi.app_id(api)
    nobody = api.unique("nobody")
    customerid, _ = imi.new_customer(api)
    name = imi.attrs(api, nobody)
    orphan = {"customerid": nobody, "appid": appid, "appprofilekey": api.unique("orphan")}
    cases = [  # a customer that does not exist (L50 "a customer ... does not exist")
        ("updateProfile", {"body": _one(nobody, **name)}),
        ("deleteProfile", {"params": {"customerid": nobody}}),
        ("updateAppProfile", {"body": {"appprofiles": [dict(orphan, attributes={"handle": "x"})]}}),
        ("deleteAppProfile", {"params": orphan}),
    ]
    imi.expect_codes(api, cases, 7203, "naming a customer that does not exist")
    imi.expect_code(api, imi.call(api, "getProfile", params={"customerid": nobody}), 7014,
                    f"getProfile of {nobody} after a refused update")
    # An application profile that does not exist, of an existing customer and a linked app:
    # 7203 (L50) or 7212 "Invalid app profile" (L56); which one is IMI-ERR-021.
    ghost = {"customerid": customerid, "appid": appid, "appprofilekey": api.unique("ghost")}
    for op, request in (("updateAppProfile", {"body": {"appprofiles": [dict(ghost, attributes={"handle": "x"})]}}),
                        ("deleteAppProfile", {"params": ghost})):
        imi.expect_code_in(api, imi.call(api, op, **request), (7203, 7212),
                           f"{op} of application profile {ghost['appprofilekey']}, which does not exist")
    imi.app_profile_gone(api, customerid, appid, ghost["appprofilekey"], "after the refused updateAppProfile")


@req("IMI-ERR-021")
def test_missing_app_profile_write_7203(api):
    appid = imi.app_id(api)
    customerid, _ = imi.new_customer(api)
    ghost = {"customerid": customerid, "appid": appid, "appprofilekey": api.unique("ghost")}
    cases = [
        ("updateAppProfile", {"body": {"appprofiles": [dict(ghost, attributes={"handle": "x"})]}}),
        ("deleteAppProfile", {"params": ghost}),
        ("deleteDeviceAppProfile", {"params": ghost}),
    ]
    imi.expect_codes(api, cases, 7203, "of an application profile that does not exist")


@req("IMI-ERR-009")
def test_invalid_attribute_value_7205(api):
    appid = imi.app_id(api)
    customerid, attributes = imi.new_customer(api)
    key, other = list(attributes)[:2]
    _, app_key, app_attributes = imi.new_app_profile(api, customerid)
    for bad in (42, {"first": "Ada"}):
        fresh = api.unique("badvalue")
        imi.expect_code(api, imi.call(api, "createProfile", body=_one(fresh, **{key: bad})), 7205,
                        f"createProfile with {key}={bad!r}")
        imi.expect_code(api, imi.call(api, "getProfile", params={"customerid": fresh}), 7014,
                        f"getProfile of {fresh}, whose create was refused with 7205")
        # With a valid value beside it: the refused profile is stored not even in part.
        body = _one(customerid, **{key: bad, other: f"refused-{fresh}"})
        imi.expect_code(api, imi.call(api, "updateProfile", body=body), 7205,
                        f"updateProfile with {key}={bad!r} and a valid {other}")
        app = {"customerid": customerid, "appid": appid, "appprofilekey": api.unique("dev"), "attributes": {"handle": bad}}
        imi.expect_code(api, imi.call(api, "createAppProfile", body={"appprofiles": [app]}), 7205,
                        f"createAppProfile with handle={bad!r}")
        imi.app_profile_gone(api, customerid, appid, app["appprofilekey"],
                             f"createAppProfile with handle={bad!r} refused with 7205")
        existing = dict(app, appprofilekey=app_key, attributes={"handle": bad})
        imi.expect_code(api, imi.call(api, "updateAppProfile", body={"appprofiles": [existing]}), 7205,
                        f"updateAppProfile with handle={bad!r}")
    got = imi.profile(api, customerid).get("attributes")
    expect(imi.has_attrs(got, {key: attributes[key], other: attributes[other]}),
           f"a refused update changed {key} or {other}: {got!r}")
    found = imi.app_profiles(api, customerid, appid, app_key)
    expect(imi.holds(found, app_attributes), f"a refused update changed it: {found!r}")


@req("IMI-ERR-010")
def test_existing_app_profile_7209(api):
    customerid, _ = imi.new_customer(api)
    appid, key, attributes = imi.new_app_profile(api, customerid)
    body = {"appprofiles": [{"customerid": customerid, "appid": appid, "appprofilekey": key,
                             "attributes": {"handle": "overwritten"}}]}
    imi.expect_code(api, imi.call(api, "createAppProfile", body=body), 7209,
                    f"createAppProfile of existing {appid}/{key}")
    found = imi.app_profiles(api, customerid, appid, key)
    expect(imi.holds(found, attributes), f"the refused create changed it: {found!r}")


@req("IMI-ERR-011")
def test_undefined_attribute_write_7211(api):
    undefined = api.setting("undefined_attribute")
    fresh = api.unique("undef")
    imi.expect_code(api, imi.call(api, "createProfile", body=_one(fresh, **{undefined: "x"})), 7211,
                    f"createProfile with undefined attribute {undefined!r}")
    imi.expect_code(api, imi.call(api, "getProfile", params={"customerid": fresh}), 7014,
                    f"getProfile of {fresh}, whose create was refused with 7211")
    customerid, attributes = imi.new_customer(api)
    key = next(iter(attributes))
    body = _one(customerid, **{undefined: "x", key: f"refused-{customerid}"})
    imi.expect_code(api, imi.call(api, "updateProfile", body=body), 7211,
                    f"updateProfile with undefined attribute {undefined!r} and a defined {key}")
    got = imi.profile(api, customerid).get("attributes") or {}
    expect(undefined not in got and got.get(key) == attributes[key],
           f"the refused update stored {undefined!r} or changed {key}: {got!r}")


@req("IMI-ERR-012")
def test_unlinked_app_write_7212(api):
    customerid, _ = imi.new_customer(api)
    unlinked = api.setting("unlinked_appid")
    app = {"customerid": customerid, "appid": unlinked, "appprofilekey": api.unique("dev")}
    cases = [
        ("createAppProfile", {"body": {"appprofiles": [dict(app, attributes={"handle": "x"})]}}),
        ("updateAppProfile", {"body": {"appprofiles": [dict(app, attributes={"handle": "y"})]}}),
        ("deleteAppProfile", {"params": app}),
        ("deleteDeviceAppProfile", {"params": {"appid": unlinked, "appprofilekey": app["appprofilekey"]}}),
    ]
    imi.expect_codes(api, cases, 7212, f"for unlinked app {unlinked!r}")


def _partial_batches(api):
    """The four partial batches of L34 ("not all profiles were created or updated"): yields
    (operation, answer, expected per-profile codes), each checked for its effect here."""
    appid = imi.app_id(api)
    existing, existing_attrs = imi.new_customer(api)
    fresh = api.unique("partial")
    key = next(iter(existing_attrs))
    body = {"profiles": [{"customerid": fresh, "attributes": imi.attrs(api, fresh)},
                         {"customerid": existing, "attributes": dict(existing_attrs, **{key: "overwritten"})}]}
    response = imi.call(api, "createProfile", body=body)
    yield "createProfile", response, [(1000,), (7015, 7209)]
    imi.profile(api, fresh)  # the new customer was created
    got = (imi.profile(api, existing).get("attributes") or {}).get(key)
    expect(got == existing_attrs[key], f"the partial create overwrote {existing}: {key}={got!r}")
    nobody = api.unique("nobody")
    body = {"profiles": [{"customerid": fresh, "attributes": {key: "partially-updated"}},
                         {"customerid": nobody, "attributes": {key: "x"}}]}
    yield "updateProfile", imi.call(api, "updateProfile", body=body), [(1000,), (7203,)]
    got = (imi.profile(api, fresh).get("attributes") or {}).get(key)
    expect(got == "partially-updated", f"the profile the partial update accepted was not updated: {key}={got!r}")
    imi.expect_code(api, imi.call(api, "getProfile", params={"customerid": nobody}), 7014,
                    f"the partial update created {nobody}")
    # The same for application profiles.
    _, held, held_attrs = imi.new_app_profile(api, existing)
    new_key = api.unique("partial-dev")
    body = {"appprofiles": [imi.app_item(existing, appid, new_key, handle="new"),
                            imi.app_item(existing, appid, held, handle="overwritten")]}
    yield "createAppProfile", imi.call(api, "createAppProfile", body=body), [(1000,), (7209,)]
    found = imi.app_profiles(api, existing, appid, new_key)
    expect(imi.holds(found, {"handle": "new"}),
           f"the partial createAppProfile did not create {new_key}: {found!r}")
    found = imi.app_profiles(api, existing, appid, held)
    expect(imi.holds(found, held_attrs), f"the partial create overwrote {held}: {found!r}")
    ghost = api.unique("ghost")
    body = {"appprofiles": [imi.app_item(existing, appid, held, handle="partially-updated"),
                            imi.app_item(existing, appid, ghost, handle="x")]}
    yield "updateAppProfile", imi.call(api, "updateAppProfile", body=body), [(1000,), (7203, 7212)]
    found = imi.app_profiles(api, existing, appid, held)
    expect(imi.holds(found, {"handle": "partially-updated"}),
           f"the application profile the partial update accepted was not updated: {found!r}")
    imi.app_profile_gone(api, existing, appid, ghost, "the partial updateAppProfile")


@req("IMI-ERR-013")
def test_partial_success_1002(api):
    for op, response, _ in _partial_batches(api):
        imi.expect_code(api, response, 1002, f"{op} of one valid and one failing profile")


@req("IMI-ERR-023")
def test_partial_success_names_each_result(api):
    for op, response, expected in _partial_batches(api):
        imi.expect_code(api, response, 1002, f"{op} of one valid and one failing profile")
        codes = imi.result_codes(api, response.json().get("results"))
        expect(codes is not None and len(codes) == len(expected) and all(c in e for c, e in zip(codes, expected)),
               f"{op}: a partial success must say which profile failed: per-profile codes {codes}, "
               f"expected {expected} in the batch's order")



@req("IMI-ERR-014")
def test_messages_are_the_docs(api):
    customerid, _ = imi.new_customer(api)
    imi.call(api, "getProfile", params={"customerid": customerid})
    imi.call(api, "getProfile", params={"customerid": api.unique("nobody")})
    imi.call(api, "getProfile", params={"customerid": customerid}, key=None)
    imi.call(api, "createProfile", raw="{")
    field = api.setting("description_field")
    wrong = []
    for op, response in api.state.seen:
        code = imi.code_of(api, response)
        if code not in imi.CODES:
            continue
        given = response.json().get(field)
        if not imi.same_message(imi.CODES[code], given):
            wrong.append(f"{op} {code}: {given!r} (doc: {imi.CODES[code]!r})")
    expect(not wrong, "descriptions differ from the doc's messages: " + "; ".join(sorted(set(wrong))[:8]))
