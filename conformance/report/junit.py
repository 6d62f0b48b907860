"""junit.xml with one test case per requirement, for CI dashboards."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from conformance.redact import REDACTOR
from conformance.report.results import RequirementResult


def write(path: Path, result) -> None:
    """junit.xml of a run's result (conformance.report.model.RunResult)."""
    rows: list[RequirementResult] = result.rows
    base_urls = {api.name: api.base_url for api in result.apis}
    suites = ET.Element("testsuites", name="conformance")
    by_api: dict[str, list[RequirementResult]] = {}
    for row in rows:
        by_api.setdefault(row.req.api, []).append(row)
    for api, api_rows in by_api.items():
        counts = Counter(r.status for r in api_rows)
        suite = ET.SubElement(
            suites, "testsuite", name=api, tests=str(len(api_rows)),
            failures=str(counts["failed"]), errors=str(counts["error"]),
            skipped=str(sum(counts[s] for s in ("skipped", "not_applicable", "untestable", "untested", "not_selected"))),
        )
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="base_url", value=base_urls.get(api, ""))
        for row in api_rows:
            r = row.req
            case = ET.SubElement(suite, "testcase", classname=f"{api}.{r.category}", name=f"{r.id} {r.requirement}")
            ET.SubElement(case, "properties").extend(
                [ET.Element("property", name=k, value=str(v))
                 for k, v in (("doc", r.doc), ("severity", r.severity), ("status", row.status))]
            )
            message = REDACTOR.text(row.message or "")
            if row.status == "failed":
                ET.SubElement(case, "failure", message=message[:500], type="conformance").text = message
            elif row.status == "error":
                ET.SubElement(case, "error", message=message[:500], type="incomplete").text = message
            elif row.status in ("skipped", "not_applicable", "untestable", "untested", "not_selected"):
                ET.SubElement(case, "skipped", message=f"{row.status}: {message}"[:500])
            elif row.status in ("warning", "waived"):
                ET.SubElement(case, "system-out").text = f"{row.status}: {message}"
    ET.indent(suites)
    path.write_text(REDACTOR.text(ET.tostring(suites, encoding="unicode", xml_declaration=True)), encoding="utf-8")
