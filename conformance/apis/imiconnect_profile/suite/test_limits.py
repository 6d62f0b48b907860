"""Batch size: 100 profiles accepted, 101 refused with nothing created (doc 002, L42, L53)."""

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite import expect, req


def _limit(api):
    return int(api.setting("batch_limit"))


def _profiles(api, n, label):
    ids = [api.unique(label) for _ in range(n)]
    return ids, {"profiles": [{"customerid": c, "attributes": imi.attrs(api, c)} for c in ids]}


def _sample(ids):
    return [ids[0], ids[len(ids) // 2], ids[-1]]


def _missing(api, ids):
    return [c for c in _sample(ids)
            if imi.code_of(api, imi.call(api, "getProfile", params={"customerid": c})) != 1000]


# Both batch size codes are documented for any over-size batch (L42, L53); the split by
# profile kind is IMI-LIM-006.
BATCH_CODES = (7012, 7207)


@req("IMI-LIM-001")
def test_batch_of_100_profiles(api):
    ids, body = _profiles(api, _limit(api), "b100")
    imi.ok(api, imi.call(api, "createProfile", body=body), f"createProfile of {len(ids)} profiles")
    missing = _missing(api, ids)
    expect(not missing, f"createProfile answered 1000 for {len(ids)} profiles but {missing} are not found")
    key = next(iter(imi.attrs(api, ids[0])))
    update = {"profiles": [{"customerid": c, "attributes": {key: f"upd-{c}"}} for c in ids]}
    imi.ok(api, imi.call(api, "updateProfile", body=update), f"updateProfile of {len(ids)} profiles")
    for c in _sample(ids):
        got = (imi.profile(api, c).get("attributes") or {}).get(key)
        expect(got == f"upd-{c}", f"updateProfile answered 1000 for {len(ids)} profiles but {c} has {key}={got!r}")


@req("IMI-LIM-002")
def test_batch_of_101_profiles(api):
    ids, body = _profiles(api, _limit(api) + 1, "b101")
    imi.expect_code_in(api, imi.call(api, "createProfile", body=body), BATCH_CODES,
                       f"createProfile of {len(ids)} profiles")
    created = [c for c in (ids[0], ids[-1]) if imi.code_of(api, imi.call(api, "getProfile", params={"customerid": c})) == 1000]
    expect(not created, f"the refused batch of {len(ids)} created {created}")
    # "create or update" (L53): an update batch of 101 is refused too, and changes nothing.
    customerid, attributes = imi.new_customer(api)
    key = next(iter(attributes))
    body = {"profiles": [{"customerid": customerid, "attributes": {key: f"upd-{i}"}} for i in range(len(ids))]}
    imi.expect_code_in(api, imi.call(api, "updateProfile", body=body), BATCH_CODES,
                       f"updateProfile of {len(ids)} profiles")
    got = (imi.profile(api, customerid).get("attributes") or {}).get(key)
    expect(got == attributes[key], f"the refused update batch changed {key} to {got!r}")


def _app_batch(api, n):
    customerid, _ = imi.new_customer(api)
    appid = imi.app_id(api)
    keys = [api.unique("k") for _ in range(n)]
    items = [{"customerid": customerid, "appid": appid, "appprofilekey": k, "attributes": {"handle": k}} for k in keys]
    return customerid, appid, keys, {"appprofiles": items}


@req("IMI-LIM-003")
def test_batch_of_100_app_profiles(api):
    customerid, appid, keys, body = _app_batch(api, _limit(api))
    imi.ok(api, imi.call(api, "createAppProfile", body=body), f"createAppProfile of {len(keys)} profiles")
    for key in _sample(keys):
        found = imi.app_profiles(api, customerid, appid, key)
        expect([p.get("appprofilekey") for p in found] == [key],
               f"createAppProfile answered 1000 for {len(keys)}, getAppProfile {key} answered {found!r}")
    for item in body["appprofiles"]:
        item["attributes"] = {"handle": f"updated-{item['appprofilekey']}"}
    imi.ok(api, imi.call(api, "updateAppProfile", body=body), f"updateAppProfile of {len(keys)} profiles")
    for key in _sample(keys):
        found = imi.app_profiles(api, customerid, appid, key)
        expect(imi.holds(found, {"handle": f"updated-{key}"}),
               f"updateAppProfile answered 1000 for {len(keys)}, but {key} is {found!r}")


@req("IMI-LIM-004")
def test_batch_of_101_app_profiles(api):
    customerid, appid, keys, body = _app_batch(api, _limit(api) + 1)
    imi.expect_code_in(api, imi.call(api, "createAppProfile", body=body), BATCH_CODES,
                       f"createAppProfile of {len(keys)} profiles")
    for key in (keys[0], keys[-1]):
        imi.app_profile_gone(api, customerid, appid, key, f"the refused batch of {len(keys)}")
    _, key, attributes = imi.new_app_profile(api, customerid)
    for item in body["appprofiles"]:
        item.update(appprofilekey=key, attributes={"handle": "updated"})
    imi.expect_code_in(api, imi.call(api, "updateAppProfile", body=body), BATCH_CODES,
                       f"updateAppProfile of {len(keys)} profiles")
    found = imi.app_profiles(api, customerid, appid, key)
    expect(imi.holds(found, attributes), f"the refused update batch changed it: {found!r}")


@req("IMI-LIM-006")
def test_batch_code_per_profile_kind(api):
    n = _limit(api) + 1
    ids, body = _profiles(api, n, "b101k")
    imi.expect_code(api, imi.call(api, "createProfile", body=body), 7012, f"createProfile of {n} profiles")
    customerid, appid, keys, body = _app_batch(api, n)
    imi.expect_code(api, imi.call(api, "createAppProfile", body=body), 7207, f"createAppProfile of {n} profiles")
