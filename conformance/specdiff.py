"""`conformance diff OLD_SPEC NEW_SPEC`: what changed between two editions of an API spec,
each change classified breaking or not for an existing client.

Breaking: an operation removed or moved, a parameter or body field newly required, a value a
client may send no longer accepted, a response field or status a client may rely on removed or
retyped, stricter auth, a new or tighter limit, a behaviour documented through the spec's
`x-` fields (token lifetime and scope, reversibility) changed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from conformance.errors import ConfigError

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Behaviour the doc states and the spec records as extensions: any change is breaking.
BEHAVIOUR = {
    "x-rate-limit": "limit",
    "x-token-lifetime": "auth",
    "x-token-scope": "auth",
    "x-reversible": "behaviour",
}


@dataclass
class Change:
    kind: str  # operation, parameter, request, response, auth, limit, behaviour, server, info
    breaking: bool
    where: str
    message: str


def _load(path: str) -> dict[str, Any]:
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"spec not found: {path}")
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict) or "paths" not in data:
        raise ConfigError(f"{path} is not an OpenAPI document (no 'paths')")
    return data


class _Spec:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def deref(self, node: Any, seen: frozenset[str] = frozenset()) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                return {}
            seen = seen | {ref}
            target: Any = self.raw
            for part in ref[2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
            node = target
        return node

    def operations(self) -> dict[tuple[str, str], dict[str, Any]]:
        ops = {}
        for path, item in (self.raw.get("paths") or {}).items():
            item = self.deref(item)
            for method in METHODS:
                if method in item:
                    op = dict(self.deref(item[method]))
                    params = {}
                    for param in list(item.get("parameters", [])) + list(op.get("parameters", [])):
                        param = self.deref(param)
                        params[(param.get("in"), param.get("name"))] = param
                    op["_params"] = params
                    ops[(method.upper(), path)] = op
        return ops

    def security(self, op: dict[str, Any]) -> list:
        return op.get("security", self.raw.get("security", []))


def _plain(value: Any) -> Any:
    """A value without its citations, for comparing and showing."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if not k.startswith("x-doc")}
    return value


def _label(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}"


def _static(path: str) -> tuple[str, ...]:
    return tuple(seg for seg in path.strip("/").split("/") if seg and not seg.startswith("{"))


def _values(enum: list) -> set:
    return {(type(v).__name__, repr(v)) for v in enum}


def _show(values: set) -> str:
    return ", ".join(sorted(v for _, v in values))


class _Differ:
    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old, self.new = _Spec(old), _Spec(new)
        self.changes: list[Change] = []

    def add(self, kind: str, breaking: bool, where: str, message: str) -> None:
        self.changes.append(Change(kind, breaking, where, message))

    # --- whole document -------------------------------------------------------------------------
    def run(self) -> list[Change]:
        self.info()
        self.servers()
        self.behaviour(self.old.raw, self.new.raw, "document")
        self.security_schemes()
        self.operations()
        return self.changes

    def info(self) -> None:
        for key in ("title", "version"):
            before, after = self.old.raw.get("info", {}).get(key), self.new.raw.get("info", {}).get(key)
            if before != after:
                self.add("info", False, f"info.{key}", f"{before!r} -> {after!r}")
        before, after = set(self.old.raw.get("x-production-hosts", [])), set(self.new.raw.get("x-production-hosts", []))
        if before != after:
            self.add("server", False, "x-production-hosts", f"{sorted(before)} -> {sorted(after)}")

    def _urls(self, spec: _Spec) -> set[str]:
        urls = set()
        for server in spec.raw.get("servers", []) or []:
            expanded = [server.get("url", "")]
            for name, var in (server.get("variables") or {}).items():
                choices = var.get("enum") or [var.get("default", "")]
                expanded = [u.replace("{" + name + "}", str(c)) for u in expanded for c in choices]
            urls |= set(expanded)
        return urls

    def servers(self) -> None:
        before, after = self._urls(self.old), self._urls(self.new)
        for url in sorted(before - after):
            self.add("server", True, "servers", f"base URL no longer served: {url}")
        for url in sorted(after - before):
            self.add("server", False, "servers", f"base URL added: {url}")

    def behaviour(self, old: dict[str, Any], new: dict[str, Any], where: str) -> None:
        for key, kind in BEHAVIOUR.items():
            before, after = _plain(old.get(key)), _plain(new.get(key))
            if before == after:
                continue
            if before is None:
                message = f"{key} added: {after!r}"
            elif after is None:
                message = f"{key} removed (was {before!r})"
            else:
                message = f"{key} changed: {before!r} -> {after!r}"
            self.add(kind, True, where, message)

    def security_schemes(self) -> None:
        old = (self.old.raw.get("components") or {}).get("securitySchemes") or {}
        new = (self.new.raw.get("components") or {}).get("securitySchemes") or {}
        for name in sorted(set(old) | set(new)):
            where = f"securitySchemes.{name}"
            if name not in new:
                self.add("auth", False, where, "security scheme removed")
            elif name not in old:
                self.add("auth", False, where, "security scheme added")
            else:
                a, b = old[name], new[name]
                for key in ("type", "scheme", "in", "name", "bearerFormat"):
                    if a.get(key) != b.get(key):
                        self.add("auth", True, where, f"{key}: {a.get(key)!r} -> {b.get(key)!r}")
                self.behaviour(a, b, where)

    # --- operations -----------------------------------------------------------------------------
    def operations(self) -> None:
        old_ops, new_ops = self.old.operations(), self.new.operations()
        removed = [k for k in old_ops if k not in new_ops]
        added = [k for k in new_ops if k not in old_ops]
        for key in [k for k in old_ops if k in new_ops]:
            self.operation(old_ops[key], new_ops[key], _label(key))
        for key in removed:
            match = next(
                (k for k in added if k[0] == key[0] and (
                    _static(k[1]) == _static(key[1])
                    or (old_ops[key].get("operationId") and old_ops[key].get("operationId") == new_ops[k].get("operationId"))
                )),
                None,
            )
            if match is None:
                self.add("operation", True, _label(key), "operation removed")
                continue
            added.remove(match)
            new_params = set(re.findall(r"{([^}]+)}", match[1])) - set(re.findall(r"{([^}]+)}", key[1]))
            extra = f" (new path parameter {', '.join(sorted(new_params))})" if new_params else ""
            self.add("operation", True, _label(key), f"operation moved to {_label(match)}{extra}")
            self.operation(old_ops[key], new_ops[match], _label(match))
        for key in added:
            self.add("operation", False, _label(key), "operation added")

    def operation(self, old: dict[str, Any], new: dict[str, Any], where: str) -> None:
        self.behaviour(old, new, where)
        self.parameters(old["_params"], new["_params"], where)
        self.request_body(old.get("requestBody"), new.get("requestBody"), where)
        self.responses(old.get("responses") or {}, new.get("responses") or {}, where)
        if self.old.security(old) != self.new.security(new):
            before = [sorted(s) for s in self.old.security(old)]
            after = [sorted(s) for s in self.new.security(new)]
            stricter = bool(after) and (not before or any(s for s in after if s not in before))
            self.add("auth", stricter, where, f"security {before} -> {after}")

    def parameters(self, old: dict, new: dict, where: str) -> None:
        for key in sorted(set(old) | set(new), key=str):
            place, name = key
            label = f"{where} {place} parameter {name}"
            if key not in new:
                self.add("parameter", place == "path", label, "parameter removed")
                continue
            a, b = old.get(key), new[key]
            if a is None:
                required = bool(b.get("required"))
                self.add("parameter", required, label, "required parameter added" if required else "optional parameter added")
                continue
            if b.get("required") and not a.get("required"):
                self.add("parameter", True, label, "parameter is now required")
            elif a.get("required") and not b.get("required"):
                self.add("parameter", False, label, "parameter is now optional")
            self.schema(self.old.deref(a.get("schema", {})), self.new.deref(b.get("schema", {})), label, "request")

    def request_body(self, old: Any, new: Any, where: str) -> None:
        old, new = self.old.deref(old) or {}, self.new.deref(new) or {}
        label = f"{where} request body"
        if not old and not new:
            return
        if new.get("required") and not old.get("required"):
            self.add("request", True, label, "request body is now required")
        elif old.get("required") and not new.get("required"):
            self.add("request", False, label, "request body is now optional")
        old_media, new_media = old.get("content") or {}, new.get("content") or {}
        for media in sorted(set(old_media) | set(new_media)):
            if media not in new_media:
                self.add("request", True, label, f"media type {media} no longer accepted")
            elif media not in old_media:
                self.add("request", False, label, f"media type {media} accepted")
            else:
                self.schema(self.old.deref(old_media[media].get("schema", {})),
                            self.new.deref(new_media[media].get("schema", {})), f"{label} ({media})", "request")

    def responses(self, old: dict, new: dict, where: str) -> None:
        for status in sorted(set(old) | set(new), key=str):
            label = f"{where} response {status}"
            if status not in new:
                self.add("response", True, label, "status code removed")
                continue
            if status not in old:
                self.add("response", False, label, "status code added")
                continue
            a, b = self.old.deref(old[status]), self.new.deref(new[status])
            for header in sorted(set(a.get("headers") or {}) - set(b.get("headers") or {})):
                self.add("response", True, label, f"header {header} removed")
            for header in sorted(set(b.get("headers") or {}) - set(a.get("headers") or {})):
                self.add("response", False, label, f"header {header} added")
            old_media, new_media = a.get("content") or {}, b.get("content") or {}
            for media in sorted(set(old_media) | set(new_media)):
                if media not in new_media:
                    self.add("response", True, label, f"media type {media} removed")
                elif media not in old_media:
                    self.add("response", False, label, f"media type {media} added")
                else:
                    self.schema(self.old.deref(old_media[media].get("schema", {})),
                                self.new.deref(new_media[media].get("schema", {})), label, "response")

    # --- schemas --------------------------------------------------------------------------------
    def schema(self, old: dict, new: dict, where: str, direction: str, depth: int = 0) -> None:
        if depth > 8 or not isinstance(old, dict) or not isinstance(new, dict):
            return
        request = direction == "request"
        if "type" in old and "type" in new and old["type"] != new["type"]:
            self.add(direction, True, where, f"type {old['type']!r} -> {new['type']!r}")
        if "enum" in old or "enum" in new or "const" in old or "const" in new:
            before = _values(old.get("enum", [old["const"]] if "const" in old else []))
            after = _values(new.get("enum", [new["const"]] if "const" in new else []))
            if before and after:
                if before - after:
                    self.add(direction, request, where, f"values no longer {'accepted' if request else 'returned'}: "
                                                        f"{_show(before - after)}")
                if after - before:
                    self.add(direction, not request and False, where, f"values added: {_show(after - before)}")
            elif after and not before:
                self.add(direction, request, where, f"now restricted to: {_show(after)}")
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_req, new_req = set(old.get("required") or []), set(new.get("required") or [])
        for name in sorted(set(old_props) | set(new_props)):
            label = f"{where} field {name}"
            if name not in new_props:
                self.add(direction, not request, label, "field removed")
                continue
            if name not in old_props:
                newly_required = name in new_req
                self.add(direction, request and newly_required, label,
                         "required field added" if newly_required else "field added")
                continue
            if request and name in new_req and name not in old_req:
                self.add(direction, True, label, "field is now required")
            if request and name in old_req and name not in new_req:
                self.add(direction, False, label, "field is now optional")
            if not request and name in old_req and name not in new_req:
                self.add(direction, True, label, "field is no longer always returned")
            self.schema(self.old.deref(old_props[name]), self.new.deref(new_props[name]), label, direction, depth + 1)
        if "items" in old and "items" in new:
            self.schema(self.old.deref(old["items"]), self.new.deref(new["items"]), f"{where}[]", direction, depth + 1)


def diff_specs(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    changes = _Differ(old, new).run()
    return {
        "breaking": any(c.breaking for c in changes),
        "counts": {"breaking": sum(c.breaking for c in changes), "non_breaking": sum(not c.breaking for c in changes)},
        "changes": [asdict(c) for c in sorted(changes, key=lambda c: (not c.breaking, c.kind, c.where))],
    }


def diff_files(old: str, new: str) -> dict[str, Any]:
    result = diff_specs(_load(old), _load(new))
    result["old"], result["new"] = old, new
    return result


def render_text(result: dict[str, Any]) -> str:
    lines = [f"{result.get('old', 'old')} -> {result.get('new', 'new')}"]
    for change in result["changes"]:
        tag = "BREAKING    " if change["breaking"] else "non-breaking"
        lines.append(f"{tag} [{change['kind']}] {change['where']}: {change['message']}")
    counts = result["counts"]
    lines.append(f"{counts['breaking']} breaking, {counts['non_breaking']} non-breaking change(s)")
    return "\n".join(lines)
