"""`conformance compare OLD NEW`: what changed in behaviour between two runs."""

from __future__ import annotations

from typing import Any

GOOD = {"passed", "waived", "not_applicable", "untestable"}


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    before = {r["id"]: r for r in old["requirements"]}
    after = {r["id"]: r for r in new["requirements"]}
    changes: dict[str, list[dict[str, Any]]] = {
        "newly_failing": [], "newly_passing": [], "changed": [], "added": [], "removed": []
    }
    for rid, row in after.items():
        if rid not in before:
            changes["added"].append({"id": rid, "api": row["api"], "status": row["status"]})
            continue
        was, now = before[rid]["status"], row["status"]
        if was == now:
            continue
        entry = {"id": rid, "api": row["api"], "before": was, "after": now, "requirement": row["requirement"]}
        if now == "failed" or (now == "error" and was != "error"):
            changes["newly_failing"].append(entry)
        elif now in GOOD and was not in GOOD:
            changes["newly_passing"].append(entry)
        else:
            changes["changed"].append(entry)
    for rid, row in before.items():
        if rid not in after:
            changes["removed"].append({"id": rid, "api": row["api"], "status": row["status"]})
    changes["regression"] = bool(changes["newly_failing"])
    return changes


def render_text(changes: dict[str, Any]) -> str:
    lines = []
    titles = {
        "newly_failing": "Newly failing", "newly_passing": "Newly passing", "changed": "Changed status",
        "added": "Added requirements", "removed": "Removed requirements",
    }
    for key, title in titles.items():
        items = changes[key]
        lines.append(f"{title}: {len(items)}")
        for item in items:
            if "before" in item:
                lines.append(f"  {item['id']} ({item['api']}): {item['before']} -> {item['after']}")
            else:
                lines.append(f"  {item['id']} ({item['api']}): {item['status']}")
    lines.append("REGRESSION" if changes["regression"] else "no regression")
    return "\n".join(lines)
