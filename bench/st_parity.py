"""Schemathesis' CLI and our property phase side by side, on the same spec and the same mock.

    .venv/bin/python bench/st_parity.py                         # mypreferences, st -n 25 --seed 1
    .venv/bin/python bench/st_parity.py --api imiconnect-profile -n 10
    .venv/bin/python bench/st_parity.py --only st --api profile-command   # st alone, its report

One invocation starts the conformant mock of the API on a free loopback port, then runs, one
after the other against it:

- `st run specs/<api>.yaml -u <mock>/<api> -H '<credential header>' -n N --seed S` (with
  `--config-file bench/st/<api>.toml` where that file exists: the target's own data and the
  per-operation exclusions README's benchmark section explains), as a user would run it;
- the same with the phases and example count of our main property test in that profile (its
  test_contract.py's PHASES / EXAMPLES): the same mix of cases, so the ratio is per-case overhead
  (`--no-like-for-like` skips it);
- our property phase: `conformance run --target <file> --api <api> --category contract`.

Requests are counted on the mock's side (MockApi.served, what `GET /_mock` shows), not taken
from either tool's own report; each side's time is the wall time of its process, start-up
included. Prints requests, seconds and requests/s of each and the ratios ours / st's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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


def timed(mock: Mock, api: str, command: list[str], env: dict | None = None) -> dict:
    before = mock.served(api)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    seconds = time.perf_counter() - started
    requests = mock.served(api) - before
    return {"exit": done.returncode, "seconds": seconds, "requests": requests,
            "per_second": requests / seconds if seconds else 0.0, "output": done.stdout + done.stderr}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", default="mypreferences", choices=APIS)
    parser.add_argument("-n", "--examples", type=int, default=25, help="st's -n (default 25)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="quick", help="our profile: quick (default) or full")
    parser.add_argument("--max-examples", type=int, help="our --max-examples (a cap on the profile's examples)")
    parser.add_argument("--st-phases", help="st's --phases (default: all four, as a user runs it)")
    parser.add_argument("--only", choices=("st", "ours"), help="run one side only")
    parser.add_argument("--no-like-for-like", action="store_true",
                        help="skip the second st run with our profile's phases and example count")
    parser.add_argument("--show", action="store_true", help="print each tool's own output too")
    args = parser.parse_args(argv)

    mock = Mock([args.api])
    tmp = Path(tempfile.mkdtemp(prefix="st-parity-"))
    rows = {}
    try:
        if args.only != "ours":
            label = f"st run -n {args.examples}" + (f" --phases {args.st_phases}" if args.st_phases else "")
            rows[label] = run_st(mock, args.api, examples=args.examples, seed=args.seed, phases=args.st_phases)
            if not args.no_like_for_like:
                examples, phases = our_generation(args.api, args.profile)
                rows[f"st run -n {examples} --phases {phases} (ours' mix)"] = run_st(
                    mock, args.api, examples=examples, seed=args.seed, phases=phases)
        if args.only != "st":
            rows["conformance run --category contract"] = run_ours(mock, args.api, seed=args.seed,
                                                                   profile=args.profile, tmp=tmp,
                                                                   max_examples=args.max_examples)
    finally:
        mock.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{args.api}: requests counted by the mock, wall time of each process (start-up included)")
    for label, row in rows.items():
        if args.show:
            print(row["output"])
        extra = f", st failures {row['failures']}" if "failures" in row else ""
        print(f"  {label:<62} {row['requests']:>6} requests {row['seconds']:>6.1f} s {row['per_second']:>7.0f} req/s"
              f"  (exit {row['exit']}{extra})")
    ours = rows.get("conformance run --category contract")
    for label, row in rows.items():
        if ours is not None and row is not ours:
            ratio = ours["per_second"] / row["per_second"] if row["per_second"] else float("inf")
            print(f"  ratio ours / {label}: {ratio:.2f}x")
    return 0 if all(row["exit"] == 0 for row in rows.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
