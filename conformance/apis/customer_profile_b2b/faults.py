"""Named defects the Customer Profile B2B mock can be started with (`--mock-fault NAME`).

Each names the requirements the suite must then report broken: the proof, in `tests/`, that
every check can fail. Every fault breaks at least one stated requirement, so a run against it
exits 1.
"""

from conformance.mock.base import Fault

_FAULTS = [
    Fault("b2b-expired-token-accepted", "tokens are still accepted after their validity",
          ("B2B-LIFE-001", "B2B-LIFE-002", "B2B-LIFE-004", "B2B-UPD-001")),
    Fault("b2b-expired-403", "an expired token answers 403 instead of 401", ("B2B-LIFE-001",)),
    Fault("b2b-validity-ignored", "every token lives 60 minutes whatever validity it asks for",
          ("B2B-LIFE-002", "B2B-LIFE-004", "B2B-UPD-001")),
    Fault("b2b-validity-seconds", "validity is read in seconds though the target declares minutes",
          ("B2B-LIFE-002", "B2B-LIFE-003", "B2B-LIFE-001", "B2B-UPD-001")),
    Fault("b2b-resources-ignored", "a token opens every resource, whatever it was created for",
          ("B2B-AUTH-011", "B2B-AUTH-012", "B2B-UPD-002", "B2B-UPD-003", "B2B-UPD-006")),
    Fault("b2b-empty-resources-accepted", "a token request without resources issues a token",
          ("B2B-AUTH-003",)),
    Fault("b2b-tenant-not-checked", "any tenant_hash (or none) issues a token, its secret unchecked",
          ("B2B-AUTH-006", "B2B-AUTH-007", "B2B-AUTH-008", "B2B-UPD-006")),
    Fault("b2b-secret-not-checked", "OAuth_key_secret is not checked on an OAuth-enabled tenant",
          ("B2B-AUTH-007", "B2B-AUTH-008", "B2B-UPD-006")),
    Fault("b2b-token-field-renamed", "the token response says access_token instead of token",
          ("B2B-AUTH-001", "B2B-AUTH-002")),
    Fault("b2b-missing-token-accepted", "data calls without a token are answered",
          ("B2B-AUTH-009", "B2B-AUTH-010")),
    Fault("b2b-update-not-extending", "an update answers 200 but leaves the expiry unchanged",
          ("B2B-UPD-001",)),
    Fault("b2b-update-resources-ignored", "an update answers 200 but leaves the resources unchanged",
          ("B2B-UPD-002", "B2B-UPD-003", "B2B-UPD-004")),
    Fault("b2b-update-plural-refused", "the update refuses the creation's field name resources",
          ("B2B-UPD-004",)),
    Fault("b2b-update-expired-accepted", "an expired token can be updated back to life", ("B2B-LIFE-004",)),
    Fault("b2b-update-path-moved", "the update is served at /secureApi/token/update, not the documented URL",
          ("B2B-VER-001", "B2B-UPD-001", "B2B-UPD-002", "B2B-UPD-003", "B2B-UPD-004", "B2B-UPD-005",
           "B2B-UPD-006", "B2B-LIFE-004", "B2B-CON-001")),
    Fault("b2b-ambiguous-accepted", "identifiers matching several customers answer the first of them",
          ("B2B-ID-008", "B2B-ID-009", "B2B-ID-010")),
    Fault("b2b-mobile-alone-refused", "mobile_number alone is refused as no identifier", ("B2B-ID-004",)),
    Fault("b2b-code-header-ignored", "the customer_code_external header is ignored",
          ("B2B-ID-005", "B2B-ID-008", "B2B-ID-010")),
    Fault("b2b-server-error-combined", "identifiers sent together make the server fail with 500",
          ("B2B-ID-006", "B2B-ID-007", "B2B-ID-008", "B2B-ID-010", "B2B-CON-001", "B2B-CON-004")),
    Fault("b2b-token-limit-never", "the daily soft limit of 100 tokens is never enforced",
          ("B2B-LIM-002", "B2B-LIM-003")),
    Fault("b2b-token-limit-early", "token requests are refused from the 51st of a day", ("B2B-LIM-001",)),
    Fault("b2b-token-limit-sticks", "once the limit is reached, the tenant gets no token on later days",
          ("B2B-LIM-004",)),
    Fault("b2b-single-use-token", "a token serves one data call only",
          ("B2B-LIM-005", "B2B-AUTH-002", "B2B-AUTH-011")),
    Fault("b2b-unknown-resource-served", "a resource name that is not one of the 14 is served (200, empty data)",
          ("B2B-ERR-002",)),
    Fault("b2b-text-errors", "error responses are text/plain",
          ("B2B-CON-003", "B2B-AUTH-003", "B2B-ID-001")),
]

FAULTS = {f.name: f for f in _FAULTS}
