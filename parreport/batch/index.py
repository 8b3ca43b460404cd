"""The batch's table of contents: ``OUT/index.html`` and ``OUT/manifest.json``.

The manifest accumulates: a run updates the entries of the reports it produced and keeps the others,
so the index always lists every report in the folder. A report is identified by its period, unit and
file stem; the index groups reports by kind (the province overview first) and shows each kind's own
headline figures; within a kind, newest period first, and within a period the province's row, then the units
under a subheading per registry group ("Sở, ban, ngành", "Xã, phường", then the others in registry order),
in registry order within a group (units the registry does not list: by their names in Vietnamese alphabetical
order, where "Đ" follows "D", not "Z").
A report whose re-run failed (or found no data) keeps its previous good files on disk, and its entry keeps
them as ``last_good`` (outputs, headline, generated_at) beside the failure, so the index links both.
"""
from __future__ import annotations

import json
import os
import platform
import unicodedata
from datetime import datetime
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from parreport import fmt
from parreport.batch.outdir import MANIFEST
from parreport.batch.results import OK, JobResult
from parreport.metrics.definitions import PROVINCE, PROVINCE_LABEL
from parreport.narrative import render
from parreport.periods import Period
from parreport.registry import GROUP_SETS, Registry
from parreport.render import formats
from parreport.reports.content import SAMPLE_DATA_LABEL
from parreport.reports.kinds import PROVINCE_SCOPE, kinds

INDEX = "index.html"
OTHER_UNITS = "Đơn vị khác"  # the subheading of units the registry does not list
PACKAGES = ("parreport", "pandas", "duckdb", "papermill", "nbconvert", "weasyprint", "matplotlib", "babel")


def write_manifest(out: Path, results: list[JobResult], data: dict, spec: dict) -> dict:
    """Merge results into ``OUT/manifest.json`` (written atomically) and return it."""
    path = out / MANIFEST
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    reports = {_key(r): r for r in previous.get("reports", [])}
    now = datetime.now().isoformat(timespec="seconds")
    for result in results:
        before = reports.get(_key(result.to_dict()))
        made = before.get("generated_at") if result.reused and before else now
        entry = _relative(result.to_dict(), out) | {"generated_at": made}
        last_good = _last_good(before) if entry["status"] != OK else None
        reports[_key(entry)] = entry | ({"last_good": last_good} if last_good else {})
    manifest = {
        "generated_at": now,
        "versions": versions(),
        "data": data,
        "spec": spec,
        "reports": [reports[key] for key in sorted(reports)],
    }
    _write_atomically(path, json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
    return manifest


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """Python's and :data:`PACKAGES`' versions, read once per process (the manifest is written after every
    report, and each lookup reads the installed packages' metadata)."""
    return {"python": platform.python_version()} | {name: version(name) for name in PACKAGES}


def _last_good(entry: dict | None) -> dict | None:
    """The latest good production of a report, from its previous manifest entry."""
    if entry is None:
        return None
    if entry["status"] != OK:
        return entry.get("last_good")
    outputs = {name: href for name, href in entry["outputs"].items() if name != "failed_notebook"}
    return {"outputs": outputs, "headline": entry.get("headline", {}),
            "headline_columns": entry.get("headline_columns", []), "generated_at": entry.get("generated_at")}


def write_index(out: Path, manifest: dict, registry: Registry) -> Path:
    """``OUT/index.html``: every report with its kind's headline figures, the province overview first,
    newest period first, in a period the province's row first and the units under their group's subheading."""
    registered = kinds()
    order = sorted(registered.values(), key=lambda kind: kind.scope != PROVINCE_SCOPE)
    ranks = _group_ranks(registry)
    places = {unit.code: place for place, unit in enumerate(registry)}
    groups = []
    for kind in order:
        rows = [_row(report, registry) for report in manifest["reports"] if report.get("kind") == kind.name]
        if rows:
            rows.sort(key=lambda r: (-Period.parse(r["period"]).start.toordinal(), r["department"] != PROVINCE,
                                     ranks.get(r["group"], len(ranks)), places.get(r["department"], len(places)),
                                     vietnamese_key(r["name"]), r["department"]))
            groups.append({"kind": kind, "periods": _periods(rows), "columns": _columns(rows)})
    generated = fmt.moment(datetime.fromisoformat(manifest["generated_at"]))
    html = render("index.html.j2", groups=groups, province=registry.province, generated_at=generated,
                  count=len(manifest["reports"]), sample_data=manifest["data"].get("sample_data", False),
                  sample_label=SAMPLE_DATA_LABEL)
    path = out / INDEX
    _write_atomically(path, html)
    return path


def _group_ranks(registry: Registry) -> dict[str | None, int]:
    """Each registry group's place in the index (:meth:`Registry.groups`); units the registry no longer lists
    come last."""
    return {group: place for place, group in enumerate(registry.groups())}


# The Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f, j, w, z in loanwords).
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = "\u0300\u0309\u0303\u0301\u0323"  # huyền, hỏi, ngã, sắc, nặng (no mark: ngang, first)


def vietnamese_key(text: str) -> tuple:
    """A sort key putting names in Vietnamese alphabetical order: by letters first ("Đ" after "D", "Ư" after
    "U", both before "V"; spaces and punctuation, then digits, before letters), then by tone marks (ngang,
    huyền, hỏi, ngã, sắc, nặng), then as written."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char.lower())
        marks = [mark for mark in decomposed[1:] if mark in _TONES]
        letter = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in _TONES))
        place = _LETTERS.find(letter) if len(letter) == 1 else -1
        if place >= 0:
            letters.append((2, place))
        else:
            letters.append((1 if letter.isdigit() else 3 if letter.isalpha() else 0, letter))
        tones.append(1 + _TONES.index(marks[0]) if marks else 0)
    return tuple(letters), tuple(tones), text


def group_heading(group: str | None) -> str:
    """The subheading of a group's rows: "các sở, ban, ngành" → "Sở, ban, ngành"; an unknown group its code."""
    if group is None:
        return OTHER_UNITS
    known = GROUP_SETS.get(group)
    return fmt.capital(known.removeprefix("các ")) if known else f"Nhóm {group}"


def _periods(rows: list[dict]) -> list[dict]:
    """Rows (sorted) as periods, each with its province rows and its units' rows by group:
    ``{"label", "province": [rows], "groups": [{"heading", "rows"}]}``."""
    periods: list[dict] = []
    for row in rows:
        if not periods or periods[-1]["code"] != row["period"]:
            periods.append({"code": row["period"], "label": row["period_label"], "province": [], "groups": []})
        period = periods[-1]
        if row["department"] == PROVINCE:
            period["province"].append(row)
            continue
        if not period["groups"] or period["groups"][-1]["group"] != row["group"]:
            period["groups"].append({"group": row["group"], "heading": group_heading(row["group"]), "rows": []})
        period["groups"][-1]["rows"].append(row)
    return periods


def _columns(rows: list[dict]) -> list[dict]:
    """The headline columns of a kind's reports, as their content declared them, in order of appearance."""
    columns: dict[str, dict] = {}
    for row in rows:
        for column in row.get("headline_columns") or (row.get("last_good") or {}).get("headline_columns", []):
            columns.setdefault(column["key"], column)
    return list(columns.values())


def _row(report: dict, registry: Registry) -> dict:
    code = report["department"]
    name = PROVINCE_LABEL if code == PROVINCE else registry.get(code).name if code in registry else code
    group = PROVINCE if code == PROVINCE else registry.get(code).group if code in registry else None
    last_good = report.get("last_good")
    return {**report, "name": name, "group": group, "period_label": Period.parse(report["period"]).label_vi,
            "links": _links(report["outputs"]),
            "last_good_links": _links(last_good["outputs"]) if last_good else [],
            "last_good_at": fmt.moment(datetime.fromisoformat(last_good["generated_at"]))
            if last_good and last_good.get("generated_at") else None}


def _links(outputs: dict[str, str]) -> list[dict]:
    known = formats()
    return [{"label": known[output].label, "href": href} for output, href in outputs.items() if output in known]


def _key(report: dict) -> tuple[str, str, str]:
    return report["period"], report["department"], report.get("stem", "briefing")


def _relative(report: dict, out: Path) -> dict:
    report["outputs"] = {kind: os.path.relpath(path, out) for kind, path in report["outputs"].items()}
    return report


def _write_atomically(path: Path, text: str) -> None:
    scratch = path.with_name(f".{path.name}.partial")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)
