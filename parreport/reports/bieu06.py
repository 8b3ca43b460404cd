"""Biểu số 06/VPCP/KSTT as printed: its columns, headings, numbering and note, and the two tables built on it.

The form ("Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực tiếp giải quyết TTHC", Thông tư
01/2020/TT-VPCP ngày 21/10/2020 of Văn phòng Chính phủ) has thirteen numbered columns::

    (1) STT
    (2) Lĩnh vực, công việc giải quyết theo cấp
        Số hồ sơ nhận giải quyết
    (3)     Tổng số                                           = (4) + (5) + (6)
            Trong đó
    (4)         Số kỳ trước chuyển qua
                Số mới tiếp nhận
    (5)             Trực tuyến
    (6)             Trực tiếp, dịch vụ bưu chính
        Số lượng hồ sơ đã giải quyết
    (7)     Tổng số                                           = (8) + (9) + (10)
    (8)     Trả trước hạn
    (9)     Trả đúng thời hạn
    (10)    Trả quá hạn
        Số lượng hồ sơ đang giải quyết
    (11)    Tổng số                                           = (12) + (13)
    (12)    Chưa đến hạn
    (13)    Quá hạn

with the form's name and the circular on the left of its title rows, the title, the reporting period
("Từ ngày … đến ngày …"), the reporting unit and "Đơn vị tính: Số hồ sơ TTHC". Each group has its Tổng số:
a spreadsheet writes each as the ``SUM`` of its parts in the same row (:attr:`Column.sums`). The on-time rate
is not a column of the form; the briefing states it in its narrative, key figures and 766 section.

Source matched. The search tool did not give the circular's annex itself: its pages corpus has the circular's
opening only (hethongphapluat.com/thong-tu-01-2020-tt-vpcp-…, text.123docz.net/document/10147061-…: "Số:
01/2020/TT-VPCP, Hà Nội, ngày 21 tháng 10 năm 2020", "Quy định chế độ báo cáo định kỳ và quản lý, sử dụng,
khai thác Hệ thống thông tin báo cáo của Văn phòng Chính phủ"). The layout above is the structure of the form
as commonly reproduced, checked against a one-stop system that prints it (GitHub
HuanVu201/DichVuCong_KhoaLuan_PASETO, quantri_client/src/features/thongKe/ThongKeTheoDonVi/components/
exportElements/XuatBaoCaoTongHop06CacCap.tsx — headed "Biểu số 06/VPCP/KSTT, Ban hành theo Thông tư số
01/2020/TT-VPCP ngày 21/10/2020", "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT
TTHC", "Đơn vị tính: Số hồ sơ TTHC"; STT, "Lĩnh vực, công việc giải quyết theo cấp", "Số hồ sơ nhận giải
quyết" over Tổng số / Trong đó (Trực tuyến; Trực tiếp, dịch vụ bưu chính) / kỳ trước, "Số hồ sơ đã giải quyết"
over Tổng số / Trước hạn / Đúng hạn / Quá hạn, "Số lượng hồ sơ đang giải quyết" over Tổng số / Trong hạn / Quá
hạn; its print of the same form, XuatBaoCaoTongHop06a.tsx and BaoCao06a, numbers the columns 1 to 13).

Not verified against the annex: the order inside "Trong đó" (that system puts the channels before the
dossiers carried over; the layout above puts "Số kỳ trước chuyển qua" first, under "Trong đó", beside "Số mới
tiếp nhận"), the exact wording of the sub-headings ("Trả trước hạn", "Trả đúng thời hạn", "Trả quá hạn",
"Chưa đến hạn" here; "Trước hạn", "Đúng hạn", "Quá hạn", "Trong hạn" in that system), whether the form's own
number is "06" or "II.06a", and what the form says under the table (signatures "Người lập biểu" / "Thủ
trưởng đơn vị", a cut-off date "ngày chốt số liệu") and whom it names as "Đơn vị nhận báo cáo": the workbook
states neither.

The province overview's table has a row per unit: its column (2) is "Đơn vị".
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from parreport.reports.content import Column, Table, plain

FORM = "Biểu số 06/VPCP/KSTT"
FORM_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"
FORM_TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
UNIT_OF_COUNT = "Đơn vị tính: Số hồ sơ TTHC"
UNIT_TABLE, PROVINCE_TABLE = "bieu06", "bieu06_units"  # Table names: XLSX writes them on the form

RECEIVED = "Số hồ sơ nhận giải quyết"
IN_WHICH = "Trong đó"
NEW = "Số mới tiếp nhận"
RESOLVED = "Số lượng hồ sơ đã giải quyết"
PENDING = "Số lượng hồ sơ đang giải quyết"
STT = Column("stt", "STT", "text")  # 1, 2, … and nothing on the Tổng row
TOTAL_LABEL = "Tổng số"

# Columns (3)–(13): the counts, with each group's Tổng số and the columns of the row it adds up.
COUNT_COLUMNS = [
    Column("received", TOTAL_LABEL, group=RECEIVED, sums=("carried_over", "new_online", "new_offline")),
    Column("carried_over", "Số kỳ trước chuyển qua", group=(RECEIVED, IN_WHICH)),
    Column("new_online", "Trực tuyến", group=(RECEIVED, IN_WHICH, NEW)),
    Column("new_offline", "Trực tiếp, dịch vụ bưu chính", group=(RECEIVED, IN_WHICH, NEW)),
    Column("resolved", TOTAL_LABEL, group=RESOLVED, sums=("resolved_early", "resolved_on_time", "resolved_late")),
    Column("resolved_early", "Trả trước hạn", group=RESOLVED),
    Column("resolved_on_time", "Trả đúng thời hạn", group=RESOLVED),
    Column("resolved_late", "Trả quá hạn", group=RESOLVED),
    Column("pending", TOTAL_LABEL, group=PENDING, sums=("pending_in_time", "pending_overdue")),
    Column("pending_in_time", "Chưa đến hạn", group=PENDING),
    Column("pending_overdue", "Quá hạn", group=PENDING),
]
BIEU06_COLUMNS = [STT, Column("field", "Lĩnh vực, công việc giải quyết theo cấp", "text"), *COUNT_COLUMNS]
BIEU06_UNIT_COLUMNS = [STT, Column("unit", "Đơn vị", "text"), *COUNT_COLUMNS]
BIEU06_NOTE = ("Số liệu theo mẫu Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP). Cột (3) = (4) + (5) + (6); "
               "(7) = (8) + (9) + (10); (11) = (12) + (13). Ngày được so theo ngày lịch; hồ sơ hoàn thành trong "
               "ngày hẹn trả được tính là đúng hạn.")


def form_rows(records: list[Mapping[str, Any]], columns: list[Column]) -> list[list[Any]]:
    """The rows of the form from ``records`` (one per field or unit, the Tổng record last): each record's value
    of every column, numbered 1, 2, … in the STT column, the Tổng row unnumbered."""
    rows = []
    for index, record in enumerate(records):
        values = plain(record)
        last = index == len(records) - 1
        rows.append([("" if last else index + 1) if column.key == STT.key else values.get(column.key)
                     for column in columns])
    return rows


def unit_table(frame: pd.DataFrame) -> Table:
    """A unit's Biểu 06: a row per field and the Tổng row (the frame of
    :func:`~parreport.metrics.field_table`, whose last row is the total)."""
    rows = form_rows([row for _, row in frame.iterrows()], BIEU06_COLUMNS)
    return Table(UNIT_TABLE, "", BIEU06_COLUMNS, rows, total=True, note=BIEU06_NOTE, numbered=True)


def province_table(frame: pd.DataFrame) -> Table:
    """The province's Biểu 06: a row per unit (column ``unit`` its name) and the province's Tổng row last."""
    rows = form_rows([row for _, row in frame.iterrows()], BIEU06_UNIT_COLUMNS)
    return Table(PROVINCE_TABLE, "", BIEU06_UNIT_COLUMNS, rows, total=True, note=BIEU06_NOTE, numbered=True)
