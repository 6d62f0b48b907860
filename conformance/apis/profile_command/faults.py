"""Named defects the Profile Command mock can be started with (`--fault NAME`).

Each names the requirements the suite must then report broken: the proof, in `tests/`, that
every check can fail.
"""

from conformance.suite import Fault

_CURRENT = [
    Fault("token-without-expiry", "token response has no expires_in and tokens never expire",
          ("PC-AUTH-001", "PC-AUTH-002", "PC-AUTH-003", "PC-AUTH-004")),
    Fault("expired-token-accepted", "tokens are still accepted after expires_in", ("PC-AUTH-004",)),
    Fault("wrong-ttl", "expires_in is 3600 and tokens expire after an hour", ("PC-AUTH-003",)),
    Fault("query-token-ignored", "token parameters in the query string are ignored", ("PC-AUTH-002", "PC-AUTH-003", "PC-AUTH-005", "PC-AUTH-007")),
    # Without a 429 the tests of LIM-003/004 cannot start: reported on their rows too.
    Fault("no-429", "the 100 updates/s limit is never enforced", ("PC-LIM-002", "PC-LIM-003", "PC-LIM-004")),
    Fault("429-below-limit", "429 from the 91st update in a second", ("PC-LIM-001", "PC-LIM-004")),
    Fault("no-retry-after", "429 responses carry no Retry-After", ("PC-LIM-003",)),
    Fault("429-sticks", "once limited, a client stays limited for 5 s", ("PC-LIM-004",)),
    Fault("opt-back-in-accepted", "enableOptOut false answers 200 {}", ("PC-OPT-003", "PC-OPT-004")),
    Fault("opt-back-in-403", "enableOptOut false is refused with 403, not 400", ("PC-OPT-004",)),
    # The property tests send other apiKeys as negative data (test_contract pins the own site).
    Fault("apikey-ignored", "any apiKey in the path is accepted", ("PC-AUTH-014", "PC-ERR-006")),
    Fault("legacy-path-served", "the legacy path /optOut/{userId} still opts users out", ("PC-VER-002",)),
    # issue 13: one fault per sentence the suite did not check, or checked on one path only.
    Fault("query-token-short-ttl", "tokens requested through the query string live 3600 s (expires_in 3600)",
          ("PC-AUTH-003",)),
    Fault("token-expires-early", "tokens are refused 20 s before the expires_in they were issued with",
          ("PC-AUTH-004",)),
    Fault("query-secret-unchecked", "a token request in the query string is not checked for its client_secret",
          ("PC-AUTH-005", "PC-AUTH-006", "PC-AUTH-009")),
    Fault("query-grant-unchecked", "a token request in the query string is not checked for its grant_type",
          ("PC-AUTH-007", "PC-AUTH-008", "PC-AUTH-010")),
    Fault("apikey-any-known-site", "any apiKey that is a site of the tenant is accepted, not only the token's site",
          ("PC-AUTH-014",)),
    Fault("get-opts-out", "GET on the opt-out path opts the user out (the cURL of 001 L47)", ("PC-VER-003", "PC-CON-006")),
    # LIM-001 too: the burst's latency probes, 1.2 s before it, still count over two seconds.
    Fault("limit-per-two-seconds", "the limit is 100 updates per two seconds (Retry-After tells so)",
          ("PC-LIM-001", "PC-LIM-004")),
    # Every token request misses: the token tests fail, the property tests see no 2xx, and the
    # tests that need a token are blocked (not failed).
    Fault("token-path-typo", "the token endpoint is served at /oath2/token (the legacy doc's typo)",
          ("PC-VER-001", "PC-AUTH-001", "PC-AUTH-002", "PC-AUTH-003", "PC-AUTH-004", "PC-AUTH-005", "PC-AUTH-006",
           "PC-AUTH-007", "PC-AUTH-008", "PC-AUTH-009", "PC-AUTH-010", "PC-CON-001", "PC-CON-002", "PC-CON-003",
           "PC-CON-004", "PC-CON-005")),
]
# --- fault for the redaction proof (issue 12): a vendor moving the token where the suite does
# not look for it must not get it into a report (tests/test_redaction.py). The token requests
# fail their rows; the property tests, without a token, see only refusals.
_CURRENT += [
    Fault("token-moved-to-header", "the token response carries the token in an X-Access-Token header, not the body",
          ("PC-AUTH-001", "PC-AUTH-002", "PC-AUTH-003", "PC-AUTH-004", "PC-CON-001", "PC-CON-002", "PC-CON-003",
           "PC-CON-004", "PC-CON-005")),
]
_LEGACY = [
    Fault("legacy-token-expires", "legacy tokens expire after one hour", ("PCL-AUTH-002",)),
    Fault("legacy-opt-in-refused", "enableOptOut false is refused with 400",
          ("PCL-OPT-002", "PCL-OPT-005", "PCL-OPT-006")),
    Fault("legacy-apikey-path", "the opt-out endpoint moved to /{apiKey}/optOut/{userId}",
          ("PCL-OPT-001", "PCL-VER-001", "PCL-AUTH-001", "PCL-AUTH-002", "PCL-AUTH-010", "PCL-AUTH-012", "PCL-AUTH-013", "PCL-AUTH-014", "PCL-CON-001", "PCL-CON-002", "PCL-CON-003", "PCL-OPT-002", "PCL-OPT-004", "PCL-OPT-009")),
    # 000 L22 taken at its word (L24 and the cURL of L44 say oauth2): every token request misses.
    Fault("token-path-typo", "the token endpoint is served at /oath2/token, as the heading of 000 L22 spells it",
          ("PCL-VER-001", "PCL-AUTH-001", "PCL-AUTH-002", "PCL-AUTH-003", "PCL-AUTH-004", "PCL-AUTH-005",
           "PCL-AUTH-006", "PCL-AUTH-007", "PCL-AUTH-008", "PCL-CON-001", "PCL-CON-002", "PCL-CON-003",
           "PCL-CON-004", "PCL-CON-005")),
]
# Defects that both editions can carry; the ids differ per edition.
_BOTH = [
    ("wrong-error-code", "bad client credentials answer error invalid_request, not invalid_client",
     ("PC-AUTH-005",), ("PCL-AUTH-003",)),
    ("invalid-client-200", "bad client credentials answer 200 with the error body",
     ("PC-AUTH-005", "PC-AUTH-006", "PC-AUTH-009", "PC-CON-002", "PC-ERR-006"),
     ("PCL-AUTH-003", "PCL-AUTH-004", "PCL-AUTH-007", "PCL-CON-002", "PCL-ERR-006")),
    ("grant-type-ignored", "any grant_type issues a token", ("PC-AUTH-007", "PC-AUTH-008", "PC-AUTH-010"),
     ("PCL-AUTH-005", "PCL-AUTH-006", "PCL-AUTH-008")),
    ("unsupported-grant-401", "an unsupported grant_type is refused with 401, not 400", ("PC-AUTH-008",),
     ("PCL-AUTH-006",)),
    ("missing-grant-invalid-grant", "a token request without grant_type answers error invalid_grant",
     ("PC-AUTH-010",), ("PCL-AUTH-008",)),
    ("missing-credentials-token", "a token request without credentials issues a token",
     ("PC-AUTH-009", "PC-ERR-006"), ("PCL-AUTH-007", "PCL-ERR-006")),
    ("missing-token-accepted", "PUT without Authorization is applied", ("PC-AUTH-011", "PC-AUTH-013", "PC-ERR-006"),
     ("PCL-AUTH-009", "PCL-AUTH-011", "PCL-ERR-006")),
    ("invalid-token-accepted", "any bearer token is accepted", ("PC-AUTH-004", "PC-AUTH-011", "PC-AUTH-012", "PC-AUTH-013"),
     ("PCL-AUTH-009", "PCL-AUTH-010", "PCL-AUTH-011")),
    ("invalid-token-wrong-error", "unknown bearer tokens answer error access_denied", ("PC-AUTH-004", "PC-AUTH-012"),
     ("PCL-AUTH-010",)),
    ("no-www-authenticate", "401 responses carry no WWW-Authenticate", ("PC-AUTH-013", "PC-CON-005"),
     ("PCL-AUTH-011", "PCL-CON-005")),
    ("basic-challenge", "401 responses challenge with the Basic scheme, not Bearer", ("PC-AUTH-013", "PC-CON-005"),
     ("PCL-AUTH-011", "PCL-CON-005")),
    ("single-use-token", "a token works for one PUT only", ("PC-AUTH-016", "PC-LIM-001", "PC-LIM-002", "PC-LIM-004", "PC-OPT-001", "PC-OPT-002", "PC-OPT-010"), ("PCL-AUTH-012", "PCL-AUTH-002", "PCL-AUTH-013", "PCL-CON-001", "PCL-CON-002", "PCL-CON-003", "PCL-OPT-001", "PCL-OPT-002", "PCL-OPT-004", "PCL-OPT-009")),
    ("bad-body-accepted", "the command body is not validated",
     ("PC-ERR-001", "PC-ERR-002", "PC-ERR-003", "PC-ERR-004", "PC-ERR-005", "PC-ERR-006", "PC-ERR-007", "PC-ERR-008"),
     ("PCL-ERR-001", "PCL-ERR-002", "PCL-ERR-003", "PCL-ERR-004", "PCL-ERR-005", "PCL-ERR-006", "PCL-ERR-007",
      "PCL-ERR-008")),
    # 422 is a status the doc never gives where the spec assumed 400: judged on the assumption's
    # row (x-assumption-row), not on CON-001 (issue 12).
    ("bad-body-422", "invalid command bodies answer 422", ("PC-ERR-005", "PC-OPT-004"), ("PCL-ERR-005",)),
    ("string-true-refused", 'enableOptOut "true" (string) is refused', ("PC-OPT-006",), ("PCL-OPT-006",)),
    ("token-field-renamed", "the token response says accessToken instead of access_token",
     ("PC-AUTH-001", "PC-AUTH-002", "PC-AUTH-003", "PC-AUTH-004", "PC-CON-001", "PC-CON-002", "PC-CON-003"), ("PCL-AUTH-001", "PCL-AUTH-002", "PCL-CON-001", "PCL-CON-002", "PCL-CON-003")),
    ("optout-body-not-empty", 'opt-out answers {"status": "ok"} instead of {}', ("PC-OPT-001", "PC-CON-002", "PC-AUTH-001", "PC-AUTH-002", "PC-AUTH-004", "PC-AUTH-016", "PC-OPT-002", "PC-OPT-010"),
     ("PCL-OPT-001", "PCL-CON-002", "PCL-AUTH-001", "PCL-AUTH-002", "PCL-AUTH-012", "PCL-AUTH-013", "PCL-OPT-002", "PCL-OPT-004", "PCL-OPT-009")),
    ("optout-202", "opt-out answers 202 instead of 200", ("PC-OPT-001", "PC-CON-001", "PC-AUTH-001", "PC-AUTH-002", "PC-AUTH-004", "PC-AUTH-016", "PC-AUTH-018", "PC-LIM-001", "PC-LIM-004", "PC-OPT-002", "PC-OPT-010"),
     ("PCL-OPT-001", "PCL-CON-001", "PCL-AUTH-001", "PCL-AUTH-002", "PCL-AUTH-012", "PCL-AUTH-013", "PCL-AUTH-014", "PCL-OPT-002", "PCL-OPT-004", "PCL-OPT-009")),
    ("text-errors", "error responses are text/plain", ("PC-CON-003", "PC-AUTH-004", "PC-AUTH-005", "PC-AUTH-006", "PC-AUTH-007", "PC-AUTH-008", "PC-AUTH-009", "PC-AUTH-010", "PC-AUTH-012"), ("PCL-CON-003", "PCL-AUTH-003", "PCL-AUTH-004", "PCL-AUTH-005", "PCL-AUTH-006", "PCL-AUTH-007", "PCL-AUTH-008", "PCL-AUTH-010")),
    ("new-user-404", "a userId the mock has not seen answers 404", ("PC-OPT-002", "PC-AUTH-001", "PC-AUTH-002", "PC-AUTH-004", "PC-AUTH-016", "PC-AUTH-018", "PC-CON-001", "PC-CON-002", "PC-CON-003", "PC-LIM-001", "PC-LIM-004", "PC-OPT-001", "PC-OPT-010", "PC-VER-001"), ("PCL-OPT-004", "PCL-AUTH-001", "PCL-AUTH-002", "PCL-AUTH-012", "PCL-AUTH-013", "PCL-AUTH-014", "PCL-CON-001", "PCL-CON-002", "PCL-CON-003", "PCL-OPT-001", "PCL-OPT-002", "PCL-OPT-009", "PCL-VER-001")),
    # CON-001 may catch it too, when a generated case repeats a userId: not guaranteed.
    ("repeat-optout-409", "opting out an opted-out user answers 409", ("PC-OPT-005",), ("PCL-OPT-005",)),
    # issue 13
    ("bearer-case-sensitive", 'only the scheme spelled "Bearer" is accepted; "bearer <token>" is refused',
     ("PC-AUTH-017",), ("PCL-AUTH-013",)),
    ("new-token-revokes-old", "issuing a token revokes the client's earlier tokens", ("PC-AUTH-018",),
     ("PCL-AUTH-014",)),
    ("no-error-description", "error bodies carry error but no error_description",
     ("PC-AUTH-004", "PC-AUTH-005", "PC-AUTH-007", "PC-AUTH-012"), ("PCL-AUTH-003", "PCL-AUTH-005", "PCL-AUTH-010")),
    ("token-cacheable", "token responses carry no Cache-Control: no-store", ("PC-AUTH-019",), ("PCL-AUTH-015",)),
    ("type-case-insensitive", 'type is compared ignoring case: "OptOut", "optout" are accepted', ("PC-ERR-003",),
     ("PCL-ERR-003",)),
    # The property tests' negative data (ERR-006) meets these too: 1, "yes" are outside the enum; a
    # missing body is negative data only where the body is required (legacy: 001 L45 shows none).
    ("enable-opt-out-truthy", 'enableOptOut 1, "1", "yes" or null opts the user out',
     ("PC-ERR-005", "PC-ERR-006", "PC-ERR-007"), ("PCL-ERR-005", "PCL-ERR-006", "PCL-ERR-007")),
    ("empty-body-accepted", "a PUT without a body opts the user out", ("PC-ERR-005", "PC-ERR-008"),
     ("PCL-ERR-005", "PCL-ERR-006", "PCL-ERR-008")),
    ("user-id-charset", "userIds with '@', '.' or '+' (an email address, a dotted id) are refused with 400",
     ("PC-OPT-010",), ("PCL-OPT-009",)),
    ("server-error-on-odd-user", "userIds with characters outside [A-Za-z0-9_-] answer 500",
     ("PC-CON-004", "PC-CON-001", "PC-OPT-010"), ("PCL-CON-004", "PCL-CON-001", "PCL-OPT-009")),
]
# issue 15: the further Schemathesis checks, each caught on its row (unsupported_method,
# positive_data_acceptance); inferred rows, so they warn.
_BOTH += [
    ("405-without-allow", "405 answers to a method the path does not have carry no Allow header",
     ("PC-CON-006",), ("PCL-CON-006",)),
    ("unknown-member-refused", "an opt-out command with a member besides type and enableOptOut is refused with 400",
     ("PC-CON-007",), ("PCL-CON-007",)),
]

CURRENT = {f.name: f for f in _CURRENT} | {n: Fault(n, d, cur) for n, d, cur, _ in _BOTH}
LEGACY = {f.name: f for f in _LEGACY} | {n: Fault(n, d, leg) for n, d, _, leg in _BOTH}
