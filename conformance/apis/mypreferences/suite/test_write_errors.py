"""Every profile write has its own 400 ("The request was invalid and cannot be processed", e.g. doc
L721-L723 upsert, L2034 PUT by alternate id, L3144 PUT): wrongly typed members are refused on the
upsert and both PUTs too, not only on create and update (test_errors.test_wrongly_typed_members), and
change nothing."""

from __future__ import annotations

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, req



@req("MP-ERR-101")
def test_upsert_and_puts_refuse_wrongly_typed_members(api):
    body = mp.new_profile(api, "typed")
    profile_id = mp.create(api, body)
    alt = mp.alt_of(body)
    before = mp.read(api, profile_id)
    writes = (("upsert", "upsertProfileByAlternateId", alt, {}),
              ("PUT", "replaceProfile", None, {"profileId": profile_id}),
              ("PUT by alternate id", "replaceProfileByAlternateId", alt, {}))
    for what, override in (("IsActive 'yes'", {"IsActive": "yes"}), ("Emails as an object", {"Emails": {"a": 1}})):
        for label, operation, params, path in writes:
            response = api.call(operation, params=params, json=dict(body, **override), **path)
            expect(response.status_code == 400, f"{label} with {what} answered {response.status_code}, not 400")
    after = mp.wait_complete(api, profile_id)
    changed = {k for k in set(before) | set(after)
               if k not in ("Edited", "UpdateStatus") and before.get(k) != after.get(k)}
    expect(not changed, f"the refused writes changed {sorted(changed)}")
