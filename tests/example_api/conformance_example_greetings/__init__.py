"""The Greetings API (an example vendor API): GET /greetings/{name} greets, in a language."""

from conformance.suite import ApiInfo

APIS = (
    ApiInfo(
        name="example-greetings",
        title="Greetings API (example)",
        package=__name__,
        suite="suite",
        mock=f"{__name__}.mock:factory",
        specs="specs",  # the spec and its catalogue ship with this package
        credentials=("api_key",),
        setup=f"{__name__}.suite.greetings:setup",
        default_rate=20.0,
    ),
)
