"""Property-based: schemathesis generates valid and invalid requests from the spec.

The token creation is left out (b2b.aim_contract): every generated request that succeeded would
spend one of the tenant's 100 tokens a day (L56). The update and the data calls are generated.
"""

from conformance.apis.customer_profile_b2b.suite import b2b
from conformance.suite import contract, current, req

API = "customer-profile-b2b"

schema = contract.schema_for(API, b2b.aim_contract, **b2b.TOKEN_AUTH)


@schema.parametrize()
@req("B2B-CON-001", "B2B-CON-002", "B2B-CON-003", "B2B-CON-004", "B2B-CON-005", "B2B-ERR-002", "B2B-AUTH-009",
     *contract.assumption_rows(API))
def test_contract(case, api):
    contract.check(api, case)


# Last in this module: property checks that only ever saw refusals verified nothing.
@req("B2B-CON-001", "B2B-CON-002", "B2B-CON-003", "B2B-CON-004", "B2B-CON-005")
def test_property_requests_were_served(api):
    contract.served(api, current())
