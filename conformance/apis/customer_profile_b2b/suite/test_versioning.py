"""The one URL the doc gives (L90, L100)."""

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite import expect, req


@req("B2B-VER-001")
def test_update_url_is_the_documented_one(api):
    # An update of a token the run holds (a 404 cannot mean "no such token"), with a validity
    # that is not a number: served there, it is refused for its payload without issuing anything.
    token = b2b.spare_token(api)
    documented = b2b.documented_update_path(api)  # whatever the target's update_path says
    response = b2b.update(api, token, ["basic"], "ten", path=documented)
    expect(response.status_code not in (404, 405),
           f"POST {documented} answered {response.status_code}: the update is not served at the documented URL")
