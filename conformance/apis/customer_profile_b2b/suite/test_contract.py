"""Property-based: schemathesis generates valid and invalid requests from the spec.

The token creation is left out: every generated request that succeeded would spend one of the
tenant's 100 tokens a day (L56). The update and the data calls are generated.
"""

from conformance.suite import contract, current, req

API = "customer-profile-b2b"


def _aim(api, spec):
    # The assumed paths are already the target's (x-setting), its header names and token field
    # too (api.spec, aimed by b2b.setup).
    spec["paths"].pop(api.path_of("createToken")[1], None)
    params = spec["components"]["parameters"]
    # The tenant's own credentials in positive cases; anything else is negative data.
    params["TenantHash"]["schema"] = {"const": api.credential("tenant_hash")}
    if api.target.credentials.get("oauth_key_secret"):
        params["OAuthKeySecret"]["schema"] = {"const": api.credential("oauth_key_secret")}
    # Valid identifiers are those of the target's known customer, so that valid requests reach
    # a profile (200); anything else is a customer nobody has, or an ambiguous mix (4xx).
    customer = api.setting("customer") or {}
    for param in ("GcrId", "EmailAddress", "MobileNumber", "CustomerCodeExternal"):
        value = customer.get(params[param]["name"])
        if value:
            params[param]["schema"] = {"const": str(value)}


schema = contract.schema_for(API, _aim, header=lambda api: api.setting("token_header"),
                             scheme=lambda api: api.setting("token_scheme"))


@schema.parametrize()
@req("B2B-CON-001", "B2B-CON-002", "B2B-CON-003", "B2B-CON-004", "B2B-CON-005", "B2B-ERR-002", "B2B-AUTH-009",
     *contract.assumption_rows(API))
def test_contract(case, api):
    contract.check(api, case)


# Last in this module: property checks that only ever saw refusals verified nothing.
@req("B2B-CON-001", "B2B-CON-002", "B2B-CON-003", "B2B-CON-004", "B2B-CON-005")
def test_property_requests_were_served(api):
    contract.served(api, current())
