"""Time to verdict through a network latency (issue 14), measured, never asserted in tests.

    .venv/bin/python bench/latency.py                         # quick, all five APIs, 50 ms
    .venv/bin/python bench/latency.py --api profile-command-legacy --latency 0.05

Starts `conformance mock` (every API) in its own process and, in front of it, a small proxy
(this file) that holds every response for `--latency` seconds before answering, as a vendor
sandbox over the internet would, and counts the requests it forwards per API. Then runs
`conformance run --target <the proxy>` and prints, side by side per API: requests sent, the
floor the rate limits imply (requests ÷ the rate the suite paces that API to), the highest
request rate the target saw (most requests in any 1-second window, counted by the proxy, not
by the suite), and the run's wall time: sequential, and with `--workers N` when the suite has
that option (issue 14 part 1; until then the column says so).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LatencyProxy:
    """Forwards http://127.0.0.1:<port>/<path> to the mock, answering after `latency` seconds."""

    def __init__(self, upstream: str, latency: float, prefixes: dict[str, str]) -> None:
        self.upstream = upstream.rstrip("/")
        self.latency = latency
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))  # api -> path prefix
        self.seen: dict[str, list[float]] = defaultdict(list)
        self.port = _free_port()
        self._server = None

    def api_of(self, path: str) -> str:
        return next((api for api, prefix in self.prefixes if path.startswith(prefix)), "other")

    def app(self):
        import httpx
        from starlette.requests import Request
        from starlette.responses import Response

        client = httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=200))

        async def forward(request):
            started = time.monotonic()
            self.seen[self.api_of(request.url.path)].append(started)
            body = await request.body()
            headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
            raw = (request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")  # as sent
            query = request.scope.get("query_string", b"").decode("latin-1")
            url = self.upstream + raw + (f"?{query}" if query else "")
            for attempt in range(3):
                try:
                    upstream = await client.request(request.method, url, content=body, headers=headers)
                    break
                except httpx.TransportError as exc:  # a pooled connection the mock closed: the proxy's problem
                    print(f"latency proxy: {request.method} {raw}: {type(exc).__name__}: {exc} (retrying)",
                          file=sys.stderr)
                    if attempt == 2:
                        raise
            await asyncio.sleep(max(0.0, self.latency - (time.monotonic() - started)))
            drop = {"content-length", "transfer-encoding", "content-encoding", "connection"}
            return Response(upstream.content, status_code=upstream.status_code,
                            headers={k: v for k, v in upstream.headers.items() if k.lower() not in drop})

        async def app(scope, receive, send):
            # Every path and method, as sent: no router (a route's pattern would not match a
            # generated path holding an encoded newline, and answer 404 for the target).
            if scope["type"] != "http":
                return
            response = await forward(Request(scope, receive))
            await response(scope, receive, send)

        return app

    def start(self) -> "LatencyProxy":
        import uvicorn

        config = uvicorn.Config(self.app(), host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        threading.Thread(target=self._server.run, daemon=True).start()
        deadline = time.time() + 20
        while not self._server.started:
            if time.time() > deadline:
                raise RuntimeError("the latency proxy did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True

    def reset(self) -> None:
        self.seen.clear()

    def peak_rate(self, api: str) -> int:
        """The most requests of one API in any 1-second window."""
        times = sorted(self.seen.get(api, []))
        return max((bisect.bisect_right(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


def _mock(port: int, target: Path, apis: list[str]) -> subprocess.Popen:
    args = [sys.executable, "-m", "conformance", "mock", "--port", str(port), "--write-target", str(target)]
    args += [a for api in apis for a in ("--api", api)]
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while True:
        try:
            if target.exists():
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock", timeout=1).close()
                return process
        except OSError:
            pass
        if process.poll() is not None or time.time() > deadline:
            raise RuntimeError(f"the mock did not start: {process.stderr.read() if process.stderr else ''}")
        time.sleep(0.1)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every process waited for, workers included
    return usage.ru_utime + usage.ru_stime


def _run(target: Path, report: Path, apis: list[str], profile: str, seed: int, extra: list[str]) -> tuple[float, dict]:
    args = [sys.executable, "-m", "conformance", "run", "--target", str(target), "--profile", profile,
            "--seed", str(seed), "--report-dir", str(report), "--progress", "off", *extra]
    args += [a for api in apis for a in ("--api", api)]
    started, cpu = time.monotonic(), _children_cpu()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - started
    print(f"  run with {' '.join(extra) or 'defaults'}: {wall:.1f} s wall, {_children_cpu() - cpu:.1f} s of CPU "
          f"(the run and its workers; the machine has {os.cpu_count()} cores)")
    if not (report / "summary.json").is_file():
        raise RuntimeError(f"the run wrote no summary (exit {done.returncode}): {done.stderr[-2000:]}")
    if os.environ.get("CONFORMANCE_BENCH_OUTPUT"):  # the run's own output (e.g. PYTEST_ADDOPTS=--durations=30)
        print(done.stdout[-12000:])
    if os.environ.get("CONFORMANCE_BENCH_KEEP"):  # keep the run's report (a failing row's evidence)
        shutil.copytree(report, Path(os.environ["CONFORMANCE_BENCH_KEEP"]) / report.name, dirs_exist_ok=True)
    return wall, json.loads((report / "summary.json").read_text())


def _has_workers() -> bool:
    done = subprocess.run([sys.executable, "-m", "conformance", "run", "--help"], cwd=ROOT, capture_output=True, text=True)
    return "--workers" in done.stdout


def main() -> int:
    from conformance import registry, target as targets

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", action="append", default=[], help="API (repeatable; default all five)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every response (0.05)")
    parser.add_argument("--profile", default="quick", choices=["quick", "full"])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4, help="workers of the concurrent run (if supported)")
    parser.add_argument("--no-sequential", action="store_true", help="measure the run with workers only")
    args = parser.parse_args()
    apis = args.api or list(registry.all_apis())
    with tempfile.TemporaryDirectory(prefix="cfx-latency-") as tmp:
        tmp_path = Path(tmp)
        mock_port = _free_port()
        direct = tmp_path / "direct.toml"
        mock = _mock(mock_port, direct, apis)
        try:
            loaded = targets.load(str(direct))
            prefixes = {name: "/" + api.base_url.split("/", 3)[3] if api.base_url.count("/") >= 3 else "/"
                        for name, api in loaded.apis.items()}
            proxy = LatencyProxy(f"http://127.0.0.1:{mock_port}", args.latency, prefixes).start()
            slow = tmp_path / "slow.toml"
            # The APIs through the proxy; the mock's control routes (clock, state) stay direct.
            text = direct.read_text()
            slow.write_text(text.replace(f'base_url = "http://127.0.0.1:{mock_port}',
                                         f'base_url = "http://127.0.0.1:{proxy.port}'))
            results = {}
            if not args.no_sequential:
                wall, data = _run(slow, tmp_path / "sequential", apis, args.profile, args.seed, ["--workers", "1"])
                results["sequential"] = (wall, data, {api: proxy.peak_rate(api) for api in apis})
            if _has_workers():
                proxy.reset()
                wall, data = _run(slow, tmp_path / "workers", apis, args.profile, args.seed,
                                  ["--workers", str(args.workers)])
                results["workers"] = (wall, data, {api: proxy.peak_rate(api) for api in apis})
            proxy.stop()
        finally:
            mock.terminate()
            mock.wait(timeout=10)
    _print(results, apis, args)
    return 0


def _print(results: dict, apis: list[str], args: argparse.Namespace) -> None:
    from conformance import registry

    wall, data, peaks = results.get("sequential") or results["workers"]
    by_name = {api["name"]: api for api in data["apis"]}
    print(f"latency {args.latency * 1000:.0f} ms per response, profile {args.profile}, seed {args.seed}")
    first = "peak/s seq" if "sequential" in results else "peak/s"
    header = f"{'API':24} {'requests':>8} {'rate/s':>7} {'floor s':>8} {first:>10}"
    if "workers" in results and "sequential" in results:
        header += f" {'peak/s workers':>14}"
    print(header)
    floor_total = 0.0
    for api in apis:
        sent = by_name.get(api, {}).get("requests_sent", 0)
        rate = data["target"]["apis"].get(api, {}).get("rate_limit") or registry.get(api).default_rate or 0
        floor = sent / rate if rate else 0.0
        floor_total = max(floor_total, floor) if "workers" in results else floor_total + floor
        line = f"{api:24} {sent:>8} {rate:>7g} {floor:>8.1f} {peaks.get(api, 0):>10}"
        if "workers" in results and "sequential" in results:
            line += f" {results['workers'][2].get(api, 0):>14}"
        print(line)
    if "sequential" in results:
        print(f"sequential: {wall:.1f} s wall (verdict {data['verdict']['label']}, exit {data['exit_code']})")
    if "workers" in results:
        w_wall, w_data, _ = results["workers"]
        print(f"--workers {args.workers}: {w_wall:.1f} s wall (verdict {w_data['verdict']['label']})")
    else:
        print("--workers: not measured (`conformance run` has no --workers option yet: issue 14 part 1)")
    for label, (_, run_data, _) in results.items():
        modules: dict[str, float] = defaultdict(float)
        for test in run_data["tests"]:
            modules[test["nodeid"].split("::")[0]] += float(test.get("duration_s") or 0)
        slowest = sorted(modules.items(), key=lambda kv: -kv[1])[:6]
        print(f"  {label}: test time {sum(modules.values()):.0f} s in all; per process: "
              + ", ".join(f"{s['index']}: {s['tests']} tests {s.get('test_s')} s, waited {s.get('lock_wait_s')} s, "
                           f"{(s.get('first_test') or '')[11:19]}-{s['finished'][11:19]}"
                         for s in run_data['run'].get('shards', [])))
        print(f"  {label}: slowest modules: " + ", ".join(f"{m.split('/suite/')[-1]} {t:.0f} s" for m, t in slowest))
        for row in run_data["requirements"]:
            if row["status"] in ("failed", "error", "warning", "skipped", "untested"):
                print(f"  {label}: {row['status'].upper()} {row['id']}: {row['message'][:160]}")
    print(f"rate-limit floor: {floor_total:.1f} s "
          f"({'the slowest API, APIs side by side' if 'workers' in results else 'sum over APIs run one after another'})")


if __name__ == "__main__":
    raise SystemExit(main())
