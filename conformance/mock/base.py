"""What every API's mock shares: a clock that tests may move, named faults, JSON errors."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
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
    edition_of: str | None = None  # set when serving another API name (see --serve-edition)

    def __init__(self, clock: MockClock, fault: str | None = None) -> None:
        self.clock = clock
        self.fault = fault if fault in self.FAULTS else None
        self.lock = threading.RLock()

    def has(self, fault: str) -> bool:
        return self.fault == fault

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
