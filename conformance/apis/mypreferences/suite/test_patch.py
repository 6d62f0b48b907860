"""PATCH: RFC 6902 JSON Patch with add / replace / remove / test only (doc L1279, L1287, L3521),
applied in order and atomically."""

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, ids_of, req


@pytest.fixture
def three_emails(api):
    """A profile whose Emails read back as [a, b, c] (the order patches address). A profile that cannot be
    made or read fails the bare-array patch's row; the other tests are blocked by it."""
    made = ids_of(test_patch_by_profile_id_takes_a_bare_array)
    uid = api.unique("patch")
    addresses = [f"{uid}-{x}@example.com" for x in "abc"]
    body = mp.new_profile(api, "patch", Emails=[mp.email(a) for a in addresses],
                          CustomFields=[{"Name": "Tier", "Value": "Gold", "IsActive": True}])
    profile_id = mp.create(api, body, ids=made)
    order = mp.emails(mp.read(api, profile_id, ids=made))
    return profile_id, body, order


def patch(api, profile_id, operations):
    return api.call("patchProfile", json=operations, profileId=profile_id)


def applied(api, profile_id, operations):
    """Send a patch that must be accepted; the profile once it is applied."""
    response = patch(api, profile_id, operations)
    api.conforms(response, status=(200, 202))
    mp.wait_complete(api, profile_id)
    return mp.read(api, profile_id)


def rejected(api, profile_id, operations, what, *, status=None):
    """Send a patch that must be refused and change nothing: with `status` (400 where the doc says so),
    else with any client error (RFC 6902 §5 says the patch fails, not with which status;
    test_failing_test_is_400 checks the 400)."""
    before = mp.read(api, profile_id)
    response = patch(api, profile_id, operations)
    if status is None:
        expect(400 <= response.status_code < 500, f"{what}: answered {response.status_code}, not a 4xx refusal")
    else:
        expect(response.status_code == status, f"{what}: answered {response.status_code}, not {status}")
    after = mp.wait_complete(api, profile_id)
    changed = {k for k in set(before) | set(after)
               if k not in ("Edited", "UpdateStatus") and before.get(k) != after.get(k)}
    expect(not changed, f"{what}: the refused patch changed {sorted(changed)}")


@req("MP-PATCH-001")
def test_patch_by_profile_id_takes_a_bare_array(api, three_emails):
    profile_id, _, _ = three_emails
    after = applied(api, profile_id, [{"op": "replace", "path": "/CustomerType", "value": "Commercial"}])
    expect(after.get("CustomerType") == "Commercial", "the patch was not applied")


@req("MP-PATCH-002")
def test_patch_by_alternate_id_takes_operations(api, three_emails):
    profile_id, body, _ = three_emails
    operations = {"Operations": [{"op": "replace", "path": "/CustomerType", "value": "Commercial"}]}
    response = api.call("patchProfileByAlternateId", params=mp.alt_of(body), json=operations)
    api.conforms(response, status=(200, 202))
    after = mp.wait_complete(api, profile_id)
    expect(after.get("CustomerType") == "Commercial", "the patch by alternate id was not applied")


@req("MP-PATCH-003")
def test_add_sets_an_absent_member(api, three_emails):
    profile_id, _, order = three_emails
    after = applied(api, profile_id, [{"op": "add", "path": "/CustomerName/MiddleName", "value": "Byron"}])
    expect(after["CustomerName"].get("MiddleName") == "Byron", "add did not set MiddleName")
    expect(after["CustomerName"].get("FirstName") == "Ada" and mp.emails(after) == order, "add changed other members")


@req("MP-PATCH-004")
def test_add_appends_with_dash_and_inserts_at_an_index(api, three_emails):
    profile_id, _, order = three_emails
    x, y = (f"{api.unique('new')}@example.com" for _ in range(2))
    after = applied(api, profile_id, [{"op": "add", "path": "/Emails/-", "value": mp.email(x)},
                                      {"op": "add", "path": "/Emails/0", "value": mp.email(y)}])
    expect(mp.emails(after) == [y, *order, x], f"emails: {mp.emails(after)}, expected {[y, *order, x]}")


@req("MP-PATCH-005")
def test_replace_sets_the_value(api, three_emails):
    profile_id, _, _ = three_emails
    after = applied(api, profile_id, [{"op": "replace", "path": "/CustomerName/FirstName", "value": "Grace"}])
    expect(after["CustomerName"].get("FirstName") == "Grace", "replace did not set FirstName")


@req("MP-PATCH-006")
def test_replace_of_a_missing_path_is_refused(api, three_emails):
    profile_id, _, _ = three_emails
    rejected(api, profile_id, [{"op": "replace", "path": "/CustomFields/7/Value", "value": "X"}],
             "replace of /CustomFields/7/Value")


@req("MP-PATCH-007")
def test_remove_deletes(api, three_emails):
    profile_id, _, order = three_emails
    after = applied(api, profile_id, [{"op": "remove", "path": "/Emails/1"}, {"op": "remove", "path": "/CustomerType"}])
    expect(mp.emails(after) == [order[0], order[2]], f"emails after remove /Emails/1: {mp.emails(after)}")
    expect(after.get("CustomerType") in (None, ""), "remove /CustomerType left it")


@req("MP-PATCH-008")
def test_remove_of_a_missing_path_is_refused(api, three_emails):
    profile_id, _, _ = three_emails
    rejected(api, profile_id, [{"op": "remove", "path": "/Emails/9"}], "remove of /Emails/9")


@req("MP-PATCH-009")
def test_removes_in_descending_order(api, three_emails):
    profile_id, _, order = three_emails
    after = applied(api, profile_id, [{"op": "remove", "path": "/Emails/2"}, {"op": "remove", "path": "/Emails/0"}])
    expect(mp.emails(after) == [order[1]], f"emails: {mp.emails(after)}, expected {[order[1]]}")


@req("MP-PATCH-010")
def test_operations_apply_in_sequence(api, three_emails):
    profile_id, _, order = three_emails
    after = applied(api, profile_id, [{"op": "remove", "path": "/Emails/0"}, {"op": "remove", "path": "/Emails/1"}])
    expect(mp.emails(after) == [order[1]],
           f"[a, b, c] minus /Emails/0 then /Emails/1 gave {mp.emails(after)}, expected {[order[1]]}")


@req("MP-PATCH-011")
def test_later_operations_see_earlier_ones(api, three_emails):
    profile_id, _, _ = three_emails
    count = len(mp.active(mp.read(api, profile_id).get("CustomFields")))
    after = applied(api, profile_id, [
        {"op": "add", "path": "/CustomFields/-", "value": {"Name": "Color", "Value": "Red", "IsActive": True}},
        {"op": "replace", "path": f"/CustomFields/{count}/Value", "value": "Blue"},
    ])
    fields = {f.get("Name"): f.get("Value") for f in mp.active(after.get("CustomFields"))}
    expect(fields.get("Color") == "Blue", f"custom fields: {fields}")


@req("MP-PATCH-012")
def test_matching_test_lets_the_patch_apply(api, three_emails):
    profile_id, _, _ = three_emails
    after = applied(api, profile_id, [{"op": "test", "path": "/CustomerName/FirstName", "value": "Ada"},
                                      {"op": "replace", "path": "/CustomerType", "value": "Commercial"}])
    expect(after.get("CustomerType") == "Commercial", "a patch whose test matched was not applied")


@req("MP-PATCH-013")
def test_failing_test_rejects_the_whole_patch(api, three_emails):
    profile_id, _, _ = three_emails
    rejected(api, profile_id, [{"op": "replace", "path": "/CustomerType", "value": "Before"},
                               {"op": "test", "path": "/CustomerName/FirstName", "value": "Nobody"},
                               {"op": "replace", "path": "/CustomerName/LastName", "value": "After"}],
             "a patch with a failing test")


@req("MP-PATCH-014")
def test_failing_test_is_400(api, three_emails):
    profile_id, _, _ = three_emails
    response = patch(api, profile_id, [{"op": "test", "path": "/CustomerName/FirstName", "value": "Nobody"}])
    api.conforms(response, status=400)


@req("MP-PATCH-015")
def test_test_of_a_missing_path_fails(api, three_emails):
    profile_id, _, _ = three_emails
    rejected(api, profile_id, [{"op": "test", "path": "/CustomerName/Nickname", "value": "Ada"},
                               {"op": "replace", "path": "/CustomerType", "value": "After"}],
             "test of a missing path")


@req("MP-PATCH-016")
def test_test_compares_types(api, three_emails):
    profile_id, _, _ = three_emails
    rejected(api, profile_id, [{"op": "test", "path": "/ProfileId", "value": str(profile_id)},
                               {"op": "replace", "path": "/CustomerType", "value": "After"}],
             f'test of /ProfileId against the string "{profile_id}"')


@req("MP-PATCH-017")
def test_move_and_copy_are_refused(api, three_emails):
    profile_id, _, _ = three_emails
    for op in ({"op": "move", "from": "/Emails/0", "path": "/Emails/2"},
               {"op": "copy", "from": "/CustomerName/FirstName", "path": "/CustomerName/MiddleName"}):
        rejected(api, profile_id, [{"op": "replace", "path": "/CustomerType", "value": "Before"}, op],
                 f"a patch with {op['op']}")


@req("MP-PATCH-018")
def test_unknown_op_is_refused(api, three_emails):
    profile_id, _, _ = three_emails
    rejected(api, profile_id, [{"op": "merge", "path": "/CustomerType", "value": "X"}], 'op "merge"',
             status=400)


@req("MP-PATCH-019")
def test_operations_need_path_and_value(api, three_emails):
    profile_id, _, _ = three_emails
    for op in ({"op": "remove"}, {"op": "add", "path": "/CustomerType"}, {"op": "replace", "path": "/CustomerType"},
               {"op": "test", "path": "/CustomerType"}):
        rejected(api, profile_id, [op], f"operation {op}")


@req("MP-PATCH-020")
def test_path_must_be_a_json_pointer(api, three_emails):
    profile_id, _, _ = three_emails
    rejected(api, profile_id, [{"op": "replace", "path": "CustomerName/FirstName", "value": "X"}],
             "a path without a leading slash")


@req("MP-PATCH-021")
def test_add_needs_an_existing_parent_and_index(api, three_emails):
    profile_id, _, _ = three_emails
    for path in ("/NoSuchMember/Child", "/Emails/9"):
        rejected(api, profile_id, [{"op": "add", "path": path, "value": mp.email("x@example.com")}],
                 f"add at {path}")


@req("MP-PATCH-022")
def test_patch_changes_only_what_it_addresses(api, three_emails):
    profile_id, _, _ = three_emails
    before = mp.read(api, profile_id)
    after = applied(api, profile_id, [{"op": "replace", "path": "/CustomerName/FirstName", "value": "Grace"}])
    changed = {k for k in set(before) | set(after)
               if k not in ("Edited", "UpdateStatus", "CustomerName") and before.get(k) != after.get(k)}
    expect(not changed, f"the patch also changed {sorted(changed)}")
    expect(after["CustomerName"].get("LastName") == before["CustomerName"].get("LastName"),
           "the patch changed LastName")


@req("MP-PATCH-023")
def test_profile_id_cannot_be_patched(api, three_emails):
    profile_id, _, _ = three_emails
    response = patch(api, profile_id, [{"op": "replace", "path": "/ProfileId", "value": profile_id + 1000}])
    expect(response.status_code in (200, 202, 400), f"answered {response.status_code}")
    after = mp.wait_complete(api, profile_id)
    expect(after.get("ProfileId") == profile_id, f"the profile's id became {after.get('ProfileId')}")
