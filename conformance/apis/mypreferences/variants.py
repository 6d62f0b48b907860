"""Doc-allowed variants the MyPreferences mock can play (`--variant NAME`).

The mirror of faults.py: each is a behaviour doc 004 leaves to the vendor, and the suite must
pass it (tests/test_variants.py). `touches`: the inferred rows that may warn under it.
"""

from conformance.suite import Variant

API = "mypreferences"

_VARIANTS = [
    Variant("mp-search-404-no-match", "a search that matches no profile answers 404",
            "004#L7622-L7624 and every search's documented 404: the doc never says what a search with no "
            "match answers (spec x-doc-note, MP-SRCH-029)", api=API),
    Variant("mp-search-reversed", "search results come in the reverse of the mock's order (newest first)",
            "004: no search states an order of its results", api=API),
    Variant("mp-slow-queue", "a queued write (202 Pending Update) becomes visible 0.5 s later, not at once",
            "004: 202 means the update is queued; no processing time is stated (completion_timeout)", api=API),
]

VARIANTS = {v.name: v for v in _VARIANTS}
