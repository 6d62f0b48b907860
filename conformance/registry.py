"""The API names the suite knows, and where each one's mock and tests live.

Each vendor API is a package that declares `APIS`, one `ApiInfo` per edition, and registers
itself in the entry-point group `conformance.apis` (pyproject.toml):

    [project.entry-points."conformance.apis"]
    mypreferences = "conformance.apis.mypreferences"

so a sixth vendor API can live in its own installable package. The core reaches an API only
through this table; an entry point that does not load, or whose module has no `APIS`, is an
error, never a silently missing API.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Callable

from conformance.errors import ConfigError

GROUP = "conformance.apis"


def _resolve(ref: str | Callable | None) -> Callable | None:
    """A callable, or "module:attribute" naming one (imported when first needed)."""
    if ref is None or callable(ref):
        return ref
    module_name, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module_name), attr)


@dataclass(frozen=True)
class ApiInfo:
    name: str
    title: str
    package: str  # e.g. "conformance.apis.profile_command"
    suite: str  # folder of the conformance tests, relative to the package
    mock: str  # "module:factory" building the API's mock
    # Credential fields a target file must give (values may be `env:VAR`).
    credentials: tuple[str, ...] = ()
    # "module:function" called with the API's context once per run, before its first test:
    # how tokens are fetched, auth headers and path defaults, cleanup tracking.
    setup: str | Callable | None = None
    # "module:Class" of the API's own state for a run (api.state), e.g. what tests saw.
    state: str | Callable | None = None
    # Requests per second when the target file names no rate_limit.
    default_rate: float | None = None
    # Folder (relative to the package) holding <name>.yaml, <name>.requirements.yaml and
    # <name>.docmap.yaml, for an API package outside this one; None: the suite's specs/.
    specs: str | None = None
    # The target counts the tokens it issues against a budget (B2B: 100 a day). Each process of
    # `--workers N` fetches its own, so such an API's property tests are spread by module, not
    # by test (shard.group_keys).
    token_budget: bool = False

    @property
    def suite_dir(self) -> Path:
        module = importlib.import_module(self.package)
        return Path(module.__file__).resolve().parent / self.suite

    @property
    def specs_dir(self) -> Path | None:
        if self.specs is None:
            return None
        module = importlib.import_module(self.package)
        return Path(module.__file__).resolve().parent / self.specs

    def mock_factory(self) -> Callable:
        return _resolve(self.mock)

    def setup_function(self) -> Callable[[Any], None] | None:
        return _resolve(self.setup)

    def state_factory(self) -> Callable[[], Any] | None:
        return _resolve(self.state)


@lru_cache(maxsize=1)
def all_apis() -> dict[str, ApiInfo]:
    found: dict[str, ApiInfo] = {}
    points = sorted(entry_points(group=GROUP), key=lambda ep: ep.name)
    if not points:
        raise ConfigError(f"no API is registered in the entry-point group {GROUP!r}: "
                               "install the package (pip install -e .), not just its files")
    for point in points:
        try:
            module = point.load()
        except ImportError as exc:
            raise ConfigError(f"API entry point {point.name!r} ({point.value}) does not load: {exc}") from None
        infos = getattr(module, "APIS", None)
        if not infos or not all(isinstance(i, ApiInfo) for i in infos):
            raise ConfigError(f"API entry point {point.name!r}: module {point.value} has no APIS "
                                   "(a tuple of conformance.suite.ApiInfo)")
        for info in infos:
            if info.name in found:
                raise ConfigError(f"API {info.name!r} is registered twice ({found[info.name].package}, "
                                       f"{info.package})")
            found[info.name] = info
    return found


def get(name: str) -> ApiInfo:
    apis = all_apis()
    if name not in apis:
        raise ConfigError(f"unknown API {name!r}; known: {', '.join(sorted(apis))}")
    return apis[name]
