"""Named defects the MyPreferences mock can be started with (`--mock-fault NAME`); `breaks`
lists the requirements the suite must then report failed. Each lives at one `has()` in mock.py
or model.py."""

from conformance.mock.base import Fault

_FAULTS = [
    # auth and accounts
    ("mp-auth-ignored", "every request is served without checking the Authorization header", ("MP-AUTH-001", "MP-AUTH-002", "MP-AUTH-003")),
    ("mp-auth-ignored-on-reads", "GET requests are served without credentials", ("MP-AUTH-001", "MP-AUTH-002")),
    ("mp-accounts-merged", "both accounts share one profile store (no clientId isolation)", ("MP-ID-009",)),
    # errors and contract
    ("mp-text-errors", "error answers are text/plain instead of a JSON object", ("MP-AUTH-002", "MP-ERR-018", "MP-CON-003")),
    ("mp-server-error", "the email search fails with 500", ("MP-CON-001", "MP-CON-004", "MP-SRCH-011")),
    ("mp-bad-json-accepted", "a body that is not JSON is taken as an empty object", ("MP-ERR-012",)),
    ("mp-types-unchecked", "bodies are not validated: wrongly typed members are stored", ("MP-ERR-013",)),
    ("mp-booleans-lax", "non-boolean values of boolean query parameters are accepted", ("MP-ERR-016",)),
    ("mp-profileid-lax", "a non-integer profileId is read for its digits and served", ("MP-ERR-017",)),
    ("mp-search-params-lax", "searches without their required parameters are served", ("MP-ERR-015",)),
    ("mp-create-201", "create answers 201, a status the doc never gives", ("MP-CON-001", "MP-CON-006", "MP-LIFE-001")),
    ("mp-status-wrong", "reads show UpdateStatus values other than Complete / Pending Update", ("MP-LIFE-002", "MP-LIFE-003")),
    ("mp-edited-missing", "the system never maintains Edited (no CreateDate / ModifiedDate)", ("MP-UPD-017",)),
    # identity
    ("mp-profileid-honoured", "a ProfileId sent in the create body is used as the new profile's id", ("MP-ID-003",)),
    ("mp-duplicate-alt-accepted", "a second profile may take an alternate-id pair already in use", ("MP-ID-007", "MP-ID-008", "MP-ERR-018")),
    ("mp-alt-type-ignored", "an alternate id is found by its value under any AlternateIdType", ("MP-ID-005",)),
    ("mp-match-inactive-ignored", "matchInactive=true still hides inactive elements", ("MP-ID-010",)),
    ("mp-inactive-returned", "reads and searches return inactive elements", ("MP-ID-010", "MP-UPD-018", "MP-SRCH-028")),
    # queued writes, update semantics
    ("mp-never-completes", "queued writes stay 'Pending Update' for ever", ("MP-LIFE-002",)),
    ("mp-write-lost", "a queued write to an existing profile is acknowledged but never applied", ("MP-LIFE-004", "MP-UPD-002")),
    ("mp-update-replaces", "POST update replaces the whole profile instead of merging", ("MP-UPD-001", "MP-UPD-003", "MP-UPD-012", "MP-UPD-013")),
    ("mp-update-replaces-collections", "POST update appends every element as new instead of merging by key", ("MP-UPD-004", "MP-UPD-018")),
    ("mp-customfield-duplicated", "a custom field sent again with a new value is added a second time", ("MP-UPD-004",)),
    ("mp-put-merges", "PUT merges into the profile instead of replacing it", ("MP-UPD-005", "MP-UPD-006", "MP-UPD-008")),
    ("mp-put-creates", "PUT to an unknown profileId creates a profile", ("MP-ERR-004",)),
    ("mp-preserve-ignored", "PreserveConsents / PreservePreferences false keep everything", ("MP-UPD-014", "MP-UPD-015")),
    ("mp-preserve-default-false", "PreserveConsents / PreservePreferences default to false", ("MP-UPD-001", "MP-UPD-013")),
    ("mp-upsert-never-creates", "upsert with a new alternate id answers 404 instead of creating", ("MP-UPD-010",)),
    ("mp-upsert-duplicates", "upsert with a known alternate id creates another profile", ("MP-UPD-011", "MP-LIFE-004")),
    # JSON Patch
    ("mp-patch-not-atomic", "a failing operation leaves the earlier operations applied", ("MP-PATCH-006", "MP-PATCH-008", "MP-PATCH-013", "MP-PATCH-021")),
    ("mp-patch-test-ignored", "test operations are skipped", ("MP-PATCH-013", "MP-PATCH-015", "MP-PATCH-016")),
    ("mp-patch-test-loose", "test compares values as text, so \"1\" equals 1", ("MP-PATCH-016",)),
    ("mp-patch-test-409", "a failed test answers 409, a status the doc does not give for PATCH", ("MP-PATCH-014",)),
    ("mp-patch-move-copy", "move and copy operations are applied", ("MP-PATCH-017",)),
    ("mp-patch-reversed", "operations are applied in reverse order", ("MP-PATCH-009", "MP-PATCH-010", "MP-PATCH-011")),
    ("mp-patch-add-overwrites", "add at an array index replaces the element there", ("MP-PATCH-004",)),
    ("mp-patch-profileid", "replace /ProfileId changes the profile's id", ("MP-PATCH-023",)),
    # lifecycle
    ("mp-delete-ignored", "DELETE answers 204 and deletes nothing", ("MP-LIFE-006", "MP-LIFE-007")),
    ("mp-delete-twice-204", "a second DELETE of the same profile answers 204", ("MP-ERR-006", "MP-LIFE-008")),
    ("mp-delete-keeps-alt", "a deleted profile's alternate id stays reserved (409 on reuse)", ("MP-LIFE-010",)),
    ("mp-archive-ignored", "archive answers 204 and archives nothing", ("MP-LIFE-011", "MP-LIFE-012", "MP-LIFE-013", "MP-LIFE-015")),
    ("mp-archive-everything", "archive of one FilterId archives every preference of the element", ("MP-LIFE-012",)),
    # history
    ("mp-history-unordered", "consent history entries come newest first", ("MP-HIST-002",)),
    ("mp-history-leaks", "the consent history also holds the custom fields", ("MP-HIST-003",)),
    ("mp-history-latest-only", "the custom field history keeps only the latest value", ("MP-HIST-006", "MP-HIST-007")),
    ("mp-history-filter-ignored", "filterId does not limit the preference history", ("MP-HIST-011",)),
    # limits and searches
    ("mp-limit-off-by-one", "51 matches are answered (the ceiling is 51, not 50)", ("MP-LIM-001", "MP-LIM-002", "MP-LIM-003", "MP-LIM-004", "MP-LIM-005", "MP-LIM-006", "MP-LIM-007", "MP-LIM-008", "MP-LIM-009", "MP-LIM-010", "MP-LIM-011", "MP-LIM-012", "MP-LIM-013", "MP-LIM-014", "MP-LIM-016")),
    ("mp-limit-truncates", "more than 50 matches answer the first 50 instead of 403", ("MP-LIM-001", "MP-LIM-002", "MP-LIM-003", "MP-LIM-004", "MP-LIM-005", "MP-LIM-006", "MP-LIM-007", "MP-LIM-008", "MP-LIM-009", "MP-LIM-010", "MP-LIM-011", "MP-LIM-012", "MP-LIM-013", "MP-LIM-014")),
    ("mp-limit-never", "searches answer every match, however many", ("MP-LIM-001", "MP-LIM-002", "MP-LIM-003", "MP-LIM-004", "MP-LIM-005", "MP-LIM-006", "MP-LIM-007", "MP-LIM-008", "MP-LIM-009", "MP-LIM-010", "MP-LIM-011", "MP-LIM-012", "MP-LIM-013", "MP-LIM-014", "MP-LIM-016")),
    ("mp-partial-ignored", "partialAddress1Match / partialNameMatch are ignored", ("MP-SRCH-003", "MP-SRCH-005")),
    ("mp-address-fields-ignored", "the address search matches on city and state only", ("MP-SRCH-002", "MP-SRCH-004", "MP-SRCH-006")),
    ("mp-second-criterion-ignored", "only index 0 of custom-field / attribute criteria is applied", ("MP-SRCH-008", "MP-SRCH-017")),
    ("mp-name-search-partial", "the exact name search matches partially", ("MP-SRCH-012",)),
    ("mp-partial-name-prefix-only", "the partial name search matches prefixes only", ("MP-SRCH-013",)),
    ("mp-phone-exact", "the phone search compares the stored text, not digits", ("MP-SRCH-015",)),
    ("mp-tags-any", "exactMatch is ignored: any tag matches", ("MP-SRCH-018",)),
    ("mp-tags-single-ignored", "the tag search returns every match without multipleProfiles", ("MP-SRCH-021",)),
    ("mp-group-type-ignored", "group queries ignore groupType", ("MP-SRCH-027",)),
    ("mp-group-members-only", "group queries leave out the primary profile", ("MP-SRCH-022", "MP-SRCH-023", "MP-SRCH-024", "MP-SRCH-025", "MP-SRCH-026")),
]

FAULTS: dict[str, Fault] = {name: Fault(name, description, breaks) for name, description, breaks in _FAULTS}
