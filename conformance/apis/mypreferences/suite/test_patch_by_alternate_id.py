"""PATCH by alternate id has its own section in the doc (L1273-L1453): it supports add, replace,
remove and test, not move and copy (L1279), removes go in descending order (L1287), and the profile
changes only where the operations point (L1275). Each is checked here on this operation itself."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, ids_of, req


@pytest.fixture
def alt_profile(api):
    """A profile whose Emails read back as [a, b, c], with one custom field. A profile that cannot be made
    or read fails the add/replace/remove row; the other tests are blocked by it."""
    made = ids_of(test_add_replace_remove_by_alternate_id)
    uid = api.unique("patchalt")
    body = mp.new_profile(api, "patchalt", Emails=[mp.email(f"{uid}-{x}@example.com") for x in "abc"],
                          CustomFields=[{"Name": "Tier", "Value": "Gold", "IsActive": True}])
    profile_id = mp.create(api, body, ids=made)
    order = mp.emails(mp.read(api, profile_id, ids=made))
    return profile_id, mp.alt_of(body), order


def patch_alt(api, alt, operations):
    return api.call("patchProfileByAlternateId", params=alt, json={"Operations": operations})


def changed_between(before: dict, after: dict) -> set[str]:
    return {k for k in set(before) | set(after) if k not in ("Edited", "UpdateStatus") and before.get(k) != after.get(k)}


def refused(api, profile_id, alt, operations, what, *, status=None):
    before = mp.read(api, profile_id)
    response = patch_alt(api, alt, operations)
    if status is None:
        expect(400 <= response.status_code < 500, f"{what}: answered {response.status_code}, not a 4xx refusal")
    else:
        expect(response.status_code == status, f"{what}: answered {response.status_code}, not {status}")
    after = mp.wait_complete(api, profile_id)
    changed = changed_between(before, after)
    expect(not changed, f"{what}: the refused patch changed {sorted(changed)}")


def applied(api, profile_id, alt, operations):
    response = patch_alt(api, alt, operations)
    api.conforms(response, status=(200, 202))
    mp.wait_complete(api, profile_id)
    return mp.read(api, profile_id)


@req("MP-PATCH-101")
def test_move_and_copy_are_refused_by_alternate_id(api, alt_profile):
    profile_id, alt, _ = alt_profile
    for op in ({"op": "move", "from": "/Emails/0", "path": "/Emails/2"},
               {"op": "copy", "from": "/CustomerType", "path": "/CustomerName/MiddleName"}):
        operations = [{"op": "replace", "path": "/CustomerType", "value": "Moved"}, op]
        refused(api, profile_id, alt, operations, f"a patch by alternate id with {op['op']}",
                status=400)


@req("MP-PATCH-102")
def test_test_operation_by_alternate_id(api, alt_profile):
    profile_id, alt, _ = alt_profile
    operations = [{"op": "replace", "path": "/CustomerType", "value": "Untested"},
                  {"op": "test", "path": "/CustomFields/0/Value", "value": "Platinum"}]
    refused(api, profile_id, alt, operations, "a patch by alternate id whose test fails")
    operations = [{"op": "test", "path": "/CustomFields/0/Value", "value": "Gold"},
                  {"op": "replace", "path": "/CustomerType", "value": "Tested"}]
    after = applied(api, profile_id, alt, operations)
    expect(after.get("CustomerType") == "Tested",
           f"a patch by alternate id whose test holds was not applied: CustomerType {after.get('CustomerType')!r}")


@req("MP-PATCH-103")
def test_add_replace_remove_by_alternate_id(api, alt_profile):
    profile_id, alt, order = alt_profile
    before = mp.read(api, profile_id)
    operations = [{"op": "add", "path": "/CustomerName/MiddleName", "value": "Quinn"},
                  {"op": "replace", "path": "/CustomerType", "value": "Patched"},
                  {"op": "remove", "path": "/Emails/2"}, {"op": "remove", "path": "/Emails/0"}]
    after = applied(api, profile_id, alt, operations)
    expect((after.get("CustomerName") or {}).get("MiddleName") == "Quinn",
           f"add /CustomerName/MiddleName was not applied: {after.get('CustomerName')}")
    expect(after.get("CustomerType") == "Patched",
           f"replace /CustomerType was not applied: {after.get('CustomerType')!r}")
    expect(mp.emails(after) == [order[1]],
           f"removing /Emails/2 then /Emails/0 from {order} left {mp.emails(after)}, expected {[order[1]]}")
    changed = changed_between(before, after) - {"CustomerName", "CustomerType", "Emails"}
    expect(not changed, f"the patch also changed {sorted(changed)}")
    expect((after.get("CustomerName") or {}).get("FirstName") == (before.get("CustomerName") or {}).get("FirstName"),
           "the patch changed CustomerName.FirstName")


@req("MP-PATCH-104")
def test_unknown_ops_and_missing_paths_are_refused_by_alternate_id(api, alt_profile):
    profile_id, alt, _ = alt_profile
    for bad in ({"op": "merge", "path": "/CustomerType", "value": "Merged"}, {"op": "remove"},
                {"op": "replace", "value": "NoPath"}):
        operations = [{"op": "replace", "path": "/CustomerType", "value": "Changed"}, bad]
        refused(api, profile_id, alt, operations, f"a patch by alternate id with {bad}", status=400)
