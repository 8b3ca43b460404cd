"""The tables parreport reads (docs/data.md §2): canonical columns, their types and Vietnamese aliases.

This module is the one place where an input column is defined. Each :class:`TableSchema` lists its
columns; readers map a file's headers onto them (case-insensitively, NFC, surrounding spaces ignored).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Column types understood by the parsers.
TEXT, DATETIME, BOOL, INT, FLOAT, CHANNEL, PERIOD = "text", "datetime", "bool", "int", "float", "channel", "period"
GROUP_766, INDICATOR_766 = "group_766", "indicator_766"  # names of the 766 catalogue, read as its keys

CHANNELS = ("online", "in_person", "postal")
TOTAL_FIELD = "Tổng"  # a Biểu 06 row whose field is the stated total


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = True
    aliases: tuple[str, ...] = ()

    def header_keys(self) -> set[str]:
        """Normalised header texts that mean this column."""
        return {header_key(text) for text in (self.name, *self.aliases)}


@dataclass(frozen=True)
class TableSchema:
    kind: str  # also the store table the rows go to
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # identity of a row across exports: the latest export wins

    def column(self, name: str) -> Column:
        return next(col for col in self.columns if col.name == name)

    @property
    def names(self) -> list[str]:
        return [col.name for col in self.columns]


def header_key(text: object) -> str:
    """How headers are compared: NFC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


# A file may name its units twice, by code and by name: two columns that both mean ``department`` (the 766
# dashboard's "Mã đơn vị" beside "Tên đơn vị", a dossier export's "Mã đơn vị" beside "Đơn vị"). The one headed
# by one of these is the code, which wins; the other is the name, which must name the same unit
# (parreport/ingest/units.py).
UNIT_CODE_HEADERS = ("department", "Mã đơn vị")


def is_unit_code_header(text: object) -> bool:
    return header_key(text) in {header_key(h) for h in UNIT_CODE_HEADERS}


DOSSIERS = TableSchema(
    kind="dossiers",
    description="dossier records (one row per hồ sơ TTHC, docs/data.md §2.1)",
    key=("department", "dossier_id"),
    columns=(
        Column("dossier_id", TEXT, aliases=("Mã hồ sơ", "Số hồ sơ")),
        Column("department", TEXT, aliases=("Mã đơn vị", "Đơn vị")),
        Column("field", TEXT, aliases=("Lĩnh vực",)),
        Column("procedure", TEXT, required=False, aliases=("Tên thủ tục", "Thủ tục")),
        Column("channel", CHANNEL, required=False, aliases=("Hình thức nộp", "Kênh tiếp nhận")),
        Column("received_at", DATETIME, aliases=("Ngày tiếp nhận",)),
        Column("due_at", DATETIME, aliases=("Ngày hẹn trả", "Hạn xử lý", "Hạn giải quyết")),
        Column("completed_at", DATETIME, required=False,
               aliases=("Ngày trả kết quả", "Ngày kết thúc xử lý", "Ngày hoàn thành")),
        Column("apology_issued", BOOL, required=False, aliases=("Thư xin lỗi", "Phiếu xin lỗi")),
        Column("digitized", BOOL, required=False, aliases=("Số hóa",)),
        Column("fee_required", BOOL, required=False, aliases=("Có phí, lệ phí", "Có phí")),
        Column("paid_online", BOOL, required=False, aliases=("Thanh toán trực tuyến",)),
        Column("unsatisfied", BOOL, required=False, aliases=("Không hài lòng",)),
    ),
)

COUNT_MEASURES = (
    "received_online", "received_offline", "carried_over", "resolved_early", "resolved_on_time",
    "resolved_late", "pending_in_time", "pending_overdue",
)

COUNTS = TableSchema(
    kind="counts",
    description="aggregated counts (Biểu số 06/VPCP/KSTT, docs/data.md §2.2)",
    key=("department", "period", "field"),
    columns=(
        Column("department", TEXT, aliases=("Mã đơn vị", "Đơn vị")),
        Column("period", PERIOD, aliases=("Kỳ báo cáo", "Kỳ")),
        Column("field", TEXT, aliases=("Lĩnh vực",)),
        *(Column(name, INT) for name in COUNT_MEASURES),
        Column("late_with_apology", INT, required=False),
    ),
)

PAR_INDEX = TableSchema(
    kind="par_index",
    description="PAR Index component scores (annual, docs/data.md §2.3)",
    key=("year", "department", "area"),
    columns=(
        Column("year", INT, aliases=("Năm",)),
        Column("department", TEXT, aliases=("Mã đơn vị", "Đơn vị")),
        Column("area", TEXT, aliases=("Lĩnh vực đánh giá", "Tiêu chí")),
        Column("score", FLOAT, aliases=("Điểm",)),
        Column("max_score", FLOAT, aliases=("Điểm tối đa",)),
    ),
)

SIPAS = TableSchema(
    kind="sipas",
    description="SIPAS satisfaction index (annual, docs/data.md §2.4)",
    key=("year", "department", "factor"),
    columns=(
        Column("year", INT, aliases=("Năm",)),
        Column("department", TEXT, aliases=("Mã đơn vị", "Đơn vị")),
        Column("satisfaction_pct", FLOAT, aliases=("Chỉ số hài lòng", "Tỷ lệ hài lòng")),
        Column("factor", TEXT, required=False, aliases=("Yếu tố",)),
    ),
)

# A row is a group's score (``indicator`` empty) or one indicator's score within its group; a file may
# hold both. ``max_score``, when the export lacks it, is the catalogue's maximum. ``as_of`` is when the
# dashboard showed the score (its running quarter's scores change week by week): a snapshot's date, else the
# file's own date.
SCORES_766 = TableSchema(
    kind="scores_766",
    description="official 766 scores from the national dashboard (docs/data.md §2.5)",
    key=("period", "department", "group", "indicator"),
    columns=(
        Column("period", PERIOD, aliases=("Kỳ", "Kỳ đánh giá", "Quý")),
        Column("department", TEXT, aliases=("Mã đơn vị", "Đơn vị", "Tên đơn vị", "Cơ quan, đơn vị")),
        Column("group", GROUP_766, aliases=("Nhóm chỉ số", "Nhóm chỉ tiêu", "Nhóm")),
        Column("indicator", INDICATOR_766, required=False, aliases=("Chỉ tiêu", "Chỉ số thành phần", "Mã chỉ số")),
        Column("score", FLOAT, aliases=("Điểm", "Điểm đạt", "Điểm số")),
        Column("max_score", FLOAT, required=False, aliases=("Điểm tối đa",)),
        Column("as_of", DATETIME, required=False,
               aliases=("Ngày cập nhật", "Thời điểm cập nhật", "Ngày lấy số liệu", "Ngày tải", "Cập nhật")),
    ),
)

SCHEMAS: dict[str, TableSchema] = {s.kind: s for s in (DOSSIERS, COUNTS, PAR_INDEX, SIPAS, SCORES_766)}
