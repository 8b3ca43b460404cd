"""Batch specs (``params/*.yaml``): which notebook, for which units and periods, in which formats."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from parreport.reports.briefing import check_targets
from parreport.errors import ConfigError
from parreport.paths import PARAMS_DIR, REPO_ROOT
from parreport.periods import CONVENTIONS
from parreport.yamlfile import read_yaml

DEFAULT_SPEC = PARAMS_DIR / "quarterly.yaml"
FORMATS = ("html", "pdf")
LATEST = "latest"
ALL = "all"


@dataclass
class BatchSpec:
    notebook: Path
    periods: list[str] = field(default_factory=lambda: [LATEST])
    departments: list[str] | str = ALL
    formats: list[str] = field(default_factory=lambda: list(FORMATS))
    convention: str = "calendar"
    targets: dict[str, float] = field(default_factory=dict)
    data: str | None = None

    @classmethod
    def load(cls, path: str | Path = DEFAULT_SPEC) -> "BatchSpec":
        """Read and check a spec file; unknown keys and bad values are errors naming the file."""
        path = Path(path)
        raw = read_yaml(path, "batch spec")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown key {', '.join(unknown)}; expected some of {', '.join(sorted(known))}")
        if "notebook" not in raw:
            raise ConfigError(f"{path}: missing 'notebook'")
        spec = cls(**{**raw, "notebook": _relative_to_repo(raw["notebook"])})
        spec.check(str(path))
        return spec

    def check(self, where: str = "batch spec") -> None:
        """Raise :class:`ConfigError` for values that cannot work, before any kernel starts."""
        if not self.notebook.exists():
            raise ConfigError(f"{where}: notebook {self.notebook} does not exist")
        bad_formats = sorted(set(self.formats) - set(FORMATS))
        if bad_formats:
            raise ConfigError(f"{where}: unknown format {', '.join(bad_formats)}; expected html and/or pdf")
        if self.convention not in CONVENTIONS:
            raise ConfigError(f"{where}: convention must be one of {', '.join(CONVENTIONS)}, found {self.convention!r}")
        if isinstance(self.departments, str) and self.departments != ALL:
            raise ConfigError(f"{where}: departments must be a list of codes or 'all'")
        if not isinstance(self.periods, list) or not self.periods:
            raise ConfigError(f"{where}: periods must be a non-empty list")
        self.targets = check_targets(self.targets, where)
        self.periods = [str(p) for p in self.periods]
        if isinstance(self.departments, list):
            self.departments = [str(d) for d in self.departments]


def _relative_to_repo(path: str) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else REPO_ROOT / candidate
