"""Every optional Schemathesis check the property tests can run (conformance/suite/contract.py:
MAPPED_CHECKS, STATEFUL_CHECKS, and the stateful phase itself) is, for each API, mapped to a
requirement row (`checks:`) or declined in the catalogue's `x-not-checked` with the reason and
the doc lines it rests on (issue 15): none is dropped silently."""

import re

import pytest

from conformance import catalogue, registry, specs
from conformance.suite.contract import MAPPED_CHECKS, STATEFUL_CHECKS
from tests import vendor_docs

APIS = sorted(registry.all_apis())
OPTIONAL = [c.__name__ for c in MAPPED_CHECKS + STATEFUL_CHECKS]
DOC_REF = re.compile(r"^(\d{3}_[0-9a-f]{16}\.txt)#L(\d+)(?:-L?(\d+))?$")


def _declined(api):
    raw = specs._load_yaml(specs.catalogue_path(api))
    return list(raw.get("x-not-checked") or [])


def _has_links(api):
    return any(isinstance(response, dict) and response.get("links")
               for item in specs.load_spec(api)["paths"].values() for op in item.values() if isinstance(op, dict)
               for response in (op.get("responses") or {}).values())


@pytest.mark.parametrize("api", APIS)
def test_every_optional_check_is_mapped_or_declined_with_a_reason(api):
    mapped = {check for row in catalogue.load(api) for check in row.checks}
    declined = _declined(api)
    names = [entry.get("check") for entry in declined]
    for entry in declined:
        assert entry.get("check") in OPTIONAL + ["stateful"], f"{api}: x-not-checked names no known check: {entry}"
        assert str(entry.get("reason", "")).strip(), f"{api}: x-not-checked {entry['check']} gives no reason"
        assert entry.get("doc"), f"{api}: x-not-checked {entry['check']} cites no doc line"
        if entry["check"] in mapped:  # declined on some operations only: say which
            assert entry.get("operations"), (
                f"{api}: {entry['check']} is mapped to a row and declined: name the operations it is declined on")
    for check in OPTIONAL:
        assert check in mapped or check in names, f"{api}: {check} is neither mapped to a row nor in x-not-checked"
    assert _has_links(api) or "stateful" in names, f"{api}: the spec has no links; say so under x-not-checked"


@pytest.mark.parametrize("api", APIS)
def test_declined_checks_cite_real_doc_lines(api):
    for entry in _declined(api):
        refs = entry.get("doc")
        for ref in [refs] if isinstance(refs, str) else list(refs or []):
            match = DOC_REF.match(ref)
            assert match, f"{api}: x-not-checked {entry.get('check')}: {ref!r} is not <file>#L<n>"
            lines = vendor_docs.lines(match.group(1))
            first, last = int(match.group(2)), int(match.group(3) or match.group(2))
            assert 1 <= first <= last <= len(lines), f"{api}: {ref} is outside the doc"
            assert any(lines[i - 1].strip() for i in range(first, last + 1)), f"{api}: {ref} cites only blank lines"


def test_valid_bodies_carry_undocumented_members_at_their_top_level_only():
    """contract.valid_data's bodies (positive_data_acceptance, the writes on a real tenant): the
    body stays open as the spec leaves it, so a target refusing an unknown member is still seen
    (mp-unknown-member-refused, unknown-member-refused); what it nests is closed to its documented
    members, on copies, so answers are still judged by the open schemas."""
    import copy

    import jsonschema

    spec = copy.deepcopy(specs.load_spec("mypreferences"))
    original = copy.deepcopy(spec)
    specs.nested_members_documented(spec)
    schemas = spec["components"]["schemas"]
    body = spec["paths"]["/{clientId}/Profile"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "additionalProperties" not in body  # the top level: as open as the spec
    assert body["properties"]["Emails"]["items"] == {"$ref": "#/components/schemas/Email" + specs.CLOSED_SUFFIX}
    assert schemas["Email" + specs.CLOSED_SUFFIX]["additionalProperties"] is False
    # Nested further (an email's consents) and every original schema the responses use: unchanged.
    assert {k: v for k, v in schemas.items() if not k.endswith(specs.CLOSED_SUFFIX)} == original["components"]["schemas"]
    assert all("$ref" not in str(r) or specs.CLOSED_SUFFIX not in str(r)
               for item in spec["paths"].values() for op in item.values() if isinstance(op, dict)
               for r in (op.get("responses") or {}).values())
    # A body of documented members is valid by both; an unknown member nested in it only by the spec's.
    resolver = {"components": spec["components"]}
    closed = jsonschema.Draft202012Validator({**body, **resolver})
    opened = jsonschema.Draft202012Validator({"$ref": "#/components/schemas/Profile", **resolver})
    good = {"Emails": [{"EmailAddress": "a@example.com"}], "Extra": 1}
    nested_extra = {"Emails": [{"EmailAddress": "a@example.com", "Extra": 1}]}
    assert closed.is_valid(good) and opened.is_valid(good)
    assert opened.is_valid(nested_extra) and not closed.is_valid(nested_extra)
