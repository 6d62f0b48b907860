"""How a test says which requirement it found broken, and why it could not run.

The running test's requirement ids come from its `req` marker: `expect` and `fail` judge
those rows unless a check names another (`ids=ids_of(owner_test)`: a shared fixture whose failure
is the owning test's row). The plugin sets them around each test; a plain module value, not a context variable,
so that checks run in worker threads (bursts) judge the same rows.
"""

from __future__ import annotations

from typing import Iterable

import pytest

NOT_APPLICABLE = "not applicable: "

_current: tuple[str, ...] = ()


def set_current(ids: Iterable[str]) -> tuple[str, ...]:
    """Called by the plugin as a test starts (and with () when it ends); returns the old value."""
    global _current
    previous, _current = _current, tuple(ids)
    return previous


def current() -> tuple[str, ...]:
    """The requirement ids of the running test (its marker's)."""
    return _current


def resolve(ids) -> tuple[str, ...]:
    """Explicit ids, or the running test's."""
    if ids is None:
        return _current
    return (ids,) if isinstance(ids, str) else tuple(ids)


def ids_of(test) -> tuple[str, ...]:
    """The requirement ids a test function's `req` markers name: for a shared fixture whose
    failure is one test's row (the test that owns the data), the others being blocked by it."""
    ids: list[str] = []
    for mark in getattr(test, "pytestmark", []):
        if mark.name == "req":
            ids += list(mark.args)
    return tuple(dict.fromkeys(ids))


class RequirementFailure(AssertionError):
    """A check failed; `ids` are the requirements it breaks (default: the running test's).
    `details` may give, per id, its own message and evidence (property tests find several)."""

    def __init__(self, ids, message: str, details: dict[str, tuple[str, list]] | None = None,
                 complete: bool = False) -> None:
        self.ids = resolve(ids)
        self.details = details or {}
        # complete: the test checked every requirement it names to the end, so those not in
        # `ids` passed (property tests); otherwise they are unverified (the test stopped).
        self.complete = complete
        super().__init__(f"[{', '.join(self.ids)}] {message}")


def fail(message: str, *, ids=None) -> None:
    """The requirement is broken: `message` says how. Judges the running test's rows unless
    `ids` names others."""
    __tracebackhide__ = True
    raise RequirementFailure(ids, message)


def expect(condition: object, message: str, *, ids=None) -> None:
    """Unless `condition` holds, the requirement is broken: `message` says how."""
    __tracebackhide__ = True
    if not condition:
        raise RequirementFailure(ids, message)


def not_applicable(reason: str) -> None:
    """The target does not offer what the requirement is about: it does not block sign-off."""
    pytest.skip(NOT_APPLICABLE + reason)
