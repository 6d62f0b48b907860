"""What every API's mock shares: a clock that tests may move, named faults, JSON errors."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

from starlette.requests import Request
from starlette.responses import Response


class MockClock:
    """Wall clock plus an offset that `POST /_mock/clock` moves forward."""

    def __init__(self) -> None:
        self.offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.time() + self.offset

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.offset += seconds


@dataclass(frozen=True)
class Fault:
    name: str
    description: str
    breaks: tuple[str, ...]  # requirement ids the suite must report failed (or warned)


@dataclass(frozen=True)
class Variant:
    """A behaviour the vendor's doc allows but the default mock does not show (`--variant NAME`).

    The mirror of a fault: the suite must pass it (tests/test_variants.py). `allowed_by` cites
    the doc line, or the silence, that leaves the vendor this freedom. `settings` are what such a
    vendor's target file would declare (they are merged into the mock's target settings);
    `touches` are the inferred rows (the spec's own assumptions) that may warn under it, and
    nothing else may."""

    name: str
    description: str
    allowed_by: str
    touches: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    api: str = "*"  # the API it belongs to; "*" for the HTTP-level ones every API may show


# HTTP-level freedoms every API's doc leaves (the server plays them, not one API's mock).
# "latency-<N>ms": every answer waits N ms; "latency-30-80ms" a random 30-80 ms.
SHARED_VARIANTS: dict[str, Variant] = {v.name: v for v in (
    Variant("latency-50ms", "every answer takes 50 ms more (a sandbox across a WAN link)",
            "no doc states a response time; only request rates are limited (001#L75, L84)"),
    Variant("latency-30-80ms", "every answer takes 30 to 80 ms more, at random",
            "no doc states a response time; only request rates are limited (001#L75, L84)"),
    Variant("connection-close", "every answer closes the connection (Connection: close): no keep-alive",
            "no doc says anything about connections; RFC 9112 §9.6 lets a server close after any response"),
    Variant("gzip", "answers are gzip-compressed when the request accepts it (Content-Encoding: gzip)",
            "no doc says anything about content codings; RFC 9110 §8.4 lets a server use one the client accepts"),
    Variant("extra-headers", "every answer carries headers of the gateway's own (X-Request-Id, Cache-Control, Server)",
            "no doc lists the response headers it sends; RFC 9110 §5.1 lets a server add fields"),
)}


def latency_of(variants: frozenset[str] | set[str]) -> tuple[float, float] | None:
    """(min, max) seconds of delay the variants ask for, if any."""
    if "latency-30-80ms" in variants:
        return (0.030, 0.080)
    if "latency-50ms" in variants:
        return (0.050, 0.050)
    return None


class JSONResponse(Response):
    """Compact JSON; faster than Starlette's, which matters for the 3,000 requests/s target."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, separators=(",", ":")).encode()


def error(status: int, code: str, description: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": code, "error_description": description}, status_code=status, headers=headers)


async def json_body(request: Request) -> tuple[Any, bool]:
    """(decoded body, ok). ok is False when the body is absent or not JSON."""
    raw = await request.body()
    if not raw:
        return None, False
    try:
        return json.loads(raw), True
    except ValueError:
        return None, False


class MockApi:
    """Base of every API mock. Subclasses define `name`, `FAULTS`, `routes()`."""

    name: str
    FAULTS: ClassVar[dict[str, Fault]] = {}
    VARIANTS: ClassVar[dict[str, Variant]] = {}  # doc-allowed behaviours (apis/<pkg>/variants.py)
    edition_of: str | None = None  # set when serving another API name (see --serve-edition)

    def __init__(self, clock: MockClock, fault: str | None = None) -> None:
        self.clock = clock
        self.fault = fault if fault in self.FAULTS else None
        self.lock = threading.RLock()
        self.variants: frozenset[str] = frozenset()  # set by the server (build_mocks)
        self.served = 0  # requests this API's mount received (the server counts; GET /_mock shows it)

    def has(self, fault: str) -> bool:
        return self.fault == fault

    def plays(self, variant: str) -> bool:
        """A doc-allowed variant is on: `self.plays("name")` at the one place it lives."""
        return variant in self.variants

    def variant_settings(self) -> dict[str, Any]:
        """Target settings the variants played contribute (what such a vendor's target declares)."""
        merged: dict[str, Any] = {}
        for name in sorted(self.variants):
            variant = self.VARIANTS.get(name) or SHARED_VARIANTS.get(name)
            merged.update(variant.settings if variant else {})
        return merged

    def routes(self) -> list:
        raise NotImplementedError

    def demo_credentials(self) -> dict[str, str]:
        """Credentials a target file needs for this mock (documented in README)."""
        return {}

    def target_settings(self) -> dict[str, Any]:
        return {}

    def rate_limit(self) -> float | None:
        """Pacing the suite should use against this mock (requests/s), if any."""
        return None

    def state(self) -> dict[str, Any]:
        """What `GET /_mock/state/<api>` shows: the data held, for tests of the suite."""
        return {}

    def unlisted_method(self, method: str, template: str, allowed: list[str]) -> Response | None:
        """The answer to a method the spec does not give a path it has (the server asks before
        the mock's routes see the request): 405 with `Allow` listing the spec's methods for that
        path (RFC 9110 §15.5.6). A fault that serves such a method returns None here, and the
        mock's own routes answer."""
        return error(405, "method_not_allowed", f"{method} is not supported on {template}",
                     headers={"Allow": ", ".join(allowed)})
