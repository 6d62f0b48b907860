"""The `key` header (doc 002, L6, L23, L36-L37)."""

import pytest

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite import expect, req


def _request(api, op):
    """A well-formed request for `op` (its data need not exist: the key is checked first)."""
    uid = api.unique("auth")
    appid = api.setting("appid") or "app"
    if op in ("createProfile", "updateProfile"):
        return {"body": {"profiles": [{"customerid": uid, "attributes": imi.attrs(api, uid)}]}}
    if op in ("createAppProfile", "updateAppProfile"):
        return {"body": {"appprofiles": [{"customerid": uid, "appid": appid, "appprofilekey": uid,
                                          "attributes": {"handle": uid}}]}}
    if op == "deleteDeviceAppProfile":
        return {"params": {"appid": appid, "appprofilekey": uid}}
    params = {"customerid": uid}
    if op in ("getAppProfile", "deleteAppProfile"):
        params.update(appid=appid, appprofilekey=uid)
    return {"params": params}


@req("IMI-AUTH-001")
def test_key_opens_the_api(api):
    customerid, _ = imi.new_customer(api)
    imi.profile(api, customerid)


@req("IMI-AUTH-002")
@pytest.mark.parametrize("op", list(imi.OPERATIONS))
def test_missing_key_7002(api, op):
    imi.expect_code(api, imi.call(api, op, key=None, **_request(api, op)), 7002,
                    f"{op} without the key header")


@req("IMI-AUTH-003")
@pytest.mark.parametrize("op", list(imi.OPERATIONS))
def test_wrong_key_7001(api, op):
    wrong = "cfx-not-the-key-" + api.run.run_id
    imi.expect_code(api, imi.call(api, op, key=wrong, **_request(api, op)), 7001,
                    f"{op} with a key that is not the client's")


@req("IMI-AUTH-004")
def test_refused_writes_change_nothing(api):
    """Each of the seven writes, refused for its key, is not carried out (L6, L23)."""
    appid = imi.app_id(api)
    customerid, attributes = imi.new_customer(api)
    _, app_key, app_attributes = imi.new_app_profile(api, customerid)
    name = next(iter(attributes))
    for key, code in ((None, 7002), ("cfx-not-the-key-" + api.run.run_id, 7001)):
        label = "missing" if key is None else "wrong"
        fresh = api.unique("refused")
        writes = [
            ("createProfile", {"body": {"profiles": [{"customerid": fresh, "attributes": imi.attrs(api, fresh)}]}}),
            ("createAppProfile", {"body": {"appprofiles": [imi.app_item(customerid, appid, fresh, handle="refused")]}}),
            ("updateProfile", {"body": {"profiles": [{"customerid": customerid, "attributes": {name: "refused"}}]}}),
            ("updateAppProfile", {"body": {"appprofiles": [imi.app_item(customerid, appid, app_key, handle="refused")]}}),
            ("deleteAppProfile", {"params": {"customerid": customerid, "appid": appid, "appprofilekey": app_key}}),
            ("deleteDeviceAppProfile", {"params": {"appid": appid, "appprofilekey": app_key}}),
            ("deleteProfile", {"params": {"customerid": customerid}}),
        ]
        for op, request in writes:
            imi.expect_code(api, imi.call(api, op, key=key, **request), code, f"{op} with key {label}")
        imi.expect_code(api, imi.call(api, "getProfile", params={"customerid": fresh}), 7014,
                        f"getProfile of {fresh}, whose create was refused with {code}")
        imi.app_profile_gone(api, customerid, appid, fresh, f"createAppProfile refused with {code}")
        got = (imi.profile(api, customerid).get("attributes") or {}).get(name)
        expect(got == attributes[name], f"updateProfile refused with {code} changed {name} to {got!r} "
               "(or deleteProfile refused with it deleted the customer)")
        found = imi.app_profiles(api, customerid, appid, app_key)
        expect(imi.holds(found, app_attributes),
               f"updateAppProfile / the deletes refused with {code} changed {appid}/{app_key}: {found!r}")


@req("IMI-AUTH-005")
@pytest.mark.parametrize("op", list(imi.OPERATIONS))
def test_key_in_query_is_not_read(api, op):
    # A value that is not the client's key: a server that reads the query answers 7001, one that
    # reads the header only (L23, L37) answers 7002; the client's key never goes into a URL.
    request = _request(api, op)
    request["params"] = dict(request.get("params") or {}, key="cfx-not-the-key-" + api.run.run_id)
    imi.expect_code(api, imi.call(api, op, key=None, **request), 7002,
                    f"{op} with a `key` query parameter and no key header")
