"""The requirement catalogue: one row per observable behaviour, read from `specs/`.

Tests reference rows by id (`@pytest.mark.req("PC-AUTH-001")`); the report reads the same rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from conformance.errors import ConformanceError
from conformance.specs import _load_yaml, catalogue_path

CATEGORIES = (
    "auth",
    "errors",
    "limits",
    "contract",
    "opt-out",
    "versioning",
    "patch-semantics",
    "update-semantics",
    "lifecycle",
    "search",
    "history",
    "identity",
)
BASES = ("stated", "inferred")
ID_RE = re.compile(r"^[A-Z0-9]+-[A-Z]+-\d{3}$")
DOC_RE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt#L\d+(-L?\d+)?$")


@dataclass(frozen=True)
class Requirement:
    id: str
    api: str
    category: str
    requirement: str
    doc: str
    basis: str
    rfc: str | None = None
    checks: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()
    needs: str | None = None
    untestable: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def severity(self) -> str:
        """A stated requirement is required; an inferred one only warns."""
        return "required" if self.basis == "stated" else "warning"


def _docs(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


@lru_cache(maxsize=None)
def load(api: str) -> tuple[Requirement, ...]:
    path = catalogue_path(api)
    raw = _load_yaml(path)
    if not isinstance(raw, dict) or raw.get("api") != api:
        raise ConformanceError(f"{path}: 'api' must be {api!r}")
    rows: list[Requirement] = []
    seen: set[str] = set()
    for entry in raw.get("requirements") or []:
        rid = entry.get("id", "?")
        problems = []
        if not ID_RE.match(str(rid)):
            problems.append("bad id")
        if rid in seen:
            problems.append("duplicate id")
        if entry.get("category") not in CATEGORIES:
            problems.append(f"unknown category {entry.get('category')!r}")
        if entry.get("basis") not in BASES:
            problems.append("basis must be stated or inferred")
        if entry.get("basis") == "inferred" and not entry.get("rfc"):
            problems.append("inferred rows need 'rfc'")
        docs = _docs(entry.get("doc"))
        if not docs or not all(DOC_RE.match(d) for d in docs):
            problems.append(f"doc must look like 001_<hash>.txt#L12, got {entry.get('doc')!r}")
        if not str(entry.get("requirement", "")).strip():
            problems.append("empty requirement")
        if problems:
            raise ConformanceError(f"{path}: {rid}: {', '.join(problems)}")
        seen.add(rid)
        known = {"id", "category", "requirement", "doc", "basis", "rfc", "checks", "operations", "needs", "untestable"}
        rows.append(
            Requirement(
                id=rid,
                api=api,
                category=entry["category"],
                requirement=" ".join(str(entry["requirement"]).split()),
                doc=", ".join(docs),
                basis=entry["basis"],
                rfc=entry.get("rfc"),
                checks=tuple(entry.get("checks") or ()),
                operations=tuple(entry.get("operations") or ()),
                needs=entry.get("needs"),
                untestable=" ".join(str(entry["untestable"]).split()) if entry.get("untestable") else None,
                extra={k: v for k, v in entry.items() if k not in known},
            )
        )
    return tuple(rows)


def by_id(apis) -> dict[str, Requirement]:
    return {row.id: row for api in apis for row in load(api)}


def for_check(api: str, check: str, operation: str) -> list[str]:
    """Requirement ids that a schemathesis check failing on `operation` breaks."""
    return [
        row.id
        for row in load(api)
        if check in row.checks and (not row.operations or operation in row.operations)
    ]
