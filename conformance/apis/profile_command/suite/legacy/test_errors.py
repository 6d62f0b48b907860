"""Malformed opt-out commands, legacy edition (doc 000, L81-L84)."""

from conformance.apis.profile_command.suite import common as pc
from conformance.apis.profile_command.suite.common import LEGACY
from conformance.suite import req


@req("PCL-ERR-001")
def test_missing_type_refused(api):
    pc.command_refused(api, LEGACY, pc.BAD_COMMANDS["no type"])


@req("PCL-ERR-002")
def test_missing_enable_opt_out_refused(api):
    pc.command_refused(api, LEGACY, pc.BAD_COMMANDS["no enableOptOut"])


@req("PCL-ERR-003")
def test_other_type_refused(api):
    pc.refused_each(api, LEGACY, {f"type {t!r}": {"type": t, "enableOptOut": True} for t in pc.OTHER_TYPES})


@req("PCL-ERR-004")
def test_non_json_refused(api):
    pc.command_refused(api, LEGACY, pc.BAD_COMMANDS["not JSON"])


@req("PCL-ERR-007")
def test_enable_opt_out_not_boolean_refused(api):
    pc.refused_each(api, LEGACY,
                    {f"enableOptOut {v!r}": {"type": "optOut", "enableOptOut": v} for v in pc.NOT_BOOLEAN})


@req("PCL-ERR-008")
def test_no_body_refused(api):
    pc.command_refused(api, LEGACY, pc.BAD_COMMANDS["no body"])


@req("PCL-ERR-005")
def test_refusals_are_400_with_error_body(api):
    for body in pc.BAD_COMMANDS.values():
        pc.command_refused(api, LEGACY, body, exact_400=True)
