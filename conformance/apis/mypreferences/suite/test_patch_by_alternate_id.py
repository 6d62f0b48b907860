"""PATCH by alternate id has its own section in the doc (L1273-L1453): it supports add, replace,
remove and test, not move and copy (L1279), removes go in descending order (L1287), and the profile
changes only where the operations point (L1275). Each is checked here on this operation itself."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect

req = pytest.mark.req


@pytest.fixture
def alt_profile(api):
    """A profile whose Emails read back as [a, b, c], with one custom field."""
    uid = api.unique("patchalt")
    body = mp.new_profile(api, "patchalt", Emails=[mp.email(f"{uid}-{x}@example.com") for x in "abc"],
                          CustomFields=[{"Name": "Tier", "Value": "Gold", "IsActive": True}])
    profile_id = mp.create(api, body, "MP-PATCH-103")
    order = mp.emails(mp.read(api, profile_id, "MP-PATCH-103"))
    return profile_id, mp.alt_of(body), order


def patch_alt(api, alt, operations):
    return mp.call(api, "PATCH", mp.BY_ALT, params=alt, body={"Operations": operations})


def changed_between(before: dict, after: dict) -> set[str]:
    return {k for k in set(before) | set(after) if k not in ("Edited", "UpdateStatus") and before.get(k) != after.get(k)}


def refused(api, profile_id, alt, operations, rid, what, *, status=None):
    before = mp.read(api, profile_id, rid)
    response = patch_alt(api, alt, operations)
    if status is None:
        expect(400 <= response.status_code < 500, rid, f"{what}: answered {response.status_code}, not a 4xx refusal")
    else:
        expect(response.status_code == status, rid, f"{what}: answered {response.status_code}, not {status}")
    after = mp.wait_complete(api, profile_id, rid)
    changed = changed_between(before, after)
    expect(not changed, rid, f"{what}: the refused patch changed {sorted(changed)}")


def applied(api, profile_id, alt, operations, rid):
    response = patch_alt(api, alt, operations)
    api.conforms(response, "PATCH", mp.BY_ALT, rid, status=(200, 202))
    mp.wait_complete(api, profile_id, rid)
    return mp.read(api, profile_id, rid)


@req("MP-PATCH-101")
def test_move_and_copy_are_refused_by_alternate_id(api, alt_profile):
    profile_id, alt, _ = alt_profile
    for op in ({"op": "move", "from": "/Emails/0", "path": "/Emails/2"},
               {"op": "copy", "from": "/CustomerType", "path": "/CustomerName/MiddleName"}):
        operations = [{"op": "replace", "path": "/CustomerType", "value": "Moved"}, op]
        refused(api, profile_id, alt, operations, "MP-PATCH-101", f"a patch by alternate id with {op['op']}",
                status=400)


@req("MP-PATCH-102")
def test_test_operation_by_alternate_id(api, alt_profile):
    profile_id, alt, _ = alt_profile
    operations = [{"op": "replace", "path": "/CustomerType", "value": "Untested"},
                  {"op": "test", "path": "/CustomFields/0/Value", "value": "Platinum"}]
    refused(api, profile_id, alt, operations, "MP-PATCH-102", "a patch by alternate id whose test fails")
    operations = [{"op": "test", "path": "/CustomFields/0/Value", "value": "Gold"},
                  {"op": "replace", "path": "/CustomerType", "value": "Tested"}]
    after = applied(api, profile_id, alt, operations, "MP-PATCH-102")
    expect(after.get("CustomerType") == "Tested", "MP-PATCH-102",
           f"a patch by alternate id whose test holds was not applied: CustomerType {after.get('CustomerType')!r}")


@req("MP-PATCH-103")
def test_add_replace_remove_by_alternate_id(api, alt_profile):
    profile_id, alt, order = alt_profile
    before = mp.read(api, profile_id, "MP-PATCH-103")
    operations = [{"op": "add", "path": "/CustomerName/MiddleName", "value": "Quinn"},
                  {"op": "replace", "path": "/CustomerType", "value": "Patched"},
                  {"op": "remove", "path": "/Emails/2"}, {"op": "remove", "path": "/Emails/0"}]
    after = applied(api, profile_id, alt, operations, "MP-PATCH-103")
    expect((after.get("CustomerName") or {}).get("MiddleName") == "Quinn", "MP-PATCH-103",
           f"add /CustomerName/MiddleName was not applied: {after.get('CustomerName')}")
    expect(after.get("CustomerType") == "Patched", "MP-PATCH-103",
           f"replace /CustomerType was not applied: {after.get('CustomerType')!r}")
    expect(mp.emails(after) == [order[1]], "MP-PATCH-103",
           f"removing /Emails/2 then /Emails/0 from {order} left {mp.emails(after)}, expected {[order[1]]}")
    changed = changed_between(before, after) - {"CustomerName", "CustomerType", "Emails"}
    expect(not changed, "MP-PATCH-103", f"the patch also changed {sorted(changed)}")
    expect((after.get("CustomerName") or {}).get("FirstName") == (before.get("CustomerName") or {}).get("FirstName"),
           "MP-PATCH-103", "the patch changed CustomerName.FirstName")


@req("MP-PATCH-104")
def test_unknown_ops_and_missing_paths_are_refused_by_alternate_id(api, alt_profile):
    profile_id, alt, _ = alt_profile
    for bad in ({"op": "merge", "path": "/CustomerType", "value": "Merged"}, {"op": "remove"},
                {"op": "replace", "value": "NoPath"}):
        operations = [{"op": "replace", "path": "/CustomerType", "value": "Changed"}, bad]
        refused(api, profile_id, alt, operations, "MP-PATCH-104", f"a patch by alternate id with {bad}", status=400)
