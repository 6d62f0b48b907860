"""Application profiles (doc 002, L2, L12, L14, L16, L18-L19, L28-L29)."""

import pytest

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite.outcome import expect

req = pytest.mark.req


@req("IMI-LIFE-007")
def test_create_then_read_app_profiles(api):
    rid = "IMI-LIFE-007"
    customerid, _ = imi.new_customer(api, rid)
    appid, first, first_attrs = imi.new_app_profile(api, rid, customerid)
    _, second, second_attrs = imi.new_app_profile(api, rid, customerid)
    one = imi.app_profiles(api, rid, customerid, appid, first)
    expect(len(one) == 1 and one[0].get("appprofilekey") == first and one[0].get("attributes") == first_attrs, rid,
           f"getAppProfile {appid}/{first} answered {one!r}")
    both = imi.app_profiles(api, rid, customerid, appid)
    keys = sorted(p.get("appprofilekey") for p in both)
    expect(keys == sorted([first, second]), rid,
           f"getAppProfile of {customerid} for {appid} lists keys {keys}, expected {sorted([first, second])}")


@req("IMI-LIFE-008")
def test_update_app_profile(api):
    rid = "IMI-LIFE-008"
    customerid, _ = imi.new_customer(api, rid)
    appid, key, _ = imi.new_app_profile(api, rid, customerid)
    new = {"handle": f"@changed-{key}"}
    body = {"appprofiles": [{"customerid": customerid, "appid": appid, "appprofilekey": key, "attributes": new}]}
    imi.ok(api, rid, imi.call(api, "updateAppProfile", body=body), f"updateAppProfile {appid}/{key}")
    found = imi.app_profiles(api, rid, customerid, appid, key)
    got = ((found[0] if found else {}).get("attributes") or {}).get("handle")
    expect(got == new["handle"], rid, f"after updateAppProfile, handle is {got!r}, expected {new['handle']!r}")


@req("IMI-LIFE-009")
def test_delete_one_app_profile(api):
    rid = "IMI-LIFE-009"
    customerid, _ = imi.new_customer(api, rid)
    appid, first, _ = imi.new_app_profile(api, rid, customerid)
    _, second, _ = imi.new_app_profile(api, rid, customerid)
    params = {"customerid": customerid, "appid": appid, "appprofilekey": first}
    imi.ok(api, rid, imi.call(api, "deleteAppProfile", params=params), f"deleteAppProfile {appid}/{first}")
    imi.expect_code(api, rid, imi.call(api, "getAppProfile", params=params), 7014,
                    f"getAppProfile of deleted {appid}/{first}")
    left = imi.app_profiles(api, rid, customerid, appid)
    expect([p.get("appprofilekey") for p in left] == [second], rid,
           f"deleteAppProfile of {first} left {left!r}; expected only {second}")
    imi.profile(api, rid, customerid)


@req("IMI-LIFE-010")
def test_delete_device_app_profile(api):
    rid = "IMI-LIFE-010"
    customerid, _ = imi.new_customer(api, rid)
    appid, key, _ = imi.new_app_profile(api, rid, customerid)
    response = imi.call(api, "deleteDeviceAppProfile", params={"appid": appid, "appprofilekey": key})
    imi.ok(api, rid, response, f"deleteDeviceAppProfile {appid}/{key}")
    response = imi.call(api, "getAppProfile", params={"customerid": customerid, "appid": appid, "appprofilekey": key})
    imi.expect_code(api, rid, response, 7014, f"getAppProfile of device profile {appid}/{key} after its deletion")
    imi.profile(api, rid, customerid)
