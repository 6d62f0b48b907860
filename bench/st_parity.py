"""Schemathesis' CLI and our property phase side by side, on the same spec and the same mock.

    .venv/bin/python bench/st_parity.py                         # mypreferences, st -n 25 --seed 1, 3 rounds
    .venv/bin/python bench/st_parity.py --profile quick         # our quick profile, and st with its mix
    .venv/bin/python bench/st_parity.py --api imiconnect-profile -n 10 --rounds 1
    .venv/bin/python bench/st_parity.py --only st --api profile-command   # st alone, its report

One invocation starts the conformant mock of the API on a free loopback port, then runs against
it, in turn, each round:

- `st run specs/<api>.yaml -u <mock>/<api> -H '<credential header>' -n N --seed S` (with
  `--config-file bench/st/<api>.toml` where that file exists: the target's own data and the
  per-operation exclusions README's benchmark section explains), as a user would run it;
- our property phase: `conformance run --target <file> --api <api> --category contract`, by
  default in the full profile with at most N drawn examples per operation (`--max-examples N`):
  like st, every phase (examples, coverage, fuzzing, stateful) and the same example count. With
  `--profile quick`, our quick profile, and a second st run with that profile's phases and example
  count (its test_contract.py's PHASES / EXAMPLES): the same mix of cases, so that ratio is
  per-case overhead.

Requests are counted on the mock's side (MockApi.served, what `GET /_mock` shows), not taken
from either tool's own report; each side's time is the wall time of its process, start-up
included, and its CPU time (user + system). Prints, per round and as the median over the rounds
(a shared machine's speed drifts within minutes: the rounds interleave the tools so both see the
same drift), requests, seconds, requests/s and requests per CPU-second of each, and the ratios
ours / st's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ST_CONFIGS = ROOT / "bench" / "st"
APIS = ("profile-command-legacy", "profile-command", "imiconnect-profile", "customer-profile-b2b", "mypreferences")
B2B_RESOURCES = ["basic", "segments", "searchSegments", "isCustomerInSegment", "campaigns", "searchCampaigns",
                 "recommendedProducts", "userActivity", "productPurchaseTrends", "productPurchased", "affinity",
                 "userAttributes", "gcrId", "optIn"]


def _post(url: str, *, form: dict | None = None, body: dict | None = None, headers: dict | None = None) -> dict:
    data = urllib.parse.urlencode(form).encode() if form is not None else json.dumps(body).encode()
    kind = "application/x-www-form-urlencoded" if form is not None else "application/json"
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": kind, **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def credential_headers(api: str, base_url: str, credentials: dict[str, str]) -> dict[str, str]:
    """The headers a user gives `st run -H` for this API: the demo credential itself, or a token
    fetched with it first (as the vendor's doc has the user do)."""
    if api == "mypreferences":
        return {"Authorization": credentials["authorization"]}
    if api == "imiconnect-profile":
        return {"key": credentials["key"]}
    if api in ("profile-command", "profile-command-legacy"):
        token = _post(f"{base_url}/oauth2/token", form={
            "grant_type": "client_credentials", "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"]})["access_token"]
        return {"Authorization": f"Bearer {token}"}
    if api == "customer-profile-b2b":
        tenant = {"tenant_hash": credentials["tenant_hash"], "oauth_key_secret": credentials["oauth_key_secret"]}
        token = _post(f"{base_url}/secureApi/token/profile/create", body={"resources": B2B_RESOURCES, "validity": 600},
                      headers=tenant)["token"]
        return {"Authorization": f"Bearer {token}", **tenant}
    raise KeyError(api)


def st_command(api: str, base_url: str, headers: dict[str, str], *, examples: int = 25, seed: int = 1,
               st: str | None = None, phases: str | None = None) -> list[str]:
    """The exact `st run` command line (README's benchmark section gives the same ones);
    `phases` (st's --phases) narrows it, e.g. to the phases our quick profile runs."""
    command = [st or str(BIN / "st")]
    config = ST_CONFIGS / f"{api}.toml"
    if config.exists():
        command += ["--config-file", str(config)]
    command += ["run", str(ROOT / "specs" / f"{api}.yaml"), "-u", base_url]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += ["-n", str(examples), "--seed", str(seed), "--no-color"]
    return command + (["--phases", phases] if phases else [])


def st_failures(output: str) -> int | None:
    """The failure count of st's summary line ("== 3 failures, 1 warning in 2.9s ==")."""
    import re

    last = [line for line in output.splitlines() if line.startswith("=") and " in " in line]
    if not last:
        return None
    found = re.search(r"(\d+) failures?", last[-1])
    return int(found.group(1)) if found else 0


class Mock:
    """The conformant mock of some APIs in this process, on a free loopback port."""

    def __init__(self, apis: list[str]) -> None:
        from conformance.mock.server import MockServer

        self.server = MockServer(apis).start()
        self.target = self.server.target()

    def base_url(self, api: str) -> str:
        return self.target.apis[api].base_url

    def served(self, api: str) -> int:
        return next(m.served for m in self.server.mocks if m.name == api)

    def write_target(self, path: Path) -> Path:
        from conformance.target import to_toml

        path.write_text(to_toml(self.target), encoding="utf-8")
        return path

    def stop(self) -> None:
        self.server.stop()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(mock: Mock, api: str, command: list[str], env: dict | None = None) -> dict:
    before, cpu = mock.served(api), _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    seconds = time.perf_counter() - started
    requests, cpu = mock.served(api) - before, _children_cpu() - cpu
    return {"exit": done.returncode, "seconds": seconds, "requests": requests, "cpu": cpu,
            "per_second": requests / seconds if seconds else 0.0, "per_cpu_second": requests / cpu if cpu else 0.0,
            "output": done.stdout + done.stderr}


def our_generation(api: str, profile: str) -> tuple[int, str]:
    """(examples per operation, st --phases) of our main property test for the API in a profile:
    its test_contract.py's EXAMPLES / PHASES literals, else the suite's defaults (contract.EXAMPLES,
    every phase). What st runs in the like-for-like comparison."""
    import ast

    from conformance import registry

    examples = {"quick": 25, "full": 150}[profile] if profile in ("quick", "full") else 25
    phases = "examples,coverage,fuzzing,stateful"
    module = registry.get(api).suite_dir / "test_contract.py"
    if not module.exists():
        return examples, phases
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                continue
            if node.targets[0].id == "EXAMPLES" and isinstance(value, dict) and profile in value:
                examples = int(value[profile])
            if node.targets[0].id == "PHASES" and isinstance(value, dict) and profile in value:
                phases = ",".join(value[profile])
    return examples, phases


def run_st(mock: Mock, api: str, *, examples: int, seed: int, phases: str | None = None) -> dict:
    headers = credential_headers(api, mock.base_url(api), mock.target.apis[api].credentials)
    result = timed(mock, api, st_command(api, mock.base_url(api), headers, examples=examples, seed=seed,
                                         phases=phases))
    result["failures"] = st_failures(result["output"])
    return result


def run_ours(mock: Mock, api: str, *, seed: int, profile: str, tmp: Path, max_examples: int | None = None) -> dict:
    target = mock.write_target(tmp / "target.toml")
    command = [str(BIN / "conformance"), "run", "--target", str(target), "--api", api, "--category", "contract",
               "--seed", str(seed), "--profile", profile, "--report-dir", str(tmp / "report")]
    if max_examples:
        command += ["--max-examples", str(max_examples)]
    env = dict(os.environ)
    env.setdefault("CONFORMANCE_DOCS", str(ROOT.parent / "shared" / "vendor-docs"))
    return timed(mock, api, command, env)


OURS = "conformance run --category contract"


def one_round(mock: Mock, args: argparse.Namespace, tmp: Path) -> dict[str, dict]:
    rows = {}
    if args.only != "ours":
        label = f"st run -n {args.examples}" + (f" --phases {args.st_phases}" if args.st_phases else "")
        rows[label] = run_st(mock, args.api, examples=args.examples, seed=args.seed, phases=args.st_phases)
        if args.profile != "full" and not args.no_like_for_like:
            examples, phases = our_generation(args.api, args.profile)
            rows[f"st run -n {examples} --phases {phases} (ours' mix)"] = run_st(
                mock, args.api, examples=examples, seed=args.seed, phases=phases)
    if args.only != "st":
        label = f"{OURS} --profile {args.profile}" + (f" --max-examples {args.max_examples}" if args.max_examples else "")
        rows[label] = run_ours(mock, args.api, seed=args.seed, profile=args.profile, tmp=tmp,
                               max_examples=args.max_examples)
    return rows


def _print(rows: dict[str, dict], show: bool = False) -> None:
    for label, row in rows.items():
        if show:
            print(row["output"])
        extra = f", st failures {row['failures']}" if row.get("failures") is not None else ""
        print(f"  {label:<66} {row['requests']:>6} requests {row['seconds']:>6.1f} s {row['per_second']:>5.0f} req/s"
              f" {row['per_cpu_second']:>5.0f} req/CPU-s  (exit {row['exit']}{extra})")


def ratios(rows: dict[str, dict]) -> dict[str, tuple[float, float]]:
    """label of an st row -> (ours / its requests per second, ours / its requests per CPU-second)."""
    ours = next((row for label, row in rows.items() if label.startswith(OURS)), None)
    if ours is None:
        return {}
    return {label: (ours["per_second"] / row["per_second"] if row["per_second"] else float("inf"),
                    ours["per_cpu_second"] / row["per_cpu_second"] if row["per_cpu_second"] else float("inf"))
            for label, row in rows.items() if row is not ours}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", default="mypreferences", choices=APIS)
    parser.add_argument("-n", "--examples", type=int, default=25, help="st's -n (default 25)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="full", choices=("quick", "full"),
                        help="our profile: full (default: every phase, as st runs them) or quick")
    parser.add_argument("--max-examples", type=int,
                        help="our --max-examples (default with --profile full: st's -n, the same example count)")
    parser.add_argument("--rounds", type=int, default=3, help="times to run both tools, interleaved (default 3)")
    parser.add_argument("--st-phases", help="st's --phases (default: all four, as a user runs it)")
    parser.add_argument("--only", choices=("st", "ours"), help="run one side only")
    parser.add_argument("--no-like-for-like", action="store_true",
                        help="with --profile quick: skip the st run with our profile's phases and example count")
    parser.add_argument("--show", action="store_true", help="print each tool's own output too")
    args = parser.parse_args(argv)
    if args.profile == "full" and args.max_examples is None:
        args.max_examples = args.examples

    mock = Mock([args.api])
    tmp = Path(tempfile.mkdtemp(prefix="st-parity-"))
    rounds = []
    try:
        for index in range(args.rounds):
            rounds.append(one_round(mock, args, tmp))
            print(f"{args.api}, round {index + 1} of {args.rounds}: requests counted by the mock, wall and CPU "
                  "time of each process (start-up included)")
            _print(rounds[-1], args.show)
            for label, (wall, cpu) in ratios(rounds[-1]).items():
                print(f"  ratio ours / {label}: {wall:.2f}x per second, {cpu:.2f}x per CPU-second")
    finally:
        mock.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    if len(rounds) > 1 and ratios(rounds[0]):
        print(f"{args.api}, median of {len(rounds)} rounds:")
        for label in ratios(rounds[0]):
            wall = statistics.median(ratios(r)[label][0] for r in rounds)
            cpu = statistics.median(ratios(r)[label][1] for r in rounds)
            print(f"  ratio ours / {label}: {wall:.2f}x per second, {cpu:.2f}x per CPU-second")
    return 0 if all(row["exit"] == 0 for r in rounds for row in r.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
