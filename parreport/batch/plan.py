"""Plan a batch: the reports to produce (kind × unit × period), checked before any kernel starts."""
from __future__ import annotations

import ast
import json
from functools import lru_cache
from pathlib import Path

from parreport.batch.job import Job
from parreport.batch.spec import ALL, LATEST, BatchSpec
from parreport.errors import ConfigError
from parreport.metrics.definitions import DEFAULT_TOLERANCE, PROVINCE
from parreport.periods import Period
from parreport.registry import Registry
from parreport.reports.kinds import get_kind
from parreport.store import Store

REQUIRED_PARAMETERS = ("department", "period")  # a unit's report; the province's needs only the period


def plan(spec: BatchSpec, registry: Registry, store: Store, data: str, out: Path,
         departments: list[str] | None = None, periods: list[str] | None = None) -> list[Job]:
    """Expand the spec (or the command line's departments/periods) into jobs, validating every value
    and every notebook's parameters first. "latest" is resolved per kind; a report asked for twice
    (e.g. by two kinds sharing a notebook) is planned once."""
    wanted = departments or spec.departments
    wanted = None if wanted == ALL else list(wanted)
    for code in wanted or ():
        if code != PROVINCE:
            registry.get(code)  # raises for an unknown code, naming the known ones
    offered = {"data": data, "targets": spec.targets, "convention": spec.convention, "registry": registry.source,
               "tolerance_766": spec.tolerance_766}
    jobs: dict[tuple[str, str, str], Job] = {}
    for name in spec.reports:
        kind = get_kind(name)
        notebook = spec.notebook or kind.notebook
        for code in periods or spec.periods:
            period = Period.parse(kind.latest(store) if code == LATEST else code, spec.convention)
            for unit in kind.units(registry, period, wanted):
                required = REQUIRED_PARAMETERS if unit != PROVINCE else ("period",)
                parameters = notebook_parameters(notebook, {"department": unit, "period": period.code, **offered},
                                                 explicit=_explicit(spec), required=required)
                job = Job(kind.name, unit, period, notebook, out / period.code / unit, kind.stem, parameters)
                jobs.setdefault((period.code, unit, kind.stem), job)
    if not jobs:
        raise ConfigError(f"nothing to produce: no report kind of {', '.join(spec.reports)} is made for "
                          f"{', '.join(wanted or [])}")
    return list(jobs.values())


def notebook_parameters(notebook: Path, offered: dict, explicit: set[str] = frozenset(),
                        required: tuple[str, ...] = REQUIRED_PARAMETERS) -> dict:
    """The offered parameters that the notebook's ``parameters`` cell declares (its contract), and nothing
    else. :class:`ConfigError` if it lacks one of ``required``, or a value set explicitly (``explicit``, e.g.
    targets written in the spec) that it does not declare."""
    declared = _declared(notebook, notebook.stat().st_mtime_ns)
    missing = sorted((set(required) | (explicit & set(offered))) - set(declared))
    if missing:
        raise ConfigError(f"{notebook}: no parameter {', '.join(missing)} in its 'parameters' cell; "
                          f"it declares {', '.join(declared) or 'nothing'}")
    return {name: value for name, value in offered.items() if name in declared}


@lru_cache(maxsize=32)
def _declared(notebook: Path, _modified: int) -> tuple[str, ...]:
    """The names the notebook's ``parameters`` cell (the cell tagged so, as papermill finds it) assigns, read
    with the standard library's JSON and Python parsers. ``papermill.inspect_notebook`` would load papermill's
    execution stack (Jupyter's client, nbformat, jsonschema: a large part of a re-run that reuses every
    report) only to list these names."""
    try:
        cells = json.loads(notebook.read_bytes())["cells"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{notebook}: not a Jupyter notebook ({exc})") from None
    source = next((cell.get("source", "") for cell in cells
                   if "parameters" in cell.get("metadata", {}).get("tags", ())), "")
    try:
        body = ast.parse("".join(source)).body
    except SyntaxError as exc:
        raise ConfigError(f"{notebook}: its 'parameters' cell is not valid Python "
                          f"(line {exc.lineno}: {exc.msg})") from None
    targets = [target for node in body if isinstance(node, (ast.Assign, ast.AnnAssign))
               for target in (node.targets if isinstance(node, ast.Assign) else [node.target])]
    return tuple(dict.fromkeys(target.id for target in targets if isinstance(target, ast.Name)))


def _explicit(spec: BatchSpec) -> set[str]:
    """Parameters the spec sets to something other than their default."""
    return {name for name, value in (("targets", spec.targets), ("convention", spec.convention != "calendar"),
                                     ("tolerance_766", spec.tolerance_766 != DEFAULT_TOLERANCE)) if value}
