"""The API names the suite knows, and where each one's mock and tests live.

Each vendor API is a folder under `conformance/apis/` that registers one `ApiInfo` per edition
in its `__init__.py`; the core only ever reaches an API through this table.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from conformance.errors import ConfigError


@dataclass(frozen=True)
class ApiInfo:
    name: str
    title: str
    package: str  # e.g. "conformance.apis.profile_command"
    suite: str  # folder of the conformance tests, relative to the package
    mock: str  # "module:factory" building the API's mock
    # Credential fields a target file must give (values may be `env:VAR`).
    credentials: tuple[str, ...] = ()
    # Settings a target file may give, with their defaults (paths, pacing, ...).
    settings: dict = field(default_factory=dict)

    @property
    def suite_dir(self) -> Path:
        module = importlib.import_module(self.package)
        return Path(module.__file__).resolve().parent / self.suite

    def mock_factory(self) -> Callable:
        module_name, _, attr = self.mock.partition(":")
        return getattr(importlib.import_module(module_name), attr)


_PACKAGES = (
    "conformance.apis.profile_command",
    "conformance.apis.imiconnect_profile",
    "conformance.apis.customer_profile_b2b",
    "conformance.apis.mypreferences",
)


def all_apis() -> dict[str, ApiInfo]:
    found: dict[str, ApiInfo] = {}
    for package in _PACKAGES:
        try:
            module = importlib.import_module(package)
        except ModuleNotFoundError as exc:
            if exc.name == package:  # not built yet
                continue
            raise
        for info in getattr(module, "APIS", ()):  # a folder still being built has none
            found[info.name] = info
    return found


def get(name: str) -> ApiInfo:
    apis = all_apis()
    if name not in apis:
        raise ConfigError(f"unknown API {name!r}; known: {', '.join(sorted(apis))}")
    return apis[name]
