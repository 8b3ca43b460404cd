"""Batch specs (``params/*.yaml``): which report kinds, for which units and periods, in which formats."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from pathlib import Path

from parreport.errors import ConfigError
from parreport.metrics.definitions import DEFAULT_TOLERANCE, check_tolerance
from parreport.paths import PARAMS_DIR, REPO_ROOT
from parreport.periods import CONVENTIONS
from parreport.render import get_format
from parreport.yamlfile import read_yaml

DEFAULT_TIMEOUT = 600  # seconds

DEFAULT_SPEC = PARAMS_DIR / "quarterly.yaml"
DEFAULT_FORMATS = ("html", "pdf")
LATEST = "latest"
ALL = "all"


@dataclass
class BatchSpec:
    """What ``parreport run`` produces. Every value is checked by :meth:`check` before any kernel starts."""

    reports: list[str] = field(default_factory=lambda: ["briefing"])  # report kinds (parreport.reports.kinds)
    notebook: Path | None = None  # a customised notebook for the (single) kind listed in ``reports``
    periods: list[str] = field(default_factory=lambda: [LATEST])
    departments: list[str] | str = ALL
    formats: list[str] = field(default_factory=lambda: list(DEFAULT_FORMATS))
    convention: str = "calendar"
    targets: dict[str, float] = field(default_factory=dict)
    tolerance_766: float = DEFAULT_TOLERANCE  # points: computed vs official 766 scores further apart are flagged
    data: str | None = None
    timeout: float = DEFAULT_TIMEOUT  # seconds a report's notebook, and then each format's rendering, may run
    scheduler: str | None = None  # a Dask scheduler address (tcp://HOST:PORT) to run the jobs on; None = here

    @classmethod
    def load(cls, path: str | Path = DEFAULT_SPEC) -> "BatchSpec":
        """Read and check a spec file; unknown keys and bad values are errors naming the file."""
        spec = cls.read(path)
        spec.check(str(path))
        return spec

    @classmethod
    def read(cls, path: str | Path = DEFAULT_SPEC) -> "BatchSpec":
        """Read a spec file, not yet checked (see :meth:`check`); unknown keys are errors naming the file.
        Reading loads nothing heavy: ``parreport run`` starts its workers between reading and checking."""
        path = Path(path)
        raw = read_yaml(path, "batch spec")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown key {', '.join(unknown)}; expected some of {', '.join(sorted(known))}")
        if raw.get("notebook") is not None:
            raw["notebook"] = _relative_to_repo(raw["notebook"])
        return cls(**raw)

    def check(self, where: str = "batch spec") -> None:
        """Raise :class:`ConfigError` for values that cannot work, before any kernel starts."""
        from parreport.catalogue import check_targets
        from parreport.reports.kinds import get_kind

        if not isinstance(self.reports, list) or not self.reports:
            raise ConfigError(f"{where}: reports must be a non-empty list of report kinds")
        self.reports = [str(name) for name in self.reports]
        for name in self.reports:
            _named(where, get_kind, name)
        if self.notebook is not None:
            self.notebook = Path(self.notebook)
            if len(self.reports) != 1:
                raise ConfigError(f"{where}: 'notebook' replaces the notebook of one report kind; "
                                  f"list only one in 'reports' (found {', '.join(self.reports)})")
            if not self.notebook.exists():
                raise ConfigError(f"{where}: notebook {self.notebook} does not exist")
        if not isinstance(self.formats, list) or not self.formats:
            raise ConfigError(f"{where}: formats must be a non-empty list")
        for name in self.formats:
            _named(where, get_format, name)
        if self.convention not in CONVENTIONS:
            raise ConfigError(f"{where}: convention must be one of {', '.join(CONVENTIONS)}, found {self.convention!r}")
        if isinstance(self.departments, str) and self.departments != ALL:
            raise ConfigError(f"{where}: departments must be a list of codes or 'all'")
        if not isinstance(self.periods, list) or not self.periods:
            raise ConfigError(f"{where}: periods must be a non-empty list")
        timeout = _number(self.timeout)
        if timeout is None or timeout <= 0:
            raise ConfigError(f"{where}: timeout must be a number of seconds > 0 such as 600, found {self.timeout!r}")
        self.timeout = timeout
        if self.scheduler is not None and (not isinstance(self.scheduler, str) or "://" not in self.scheduler):
            raise ConfigError(f"{where}: scheduler must be a Dask scheduler address such as tcp://10.0.0.5:8786, "
                              f"found {self.scheduler!r}")
        self.targets = check_targets(self.targets, where)
        try:
            tolerance = _number(self.tolerance_766)
            self.tolerance_766 = check_tolerance(self.tolerance_766 if tolerance is None else tolerance)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        self.periods = [str(p) for p in self.periods]
        if isinstance(self.departments, list):
            self.departments = [str(d) for d in self.departments]


def _number(value: object) -> float | None:
    """A finite number written in the spec, else ``None``. YAML whole numbers arrive as text (so that codes
    like ``007`` stay text): ``30`` and ``30.0`` are both 30.0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _named(where: str, lookup, name: str) -> None:
    try:
        lookup(name)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _relative_to_repo(path: str) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else REPO_ROOT / candidate
