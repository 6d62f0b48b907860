"""Speed and memory targets, measured (never asserted in tests).

    .venv/bin/python bench/run.py                      # all targets below
    .venv/bin/python bench/run.py --only mock          # one of: suite, mock

- suite: wall time and peak memory of `conformance run --profile quick` per API group
  (targets: both Profile Command editions <= 20 s; mypreferences quick <= 40 s, full <= 6 min,
  peak memory < 500 MB; imiconnect-profile + customer-profile-b2b <= 20 s).
- mock: requests/s of `conformance mock` (one uvicorn worker) on loopback, PUT optOut with a
  valid token, any mix of 2xx/429 (target >= 3,000/s). Load from wrk (Debian package) when
  installed, else from a small asyncio keep-alive client in a second process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "conformance"]
GROUPS = {
    "profile-command (both editions), quick": (["profile-command", "profile-command-legacy"], "quick", 20),
    "imiconnect-profile + customer-profile-b2b, quick": (["imiconnect-profile", "customer-profile-b2b"], "quick", 20),
    "mypreferences, quick": (["mypreferences"], "quick", 40),
    "mypreferences, full": (["mypreferences"], "full", 360),
}


def known_apis() -> set[str]:
    out = subprocess.run(CLI + ["mock", "--list-faults"], capture_output=True, text=True, cwd=ROOT).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def bench_suite(skip_full: bool) -> list[dict]:
    results = []
    available = known_apis()
    for label, (apis, profile, limit) in GROUPS.items():
        if not set(apis) <= available or (skip_full and profile == "full"):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            args = CLI + ["run", "--profile", profile, "--report-dir", tmp, "--seed", "1"]
            for api in apis:
                args += ["--api", api]
            # Peak RSS of this one child: wrap it so RUSAGE_CHILDREN is not shared between runs.
            wrapper = [sys.executable, "-c",
                       "import resource,subprocess,sys;r=subprocess.run(sys.argv[1:]).returncode;"
                       "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,file=sys.stderr);sys.exit(r)"]
            started = time.perf_counter()
            done = subprocess.run(wrapper + args, capture_output=True, text=True, cwd=ROOT)
            seconds = time.perf_counter() - started
            peak_mb = int(done.stderr.strip().splitlines()[-1]) / 1024
        results.append({"what": label, "seconds": round(seconds, 1), "limit_s": limit,
                        "peak_mb": round(peak_mb), "exit": done.returncode,
                        "ok": seconds <= limit and peak_mb < 500 and done.returncode == 0})
    return results


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


LUA = """
wrk.method = "PUT"
wrk.body = '{"type":"optOut","enableOptOut":true}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
"""


async def _client(host: str, port: int, request: bytes, until: float, counts: dict) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    while time.perf_counter() < until:
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        counts[status] = counts.get(status, 0) + 1
    writer.close()


def _python_load(url: str, token: str, seconds: float, connections: int) -> dict:
    parts = urllib.parse.urlsplit(url)
    body = b'{"type":"optOut","enableOptOut":true}'
    request = (f"PUT {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    counts: dict[int, int] = {}
    until = time.perf_counter() + seconds

    async def main() -> None:
        await asyncio.gather(*[_client(parts.hostname, parts.port, request, until, counts) for _ in range(connections)])

    started = time.perf_counter()
    asyncio.run(main())
    return {"requests": sum(counts.values()), "seconds": time.perf_counter() - started, "statuses": counts}


def bench_mock(seconds: float = 5.0) -> dict:
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "t.toml"
        server = subprocess.Popen(CLI + ["mock", "--api", "profile-command", "--port", str(port),
                                         "--write-target", str(target)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/_mock", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": "pc-demo-client",
                                           "client_secret": "pc-demo-secret-7f3a9c2e51"}).encode()
            with urllib.request.urlopen(base + "/profile-command/oauth2/token", data=form) as response:
                token = json.load(response)["access_token"]
            url = f"{base}/profile-command/pc-demo-site-4b1d/optOut/bench-user"
            if shutil.which("wrk"):
                script = Path(tmp) / "put.lua"
                script.write_text(LUA % token)
                out = subprocess.run(["wrk", "-t1", "-c16", f"-d{int(seconds)}s", "-s", str(script), url],
                                     capture_output=True, text=True).stdout
                rate = float(next(l.split()[1] for l in out.splitlines() if l.startswith("Requests/sec")))
                return {"tool": "wrk -t1 -c16", "requests_per_s": round(rate), "ok": rate >= 3000}
            load = _python_load(url, token, seconds, 16)
            rate = load["requests"] / load["seconds"]
            return {"tool": "asyncio client, 16 connections", "requests_per_s": round(rate),
                    "statuses": load["statuses"], "ok": rate >= 3000}
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["suite", "mock"])
    parser.add_argument("--skip-full", action="store_true", help="skip the mypreferences full-profile run")
    args = parser.parse_args()
    ok = True
    if args.only in (None, "suite"):
        for row in bench_suite(args.skip_full):
            ok &= row["ok"]
            print(f"{'ok  ' if row['ok'] else 'SLOW'} {row['what']}: {row['seconds']} s (limit {row['limit_s']} s), "
                  f"peak {row['peak_mb']} MB, exit {row['exit']}")
    if args.only in (None, "mock"):
        row = bench_mock()
        ok &= row["ok"]
        print(f"{'ok  ' if row['ok'] else 'SLOW'} mock, one worker, loopback ({row['tool']}): "
              f"{row['requests_per_s']} requests/s (target >= 3000)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
