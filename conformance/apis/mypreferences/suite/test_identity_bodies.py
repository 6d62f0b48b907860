"""ProfileId is read-only in every write body (doc L256, repeated for the upsert at L666 and the PUT by
alternate id at L1877): these writes find their profile by the alternateId/alternateIdType pair
(L588, L1799), whatever ProfileId the body carries."""

from __future__ import annotations

import pytest

from conformance.apis.mypreferences.suite import mp
from conformance.suite.outcome import expect

req = pytest.mark.req


@req("MP-ID-102")
def test_a_body_profile_id_does_not_redirect_alternate_id_writes(api):
    mine_body = mp.new_profile(api, "pid-mine")
    other_body = mp.new_profile(api, "pid-other")
    mine = mp.create(api, mine_body, "MP-ID-102")
    other = mp.create(api, other_body, "MP-ID-102")
    alt = mp.alt_of(mine_body)
    before_other = mp.read(api, other, "MP-ID-102")
    writes = (("upsert", "POST", {"ProfileId": other, "CustomerType": "Upserted"}, 202, "Upserted"),
              ("PUT by alternate id", "PUT", dict(mine_body, ProfileId=other, CustomerType="PutAlt"), 200, "PutAlt"))
    for label, method, payload, status, value in writes:
        mp.write(api, method, mp.BY_ALT, "MP-ID-102", profile_id=mine, params=alt, body=payload, status=status)
        found = api.conforms(mp.call(api, "GET", mp.BY_ALT, params=alt), "GET", mp.BY_ALT, "MP-ID-102", status=200)
        expect(found.get("ProfileId") == mine, "MP-ID-102",
               f"after an {label} whose body names ProfileId {other}, the pair finds ProfileId "
               f"{found.get('ProfileId')}, not {mine}")
        expect(found.get("CustomerType") == value, "MP-ID-102",
               f"the {label} was not applied to the profile its pair finds: CustomerType {found.get('CustomerType')!r}")
        after_other = mp.read(api, other, "MP-ID-102")
        expect(after_other.get("CustomerType") == before_other.get("CustomerType"), "MP-ID-102",
               f"the {label} changed the profile whose ProfileId its body named: CustomerType "
               f"{before_other.get('CustomerType')!r} -> {after_other.get('CustomerType')!r}")
