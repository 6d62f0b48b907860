"""Property-based: schemathesis generates valid and invalid requests from the spec."""

from conformance.suite import contract, current, req


def _own_site_only(api, spec):
    # Positive cases use the target's own site; any other apiKey is negative data (PC-AUTH-014).
    _, path = api.path_of("optOut")
    key = next(p for p in spec["paths"][path]["parameters"] if p["name"] == "apiKey")
    key["schema"] = {"const": api.credential("api_key")}


schema = contract.schema_for("profile-command", _own_site_only)


@schema.parametrize()
@req("PC-CON-001", "PC-CON-002", "PC-CON-003", "PC-CON-004", "PC-CON-005", "PC-ERR-006", "PC-AUTH-011",
     *contract.assumption_rows("profile-command"))
def test_contract(case, api):
    contract.check(api, case)


# Last in this module: property checks that only ever saw refusals verified nothing.
@req("PC-CON-001", "PC-CON-002", "PC-CON-003", "PC-CON-004", "PC-CON-005")
def test_property_requests_were_served(api):
    contract.served(api, current())
