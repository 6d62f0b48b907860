"""The one place the suite touches other libraries' private code, so a change there breaks one
module (and `tests/test_compat.py`), not the suite."""

from __future__ import annotations

from typing import Any


def set_nodeid(item: Any, nodeid: str) -> None:
    """pytest has no public way to rename an item; schemathesis' items need unique node ids."""
    from _pytest.nodeid import coerce_node_id

    item._id = coerce_node_id(nodeid)


def can_set_nodeid(item: Any) -> bool:
    return hasattr(item, "_id")


def marker_expression_matches(expression: str, markers: set[str]) -> bool:
    """Whether pytest's `-m` expression holds for an item carrying these marker names."""
    from _pytest.mark.expression import Expression

    compiled = Expression.compile(expression)
    try:
        return bool(compiled.evaluate(lambda name, **kwargs: name in markers))
    except TypeError:  # older pytest: the matcher takes the name only
        return bool(compiled.evaluate(lambda name: name in markers))


# --- schemathesis: its check failures and its transport response are not public names ----------
def schemathesis_failure_types() -> tuple[type, type]:
    """(Failure, FailureGroup): what `case.validate_response` raises when checks fail."""
    from schemathesis.core.failures import Failure, FailureGroup

    return Failure, FailureGroup


def schemathesis_response(response: Any) -> Any:
    """A response as schemathesis' state machine expects it back from `call`."""
    from schemathesis.core.transport import Response

    return Response.from_any(response)


# --- schemathesis: the requests its checks send of their own --------------------------------------
def send_checks_requests_through(schema: Any, send: Any) -> Any:
    """Route the requests schemathesis' checks send of their own (ignored_auth's probes without and
    with a wrong credential, not_a_server_error's Content-Type control) through `send(case)`, which
    returns an httpx response. Schemathesis sends them on `schema.transport`, with a new `requests`
    session each: outside the suite's client (unpaced against a real target, not in the evidence)
    and a new connection per probe. The schema's class gets a `transport` of its own (clones of the
    schema, `include()`, keep it)."""
    from schemathesis.core.transport import Response
    from schemathesis.transport.requests import REQUESTS_TRANSPORT, RequestsTransport

    class SuiteTransport(RequestsTransport):
        def send(self, case: Any, *, session: Any = None, **kwargs: Any) -> Any:
            return Response.from_any(send(case))

    transport = SuiteTransport()
    transport._copy_serializers_from(REQUESTS_TRANSPORT)
    base = type(schema)
    schema.__class__ = type(base.__name__, (base,), {"transport": property(lambda self: transport),
                                                     "__module__": base.__module__})
    return schema


# --- schemathesis: when its pytest tests are built ---------------------------------------------
def defer_schemathesis_builds() -> None:
    """Build each schemathesis test when it is about to run, not when it is collected.

    Schemathesis builds an operation's hypothesis test (the coverage phase's cases included,
    up to seconds for a body of alternatives) while collecting it. A run deselects most of what
    it collects (-k, --category, --requirement), and every xdist worker collects the whole suite
    to run a share of it: tests were built that never ran. The item gets a stand-in with the
    test's signature; `built_test` swaps the real one in at setup."""
    import functools
    import inspect

    from schemathesis.pytest import _test_builder

    eager = _test_builder.build_operation_test
    if getattr(eager, "conformance_deferred", False):
        return

    def deferred(**kwargs: Any) -> Any:
        test_func = kwargs["test_func"]
        built: list[Any] = []

        def build() -> Any:
            if not built:
                built.append(eager(**kwargs))
            return built[0]

        @functools.wraps(test_func)
        def stand_in(*args: Any, **kw: Any) -> Any:
            return build()(*args, **kw)

        given = {"case", *kwargs.get("given_kwargs", {})}  # what hypothesis, not pytest, passes in
        signature = inspect.signature(test_func)
        stand_in.__signature__ = signature.replace(parameters=[p for name, p in signature.parameters.items()
                                                               if name not in given])
        del stand_in.__wrapped__  # pytest must read the stand-in's signature, not the test's
        stand_in.conformance_build = build
        return stand_in

    deferred.conformance_deferred = True
    _test_builder.build_operation_test = deferred


def built_test(item: Any) -> None:
    """Before a deferred schemathesis item runs: build its test and make it the item's."""
    build = getattr(getattr(item, "obj", None), "conformance_build", None)
    if build is not None:
        item.obj = build()
