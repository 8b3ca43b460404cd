"""The batch's table of contents: ``OUT/index.html`` and ``OUT/manifest.json``.

The manifest accumulates: a run updates the entries of the reports it produced and keeps the others,
so the index always lists every report in the folder. A report is identified by its period, unit and
file stem; the index groups reports by kind (the province overview first) and shows each kind's own
headline figures.
"""
from __future__ import annotations

import json
import os
import platform
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from parreport import fmt
from parreport.batch.runner import JobResult
from parreport.metrics.definitions import PROVINCE, PROVINCE_LABEL
from parreport.narrative import render
from parreport.periods import Period
from parreport.registry import Registry
from parreport.render import FORMATS
from parreport.reports.content import SAMPLE_DATA_LABEL
from parreport.reports.kinds import PROVINCE_SCOPE, kinds

MANIFEST = "manifest.json"
INDEX = "index.html"
PACKAGES = ("parreport", "pandas", "duckdb", "papermill", "nbconvert", "weasyprint", "matplotlib", "babel")


def write_manifest(out: Path, results: list[JobResult], data: dict, spec: dict) -> dict:
    """Merge this run's results into ``OUT/manifest.json`` (written atomically) and return it."""
    path = out / MANIFEST
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    reports = {_key(r): r for r in previous.get("reports", [])}
    reports.update({_key(r.to_dict()): _relative(r.to_dict(), out) for r in results})
    manifest = {
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "versions": {"python": platform.python_version()} | {name: version(name) for name in PACKAGES},
        "data": data,
        "spec": spec,
        "reports": [reports[key] for key in sorted(reports)],
    }
    _write_atomically(path, json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
    return manifest


def write_index(out: Path, manifest: dict, registry: Registry) -> Path:
    """``OUT/index.html``: every report with its kind's headline figures, the province overview first,
    newest period first."""
    registered = kinds()
    order = sorted(registered.values(), key=lambda kind: kind.scope != PROVINCE_SCOPE)
    groups = []
    for kind in order:
        rows = [_row(report, registry) for report in manifest["reports"] if report.get("kind") == kind.name]
        if rows:
            rows.sort(key=lambda r: (-Period.parse(r["period"]).start.toordinal(), r["name"]))
            groups.append({"kind": kind, "rows": rows})
    generated = fmt.moment(datetime.fromisoformat(manifest["generated_at"]))
    html = render("index.html.j2", groups=groups, province=registry.province, generated_at=generated,
                  count=len(manifest["reports"]), sample_data=manifest["data"].get("sample_data", False),
                  sample_label=SAMPLE_DATA_LABEL)
    path = out / INDEX
    _write_atomically(path, html)
    return path


def _row(report: dict, registry: Registry) -> dict:
    code = report["department"]
    name = PROVINCE_LABEL if code == PROVINCE else registry.get(code).name if code in registry else code
    links = [{"label": FORMATS[output].label, "href": href}
             for output, href in report["outputs"].items() if output in FORMATS]
    return {**report, "name": name, "period_label": Period.parse(report["period"]).label_vi, "links": links}


def _key(report: dict) -> tuple[str, str, str]:
    return report["period"], report["department"], report.get("stem", "briefing")


def _relative(report: dict, out: Path) -> dict:
    report["outputs"] = {kind: os.path.relpath(path, out) for kind, path in report["outputs"].items()}
    return report


def _write_atomically(path: Path, text: str) -> None:
    scratch = path.with_name(f".{path.name}.partial")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)
