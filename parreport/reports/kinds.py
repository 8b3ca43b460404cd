"""Report kinds: a small registry of what a batch can produce.

A kind is a notebook (whose ``parameters`` cell is the contract of what it takes), the module that builds
its content, the units it is made for (each unit of the registry, the province as a whole, or both), what
"latest" means for it and its output file stem; its content module declares the headline figures the index
shows. A new kind is its notebook, its content module and one :func:`register` line — at the end of this
module, or in another package through an entry point (:mod:`parreport.plugins`); the planner, spec, runner
and index only ask this registry. Declaring a kind loads nothing heavy, so planning a batch (and a
run with nothing to rebuild) never imports the content builders, pandas or Matplotlib.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from parreport.errors import ConfigError
from parreport.metrics.definitions import PROVINCE
from parreport.paths import NOTEBOOKS_DIR
from parreport.periods import Period
from parreport.plugins import KINDS_GROUP, load_entry_points
from parreport.registry import Registry

if TYPE_CHECKING:
    from parreport.store import Store

UNIT, PROVINCE_SCOPE = "unit", "province"
ANY_SCOPE = "any"  # every unit, as UNIT, and the province (TOAN_TINH)


@dataclass(frozen=True)
class ReportKind:
    name: str  # "briefing"
    title: str  # the index section: "Báo cáo của các cơ quan, đơn vị"
    notebook: Path
    content: str  # the module that builds its content: its notebook imports it, warm kernels beforehand
    stem: str  # output files: OUT/<period>/<unit>/<stem>.<suffix>
    scope: str  # UNIT: every unit of the registry active in the period; PROVINCE: the province (TOAN_TINH); ANY: both
    latest: Callable[[Store], Period]  # what "latest" means for this kind

    def units(self, registry: Registry, period: Period, wanted: list[str] | None) -> list[str]:
        """The unit codes this kind is made for in ``period`` (``wanted`` None = all of them)."""
        if self.scope == PROVINCE_SCOPE:
            return [PROVINCE] if wanted is None or PROVINCE in wanted else []
        codes = registry.codes(period) if wanted is None else [code for code in wanted if code != PROVINCE]
        reported = registry.codes(period)
        for code in codes:
            if code not in reported:
                raise ConfigError(registry.not_reported(code, period))
        if self.scope == ANY_SCOPE and (wanted is None or PROVINCE in wanted):
            codes = [*codes, PROVINCE]
        return codes


_KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    """Make a report kind available to specs (``reports: [...]``)."""
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, ReportKind]:
    """Every registered kind by name: the built-in ones, then those of installed packages
    (:mod:`parreport.plugins`)."""
    load_entry_points(KINDS_GROUP, register)
    return _KINDS


def get_kind(name: str) -> ReportKind:
    """The registered kind ``name``; :class:`ConfigError` with the closest names otherwise."""
    try:
        return kinds()[name]
    except KeyError:
        close = difflib.get_close_matches(name, kinds(), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ConfigError(f"unknown report kind {name}{hint}; expected some of {', '.join(kinds())}") from None


def latest_quarter(store: Store) -> Period:
    """The last calendar quarter that the store's dossier data (dossier events or Biểu 06 quarters) or its
    official 766 scores reach."""
    last = store.latest_event("dossiers")
    candidates = [] if last is None else [Period(last.year, "Q", (last.month - 1) // 3 + 1)]
    stated = [Period.parse(code) for kind in ("counts", "scores_766") for code in store.periods(kind)]
    candidates += [period for period in stated if period.kind == "Q"]
    if not candidates:
        raise ConfigError("the data holds no dossier, no quarterly count and no quarterly 766 score: "
                          "cannot tell the latest quarter")
    return max(candidates)


def latest_year(store: Store) -> Period:
    """The last year the PAR Index data reaches."""
    years = store.periods("par_index")
    if not years:
        raise ConfigError("the data holds no PAR Index score: cannot tell the latest year")
    return Period(int(years[-1]), "Y", 1)


# The built-in kinds.
register(ReportKind("briefing", "Báo cáo của các cơ quan, đơn vị", NOTEBOOKS_DIR / "briefing.ipynb",
                    "parreport.reports.briefing", "briefing", UNIT, latest_quarter))
register(ReportKind("annual", "Báo cáo năm của các cơ quan, đơn vị", NOTEBOOKS_DIR / "briefing.ipynb",
                    "parreport.reports.briefing", "briefing", UNIT, latest_year))
register(ReportKind("overview", "Báo cáo tổng hợp toàn tỉnh", NOTEBOOKS_DIR / "province.ipynb",
                    "parreport.reports.overview", "overview", PROVINCE_SCOPE, latest_quarter))
register(ReportKind("cchc", "Báo cáo kết quả thực hiện công tác cải cách hành chính", NOTEBOOKS_DIR / "cchc.ipynb",
                    "parreport.reports.cchc", "cchc", ANY_SCOPE, latest_quarter))
