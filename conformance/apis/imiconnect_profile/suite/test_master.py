"""Master profiles: create, read, update, delete (doc 002, L2, L11, L13, L15, L17, L24-L25)."""

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite import expect, req


@req("IMI-LIFE-001")
def test_create_then_read(api):
    customerid, attributes = imi.new_customer(api)
    data = imi.profile(api, customerid)
    expect(data.get("customerid") == customerid, f"getProfile of {customerid} answered {data.get('customerid')!r}")
    got = data.get("attributes") or {}
    for key, value in attributes.items():
        expect(got.get(key) == value, f"attribute {key} of {customerid}: created {value!r}, read {got.get(key)!r}")


@req("IMI-LIFE-002")
def test_update_changes_the_attributes(api):
    customerid, attributes = imi.new_customer(api)
    first, second = list(attributes)[:2]
    new = {first: f"changed-{customerid}", second: f"changed-{customerid}@example.com"}
    response = imi.call(api, "updateProfile", body={"profiles": [{"customerid": customerid, "attributes": new}]})
    imi.ok(api, response, f"updateProfile of {customerid}")
    got = imi.profile(api, customerid).get("attributes") or {}
    expect(imi.has_attrs(got, new), f"after updateProfile of {new}, {customerid} has {got!r}")


@req("IMI-LIFE-004")
def test_delete_then_not_found(api):
    customerid, _ = imi.new_customer(api)
    imi.ok(api, imi.call(api, "deleteProfile", params={"customerid": customerid}), f"deleteProfile of {customerid}")
    imi.expect_code(api, imi.call(api, "getProfile", params={"customerid": customerid}), 7014,
                    f"getProfile of deleted {customerid}")


@req("IMI-LIFE-005")
def test_delete_takes_the_app_profiles(api):
    customerid, _ = imi.new_customer(api)
    appid, key, _ = imi.new_app_profile(api, customerid)
    imi.ok(api, imi.call(api, "deleteProfile", params={"customerid": customerid}), f"deleteProfile of {customerid}")
    response = imi.call(api, "getAppProfile", params={"customerid": customerid, "appid": appid, "appprofilekey": key})
    imi.expect_code(api, response, 7014, f"getAppProfile of deleted customer {customerid}")
    # Gone, not merely hidden behind the missing customer: deleting it finds nothing (L50).
    response = imi.call(api, "deleteDeviceAppProfile", params={"customerid": customerid, "appid": appid,
                                                               "appprofilekey": key})
    imi.expect_code_in(api, response, imi.NOT_FOUND,
                       f"deleteDeviceAppProfile {appid}/{key} after its customer was deleted")


@req("IMI-LIFE-006")
def test_customerid_identifies_one_customer(api):
    first, first_attrs = imi.new_customer(api, "one")
    second, second_attrs = imi.new_customer(api, "two")
    for customerid, attributes in ((first, first_attrs), (second, second_attrs)):
        data = imi.profile(api, customerid)
        expect(data.get("customerid") == customerid and imi.has_attrs(data.get("attributes"), attributes),
               f"getProfile of {customerid} answered another customer's data: {data!r}")
    imi.ok(api, imi.call(api, "deleteProfile", params={"customerid": first}), f"deleteProfile of {first}")
    data = imi.profile(api, second)
    expect(data.get("customerid") == second, f"deleting {first} changed {second}: {data!r}")


def _inward_keys(data):
    """The members of a profile that are an InwardLinks section, however the target spells it."""
    return [k for k in data if isinstance(k, str) and k.replace("_", "").replace("-", "").lower() == "inwardlinks"]


@req("IMI-LIFE-011")
def test_showinwardlinks_0_master_only(api):
    customerid, attributes = imi.new_customer(api)
    imi.new_app_profile(api, customerid)
    master_only = imi.profile(api, customerid, showinwardlinks=0)
    expect(not _inward_keys(master_only),
           f"showinwardlinks=0 must retrieve the master profile only, got InwardLinks: {master_only!r}")
    got = master_only.get("attributes") or {}
    wrong = {k: got.get(k) for k, v in attributes.items() if got.get(k) != v}
    expect(not wrong, f"showinwardlinks=0 did not retrieve the master profile's attributes: {wrong}")


@req("IMI-LIFE-014")
def test_showinwardlinks_1_lists_the_app_profiles(api):
    customerid, _ = imi.new_customer(api)
    appid, first, _ = imi.new_app_profile(api, customerid)
    _, second, _ = imi.new_app_profile(api, customerid)
    expected = {(appid, first), (appid, second)}
    other = api.setting("other_appid")
    if other:
        _, third, _ = imi.new_app_profile(api, customerid, appid=other)
        expected.add((other, third))
    # The current attributes, not those of the create.
    changed = {"handle": f"@changed-{second}"}
    imi.ok(api, imi.call(api, "updateAppProfile", body={"appprofiles": [
        imi.app_item(customerid, appid, second, **changed)]}), f"updateAppProfile {appid}/{second}")
    neighbour, _ = imi.new_customer(api, "neighbour")
    _, theirs, _ = imi.new_app_profile(api, neighbour)
    with_links = imi.profile(api, customerid, showinwardlinks=1)
    links = with_links.get("inwardlinks")
    expect(isinstance(links, list), f"showinwardlinks=1 gave no InwardLinks section: {with_links!r}")
    listed = {(link.get("appid"), link.get("appprofilekey")) for link in links if isinstance(link, dict)}
    expect(listed == expected, f"InwardLinks lists {sorted(listed)}, expected the customer's application "
           f"profiles {sorted(expected)} (another customer's {theirs!r} must not appear)")
    current = [link.get("attributes") for link in links if link.get("appprofilekey") == second]
    expect(len(current) == 1 and imi.has_attrs(current[0], changed), f"InwardLinks shows {appid}/{second} with {current!r}, expected {changed!r}")


@req("IMI-LIFE-012")
def test_every_defined_key_is_stored(api):
    customerid = api.unique("keys")
    attributes = {key: f"{key}-{customerid}" for key in api.setting("attribute_keys")}
    attributes.update({k: v for k, v in imi.attrs(api, customerid).items() if k in attributes})  # valid values
    response = imi.call(api, "createProfile", body={"profiles": [{"customerid": customerid, "attributes": attributes}]})
    imi.ok(api, response, f"createProfile with every defined key {sorted(attributes)}")
    got = imi.profile(api, customerid).get("attributes") or {}
    wrong = {k: got.get(k) for k, v in attributes.items() if got.get(k) != v}
    expect(not wrong, f"attributes not read back as created: {wrong}")


@req("IMI-LIFE-013")
def test_attributes_selects_keys(api):
    customerid, attributes = imi.new_customer(api)
    wanted = sorted(attributes)[:1]
    got = imi.profile(api, customerid, attributes=",".join(wanted)).get("attributes") or {}
    expect(sorted(got) == wanted, f"getProfile attributes={','.join(wanted)} returned keys {sorted(got)}")
