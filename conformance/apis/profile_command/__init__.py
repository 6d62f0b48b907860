"""Profile Command API, both editions: legacy (RichRelevance, doc 000) and current (Algonomy, 001)."""

from conformance.suite import ApiInfo

CREDENTIALS = ("client_id", "client_secret")
SUITE = f"{__name__}.suite.common"

APIS = (
    ApiInfo(
        name="profile-command-legacy",
        title="Profile Command API (legacy edition)",
        package=__name__,
        suite="suite/legacy",
        mock=f"{__name__}.mock:legacy",
        credentials=CREDENTIALS,
        setup=f"{SUITE}:setup_legacy",
        # The legacy doc states no rate limit: be polite to a real sandbox unless told otherwise.
        default_rate=20.0,
    ),
    ApiInfo(
        name="profile-command",
        title="Profile Command API (current edition)",
        package=__name__,
        suite="suite/current",
        mock=f"{__name__}.mock:current",
        credentials=CREDENTIALS + ("api_key",),
        setup=f"{SUITE}:setup_current",
        # Pace at half the documented 100 updates/s unless the target file says otherwise.
        default_rate=50.0,
    ),
)
