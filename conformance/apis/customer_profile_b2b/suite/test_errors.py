"""Malformed token requests (doc 003, L57-L61, L91)."""

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite import req


@req("B2B-ERR-001")
def test_malformed_token_requests_400(api):
    b2b.refused(api, b2b.create(api, 'resources=["basic"]&validity=10'), "create", status=400)
    for validity in (0, -5, "ten", 1.5):
        b2b.refused(api, b2b.create(api, resources=["basic"], validity=validity), "create", status=400)
    # The update: "the structure of the request payload and other details are the same" (L91),
    # on a valid token, so that a refusal is for the payload and not for the token.
    token = b2b.spare_token(api)
    b2b.refused(api, b2b.update_raw(api, 'resource=["basic"]&validity=10&token=x'), "update", status=400)
    for validity in (0, -5, "ten", 1.5):
        b2b.refused(api, b2b.update(api, token, ["basic"], validity), "update", status=400)
