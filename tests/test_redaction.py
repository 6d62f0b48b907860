"""No credential in anything a run writes, wherever it travels (issue 12, item 6).

A vendor whose credentials are canaries: a separately started mock (`conformance mock
--write-target`) behind `CanaryProxy`, which plays a server holding the canary values. It
swaps each canary for the mock's demo value on the way in (URL path, query, headers, body)
and back on the way out, so the suite only ever holds canaries, exactly as it would hold a real
tenant's secrets. The target file reads every canary through `env:` (the path CI uses).

Then everything the run wrote (the report directory, stdout, stderr) is searched for every
canary, every demo value, the Basic-auth forms of the credential pairs, and every token the
mock issued, on passing and failing runs, including faults that rename the token field or
move the token out of the body.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import threading
import tomllib
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import tomli_w

from conformance.redact import SECRET_SETTING
from tests.helpers import Run, conformance, separate_mock

HOP = {"connection", "keep-alive", "transfer-encoding", "host", "content-length", "proxy-connection", "te",
       "upgrade", "date", "server"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the rate-limit bursts open many connections at once


class CanaryProxy:
    """Forwards to the mock, translating canary <-> demo credential values both ways."""

    def __init__(self, upstream_port: int, canaries: dict[str, str]) -> None:
        self.to_demo = sorted(canaries.items(), key=lambda kv: -len(kv[0]))
        self.to_canary = sorted(((d, c) for c, d in canaries.items()), key=lambda kv: -len(kv[0]))
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes: without NODELAY the body waits out the
                # client's delayed ACK (~40 ms an answer, minutes over a run).
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = proxy.swap(self.rfile.read(length), proxy.to_demo) if length else b""
                headers = {k: proxy.swap_text(v, proxy.to_demo) for k, v in self.headers.items()
                           if k.lower() not in HOP}
                if body or self.command in ("POST", "PUT", "PATCH"):
                    headers["Content-Length"] = str(len(body))
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
                try:
                    upstream.request(self.command, proxy.swap_text(self.path, proxy.to_demo), body=body or None,
                                     headers=headers)
                    answer = upstream.getresponse()
                    data = proxy.swap(answer.read(), proxy.to_canary)
                    self.send_response(answer.status)
                    for name, value in answer.getheaders():
                        if name.lower() not in HOP:
                            self.send_header(name, proxy.swap_text(value, proxy.to_canary))
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                finally:
                    upstream.close()

            def __getattr__(self, name: str):
                if name.startswith("do_"):  # every method, TRACE and made-up ones included
                    return self._forward
                raise AttributeError(name)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @staticmethod
    def swap_text(text: str, pairs) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    @staticmethod
    def swap(data: bytes, pairs) -> bytes:
        for old, new in pairs:
            data = data.replace(old.encode(), new.encode())
        return data

    def __enter__(self) -> "CanaryProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


mock = separate_mock  # a target the suite did not start


def canary_target(mock_target: Path):
    """The mock's target file with every credential (and secret-named setting) a canary read
    through env:, and base URLs aimed at the proxy. Returns (path, env, canary -> demo)."""
    data = tomllib.loads(mock_target.read_text())
    env: dict[str, str] = {}
    canaries: dict[str, str] = {}
    for index, (name, api) in enumerate(sorted(data["apis"].items())):
        for key, demo in list(api.get("credentials", {}).items()):
            canary = f"cfxcanary{index}{key.replace('_', '')}{uuid.uuid4().hex[:12]}"
            var = f"CFX_CANARY_{index}_{key.upper()}"
            env[var] = canary
            canaries[canary] = demo
            api["credentials"][key] = f"env:{var}"
        for key, value in list(api.get("settings", {}).items()):
            if SECRET_SETTING.search(key) and isinstance(value, str):
                canary = f"cfxcanary{index}set{uuid.uuid4().hex[:12]}"
                canaries[canary] = value
                api["settings"][key] = canary
    return data, env, canaries


def secrets_of(canaries: dict[str, str], tokens: list[str]) -> set[str]:
    values = set(canaries) | set(canaries.values()) | set(tokens)
    pairs = {base64.b64encode(f"{a}:{b}".encode()).decode() for a in canaries for b in canaries if a != b}
    return values | pairs


def run_through_proxy(tmp_path: Path, mock_args: list[str], run_args: list[str]):
    """A run against the mock started with `mock_args`, behind the canary proxy."""
    with mock(tmp_path, *mock_args) as (mock_target, port):
        data, env, canaries = canary_target(mock_target)
        with CanaryProxy(port, canaries) as proxy:
            for api in data["apis"].values():
                api["base_url"] = api["base_url"].replace(f":{port}/", f":{proxy.port}/")
            target = tmp_path / "canary-target.toml"
            target.write_text(tomli_w.dumps(data))
            report_dir = tmp_path / "report"
            done = conformance("run", "--target", str(target), "--report-dir", str(report_dir), "--seed", "7",
                               *run_args, env=env)
            tokens: list[str] = []
            for name in data["apis"]:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock/state/{name}") as response:
                    tokens += json.load(response).get("tokens", [])
    return Run(done.returncode, done.stdout, done.stderr, report_dir), canaries, tokens


def leaks(run: Run, secrets: set[str]) -> dict[str, dict[str, int]]:
    written = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in run.report_dir.rglob("*") if p.is_file()}
    assert {"report.html", "summary.json", "junit.xml"} <= set(written), sorted(written)
    written["stdout"], written["stderr"] = run.stdout, run.stderr
    found: dict[str, dict[str, int]] = {}
    for secret in secrets:
        counts = {where: text.count(secret) for where, text in written.items() if secret in text}
        if counts:
            found[secret[:6] + "…"] = counts
    return found


# (mock arguments, run arguments, expected exit code)
CASES = {
    # Passing runs of every API, every credential a canary.
    "pc-passing": (["--api", "profile-command", "--api", "profile-command-legacy"], [], 0),
    "b2b-mp-imi-passing": (["--api", "customer-profile-b2b", "--api", "mypreferences", "--api", "imiconnect-profile"],
                           [], 0),
    # The api_key travels in the URL path; failure evidence shows URLs and curl lines.
    "pc-no-429": (["--api", "profile-command", "--fault", "no-429"], ["--api", "profile-command"], 1),
    # The token under a field name the suite does not expect, or out of the body altogether.
    "pc-token-field-renamed": (["--api", "profile-command", "--fault", "token-field-renamed"],
                               ["--api", "profile-command"], 1),
    "pc-token-moved-to-header": (["--api", "profile-command", "--fault", "token-moved-to-header"],
                                 ["--api", "profile-command"], 1),
    "b2b-token-field-renamed": (["--api", "customer-profile-b2b", "--fault", "b2b-token-field-renamed"],
                                ["--api", "customer-profile-b2b"], 1),
    # Failures whose evidence carries the static credential headers.
    "mp-update-creates": (["--api", "mypreferences", "--fault", "mp-update-creates"], ["--api", "mypreferences"], 1),
    "imi-update-unknown-creates": (["--api", "imiconnect-profile", "--fault", "imi-update-unknown-creates"],
                                   ["--api", "imiconnect-profile"], 1),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_no_credential_or_token_in_anything_the_run_writes(tmp_path, case):
    mock_args, run_args, code = CASES[case]
    run, canaries, tokens = run_through_proxy(tmp_path, mock_args, run_args)
    assert run.code == code, run.stdout[-3000:] + run.stderr[-2000:]
    if case.startswith(("pc-", "b2b-")):
        assert tokens, "the mock issued no token: the run did not get as far as the token endpoint"
    found = leaks(run, secrets_of(canaries, tokens))
    assert not found, f"secrets written by the run: {found}"
    # The canaries were really used: the run reached the target with them.
    assert canaries and os.path.getsize(run.report_dir / "summary.json") > 0


def test_embedded_mock_registers_its_credentials(tmp_path):
    """The failing run of the issue: against the embedded mock, the api_key (in the URL path of
    every opt-out) is written 0 times."""
    report_dir = tmp_path / "report"
    done = conformance("run", "--api", "profile-command", "--mock-fault", "no-429", "--report-dir", str(report_dir),
                       "--seed", "7")
    run = Run(done.returncode, done.stdout, done.stderr, report_dir)
    # Failing (exit 1) unless a loaded machine kept the burst under the rate (the limit rows skip).
    assert run.code in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
    assert "/***/optOut/" in (report_dir / "summary.json").read_text()  # the evidence is there, masked
    secrets = {"pc-demo-site-4b1d", "pc-demo-secret-7f3a9c2e51", "pc-demo-client"}
    assert not leaks(run, secrets)


def test_token_answer_values_are_masked_whatever_their_name():
    """Unit level: a token endpoint's answer registers every secret-looking value (nested,
    renamed, in a header, behind a scheme) and leaves ordinary words, times and numbers alone."""
    from conformance.redact import Redactor

    r = Redactor()
    body = json.dumps({"result": {"jwt": "eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl"}, "token_type": "bearer",
                       "expires_in": 3600, "scope": "optOut", "issued": "2026-12-01T23:00:00Z",
                       "resources": ["customerAttributes", "basic"], "auth": "Bearer Zk9vYmFyQmF6UXV4MTIz"})
    r.register_token_answer({"X-Session": "sess_8f14e45fceea167a5a36dedd4bea2543", "Date": "Tue, 01 Dec 2026"}, body)
    text = r.text(body + " sess_8f14e45fceea167a5a36dedd4bea2543")
    assert "eyJhbGciOi" not in text and "Zk9vYmFyQmF6UXV4MTIz" not in text and "sess_8f14" not in text
    for ordinary in ("bearer", "optOut", "2026-12-01T23:00:00Z", "customerAttributes", "basic", "3600"):
        assert ordinary in text, ordinary
    # Credentials: every form they take on the wire (URL path, form body, Basic auth).
    r.register_credentials(["client-a/b+c", "s3cr3t value"])
    wire = "/x/client-a%2Fb%2Bc/y client_secret=s3cr3t+value " + base64.b64encode(b"client-a/b+c:s3cr3t value").decode()
    masked = r.text(wire)
    assert "client-a" not in masked and "s3cr3t" not in masked and base64.b64encode(b"client-a").decode()[:8] not in masked


def test_a_documented_path_in_a_token_answer_stays_readable():
    """A token endpoint echoing its own path ("/oauth2/token" looks token-like: letters and a
    digit) masked that path in every report; spec paths are public (ApiContext marks them)."""
    from conformance.redact import Redactor

    r = Redactor()
    r.mark_public(["/oauth2/token", "oauth2"])
    r.register_token_answer({}, json.dumps({"path": "/oauth2/token", "access_token": "Zk9vYmFyQmF6UXV4MTIz"}))
    text = r.text("POST /oauth2/token -> Zk9vYmFyQmF6UXV4MTIz")
    assert text == "POST /oauth2/token -> ***"


def test_a_data_field_named_key_in_an_answer_is_no_secret():
    """MyPreferences echoes preference attributes as Key/Value pairs: a generated Key (hypothesis
    draws strings from the code's constants, a fault's name once) must not become a secret masked
    everywhere; a token an answer hands out still does."""
    from conformance.http import _register_tokens
    from conformance.redact import REDACTOR

    _register_tokens(b'{"PreferenceAttributes": [{"Key": "cfx-data-key-7c1e", "Value": "v"}]}', "application/json")
    assert REDACTOR.text("fault cfx-data-key-7c1e") == "fault cfx-data-key-7c1e"
    _register_tokens(b'{"access_token": "cfx-issued-token-5d2a9e"}', "application/json")
    assert "cfx-issued-token-5d2a9e" not in REDACTOR.text("x cfx-issued-token-5d2a9e")
