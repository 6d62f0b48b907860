"""One place that keeps credentials and tokens out of everything the suite writes.

Secrets are registered as they become known (target credentials at load time, tokens as
responses carry them) and every string that leaves the process goes through `redact`.
"""

from __future__ import annotations

import html
import json
import re
import threading
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"

# Header names whose values are always credentials.
SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "key", "x-api-key", "cookie", "set-cookie", "token"}
)
# Body / query field names whose values are always credentials (compared case-insensitively).
SENSITIVE_FIELDS = frozenset(
    {
        "client_secret",
        "clientsecret",
        "access_token",
        "refresh_token",
        "token",
        "password",
        "oauth_key_secret",
        "key",
        "api_key",
        "apikey",
    }
)
# Shorter values would mask ordinary words; credentials are never this short.
MIN_SECRET_LEN = 6


class Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None

    def register(self, value: Any) -> None:
        if not isinstance(value, str) or len(value) < MIN_SECRET_LEN:
            return
        # The forms a value takes once written into JSON or HTML must be masked too.
        variants = {value, json.dumps(value)[1:-1], html.escape(value), html.escape(json.dumps(value)[1:-1])}
        with self._lock:
            new = variants - self._secrets
            if new:
                self._secrets |= new
                self._pattern = None

    def secrets(self) -> frozenset[str]:
        return frozenset(self._secrets)

    def clear(self) -> None:
        with self._lock:
            self._secrets.clear()
            self._pattern = None

    def _compiled(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._secrets:
                # Longest first so a secret containing another is masked whole.
                alts = sorted(self._secrets, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(s) for s in alts))
            return self._pattern

    def text(self, value: str) -> str:
        pattern = self._compiled()
        return pattern.sub(MASK, value) if pattern else value

    def headers(self, headers: dict[str, str] | Any) -> dict[str, str]:
        out = {}
        for name, value in dict(headers).items():
            if name.lower() in SENSITIVE_HEADERS:
                scheme = value.split(" ", 1)[0] if " " in str(value) else ""
                out[name] = f"{scheme} {MASK}".strip()
            else:
                out[name] = self.text(str(value))
        return out

    def data(self, value: Any) -> Any:
        """Mask sensitive fields in decoded JSON, then any known secret anywhere."""
        if isinstance(value, dict):
            return {
                k: (MASK if str(k).lower() in SENSITIVE_FIELDS and v not in (None, "") else self.data(v))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.data(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def body(self, raw: bytes | str | None, content_type: str | None = "") -> str:
        if raw is None:
            return ""
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        ctype = (content_type or "").lower()
        if "json" in ctype or text[:1] in "[{":
            try:
                return json.dumps(self.data(json.loads(text)), ensure_ascii=False)
            except ValueError:
                pass
        if "x-www-form-urlencoded" in ctype:
            return self.query(text)
        return self.text(text)

    def query(self, query: str) -> str:
        pairs = parse_qsl(query, keep_blank_values=True)
        masked = [(k, MASK if k.lower() in SENSITIVE_FIELDS else v) for k, v in pairs]
        return self.text(urlencode(masked, safe="*"))

    def url(self, url: str) -> str:
        parts = urlsplit(str(url))
        return self.text(urlunsplit(parts._replace(query=self.query(parts.query) if parts.query else "")))


REDACTOR = Redactor()
redact = REDACTOR.text
