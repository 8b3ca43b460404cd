"""The indicator catalogue: every rate a briefing states and every indicator of the 766 index, defined once.

An :class:`Indicator` knows its Vietnamese label, how its ratio is computed from a frame of counts (when a
per-dossier export can compute it), its 766 group, its maximum points and scoring rule, its full-points
threshold, its direction and its default target. Ranks, changes, targets, attention points, cross-checks
and the narrative all read this catalogue; no label or maximum is typed anywhere else.

The 766 index (QĐ 766/QĐ-TTg, as scored on dichvucong.gov.vn; ``shared/spec/bo_chi_so_766_indicators.csv``)
has six groups (:data:`GROUPS`, 100 points). Which of its indicators our per-dossier columns (docs/data.md §2.1)
reproduce:

* ``progress_766`` (tiến độ, 20 points = the whole group): **Y** — received, due and completion dates.
* ``satisfaction_766`` (hài lòng trong tiếp nhận, giải quyết TTHC, 6 of 18): **Y (approx.)** — the late flag
  and the ``unsatisfied`` flag; the dashboard also counts complaints filed through its PAKN system.
* ``digitized_share`` (số hóa hồ sơ, 4 of 22): **PARTIAL** — our ``digitized`` flag covers the digitised
  components; the dashboard also requires an electronic result, so the computed score is an upper bound.
* ``online_share`` (dịch vụ công trực tuyến): **PARTIAL** — the channel gives the share of new dossiers filed
  online (the "hình thức nộp" indicator, full at 50 %); the dashboard scores the toàn trình share of eligible
  procedures and multiplies by the sync rate, which exports lack: no score is computed.
* ``online_payment_share`` (thanh toán trực tuyến): **PARTIAL** — ``fee_required``/``paid_online`` give the
  dashboard's ratio A (6 × A of the 10 points); B and C need the procedure fee catalogue: no score computed.

Every other 766 indicator (công khai, PAKN, kết nối dữ liệu dân cư, chứng thực điện tử, …) needs data a
per-dossier export does not hold (``per_dossier`` = N): it is in the catalogue so official indicator-level
scores can be read and named, never computed.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from parreport import fmt
from parreport.errors import ConfigError

if TYPE_CHECKING:  # the catalogue is read without pandas (a batch spec's targets are checked against it)
    import pandas as pd

CountsFunction = Callable[["pd.DataFrame"], "pd.Series"]


@dataclass(frozen=True)
class Group:
    """A group of the 766 index: its key, its name on the dashboard, its maximum and the other names
    dashboards and reports give it."""

    key: str
    label: str
    max_score: float
    aliases: tuple[str, ...] = ()


GROUPS: dict[str, Group] = {group.key: group for group in (
    Group("cong_khai", "Công khai, minh bạch", 18, ("Công khai minh bạch",)),
    Group("tien_do", "Tiến độ giải quyết", 20, ("Tiến độ kết quả giải quyết", "Tiến độ, kết quả giải quyết")),
    Group("so_hoa", "Số hóa hồ sơ", 22),
    Group("dvc_truc_tuyen", "Dịch vụ công trực tuyến",
          12, ("DVC trực tuyến", "Cung cấp dịch vụ trực tuyến", "Cung cấp dịch vụ công trực tuyến")),
    Group("thanh_toan", "Thanh toán trực tuyến", 10),
    Group("hai_long", "Mức độ hài lòng", 18),
)}
TOTAL_MAX = sum(group.max_score for group in GROUPS.values())  # 100


@dataclass(frozen=True)
class Indicator:
    """One indicator. ``numerator``/``denominator`` take a frame of counts (``None``: a per-dossier export
    cannot compute it). A scored indicator earns ``max_score × min(1, ratio / full_at)`` points: linear
    (``full_at`` = 1) or full points from the threshold ``full_at`` on. ``per_dossier`` is Y, PARTIAL or N
    (see the module docstring); ``caveat`` says what a PARTIAL computation misses."""

    name: str
    label: str
    numerator: CountsFunction | None = None
    denominator: CountsFunction | None = None
    group: str | None = None  # a key of GROUPS; None for rates outside the 766 index
    max_score: float | None = None  # None: not scored (a rate, or not separately scored)
    full_at: float = 1.0
    higher_is_better: bool = True
    per_dossier: str = "Y"
    code: str | None = None  # the dashboard's metric code
    target: float | None = None  # default target ratio (a minimum, or a maximum when lower is better)
    caveat: str = ""

    @property
    def computable(self) -> bool:
        return self.numerator is not None

    @property
    def scored(self) -> bool:
        """Whether the catalogue computes points for it (a scored 766 indicator our data reproduces)."""
        return self.computable and self.max_score is not None

    @property
    def score_name(self) -> str:
        """The scorecard column of its points: ``progress_766`` → ``progress_score_766``."""
        return f"{self.name.removesuffix('_766')}_score_766"

    @property
    def whole_group(self) -> bool:
        """Whether it is its group's only scored indicator (its points are the group's)."""
        return self.group is not None and self.max_score == GROUPS[self.group].max_score

    def score(self, ratio: pd.Series) -> pd.Series:
        """Points for ratios (NA stays NA: no dossier, no score)."""
        if self.max_score is None:
            raise ValueError(f"{self.name} is not scored")
        return (self.max_score * ratio.astype("Float64") / self.full_at).clip(upper=self.max_score)

    @property
    def rule(self) -> str:
        """The scoring rule as written in the method notes: ``20 × tỷ lệ``, ``min(6; 6 × tỷ lệ / 90%)``."""
        maximum = fmt.number(self.max_score)
        if self.full_at == 1:
            return f"{maximum} × tỷ lệ"
        return f"min({maximum}; {maximum} × tỷ lệ / {fmt.percent(self.full_at, digits=0)})"

    def below_target(self, value: float | None, target: float) -> bool:
        """Whether ``value`` misses ``target`` (a minimum, or a maximum when lower is better)."""
        if fmt.is_missing(value):
            return False
        return value < target if self.higher_is_better else value > target


def _sum(*columns: str) -> CountsFunction:
    return lambda frame: sum((frame[col] for col in columns[1:]), frame[columns[0]])


def _official(code: str, group: str, label: str, max_score: float) -> Indicator:
    """A 766 indicator only the dashboard computes (``per_dossier`` = N or PARTIAL without our columns)."""
    return Indicator(code.lower(), label, group=group, max_score=max_score, per_dossier="N", code=code)


INDICATORS: dict[str, Indicator] = {indicator.name: indicator for indicator in (
    # Rates computed from dossiers (docs/data.md §3).
    Indicator("on_time_rate", "Tỷ lệ giải quyết đúng hạn và trước hạn",
              _sum("resolved_early", "resolved_on_time"), _sum("resolved"), target=0.98),
    Indicator("progress_766", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn và trong hạn",
              _sum("resolved_early", "resolved_on_time", "pending_in_time"), _sum("received"),
              group="tien_do", max_score=20, code="TIEN_DO_GIAI_QUYET", target=0.95),
    Indicator("satisfaction_766", "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
              lambda f: f["resolved"] - f["resolved_late"] - f["unsatisfied"], _sum("resolved"),
              group="hai_long", max_score=6, full_at=0.9, code="DOSSIER_RECEIVING_SATISFACTION",
              caveat="Cổng DVCQG còn tính các phản ánh, kiến nghị gửi qua hệ thống PAKN"),
    Indicator("apology_rate", "Tỷ lệ xin lỗi khi giải quyết quá hạn",
              _sum("overdue_apologized"), _sum("overdue"), target=1.0),
    Indicator("online_share", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", _sum("new_online"), _sum("new"),
              group="dvc_truc_tuyen", per_dossier="PARTIAL", target=0.5,
              caveat="Cổng DVCQG chấm hồ sơ trực tuyến toàn trình của TTHC đủ điều kiện, nhân tỷ lệ đồng bộ"),
    Indicator("digitized_share", "Tỷ lệ hồ sơ được số hóa", _sum("digitized"), _sum("new"),
              group="so_hoa", max_score=4, per_dossier="PARTIAL", code="SO_HOA_GIAY_TO_GIAI_QUYET", target=0.8,
              caveat="Cổng DVCQG chỉ tính hồ sơ vừa số hóa thành phần vừa có kết quả giải quyết điện tử"),
    Indicator("online_payment_share", "Tỷ lệ thanh toán trực tuyến", _sum("paid_online"), _sum("fee_required"),
              group="thanh_toan", per_dossier="PARTIAL", target=0.5,
              caveat="Cổng DVCQG cộng thêm điểm theo danh mục phí, lệ phí của TTHC"),
    # 766 indicators only the national dashboard computes.
    _official("PUBLISH_ON_TIME", "cong_khai", "Tỷ lệ TTHC công bố đúng hạn", 6),
    _official("PUBLIC_UPDATE_ON_TIME", "cong_khai", "Tỷ lệ TTHC được cập nhật công khai đúng hạn", 4),
    _official("PUBLIC_CONTENT_FULL", "cong_khai", "Tỷ lệ TTHC công khai đầy đủ nội dung", 2),
    _official("DOSSIER_SYNC", "cong_khai", "Tỷ lệ hồ sơ đồng bộ trạng thái theo thời gian thực với Cổng DVCQG", 6),
    _official("DVC_TOAN_TRINH", "dvc_truc_tuyen", "Tỷ lệ hồ sơ dịch vụ công trực tuyến toàn trình", 12),
    _official("ONLINE_PAYMENT", "thanh_toan", "Tỷ lệ hồ sơ thanh toán trực tuyến", 10),
    _official("ORIGINAL_RESULT_AVAILABLE", "so_hoa", "Tỷ lệ hồ sơ có cấp kết quả giải quyết TTHC điện tử", 6),
    _official("REUSED_DIGITIZED_DATA", "so_hoa", "Tỷ lệ hồ sơ khai thác sử dụng lại thông tin dữ liệu số hóa", 2),
    _official("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "so_hoa",
              "Tỷ lệ hồ sơ số hóa có kết nối chia sẻ dữ liệu phục vụ tái sử dụng", 4),
    _official("CITIZEN_DATA_CONNECTED_DOSSIER", "so_hoa", "Tỷ lệ hồ sơ TTHC có sử dụng thông tin dữ liệu dân cư", 2),
    _official("CITIZEN_DATA_CONNECTED_FORMALITY", "so_hoa", "Tỷ lệ TTHC triển khai kết nối chia sẻ dữ liệu dân cư", 2),
    _official("ELECTRONIC_CERTIFIED_COPY", "so_hoa",
              "Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính", 2),
    _official("PETITION_PROCESSING_ON_TIME", "hai_long", "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn", 6),
    _official("PETITION_HANDLING_SATISFACTION", "hai_long", "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị", 6),
)}
COMPUTED: dict[str, Indicator] = {name: ind for name, ind in INDICATORS.items() if ind.computable}
SCORED: dict[str, Indicator] = {name: ind for name, ind in INDICATORS.items() if ind.scored}
DEFAULT_TARGETS: dict[str, float] = {name: ind.target for name, ind in COMPUTED.items() if ind.target is not None}


def _name_key(text: object) -> str:
    """How group and indicator names are compared: NFC, case-folded, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFC", str(text)).casefold().replace(",", " ").replace("_", " ")
    return " ".join(text.split())


GROUP_NAMES: dict[str, str] = {
    _name_key(name): group.key for group in GROUPS.values() for name in (group.key, group.label, *group.aliases)}
INDICATOR_NAMES: dict[str, str] = {
    _name_key(name): ind.name for ind in INDICATORS.values() if ind.group is not None
    for name in (ind.name, ind.label, *((ind.code,) if ind.code else ()))}


def group_key(text: object) -> str | None:
    """The group a dashboard names (``"Số hóa hồ sơ"``, ``"DVC trực tuyến"``, ``so_hoa``…), or None."""
    return GROUP_NAMES.get(_name_key(text))


def indicator_key(text: object) -> str | None:
    """The 766 indicator a dashboard names (its code, label or our name), or None."""
    return INDICATOR_NAMES.get(_name_key(text))


def check_targets(targets: dict, where: str = "targets") -> dict[str, float]:
    """Targets as ratios keyed by indicator name; :class:`ConfigError` for an unknown name or a value that
    is not a ratio from 0 to 1."""
    unknown = sorted(set(targets) - set(COMPUTED))
    if unknown:
        raise ConfigError(f"{where}: unknown target {', '.join(unknown)}; expected some of {', '.join(COMPUTED)}")
    checked = {}
    for name, value in targets.items():
        try:
            checked[name] = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: target {name} must be a ratio such as 0.98, found {value!r}") from None
        if not 0 <= checked[name] <= 1:
            raise ConfigError(f"{where}: target {name} must be a ratio from 0 to 1 (0.98 = 98%), found {value!r}")
    return checked


def attention_points(values: dict, targets: dict[str, float], names: list[str] | None = None) -> list[str]:
    """A sentence for each indicator (of ``names``, default all targeted) whose value misses its target."""
    points = []
    for name, target in targets.items():
        indicator = INDICATORS[name]
        if (names is None or name in names) and indicator.below_target(values.get(name), target):
            side = "thấp hơn mục tiêu" if indicator.higher_is_better else "cao hơn mức tối đa"
            points.append(f"{indicator.label} đạt {fmt.percent(values[name])}, {side} {fmt.percent(target)}.")
    return points
