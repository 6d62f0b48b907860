"""One place that keeps credentials and tokens out of everything the suite writes.

Secrets are registered as they become known (target credentials at load time, tokens as
responses carry them) and every string that leaves the process goes through `redact`.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
from typing import Any, Iterable
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

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
# Response headers that never carry a credential (the rest of a token answer's headers are scanned).
_PLAIN_HEADERS = frozenset(
    {"content-type", "content-length", "date", "server", "cache-control", "pragma", "expires", "connection",
     "vary", "content-encoding", "transfer-encoding", "keep-alive", "www-authenticate", "retry-after", "etag",
     "last-modified", "location", "strict-transport-security", "x-content-type-options", "access-control-allow-origin"}
)
# Shorter values would mask ordinary words; credentials are never this short.
MIN_SECRET_LEN = 6


def _norm(name: Any) -> str:
    """A field name compared loosely: `accessToken`, `access-token` and `ACCESS_TOKEN` alike."""
    return re.sub(r"[_\-\s]", "", str(name)).lower()


_SENSITIVE_NORM = frozenset(_norm(f) for f in SENSITIVE_FIELDS) | {"idtoken", "bearertoken", "authtoken", "secret"}


def sensitive_field(name: Any) -> bool:
    return _norm(name) in _SENSITIVE_NORM


# Of those, the names under which a server hands out a credential: a value any answer carries
# under one becomes a secret. A bare "key" is left out: APIs use it for data (MyPreferences'
# preference attributes are Key/Value pairs, echoed back), and an echoed generated value would
# then be masked wherever it appears (a fault's name in summary.json once). A key the target
# was given is registered from the target file; a token endpoint's answer is scanned whole.
_ISSUED_NORM = _SENSITIVE_NORM - {"key"}


def issued_credential_field(name: Any) -> bool:
    return _norm(name) in _ISSUED_NORM


# Settings (not credentials) whose values are secrets all the same, e.g. `other_api_key`.
SECRET_SETTING = re.compile(r"(^|_)(api_?key|key|secret|password|credential)$", re.IGNORECASE)

_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_SPLIT = re.compile(r"[\s,;\"']+")


def looks_secret(value: Any) -> bool:
    """A value that could be an issued token: long, no spaces, letters with digits (or very long).
    Ordinary words, names, numbers, times and URLs are not."""
    if not isinstance(value, str):
        return False
    if len(value) < 12 or _SPLIT.search(value) or "://" in value or _ISO_TIME.match(value):
        return False
    letters = any(c.isalpha() for c in value)
    digits = any(c.isdigit() for c in value)
    mixed = any(c.isupper() for c in value) and any(c.islower() for c in value)
    return letters and (digits or (mixed and len(value) >= 24))


def secret_candidates(value: Any) -> list[str]:
    """The parts of a string that look like tokens (`Bearer abc...`: the `abc...`)."""
    if not isinstance(value, str):
        return []
    parts = {value.strip()} | set(_SPLIT.split(value))
    return [p for p in parts if looks_secret(p)]


class Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._credentials: set[str] = set()
        self._public: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None

    def mark_public(self, values: Any) -> None:
        """Strings known to be public (an API's documented paths): never taken for a token,
        however token-like they look ("/oauth2/token" echoed in a token endpoint's answer)."""
        with self._lock:
            self._public.update(v for v in values if isinstance(v, str))

    def register(self, value: Any) -> None:
        if not isinstance(value, str) or len(value) < MIN_SECRET_LEN or value in self._public:
            return
        # The forms a value takes once written into JSON, HTML, XML, a URL (path segment or
        # query) or a form body must be masked too.
        variants = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
                    quote(value, safe=""), quote(value), quote_plus(value)}
        variants |= {html.escape(v) for v in list(variants)} | {html.escape(v, quote=False) for v in list(variants)}
        variants = {v for v in variants if len(v) >= MIN_SECRET_LEN}
        with self._lock:
            new = variants - self._secrets
            if new:
                self._secrets |= new
                self._pattern = None

    def register_credentials(self, values: Iterable[Any]) -> None:
        """Every value of a target's credentials table, and the Basic-auth forms of their pairs."""
        values = [v for v in values if isinstance(v, str) and v]
        for value in values:
            self.register(value)
        for a in values:
            for b in values:
                if a is not b:
                    self.register(base64.b64encode(f"{a}:{b}".encode()).decode())
        with self._lock:
            self._credentials.update(v for v in values if len(v) >= MIN_SECRET_LEN)

    def carries_credential(self, text: bytes | str | None) -> bool:
        """Whether a request part (a body) holds a credential value: its answer is a token answer."""
        if not text:
            return False
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        with self._lock:
            creds = list(self._credentials)
        return any(c in text or quote_plus(c) in text for c in creds)

    def register_token_answer(self, headers: Any, body: bytes | str | None, content_type: str = "") -> None:
        """An answer of a token endpoint is a credential by nature: every secret-looking value in
        it is registered, whatever its field name or place (nested, renamed, in a header, plain text)."""
        for name, value in dict(headers or {}).items():
            if str(name).lower() in _PLAIN_HEADERS:
                continue
            for part in secret_candidates(str(value)):
                self.register(part)
        if body is None:
            return
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        try:
            data: Any = json.loads(text)
        except ValueError:
            if "=" in text and not _SPLIT.search(text.strip()):
                data = [v for _, v in parse_qsl(text.strip(), keep_blank_values=True)]
            else:
                data = text
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for key, value in item.items():
                    if sensitive_field(key) and isinstance(value, str):
                        self.register(value)
                    stack.append(value)
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str):
                for part in secret_candidates(item):
                    self.register(part)

    def secrets(self) -> frozenset[str]:
        return frozenset(self._secrets)

    def clear(self) -> None:
        with self._lock:
            self._secrets.clear()
            self._credentials.clear()
            self._public.clear()
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
                k: (MASK if sensitive_field(k) and v not in (None, "") else self.data(v))
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
        masked = [(k, MASK if sensitive_field(k) else v) for k, v in pairs]
        return self.text(urlencode(masked, safe="*"))

    def url(self, url: str) -> str:
        parts = urlsplit(str(url))
        return self.text(urlunsplit(parts._replace(query=self.query(parts.query) if parts.query else "")))


REDACTOR = Redactor()
redact = REDACTOR.text
