"""Plan a batch: the (department, period) pairs to render, checked before any kernel starts."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import papermill

from parreport.batch.spec import ALL, LATEST, BatchSpec
from parreport.errors import ConfigError
from parreport.periods import Period
from parreport.registry import Registry
from parreport.store import Store


@dataclass(frozen=True)
class Job:
    """One briefing to produce: a notebook run for a unit and period, written under ``out_dir``."""

    department: str
    period: Period
    out_dir: Path
    parameters: dict

    @property
    def name(self) -> str:
        return f"{self.period.code}/{self.department}"


def latest_quarter(store: Store) -> Period:
    """The last calendar quarter that the store's data reaches (dossier events or Biểu 06 quarters)."""
    last = store.sql("SELECT max(greatest(received_at, coalesce(completed_at, received_at))) AS d FROM dossiers")["d"].iloc[0]
    candidates = [] if pd.isna(last) else [Period(last.year, "Q", (last.month - 1) // 3 + 1)]
    stated = map(Period.parse, store.sql("SELECT DISTINCT period FROM counts")["period"])
    candidates += [period for period in stated if period.kind == "Q"]
    if not candidates:
        raise ConfigError("the data holds no dossier and no quarterly count: cannot tell the latest quarter")
    return max(candidates)


def plan(spec: BatchSpec, registry: Registry, store: Store, data: str, out: Path,
         departments: list[str] | None = None, periods: list[str] | None = None) -> list[Job]:
    """Expand the spec (or the command line's departments/periods) into jobs, validating every value
    and the notebook's parameters first."""
    period_codes = periods or spec.periods
    resolved = [Period.parse(latest_quarter(store) if code == LATEST else code, spec.convention)
                for code in period_codes]
    wanted = departments or spec.departments
    jobs = []
    for period in resolved:
        codes = registry.codes(period) if wanted == ALL else list(wanted)
        for code in codes:
            unit = registry.get(code)
            if not unit.active_in(period):
                raise ConfigError(f"{code} ({unit.name}) did not exist in {period.label_vi} "
                                  f"(valid {unit.valid_from or '…'} to {unit.valid_to or '…'})")
            parameters = {"department": code, "period": period.code, "data": data, "targets": spec.targets,
                          "convention": spec.convention, "registry": registry.source}
            jobs.append(Job(code, period, out / period.code / code, parameters))
    check_parameters(spec.notebook, jobs[0].parameters if jobs else {})
    return jobs


def check_parameters(notebook: Path, parameters: dict) -> None:
    """Every parameter we pass must be declared in the notebook's ``parameters`` cell."""
    declared = papermill.inspect_notebook(str(notebook))
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ConfigError(f"{notebook}: no parameter {', '.join(unknown)} in its 'parameters' cell; "
                          f"it declares {', '.join(declared)}")
