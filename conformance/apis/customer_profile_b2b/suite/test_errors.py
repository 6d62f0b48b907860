"""Malformed token requests (doc 003, L57-L61, L91)."""

import pytest

from conformance.apis.customer_profile_b2b.suite import b2b

req = pytest.mark.req


@req("B2B-ERR-001")
def test_malformed_token_requests_400(api):
    rid = "B2B-ERR-001"
    b2b.refused(api, rid, b2b.create(api, 'resources=["basic"]&validity=10'), "create", status=400)
    for validity in (0, -5, "ten", 1.5):
        b2b.refused(api, rid, b2b.create(api, resources=["basic"], validity=validity), "create", status=400)
