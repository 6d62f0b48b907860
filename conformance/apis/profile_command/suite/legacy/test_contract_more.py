"""Property-based, the Schemathesis checks the doc supports beyond the main contract test's (issue
15), each on its own row: unsupported_method (the coverage phase's probes of the methods the spec
does not give a path) and positive_data_acceptance (valid opt-out commands, true or false: the
legacy edition opts a user back in, L84). The catalogue's x-not-checked says why the others do not
fit this API."""

from conformance.suite import contract, req

API = "profile-command-legacy"


def _opt_out_only(api, spec):
    # The token request is left out: generated client credentials are never the client's, and
    # their refusal may be a 400 (RFC 6749 §5.2), which is no refusal of valid data.
    _, path = api.path_of("updateOptOut")
    for other in [p for p in spec["paths"] if p != path]:
        del spec["paths"][other]


methods = contract.method_probes(API)
commands = contract.valid_data(API, _opt_out_only)


@methods.parametrize()
@req("PCL-CON-006")
def test_unlisted_methods_are_refused_with_allow(case, api):
    contract.check_rows(api, case)


@commands.parametrize()
@req("PCL-CON-007")
def test_valid_opt_out_commands_are_not_refused(case, api):
    contract.check_rows(api, case)
