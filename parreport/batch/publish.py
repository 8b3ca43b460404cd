"""The batch's table of contents: ``OUT/index.html`` and ``OUT/manifest.json``.

The manifest accumulates: a run updates the entries of the reports it produced and keeps the others,
so the index always lists every report in the folder.
"""
from __future__ import annotations

import json
import os
import platform
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from parreport.batch.runner import JobResult
from parreport.narrative import render
from parreport.periods import Period
from parreport.registry import Registry

MANIFEST = "manifest.json"
INDEX = "index.html"
PACKAGES = ("parreport", "pandas", "duckdb", "papermill", "nbconvert", "weasyprint", "matplotlib", "babel")


def write_manifest(out: Path, results: list[JobResult], data: dict, spec: dict) -> dict:
    """Merge this run's results into ``OUT/manifest.json`` (written atomically) and return it."""
    path = out / MANIFEST
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    reports = {(r["period"], r["department"]): r for r in previous.get("reports", [])}
    reports.update({(r.period, r.department): _relative(r.to_dict(), out) for r in results})
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
    """``OUT/index.html``: every report with its headline figures, newest period first."""
    rows = []
    for report in manifest["reports"]:
        code = report["department"]
        name = registry.get(code).name if code in registry else code
        rows.append({**report, "name": name, "period_label": Period.parse(report["period"]).label_vi})
    rows.sort(key=lambda r: (-Period.parse(r["period"]).start.toordinal(), r["name"]))
    html = render("index.html.j2", rows=rows, province=registry.province, generated_at=manifest["generated_at"])
    path = out / INDEX
    _write_atomically(path, html)
    return path


def _relative(report: dict, out: Path) -> dict:
    report["outputs"] = {kind: os.path.relpath(path, out) for kind, path in report["outputs"].items()}
    return report


def _write_atomically(path: Path, text: str) -> None:
    scratch = path.with_name(f".{path.name}.partial")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)
