"""How a test says which requirement it found broken, and why it could not run."""

from __future__ import annotations

import pytest

NOT_APPLICABLE = "not applicable: "


class RequirementFailure(AssertionError):
    """A check failed; `ids` are the requirements it breaks (a subset of the test's marker).
    `details` may give, per id, its own message and evidence (property tests find several)."""


    def __init__(self, ids: list[str] | tuple[str, ...] | str, message: str,
                 details: dict[str, tuple[str, list]] | None = None, complete: bool = False) -> None:
        self.ids = (ids,) if isinstance(ids, str) else tuple(ids)
        self.details = details or {}
        # complete: the test checked every requirement it names to the end, so those not in
        # `ids` passed (property tests); otherwise they are unverified (the test stopped).
        self.complete = complete
        super().__init__(f"[{', '.join(self.ids)}] {message}")


def fail(ids, message: str) -> None:
    __tracebackhide__ = True
    raise RequirementFailure(ids, message)


def expect(condition: bool, ids, message: str) -> None:
    __tracebackhide__ = True
    if not condition:
        raise RequirementFailure(ids, message)


def not_applicable(reason: str) -> None:
    """The target does not offer what the requirement is about: it does not block sign-off."""
    pytest.skip(NOT_APPLICABLE + reason)
