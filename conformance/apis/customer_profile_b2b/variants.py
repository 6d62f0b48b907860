"""Doc-allowed variants the Customer Profile B2B mock can play (`--variant NAME`).

The mirror of faults.py: each is a behaviour doc 003 leaves to the vendor, and the suite must
pass it (tests/test_variants.py). Most are an assumption of the spec (a path, a header, a field
name) taken the other way, with the target settings such a vendor's target file declares; the
mock serves what the settings say. `touches`: the inferred rows that may warn under it.
"""

from conformance.suite import Variant

API = "customer-profile-b2b"

_VARIANTS = [
    Variant("b2b-paths-moved", "tokens are created at /api/v2/token and data served at /api/v2/customer/{resource} "
            "(target declares token_path, data_path)", "003#L21-L22, L83-L84: no token creation URL, no data "
            "endpoint", settings={"token_path": "/api/v2/token", "data_path": "/api/v2/customer/{resource}"}, api=API),
    Variant("b2b-bare-token-header", "the token travels bare in an X-Access-Token header (target declares "
            "token_header, token_scheme \"\")", "003: the header carrying the token is not stated",
            settings={"token_header": "X-Access-Token", "token_scheme": ""}, api=API),
    Variant("b2b-token-field-access-token", "the token answer names the token access_token (target declares "
            "token_field)", "003#L96: the token response is not documented",
            settings={"token_field": "access_token"}, api=API),
    Variant("b2b-credential-headers", "tenant_hash and OAuth_key_secret travel as X-Tenant-Hash / X-OAuth-Secret "
            "(target declares tenant_header, secret_header)", "003#L51, L53: where they go is not stated",
            settings={"tenant_header": "X-Tenant-Hash", "secret_header": "X-OAuth-Secret"}, api=API),
    Variant("b2b-long-token", "tokens are 700-character signed JWTs", "003: the token's format and length are "
            "not stated", api=API),
]

VARIANTS = {v.name: v for v in _VARIANTS}
