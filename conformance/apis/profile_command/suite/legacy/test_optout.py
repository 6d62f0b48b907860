"""Opting users out and back in, legacy edition (doc 000, L75-L103)."""

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import LEGACY, OPT_IN, OPT_OUT
from conformance.suite import req


@req("PCL-OPT-001")
def test_opt_out(api):
    pc.opt_out_ok(api, LEGACY)


@req("PCL-OPT-002")
def test_opt_back_in(api):
    # out, in, out, in: each command is accepted. Whether each took effect is not observable
    # (the API has no read): PCL-OPT-003 is untestable for that reason.
    user = api.unique("user")
    for body in (OPT_OUT, OPT_IN, OPT_OUT, OPT_IN):
        pc.opt_out_ok(api, LEGACY, user=user, body=body)


@req("PCL-OPT-004")
def test_new_user_id_is_a_new_user(api):
    pc.opt_out_ok(api, LEGACY, user=api.unique("never-seen"))


@req("PCL-OPT-005")
def test_same_command_twice(api):
    user = api.unique("user")
    for body in (OPT_OUT, OPT_OUT, OPT_IN, OPT_IN):
        pc.opt_out_ok(api, LEGACY, user=user, body=body)


@req("PCL-OPT-006")
def test_enable_opt_out_as_strings(api):
    user = api.unique("user")
    for value in ("true", "false"):
        pc.opt_out_ok(api, LEGACY, user=user, body={"type": "optOut", "enableOptOut": value})


@req("PCL-OPT-009")
def test_user_id_is_any_string(api):
    pc.user_ids_accepted(api, LEGACY)


@req("PCL-CON-004")
def test_unusual_user_ids_do_not_fail_the_server(api):
    pc.odd_user_ids_no_5xx(api, LEGACY)
