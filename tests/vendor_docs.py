"""The vendors' docs, for the tests that check citations: the suite does not ship them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import specs

SKIP_REASON = ("vendor docs not found: set CONFORMANCE_DOCS to the folder holding them "
               "(e.g. CONFORMANCE_DOCS=../shared/vendor-docs); .ci/run does")


def folder() -> Path:
    """The vendor docs folder; skips the calling test when none is given."""
    found = specs.docs_dir()
    if found is None or not found.is_dir():
        pytest.skip(SKIP_REASON)
    return found


def lines(name: str) -> list[str]:
    """The lines of one vendor doc; skips the calling test when no docs folder is given."""
    path = folder() / name
    assert path.is_file(), f"cited doc {name} is not in {folder}"
    return path.read_text(encoding="utf-8").splitlines()
