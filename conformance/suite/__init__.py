"""The public surface for API authors: everything a vendor API's tests, helpers and mock need.

An API package imports from here (and from its own package), never from the other core
modules, which are private:

    from conformance.suite import ApiContext, expect, req

    @req("MP-LIFE-001")
    def test_create_is_queued_with_a_receipt(api: ApiContext):
        response = api.call("createProfile", json=new_profile(api))
        receipt = api.conforms(response, status=(200, 202))
        expect(isinstance(receipt.get("ProfileId"), int), f"no ProfileId in the receipt: {receipt}")

`contract` (property-based tests over the spec) is a submodule: `from conformance.suite import
contract`. See docs/ADDING_AN_API.md.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from conformance.auth import Grant, TokenCache
from conformance.http import retry_after
from conformance.mock.base import JSONResponse, MockApi, MockClock, Fault, Variant, error, json_body
from conformance.redact import REDACTOR
from conformance.registry import ApiInfo
from conformance.specs import load_spec
from conformance.suite.context import ApiContext, Leftovers, RunInfo
from conformance.suite.outcome import RequirementFailure, current, expect, fail, ids_of, not_applicable
from conformance.suite.plugin import api_fixture

req = pytest.mark.req  # @req("X-001", ...): the rows a test judges
disruptive = pytest.mark.disruptive  # pushes the target past a limit: runs after the others
after_suite = pytest.mark.after_suite  # judges what the API's other tests saw: runs last


def redact(text: str) -> str:
    """Text with every credential and token the run knows masked (for messages and evidence)."""
    return REDACTOR.text(text)


__all__ = [
    # declaring an API
    "ApiInfo", "api_fixture",
    # writing tests
    "ApiContext", "RunInfo", "req", "disruptive", "after_suite", "current", "ids_of",
    "expect", "fail", "not_applicable", "RequirementFailure", "Leftovers", "redact",
    "Grant", "TokenCache", "contract", "retry_after",
    # writing a mock
    "MockApi", "MockClock", "Fault", "Variant", "JSONResponse", "error", "json_body", "load_spec",
]


def __getattr__(name: str) -> Any:
    if name == "contract":  # schemathesis is heavy: imported when a suite asks for it
        return importlib.import_module("conformance.suite.contract")
    raise AttributeError(name)
