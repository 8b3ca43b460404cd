"""One report to produce, as the planner hands it to a worker: small, picklable, and importable without the
planner's dependencies (the report kinds, pandas, DuckDB), which a worker that only runs and renders needs
not load."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parreport.periods import Period


@dataclass(frozen=True)
class Job:
    """One report to produce: a notebook run for a unit and period, written as ``out_dir/stem.*``.
    Small and picklable: codes, paths and the parameters the notebook declares."""

    kind: str
    department: str
    period: Period
    notebook: Path
    out_dir: Path
    stem: str
    parameters: dict

    @property
    def name(self) -> str:
        return f"{self.period.code}/{self.department}/{self.stem}"
