"""Opting users out, current edition (doc 001): irreversible."""

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import CURRENT, OPT_IN
from conformance.suite import expect, req


@req("PC-OPT-001")
def test_opt_out(api):
    pc.opt_out_ok(api, CURRENT)


@req("PC-OPT-002")
def test_new_user_id_is_a_new_user(api):
    pc.opt_out_ok(api, CURRENT, user=api.unique("never-seen"))


@req("PC-OPT-003")
def test_cannot_opt_back_in(api):
    user = api.unique("user")
    pc.opt_out_ok(api, CURRENT, user=user)
    for label, who in (("an opted-out user", user), ("a user never opted out", api.unique("never-seen"))):
        response = pc.put_opt(api, CURRENT, who, OPT_IN)
        expect(not response.is_success,
               f"enableOptOut false for {label} answered {response.status_code}: only true is a value (L64)")


@req("PC-OPT-004")
def test_opt_back_in_refusal_is_400(api):
    user = api.unique("user")
    pc.opt_out_ok(api, CURRENT, user=user)
    response = pc.put_opt(api, CURRENT, user, OPT_IN)
    body = api.conforms(response, status=400)
    expect(isinstance(body, dict) and body.get("error"), "the 400 body carries no 'error'")


@req("PC-OPT-005")
def test_opt_out_twice(api):
    user = api.unique("user")
    pc.opt_out_ok(api, CURRENT, user=user)
    pc.opt_out_ok(api, CURRENT, user=user)


@req("PC-OPT-006")
def test_enable_opt_out_as_string(api):
    pc.opt_out_ok(api, CURRENT, body={"type": "optOut", "enableOptOut": "true"})


@req("PC-OPT-010")
def test_user_id_is_any_string(api):
    pc.user_ids_accepted(api, CURRENT)


@req("PC-CON-004")
def test_unusual_user_ids_do_not_fail_the_server(api):
    pc.odd_user_ids_no_5xx(api, CURRENT)
