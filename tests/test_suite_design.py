"""The rules that keep one obvious way to write a test (issue 16), checked on the source."""

from __future__ import annotations

import ast
import re

from conformance import catalogue, registry
from tests.helpers import ROOT

APIS = ROOT / "conformance" / "apis"
API_FILES = sorted(APIS.rglob("*.py")) + sorted((ROOT / "tests" / "example_api").rglob("*.py"))
TEST_FILES = [p for p in API_FILES if p.name.startswith("test_")]
MARKER_NAMES = {"req"}


def _is_marker_call(node: ast.AST) -> bool:
    """req(...) or pytest.mark.req(...)"""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id in MARKER_NAMES) or (
        isinstance(func, ast.Attribute) and func.attr in MARKER_NAMES)


def _id_literals_outside_markers(tree: ast.AST) -> list[tuple[int, str]]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if _is_marker_call(node):
            inside |= {id(n) for n in ast.walk(node)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and catalogue.ID_RE.match(node.value) and id(node) not in inside]


def test_requirement_ids_are_written_once_in_the_marker():
    found = []
    for path in TEST_FILES:
        for line, value in _id_literals_outside_markers(ast.parse(path.read_text())):
            found.append(f"{path.relative_to(ROOT)}:{line}: {value}")
    assert not found, "requirement ids outside req markers (expect/conforms take the marker's):\n" + "\n".join(found)


def test_no_file_name_decides_run_order():
    ordered = [str(p.relative_to(ROOT)) for p in TEST_FILES if re.match(r"test_(z+|\d+)_", p.name)]
    assert not ordered, f"order by @after_suite / @disruptive, not by file name: {ordered}"


def test_private_code_of_other_libraries_is_used_in_one_place():
    allowed = ROOT / "conformance" / "_compat.py"
    pattern = re.compile(r"^\s*(from|import)\s+(_pytest|schemathesis\.core)\b|\bitem\._id\b", re.M)
    found = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "conformance").rglob("*.py"))
             if p != allowed and pattern.search(p.read_text())]
    assert not found, f"private code of pytest/schemathesis outside conformance/_compat.py: {found}"


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
    return out


def test_api_packages_use_only_the_public_surface():
    """conformance.suite is the one module an API (its tests, helpers and mock) imports from the core."""
    found = []
    for path in API_FILES:
        for line, module in _imports(ast.parse(path.read_text())):
            if module == "conformance" or (module.startswith("conformance.") and not (
                    module == "conformance.suite" or module.startswith("conformance.apis."))):
                found.append(f"{path.relative_to(ROOT)}:{line}: {module}")
            elif module.startswith("conformance.apis."):
                own = "conformance.apis." + path.relative_to(APIS).parts[0]
                if not (module == own or module.startswith(own + ".")):
                    found.append(f"{path.relative_to(ROOT)}:{line}: {module} (another API)")
    assert not found, "API packages import the core only through conformance.suite:\n" + "\n".join(found)


def test_every_api_folder_is_registered_through_the_entry_point():
    registered = {info.package for info in registry.all_apis().values()}
    folders = {f"conformance.apis.{p.name}" for p in APIS.iterdir() if (p / "__init__.py").is_file()}
    assert folders <= registered, f"API folders without a conformance.apis entry point: {folders - registered}"


def test_public_surface_lists_what_it_exports():
    import conformance.suite as public

    for name in public.__all__:
        assert getattr(public, name) is not None, name
