"""Target files: per API, where to send requests, with which credentials, and what the
target can do beyond the vendor doc (mock-only abilities such as moving the clock).

    [target]
    name = "Algonomy QA sandbox"

    [apis.profile-command]
    base_url = "https://qa-gateway.richrelevance.com/profile-command/v1"
    supports = []                 # e.g. ["mock-clock"] on the mock
    rate_limit = 50               # requests/s the suite paces itself to (optional)

    [apis.profile-command.credentials]   # every value here is a secret: never reported
    client_id = "env:PC_CLIENT_ID"
    client_secret = "env:PC_CLIENT_SECRET"
    api_key = "env:PC_API_KEY"
"""

from __future__ import annotations

import os
import socket
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w

from conformance import registry, specs
from conformance.errors import ConfigError
from conformance.redact import MASK, REDACTOR, SECRET_SETTING

# Abilities a target may declare. Tests needing one skip with a reason on targets without it.
CAPABILITIES = {
    "mock-clock": "POST {mock_control}/clock moves the server's clock (token expiry, rate windows)",
    "mock-inspect": "GET {mock_control}/state/{api} shows the server's stored data",
}
API_KEYS = {"base_url", "supports", "mock_control", "rate_limit", "credentials", "settings"}


@dataclass
class ApiTarget:
    name: str
    base_url: str
    credentials: dict[str, str] = field(default_factory=dict, repr=False)
    settings: dict[str, Any] = field(default_factory=dict)
    supports: frozenset[str] = frozenset()
    mock_control: str | None = None
    rate_limit: float | None = None

    def __post_init__(self) -> None:
        # One code path for every target (a target file, the embedded mock, a test's own): every
        # credential value, and every secret-named setting (`other_api_key`), is a secret from
        # the moment the target exists, wherever it later travels (headers, bodies, URL paths).
        register_secrets(self)

    def public(self) -> dict[str, Any]:
        """What a report may show: everything but the credential values (and secret settings)."""
        return {
            "base_url": self.base_url,
            "supports": sorted(self.supports),
            "rate_limit": self.rate_limit,
            "credentials": sorted(self.credentials),
            "settings": {k: (MASK if SECRET_SETTING.search(k) and v else v) for k, v in self.settings.items()},
        }


def register_secrets(api: ApiTarget) -> None:
    """Register an API target's credentials (and secret-named settings) with the redactor."""
    REDACTOR.register_credentials(api.credentials.values())
    for key, value in (api.settings or {}).items():
        if SECRET_SETTING.search(key):
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, str):
                    REDACTOR.register(item)


@dataclass
class Target:
    name: str
    source: str  # the file it came from, or "embedded mock"
    apis: dict[str, ApiTarget]
    is_embedded_mock: bool = False
    docs: str | None = None  # [target] docs: the folder of the vendor docs, for quoting cited lines


def _resolve_secret(value: Any, where: str, source: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{source}: {where} must be a string")
    if value.startswith("env:"):
        var = value[4:]
        if var not in os.environ or os.environ[var] == "":
            raise ConfigError(f"{source}: {where} needs environment variable {var}, which is not set")
        value = os.environ[var]
    REDACTOR.register(value)
    return value


def _check_url(url: Any, where: str, source: str) -> str:
    if not isinstance(url, str):
        raise ConfigError(f"{source}: {where} must be a URL string")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{source}: {where} is not an http(s) URL: {url!r}")
    return url.rstrip("/")


def parse(data: dict[str, Any], source: str) -> Target:
    apis_raw = data.get("apis")
    if not isinstance(apis_raw, dict) or not apis_raw:
        raise ConfigError(f"{source}: no [apis.<name>] table")
    known = registry.all_apis()
    apis: dict[str, ApiTarget] = {}
    for name, raw in apis_raw.items():
        if name not in known:
            raise ConfigError(f"{source}: unknown API [apis.{name}]; known: {', '.join(sorted(known))}")
        info = known[name]
        if not isinstance(raw, dict):
            raise ConfigError(f"{source}: [apis.{name}] must be a table")
        unknown = set(raw) - API_KEYS
        if unknown:
            raise ConfigError(f"{source}: [apis.{name}] has unknown key(s) {', '.join(sorted(unknown))}")
        base_url = _check_url(raw.get("base_url"), f"apis.{name}.base_url", source)
        creds_raw = raw.get("credentials") or {}
        missing = [key for key in info.credentials if key not in creds_raw]
        if missing:
            raise ConfigError(f"{source}: [apis.{name}.credentials] is missing {', '.join(missing)}")
        credentials = {
            key: _resolve_secret(value, f"apis.{name}.credentials.{key}", source) for key, value in creds_raw.items()
        }
        supports = raw.get("supports") or []
        bad = [cap for cap in supports if cap not in CAPABILITIES]
        if bad:
            raise ConfigError(f"{source}: apis.{name}.supports has unknown ability {bad[0]!r}")
        mock_control = raw.get("mock_control")
        if supports and not mock_control:
            raise ConfigError(f"{source}: apis.{name}.supports needs apis.{name}.mock_control")
        if mock_control:
            mock_control = _check_url(mock_control, f"apis.{name}.mock_control", source)
        rate = raw.get("rate_limit")
        if rate is not None and (not isinstance(rate, (int, float)) or rate <= 0):
            raise ConfigError(f"{source}: apis.{name}.rate_limit must be a positive number")
        # Defaults from the spec's x-settings (each an assumption or a doc-given value).
        settings = {key: meta.get("default") for key, meta in specs.settings(name).items()}
        settings.update(raw.get("settings") or {})
        apis[name] = ApiTarget(
            name=name,
            base_url=base_url,
            credentials=credentials,
            settings=settings,
            supports=frozenset(supports),
            mock_control=mock_control,
            rate_limit=float(rate) if rate is not None else None,
        )
    head = data.get("target") or {}
    name = head.get("name") or source
    docs = head.get("docs")
    if docs is not None and not isinstance(docs, str):
        raise ConfigError(f"{source}: [target] docs must be a folder path (a string)")
    if docs and source.endswith(".toml") and not Path(docs).expanduser().is_absolute():
        docs = str(Path(source).parent / Path(docs).expanduser())  # relative to the target file
    return Target(name=str(name), source=source, apis=apis, docs=docs)


def load(path: str | os.PathLike) -> Target:
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"target file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"target file {path} is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read target file {path}: {exc}") from None
    return parse(data, str(path))


def select(target: Target, names: list[str] | None) -> Target:
    if not names:
        return target
    missing = [n for n in names if n not in target.apis]
    if missing:
        raise ConfigError(f"{target.source}: has no [apis.{missing[0]}] table")
    return Target(target.name, target.source, {n: target.apis[n] for n in names}, target.is_embedded_mock, target.docs)


def refuse_production(target: Target, allow: bool) -> None:
    for name, api in target.apis.items():
        host = urlsplit(api.base_url).hostname
        if host in specs.production_hosts(name) and not allow:
            raise ConfigError(
                f"{name}: {host} is a production host named in the vendor doc; pass --allow-production to test it"
            )


def check_reachable(target: Target, timeout: float = 3.0) -> None:
    """Fail fast, with one line, when a base URL's host does not accept connections."""
    checked: set[tuple[str, int]] = set()
    for name, api in target.apis.items():
        parts = urlsplit(api.base_url)
        address = (parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        if address in checked:
            continue
        try:
            socket.create_connection(address, timeout=timeout).close()
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise ConfigError(f"{name}: cannot reach {parts.scheme}://{address[0]}:{address[1]} ({reason})") from None
        checked.add(address)


def to_toml(target: Target) -> str:
    data: dict[str, Any] = {"target": {"name": target.name}, "apis": {}}
    for name, api in target.apis.items():
        entry: dict[str, Any] = {"base_url": api.base_url}
        if api.supports:
            entry["supports"] = sorted(api.supports)
        if api.mock_control:
            entry["mock_control"] = api.mock_control
        if api.rate_limit:
            entry["rate_limit"] = api.rate_limit
        if api.credentials:
            entry["credentials"] = dict(api.credentials)
        if api.settings:
            entry["settings"] = dict(api.settings)
        data["apis"][name] = entry
    header = "# Target file written by `conformance mock`: demo credentials of the mock, not real secrets.\n"
    return header + tomli_w.dumps(data)
