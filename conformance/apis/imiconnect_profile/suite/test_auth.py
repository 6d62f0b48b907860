"""The `key` header (doc 002, L6, L23, L36-L37)."""

import pytest

from conformance.apis.imiconnect_profile.suite import imi

req = pytest.mark.req


def _request(api, op):
    """A well-formed request for `op` (its data need not exist: the key is checked first)."""
    uid = api.unique("auth")
    appid = imi.setting(api, "appid") or "app"
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
    rid = "IMI-AUTH-001"
    customerid, _ = imi.new_customer(api, rid)
    imi.profile(api, rid, customerid)


@req("IMI-AUTH-002")
@pytest.mark.parametrize("op", list(imi.OPS))
def test_missing_key_7002(api, op):
    imi.expect_code(api, "IMI-AUTH-002", imi.call(api, op, key=None, **_request(api, op)), 7002,
                    f"{op} without the key header")


@req("IMI-AUTH-003")
@pytest.mark.parametrize("op", list(imi.OPS))
def test_wrong_key_7001(api, op):
    wrong = "cfx-not-the-key-" + api.run.run_id
    imi.expect_code(api, "IMI-AUTH-003", imi.call(api, op, key=wrong, **_request(api, op)), 7001,
                    f"{op} with a key that is not the client's")


@req("IMI-AUTH-004")
def test_refused_create_creates_nothing(api):
    rid = "IMI-AUTH-004"
    for key, code in ((None, 7002), ("cfx-not-the-key-" + api.run.run_id, 7001)):
        customerid = api.unique("refused")
        body = {"profiles": [{"customerid": customerid, "attributes": imi.attrs(api, customerid)}]}
        imi.expect_code(api, rid, imi.call(api, "createProfile", body=body, key=key), code,
                        f"createProfile with key {'missing' if key is None else 'wrong'}")
        imi.expect_code(api, rid, imi.call(api, "getProfile", params={"customerid": customerid}), 7014,
                        f"getProfile of {customerid}, whose create was refused with {code}")
