"""The one URL the doc gives (L90, L100)."""

import pytest

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite.outcome import expect

req = pytest.mark.req


@req("B2B-VER-001")
def test_update_url_is_the_documented_one(api):
    # An update of a token the run holds (a 404 cannot mean "no such token"), with a validity
    # that is not a number: served there, it is refused for its payload without issuing anything.
    token = b2b.spare_token(api, "B2B-VER-001")
    response = b2b.update(api, token, ["basic"], "ten", path=b2b.DOC_UPDATE)
    expect(response.status_code not in (404, 405), "B2B-VER-001",
           f"POST {b2b.DOC_UPDATE} answered {response.status_code}: the update is not served at the documented URL")
