"""The HTTP client every test uses: pacing under the documented rate, a record of the
exchanges of the current test (the evidence a failure shows), and redaction on the way out.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import re
import shlex
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Iterator

import httpx

from conformance.errors import TargetUnreachable
from conformance.pacing import Pacer
from conformance.redact import REDACTOR, issued_credential_field

MAX_BODY = 4000
# A paced request the target answers 429 is sent again after the Retry-After it gives, when that
# is this short, at most RESEND_429 times: the suite was under the rate it was given, so the 429
# is about the target's limit, which its limit tests judge (unpaced), not about this request.
RESEND_WITHIN_S = 5.0
RESEND_429 = 2


def retry_after(response: httpx.Response) -> float | None:
    """Seconds a 429/503 asks the client to wait: delay-seconds or an HTTP-date (RFC 9110
    §10.2.3); None without the header. ValueError when it is neither."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        try:
            return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            raise ValueError(f"Retry-After {value!r} is neither seconds nor an HTTP date") from None


@dataclass
class Exchange:
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes
    status: int | None
    response_headers: dict[str, str]
    response_body: bytes
    elapsed_ms: float

    def redacted(self) -> dict[str, Any]:
        req_ct = self.request_headers.get("content-type", "")
        resp_ct = self.response_headers.get("content-type", "")
        return {
            "request": {
                "method": self.method,
                "url": REDACTOR.url(self.url),
                "headers": REDACTOR.headers(self.request_headers),
                "body": _clip(REDACTOR.body(self.request_body, req_ct)),
            },
            "response": {
                "status": self.status,
                "headers": REDACTOR.headers(self.response_headers),
                "body": _clip(REDACTOR.body(self.response_body, resp_ct)),
            },
            "elapsed_ms": round(self.elapsed_ms, 1),
            "curl": self.curl(),
        }

    def curl(self) -> str:
        """A copy-pasteable reproduction; credentials stay masked."""
        parts = ["curl", "-i", "-X", self.method, REDACTOR.url(self.url)]
        for name, value in REDACTOR.headers(self.request_headers).items():
            if name.lower() in ("host", "content-length", "accept-encoding", "connection", "user-agent", "accept"):
                continue
            parts += ["-H", f"{name}: {value}"]
        if self.request_body:
            parts += ["--data-raw", REDACTOR.body(self.request_body, self.request_headers.get("content-type", ""))]
        return " ".join(shlex.quote(p) for p in parts)

    def text(self) -> str:
        r = self.redacted()
        req, resp = r["request"], r["response"]
        lines = [f"> {req['method']} {req['url']}"]
        lines += [f"> {k}: {v}" for k, v in req["headers"].items()]
        if req["body"]:
            lines.append(f"> {req['body']}")
        lines.append(f"< {resp['status']}")
        lines += [f"< {k}: {v}" for k, v in resp["headers"].items()]
        if resp["body"]:
            lines.append(f"< {resp['body']}")
        return "\n".join(lines)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_BODY else text[:MAX_BODY] + f"... ({len(text)} chars)"


class Recorder:
    """The last exchanges of one test: what a failure shows as evidence."""

    def __init__(self, keep: int = 12) -> None:
        self.exchanges: deque[Exchange] = deque(maxlen=keep)
        self.count = 0

    def add(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)
        self.count += 1


CURRENT_RECORDER: contextvars.ContextVar[Recorder | None] = contextvars.ContextVar("recorder", default=None)
# Off in the disruptive tests (the plugin): every 429 they draw is what they judge, and waiting one
# out would let a limit that outlasts its Retry-After pass unseen.
RESENDS_429: contextvars.ContextVar[bool] = contextvars.ContextVar("resends_429", default=True)


# Path segments of token endpoints (/oauth2/token, /secureApi/token/profile/create, ...); whole
# segments only, so that a run-owned id such as `cfx…-token-0001` is not one.
_TOKEN_SEGMENT = re.compile(r"^(o?auth2?|oath2|(access[_-]?|get|new[_-]?)?tokens?)$", re.IGNORECASE)


def is_token_exchange(request: httpx.Request, token_paths: set[str] | frozenset[str] = frozenset()) -> bool:
    """A request to a token endpoint: a path the suite declared, a path naming tokens or OAuth,
    or a body carrying a credential (client_secret & co.). Its answer is a credential by nature."""
    path = request.url.path
    if any(path.endswith(p) for p in token_paths if p):
        return True
    if any(_TOKEN_SEGMENT.match(segment) for segment in path.split("/") if segment):
        return True
    try:
        content = request.content
    except httpx.RequestNotRead:
        content = b""
    return REDACTOR.carries_credential(content) or REDACTOR.carries_credential(request.url.query)


def _register_tokens(body: bytes, content_type: str, *, token_answer: bool = False,
                     headers: Any = None) -> bool:
    """Any credential a response carries (issued tokens) becomes a secret to mask: by field name
    in every answer; every secret-looking value of a token endpoint's answer, whatever its name.
    True when the body's top level carries a token (counted: a tenant may cap tokens a day)."""
    if token_answer:
        REDACTOR.register_token_answer(headers, body, content_type)
    if "json" not in content_type:
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False
    top_level = isinstance(data, dict) and any(k in data for k in ("access_token", "token"))
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if issued_credential_field(key):
                    REDACTOR.register(value)
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return top_level


class ApiClient:
    def __init__(self, api: str, base_url: str, *, rate: float | None = None, timeout: float = 15.0,
                 shared_pacing: Path | None = None) -> None:
        self.api = api
        self.base_url = base_url.rstrip("/")
        # shared_pacing: the run's limiter file when workers send side by side (conformance.pacing)
        self.pacer = Pacer(rate, api=api, shared=shared_pacing)
        self._paced = threading.local()
        self.requests_sent = 0
        self.resent_after_429 = 0  # paced requests the target limited and the suite sent again (RESEND_429)
        self.tokens_received = 0  # 2xx responses that carried a token
        # Called with every response: an API's suite uses it to note what the run created
        # (property tests too) so that it can all be deleted at the end.
        self.response_hooks: list = []
        # Paths of token endpoints (besides those naming tokens): every secret-looking value of
        # their answers is masked, whatever its field name (an API's suite adds its own).
        self.token_paths: set[str] = set()
        limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
        # TCP_NODELAY: without it a body sent apart from its headers waits out delayed ACKs (~40 ms).
        transport = httpx.HTTPTransport(limits=limits, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self._http = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)

    def close(self) -> None:
        self._http.close()

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    @contextlib.contextmanager
    def unpaced(self) -> Iterator[None]:
        """For the rate-limit tests, which must exceed the rate on purpose."""
        self._paced.off = True
        try:
            yield
        finally:
            self._paced.off = False

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        paced = not getattr(self._paced, "off", False)
        for attempt in range(RESEND_429 + 1):
            if paced:
                self.pacer.wait()
            response = self._send(method, path, **kwargs)
            if not paced or response.status_code != 429 or attempt == RESEND_429 or not RESENDS_429.get():
                return response
            try:
                wait = retry_after(response)
            except ValueError:
                return response  # the limit tests judge a malformed Retry-After
            if wait is None or wait > RESEND_WITHIN_S:
                return response  # no time given, or not worth waiting for (a daily budget)
            self.resent_after_429 += 1  # a count for the report (call_each threads may race on it)
            time.sleep(wait)
        return response

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        url = self.url(path)
        started = time.perf_counter()
        try:
            response = self._http.request(method, url, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise TargetUnreachable(f"{self.api}: cannot reach {REDACTOR.url(self.base_url)}: {REDACTOR.text(str(exc))}") from None
        except httpx.TimeoutException as exc:
            raise TargetUnreachable(f"{self.api}: {method} {REDACTOR.url(url)} timed out: {REDACTOR.text(str(exc))}") from None
        except httpx.LocalProtocolError:
            raise  # the request itself cannot be put on the wire (generated data): not the target's fault
        except httpx.TransportError as exc:
            raise TargetUnreachable(f"{self.api}: {method} {REDACTOR.url(url)} failed: {REDACTOR.text(str(exc))}") from None
        self.requests_sent += 1
        elapsed = (time.perf_counter() - started) * 1000
        body = response.content
        token_answer = is_token_exchange(response.request, self.token_paths)
        if _register_tokens(body, response.headers.get("content-type", ""), token_answer=token_answer,
                            headers=response.headers) and response.is_success:
            self.tokens_received += 1
        for hook in self.response_hooks:
            hook(response)
        recorder = CURRENT_RECORDER.get()
        if recorder is not None:
            request = response.request
            recorder.add(
                Exchange(
                    method=request.method,
                    url=str(request.url),
                    request_headers={k.lower(): v for k, v in request.headers.items()},
                    request_body=request.content,
                    status=response.status_code,
                    response_headers={k.lower(): v for k, v in response.headers.items()},
                    response_body=body,
                    elapsed_ms=elapsed,
                )
            )
        return response

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("PUT", path, **kw)

    def patch(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, **kw)

    def send_case(self, case: Any) -> httpx.Response:
        """Send a schemathesis case through this client (pacing, evidence, redaction)."""
        kw = case.as_transport_kwargs(base_url=self.base_url)
        method = kw.pop("method")
        url = kw.pop("url")
        allowed = {k: kw[k] for k in ("headers", "params", "json", "data", "content", "cookies", "files") if k in kw}
        if "cookies" in allowed and not allowed["cookies"]:
            allowed.pop("cookies")
        try:
            return self.request(method, url, **allowed)
        except httpx.LocalProtocolError:
            # A generated case HTTP/1.1 cannot carry (e.g. a header h11 refuses): no server ever
            # sees it, so it tests nothing; hypothesis draws another.
            from hypothesis import reject

            reject()
