"""Doc-allowed variants the Profile Command mock can play (`--variant NAME`), both editions.

The mirror of faults.py: each is a behaviour the doc (000 legacy, 001 current) leaves to the
vendor, and the suite must pass it (tests/test_variants.py). `touches`: the inferred rows (the
spec's assumptions) that may warn under it; no other row may.
"""

from conformance.suite import Variant

PC, PCL = "profile-command", "profile-command-legacy"

_CURRENT = [
    Variant("pc-422-rejected-command", "a rejected command (bad body, opting back in) answers 422",
            "001#L57-L64, L7: required fields and the irreversible opt-out, but no status for a rejected command",
            touches=("PC-ERR-005", "PC-OPT-004"), api=PC),
    Variant("pc-long-token", "access tokens are 700-character signed JWTs, not short opaque strings",
            "001#L33: access_token is a string; its format and length are not stated", api=PC),
    Variant("pc-token-extra-fields", "the token answer adds scope, issued_at and jti",
            "001#L33-L34: the sample lists three fields and does not forbid others (RFC 6749 §5.1 allows more)",
            api=PC),
    Variant("pc-retry-after-date", "Retry-After on a 429 is an HTTP-date, not a number of seconds",
            "001#L75: 429 with no Retry-After format; RFC 9110 §10.2.3 allows delay-seconds or an HTTP-date",
            api=PC),
    Variant("pc-fixed-window", "the 100 updates/s are counted per clock second (fixed windows), not over any "
            "one-second span", "001#L84: \"up to 100 user ID updates per second\" does not say how a second is "
            "measured", api=PC),
    Variant("pc-token-type-case", "token_type is \"Bearer\" (capitalised)",
            "001#L33 shows \"bearer\"; RFC 6749 §5.1 makes token_type case-insensitive", api=PC),
]
_LEGACY = [
    Variant("pcl-422-rejected-command", "a rejected command (bad body) answers 422",
            "000#L81-L84: required fields, but no status for a rejected command",
            touches=("PCL-ERR-005",), api=PCL),
    Variant("pcl-long-token", "access tokens are 700-character signed JWTs, not short opaque strings",
            "000: access_token is a string; its format and length are not stated", api=PCL),
    Variant("pcl-token-extra-fields", "the token answer adds scope, issued_at and jti",
            "000: the sample token answer does not forbid other fields (RFC 6749 §5.1 allows more)", api=PCL),
]

CURRENT = {v.name: v for v in _CURRENT}
LEGACY = {v.name: v for v in _LEGACY}
