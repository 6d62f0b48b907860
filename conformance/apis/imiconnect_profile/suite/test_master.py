"""Master profiles: create, read, update, delete (doc 002, L2, L11, L13, L15, L17, L24-L25)."""

import pytest

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite.outcome import expect

req = pytest.mark.req


@req("IMI-LIFE-001")
def test_create_then_read(api):
    rid = "IMI-LIFE-001"
    customerid, attributes = imi.new_customer(api, rid)
    data = imi.profile(api, rid, customerid)
    expect(data.get("customerid") == customerid, rid, f"getProfile of {customerid} answered {data.get('customerid')!r}")
    got = data.get("attributes") or {}
    for key, value in attributes.items():
        expect(got.get(key) == value, rid, f"attribute {key} of {customerid}: created {value!r}, read {got.get(key)!r}")


@req("IMI-LIFE-002")
def test_update_changes_the_attributes(api):
    rid = "IMI-LIFE-002"
    customerid, attributes = imi.new_customer(api, rid)
    key = next(iter(attributes))
    new = {key: f"changed-{customerid}"}
    response = imi.call(api, "updateProfile", body={"profiles": [{"customerid": customerid, "attributes": new}]})
    imi.ok(api, rid, response, f"updateProfile of {customerid}")
    got = (imi.profile(api, rid, customerid).get("attributes") or {}).get(key)
    expect(got == new[key], rid, f"after updateProfile, {key} of {customerid} is {got!r}, expected {new[key]!r}")


@req("IMI-LIFE-004")
def test_delete_then_not_found(api):
    rid = "IMI-LIFE-004"
    customerid, _ = imi.new_customer(api, rid)
    imi.ok(api, rid, imi.call(api, "deleteProfile", params={"customerid": customerid}), f"deleteProfile of {customerid}")
    imi.expect_code(api, rid, imi.call(api, "getProfile", params={"customerid": customerid}), 7014,
                    f"getProfile of deleted {customerid}")


@req("IMI-LIFE-005")
def test_delete_takes_the_app_profiles(api):
    rid = "IMI-LIFE-005"
    customerid, _ = imi.new_customer(api, rid)
    appid, key, _ = imi.new_app_profile(api, rid, customerid)
    imi.ok(api, rid, imi.call(api, "deleteProfile", params={"customerid": customerid}), f"deleteProfile of {customerid}")
    response = imi.call(api, "getAppProfile", params={"customerid": customerid, "appid": appid, "appprofilekey": key})
    imi.expect_code(api, rid, response, 7014, f"getAppProfile of deleted customer {customerid}")
    response = imi.call(api, "deleteDeviceAppProfile", params={"appid": appid, "appprofilekey": key})
    imi.expect_code(api, rid, response, 7203, f"deleteDeviceAppProfile {appid}/{key} after its customer was deleted")


@req("IMI-LIFE-006")
def test_customerid_identifies_one_customer(api):
    rid = "IMI-LIFE-006"
    first, first_attrs = imi.new_customer(api, rid, "one")
    second, second_attrs = imi.new_customer(api, rid, "two")
    for customerid, attributes in ((first, first_attrs), (second, second_attrs)):
        data = imi.profile(api, rid, customerid)
        expect(data.get("customerid") == customerid and (data.get("attributes") or {}) == attributes, rid,
               f"getProfile of {customerid} answered another customer's data: {data!r}")
    imi.ok(api, rid, imi.call(api, "deleteProfile", params={"customerid": first}), f"deleteProfile of {first}")
    data = imi.profile(api, rid, second)
    expect(data.get("customerid") == second, rid, f"deleting {first} changed {second}: {data!r}")


@req("IMI-LIFE-011")
def test_showinwardlinks(api):
    rid = "IMI-LIFE-011"
    customerid, _ = imi.new_customer(api, rid)
    appid, key, attributes = imi.new_app_profile(api, rid, customerid)
    with_links = imi.profile(api, rid, customerid, showinwardlinks=1)
    links = with_links.get("inwardlinks")
    expect(isinstance(links, list), rid, f"showinwardlinks=1 gave no InwardLinks section: {with_links!r}")
    mine = [link for link in links if link.get("appid") == appid and link.get("appprofilekey") == key]
    expect(len(mine) == 1 and mine[0].get("attributes") == attributes, rid,
           f"InwardLinks does not list application profile {appid}/{key} with its attributes: {links!r}")
    master_only = imi.profile(api, rid, customerid, showinwardlinks=0)
    expect("inwardlinks" not in master_only, rid,
           f"showinwardlinks=0 must retrieve the master profile only, got InwardLinks: {master_only!r}")


@req("IMI-LIFE-012")
def test_every_defined_key_is_stored(api):
    rid = "IMI-LIFE-012"
    customerid = api.unique("keys")
    attributes = {key: f"{key}-{customerid}" for key in imi.setting(api, "attribute_keys")}
    attributes.update({k: v for k, v in imi.attrs(api, customerid).items() if k in attributes})  # valid values
    response = imi.call(api, "createProfile", body={"profiles": [{"customerid": customerid, "attributes": attributes}]})
    imi.ok(api, rid, response, f"createProfile with every defined key {sorted(attributes)}")
    got = imi.profile(api, rid, customerid).get("attributes") or {}
    wrong = {k: got.get(k) for k, v in attributes.items() if got.get(k) != v}
    expect(not wrong, rid, f"attributes not read back as created: {wrong}")


@req("IMI-LIFE-013")
def test_attributes_selects_keys(api):
    rid = "IMI-LIFE-013"
    customerid, attributes = imi.new_customer(api, rid)
    wanted = sorted(attributes)[:1]
    got = imi.profile(api, rid, customerid, attributes=",".join(wanted)).get("attributes") or {}
    expect(sorted(got) == wanted, rid, f"getProfile attributes={','.join(wanted)} returned keys {sorted(got)}")
