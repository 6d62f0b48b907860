"""MyPreferences 3.0 Profiles API (doc 004): profiles, alternate ids, JSON Patch, history, searches."""

from conformance.registry import ApiInfo

APIS = (
    ApiInfo(
        name="mypreferences",
        title="MyPreferences 3.0 Profiles API",
        package=__name__,
        suite="suite",
        mock=f"{__name__}.mock:factory",
        credentials=("authorization",),
    ),
)
