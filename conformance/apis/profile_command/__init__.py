"""Profile Command API, both editions: legacy (RichRelevance, doc 000) and current (Algonomy, 001)."""

from conformance.registry import ApiInfo

CREDENTIALS = ("client_id", "client_secret")

APIS = (
    ApiInfo(
        name="profile-command-legacy",
        title="Profile Command API (legacy edition)",
        package=__name__,
        suite="suite/legacy",
        mock=f"{__name__}.mock:legacy",
        credentials=CREDENTIALS,
    ),
    ApiInfo(
        name="profile-command",
        title="Profile Command API (current edition)",
        package=__name__,
        suite="suite/current",
        mock=f"{__name__}.mock:current",
        credentials=CREDENTIALS + ("api_key",),
    ),
)
