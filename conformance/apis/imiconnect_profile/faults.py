"""Named defects the IMIconnect Profile mock can be started with (`--mock-fault NAME`).

Each names the requirements the suite must then report broken: the proof, in `tests/`, that
every check can fail. A fault that breaks only inferred requirements (an assumption of the spec,
such as the HTTP status of a result code) is reported as a warning and the run exits 0.
"""

from conformance.mock.base import Fault

_FAULTS = [
    # --- the key header (L6, L23, L36-L37) ------------------------------------------------------
    Fault("imi-key-not-required", "calls without the key header are served", ("IMI-AUTH-002",)),
    Fault("imi-any-key", "any key value is accepted", ("IMI-AUTH-003",)),
    Fault("imi-missing-key-7001", "a missing key answers 7001 instead of 7002", ("IMI-AUTH-002",)),
    Fault("imi-key-unchecked-on-deletes", "the three delete calls do not check the key",
          ("IMI-AUTH-002", "IMI-AUTH-003")),
    Fault("imi-refused-still-writes", "a create refused with 7001/7002 is carried out all the same",
          ("IMI-AUTH-004",)),
    # --- request errors (L35, L38-L39) ----------------------------------------------------------
    Fault("imi-invalid-json-7004", "a body that is not JSON answers 7004 instead of 7000", ("IMI-ERR-001",)),
    Fault("imi-invalid-json-500", "a body that is not JSON makes the server fail with 500",
          ("IMI-ERR-001",)),
    Fault("imi-missing-param-7004", "a missing mandatory parameter answers 7004 instead of 7003",
          ("IMI-ERR-002",)),
    Fault("imi-showinwardlinks-lax", "showinwardlinks=2 is accepted", ("IMI-ERR-003",)),
    Fault("imi-lax-bodies", "createProfile takes any profile: a missing customerid gets one, a number is taken as text",
          ("IMI-ERR-002", "IMI-CON-005")),
    Fault("imi-undefined-attribute-500", "an attribute key the master profile does not define crashes the server (500)",
          ("IMI-ERR-011", "IMI-CON-004")),
    # --- batches (L34, L42, L53) -----------------------------------------------------------------
    Fault("imi-batch-101-accepted", "a batch of 101 profiles is accepted", ("IMI-LIM-002", "IMI-LIM-004")),
    Fault("imi-batch-100-refused", "the batch limit is 99: a batch of 100 is refused",
          ("IMI-LIM-001", "IMI-LIM-003")),
    Fault("imi-batch-truncated", "a batch of 101 is cut to its first 100, which are created",
          ("IMI-LIM-002", "IMI-LIM-004")),
    Fault("imi-update-batch-unlimited", "update batches have no size limit: 101 profiles are updated",
          ("IMI-LIM-002", "IMI-LIM-004")),
    Fault("imi-app-batch-7012", "an application profile batch over the limit answers 7012, not 7207",
          ("IMI-LIM-004",)),
    Fault("imi-partial-as-success", "a batch where some profiles failed answers 1000", ("IMI-ERR-013",)),
    Fault("imi-partial-all-or-nothing", "one failing profile fails the whole batch", ("IMI-ERR-013",)),
    # --- master profiles (L11, L13, L15, L17, L44-L45, L50) --------------------------------------
    Fault("imi-create-overwrites", "creating an existing customer overwrites it", ("IMI-ERR-005",)),
    Fault("imi-exists-7209-master", "creating an existing master profile answers 7209, not 7015",
          ("IMI-ERR-005",)),
    Fault("imi-not-found-7203-on-get", "reading an unknown customer answers 7203, not 7014", ("IMI-ERR-004",)),
    Fault("imi-update-unknown-creates", "updating an unknown customer creates it", ("IMI-ERR-008",)),
    Fault("imi-attributes-dropped", "a created profile keeps its customerid but not its attributes",
          ("IMI-LIFE-001",)),
    Fault("imi-customers-mixed", "getProfile answers the last created customer, whatever customerid says",
          ("IMI-LIFE-006",)),
    Fault("imi-update-ignored", "updateProfile answers 1000 and changes nothing", ("IMI-LIFE-002",)),
    Fault("imi-delete-noop", "deleteProfile answers 1000 and keeps the customer", ("IMI-LIFE-004",)),
    Fault("imi-delete-keeps-apps", "deleteProfile keeps the customer's application profiles",
          ("IMI-LIFE-005",)),
    Fault("imi-inwardlinks-always", "showinwardlinks=0 returns the InwardLinks section too", ("IMI-LIFE-011",)),
    Fault("imi-inwardlinks-missing", "showinwardlinks=1 returns no InwardLinks section", ("IMI-LIFE-011",)),
    # --- attributes (L26-L27, L47, L51, L55) -------------------------------------------------------
    Fault("imi-unknown-attribute-accepted", "an attribute the master profile does not define is stored",
          ("IMI-ERR-011",)),
    Fault("imi-get-unknown-attribute-ignored", "asking for an undefined attribute answers 1000",
          ("IMI-ERR-006",)),
    Fault("imi-custom-keys-refused", "only name, email and msisdn are accepted: the client's own keys answer 7211",
          ("IMI-LIFE-012",)),
    Fault("imi-attributes-filter-ignored", "getProfile returns every attribute whatever `attributes` asks for",
          ("IMI-LIFE-013",)),
    Fault("imi-invalid-value-accepted", "attribute values that are not strings are stored", ("IMI-ERR-009",)),
    # --- application profiles (L12, L14, L16, L18-L19, L48, L54, L56) -----------------------------
    Fault("imi-app-unlinked-allowed", "application profiles of an app not linked to the client are served",
          ("IMI-ERR-007", "IMI-ERR-012")),
    Fault("imi-get-app-unlinked-7014", "getAppProfile of an unlinked app answers 7014, not 7018", ("IMI-ERR-007",)),
    Fault("imi-app-exists-overwrites", "creating an existing application profile overwrites it", ("IMI-ERR-010",)),
    Fault("imi-get-app-ignores-key", "getAppProfile returns every profile of the app, whatever appprofilekey says",
          ("IMI-LIFE-007",)),
    Fault("imi-app-update-ignored", "updateAppProfile answers 1000 and changes nothing", ("IMI-LIFE-008",)),
    Fault("imi-delete-app-deletes-all", "deleteAppProfile deletes every profile of the app for the customer",
          ("IMI-LIFE-009",)),
    Fault("imi-device-delete-noop", "deleteDeviceAppProfile answers 1000 and deletes nothing", ("IMI-LIFE-010",)),
    # --- the envelope (assumed, spec x-assumption) --------------------------------------------------
    Fault("imi-text-errors", "error results come as text/plain", ("IMI-CON-003", "IMI-AUTH-002", "IMI-ERR-001")),
    Fault("imi-code-renamed", "the result code is in a field `status`, not `code`",
          ("IMI-CON-002", "IMI-AUTH-001", "IMI-LIFE-001")),
    Fault("imi-wrong-message", "descriptions are not the doc's messages (OK / Error)", ("IMI-ERR-014",)),
    Fault("imi-success-201", "successes come with HTTP 201, a status the spec does not document",
          ("IMI-CON-001", "IMI-CON-006")),
    Fault("imi-status-200-errors", "every result, errors too, comes with HTTP 200", ("IMI-CON-006",)),
]

FAULTS = {f.name: f for f in _FAULTS}
