"""The one URL the doc gives (L90, L100)."""

import pytest

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite.outcome import expect

req = pytest.mark.req


@req("B2B-VER-001")
def test_update_url_is_the_documented_one(api):
    response = b2b.update(api, "cfx-not-a-token-" + api.run.run_id, ["basic"], 10, path=b2b.DOC_UPDATE)
    expect(response.status_code not in (404, 405), "B2B-VER-001",
           f"POST {b2b.DOC_UPDATE} answered {response.status_code}: the update is not served at the documented URL")
