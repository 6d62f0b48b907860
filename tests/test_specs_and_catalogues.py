"""The specs and catalogues are the single source of truth: check they hold together."""

import re
import subprocess
import sys

import pytest

from conformance import catalogue, registry, specs
from conformance.suite.contract import CHECK_NAMES
from tests import vendor_docs

APIS = sorted(registry.all_apis())
DOC_REF = re.compile(r"^(\d{3}_[0-9a-f]{16}\.txt)#L(\d+)(?:-L?(\d+))?$")
METHODS = {"get", "put", "post", "delete", "patch"}


def _refs(value):
    return [value] if isinstance(value, str) else list(value or [])


def _doc_lines(name):
    return vendor_docs.lines(name)  # skips, saying how to point at the docs, when they are not given


def _check_ref(ref, where):
    match = DOC_REF.match(ref)
    assert match, f"{where}: x-doc {ref!r} is not <file>#L<n>"
    lines = _doc_lines(match.group(1))
    first, last = int(match.group(2)), int(match.group(3) or match.group(2))
    assert 1 <= first <= last <= len(lines), f"{where}: {ref} is outside the doc ({len(lines)} lines)"
    assert any(lines[i - 1].strip() for i in range(first, last + 1)), f"{where}: {ref} cites only blank lines"


@pytest.mark.parametrize("api", APIS)
def test_spec_is_valid_openapi(api):
    done = subprocess.run([sys.executable, "-m", "openapi_spec_validator", str(specs.spec_path(api))],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("api", APIS)
def test_every_element_cites_the_doc(api):
    spec = specs.load_spec(api)
    for path, item in spec["paths"].items():
        for param in item.get("parameters", []):
            assert "x-doc" in param, f"{api} {path} parameter {param.get('name')} has no x-doc"
        for method, op in item.items():
            if method not in METHODS:
                continue
            where = f"{api} {method.upper()} {path}"
            assert "x-doc" in op, f"{where} has no x-doc"
            for param in op.get("parameters", []):
                param = param if "$ref" not in param else {"x-doc": "ref"}
                assert "x-doc" in param, f"{where} parameter {param.get('name')} has no x-doc"
            if "requestBody" in op and "$ref" not in op["requestBody"]:
                assert "x-doc" in op["requestBody"], f"{where} request body has no x-doc"
            for status, response in op["responses"].items():
                if "$ref" not in response:
                    assert "x-doc" in response, f"{where} response {status} has no x-doc"


@pytest.mark.parametrize("api", APIS)
def test_every_doc_reference_points_at_a_real_line(api):
    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "x-doc" or key.endswith("-doc"):
                    for ref in _refs(value):
                        if isinstance(ref, str) and ".txt#L" in ref:
                            _check_ref(ref, where)
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(specs.load_spec(api), api)
    for row in catalogue.load(api):
        for ref in row.doc.split(", "):
            _check_ref(ref, f"{api} {row.id}")


@pytest.mark.parametrize("api", APIS)
def test_catalogue_rows_are_tested_or_marked_untestable(api):
    suite = registry.get(api).suite_dir
    text = "\n".join(p.read_text() for p in suite.rglob("test_*.py"))
    referenced = set(re.findall(r'"([A-Z0-9]+-[A-Z]+-\d{3})"', text))
    for row in catalogue.load(api):
        assert row.id in referenced or row.untestable, f"{row.id} is neither tested nor marked untestable"
        assert not (row.id in referenced and row.untestable), f"{row.id} is tested yet marked untestable"
        for check in row.checks:
            assert check in CHECK_NAMES, f"{row.id}: unknown schemathesis check {check}"


@pytest.mark.parametrize("api", APIS)
def test_doc_notes_are_collected(api):
    notes = list(specs.iter_doc_notes(specs.load_spec(api)))
    assert notes, f"{api}: a spec derived from a vendor doc records no ambiguity at all?"
    assert all(note for _, note, _ in notes)


def test_requirement_ids_are_unique_across_apis():
    seen = {}
    for api in APIS:
        for row in catalogue.load(api):
            assert row.id not in seen, f"{row.id} in {api} and {seen.get(row.id)}"
            seen[row.id] = api
