"""Tokens: fetched once per API and reused until they near expiry, counted for the report.

Against a real tenant the suite must not burn through a daily token quota, so every test asks
the cache, and only the auth tests that are about issuing tokens call the token endpoint.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from conformance.redact import REDACTOR


@dataclass
class Grant:
    token: str
    expires_in: float | None = None  # seconds, as the server said; None: no stated expiry


class TokenCache:
    def __init__(self, fetch: Callable[[], Grant], margin: float = 60.0) -> None:
        self._fetch = fetch
        self._margin = margin
        self._lock = threading.Lock()
        self._token: str | None = None
        self._deadline: float | None = None
        self.issued = 0  # tokens this cache asked the target for
        self._offset = 0.0  # time the target's clock was moved forward (mock clock)

    def get(self) -> str:
        with self._lock:
            now = time.monotonic() + self._offset
            if self._token is None or (self._deadline is not None and now > self._deadline):
                grant = self._fetch()
                REDACTOR.register(grant.token)
                self.issued += 1
                self._token = grant.token
                self._deadline = (
                    now + max(grant.expires_in - self._margin, 1.0) if grant.expires_in else None
                )
            return self._token

    def advance(self, seconds: float) -> None:
        """The target's clock moved: a cached token may have expired with it."""
        with self._lock:
            self._offset += seconds

    def invalidate(self) -> None:
        with self._lock:
            self._token = None


def bearer_provider(cache: TokenCache, header: str = "Authorization", scheme: str = "Bearer") -> type:
    """A schemathesis auth provider class (instantiated without arguments) over `cache`."""

    class CachedTokenAuth:
        def get(self, case: Any, ctx: Any) -> str:
            return cache.get()

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.headers = dict(case.headers or {})
            case.headers[header] = f"{scheme} {data}" if scheme else data

    return CachedTokenAuth
