"""Property-based: schemathesis generates valid and invalid requests from the spec."""

from conformance.suite import contract, current, req

schema = contract.schema_for("profile-command-legacy")


@schema.parametrize()
@req("PCL-CON-001", "PCL-CON-002", "PCL-CON-003", "PCL-CON-004", "PCL-CON-005", "PCL-ERR-006", "PCL-AUTH-009",
     *contract.assumption_rows("profile-command-legacy"))
def test_contract(case, api):
    contract.check(api, case)


# Last in this module: property checks that only ever saw refusals verified nothing.
@req("PCL-CON-001", "PCL-CON-002", "PCL-CON-003", "PCL-CON-004", "PCL-CON-005")
def test_property_requests_were_served(api):
    contract.served(api, current())
