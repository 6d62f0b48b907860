"""Doc maps (`specs/<api>.docmap.yaml`): what every line of a vendor doc is to the suite.

A doc map is an ordered list of line ranges covering every non-blank line of the API's doc.
Each range is tested by catalogue rows (`rows`), covered by the schema of a spec element
(`spec`, JSON pointers into the API's OpenAPI file), or dispositioned `none` with a reason
(navigation, prose, a repeat of another line, untestable from outside):

    api: profile-command
    doc: 001_b97213f4390f862f.txt
    ranges:
      - lines: 1-3
        none: "title and navigation"
      - lines: 13
        rows: [PC-AUTH-003]
      - lines: 20-31
        spec: ["#/paths/~1oauth2~1token/post/requestBody"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from conformance import catalogue, specs
from conformance.errors import ConformanceError

LINES_RE = re.compile(r"^(\d+)(?:-(\d+))?$")


@dataclass(frozen=True)
class Range:
    first: int
    last: int
    rows: tuple[str, ...] = ()
    spec: tuple[str, ...] = ()
    none: str | None = None

    @property
    def label(self) -> str:
        return f"L{self.first}" if self.first == self.last else f"L{self.first}-L{self.last}"


@dataclass(frozen=True)
class DocMap:
    api: str
    doc: str
    ranges: tuple[Range, ...]


def _list(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value or ())


@lru_cache(maxsize=None)
def load(api: str) -> DocMap | None:
    """The API's doc map, or None where it has none yet."""
    path = specs.docmap_path(api)
    if not path.is_file():
        return None
    raw = specs._load_yaml(path)
    if not isinstance(raw, dict) or raw.get("api") != api or not raw.get("doc"):
        raise ConformanceError(f"{path}: needs 'api: {api}' and 'doc: <file>'")
    ranges = []
    for index, entry in enumerate(raw.get("ranges") or []):
        match = LINES_RE.match(str(entry.get("lines", "")).strip().removeprefix("L").replace("-L", "-"))
        if not match:
            raise ConformanceError(f"{path}: range {index}: 'lines' must be N or N-M, got {entry.get('lines')!r}")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        rng = Range(first, last, _list(entry.get("rows")), _list(entry.get("spec")),
                    " ".join(str(entry["none"]).split()) if entry.get("none") else None)
        if rng.none is not None and (rng.rows or rng.spec):
            raise ConformanceError(f"{path}: {rng.label}: 'none' excludes 'rows' and 'spec'")
        if rng.none is None and not (rng.rows or rng.spec):
            raise ConformanceError(f"{path}: {rng.label}: give 'rows', 'spec' or 'none' with a reason")
        ranges.append(rng)
    return DocMap(api, str(raw["doc"]), tuple(ranges))


def resolve_pointer(spec: dict[str, Any], pointer: str) -> Any:
    node: Any = spec
    for part in pointer.removeprefix("#").lstrip("/").split("/"):
        if part == "":
            continue
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def problems(api: str, doc_lines: list[str]) -> list[str]:
    """Everything wrong with the API's doc map, checked against the doc's text."""
    dmap = load(api)
    if dmap is None:
        return [f"{api}: no doc map ({specs.docmap_path(api).name})"]
    found: list[str] = []
    rows = {r.id: r for r in catalogue.load(api)}
    spec = specs.load_spec(api)
    covered: set[int] = set()
    previous = 0
    for rng in dmap.ranges:
        if rng.first > rng.last:
            found.append(f"{rng.label}: first line after last")
        if rng.first <= previous:
            found.append(f"{rng.label}: not after the previous range (ends L{previous}): ranges must be ordered "
                         "and must not overlap")
        if rng.last > len(doc_lines):
            found.append(f"{rng.label}: the doc has {len(doc_lines)} lines")
        previous = max(previous, rng.last)
        covered.update(range(rng.first, rng.last + 1))
        for rid in rng.rows:
            if rid not in rows:
                found.append(f"{rng.label}: {rid} is not in the {api} catalogue")
        for pointer in rng.spec:
            try:
                resolve_pointer(spec, pointer)
            except (KeyError, IndexError, ValueError, TypeError):
                found.append(f"{rng.label}: spec element {pointer} does not exist")
    missing = [n for n, text in enumerate(doc_lines, 1) if text.strip() and n not in covered]
    if missing:
        found.append(f"non-blank lines without a disposition: {_spans(missing)}")
    reached = {rid for rng in dmap.ranges for rid in rng.rows}
    unreached = sorted(set(rows) - reached)
    if unreached:
        found.append(f"catalogue rows no range reaches: {', '.join(unreached)}")
    return [f"{api} ({specs.docmap_path(api).name}): {p}" for p in found]


def _spans(numbers: list[int]) -> str:
    spans, start = [], None
    for n, m in zip(numbers, numbers[1:] + [None]):
        start = n if start is None else start
        if m != n + 1:
            spans.append(f"L{start}" if start == n else f"L{start}-L{n}")
            start = None
    return ", ".join(spans[:40]) + (f" (+{len(spans) - 40} more)" if len(spans) > 40 else "")


def figures(api: str, doc_lines: list[str]) -> dict[str, int] | None:
    """Per API, for the report: non-blank lines, normative ones (rows or spec), lines with a
    tested row (a row that is not untestable), lines dispositioned none."""
    dmap = load(api)
    if dmap is None:
        return None
    untestable = {r.id for r in catalogue.load(api) if r.untestable}
    counts = {"lines": 0, "normative": 0, "tested": 0, "none": 0}
    for rng in dmap.ranges:
        n = sum(1 for i in range(rng.first, min(rng.last, len(doc_lines)) + 1) if doc_lines[i - 1].strip())
        counts["lines"] += n
        if rng.none is not None:
            counts["none"] += n
            continue
        counts["normative"] += n
        if any(rid not in untestable for rid in rng.rows):
            counts["tested"] += n
    return counts


def doc_file(api: str) -> str | None:
    dmap = load(api)
    return dmap.doc if dmap else None


def read_doc(docs_dir: Path, name: str) -> list[str] | None:
    path = Path(docs_dir) / name
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else None
