"""What moved between editions (doc 000 -> 001): the apiKey path segment."""

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import CURRENT, OPT_OUT
from conformance.suite import expect, req


@req("PC-VER-001")
def test_documented_paths_are_served(api):
    pc.endpoints_in_place(api, CURRENT)


@req("PC-VER-003")
def test_get_is_not_an_opt_out(api):
    url = api.url_of(CURRENT.opt_op, userId=api.unique("user"))
    response = api.client.get(url, headers=pc.bearer(api.tokens.get()))
    _, path = api.path_of(CURRENT.opt_op)
    expect(not response.is_success,
           f"GET {path} (the cURL of L47) answered {response.status_code}: the operation is PUT")


@req("PC-VER-002")
def test_legacy_path_does_not_opt_out(api):
    response, path = pc.legacy_path_put(api, api.unique("user"), OPT_OUT)
    expect(not response.is_success, f"PUT {path} without the apiKey segment answered {response.status_code}")
