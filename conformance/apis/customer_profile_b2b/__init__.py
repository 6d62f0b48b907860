"""Customer Profile B2B API (Algonomy Real-time CDP, doc 003): scoped, time-limited tokens and
customer profiles resolved from identifier headers.

The doc leaves the token creation URL, the data endpoints, the header carrying the token, the
token response and the unit of `validity` open (see specs/customer-profile-b2b.yaml): each is a
setting below, which a target file may override under [apis.customer-profile-b2b.settings].
"""

from conformance.registry import ApiInfo

RESOURCES = (
    "basic", "segments", "searchSegments", "isCustomerInSegment", "campaigns", "searchCampaigns",
    "recommendedProducts", "userActivity", "productPurchaseTrends", "productPurchased", "affinity",
    "userAttributes", "gcrId", "optIn",
)  # 003#L25-L50
IDENTIFIERS = ("gcrId", "email_address", "mobile_number", "customer_code_external")  # 003#L65-L70

# Every assumption the spec marks x-assumption, as a setting a target file may override.
SETTINGS = {
    "token_path": "/secureApi/token/profile/create",  # assumed: L21-L22 give no URL
    "update_path": "/secureApi/token/profile/update",  # documented, L90
    "data_path": "/secureApi/profile/{resource}",  # assumed: L83-L84 list no endpoint
    "token_header": "Authorization",  # assumed (OAuth 2.0, RFC 6750)
    "token_scheme": "Bearer",  # "" sends the bare token
    "tenant_header": "tenant_hash",  # assumed: L51 does not say where it goes
    "secret_header": "oauth_key_secret",  # assumed: L53 does not say where it goes
    "token_field": "token",  # assumed: the token response is not documented (L96 names it token)
    "validity_unit": "minutes",  # L91; "seconds" is the other reading (L60, L109)
    "oauth_enabled": True,  # L54: the secret is required only on OAuth-enabled tenants
    "daily_token_limit": 100,  # L56, "can be increased"
    "token_budget": 10,  # tokens the suite may create before its disruptive tests
    # Identifiers of customers on the target (the doc has no endpoint to create one):
    # {gcrId, email_address, mobile_number, customer_code_external} of two distinct customers,
    # and one identifier shared by several customers ({"mobile_number": "..."}), if any.
    "customer": {},
    "other_customer": {},
    "shared_identifier": {},
}

APIS = (
    ApiInfo(
        name="customer-profile-b2b",
        title="Customer Profile B2B API",
        package=__name__,
        suite="suite",
        mock=f"{__name__}.mock:factory",
        credentials=("tenant_hash", "oauth_key_secret"),
        settings=SETTINGS,
    ),
)
