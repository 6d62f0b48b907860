"""Property-based: schemathesis generates valid and invalid requests from the spec."""

import pytest

from conformance.suite import contract

schema = contract.schema_for("profile-command-legacy")


@schema.parametrize()
@pytest.mark.req("PCL-CON-001", "PCL-CON-002", "PCL-CON-003", "PCL-CON-004", "PCL-CON-005", "PCL-ERR-006",
                 "PCL-AUTH-009", *contract.assumption_rows("profile-command-legacy"))
def test_contract(case, api):
    contract.check(api, case)


# Last in this module: property checks that only ever saw refusals verified nothing.
test_property_requests_were_served = contract.served_test("PCL-CON-001", "PCL-CON-002", "PCL-CON-003", "PCL-CON-004", "PCL-CON-005")
