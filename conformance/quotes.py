"""The vendor's own words behind a requirement: the cited lines of its doc, verbatim.

The suite does not ship the vendors' docs; the user points at their copy (`--docs DIR`,
`CONFORMANCE_DOCS`, or `docs = "..."` in the target file). Only the cited lines are quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

REF_RE = re.compile(r"^(?P<file>\d{3}_[0-9a-f]{16}\.txt)#L(?P<first>\d+)(?:-L?(?P<last>\d+))?$")
MAX_LINES = 40  # a citation longer than this is quoted up to here, and says so


@dataclass(frozen=True)
class Quote:
    ref: str
    lines: tuple[tuple[int, str], ...] = ()  # (line number, text)
    problem: str | None = None  # why no (or not all the) text could be quoted

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "text": "\n".join(text for _, text in self.lines),
                "first_line": self.lines[0][0] if self.lines else None, "problem": self.problem}


@lru_cache(maxsize=16)
def _lines(path: Path) -> tuple[str, ...] | None:
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return None


def quote(ref: str, docs: Path) -> Quote:
    match = REF_RE.match(ref.strip())
    if not match:
        return Quote(ref, problem="citation is not <file>#L<n>")
    lines = _lines(docs / match["file"])
    if lines is None:
        return Quote(ref, problem=f"cited doc {match['file']} is not in {docs}")
    first = int(match["first"])
    last = int(match["last"] or first)
    if first < 1 or last < first or last > len(lines):
        return Quote(ref, problem=f"cited line is out of range (the doc has {len(lines)} lines)")
    shown = [(n, lines[n - 1]) for n in range(first, min(last, first + MAX_LINES - 1) + 1)]
    if not any(text.strip() for _, text in shown):
        return Quote(ref, problem="cited line is blank")
    problem = f"quoted up to L{shown[-1][0]} of L{last}" if last > shown[-1][0] else None
    return Quote(ref, tuple(shown), problem)


def for_citations(doc: str, docs: Path | None) -> list[Quote] | None:
    """Quotes for a catalogue row's `doc` ("a#L1, b#L2-L5"); None when no docs are given."""
    if docs is None:
        return None
    return [quote(ref, docs) for ref in doc.split(", ") if ref.strip()]
