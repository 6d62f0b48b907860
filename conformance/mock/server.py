"""Serving one or more API mocks on one port: each under `/<api-name>`, plus `/_mock` control."""

from __future__ import annotations

import asyncio
import gzip
import random
import re
import socket
import threading
import uuid
from typing import Iterable

import uvicorn
from starlette.applications import Starlette
from starlette.convertors import PathConvertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Mount, Route, Router

from conformance import registry, specs
from conformance.errors import ConfigError
from conformance.mock.base import SHARED_VARIANTS, JSONResponse, MockApi, MockClock, Variant, error, latency_of
from conformance.target import ApiTarget, Target

CONTROL = "/_mock"


class _AnyPathConvertor(PathConvertor):
    regex = r"[\s\S]*"


# Starlette's `path` convertor is `.*`, which stops at a newline: a userId such as "a%0Ab"
# would miss its route (and the API mount) and answer 404. Any character may be an id.
register_url_convertor("path", _AnyPathConvertor())


def parse_editions(values: Iterable[str]) -> dict[str, str]:
    """`API=EDITION` pairs: serve API's name with another edition's mock (upgrade checks)."""
    editions = {}
    for value in values:
        api, sep, edition = value.partition("=")
        if not sep:
            raise ConfigError(f"--serve-edition takes API=EDITION, not {value!r}")
        registry.get(api), registry.get(edition)
        editions[api] = edition
    return editions


def known_variants(mocks: list[MockApi]) -> dict[str, Variant]:
    """Every variant these mocks can play: the HTTP-level ones and each API's own."""
    found = dict(SHARED_VARIANTS)
    for mock in mocks:
        for variant in mock.VARIANTS.values():
            found.setdefault(variant.name, variant)
    return found


def build_mocks(api_names: Iterable[str], fault: str | None, clock: MockClock | None,
                editions: dict[str, str] | None = None, variants: Iterable[str] = ()) -> list[MockApi]:
    """The mocks of these APIs; with `clock=None` each has a clock of its own (what the server
    does: a test that moves one API's clock must not expire another API's tokens mid-test when
    APIs run side by side)."""
    mocks = []
    for name in api_names:
        edition = (editions or {}).get(name, name)
        mock = registry.get(edition).mock_factory()(clock or MockClock(), fault)
        if edition != name:
            # Served under the name a client of `name` expects: what that client meets after
            # (or before) an upgrade, requirement by requirement.
            mock.name = name
            mock.edition_of = edition
        mocks.append(mock)
    if fault and not any(fault in m.FAULTS for m in mocks):
        known = sorted({f for m in mocks for f in m.FAULTS})
        raise ConfigError(f"unknown fault {fault!r} for {', '.join(m.name for m in mocks)}; known: {', '.join(known)}")
    wanted = list(dict.fromkeys(variants))
    playable = known_variants(mocks)
    unknown = [v for v in wanted if v not in playable]
    if unknown:
        raise ConfigError(f"unknown variant {', '.join(map(repr, unknown))} for {', '.join(m.name for m in mocks)}; "
                          f"known: {', '.join(sorted(playable))} (see conformance mock --list-variants)")
    for mock in mocks:
        mock.variants = frozenset(v for v in wanted if v in mock.VARIANTS or v in SHARED_VARIANTS)
    return mocks


def http_variants(app, variants: frozenset[str] | set[str]):
    """The HTTP-level variants (base.SHARED_VARIANTS) around the app: latency, Connection: close,
    gzip, extra headers. The control routes are left alone."""
    latency = latency_of(variants)
    close = "connection-close" in variants
    compress = "gzip" in variants
    extra = "extra-headers" in variants
    if not (latency or close or compress or extra):
        return app

    async def played(scope, receive, send):
        if scope["type"] != "http" or scope.get("path", "").startswith(CONTROL):
            return await app(scope, receive, send)
        if latency:
            await asyncio.sleep(random.uniform(*latency))
        accepted = dict(scope.get("headers") or []).get(b"accept-encoding", b"")
        zipped = compress and b"gzip" in accepted.lower()
        start: dict | None = None
        chunks: list[bytes] = []

        async def sending(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                if extra:
                    headers += [(b"x-request-id", uuid.uuid4().hex.encode()), (b"cache-control", b"no-store"),
                                (b"server", b"cfx-gateway/1.0")]
                if close:
                    headers.append((b"connection", b"close"))
                message = dict(message, headers=headers)
                if zipped:
                    start = message
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                data = gzip.compress(b"".join(chunks))
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding"),
                            (b"content-length", str(len(data)).encode())]
                await send(dict(start, headers=headers))
                await send({"type": "http.response.body", "body": data})
            else:
                await send(message)

        await app(scope, receive, sending)

    return played


def spec_methods(mock: MockApi) -> list[tuple[re.Pattern, str, list[str]]]:
    """(regex of the raw path, template, METHODS) of every path the mock's spec gives, the most
    literal template first (OpenAPI 3.1 §4.8.8: concrete paths match before templated ones).
    Paths an `x-setting` moves are where this mock serves them (its target settings)."""
    api = mock.edition_of or mock.name
    try:
        spec = specs.load_spec(api)
    except Exception:  # an API package without a spec: its routes alone answer
        return []
    defaults = {name: (entry or {}).get("default") for name, entry in (spec.get("x-settings") or {}).items()}
    served = {**defaults, **mock.target_settings(), **mock.variant_settings()}
    specs.aimed(spec, served.get)
    found = []
    for template, item in (spec.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        methods = [m.upper() for m in specs.METHODS if isinstance(item.get(m), dict)]
        parts = re.split(r"(\{[^}/]+\})", template)
        regex = "".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
        literal_first = tuple(1 if seg.startswith("{") else 0 for seg in template.strip("/").split("/"))
        found.append((literal_first, re.compile(regex), template, methods))
    found.sort(key=lambda entry: entry[0])
    return [(regex, template, methods) for _, regex, template, methods in found]


def method_guard(mock: MockApi, app):
    """Answers, before the mock's routes, a method the spec does not give a path it has: 405
    with the spec's `Allow` (MockApi.unlisted_method). One place for every mock, whatever its
    routing (a catch-all route would otherwise answer 404, Starlette's own 405 lists only the
    first route's methods). HEAD goes on where the path has GET; other paths go on untouched.
    It also counts the requests the API received (MockApi.served)."""
    templates = spec_methods(mock)

    async def guarded(scope, receive, send):
        if scope["type"] == "http":
            mock.served += 1  # counted here, on the mock's side (bench/st_parity.py reads it)
            raw = scope.get("raw_path") or scope["path"].encode()
            path = raw.decode("latin-1").split("?", 1)[0]
            root = scope.get("root_path", "")
            if root and path.startswith(root):
                path = path[len(root):]
            method = scope["method"]
            for regex, template, methods in templates:
                if regex.fullmatch(path):
                    if method not in methods and not (method == "HEAD" and "GET" in methods):
                        response = mock.unlisted_method(method, template, methods)
                        if response is not None:
                            return await response(scope, receive, send)
                    break
        return await app(scope, receive, send)

    return guarded


def build_app(mocks: list[MockApi]) -> Starlette:
    by_name = {m.name: m for m in mocks}

    async def info(request: Request) -> JSONResponse:
        return JSONResponse(
            {
                "apis": sorted(by_name),
                "faults": {m.name: m.fault for m in mocks},
                "variants": {m.name: sorted(m.variants) for m in mocks},
                "requests": {m.name: m.served for m in mocks},
                "clock_offsets": {m.name: m.clock.offset for m in mocks},
            }
        )

    async def move_clock(request: Request) -> JSONResponse:
        """`POST {"advance": seconds, "api": name}` moves that API's clock (every API's without
        "api"); GET shows them."""
        clocks = {m.name: m.clock for m in mocks}
        if request.method == "POST":
            try:
                body = await request.json()
                seconds = float(body["advance"])
                api = body.get("api")
            except (ValueError, KeyError, TypeError, AttributeError):
                return error(400, "invalid_request", 'body must be {"advance": <seconds>, "api": <name>}')
            if seconds < 0:
                return error(400, "invalid_request", "the clock only moves forward")
            if api is not None and api not in clocks:
                return error(404, "not_found", "no such API on this mock")
            for clock in {id(c): c for name, c in clocks.items() if api in (None, name)}.values():
                clock.advance(seconds)
        return JSONResponse({name: {"now": c.now(), "offset": c.offset} for name, c in clocks.items()})

    async def state(request: Request) -> JSONResponse:
        mock = by_name.get(request.path_params["api"])
        if mock is None:
            return error(404, "not_found", "no such API on this mock")
        with mock.lock:
            return JSONResponse(mock.state())

    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        return error(exc.status_code, "not_found" if exc.status_code == 404 else "method_not_allowed",
                     str(exc.detail), headers=headers)

    routes = [
        Route(CONTROL, info),
        Route(CONTROL + "/clock", move_clock, methods=["GET", "POST"]),
        Route(CONTROL + "/state/{api}", state),
    ]
    routes += [Mount(f"/{m.name}", app=method_guard(m, Router(routes=m.routes()))) for m in mocks]
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error})


class MockServer:
    """The mock on a loopback port: in a background thread (embedded) or in the foreground."""

    def __init__(self, api_names: list[str], *, host: str = "127.0.0.1", port: int = 0, fault: str | None = None,
                 editions: dict[str, str] | None = None, variants: Iterable[str] = ()):
        self.fault = fault
        self.editions = editions or {}
        self.variants = list(dict.fromkeys(variants))
        self.mocks = build_mocks(api_names, fault, None, self.editions, self.variants)
        self.app = http_variants(build_app(self.mocks), frozenset(self.variants))
        self.host = host
        try:
            self.sock = socket.create_server((host, port), reuse_port=False)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def target(self) -> Target:
        apis = {}
        for mock in self.mocks:
            credentials = mock.demo_credentials()
            for key in registry.get(mock.name).credentials:  # what the other edition has no use for
                credentials.setdefault(key, f"unused-by-{getattr(mock, 'edition_of', mock.name)}")
            apis[mock.name] = ApiTarget(
                name=mock.name,
                base_url=f"{self.base}/{mock.name}",
                credentials=credentials,
                settings={**mock.target_settings(), **mock.variant_settings()},
                supports=frozenset({"mock-clock", "mock-inspect"}),
                mock_control=self.base + CONTROL,
                rate_limit=mock.rate_limit(),
            )
        served = ", ".join(f"{api} served by the {edition} mock" for api, edition in self.editions.items())
        name = "conformance mock" + (f" ({served})" if served else "")
        return Target(name=name, source="embedded mock", apis=apis, is_embedded_mock=True)

    def start(self) -> "MockServer":
        self._thread = threading.Thread(target=self._serve, name="conformance-mock", daemon=True)
        self._thread.start()
        while not self.server.started:
            if not self._thread.is_alive():
                raise ConfigError("the embedded mock failed to start")
            threading.Event().wait(0.01)
        return self

    def _serve(self) -> None:
        # uvloop: with the stock asyncio loop in a thread every request waits ~40 ms (measured).
        try:
            import uvloop
        except ImportError:  # pragma: no cover - uvloop is a dependency where it installs
            asyncio.run(self.server.serve(sockets=[self.sock]))
        else:
            uvloop.run(self.server.serve(sockets=[self.sock]))

    def serve_forever(self) -> None:
        self.server.run(sockets=[self.sock])

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread:
            self._thread.join(timeout=5)
