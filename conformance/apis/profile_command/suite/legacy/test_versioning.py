"""Where the legacy edition serves its endpoints (doc 000, L44, L77)."""

import pytest

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import LEGACY


@pytest.mark.req("PCL-VER-001")
def test_documented_paths_are_served(api):
    pc.endpoints_in_place(api, LEGACY, "PCL-VER-001")
