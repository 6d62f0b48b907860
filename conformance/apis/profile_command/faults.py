"""Named defects the Profile Command mock can be started with (`--fault NAME`).

Each names the requirements the suite must then report broken: the proof, in `tests/`, that
every check can fail.
"""

from conformance.mock.base import Fault

_CURRENT = [
    Fault("token-without-expiry", "token response has no expires_in and tokens never expire",
          ("PC-AUTH-001", "PC-AUTH-003", "PC-AUTH-004")),
    Fault("expired-token-accepted", "tokens are still accepted after expires_in", ("PC-AUTH-004",)),
    Fault("wrong-ttl", "expires_in is 3600 and tokens expire after an hour", ("PC-AUTH-003",)),
    Fault("query-token-ignored", "token parameters in the query string are ignored", ("PC-AUTH-002",)),
    Fault("no-429", "the 100 updates/s limit is never enforced", ("PC-LIM-002",)),
    Fault("429-below-limit", "429 from the 51st update in a second", ("PC-LIM-001",)),
    Fault("no-retry-after", "429 responses carry no Retry-After", ("PC-LIM-003",)),
    Fault("429-sticks", "once limited, a client stays limited for 5 s", ("PC-LIM-004",)),
    Fault("opt-back-in-accepted", "enableOptOut false answers 200 {}", ("PC-OPT-003",)),
    Fault("opt-back-in-403", "enableOptOut false is refused with 403, not 400", ("PC-OPT-004",)),
    Fault("apikey-ignored", "any apiKey in the path is accepted", ("PC-AUTH-014",)),
    Fault("legacy-path-served", "the legacy path /optOut/{userId} still opts users out", ("PC-VER-002",)),
    # Every token request misses: the token tests fail, the property tests see no 2xx, and the
    # tests that need a token are blocked (not failed).
    Fault("token-path-typo", "the token endpoint is served at /oath2/token (the legacy doc's typo)",
          ("PC-VER-001", "PC-AUTH-001", "PC-AUTH-002", "PC-AUTH-003", "PC-AUTH-004", "PC-AUTH-005", "PC-AUTH-006",
           "PC-AUTH-007", "PC-AUTH-008", "PC-AUTH-009", "PC-AUTH-010", "PC-CON-001", "PC-CON-002", "PC-CON-003",
           "PC-CON-004", "PC-CON-005")),
]
_LEGACY = [
    Fault("legacy-token-expires", "legacy tokens expire after one hour", ("PCL-AUTH-002",)),
    Fault("legacy-opt-in-refused", "enableOptOut false is refused with 400", ("PCL-OPT-002", "PCL-OPT-003")),
    Fault("legacy-apikey-path", "the opt-out endpoint moved to /{apiKey}/optOut/{userId}",
          ("PCL-OPT-001", "PCL-VER-001")),
]
# Defects that both editions can carry; the ids differ per edition.
_BOTH = [
    ("wrong-error-code", "bad client credentials answer error invalid_request, not invalid_client",
     ("PC-AUTH-005",), ("PCL-AUTH-003",)),
    ("invalid-client-200", "bad client credentials answer 200 with the error body",
     ("PC-AUTH-006", "PC-CON-002"), ("PCL-AUTH-004", "PCL-CON-002")),
    ("grant-type-ignored", "any grant_type issues a token", ("PC-AUTH-007",), ("PCL-AUTH-005",)),
    ("unsupported-grant-401", "an unsupported grant_type is refused with 401, not 400", ("PC-AUTH-008",),
     ("PCL-AUTH-006",)),
    ("missing-grant-invalid-grant", "a token request without grant_type answers error invalid_grant",
     ("PC-AUTH-010",), ("PCL-AUTH-008",)),
    ("missing-credentials-token", "a token request without credentials issues a token",
     ("PC-AUTH-009",), ("PCL-AUTH-007",)),
    ("missing-token-accepted", "PUT without Authorization is applied", ("PC-AUTH-011",), ("PCL-AUTH-009",)),
    ("invalid-token-accepted", "any bearer token is accepted", ("PC-AUTH-011", "PC-AUTH-012"),
     ("PCL-AUTH-009", "PCL-AUTH-010")),
    ("invalid-token-wrong-error", "unknown bearer tokens answer error access_denied", ("PC-AUTH-012",),
     ("PCL-AUTH-010",)),
    ("no-www-authenticate", "401 responses carry no WWW-Authenticate", ("PC-AUTH-013",), ("PCL-AUTH-011",)),
    ("basic-challenge", "401 responses challenge with the Basic scheme, not Bearer", ("PC-AUTH-013", "PC-CON-005"),
     ("PCL-AUTH-011", "PCL-CON-005")),
    ("single-use-token", "a token works for one PUT only", ("PC-AUTH-016",), ("PCL-AUTH-012",)),
    ("bad-body-accepted", "the command body is not validated",
     ("PC-ERR-001", "PC-ERR-002", "PC-ERR-003", "PC-ERR-004", "PC-ERR-006"),
     ("PCL-ERR-001", "PCL-ERR-002", "PCL-ERR-003", "PCL-ERR-004", "PCL-ERR-006")),
    ("bad-body-422", "invalid command bodies answer 422", ("PC-ERR-005", "PC-CON-001"),
     ("PCL-ERR-005", "PCL-CON-001")),
    ("string-true-refused", 'enableOptOut "true" (string) is refused', ("PC-OPT-006",), ("PCL-OPT-006",)),
    ("token-field-renamed", "the token response says accessToken instead of access_token",
     ("PC-AUTH-001",), ("PCL-AUTH-001",)),
    ("optout-body-not-empty", 'opt-out answers {"status": "ok"} instead of {}', ("PC-OPT-001", "PC-CON-002"),
     ("PCL-OPT-001", "PCL-CON-002")),
    ("optout-202", "opt-out answers 202 instead of 200", ("PC-OPT-001", "PC-CON-001"),
     ("PCL-OPT-001", "PCL-CON-001")),
    ("text-errors", "error responses are text/plain", ("PC-CON-003",), ("PCL-CON-003",)),
    ("new-user-404", "a userId the mock has not seen answers 404", ("PC-OPT-002",), ("PCL-OPT-004",)),
    # CON-001 may catch it too, when a generated case repeats a userId: not guaranteed.
    ("repeat-optout-409", "opting out an opted-out user answers 409", ("PC-OPT-005",), ("PCL-OPT-005",)),
    ("server-error-on-odd-user", "userIds with characters outside [A-Za-z0-9_-] answer 500",
     ("PC-CON-004", "PC-CON-001"), ("PCL-CON-004", "PCL-CON-001")),
]

CURRENT = {f.name: f for f in _CURRENT} | {n: Fault(n, d, cur) for n, d, cur, _ in _BOTH}
LEGACY = {f.name: f for f in _LEGACY} | {n: Fault(n, d, leg) for n, d, _, leg in _BOTH}
