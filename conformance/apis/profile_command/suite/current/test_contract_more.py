"""Property-based, the Schemathesis checks the doc supports beyond the main contract test's (issue
15), each on its own row: unsupported_method (the coverage phase's probes of the methods the spec
does not give a path) and positive_data_acceptance (valid opt-out commands). The catalogue's
x-not-checked says why the others do not fit this API."""

from conformance.suite import contract, req

API = "profile-command"


def _own_site(api, spec):
    # The target's own site: another apiKey is refused before anything else is judged (PC-AUTH-014).
    _, path = api.path_of("optOut")
    key = next(p for p in spec["paths"][path]["parameters"] if p["name"] == "apiKey")
    key["schema"] = {"const": api.credential("api_key")}


def _opt_out_commands(api, spec):
    """Valid data is what the doc says opts a user out: a body (L68) with type "optOut" and
    enableOptOut true (L57-L64). The spec also admits false and no body, which the doc leaves open
    (PC-OPT-003, PC-ERR-008): a refusal of those is judged there, not as valid data refused."""
    _own_site(api, spec)
    method, path = api.path_of("optOut")
    for other in [p for p in spec["paths"] if p != path]:
        del spec["paths"][other]
    operation = spec["paths"][path][method.lower()]
    operation["requestBody"]["required"] = True
    command = spec["components"]["schemas"]["OptOutRequest"]
    command["properties"]["enableOptOut"] = {"enum": [True, "true"]}


methods = contract.method_probes(API, _own_site)
commands = contract.valid_data(API, _opt_out_commands)


@methods.parametrize()
@req("PC-CON-006")
def test_unlisted_methods_are_refused_with_allow(case, api):
    contract.check_rows(api, case)


@commands.parametrize()
@req("PC-CON-007")
def test_valid_opt_out_commands_are_not_refused(case, api):
    contract.check_rows(api, case)
