"""`--workers N`: one run's tests on N pytest-xdist workers, side by side, judged as one run.

- **What may run side by side** is what `--shard` may split (conformance.suite.shard): each
  group of tests that must share one process gets an `xdist_group` marker with the group's
  key, and xdist's `loadgroup` sends a group whole to one worker, in collection order (so an
  API's disruptive and after-suite tests still run after its other tests, with the API to
  themselves: no other worker has tests of that API).
- **One target, one pace.** The controller starts the embedded mock once (its state is the
  run's) and hands every worker the same target; every API's rate limiter lives in one file
  of the run (conformance.pacing) that all workers share, so the run as a whole stays under
  each API's rate, however many workers there are.
- **Data and cleanup per worker.** Each worker creates data under its own prefix
  (`cfx<run>w01`, ...) and removes what it created, so no worker's cleanup touches another's.
- **One verdict.** Each worker writes what a shard writes (summary.json with the rows it did
  not judge listed as not run); the controller merges them exactly as `conformance merge`
  joins shards (conformance.report.merge), and writes the three files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conformance.target import ApiTarget, Target

INPUT = "conformance"  # key of the controller's facts in each worker's workerinput
JUDGED_ELSEWHERE = "not run in this worker: its tests ran in another worker"


MAX_WORKERS = 99  # two digits of a worker's data prefix


def xdist_args(workers: int) -> list[str]:
    """pytest's options for a run on `workers` processes (none for one)."""
    if workers <= 1:
        return []
    return ["-p", "xdist", "-n", str(workers), "--dist", "loadgroup"]


def default_workers(target: str | None, variants: list[str], cpus: int | None = None) -> int:
    """`--workers` when not given. On loopback (the embedded mock, a mock on this machine) a
    request costs about as much CPU on each side as it waits, so one process is fastest; a target
    over a network keeps the run waiting on latency, which workers overlap (4 at most: a vendor
    sandbox is shared, and the rate limit is the floor anyway)."""
    many = max(2, min(4, (cpus or os.cpu_count() or 2) * 2))
    if target in (None, "mock"):
        return many if any(v.startswith("latency") for v in variants) else 1
    try:
        from conformance.target import load

        hosts = {urlsplit(api.base_url).hostname for api in load(target).apis.values()}
    except Exception:  # a bad target file is the plugin's to report, with its one line
        return 1
    return 1 if hosts <= LOOPBACK else many


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def is_worker(config: pytest.Config) -> bool:
    return INPUT in getattr(config, "workerinput", {})


def is_controller(config: pytest.Config) -> bool:
    # Read from the options: the conformance plugin configures before xdist registers its session.
    return (not hasattr(config, "workerinput") and config.pluginmanager.hasplugin("xdist")
            and config.getoption("dist", "no") != "no" and bool(config.getoption("numprocesses", 0)))


def worker_count(config: pytest.Config) -> int:
    if is_worker(config):
        return int(config.workerinput[INPUT]["workers"])
    return int(config.getoption("numprocesses", 0) or 1) if is_controller(config) else 1


def worker_index(config: pytest.Config) -> int:
    """1-based index of this worker (gw0 is 1)."""
    return int(str(config.workerinput["workerid"]).removeprefix("gw")) + 1


# --- the target, handed from the controller to the workers ------------------------------------
def target_to_input(target: Target) -> dict[str, Any]:
    data = dataclasses.asdict(target)
    for api in data["apis"].values():
        api["supports"] = sorted(api["supports"])
    return data


def target_from_input(data: dict[str, Any]) -> Target:
    apis = {name: ApiTarget(**{**api, "supports": frozenset(api["supports"])}) for name, api in data["apis"].items()}
    return Target(**{**data, "apis": apis})


class Controller:
    """Registered in the xdist controller: hands the run's facts to each worker, then merges."""

    def __init__(self, plugin: Any) -> None:
        self.plugin = plugin
        self.dir = Path(tempfile.mkdtemp(prefix="conformance-workers-"))
        self.workers = worker_count(plugin.config)
        plugin.run.workers = self.workers
        plugin.run.pacing_file = str(self.dir / "pacing.sqlite")

    def pytest_configure_node(self, node: Any) -> None:
        plugin = self.plugin
        plugin.start()
        run = plugin.run
        node.workerinput[INPUT] = {
            "target": target_to_input(plugin.target),
            "seed": run.seed, "run_id": run.run_id, "workers": self.workers,
            "pacing_file": run.pacing_file, "out": str(self.dir),
            "started": plugin.started.isoformat(),
        }

    def interrupt(self) -> None:
        """A signal to the run: each worker gets SIGINT (its pid is in the run's folder), stops
        after cleaning up what it created, and writes its results."""
        for pid_file in self.dir.glob("w*.pid"):
            try:
                os.kill(int(pid_file.read_text()), signal.SIGINT)
            except (OSError, ValueError):
                pass  # already gone

    def summaries(self) -> list[Path]:
        return sorted(self.dir.glob("w*/summary.json"))

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def worker_summary_path(config: pytest.Config) -> Path:
    facts = config.workerinput[INPUT]
    return Path(facts["out"]) / f"w{worker_index(config)}" / "summary.json"


def mark_groups(items: list[pytest.Item], api_of: Any) -> list[pytest.Item]:
    """Each test's `xdist_group`: the group it must share a process with (shard.group_keys).
    Returns the items with the longest groups first (by the durations file, else by size), each
    group's tests in their order: xdist hands out groups in collection order, so the long ones
    start first and no worker is left with one at the end (every worker sorts alike)."""
    from conformance import registry
    from conformance.suite.shard import group_keys, load_durations

    budgeted = {name for name, info in registry.all_apis().items() if info.token_budget}
    keys = group_keys(items, api_of, property_apart=True, by_module=budgeted)
    durations = load_durations(None)
    mean = (sum(durations.values()) / len(durations)) if durations else 1.0
    weight: dict[str, float] = {}
    for item in items:
        item.add_marker(pytest.mark.xdist_group(keys[item.nodeid]))
        weight[keys[item.nodeid]] = weight.get(keys[item.nodeid], 0.0) + durations.get(item.nodeid, mean) + 0.05
    return sorted(items, key=lambda item: (-weight[keys[item.nodeid]], keys[item.nodeid]))  # stable within a group


# --- a worker ------------------------------------------------------------------------------------
def join(plugin: Any) -> None:
    """Make a worker's plugin one part of the controller's run: its target, seed, run id and
    start, its own data prefix, the shared limiter; what it judges goes to a summary.json the
    controller merges."""
    import datetime as dt
    import warnings

    # As in the controller (runner.run): libraries' warnings (hypothesis' "overly large repr" of
    # a strategy interrupted mid-draw, say) are not the run's output, whose stderr is one line.
    warnings.simplefilter("ignore")
    config = plugin.config
    facts = config.workerinput[INPUT]
    index = worker_index(config)
    plugin.settings.seed = plugin.run.seed = int(facts["seed"])
    plugin.run.run_id = facts["run_id"]
    plugin.run.worker = f"w{index:02d}"  # fixed width: no worker's prefix is the start of another's
    plugin.run.workers = int(facts["workers"])
    plugin.run.pacing_file = facts["pacing_file"]
    plugin.started = dt.datetime.fromisoformat(facts["started"])
    plugin.worker_out = worker_summary_path(config)
    plugin.shard = WorkerShard(plugin, index, int(facts["workers"]))
    plugin.api_lock = ApiLock(Path(facts["out"]))
    (Path(facts["out"]) / f"w{index}.pid").write_text(str(os.getpid()))  # for Controller.interrupt
    config.pluginmanager.register(Renamed(plugin), "conformance-worker")


class Renamed:
    """xdist's loadgroup schedules by a `@<group>` suffix of each nodeid, which its worker appends
    after the conformance plugin has noted the items. xdist 3.8 appends it by setting
    `item._nodeid`, which pytest 9 no longer reads, so every test would be scheduled alone:
    append it the way pytest 9 reads it (conformance._compat), and keep the plugin's notes
    under the new ids."""

    def __init__(self, plugin: Any) -> None:
        self.plugin = plugin

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list) -> None:
        from conformance import _compat
        from conformance.suite.plugin import NODEID

        plugin = self.plugin
        for item in items:
            original = item.stash.get(NODEID, None)
            if original is None:
                continue
            groups = sorted({str(m.args[0]) for m in item.iter_markers("xdist_group") if m.args})
            if groups and "@" not in item.nodeid.rsplit("::", 1)[-1]:
                _compat.set_nodeid(item, f"{item.nodeid}@{'_'.join(groups)}")
            if item.nodeid != original and original in plugin.item_api:
                plugin.item_api[item.nodeid] = plugin.item_api.pop(original)
                plugin.item_ids[item.nodeid] = plugin.item_ids.pop(original)


class ApiLock:
    """One lock file per API of the run, held by every test of the API while it runs: shared by
    ordinary tests, exclusive by a disruptive one (it moves the API's clock, spends its token
    budget or pushes it past a limit), which thus has the API to itself across all workers."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.waited_s = 0.0  # this worker's time waiting for another worker's test of the same API

    @contextlib.contextmanager
    def held(self, api: str, exclusive: bool):
        try:
            import fcntl
        except ImportError:  # no flock (Windows): the groups alone keep disruptive tests apart
            yield
            return
        started = time.perf_counter()
        with open(self.folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', api)}.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            self.waited_s += time.perf_counter() - started
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class WorkerShard:
    """A worker's share of the run, in the terms `conformance merge` reads (a shard's): which
    rows it did not judge because their tests ran in another worker."""

    def __init__(self, plugin: Any, index: int, total: int) -> None:
        self.plugin = plugin
        self.index = index
        self.total = total
        self.not_run: list[str] = []
        self.groups: set[str] = set()  # the groups xdist gave this worker
        self.first_test: str | None = None  # when its first test started (after start-up and collection)

    def mark_rows(self, rows: list[Any]) -> None:
        self.not_run = []
        for row in rows:
            if row.status == "untested" and not row.tests and row.req.id in self.plugin.selected_ids:
                row.status, row.message = "not_selected", JUDGED_ELSEWHERE
                self.not_run.append(row.req.id)

    def info(self) -> dict[str, Any]:
        tests = self.plugin.tests.values()
        return {"index": self.index, "total": self.total, "worker": True, "tests": len(tests),
                "test_s": round(sum(t.duration for t in tests), 1), "groups": sorted(self.groups),
                "first_test": self.first_test,
                "lock_wait_s": round(self.plugin.api_lock.waited_s, 1) if self.plugin.api_lock is not None else None,
                "not_run": list(self.not_run)}


# --- the controller's verdict --------------------------------------------------------------------
def merged_result(plugin: Any) -> Any:
    """The run's result from its workers' summaries, as `conformance merge` joins shards."""
    from conformance.errors import ConformanceError
    from conformance.report import merge, model

    paths = [str(p) for p in plugin.controller.summaries()]
    if not paths:
        raise ConformanceError("no worker of the run wrote its results; see the output above")
    result = merge.merge(merge.load_shards(paths), command=model._command())
    result.run.workers = plugin.controller.workers
    return result
