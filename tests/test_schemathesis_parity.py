"""Peer parity (issue 15): Schemathesis' own CLI, run on our specs as a user runs it, finds no
failure on the conformant mocks; methods a path does not have answer 405 with the spec's Allow.

The `st run` commands are README's (benchmark section), built by bench/st_parity.py, with fewer
examples (-n 3) so that the five take well under a minute. MyPreferences' coverage phase spends
~1,700 requests on each of the five operations taking a whole Profile body (8,600 of its 9,700):
here that phase skips those five (their fuzzing and stateful phases still run); the README
command runs it whole.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conformance.mock.server import MockServer
from conformance.specs import METHODS, load_spec

ROOT = Path(__file__).resolve().parents[1]
APIS = ("profile-command-legacy", "profile-command", "imiconnect-profile", "customer-profile-b2b", "mypreferences")
PROFILE_BODY_OPERATIONS = ["createProfile", "replaceProfile", "updateProfile", "replaceProfileByAlternateId",
                           "upsertProfileByAlternateId"]


def _bench():
    spec = importlib.util.spec_from_file_location("st_parity", ROOT / "bench" / "st_parity.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("st_parity", module)
    spec.loader.exec_module(module)
    return module


bench = _bench()


@pytest.fixture
def mock(request):
    served = bench.Mock([request.param])
    yield served
    served.stop()


def _config_for_test(api: str, tmp_path: Path) -> Path | None:
    """README's st config for the API, plus, for MyPreferences, the coverage phase left out on
    the five Profile-body operations (see the module docstring)."""
    config = bench.ST_CONFIGS / f"{api}.toml"
    if api != "mypreferences":
        return config if config.exists() else None
    quick = tmp_path / "st.toml"
    quick.write_text(config.read_text(encoding="utf-8") + (
        "\n[[operations]]\ninclude-operation-id = [" + ", ".join(f'"{op}"' for op in PROFILE_BODY_OPERATIONS)
        + "]\nphases.coverage.enabled = false\n"), encoding="utf-8")
    return quick


@pytest.mark.slow
@pytest.mark.parametrize("mock", APIS, indirect=True, ids=list(APIS))
def test_st_run_finds_no_failure(mock, tmp_path):
    api = next(iter(mock.target.apis))
    base = mock.base_url(api)
    headers = bench.credential_headers(api, base, mock.target.apis[api].credentials)
    command = bench.st_command(api, base, headers, examples=3, seed=1)
    if "--config-file" in command:
        at = command.index("--config-file")
        del command[at:at + 2]
    config = _config_for_test(api, tmp_path)
    if config is not None:
        command[1:1] = ["--config-file", str(config)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    output = done.stdout + done.stderr
    tail = "\n".join(output.splitlines()[-60:])
    assert bench.st_failures(output) == 0, f"st found failures on the {api} mock:\n{output[-6000:]}"
    assert done.returncode == 0, tail
    selected = re.search(r"Selected: (\d+)/(\d+)", output)
    tested = re.search(r"Tested: (\d+)", output)
    operations = sum(1 for item in load_spec(api)["paths"].values() for m in METHODS if m in item)
    assert selected and selected.groups() == (str(operations), str(operations)), tail
    assert tested and int(tested.group(1)) == operations, tail
    assert mock.served(api) > 10 * operations, f"the mock saw only {mock.served(api)} requests"


def _status(url: str, method: str) -> tuple[int, str | None]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers.get("Allow")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Allow")


def _example_path(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", template)


@pytest.fixture(scope="module")
def every_mock():
    server = MockServer(list(APIS)).start()
    yield server
    server.stop()


@pytest.mark.parametrize("api", APIS)
def test_unsupported_methods_answer_405_with_the_spec_allow(every_mock, api):
    """Every method a spec path does not have (OPTIONS, TRACE and the five others) answers 405
    and `Allow` lists exactly the path's methods in the spec; a method it has is not refused so."""
    base = every_mock.target().apis[api].base_url
    spec = load_spec(api)
    for template, item in spec["paths"].items():
        path = _example_path(template)
        declared = [m.upper() for m in METHODS if m in item]
        for method in ("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE"):
            status, allow = _status(base + path, method)
            if method in declared:
                assert status != 405, f"{method} {template} is in the spec but answered 405"
            else:
                assert status == 405, f"{method} {template} answered {status}, not 405"
                assert allow is not None and sorted(a.strip() for a in allow.split(",")) == sorted(declared), \
                    f"{method} {template}: Allow {allow!r}, the spec gives {declared}"


def test_a_fault_that_serves_an_unlisted_method_still_plays():
    """The 405 comes before the mock's routes, except where a fault serves the method itself
    (MockApi.unlisted_method): get-opts-out's GET still reaches the opt-out route."""
    server = MockServer(["profile-command"], fault="get-opts-out").start()
    try:
        base = server.target().apis["profile-command"].base_url
        status, _ = _status(base + "/pc-demo-site-4b1d/optOut/someone", "GET")
        assert status != 405
        status, allow = _status(base + "/pc-demo-site-4b1d/optOut/someone", "DELETE")
        assert (status, allow) == (405, "PUT")
    finally:
        server.stop()
