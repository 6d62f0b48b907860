"""Property-based, the Schemathesis checks the doc supports beyond the main contract test's (issue
15), each on its own row: unsupported_method (the coverage phase's probes of the methods the
table of L9-L19 does not give a path) and positive_data_acceptance (valid requests of the nine
operations). The catalogue's x-not-checked says why the others do not fit this API.

Valid data is aimed as test_contract.py aims it: the client's attribute keys (L55), its linked
applications, and for updates and deletes only customerids under the run's prefix."""

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite import contract, req

API = "imiconnect-profile"
EXAMPLES = {"quick": 10, "full": 60}

methods = contract.method_probes(API, status_of=imi.assumed_status, **imi.AUTH)
valid = contract.valid_data(API, imi.aim_contract(only_ours=True, label="cv"), examples=EXAMPLES,
                            status_of=imi.assumed_status, **imi.AUTH)


@methods.parametrize()
@req("IMI-CON-007")
def test_unlisted_methods_are_refused_with_allow(case, api):
    contract.check_rows(api, case)


@valid.parametrize()
@req("IMI-CON-008")
def test_valid_requests_are_not_refused(case, api):
    contract.check_rows(api, case)
