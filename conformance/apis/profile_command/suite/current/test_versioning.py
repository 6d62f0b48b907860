"""What moved between editions (doc 000 -> 001): the apiKey path segment."""

import pytest

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import CURRENT, LEGACY, OPT_OUT
from conformance.suite.outcome import expect

req = pytest.mark.req


@req("PC-VER-001")
def test_documented_paths_are_served(api):
    pc.endpoints_in_place(api, CURRENT, "PC-VER-001")


@req("PC-VER-003")
def test_get_is_not_an_opt_out(api):
    url = CURRENT.opt_url(api, api.unique("user"))
    response = api.client.get(url, headers=pc.bearer(api.tokens.get()))
    expect(not response.is_success, "PC-VER-003",
           f"GET {CURRENT.opt_path} (the cURL of L47) answered {response.status_code}: the operation is PUT")


@req("PC-VER-002")
def test_legacy_path_does_not_opt_out(api):
    response = pc.put_opt(api, LEGACY, api.unique("user"), OPT_OUT)
    expect(not response.is_success, "PC-VER-002",
           f"PUT /optOut/{{userId}} without the apiKey segment answered {response.status_code}")
