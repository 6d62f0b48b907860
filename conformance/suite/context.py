"""The object a conformance test works with: one API on one target."""

from __future__ import annotations

import contextlib
import contextvars
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

import httpx
import jsonschema
import pytest

from conformance import catalogue, specs
from conformance.auth import Grant, TokenCache
from conformance.http import CURRENT_RECORDER, ApiClient, Recorder
from conformance.redact import REDACTOR
from conformance.suite.outcome import RequirementFailure
from conformance.target import CAPABILITIES, ApiTarget

_UNSET: Any = object()
READS_IN_FLIGHT = 4  # api.call_each: independent reads sent side by side
STATE = pytest.StashKey[Any]()  # the API's own typed state (ApiInfo.state), one per run


@dataclass
class RunInfo:
    """Facts of the whole run, set by the runner, read by fixtures and the report."""

    profile: str = "quick"
    seed: int = 0
    max_examples: int | None = None  # a cap on the profile's generated examples (a smoke run)
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    worker: str = ""  # "w1", "w2", ... in a run with workers: each owns (and cleans up) its own data
    workers: int = 1  # processes that ran the tests (--workers N)
    pacing_file: str | None = None  # the limiter file the workers share (conformance.pacing)

    @property
    def prefix(self) -> str:
        """Every piece of data the suite creates on a target starts with this."""
        return f"cfx{self.run_id}{self.worker}"


class Leftovers(Exception):
    """Raised by a cleanup action that could not remove everything: names each item left."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(f"{len(items)} item(s) left on the target: {'; '.join(items)}")
        self.items = list(items)


class ApiContext:
    def __init__(self, target: ApiTarget, run: RunInfo, default_rate: float | None = None,
                 state: Callable[[], Any] | None = None) -> None:
        self.name = target.name
        self.target = target
        self.run = run
        self.spec = specs.load_spec(target.name)
        self.spec_settings = specs.settings(target.name)
        # The spec's paths are public: an answer echoing one is no token to mask.
        REDACTOR.mark_public({p for path in self.spec.get("paths", {}) for p in (path, *path.split("/"))})
        self.stash = pytest.Stash()
        if state is not None:
            self.stash[STATE] = state()
        # What every call to the API carries unless a test says otherwise; the API's setup sets
        # them: path parameters (an account id from the target's settings) and auth headers.
        self.path_defaults: Callable[[], Mapping[str, Any]] | Mapping[str, Any] = {}
        self.auth_headers: Callable[[], Mapping[str, str]] | None = None
        self._routes: list[tuple[re.Pattern, str, str, int]] | None = None
        self.requirements = {r.id: r for r in catalogue.load(target.name)}
        rate = target.rate_limit or default_rate
        self.client = ApiClient(target.name, target.base_url, rate=rate,
                                shared_pacing=Path(run.pacing_file) if run.pacing_file else None)
        self._control = httpx.Client(timeout=10) if target.mock_control else None
        self.tokens: TokenCache | None = None
        self._clock_seen = 0.0  # how far this process knows the API's mock clock was moved
        self._counter = 0
        self.cleanups: list[tuple[str, Callable[[], Any]]] = []
        # Failures property tests found in the running test: requirement id -> (message, evidence).
        self.contract_failures: dict[str, tuple[str, list]] = {}
        # Status classes ("2xx", "4xx", ...) of the answers to property-based requests.
        self.contract_answers: Counter[str] = Counter()
        self.tokens_before_disruptive: int | None = None  # set when the first disruptive test starts

    # --- target facts ------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self.target.base_url

    def credential(self, key: str) -> str:
        return self.target.credentials[key]

    def setting(self, key: str, default: Any = _UNSET) -> Any:
        """The target's value of a setting, else the spec's `x-settings` default."""
        if key in self.target.settings:
            return self.target.settings[key]
        if default is not _UNSET:
            return default
        if key in self.spec_settings:
            return self.spec_settings[key].get("default")
        return None

    @property
    def state(self) -> Any:
        """The API's typed state for this run (the class its ApiInfo names)."""
        return self.stash[STATE]

    def supports(self, ability: str) -> bool:
        return ability in self.target.supports

    def need(self, ability: str) -> None:
        """Skip (blocking sign-off) when the target lacks a mock-only ability."""
        if not self.supports(ability):
            pytest.skip(f"needs target ability {ability!r} ({CAPABILITIES[ability]}), which this target does not declare")

    # --- data ------------------------------------------------------------------------------------
    def unique(self, label: str = "id") -> str:
        """A run-unique identifier for data the suite creates (user ids, profiles)."""
        self._counter += 1
        return f"{self.run.prefix}-{label}-{self._counter:04d}"

    def on_cleanup(self, description: str, action: Callable[[], Any]) -> None:
        self.cleanups.append((description, action))

    def cleanup(self) -> list[str]:
        problems = []
        while self.cleanups:
            description, action = self.cleanups.pop()
            try:
                action()
            except Leftovers as exc:  # one line per item the target still holds
                problems += [f"{description}: left on the target: {REDACTOR.text(item)}" for item in exc.items]
            except Exception as exc:  # cleanup must go on: report, never raise
                problems.append(f"{description}: {REDACTOR.text(str(exc))}")
        return problems

    # --- time -----------------------------------------------------------------------------------
    def pass_time(self, seconds: float) -> None:
        """Let time pass on the target: move the mock's clock, or really wait."""
        if self.supports("mock-clock"):
            response = self._control.post(f"{self.target.mock_control}/clock", json={"advance": seconds, "api": self.name})
            response.raise_for_status()
            self._clock_seen += seconds
        else:
            time.sleep(seconds)
        if self.tokens is not None:
            self.tokens.advance(seconds)

    def sync_clock(self) -> None:
        """With workers, another process's disruptive test may have moved this API's mock clock:
        the token cache learns how far, as if this process had moved it."""
        if not self.supports("mock-clock") or self._control is None:
            return
        response = self._control.get(f"{self.target.mock_control}/clock")
        response.raise_for_status()
        offset = float((response.json().get(self.name) or {}).get("offset", 0.0))
        if offset > self._clock_seen:
            if self.tokens is not None:
                self.tokens.advance(offset - self._clock_seen)
            self._clock_seen = offset

    def mock_state(self) -> dict[str, Any]:
        self.need("mock-inspect")
        response = self._control.get(f"{self.target.mock_control}/state/{self.name}")
        response.raise_for_status()
        return response.json()

    # --- tokens ----------------------------------------------------------------------------------
    def use_token_fetcher(self, fetch: Callable[[], Grant]) -> TokenCache:
        self.tokens = TokenCache(fetch)
        return self.tokens

    # --- calling operations ------------------------------------------------------------------
    def path_of(self, operation_id: str) -> tuple[str, str]:
        """(METHOD, path template) of an operation, the path as the target's settings aim it."""
        try:
            method, path = specs.operations(self.spec)[operation_id]
        except KeyError:
            raise KeyError(f"{self.name}: no operation {operation_id!r} in the spec") from None
        name = self.spec["paths"][path].get("x-setting")
        return method, (str(self.setting(name)) if name else path)

    def url_of(self, operation_id: str, **path: Any) -> str:
        """The operation's path with its parameters filled (defaults from the API's setup)."""
        _, template = self.path_of(operation_id)
        defaults = self.path_defaults() if callable(self.path_defaults) else self.path_defaults
        values = {**defaults, **path}

        def fill(match: re.Match) -> str:
            name = match.group(1)
            if name not in values:
                raise KeyError(f"{operation_id}: no value for path parameter {name!r}")
            return str(values[name])

        return re.sub(r"\{([^}]+)\}", fill, template)

    def call(self, operation_id: str, *, params: Any = None, json: Any = _UNSET, content: Any = None,
             data: Any = None, headers: Mapping[str, str] | None = None, auth: bool = True,
             **path: Any) -> httpx.Response:
        """Send one request to an operation named by its operationId. The API's auth headers
        are added unless `auth=False`; `headers` add to or replace them."""
        method, _ = self.path_of(operation_id)
        sent: dict[str, str] = dict(self.auth_headers()) if auth and self.auth_headers else {}
        sent.update(headers or {})
        kwargs: dict[str, Any] = {"headers": sent}
        if params is not None:
            kwargs["params"] = params
        if json is not _UNSET:
            kwargs["json"] = json
        if content is not None:
            kwargs["content"] = content
            if not any(k.lower() == "content-type" for k in sent):
                sent["Content-Type"] = "application/json"
        if data is not None:
            kwargs["data"] = data
        return self.client.request(method, self.url_of(operation_id, **path), **kwargs)

    def call_each(self, operation_id: str, calls: list[Mapping[str, Any]], *,
                  concurrency: int = READS_IN_FLIGHT, paced: bool = True) -> Iterator[httpx.Response]:
        """Independent reads of one operation (each `calls` item: `call`'s keyword arguments),
        sent up to `concurrency` at a time, their answers yielded in the order given.

        Over a network each request waits out the round trip; a test judging 14 resources
        one after the other waits 14 of them. Every request is still paced by the API's shared
        rate limit. An answer joins the test's evidence when it is yielded, so a failure judged
        at answer k shows what a sequential test would: the exchanges up to k. Only for calls
        with no effect on each other (reads of data the test does not change meanwhile, the
        cleanup's deletes of distinct items). `paced=False`: for a limit test, which must exceed
        the rate on purpose (client.unpaced, in each sending thread)."""
        if concurrency <= 1 or len(calls) <= 1:
            for kwargs in calls:
                with contextlib.nullcontext() if paced else self.client.unpaced():
                    answer = self.call(operation_id, **kwargs)
                yield answer
            return
        outer = CURRENT_RECORDER.get()

        def send(kwargs: Mapping[str, Any]) -> tuple[Recorder, httpx.Response | BaseException]:
            own = Recorder()
            CURRENT_RECORDER.set(own)  # runs in a copy of the test's context: its own recorder
            try:
                with contextlib.nullcontext() if paced else self.client.unpaced():  # per thread
                    return own, self.call(operation_id, **kwargs)
            except BaseException as exc:  # raised where the test reads this answer
                return own, exc

        # Never more than `concurrency` ahead of the test: a failure judged at answer k leaves at most
        # that many in flight, even when the test's traceback keeps this generator from being closed.
        pool = ThreadPoolExecutor(max_workers=min(concurrency, len(calls)), thread_name_prefix=f"{self.name}-reads")
        submit = lambda kwargs: pool.submit(contextvars.copy_context().run, send, kwargs)  # noqa: E731
        futures = [submit(kwargs) for kwargs in calls[:concurrency]]
        try:
            for k in range(len(calls)):
                if k + concurrency < len(calls):
                    futures.append(submit(calls[k + concurrency]))
                own, answer = futures[k].result()
                if outer is not None:
                    for exchange in own.exchanges:
                        outer.add(exchange)
                if isinstance(answer, BaseException):
                    raise answer
                yield answer
        finally:  # a failure judged (or an error) at answer k: what is not sent yet is not sent
            for future in futures:
                future.cancel()
            pool.shutdown(wait=False)

    def operation_of(self, request: httpx.Request) -> tuple[str, str]:
        """(METHOD, path template) of the spec operation a request was sent to."""
        if self._routes is None:
            self._routes = []
            for op_id in specs.operations(self.spec):
                method, template = self.path_of(op_id)
                spec_path = specs.operations(self.spec)[op_id][1]
                pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template.rstrip("/"))) + "/?$")
                literal = len(re.sub(r"\{[^}]+\}", "", template))
                self._routes.append((pattern, method, spec_path, literal))
            self._routes.sort(key=lambda route: -route[3])  # /Profile/AlternateId before /Profile/{id}
        base = httpx.URL(self.base_url).path.rstrip("/")
        path = request.url.path
        path = path[len(base):] if base and path.startswith(base) else path
        for pattern, method, spec_path, _ in self._routes:
            if method == request.method and pattern.match(path):
                return method, spec_path
        raise LookupError(f"{request.method} {path} is no operation of the {self.name} spec")

    # --- checking responses against the spec ----------------------------------------------------
    def operation(self, method: str, path: str) -> dict[str, Any]:
        return self.spec["paths"][path][method.lower()]

    def response_spec(self, method: str, path: str, status: int) -> dict[str, Any] | None:
        responses = self.operation(method, path).get("responses", {})
        spec = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        if spec and "$ref" in spec:
            spec = self.resolve(spec["$ref"])
        return spec

    def resolve(self, ref: str) -> Any:
        node: Any = self.spec
        for part in ref.lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def conforms(self, response: httpx.Response, *, status: Any = None, ids: Any = None,
                 operation: str | None = None) -> Any:
        """Check a response against the spec operation its request was sent to (status
        documented, JSON, schema) and, when given, the expected status (an int, a tuple of ints,
        "2xx" or "4xx"). Judges the running test's rows unless `ids` names one. Returns the body."""
        __tracebackhide__ = True
        if operation is not None:  # a request sent outside api.call (a deliberately odd URL)
            method, path = specs.operations(self.spec)[operation]
        else:
            method, path = self.operation_of(response.request)
        code = response.status_code
        where = f"{method} {path} answered {code}"
        if status is not None:
            ok = (
                (400 <= code < 500) if status == "4xx" else
                (200 <= code < 300) if status == "2xx" else
                code in status if isinstance(status, tuple) else code == status
            )
            if not ok:
                raise RequirementFailure(ids, f"{where}; expected {status}. Body: {REDACTOR.text(response.text[:300])}")
        documented = self.response_spec(method, path, code)
        if documented is None:
            raise RequirementFailure(ids, f"{where}, a status the spec does not document for this operation")
        content = documented.get("content")
        if not content:
            return None
        ctype = response.headers.get("content-type", "")
        media = next((m for m in content if ctype.split(";")[0].strip() == m), None)
        if media is None:
            raise RequirementFailure(ids, f"{where} with Content-Type {ctype!r}; documented: {', '.join(content)}")
        try:
            body = response.json()
        except ValueError:
            raise RequirementFailure(ids, f"{where} with a body that is not JSON: {REDACTOR.text(response.text[:200])}")
        schema = content[media].get("schema")
        if schema:
            self.validate(body, schema, ids, where)
        return body

    def validate(self, instance: Any, schema: dict[str, Any], ids, where: str = "") -> None:
        __tracebackhide__ = True
        resolver_schema = dict(schema)
        resolver_schema.setdefault("components", self.spec.get("components", {}))
        validator = jsonschema.Draft202012Validator(resolver_schema)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            first = errors[0]
            location = "/".join(str(p) for p in first.path) or "(root)"
            raise RequirementFailure(
                ids, f"{where}: body does not match the spec at {location}: {REDACTOR.text(first.message)}"
            )

    def close(self) -> None:
        self.client.close()
        if self._control:
            self._control.close()
