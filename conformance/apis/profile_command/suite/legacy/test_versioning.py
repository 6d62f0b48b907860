"""Where the legacy edition serves its endpoints (doc 000, L44, L77)."""

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import LEGACY
from conformance.suite import req


@req("PCL-VER-001")
def test_documented_paths_are_served(api):
    pc.endpoints_in_place(api, LEGACY)
