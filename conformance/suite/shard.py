"""`--shard K/N`: a deterministic, duration-balanced share of the selected tests.

Every shard collects the same tests and computes the same assignment, so N machines given
`--shard 1/N` … `--shard N/N` run each selected test exactly once, with no coordination
(Playwright's convention; `conformance merge` then joins their reports).

The unit of assignment is a *group* of tests that must share one process:

- An API's tests share state within a run: one ApiContext (token, pacing, `api.state`), the
  statuses its property tests saw, the tokens counted before its disruptive tests. Its
  `@after_suite` tests judge what *all* its other tests saw (an after_suite test in another
  shard would judge an empty view), and its `@disruptive` tests (limits, clock moves, token
  budgets) must run after the API's other tests against the same target. So an API that has
  any `@after_suite` or `@disruptive` test, or a `test_zz_*` module (the file-name spelling of
  "runs last" that `@after_suite` replaces, issue 16), is one group: all of it in one shard.
- An API without such tests shares nothing between its modules but timing hints, so each of
  its modules is a group, except its property tests (schemathesis/hypothesis), which stay
  together in one group with the tests of their modules (a module's tests may judge what its
  property tests served, e.g. `test_property_requests_were_served`).

Groups are weighed by the durations file (seconds per test nodeid, `conformance merge
--durations-out`; a test it does not know weighs the mean of those it knows) or, without
one, by their number of tests, and dealt out longest first to the least loaded shard
(ties: the lower shard), which is deterministic for a given selection and file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest

from conformance.errors import ConfigError

DURATIONS = Path(__file__).resolve().parents[1] / "_durations.json"  # committed; refreshed from a run
NOT_RUN = "not run in this shard: its tests ran in shard "


def parse(text: str | None) -> tuple[int, int] | None:
    """`K/N` (1 ≤ K ≤ N) as (K, N)."""
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", str(text))
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise ConfigError(f"--shard must be K/N with 1 <= K <= N (e.g. 1/4), not {text!r}")
    return int(match[1]), int(match[2])


def load_durations(path: str | Path | None) -> dict[str, float]:
    """Seconds per test nodeid; {} when no file is given and none is committed."""
    file = Path(path) if path else DURATIONS
    if not file.is_file():
        if path:
            raise ConfigError(f"durations file not found: {path}")
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file} is not a durations file: {exc}") from None
    durations = data.get("durations", data) if isinstance(data, dict) else None
    if not isinstance(durations, dict):
        raise ConfigError(f"{file} is not a durations file (expected {{nodeid: seconds}})")
    return {str(k): float(v) for k, v in durations.items() if isinstance(v, (int, float))}


def durations_of(summaries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A durations file from runs' summary.json (the tests' measured durations)."""
    durations: dict[str, float] = {}
    for data in summaries:
        for test in data.get("tests", []):
            durations[test["nodeid"]] = round(float(test.get("duration_s") or 0.0), 3)
    return {"about": "seconds per test, for `conformance run --shard K/N` (from `conformance merge "
                     "--durations-out`)", "durations": dict(sorted(durations.items()))}


def is_property_test(item: pytest.Item) -> bool:
    function = getattr(item, "obj", None)
    return bool(getattr(function, "is_hypothesis_test", False) or "schemathesis" in type(item).__module__
                or getattr(function, "_schemathesis_test", None) is not None
                or item.get_closest_marker("hypothesis") is not None)


def _stays_whole(item: pytest.Item) -> bool:
    return (item.get_closest_marker("after_suite") is not None or item.get_closest_marker("disruptive") is not None
            or Path(str(item.fspath)).name.startswith("test_zz_"))


def group_keys(items: list[pytest.Item], api_of: Callable[[pytest.Item], str], *,
               property_apart: bool = False, by_module: Iterable[str] = ()) -> dict[str, str]:
    """nodeid -> the key of the group it must run with (see the module docstring for why).

    `property_apart` (workers on one machine, conformance.suite.workers): each module with property
    tests is a group of its own even in an API that otherwise stays whole. Its tests judge only
    what they send themselves, and a lock per API (workers.ApiLock) gives the API's disruptive
    tests the API to themselves, which shards on separate machines cannot share. A module made
    of property tests alone has nothing its tests share (only a module's other tests judge what
    its property tests saw, as test_property_requests_were_served does): each of its tests is a
    group, so one long module does not keep a worker busy while the others wait; except in the
    APIs of `by_module`, whose every process costs a token of a daily budget."""
    whole = {api_of(item) for item in items if _stays_whole(item)}
    module_of = {item.nodeid: item.nodeid.split("::", 1)[0] for item in items}
    if property_apart:
        apart = {module_of[i.nodeid] for i in items if is_property_test(i) and not _stays_whole(i)}
        apart -= {module_of[i.nodeid] for i in items if _stays_whole(i)}
        apart_items = apart - {module_of[i.nodeid] for i in items if not is_property_test(i)}

        def key(i: pytest.Item) -> str:
            module = module_of[i.nodeid]
            if module in apart_items and api_of(i) not in by_module:
                return f"{api_of(i)}::{i.nodeid}"
            return f"{api_of(i)}::{module}" if module in apart or api_of(i) not in whole else api_of(i)

        return {i.nodeid: key(i) for i in items}
    # A splittable API's property tests pull their modules into one group with them.
    property_modules: dict[str, set[str]] = {}
    for item in items:
        if api_of(item) not in whole and is_property_test(item):
            property_modules.setdefault(api_of(item), set()).add(module_of[item.nodeid])
    keys = {}
    for item in items:
        api = api_of(item)
        module = module_of[item.nodeid]
        if api in whole:
            keys[item.nodeid] = api
        elif module in property_modules.get(api, ()):
            keys[item.nodeid] = f"{api}::property tests"
        else:
            keys[item.nodeid] = f"{api}::{module}"
    return keys


def assign(weights: dict[str, float], total: int) -> dict[str, int]:
    """Group key -> shard (1-based): longest first, to the least loaded shard."""
    load = [0.0] * total
    shard_of = {}
    for key in sorted(weights, key=lambda k: (-weights[k], k)):
        index = min(range(total), key=lambda i: (load[i], i))
        shard_of[key] = index + 1
        load[index] += weights[key]
    return shard_of


@dataclass
class Shard:
    """One shard of a run: which of the selected tests it runs, and which rows it left to others."""

    index: int
    total: int
    durations: dict[str, float]
    balanced_by: str = "count"
    groups: dict[str, int] = field(default_factory=dict)  # group key -> shard
    weights: dict[str, float] = field(default_factory=dict)
    selected: int = 0  # tests selected before sharding
    tests: int = 0  # tests of this shard
    elsewhere: dict[str, set[int]] = field(default_factory=dict)  # row id -> shards that run its tests
    not_run: list[str] = field(default_factory=list)  # rows this shard did not judge (set at the end)

    def split(self, items: list[pytest.Item], api_of: Callable[[pytest.Item], str],
              ids_of: Callable[[pytest.Item], tuple[str, ...]]) -> tuple[list[pytest.Item], list[pytest.Item]]:
        keys = group_keys(items, api_of)
        known = [self.durations[i.nodeid] for i in items if i.nodeid in self.durations]
        self.balanced_by = "durations" if known else "count"
        default = (sum(known) / len(known)) if known else 1.0

        def weight(item: pytest.Item) -> float:
            if not known:
                return 1.0
            return max(self.durations.get(item.nodeid, default), 0.001)

        self.weights = {}
        for item in items:
            self.weights[keys[item.nodeid]] = self.weights.get(keys[item.nodeid], 0.0) + weight(item)
        self.groups = assign(self.weights, self.total)
        keep, drop = [], []
        for item in items:
            shard = self.groups[keys[item.nodeid]]
            (keep if shard == self.index else drop).append(item)
            if shard != self.index:
                for rid in ids_of(item):
                    self.elsewhere.setdefault(rid, set()).add(shard)
        self.selected, self.tests = len(items), len(keep)
        return keep, drop

    def mark_rows(self, rows: list[Any]) -> None:
        """Rows left `not_selected` only because their tests ran in another shard say so, and
        are listed in summary.json (run.shard.not_run), so `conformance merge` takes their
        status from the shard that judged them."""
        self.not_run = []
        for row in rows:
            if row.status == "not_selected" and not row.tests and row.req.id in self.elsewhere:
                shards = ", ".join(f"{k}/{self.total}" for k in sorted(self.elsewhere[row.req.id]))
                row.message = NOT_RUN + shards
                self.not_run.append(row.req.id)

    def info(self) -> dict[str, Any]:
        return {
            "index": self.index, "total": self.total, "balanced_by": self.balanced_by,
            "tests": self.tests, "selected_tests": self.selected,
            "groups": sorted(k for k, v in self.groups.items() if v == self.index),
            "expected_s": round(sum(w for k, w in self.weights.items() if self.groups.get(k) == self.index), 1)
            if self.balanced_by == "durations" else None,
            "not_run": list(self.not_run),
        }


class ShardPlugin:
    """Registered next to the conformance plugin when `--conformance-shard` is given."""

    def __init__(self, plugin: Any, shard: Shard) -> None:
        self.plugin = plugin
        self.shard = shard
        plugin.shard = shard

    @pytest.hookimpl(trylast=True)  # after -m / -k / --requirement: a shard is a share of the selection
    def pytest_collection_modifyitems(self, session: pytest.Session, config: pytest.Config, items: list) -> None:
        ours = [item for item in items if item.nodeid in self.plugin.item_api]
        if not ours:
            return
        keep, drop = self.shard.split(ours, lambda i: self.plugin.item_api[i.nodeid],
                                      lambda i: self.plugin.item_ids.get(i.nodeid, ()))
        dropped = set(id(i) for i in drop)
        if drop:
            config.hook.pytest_deselected(items=drop)
        items[:] = [item for item in items if id(item) not in dropped]
