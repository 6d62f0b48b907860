"""From test outcomes to one status per requirement: the unit every report speaks in."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.catalogue import Requirement
from conformance.errors import ConfigError

# Statuses, and whether each blocks a sign-off.
STATUSES = {
    "passed": False,
    "failed": True,
    "warning": False,  # an inferred (RFC) requirement failed: reported, not gating
    "waived": False,  # failed, covered by an unexpired waiver
    "skipped": True,  # could not be verified on this target: blocks sign-off
    "not_applicable": False,  # the target does not offer it
    "untestable": False,  # the doc gives nothing to test from outside; reason shown
    "untested": True,  # no test ran for it (a suite defect)
    "not_selected": True,  # its tests were left out by a selection (-m, -k, --category, --requirement)
    "error": True,  # the run could not complete
}


@dataclass
class TestResult:
    nodeid: str
    api: str
    ids: tuple[str, ...]
    outcome: str  # passed | failed | skipped | not_applicable | error
    failed_ids: tuple[str, ...] = ()
    message: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    duration: float = 0.0
    # Per failed requirement, when one test found several: (message, evidence).
    details: dict[str, tuple[str, list[dict[str, Any]]]] = field(default_factory=dict)
    complete: bool = False  # a failed test that still checked all its requirements to the end

    def detail(self, rid: str) -> tuple[str, list[dict[str, Any]]]:
        return self.details.get(rid, (self.message, self.evidence))

    def to_json(self) -> dict[str, Any]:
        return {
            "nodeid": self.nodeid,
            "api": self.api,
            "requirements": list(self.ids),
            "outcome": self.outcome,
            "failed_requirements": list(self.failed_ids),
            "message": self.message,
            "duration_s": round(self.duration, 3),
        }


@dataclass
class Waiver:
    id: str
    reason: str
    expires: dt.date
    used: bool = False

    def active(self, today: dt.date) -> bool:
        return today <= self.expires


@dataclass
class RequirementResult:
    req: Requirement
    status: str
    tests: list[str]
    message: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)
    waiver: Waiver | None = None

    def to_json(self) -> dict[str, Any]:
        r = self.req
        row = {
            "id": r.id,
            "api": r.api,
            "category": r.category,
            "requirement": r.requirement,
            "status": self.status,
            "severity": r.severity,
            "basis": r.basis,
            "rfc": r.rfc,
            "doc": r.doc,
            "tests": self.tests,
            "message": self.message,
        }
        if r.untestable:
            row["untestable"] = r.untestable
        if self.waiver:
            row["waiver"] = {"reason": self.waiver.reason, "expires": self.waiver.expires.isoformat()}
        if self.evidence:
            row["evidence"] = self.evidence
        return row


def load_waivers(path: str | None) -> list[Waiver]:
    """A waiver file lists known deviations: [[waiver]] id, reason, expires (a TOML date)."""
    if not path:
        return []
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"waiver file not found: {path}")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"waiver file {path} is not valid TOML: {exc}") from None
    waivers = []
    for index, entry in enumerate(data.get("waiver", []), 1):
        where = f"{path}: waiver #{index}"
        if not isinstance(entry, dict) or not all(k in entry for k in ("id", "reason", "expires")):
            raise ConfigError(f"{where} needs id, reason and expires")
        expires = entry["expires"]
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                raise ConfigError(f"{where}: expires must be a date like 2027-01-31") from None
        if not isinstance(expires, dt.date):
            raise ConfigError(f"{where}: expires must be a date like 2027-01-31")
        waivers.append(Waiver(str(entry["id"]), str(entry["reason"]), expires))
    return waivers


def aggregate(
    requirements: list[Requirement], tests: list[TestResult], waivers: list[Waiver], today: dt.date
) -> list[RequirementResult]:
    by_req: dict[str, list[TestResult]] = {}
    for test in tests:
        for rid in test.ids:
            by_req.setdefault(rid, []).append(test)
    waiver_for = {w.id: w for w in waivers}
    rows = []
    for req in requirements:
        linked = by_req.get(req.id, [])
        names = [t.nodeid for t in linked]
        failing = [t for t in linked if t.outcome == "failed" and req.id in t.failed_ids]
        errors = [t for t in linked if t.outcome == "error"]
        passed = [t for t in linked if t.outcome == "passed" or (t.outcome == "failed" and t.complete)]
        skipped = [t for t in linked if t.outcome in ("skipped", "not_applicable")]
        if not linked:
            status = "untestable" if req.untestable else "untested"
            rows.append(RequirementResult(req, status, [], req.untestable or "no test ran for this requirement"))
            continue
        if errors:
            rows.append(RequirementResult(req, "error", names, errors[0].message, errors[0].evidence))
            continue
        if failing:
            status = "failed" if req.severity == "required" else "warning"
            message, evidence = failing[0].detail(req.id)
            row = RequirementResult(req, status, names, message, evidence)
            waiver = waiver_for.get(req.id)
            if waiver:
                waiver.used = True
                row.waiver = waiver
                if waiver.active(today):
                    row.status = "waived"
                else:
                    row.message = f"waiver expired on {waiver.expires.isoformat()}: " + row.message
            rows.append(row)
            continue
        if passed:
            rows.append(RequirementResult(req, "passed", names))
            continue
        if skipped and all(t.outcome == "not_applicable" for t in skipped):
            rows.append(RequirementResult(req, "not_applicable", names, skipped[0].message))
            continue
        if skipped:
            first = next(t for t in skipped if t.outcome == "skipped")
            rows.append(RequirementResult(req, "skipped", names, first.message))
            continue
        # Every test that covers it stopped at another requirement's failure.
        stopper = linked[0]
        rows.append(
            RequirementResult(
                req, "skipped", names,
                f"not verified: {stopper.nodeid} stopped at a failure of {', '.join(stopper.failed_ids)}",
            )
        )
    return rows
