"""The built wheel carries everything a run needs, so it runs from anywhere: specs and
catalogues as package resources, the suites, the plugin's entry point; never a vendor doc."""

import subprocess
import sys
import zipfile

import pytest

from conformance import registry
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = out.glob("conformance-*.whl")
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_wheel_holds_every_spec_catalogue_and_doc_map(wheel):
    for api in registry.all_apis():
        for suffix in (".yaml", ".requirements.yaml"):
            assert f"conformance/_specs/{api}{suffix}" in wheel, f"{api}{suffix} is not in the wheel"
    shipped = {(ROOT / "specs").joinpath(n.split("/")[-1]).name for n in wheel if n.startswith("conformance/_specs/")}
    assert shipped == {p.name for p in (ROOT / "specs").iterdir() if p.is_file()}


def test_wheel_holds_the_suites_and_the_plugin_entry_point(wheel):
    assert "conformance/suite/pytest.ini" in wheel
    for info in registry.all_apis().values():
        folder = info.suite_dir.relative_to(ROOT).as_posix()
        assert any(n.startswith(f"{folder}/test_") for n in wheel), f"{info.name}'s tests are not in the wheel"
    (entry_points,) = [v for n, v in wheel.items() if n.endswith(".dist-info/entry_points.txt")]
    text = entry_points.decode()
    assert "[pytest11]" in text and "conformance = conformance.suite.plugin" in text


def test_wheel_ships_no_vendor_doc(wheel):
    assert not [n for n in wheel if n.endswith(".txt") and "_" in n.split("/")[-1] and n.split("/")[-1][:3].isdigit()]
    assert not any("vendor-docs" in n for n in wheel)


def test_specs_dir_override_and_fallback(monkeypatch, tmp_path):
    from conformance import specs

    monkeypatch.setenv("CONFORMANCE_SPECS_DIR", str(tmp_path))
    assert specs.specs_dir() == tmp_path
    monkeypatch.delenv("CONFORMANCE_SPECS_DIR")
    assert (specs.specs_dir() / "profile-command.yaml").is_file()  # packaged copy, or specs/ when editable
