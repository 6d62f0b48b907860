"""MyPreferences 3.0 Profiles API (doc 004): profiles, alternate ids, JSON Patch, history, searches."""

from conformance.suite import ApiInfo

APIS = (
    ApiInfo(
        name="mypreferences",
        title="MyPreferences 3.0 Profiles API",
        package=__name__,
        suite="suite",
        mock=f"{__name__}.mock:factory",
        credentials=("authorization",),
        setup=f"{__name__}.suite.mp:setup",
        state=f"{__name__}.suite.mp:State",
        default_rate=20.0,  # the doc states no request rate; stay gentle with a vendor sandbox
    ),
)
