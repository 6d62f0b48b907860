"""Every profile write has its own 400 ("The request was invalid and cannot be processed", e.g. doc
L721-L723 upsert, L2034 PUT by alternate id, L3144 PUT): wrongly typed members are refused on the
upsert and both PUTs too, not only on create and update (MP-ERR-013), and change nothing."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect

req = pytest.mark.req


@req("MP-ERR-101")
def test_upsert_and_puts_refuse_wrongly_typed_members(api):
    body = mp.new_profile(api, "typed")
    profile_id = mp.create(api, body, "MP-ERR-101")
    alt = mp.alt_of(body)
    before = mp.read(api, profile_id, "MP-ERR-101")
    writes = (("upsert", "POST", mp.BY_ALT, alt, {}), ("PUT", "PUT", mp.BY_ID, None, {"profileId": profile_id}),
              ("PUT by alternate id", "PUT", mp.BY_ALT, alt, {}))
    for what, override in (("IsActive 'yes'", {"IsActive": "yes"}), ("Emails as an object", {"Emails": {"a": 1}})):
        for label, method, template, params, path in writes:
            response = mp.call(api, method, template, params=params, body=dict(body, **override), **path)
            expect(response.status_code == 400, "MP-ERR-101",
                   f"{label} with {what} answered {response.status_code}, not 400")
    after = mp.wait_complete(api, profile_id, "MP-ERR-101")
    changed = {k for k in set(before) | set(after)
               if k not in ("Edited", "UpdateStatus") and before.get(k) != after.get(k)}
    expect(not changed, "MP-ERR-101", f"the refused writes changed {sorted(changed)}")
