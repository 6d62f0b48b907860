"""Property-based: schemathesis generates valid and invalid requests for all 35 operations, and
(full profile) stateful sequences that follow the spec's links from create to reads and writes."""

import pytest
from hypothesis import settings

from conformance.suite import contract, current, req

# The rows of the property tests, one marker for both (the generated cases and the stateful sequences).
contract_rows = req("MP-CON-001", "MP-CON-002", "MP-CON-003", "MP-CON-004", "MP-CON-005", "MP-AUTH-001")
EXAMPLES = {"quick": 6, "full": 60}
# The coverage phase walks every member of the large Profile body (~30 s): full profile only.
PHASES = {"quick": ("examples", "fuzzing"), "full": ("examples", "coverage", "fuzzing", "stateful")}


def _own_account(api, spec):
    # Positive cases use the target's account; any other clientId is negative data (MP-ERR-001).
    for item in spec["paths"].values():
        for param in item.get("parameters", []):
            if param.get("name") == "clientId":
                param["schema"] = {"const": api.setting("client_id")}
        for op in item.values():
            if isinstance(op, dict):
                for param in op.get("parameters", []):
                    if param.get("name") == "clientId":
                        param["schema"] = {"const": api.setting("client_id")}


schema = contract.schema_for("mypreferences", _own_account, header="Authorization", scheme="", examples=EXAMPLES,
                            phases=PHASES)


@schema.parametrize()
@contract_rows
def test_contract(case, api):
    contract.check(api, case)


_api = contract.context("mypreferences")
Workflow = contract.state_machine(schema, _api)


@contract_rows
class TestStatefulWorkflow(Workflow.TestCase):
    settings = settings(max_examples=25, stateful_step_count=6, deadline=None, database=None)

    def setUp(self):
        if _api.run.profile != "full":
            pytest.skip("stateful sequences run in the full profile only")


# Last in this module: property checks that only ever saw refusals verified nothing.
@req("MP-CON-001", "MP-CON-002", "MP-CON-003", "MP-CON-004", "MP-CON-005")
def test_property_requests_were_served(api):
    contract.served(api, current())
