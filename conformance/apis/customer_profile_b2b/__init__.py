"""Customer Profile B2B API (Algonomy Real-time CDP, doc 003): scoped, time-limited tokens and
customer profiles resolved from identifier headers.

The doc leaves the token creation URL, the data endpoints, the header carrying the token, the
token response and the unit of `validity` open: each is a setting of the spec
(specs/customer-profile-b2b.yaml, `x-settings`, with its default and the doc lines behind it),
which a target file may override under [apis.customer-profile-b2b.settings].
"""

from typing import Any

from conformance.suite import ApiInfo


def spec_resources(spec: dict[str, Any]) -> tuple[str, ...]:
    """The 14 resources a token may carry (003#L25-L50): the spec's Resource enum."""
    return tuple(spec["components"]["schemas"]["Resource"]["enum"])


def spec_identifiers(spec: dict[str, Any]) -> tuple[str, ...]:
    """The customer identifiers (003#L65-L70), in the spec's order: the request headers of the
    data call (getProfileResource)."""
    names = []
    for item in spec["paths"].values():
        operation = item.get("get") or {}
        if operation.get("operationId") != "getProfileResource":
            continue
        for param in operation.get("parameters", []):
            if "$ref" in param:
                param = spec["components"]["parameters"][param["$ref"].rsplit("/", 1)[1]]
            if param.get("in") == "header":
                names.append(param["name"])
    return tuple(names)


APIS = (
    ApiInfo(
        name="customer-profile-b2b",
        title="Customer Profile B2B API",
        package=__name__,
        suite="suite",
        mock=f"{__name__}.mock:factory",
        credentials=("tenant_hash", "oauth_key_secret"),
        setup=f"{__name__}.suite.b2b:setup",
        state=f"{__name__}.suite.b2b:State",
        default_rate=10.0,  # the doc states no request rate: gentle with a vendor sandbox
        token_budget=True,  # "a soft limit on the number of tokens that can be created ... daily" (003 L56)
    ),
)
