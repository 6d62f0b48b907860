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
        # A failed fetch is kept and re-raised, not retried: against a real tenant a broken
        # token endpoint must not be hammered (some cap tokens per day).
        self.failure: BaseException | None = None
        self.history: set[str] = set()  # every token this cache handed out

    def get(self) -> str:
        with self._lock:
            now = time.monotonic() + self._offset
            if self.failure is not None:
                raise self.failure
            if self._token is None or (self._deadline is not None and now > self._deadline):
                try:
                    grant = self._fetch()
                except Exception as exc:
                    self.failure = exc
                    raise
                REDACTOR.register(grant.token)
                self.history.add(grant.token)
                self.issued += 1
                self._token = grant.token
                self._deadline = (
                    now + max(grant.expires_in - self._margin, 1.0) if grant.expires_in else None
                )
            return self._token

    def is_stale(self, token: str) -> bool:
        """A token this cache handed out earlier and has since replaced."""
        return token in self.history and token != self._token

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
        def get(self, case: Any, ctx: Any) -> str | None:
            try:
                return cache.get()
            except Exception:  # kept in cache.failure; the test reports it as blocked
                return None

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.headers = dict(case.headers or {})
            case.headers[header] = f"{scheme} {data}" if scheme else data

    return CachedTokenAuth
