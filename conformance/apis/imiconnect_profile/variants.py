"""Doc-allowed variants the IMIconnect Profile mock can play (`--variant NAME`).

The mirror of faults.py: each is a behaviour doc 002 leaves to the vendor, and the suite must
pass it (tests/test_variants.py). The doc gives result codes and their messages (L31-L56) and
nothing else about an answer: no HTTP status, no envelope, no order. `settings` is what such a
vendor's target file declares; `touches` the inferred rows (the spec's assumptions) that may warn.
"""

from conformance.suite import Variant, load_spec

API = "imiconnect-profile"
# Every result code the spec assumes an HTTP status for (x-result-status).
CODES = [code for codes in load_spec(API)["x-result-status"]["statuses"].values() for code in codes]
SILENT_STATUS = "002#L31-L56: result codes only, no HTTP status anywhere"

_VARIANTS = [
    Variant("imi-all-200", "every result, errors included, comes with HTTP 200 (the code is in the body); "
            "the target file does not say so", SILENT_STATUS, touches=("IMI-CON-006",), api=API),
    Variant("imi-all-200-declared", "every result comes with HTTP 200, and the target declares status_map "
            "= 200 for every code", SILENT_STATUS, settings={"status_map": {str(c): 200 for c in CODES}}, api=API),
    Variant("imi-7014-200", "7014 Customer not found comes with HTTP 200, as README's example status_map "
            "= {\"7014\" = 200} declares", SILENT_STATUS, settings={"status_map": {"7014": 200}}, api=API),
    Variant("imi-string-codes", "result codes are sent as strings (\"1000\")",
            "002#L31-L56: the table gives codes as text, not a JSON type", api=API),
    Variant("imi-envelope-renamed", "the envelope names its fields `status` and `message` (target declares "
            "code_field / description_field)", "002#L31: no response body documented (the table's columns "
            "are Code, Message, Description)", settings={"code_field": "status", "description_field": "message"},
            api=API),
    Variant("imi-extra-fields", "every answer carries fields of the vendor's own (requestId, timestamp, "
            "an `extra` object in each profile)", "002#L31: no response body documented", api=API),
    Variant("imi-no-results-on-success", "a batch where every profile succeeded answers 1000 without the "
            "per-profile `results` list", "002#L34: only a partial success must say which profiles failed",
            api=API),
    Variant("imi-reversed-order", "lists in answers (application profiles, InwardLinks) come newest first",
            "002#L12, L25: no order of application profiles or InwardLinks is stated", api=API),
]

VARIANTS = {v.name: v for v in _VARIANTS}
