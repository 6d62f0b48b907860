"""The sign-off sections of report.html, injected into pytest-html's self-contained page.

Everything is inline (CSS, SVG): the file opens offline, with no network and no CDN.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from conformance.catalogue import CATEGORIES
from conformance.redact import REDACTOR

COLOURS = {
    "passed": "#2e7d32", "failed": "#c62828", "warning": "#ef6c00", "waived": "#6a1b9a",
    "skipped": "#f9a825", "not_applicable": "#90a4ae", "untestable": "#b0bec5", "untested": "#d84315",
    "not_selected": "#cfd8dc", "error": "#000000",
}
LETTERS = {"passed": "P", "failed": "F", "warning": "W", "waived": "V", "skipped": "S", "not_applicable": "N",
           "untestable": "U", "not_selected": "-"}
MATRIX_STATUSES = ("passed", "failed", "warning", "waived", "skipped", "not_applicable", "untestable", "not_selected")
VERDICT_COLOURS = {"PASSED": "#2e7d32", "FAILED": "#c62828", "INCOMPLETE": "#37474f"}

STYLE = """
<style>
.signoff{font-family:Helvetica,Arial,sans-serif;font-size:13px;max-width:100%}
.signoff h2{margin-top:24px;border-bottom:1px solid #ccc}
.signoff table{border-collapse:collapse;margin:6px 0}
.signoff td,.signoff th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
.signoff th{background:#eee}
.signoff .verdict{padding:14px 18px;color:#fff;font-size:20px;font-weight:bold;border-radius:4px}
.signoff .verdict small{display:block;font-size:13px;font-weight:normal}
.signoff .st{color:#fff;padding:1px 5px;border-radius:3px;font-size:11px;white-space:nowrap}
.signoff pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:6px;margin:4px 0;max-width:1100px}
.signoff .num0{color:#bbb}
.signoff blockquote.quote{margin:4px 0 2px 0;border-left:3px solid #90a4ae;padding-left:6px}
.signoff blockquote.quote pre{background:#fafafa;font-size:12px}
.signoff details.quote summary{color:#455a64;cursor:pointer;font-size:12px}
.signoff .quote-problem{color:#c62828;font-size:12px}
#environment-header,#environment{display:none}
</style>
"""


def _badge(status: str) -> str:
    return f'<span class="st" style="background:{COLOURS.get(status, "#555")}">{escape(status)}</span>'


def _header(data: dict[str, Any]) -> str:
    run, target = data["run"], data["target"]
    rows = [
        ("Target", f"{target['name']} ({target['source']})"),
        ("Suite", f"conformance {data['suite']['version']}"),
        ("Profile / seed", f"{run['profile']} / {run['seed']} (re-run with --seed {run['seed']})"
                           + (f"; at most {run['max_examples']} generated examples per operation (--max-examples)"
                              if run.get("max_examples") else "")),
        ("Started / finished (UTC)", f"{run['started']} / {run['finished']}"),
        ("Ran by", f"{run['ran_by']}: {run['command']}"),
        ("Data prefix", run["data_prefix"]),
    ]
    if target.get("mock_fault"):
        rows.append(("Mock fault", target["mock_fault"]))
    rows += _shard_rows(run)
    out = ["<h2>Run</h2><table>"]
    out += [f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows]
    out.append("</table><table><tr><th>API</th><th>Edition</th><th>Base URL</th><th>Spec (sha256)</th>"
               "<th>Vendor doc</th><th>Requests</th><th>Tokens issued to the suite</th></tr>")
    for api in data["apis"]:
        out.append(
            f"<tr><td>{escape(api['name'])}</td><td>{escape(api['title'])}</td><td>{escape(api['base_url'])}</td>"
            f"<td>{escape(api['spec'])}<br><code>{api['spec_sha256'][:16]}</code></td>"
            f"<td>{escape(str(api['vendor_doc']))}</td><td>{api['requests_sent']}{_resent(api)}</td>"
            f"<td>{_tokens(api)}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def _resent(api: dict[str, Any]) -> str:
    n = api.get("resent_after_429") or 0
    return (f"<br><small>{n} answered 429 while the suite kept under the rate it was given, and were sent again "
            "after the Retry-After</small>") if n else ""


def _shard_rows(run: dict[str, Any]) -> list[tuple[str, str]]:
    """A shard (`run --shard K/N`) or a merge of shards (`conformance merge`) says so."""
    shard = (run.get("selection") or {}).get("shard")
    rows = []
    if shard:
        rows.append(("Shard", f"{shard['index']}/{shard['total']}: {shard['tests']} of {shard['selected_tests']} "
                              f"selected tests (balanced by {shard['balanced_by']}); the rows judged in other shards "
                              "are not_selected here: `conformance merge` joins the shards' reports"))
    if (run.get("workers") or 1) > 1:
        rows.append(("Workers", f"{run['workers']} processes side by side (--workers), one rate limit per API shared "
                                "by all: " + "; ".join(f"worker {s['index']}: {s['tests']} tests"
                                                       for s in run.get("shards", []))))
        return rows
    if run.get("shards"):
        rows.append(("Merged from", "; ".join(
            f"shard {s['index']}/{s['total']}: run {s['run_id']}, {s['tests']} tests, exit {s['exit_code']}"
            for s in run["shards"])))
    return rows


def _tokens(api: dict[str, Any]) -> str:
    total, before = api["tokens_received"], api.get("tokens_before_disruptive", api["tokens_received"])
    if before == total:
        return str(total)
    return f"{total}<br><small>{before} before the limit and clock tests</small>"


def _verdict(data: dict[str, Any]) -> str:
    verdict = data["verdict"]
    label = verdict["label"]
    colour = VERDICT_COLOURS.get(label, "#f9a825")
    totals = data["counts"]["total"]
    counts = ", ".join(f"{totals[s]} {s}" for s in COLOURS if totals.get(s))
    extra = ""
    if verdict["not_verified"]:
        extra = f"<small>Not verified (blocks sign-off): {escape(', '.join(verdict['not_verified']))}</small>"
    return (
        f'<div class="verdict" id="verdict" data-verdict="{escape(label)}" style="background:{colour}">'
        f"Verdict: {escape(label)} (exit {data['exit_code']})<small>{escape(verdict['reason'])}; {escape(counts)}</small>"
        f"{extra}</div>"
    )


def _chart(by_api: dict[str, Counter]) -> str:
    """Stacked bars, one per API: the share of requirements in each status."""
    width, bar, gap, label_w = 600, 18, 8, 190
    height = len(by_api) * (bar + gap) + 30
    parts = [f'<svg id="status-chart" xmlns="http://www.w3.org/2000/svg" width="{width + label_w + 120}" '
             f'height="{height}" role="img" aria-label="requirement status per API">']
    for index, (api, counts) in enumerate(by_api.items()):
        y = index * (bar + gap)
        total = sum(counts.values()) or 1
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(api)}</text>')
        x = float(label_w)
        for status in COLOURS:
            n = counts.get(status, 0)
            if not n:
                continue
            w = width * n / total
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{COLOURS[status]}">'
                         f"<title>{escape(api)}: {n} {status}</title></rect>")
            x += w
    y = len(by_api) * (bar + gap) + 12
    x = float(label_w)
    for status in COLOURS:
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[status]}"/>'
                     f'<text x="{x + 13}" y="{y}" font-size="10">{status}</text>')
        x += 14 + 6.2 * len(status) + 8
    parts.append("</svg>")
    return "".join(parts)


def _matrix(rows: list[dict[str, Any]]) -> str:
    by_cell: dict[tuple[str, str], Counter] = {}
    by_api: dict[str, Counter] = {}
    for row in rows:
        by_cell.setdefault((row["api"], row["category"]), Counter())[row["status"]] += 1
        by_api.setdefault(row["api"], Counter())[row["status"]] += 1
    categories = [c for c in CATEGORIES if any(k[1] == c for k in by_cell)]
    out = ['<h2>Matrix: API × category</h2><table id="matrix"><tr><th>API</th>']
    out += [f"<th>{escape(c)}</th>" for c in categories]
    out.append("</tr>")
    for api in by_api:
        out.append(f"<tr><th>{escape(api)}</th>")
        for category in categories:
            counts = by_cell.get((api, category))
            if not counts:
                out.append('<td class="num0">-</td>')
                continue
            cell = " ".join(
                f'<span style="color:{COLOURS[s]}" title="{s}">{counts[s]}{LETTERS[s]}</span>'
                for s in MATRIX_STATUSES if counts.get(s)
            )
            if counts.get("untested") or counts.get("error"):
                cell += f' <span style="color:{COLOURS["error"]}">{counts["untested"] + counts["error"]}!</span>'
            out.append(f"<td>{cell}</td>")
        out.append("</tr>")
    out.append("</table><p>P passed · F failed · W warning (inferred from an RFC, not gating) · "
               "V waived · S skipped (blocks sign-off) · N not applicable · U untestable from the doc · "
               "- not selected in this run · ! untested or could not complete</p>")
    out.append(_chart(by_api))
    return "".join(out)


def _evidence(row: dict[str, Any], seed: int) -> str:
    if not row.get("evidence"):
        return ""
    parts = [f"<details><summary>evidence ({len(row['evidence'])} exchanges, seed {seed})</summary>"]
    for exchange in row["evidence"]:
        req, resp = exchange["request"], exchange["response"]
        text = (
            f"{req['method']} {req['url']}\n"
            + "".join(f"{k}: {v}\n" for k, v in req["headers"].items())
            + (f"\n{req['body']}\n" if req["body"] else "")
            + f"\n→ {resp['status']}\n"
            + "".join(f"{k}: {v}\n" for k, v in resp["headers"].items())
            + (f"\n{resp['body']}\n" if resp["body"] else "")
        )
        parts.append(f"<pre>{escape(text)}</pre><pre>{escape(exchange['curl'])}</pre>")
    parts.append("</details>")
    return "".join(parts)


QUOTE_OPEN_LINES = 4  # a longer citation is a collapsed block


def _quotes(row: dict[str, Any]) -> str:
    """The cited lines of the vendor doc, verbatim, under the requirement sentence."""
    found = row.get("doc_excerpt")
    if not found:
        return ""
    parts = []
    for quote in found:
        label = f"{quote['ref']}"
        if quote["text"]:
            text = "\n".join(f"L{quote['first_line'] + i}  {line}" for i, line in enumerate(quote["text"].split("\n")))
            block = f'<blockquote class="quote" cite="{escape(label)}"><pre>{escape(text)}</pre></blockquote>'
            long = text.count("\n") + 1 > QUOTE_OPEN_LINES or len(text) > 600
            summary_text = f"{escape(label)}: {escape(quote['text'].strip().splitlines()[0][:90])}…"
            parts.append(f"<details class='quote'><summary>{summary_text}</summary>{block}</details>" if long else block)
        if quote["problem"]:
            parts.append(f'<div class="quote-problem">{escape(label)}: {escape(quote["problem"])}</div>')
    return "".join(parts)


def _coverage(data: dict[str, Any]) -> str:
    """How much of each vendor doc the suite covers, line by line (its doc map)."""
    docs = data.get("docs") or {}
    out = ["<h2>Vendor docs</h2>"]
    if docs.get("dir"):
        out.append(f"<p>Quotes under each requirement are the cited lines of the vendor docs in "
                   f"<code>{escape(docs['dir'])}</code>, verbatim.</p>")
    else:
        out.append(f'<p id="docs-hint">The vendor docs were not given, so no cited line is quoted: '
                   f"{escape(docs.get('hint') or '')}.</p>")
    rows = [(api["name"], api.get("doc_coverage")) for api in data["apis"] if api.get("doc_coverage")]
    if rows:
        out.append('<table id="doc-coverage"><tr><th>API</th><th>Doc</th><th>Non-blank lines</th>'
                   "<th>Normative (rows or spec)</th><th>With a tested row</th><th>Dispositioned none</th></tr>")
        for name, cov in rows:
            cells = "".join(f"<td>{cov.get(k, '-')}</td>" for k in ("lines", "normative", "tested", "none"))
            out.append(f"<tr><td>{escape(name)}</td><td>{escape(cov['doc'])}</td>{cells}</tr>")
        out.append("</table>")
    return "".join(out)


def _operation_coverage(data: dict[str, Any]) -> str:
    """Per API, the operations the property tests (and the stateful phase) got a 2xx answer from,
    those they never did, and the Schemathesis checks its doc does not support (issue 15)."""
    apis = [api for api in data["apis"] if api.get("operation_coverage") or api.get("checks_not_run")]
    if not apis:
        return ""
    out = ['<h2>Property tests: operations reached</h2><table id="operation-coverage"><tr><th>API</th>'
           "<th>Answered 2xx</th><th>Never answered 2xx</th><th>Checks not run, and why</th></tr>"]
    for api in apis:
        cov = api.get("operation_coverage")
        reached = f"{cov['reached_2xx']} of {cov['operations']}" if cov else "no property-based request sent"
        never = "".join(
            f"<li>{escape(op['operation'])} ({escape(op['method'])} {escape(op['path'])}): "
            + (escape(", ".join(f"{n} x {cls}" for cls, n in op["answers"].items())) if op["sent"] else "never sent")
            + "</li>" for op in (cov or {}).get("never_2xx", []))
        declined = "".join(
            f"<li>{escape(e['check'])}"
            + (f" ({escape(', '.join(map(str, e['operations'])))})" if e.get("operations") else "")
            + f": {escape(' '.join(str(e.get('reason') or '').split()))}</li>" for e in api.get("checks_not_run") or [])
        out.append(f"<tr><td>{escape(api['name'])}</td><td>{reached}</td>"
                   f"<td>{'<ul>' + never + '</ul>' if never else 'none'}</td>"
                   f"<td>{'<ul>' + declined + '</ul>' if declined else 'none'}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _requirements(data: dict[str, Any]) -> str:
    seed = data["run"]["seed"]
    out = ['<h2>Requirements</h2><table id="requirements"><tr><th>Id</th><th>Requirement</th><th>Doc</th>'
           "<th>Severity</th><th>Status</th><th>Detail</th></tr>"]
    order = {"failed": 0, "error": 1, "warning": 2, "skipped": 3, "untested": 4, "waived": 5}
    for row in sorted(data["requirements"], key=lambda r: (order.get(r["status"], 9), r["id"])):
        severity = row["severity"] + (f" ({row['rfc']})" if row.get("rfc") else "")
        detail = escape(row.get("message") or "")
        if row.get("waiver"):
            detail = f"waived until {escape(row['waiver']['expires'])}: {escape(row['waiver']['reason'])}<br>{detail}"
        out.append(
            f'<tr class="req" data-status="{row["status"]}" id="req-{escape(row["id"])}"><td>{escape(row["id"])}</td>'
            f"<td>{escape(row['requirement'])}{_quotes(row)}</td><td>{escape(row['doc'])}</td><td>{escape(severity)}</td>"
            f"<td>{_badge(row['status'])}</td><td>{detail}{_evidence(row, seed)}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def _gaps(data: dict[str, Any]) -> str:
    rows = data["requirements"]
    blocked = [r for r in rows if r["status"] in ("skipped", "untested")]
    not_applicable = [r for r in rows if r["status"] in ("not_applicable", "untestable")]
    out = ["<h2>Skipped: blocks sign-off</h2>"]
    out.append("<ul>" + "".join(f"<li>{escape(r['id'])}: {escape(r['message'])}</li>" for r in blocked) + "</ul>"
               if blocked else "<p>None.</p>")
    out.append("<h2>Not applicable to this target, or untestable from the doc: does not block sign-off</h2>")
    out.append("<ul>" + "".join(f"<li>{escape(r['id'])} ({r['status']}): {escape(r['message'])}</li>"
                                for r in not_applicable) + "</ul>" if not_applicable else "<p>None.</p>")
    waivers = data["waivers"]
    if waivers["unused"] or waivers["expired"]:
        out.append("<h2>Waivers</h2><ul>")
        out += [f"<li>unused waiver: {escape(w)}</li>" for w in waivers["unused"]]
        out += [f"<li>expired waiver: {escape(w)}</li>" for w in waivers["expired"]]
        out.append("</ul>")
    if data.get("cleanup_problems"):
        out.append("<h2>Cleanup problems</h2><ul>")
        out += [f"<li>{escape(p)}</li>" for p in data["cleanup_problems"]]
        out.append("</ul>")
    return "".join(out)


def _notes(data: dict[str, Any]) -> str:
    out = ['<h2>Where the vendor\'s own doc is unclear (x-doc-note)</h2><table id="doc-notes">'
           "<tr><th>API</th><th>Spec location</th><th>Doc</th><th>Ambiguity and the choice made</th></tr>"]
    for note in data["doc_notes"]:
        doc = note["doc"]
        doc = ", ".join(doc) if isinstance(doc, list) else (doc or "")
        out.append(f"<tr><td>{escape(note['api'])}</td><td><code>{escape(note['where'])}</code></td>"
                   f"<td>{escape(doc)}</td><td>{escape(note['note'])}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _baseline(data: dict[str, Any]) -> str:
    changes = data.get("baseline")
    if not changes:
        return ""
    from conformance.report.compare import render_text

    return f'<h2>Compared with the baseline run</h2><pre id="baseline">{escape(render_text(changes))}</pre>'


def signoff_sections(data: dict[str, Any]) -> list[str]:
    """The sign-off sections, from the run's result model (built once, at the end of the session)."""
    body = "".join([_verdict(data), _header(data), _coverage(data), _operation_coverage(data), _matrix(data["requirements"]),
                    _requirements(data), _gaps(data), _baseline(data), _notes(data)])
    return [STYLE + f'<div class="signoff">{REDACTOR.text(body)}</div>']
