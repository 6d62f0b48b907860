"""Locating and reading the hand-written specs and their requirement catalogues."""

from __future__ import annotations

import copy
import json
import hashlib
import os
from importlib import resources
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from conformance.errors import ConformanceError

DOCS_ENV = "CONFORMANCE_DOCS"
SPECS_ENV = "CONFORMANCE_SPECS_DIR"


def specs_dir() -> Path:
    """Where the specs and catalogues are: `CONFORMANCE_SPECS_DIR` (a working copy being edited),
    else the copy inside the installed package (`conformance/_specs`, put there by the wheel
    build), else the repository's top-level `specs/` (an editable install)."""
    override = os.environ.get(SPECS_ENV)
    if override:
        return Path(override)
    packaged = resources.files("conformance") / "_specs"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[1] / "specs"


def api_specs_dir(api: str) -> Path:
    """The folder of one API's spec, catalogue and doc map: the suite's own (`specs_dir()`), or
    the folder an API package outside this one ships them in (its ApiInfo `specs`)."""
    from conformance import registry  # the registry imports nothing of this module

    info = registry.all_apis().get(api)
    own = info.specs_dir if info is not None else None
    return own if own is not None else specs_dir()


def spec_path(api: str) -> Path:
    return api_specs_dir(api) / f"{api}.yaml"


def catalogue_path(api: str) -> Path:
    return api_specs_dir(api) / f"{api}.requirements.yaml"


def docmap_path(api: str) -> Path:
    return api_specs_dir(api) / f"{api}.docmap.yaml"


def docs_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """The folder holding the vendors' docs, which the suite does not ship: `--docs` or the
    target file's `docs` (explicit), else `CONFORMANCE_DOCS`. None when neither names one."""
    value = explicit or os.environ.get(DOCS_ENV)
    return Path(value).expanduser() if value else None


# libyaml's safe loader where PyYAML was built with it: the same documents, ~6x faster (the
# MyPreferences spec and doc map cost ~1.5 s per process with the pure-Python one).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def _load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_LOADER)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        raise ConformanceError(f"cannot load {path}: {exc}") from None


def load_spec(api: str) -> dict[str, Any]:
    """A fresh copy of the API's OpenAPI document (callers may adapt it to a target)."""
    return copy.deepcopy(_load_yaml(spec_path(api)))


def spec_sha256(api: str) -> str:
    return hashlib.sha256(spec_path(api).read_bytes()).hexdigest()


def iter_doc_notes(node: Any, pointer: str = "") -> Iterator[tuple[str, str, Any]]:
    """Yield (json-pointer, note, x-doc) for every `x-doc-note` in a spec."""
    if isinstance(node, dict):
        if "x-doc-note" in node:
            notes = node["x-doc-note"]
            for note in notes if isinstance(notes, list) else [notes]:
                yield pointer or "/", str(note).strip(), node.get("x-doc")
        for key, value in node.items():
            if key == "x-doc-note":
                continue
            yield from iter_doc_notes(value, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from iter_doc_notes(value, f"{pointer}/{index}")


def production_hosts(api: str) -> list[str]:
    return list(_load_yaml(spec_path(api)).get("x-production-hosts", []) or [])


def operation_labels(spec: dict[str, Any]) -> list[str]:
    methods = {"get", "put", "post", "delete", "patch", "head", "options"}
    return [
        f"{method.upper()} {path}"
        for path, item in spec.get("paths", {}).items()
        for method in item
        if method in methods
    ]


METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def operations(spec: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """operationId -> (METHOD, path template) of every operation in the spec."""
    found: dict[str, tuple[str, str]] = {}
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if isinstance(op, dict) and op.get("operationId"):
                found[op["operationId"]] = (method.upper(), path)
    return found


def settings(api: str) -> dict[str, dict[str, Any]]:
    """The spec's `x-settings`: every target setting the spec defines (an assumption's or a
    doc-given value the target may override), name -> {default, x-doc-note, x-doc, ...}."""
    return dict(_load_yaml(spec_path(api)).get("x-settings", {}) or {})


def aimed(spec: dict[str, Any], setting: Any) -> dict[str, Any]:
    """The spec with each path item that names an `x-setting` moved to that setting's value
    (an assumed path the target file may correct); `setting(name)` reads the target's value."""
    paths = spec.get("paths", {})
    moved = {}
    for path, item in paths.items():
        name = item.get("x-setting") if isinstance(item, dict) else None
        moved[str(setting(name)) if name else path] = item
    spec["paths"] = moved
    return spec


CLOSED_SUFFIX = "__documented"


def nested_members_documented(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the objects nested in each request body closed to the members their schemas
    name (`additionalProperties: false` where an object lists `properties` and says nothing of
    others), on copies of the component schemas, so that answers are still judged by the open
    originals. The body itself stays as open as the spec leaves it, so valid data still carries
    members the spec does not name at the top level, and a target refusing them is still seen;
    drawing arbitrary members in every nested object (each email, address, consent, preference)
    is most of what a large body costs to generate. What is given up: a target refusing unknown
    members only inside nested objects is no longer seen (an inferred row, MP-CON-014's kind).
    Schemas under allOf/anyOf/oneOf/not stay as written (closing one branch would refuse the
    members of another)."""
    schemas = spec.get("components", {}).get("schemas", {})
    prefix = "#/components/schemas/"

    def resolved(node: Any) -> Any:
        ref = node.get("$ref") if isinstance(node, dict) else None
        if isinstance(ref, str) and ref.startswith(prefix) and ref[len(prefix):] in schemas:
            return copy.deepcopy(schemas[ref[len(prefix):]])
        return node

    def closed_ref(ref: str) -> str:
        name = ref[len(prefix):]
        if name not in schemas:
            return ref
        if name + CLOSED_SUFFIX not in schemas:
            schemas[name + CLOSED_SUFFIX] = {}  # placeholder first: a schema that reaches itself
            schemas[name + CLOSED_SUFFIX] = close(copy.deepcopy(schemas[name]))
        return prefix + name + CLOSED_SUFFIX

    def members(node: dict[str, Any]) -> dict[str, Any]:
        out = {key: close(value) if key in ("items", "prefixItems") else value for key, value in node.items()}
        if isinstance(node.get("properties"), dict):
            out["properties"] = {name: close(member) for name, member in node["properties"].items()}
        return out

    def close(node: Any) -> Any:
        if isinstance(node, list):
            return [close(item) for item in node]
        if not isinstance(node, dict) or any(key in node for key in ("allOf", "anyOf", "oneOf", "not")):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(prefix):
            return {**node, "$ref": closed_ref(ref)}
        out = members(node)
        if isinstance(node.get("properties"), dict) and not {"additionalProperties", "patternProperties"} & set(node):
            out["additionalProperties"] = False
        return out

    for item in spec.get("paths", {}).values():
        for op in item.values() if isinstance(item, dict) else ():
            body = op.get("requestBody") if isinstance(op, dict) else None
            for media in (body or {}).get("content", {}).values() if isinstance(body, dict) else ():
                root = resolved(media.get("schema")) if isinstance(media, dict) else None
                if isinstance(root, dict) and not any(key in root for key in ("allOf", "anyOf", "oneOf", "not")):
                    media["schema"] = members(root)
    return spec


def _cell(value: Any) -> str:
    text = "" if value is None else (value if isinstance(value, str) else json.dumps(value))
    return " ".join(str(text).split()).replace("|", "\\|")


def _refs(value: Any) -> str:
    refs = value if isinstance(value, list) else [value] if value else []
    return ", ".join(str(r).split("_", 1)[0] + "#" + str(r).split("#", 1)[1] if "#" in str(r) else str(r) for r in refs)


def settings_markdown(apis: list[str]) -> str:
    """The target settings of these APIs as a Markdown table, from their specs' `x-settings`
    (README's table is this text; tests/test_specs_and_catalogues.py keeps them the same)."""
    lines = ["| API | setting | default | doc | what it is |", "| --- | --- | --- | --- | --- |"]
    for api in apis:
        for name, meta in settings(api).items():
            meta = meta or {}
            refs = _refs(meta.get("x-doc"))
            basis = f"assumed (doc silent: {refs})" if meta.get("x-assumption") else refs
            default = meta.get("default")
            shown = "" if default in (None, "", {}, []) else f"`{_cell(default)}`"
            what = meta.get("description") or meta.get("x-doc-note")
            lines.append(f"| `{api}` | `{name}` | {shown} | {_cell(basis)} | {_cell(what)} |")
    return "\n".join(lines) + "\n"
