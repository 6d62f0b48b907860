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
