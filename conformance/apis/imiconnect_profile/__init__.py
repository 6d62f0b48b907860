"""IMIconnect Profile API (doc 002): master and application profiles behind a `key` header,
answering with the numeric result codes of the doc's table.

The doc gives no base URL, no HTTP status codes, no response envelope, no request bodies and
lost the lists of which parameter goes where (L24-L29 end in "in the following:" with nothing
after). Each choice specs/imiconnect-profile.yaml makes is a setting below that a target file may
override under [apis.imiconnect-profile.settings].
"""

from conformance.registry import ApiInfo

DOC = "002_b3f149ab37e842b9.txt"

# The doc's result code table (L33-L56): code -> (message as the doc spells it, doc line).
CODES = {
    1000: ("Success", 33),
    1002: ("Partial success", 34),
    7000: ("Invalid JSON", 35),
    7001: ("Authentication failed", 36),
    7002: ("Service Key Missing", 37),
    7003: ("Mandatory parameters missing", 38),
    7004: ("Invalid parameters", 39),
    7006: ("Internal error occurred", 40),
    7010: ("Source ip is not white listed", 41),
    7012: ("Batch size limit(100) exceeded", 42),
    7013: ("Master profile store not found", 43),
    7014: ("Customer not found", 44),
    7015: ("Customer already exists", 45),
    7016: ("Unknwon error", 46),
    7017: ("Profile attribute doesn't exist", 47),
    7018: ("invalid app profile or app profile is not linked to this client", 48),
    7020: ("You have reached maximum transaction limit", 49),
    7203: ("Customer/App not found", 50),
    7205: ("Invalid attribute value", 51),
    7206: ("Master profile store not found", 52),
    7207: ("Batch size limit (100) exceeded", 53),
    7209: ("Customer/App profile already exists", 54),
    7211: ("Profile attribute does not exist", 55),
    7212: ("Invalid app profile or app profile not linked to this client.", 56),
}

# Assumed HTTP status of each result code (the doc states none): RFC 9110's meaning of the
# situation. A target answering otherwise overrides entries with the setting status_map.
STATUS = {
    1000: 200, 1002: 200,
    7000: 400, 7003: 400, 7004: 400, 7012: 400, 7207: 400, 7017: 400, 7205: 400, 7211: 400,
    7001: 401, 7002: 401,
    7010: 403,
    7014: 404, 7203: 404, 7018: 404, 7212: 404,
    7015: 409, 7209: 409,
    7020: 429,
    7006: 500, 7013: 500, 7016: 500, 7206: 500,
}

SETTINGS = {
    "code_field": "code",  # assumed envelope: {"code": 1000, "description": "Success", ...}
    "description_field": "description",
    "status_map": {},  # result code -> HTTP status, overriding STATUS entries ({"7014": 200})
    "batch_limit": 100,  # L42, L53
    # Attribute keys the client's master profile defines (L2 names name, email and msisdn;
    # L26-L27's list of keys was lost). A key the suite may use as undefined (7211, 7017):
    "attribute_keys": ["name", "email", "msisdn"],
    "undefined_attribute": "cfxUndefinedAttribute",
    # Applications linked to the client (two), and one that is not (7018, 7212).
    "appid": "",
    "other_appid": "",
    "unlinked_appid": "cfx-app-not-linked",
}

APIS = (
    ApiInfo(
        name="imiconnect-profile",
        title="IMIconnect Profile API",
        package=__name__,
        suite="suite",
        mock=f"{__name__}.mock:factory",
        credentials=("key",),
        settings=SETTINGS,
    ),
)
