"""ProfileId is read-only in every write body (doc L256, repeated for the upsert at L666 and the PUT by
alternate id at L1877): these writes find their profile by the alternateId/alternateIdType pair
(L588, L1799), whatever ProfileId the body carries."""

from __future__ import annotations

from conformance.apis.mypreferences.suite import mp
from conformance.suite import expect, req


@req("MP-ID-102")
def test_a_body_profile_id_does_not_redirect_alternate_id_writes(api):
    mine_body = mp.new_profile(api, "pid-mine")
    other_body = mp.new_profile(api, "pid-other")
    mine = mp.create(api, mine_body)
    other = mp.create(api, other_body)
    alt = mp.alt_of(mine_body)
    before_other = mp.read(api, other)
    writes = (("upsert", "upsertProfileByAlternateId", {"ProfileId": other, "CustomerType": "Upserted"}, 202,
               "Upserted"),
              ("PUT by alternate id", "replaceProfileByAlternateId",
               dict(mine_body, ProfileId=other, CustomerType="PutAlt"), 200, "PutAlt"))
    for label, operation, payload, status, value in writes:
        mp.write(api, operation, profile_id=mine, params=alt, json=payload, status=status)
        found = api.conforms(api.call("getProfileByAlternateId", params=alt), status=200)
        expect(found.get("ProfileId") == mine,
               f"after an {label} whose body names ProfileId {other}, the pair finds ProfileId "
               f"{found.get('ProfileId')}, not {mine}")
        expect(found.get("CustomerType") == value,
               f"the {label} was not applied to the profile its pair finds: CustomerType {found.get('CustomerType')!r}")
        after_other = mp.read(api, other)
        expect(after_other.get("CustomerType") == before_other.get("CustomerType"),
               f"the {label} changed the profile whose ProfileId its body named: CustomerType "
               f"{before_other.get('CustomerType')!r} -> {after_other.get('CustomerType')!r}")
