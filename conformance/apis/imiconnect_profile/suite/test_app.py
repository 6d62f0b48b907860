"""Application profiles (doc 002, L2, L12, L14, L16, L18-L19, L28-L29)."""

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite import expect, req


@req("IMI-LIFE-007")
def test_create_then_read_app_profiles(api):
    customerid, _ = imi.new_customer(api)
    appid, first, first_attrs = imi.new_app_profile(api, customerid)
    _, second, second_attrs = imi.new_app_profile(api, customerid)
    for key, attributes in ((first, first_attrs), (second, second_attrs)):
        one = imi.app_profiles(api, customerid, appid, key)
        expect(imi.holds(one, attributes) and one[0].get("appprofilekey") == key,
               f"getAppProfile {appid}/{key} answered {one!r}, expected that profile only with {attributes!r}")
    # The customer's profile (L12 "customer application profile"), not another customer's...
    neighbour, _ = imi.new_customer(api, "neighbour")
    imi.new_app_profile(api, neighbour)
    imi.app_profile_gone(api, neighbour, appid, first, f"{customerid}'s key asked for under {neighbour}")
    # ... and the application's (L28): the same key under the other linked app is not it.
    other = api.setting("other_appid")
    if other:
        imi.new_app_profile(api, customerid, appid=other)
        imi.app_profile_gone(api, customerid, other, first, f"the {appid} key {first} asked for under {other}")


@req("IMI-LIFE-015")
def test_app_profiles_listed_without_key(api):
    customerid, _ = imi.new_customer(api)
    appid, first, _ = imi.new_app_profile(api, customerid)
    _, second, _ = imi.new_app_profile(api, customerid)
    other = api.setting("other_appid")
    if other:
        imi.new_app_profile(api, customerid, appid=other)
    neighbour, _ = imi.new_customer(api, "neighbour")
    imi.new_app_profile(api, neighbour)
    listed = imi.app_profiles(api, customerid, appid)
    keys = sorted(str(p.get("appprofilekey")) for p in listed)
    expect(keys == sorted([first, second]),
           f"getAppProfile of {customerid} for {appid} lists keys {keys}, expected {sorted([first, second])}")


@req("IMI-LIFE-008")
def test_update_app_profile(api):
    customerid, _ = imi.new_customer(api)
    appid, key, _ = imi.new_app_profile(api, customerid)
    new = {"handle": f"@changed-{key}"}
    body = {"appprofiles": [{"customerid": customerid, "appid": appid, "appprofilekey": key, "attributes": new}]}
    imi.ok(api, imi.call(api, "updateAppProfile", body=body), f"updateAppProfile {appid}/{key}")
    found = imi.app_profiles(api, customerid, appid, key)
    got = ((found[0] if found else {}).get("attributes") or {}).get("handle")
    expect(got == new["handle"], f"after updateAppProfile, handle is {got!r}, expected {new['handle']!r}")


@req("IMI-LIFE-009")
def test_delete_one_app_profile(api):
    customerid, _ = imi.new_customer(api)
    appid, first, _ = imi.new_app_profile(api, customerid)
    _, second, _ = imi.new_app_profile(api, customerid)
    # Another customer holding the same appid and appprofilekey, where the target allows it.
    neighbour, _ = imi.new_customer(api, "neighbour")
    shared = imi.call(api, "createAppProfile", body={"appprofiles": [
        imi.app_item(neighbour, appid, first, handle="neighbour")]})
    shared = imi.code_of(api, shared) == 1000
    params = {"customerid": customerid, "appid": appid, "appprofilekey": first}
    imi.ok(api, imi.call(api, "deleteAppProfile", params=params), f"deleteAppProfile {appid}/{first}")
    imi.app_profile_gone(api, customerid, appid, first, f"after deleteAppProfile {appid}/{first}")
    left = imi.app_profiles(api, customerid, appid, second)
    expect([p.get("appprofilekey") for p in left] == [second],
           f"deleteAppProfile of {first} took {second} too: getAppProfile {second} answered {left!r}")
    if shared:
        theirs = imi.app_profiles(api, neighbour, appid, first)
        expect(imi.holds(theirs, {"handle": "neighbour"}),
               f"deleteAppProfile of {customerid}'s {first} took {neighbour}'s: {theirs!r}")
    imi.profile(api, customerid)


@req("IMI-LIFE-010")
def test_delete_device_app_profile(api):
    customerid, _ = imi.new_customer(api)
    appid, key, _ = imi.new_app_profile(api, customerid)
    # customerid too: the doc does not say whether a device's profile is named with it (L19).
    response = imi.call(api, "deleteDeviceAppProfile", params={"customerid": customerid, "appid": appid,
                                                               "appprofilekey": key})
    imi.ok(api, response, f"deleteDeviceAppProfile {appid}/{key}")
    imi.app_profile_gone(api, customerid, appid, key, f"after deleteDeviceAppProfile {appid}/{key}")
    imi.profile(api, customerid)
