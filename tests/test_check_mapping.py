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
