"""Property-based: schemathesis generates valid and invalid requests for the nine operations.

Reads and creates get valid and invalid data; what a create made is deleted at the end of the
run (imi.setup tracks it). Updates and deletes get valid data only, on customerids under the
run's prefix: any other customerid could name (and change or delete) a real customer of a
vendor sandbox.
"""

from conformance.apis.imiconnect_profile.suite import imi
from conformance.suite import contract, current, req

API = "imiconnect-profile"
EXAMPLES = {"quick": 15, "full": 100}

reads = contract.schema_for(API, imi.aim_contract({"get", "post"}, only_ours=False), examples=EXAMPLES,
                            status_of=imi.assumed_status, **imi.AUTH)
writes = contract.valid_data(API, imi.aim_contract({"put", "delete"}, only_ours=True), examples=EXAMPLES,
                             status_of=imi.assumed_status, **imi.AUTH)


def _partial(api):
    """A batch mixing valid and invalid profiles is rightly answered 1002 Partial success with
    HTTP 200 (L34): the invalid profiles were refused, not accepted."""
    return lambda response: ("negative_data_rejection",) if imi.code_of(api, response) == 1002 else ()


@reads.parametrize()
@req("IMI-CON-001", "IMI-CON-002", "IMI-CON-003", "IMI-CON-004", "IMI-CON-005", "IMI-AUTH-002")
def test_contract_reads_and_creates(case, api):
    contract.check(api, case, exempt=_partial(api))


@writes.parametrize()
@req("IMI-CON-001", "IMI-CON-002", "IMI-CON-003", "IMI-CON-004", "IMI-CON-005", "IMI-AUTH-002")
def test_contract_updates_and_deletes(case, api):
    contract.check(api, case)


# Last in this module: property checks that only ever saw refusals verified nothing.
@req("IMI-CON-001", "IMI-CON-002", "IMI-CON-003", "IMI-CON-004", "IMI-CON-005")
def test_property_requests_were_served(api):
    contract.served(api, current())
