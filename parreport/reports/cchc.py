"""The CCHC report: "Báo cáo kết quả thực hiện công tác cải cách hành chính" of a unit or of the province
(``TOAN_TINH``) for a quarter, half-year or year, in the form of Nghị định 30/2020/NĐ-CP.

It is what a unit sends upward each period: an administrative document (văn bản hành chính) with the
decree's header block (issuing body under its parent body; "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" over "Độc lập -
Tự do - Hạnh phúc"; "Số:      /BC-STNMT" with the number left for the clerk; place and date), the title
"BÁO CÁO" with its subject line, the usual outline, and the closing ("Nơi nhận", signature block). Word is its
primary output (staff finish and sign it); :mod:`parreport.render.docx` writes it on ``templates/docx/nd30.docx``.

Decisions
---------
* **Content is reused, not recomputed.** A unit's figures come from :func:`~parreport.reports.briefing.load_briefing`
  (the :class:`~parreport.reports.briefing.Briefing`), the province's from
  :func:`~parreport.reports.overview.load_overview`: their sentences (``paragraphs()``, ``no_dossiers()``,
  ``attention_points()``), tables (Biểu 06 by field or by unit), the 766 and PAR Index sections
  (:mod:`parreport.reports.s766`, :mod:`parreport.reports.par`) and headline. A section's KPI row becomes one
  sentence (an administrative document has no KPI tiles); charts, method notes and the 766 rates table (its
  sentences say the same) are left out. The refusal is theirs too: a unit or province with no input at all
  raises :class:`~parreport.errors.NoDataError`.
* **Partial data.** Each part takes what the data holds and says so when it holds nothing: without dossier
  data part II.2 is the briefing's "Chưa có dữ liệu hồ sơ TTHC …" sentence (and the 766 scores if there are
  official ones); the PAR Index and SIPAS appear for a year with those scores only.
* **Where the data is silent, a placeholder.** Every part ends with a paragraph in square brackets saying what
  staff add ("[Nội dung do cơ quan, đơn vị bổ sung: …]"); parts the data cannot fill (I, II.1, II.3–II.5,
  III.3, V) have only that, enriched for a year by the unit's PAR Index score in the matching area. Text in
  square brackets is a placeholder wherever it appears (also inside a sentence): renderers set it in italics.
  Data sentences never use square brackets.
* **The outline is flat sections.** :class:`~parreport.reports.content.Document` (shared) is not extended:
  each part is a :class:`Section` whose ``title`` carries its numbering ("I. CÔNG TÁC CHỈ ĐẠO, …",
  "1. Cải cách thể chế") and whose ``key`` its level (:func:`level`: "results" is level 1, "results.tthc"
  level 2). A section with an empty title (the opening paragraph) has no heading.
* **The form's data travel in the document.** The header block and the closing are an :class:`Nd30Form`,
  stored as the first section (key :data:`FORM_KEY`) holding one key/value :class:`Table`, so they survive the
  JSON a batch hands to the renderers (:meth:`Nd30Form.from_document` reads them back).
* **Signing fields** come from the registry (optional fields of a unit, docs/data.md §2.6: ``issuing_body``,
  ``parent_body``, ``abbreviation``, ``place``, ``signer_authority``, ``signer_position``, ``signer``,
  ``recipients``), else from defaults (:func:`unit_form`, :func:`province_form`): a sở is "SỞ …" under
  "UBND TỈNH …", abbreviation its code ("STNMT"; initials of its name if the code is not letters), signed
  "GIÁM ĐỐC"; the province is "ỦY BAN NHÂN DÂN / TỈNH …", "UBND", signed "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH";
  the place is the province's name without "Tỉnh"/"Thành phố". The number, day and month are left blank for
  the clerk (văn thư) who registers the document; the year is the year the report is prepared. The
  signer's name, when the registry has none, is a placeholder.
* **HTML and PDF look like the document.** The shared nbconvert template is not touched: the notebook displays
  :class:`CchcDocument`, whose HTML is the whole form with a stylesheet of its own scoped to ``.nd30`` (Times New
  Roman 14 pt, the header table, headings, placeholders in italics) and ``@page`` rules for WeasyPrint (A4,
  margins 20/15/20/30 mm, the page number centred at the top from page 2). With no Times New Roman installed,
  the PDF uses the metric-compatible Liberation Serif, else the system's serif font.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from parreport import fmt
from parreport.catalogue import GROUPS, INDICATORS
from parreport.metrics.definitions import DEFAULT_TOLERANCE, PROVINCE
from parreport.periods import Period
from parreport.registry import Department, Registry
from parreport.reports.content import (SAMPLE_DATA_LABEL, Chart, Column, Document, Kpis, Note, Paragraphs,
                                       Points, Section, Table)

KIND = "cchc"
TITLE = "Báo cáo kết quả thực hiện công tác cải cách hành chính"
DOC_TYPE = "BÁO CÁO"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FORM_KEY = "nd30"
BLANK = " " * 6  # where the clerk writes the number, the day and the month
SIGNER_PLACEHOLDER = "[Họ và tên người ký]"
RECIPIENTS_TITLE = "Nơi nhận:"


def placeholder(what: str) -> str:
    """The paragraph saying what staff write in a part: "[Nội dung do cơ quan, đơn vị bổ sung: …]"."""
    return f"[Nội dung do cơ quan, đơn vị bổ sung: {what}]"


PLACEHOLDER_PATTERN = re.compile(r"(\[[^\[\]]*\])")  # a placeholder inside a text


def pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` as (piece, is_placeholder) in order: what a renderer writes upright or in italics."""
    return [(piece, bool(PLACEHOLDER_PATTERN.fullmatch(piece)))
            for piece in PLACEHOLDER_PATTERN.split(text) if piece]


# --- the outline ------------------------------------------------------------------------------------------------
# key, title (``{next}``: the next period in capitals), what staff add. A key's dots give its level.
OUTLINE: list[tuple[str, str, str | None]] = [
    ("direction", "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
     "việc ban hành và triển khai kế hoạch cải cách hành chính của kỳ; phân công trách nhiệm; công tác tuyên "
     "truyền, kiểm tra cải cách hành chính; khen thưởng, xử lý trách nhiệm; sáng kiến, mô hình mới."),
    ("results", "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", None),
    ("results.institutions", "1. Cải cách thể chế",
     "xây dựng, ban hành văn bản quy phạm pháp luật thuộc phạm vi quản lý; rà soát, hệ thống hóa văn bản; "
     "theo dõi thi hành pháp luật; kiểm tra, xử lý văn bản."),
    ("results.tthc", "2. Cải cách thủ tục hành chính",
     "kiểm soát, rà soát, đơn giản hóa thủ tục hành chính; công bố, công khai thủ tục hành chính; tiếp nhận, xử "
     "lý phản ánh, kiến nghị của cá nhân, tổ chức; thực hiện cơ chế một cửa, một cửa liên thông."),
    ("results.organisation", "3. Cải cách tổ chức bộ máy hành chính nhà nước",
     "rà soát, sắp xếp tổ chức bộ máy; chức năng, nhiệm vụ; tinh giản biên chế; phân cấp, ủy quyền."),
    ("results.civil_service", "4. Cải cách chế độ công vụ",
     "vị trí việc làm, cơ cấu ngạch công chức; tuyển dụng, sử dụng, quản lý công chức, viên chức; đào tạo, "
     "bồi dưỡng; kỷ luật, kỷ cương hành chính."),
    ("results.finance", "5. Cải cách tài chính công",
     "thực hiện cơ chế tự chủ tài chính; quản lý, sử dụng ngân sách và tài sản công; thực hành tiết kiệm, "
     "chống lãng phí."),
    ("results.digital", "6. Xây dựng và phát triển chính quyền điện tử, chính quyền số",
     "ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động của cơ quan; văn bản điện tử, chữ ký số; "
     "dịch vụ công trực tuyến toàn trình; hệ thống quản lý chất lượng theo TCVN ISO 9001:2015."),
    ("assessment", "III. ĐÁNH GIÁ CHUNG", None),
    ("assessment.strengths", "1. Ưu điểm", "các kết quả nổi bật khác của kỳ."),
    ("assessment.limitations", "2. Hạn chế, tồn tại", "các hạn chế, tồn tại khác."),
    ("assessment.causes", "3. Nguyên nhân",
     "nguyên nhân khách quan, chủ quan của các hạn chế, tồn tại nêu trên."),
    ("tasks", "IV. NHIỆM VỤ TRỌNG TÂM CẢI CÁCH HÀNH CHÍNH {next}",
     "các nhiệm vụ, giải pháp trọng tâm khác của kỳ tới."),
    ("proposals", "V. ĐỀ XUẤT, KIẾN NGHỊ", "đề xuất, kiến nghị với cơ quan cấp trên (nếu có)."),
]
OPENING_KEY = "opening"
# The PAR Index area (its name in the data, lower case) → the part of the outline it scores.
AREA_PARTS = (("chỉ đạo", "direction"), ("thể chế", "results.institutions"), ("thủ tục", "results.tthc"),
              ("tthc", "results.tthc"), ("bộ máy", "results.organisation"), ("công vụ", "results.civil_service"),
              ("tài chính", "results.finance"), ("điện tử", "results.digital"), ("chính quyền số", "results.digital"),
              ("chuyển đổi số", "results.digital"), ("tác động", "assessment"))
DIGITAL_GROUPS = ("so_hoa", "dvc_truc_tuyen", "thanh_toan")  # the 766 groups part II.6 quotes


def level(section: Section) -> int:
    """The heading level of a section of the outline: 1 for "I. …", 2 for "1. …" (0: the form, no heading)."""
    if section.key == FORM_KEY:
        return 0
    return 1 + section.key.count(".")


# --- the form (Nghị định 30/2020/NĐ-CP) -------------------------------------------------------------------------
@dataclass
class Nd30Form:
    """The header block and closing of the document. ``issuing_body`` may hold a line break ("ỦY BAN NHÂN
    DÂN\\nTỈNH BÌNH SƠN"); ``parent_body`` is empty when the issuing body has none shown."""

    issuing_body: str
    parent_body: str
    abbreviation: str
    number: str  # "Số:      /BC-STNMT"
    place_date: str  # "Bình Sơn, ngày      tháng      năm 2026"
    subject: str  # "Kết quả thực hiện công tác cải cách hành chính quý I năm 2020"
    recipients: list[str]
    authority: str  # "TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC" or ""
    position: str  # "CHỦ TỊCH", "GIÁM ĐỐC"
    signer: str  # a name, or SIGNER_PLACEHOLDER
    doc_type: str = DOC_TYPE
    national_title: str = NATIONAL_TITLE
    motto: str = MOTTO

    _LISTS = ("recipients",)

    def to_section(self) -> Section:
        """The form as the document's first section: one table of (field, value) rows (a list: one row per item)."""
        rows = []
        for name, value in vars(self).items():
            rows += [[name, item] for item in value] if isinstance(value, list) else [[name, value]]
        columns = [Column("field", "Thành phần thể thức", "text"), Column("value", "Nội dung", "text")]
        return Section(FORM_KEY, "Thể thức văn bản (Nghị định 30/2020/NĐ-CP)", [Table(FORM_KEY, "", columns, rows)])

    @classmethod
    def from_document(cls, document: Document) -> "Nd30Form":
        """The form a document carries (see :meth:`to_section`)."""
        section = document.section(FORM_KEY)
        if section is None:
            raise ValueError(f"a {KIND} document carries its form as the section {FORM_KEY!r}; this one has none")
        values: dict[str, Any] = {name: [] for name in cls._LISTS}
        for name, value in section.blocks[0].rows:
            if name in cls._LISTS:
                values[name].append(value)
            else:
                values[name] = value
        return cls(**values)


def _upper(text: str) -> str:
    return fmt.nfc(text.upper())


def _province_name(province: str) -> tuple[str, str]:
    """("tỉnh" or "thành phố", the name): "Tỉnh Bình Sơn" → ("tỉnh", "Bình Sơn")."""
    for prefix in ("Thành phố ", "thành phố ", "TP. ", "Tỉnh ", "tỉnh "):
        if province.startswith(prefix):
            return ("thành phố" if prefix.lower().startswith(("thành", "tp")) else "tỉnh"), province[len(prefix):]
    return "tỉnh", province


def initials(name: str) -> str:
    """The initials of a unit's name without diacritics and "và": "Sở Ngoại vụ" → "SNV"."""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return "".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", plain) if word.lower() != "va").upper()


_LOCAL_GOVERNMENT = ("UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân ")
_HEADS = (("Sở ", "GIÁM ĐỐC"), ("Ban ", "TRƯỞNG BAN"), ("Thanh tra", "CHÁNH THANH TRA"),
          ("Văn phòng", "CHÁNH VĂN PHÒNG"))


def _place_date(place: str, today: date) -> str:
    return f"{place}, ngày{BLANK}tháng{BLANK}năm {today.year}"


def _number(abbreviation: str) -> str:
    return f"Số:{BLANK}/BC-{abbreviation}"


def subject_line(period: Period) -> str:
    return f"Kết quả thực hiện công tác cải cách hành chính {period.label_vi}"


def unit_form(unit: Department, province: str, period: Period, today: date) -> Nd30Form:
    """The form of a unit's report: the registry's signing fields, else the defaults (module docstring)."""
    kind, name = _province_name(province)
    local = unit.group in ("cap_xa", "cap_huyen") or unit.name.startswith(_LOCAL_GOVERNMENT)
    if local:
        own = next((unit.name[len(p):] for p in _LOCAL_GOVERNMENT if unit.name.startswith(p)), unit.name)
        issuing, parent, abbreviation = f"ỦY BAN NHÂN DÂN\n{_upper(own)}", "", "UBND"
        authority, position = "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    else:
        issuing, parent = _upper(unit.name), f"UBND {_upper(kind)} {_upper(name)}"
        abbreviation = unit.code if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", unit.code) else initials(unit.name)
        authority = ""
        position = next((head for prefix, head in _HEADS if unit.name.startswith(prefix)), "THỦ TRƯỞNG CƠ QUAN")
    recipients = [f"UBND {kind} (để báo cáo);", "Sở Nội vụ (để tổng hợp);", "Lưu: VT."]
    if unit.name == "Sở Nội vụ":
        recipients.remove("Sở Nội vụ (để tổng hợp);")
    abbreviation = unit.abbreviation or abbreviation
    return Nd30Form(
        issuing_body=unit.issuing_body or issuing,
        parent_body=parent if unit.parent_body is None else unit.parent_body,
        abbreviation=abbreviation, number=_number(abbreviation),
        place_date=_place_date(unit.place or name, today), subject=subject_line(period),
        recipients=list(unit.recipients) or recipients,
        authority=authority if unit.signer_authority is None else unit.signer_authority,
        position=unit.signer_position or position, signer=unit.signer or SIGNER_PLACEHOLDER)


def province_form(province: str, period: Period, today: date) -> Nd30Form:
    """The form of the province's report (Ủy ban nhân dân tỉnh)."""
    kind, name = _province_name(province)
    return Nd30Form(
        issuing_body=f"ỦY BAN NHÂN DÂN\n{_upper(kind)} {_upper(name)}", parent_body="", abbreviation="UBND",
        number=_number("UBND"), place_date=_place_date(name, today), subject=subject_line(period),
        recipients=["Bộ Nội vụ (để báo cáo);", f"Thường trực {'Tỉnh ủy' if kind == 'tỉnh' else 'Thành ủy'};",
                    f"Thường trực HĐND {kind};", f"Chủ tịch, các Phó Chủ tịch UBND {kind};", "Các sở, ban, ngành;",
                    "Lưu: VT."],
        authority="TM. ỦY BAN NHÂN DÂN", position="CHỦ TỊCH", signer=SIGNER_PLACEHOLDER)


# --- the document ----------------------------------------------------------------------------------------------
class CchcDocument(Document):
    """A :class:`Document` that a notebook shows as the whole administrative document (:func:`nd30_html`);
    renderers read it back as a plain :class:`Document` of kind ``cchc``."""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        return {**super()._repr_mimebundle_(include, exclude), "text/html": nd30_html(self)}


@dataclass
class Parts:
    """What the data says in each part of the outline (blocks by outline key), and how the text names the
    reporting body."""

    name: str  # "Sở Tài nguyên và Môi trường", "Ủy ban nhân dân tỉnh Bình Sơn"
    subject: str  # how data sentences name it: "Sở", "toàn tỉnh"
    blocks: dict[str, list] = field(default_factory=dict)

    def add(self, key: str, *blocks) -> None:
        self.blocks.setdefault(key, []).extend(block for block in blocks if block is not None)

    def points(self, key: str, items: list[str]) -> None:
        if items:
            self.add(key, Points([fmt.nfc(item) for item in items], empty=""))


@dataclass
class CchcReport:
    """One CCHC report: the period, the loaded figures of the unit (a
    :class:`~parreport.reports.briefing.Briefing`) or of the province (an
    :class:`~parreport.reports.overview.Overview`), and the unit (None for the province)."""

    period: Period
    source: Any  # Briefing | Overview
    unit: Department | None = None

    def document(self, today: date | None = None) -> CchcDocument:
        today = today or date.today()
        source = self.source
        if self.unit is None:
            form, parts = province_form(source.province, self.period, today), _province_parts_of(source)
        else:
            form, parts = unit_form(self.unit, source.province, self.period, today), _unit_parts_of(source)
        sections = [form.to_section(), Section(OPENING_KEY, "", [Paragraphs(self.opening(parts))])]
        following = _upper(self.period.shift(1).label_vi)
        for key, title, what in OUTLINE:
            blocks = list(parts.blocks.get(key, []))
            if what:
                blocks.append(Paragraphs([placeholder(what)]))
            sections.append(Section(key, title.format(next=following), blocks))
        cover = replace(source.cover(today), title=TITLE)
        return CchcDocument(KIND, cover, sections, source.headline(), source.headline_columns())

    def opening(self, parts: Parts) -> list[str]:
        """The paragraph before part I, with the documents it answers to left for staff."""
        kind = _province_name(self.source.province)[0]
        upward = "của Bộ Nội vụ" if self.unit is None else f"của Ủy ban nhân dân {kind}"
        texts = [f"Thực hiện [kế hoạch cải cách hành chính năm {self.period.year} và văn bản yêu cầu báo cáo "
                 f"{upward}: số, ký hiệu, ngày ban hành], {parts.name} báo cáo kết quả thực hiện công tác cải cách "
                 f"hành chính {self.period.label_vi} như sau:"]
        if self.source.has_dossiers:
            texts.append(f"Số liệu giải quyết thủ tục hành chính trong báo cáo tính từ ngày "
                         f"{fmt.day(self.period.start)} đến ngày {fmt.day(self.period.end)}.")
        return [fmt.nfc(text) for text in texts]


def load_cchc(
    department: str,
    period: str | Period,
    data: str | Path | None = None,
    targets: dict[str, float] | None = None,
    convention: str = "calendar",
    registry: str | Path | Registry | None = None,
    tolerance_766: float = DEFAULT_TOLERANCE,
) -> CchcReport:
    """Load the figures of the CCHC report of ``department`` (a unit code, or ``TOAN_TINH`` for the province)
    for ``period``; :class:`~parreport.errors.NoDataError` when the data holds nothing on it."""
    # The loaders come with pandas; a renderer that only reads a document's form (render/docx.py) needs none.
    from parreport.reports.briefing import load_briefing
    from parreport.reports.overview import load_overview

    if str(department) == PROVINCE:
        overview = load_overview(period, data, targets, convention, registry, tolerance_766)
        return CchcReport(overview.period, overview)
    briefing = load_briefing(department, period, data, targets, convention, registry, tolerance_766)
    return CchcReport(briefing.period, briefing, briefing.unit)


# --- what the data says, part by part ---------------------------------------------------------------------------
def _unit_parts_of(b) -> Parts:
    """The parts of a unit's report from its :class:`~parreport.reports.briefing.Briefing`."""
    from parreport.reports import s766
    from parreport.reports.par import par_section

    parts = Parts(b.unit.name, b.subject)
    label = b.period.label_vi
    if b.has_dossiers:
        parts.add("results.tthc", Paragraphs(b.paragraphs()),
                  replace(b.field_table(), title=f"Kết quả giải quyết hồ sơ thủ tục hành chính {label} theo lĩnh vực"))
        parts.add("results.digital", *_digital_sentence(b.card, label, b.subject))
        parts.points("assessment.strengths", _strengths(b.card, b.targets))
        parts.points("assessment.limitations", b.attention_points())
    else:
        parts.add("results.tthc", Paragraphs([b.no_dossiers()]))
    if b.index_766 is not None and (b.has_dossiers or b.has_766):
        section = s766.unit_section(b.index_766, b.unit.code, b.unit.short_name, b.targets, dossiers=b.has_dossiers,
                                    registry=b.registry)
        _add_766(parts, section)
        if b.has_766:
            parts.add("results.digital", *_digital_766(b.index_766.row(b.unit.code), label, ""))
    if b.period.kind == "Y" and b.par is not None:
        section = par_section(b.par, b.unit, b.period.year, b.subject)
        parts.add("assessment", *(block for block in section.blocks if isinstance(block, (Paragraphs, Table))))
        _add_par_areas(parts, b.par.unit_areas(b.unit.code, b.period.year), b.period.year, b.subject)
    if b.has_dossiers:
        parts.points("tasks", _tasks(b.card, b.targets))
    return parts


def _province_parts_of(o) -> Parts:
    """The parts of the province's report from the :class:`~parreport.reports.overview.Overview`."""
    from parreport.reports import s766

    kind, name = _province_name(o.province)
    parts = Parts(f"Ủy ban nhân dân {kind} {name}", f"toàn {kind}")
    label = o.period.label_vi
    if o.has_dossiers:
        overdue = [block for block in o.overdue_blocks() if isinstance(block, Paragraphs)]
        parts.add("results.tthc", Paragraphs(o.paragraphs()), *overdue,
                  *(Paragraphs([note.text]) for note in o.without_data_note()),
                  replace(o.bieu06_table(), title=f"Kết quả giải quyết hồ sơ thủ tục hành chính {label} "
                                                  f"theo cơ quan, đơn vị"))
        parts.add("results.digital", *_digital_sentence(o.province_card, label, parts.subject))
        parts.points("assessment.strengths", _strengths(o.province_card, o.targets))
        parts.points("assessment.limitations", o.attention_points())
    else:
        parts.add("results.tthc", Paragraphs([o.no_dossiers()]))
    if o.index_766 is not None and (o.has_dossiers or o.has_766):
        _add_766(parts, o.s766_section())  # its tables of units split by group
        if o.has_766:
            parts.add("results.digital", *_digital_766(o.index_766.row(PROVINCE), label,
                                                       " (bình quân các cơ quan, đơn vị)"))
    if o.par_year is not None:
        for block in o.par_blocks():
            if isinstance(block, Table):
                block = replace(block, title=block.title or f"Chỉ số cải cách hành chính {label} của các cơ quan, "
                                                             f"đơn vị")
            if isinstance(block, (Paragraphs, Table)):
                parts.add("assessment", block)
    if o.has_dossiers:
        parts.points("tasks", _province_tasks(o))
    return parts


def _add_766(parts: Parts, section: Section) -> None:
    """The 766 section's sentences and official scores in part II.2, its attention points in III.2."""
    parts.add("results.tthc", Paragraphs(["Kết quả theo Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục "
                                          "vụ người dân, doanh nghiệp (Bộ chỉ số 766, Quyết định 766/QĐ-TTg):"]))
    for block in section.blocks:
        if isinstance(block, Kpis):
            parts.add("results.tthc", Paragraphs([kpi_sentence(block)]))
        elif isinstance(block, Paragraphs):
            parts.add("results.tthc", Paragraphs(block.texts))
        elif isinstance(block, Table) and block.name != "s766_rates":  # the rates: the sentences say them
            parts.add("results.tthc", block)
        elif isinstance(block, Points):
            parts.points("assessment.limitations", block.items)


def kpi_sentence(kpis: Kpis) -> str:
    """A row of headline figures as one sentence: "Tổng điểm công bố: 85,20/100 điểm (tăng …); …"."""
    parts = [f"{kpi.label if number == 0 else kpi.label[:1].lower() + kpi.label[1:]}: {kpi.value}"
             + (f" ({kpi.change})" if kpi.change else "") for number, kpi in enumerate(kpis.items)]
    return fmt.nfc("; ".join(parts) + ".")


def _digital_sentence(card: dict, label: str, subject: str) -> list[Paragraphs]:
    """Online intake, digitisation and online payment of the period (from the dossier data)."""
    clauses = []
    if card.get("online_share") is not None:
        clauses.append(f"tiếp nhận trực tuyến {fmt.number(card['new_online'])}/{fmt.number(card['new'])} hồ sơ "
                       f"tiếp nhận mới, đạt {fmt.percent(card['online_share'])}")
    if card.get("digitized_share") is not None:
        clauses.append(f"tỷ lệ hồ sơ được số hóa đạt {fmt.percent(card['digitized_share'])}")
    if card.get("online_payment_share") is not None:
        clauses.append(f"tỷ lệ thanh toán trực tuyến đạt {fmt.percent(card['online_payment_share'])}")
    if not clauses:
        return []
    return [Paragraphs([fmt.nfc(f"Trong {label}, {subject} {'; '.join(clauses)} (số liệu từ Hệ thống thông tin "
                                f"giải quyết thủ tục hành chính).")])]


def _digital_766(row: dict, label: str, whose: str) -> list[Paragraphs]:
    """The official 766 scores of the groups part II.6 speaks of, when the period has them."""
    known = [f"{GROUPS[key].label} {fmt.score(row[f'official_{key}'], GROUPS[key].max_score)}"
             for key in DIGITAL_GROUPS if row.get(f"official_{key}") is not None]
    if not known:
        return []
    return [Paragraphs([fmt.nfc(f"Điểm công bố của Bộ chỉ số 766 {label}{whose}: {'; '.join(known)}.")])]


def _strengths(card: dict, targets: dict[str, float]) -> list[str]:
    """Indicators that meet their targets, and no overdue dossier."""
    points = []
    for name, target in targets.items():
        indicator, value = INDICATORS[name], card.get(name)
        if value is None or indicator.below_target(value, target):
            continue
        reached = ("đạt mục tiêu" if indicator.higher_is_better else "không vượt mức tối đa")
        points.append(f"{indicator.label} đạt {fmt.percent(value)}, {reached} {fmt.percent(target)}.")
    if card.get("resolved") and card.get("overdue") == 0:
        points.append("Không có hồ sơ giải quyết quá hạn, không còn hồ sơ đang giải quyết quá hạn.")
    return points


def _tasks(card: dict, targets: dict[str, float]) -> list[str]:
    """What the figures ask of the next period: overdue dossiers to close, indicators to bring to target."""
    tasks = []
    if card.get("pending_overdue"):
        tasks.append(f"Tập trung giải quyết dứt điểm {fmt.number(card['pending_overdue'])} hồ sơ đang giải quyết "
                     f"quá hạn; thực hiện xin lỗi tổ chức, cá nhân đối với hồ sơ quá hạn theo quy định.")
    for name, target in targets.items():
        indicator, value = INDICATORS[name], card.get(name)
        if value is not None and indicator.below_target(value, target):
            label = indicator.label[:1].lower() + indicator.label[1:]
            verb, goal = ("nâng", "đạt mục tiêu") if indicator.higher_is_better else ("giảm", "không vượt mức")
            tasks.append(f"Có giải pháp {verb} {label} (kỳ này {fmt.percent(value)}) {goal} {fmt.percent(target)}.")
    return tasks


def _province_tasks(o) -> list[str]:
    tasks = []
    pending = o.province_card.get("pending_overdue")
    if pending:
        tasks.append(f"Chỉ đạo các cơ quan, đơn vị giải quyết dứt điểm {fmt.number(pending)} hồ sơ đang giải quyết "
                     f"quá hạn; thực hiện xin lỗi tổ chức, cá nhân đối với hồ sơ quá hạn theo quy định.")
    if o.attention_points():
        tasks.append("Yêu cầu các cơ quan, đơn vị có chỉ tiêu chưa đạt mục tiêu (mục III.2) có giải pháp khắc phục "
                     "trong kỳ tới.")
    return tasks


def _add_par_areas(parts: Parts, areas, year: int, subject: str) -> None:
    """For a year, the unit's PAR Index score in each area, in the part of the outline the area scores."""
    for row in areas.itertuples():
        key = next((part for words, part in AREA_PARTS if words in str(row.area).lower()), None)
        if key is None or fmt.is_missing(row.score):
            continue
        sentence = (f"Theo kết quả Chỉ số cải cách hành chính năm {year}, lĩnh vực “{row.area}” của {subject} đạt "
                    f"{fmt.score(row.score, row.max_score)} ({fmt.percent(row.pct)})")
        if not fmt.is_missing(row.average_pct):
            gap = round((float(row.pct) - float(row.average_pct)) * 100, 2)
            sentence += (", bằng bình quân các đơn vị cùng nhóm" if gap == 0 else
                         f", {'cao' if gap > 0 else 'thấp'} hơn bình quân các đơn vị cùng nhóm "
                         f"{fmt.number(abs(gap), 2)} điểm phần trăm")
        parts.add(key, Paragraphs([fmt.nfc(sentence + ".")]))


# --- HTML (notebook, HTML and PDF formats) ----------------------------------------------------------------------
SERIF = '"Times New Roman", "Liberation Serif", Tinos, serif'
STYLE = f"""
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm;
  @top-left {{ content: none; }} @bottom-center {{ content: none; }}
  @top-center {{ content: counter(page); font-family: {SERIF}; font-size: 13pt; color: #000; }}
  @top-right {{ content: string(sample); font-family: {SERIF}; font-size: 9pt; font-weight: bold; color: #b42318; }} }}
@page :first {{ @top-center {{ content: none; }} }}
.nd30 {{ font-family: {SERIF}; font-size: 14pt; line-height: 1.3; color: #000; }}
.nd30 p {{ margin: 0; }}
.nd30 table.nd30-form, .nd30 table.nd30-closing {{ width: 100%; border-collapse: collapse; }}
.nd30 .nd30-form td, .nd30 .nd30-closing td {{ border: none; padding: 0 1mm; vertical-align: top; text-align: center; }}
.nd30 .nd30-parent {{ font-size: 12pt; text-transform: uppercase; }}
.nd30 .nd30-issuer {{ font-size: 12pt; font-weight: bold; text-transform: uppercase; }}
.nd30 .nd30-national {{ font-size: 12pt; font-weight: bold; white-space: nowrap; }}
.nd30 .nd30-motto {{ font-size: 14pt; font-weight: bold; }}
.nd30 .nd30-motto span {{ display: inline-block; border-bottom: .75pt solid #000; padding-bottom: 1pt; }}
.nd30 .nd30-rule {{ border-top: .75pt solid #000; margin: 2pt auto 0; height: 0; }}
.nd30 .nd30-number {{ font-size: 13pt; white-space: pre-wrap; padding-top: 6pt; }}
.nd30 .nd30-place {{ font-size: 14pt; font-style: italic; white-space: pre-wrap; padding-top: 6pt; }}
.nd30 h1.nd30-title {{ font-size: 14pt; font-weight: bold; text-align: center; margin: 18pt 0 0; color: #000;
  line-height: 1.3; break-after: avoid; }}
.nd30 .nd30-type, .nd30 .nd30-subject {{ display: block; }}
.nd30 .nd30-sample {{ text-align: center; font-weight: bold; color: #b42318; font-size: 12pt; margin-top: 6pt; }}
.nd30 .nd30-body {{ margin-top: 12pt; }}
.nd30 p.nd30-p {{ text-align: justify; text-indent: 1cm; margin: 0 0 6pt; orphans: 2; widows: 2; }}
.nd30 h2.nd30-h1, .nd30 h3.nd30-h2 {{ font-size: 14pt; font-weight: bold; color: #000; border: none; text-indent: 1cm;
  text-align: justify; margin: 6pt 0; padding: 0; break-after: avoid; }}
.nd30 .nd30-placeholder {{ font-style: italic; }}
.nd30 .nd30-note {{ font-size: 11pt; font-style: italic; margin: 3pt 0 6pt; }}
.nd30 .pr-table-title {{ font-size: 13pt; text-align: center; }}
.nd30 table.pr-table {{ font-family: {SERIF}; font-size: 10pt; margin-bottom: 6pt; }}
.nd30 .pr-table th, .nd30 .pr-table td {{ border: .5pt solid #000; }}
.nd30 .pr-table th, .nd30 .pr-table tr.pr-total td {{ background: none; }}
.nd30 .pr-note {{ color: #000; font-style: italic; font-size: 11pt; }}
.nd30 .nd30-closing {{ margin-top: 12pt; break-inside: avoid; }}
.nd30 .nd30-closing td.nd30-recipients {{ text-align: left; width: 50%; }}
.nd30 .nd30-recipients-title {{ font-size: 12pt; font-weight: bold; font-style: italic; }}
.nd30 .nd30-recipient {{ font-size: 11pt; }}
.nd30 .nd30-authority {{ font-weight: bold; text-transform: uppercase; }}
.nd30 .nd30-signer {{ font-weight: bold; margin-top: 25mm; }}
"""


def _text(text: str) -> str:
    """Escaped text with its placeholders in italics."""
    return "".join(f'<em class="nd30-placeholder">{html.escape(piece)}</em>' if marked else html.escape(piece)
                   for piece, marked in pieces(text))


def _lines(text: str, css: str) -> str:
    return "".join(f'<p class="{css}">{_text(line)}</p>' for line in text.split("\n") if line)


def _block_html(block) -> str:
    if isinstance(block, Paragraphs):
        return "".join(f'<p class="nd30-p">{_text(text)}</p>' for text in block.texts)
    if isinstance(block, Points):
        items = block.items or ([block.empty] if block.empty else [])
        return "".join(f'<p class="nd30-p">- {_text(item)}</p>' for item in items)
    if isinstance(block, Note):
        return f'<p class="nd30-note">{_text(block.text)}</p>'
    if isinstance(block, Kpis):
        return f'<p class="nd30-p">{_text(kpi_sentence(block))}</p>'
    return block.html()  # tables and charts as in every report


def nd30_html(document: Document) -> str:
    """The document as one HTML fragment in the administrative form, with its own stylesheet."""
    form = Nd30Form.from_document(document)
    issuer = _lines(form.parent_body, "nd30-parent") + _lines(form.issuing_body, "nd30-issuer")
    header = (
        '<table class="nd30-form" role="presentation"><colgroup><col style="width: 44%"><col style="width: 56%"></colgroup>'
        f'<tr><td>{issuer}<div class="nd30-rule" style="width: 22mm"></div></td>'
        f'<td><p class="nd30-national">{html.escape(form.national_title)}</p>'
        f'<p class="nd30-motto"><span>{html.escape(form.motto)}</span></p></td></tr>'
        f'<tr><td class="nd30-number">{html.escape(form.number)}</td>'
        f'<td class="nd30-place">{html.escape(form.place_date)}</td></tr></table>')
    title = (f'<h1 class="nd30-title"><span class="nd30-type">{html.escape(form.doc_type)}</span>'
             f'<span class="nd30-subject">{_text(form.subject)}</span></h1><div class="nd30-rule" style="width: 35mm">'
             '</div>')
    if document.cover.sample_data:
        title += (f'<p class="nd30-sample"><span class="pr-sample-name">{SAMPLE_DATA_LABEL}</span> – số liệu do phần '
                  f'mềm tạo ra để minh họa, không phải số liệu thật</p>')
    body = []
    for section in document.sections:
        depth = level(section)
        if depth == 0:
            continue
        if section.title:
            tag = "h2" if depth == 1 else "h3"
            body.append(f'<{tag} class="nd30-h{depth}" id="{html.escape(section.key)}">{html.escape(section.title)}'
                        f'</{tag}>')
        body += [_block_html(block) for block in section.blocks if not isinstance(block, Chart)]
    recipients = "".join(f'<p class="nd30-recipient">- {_text(line)}</p>' for line in form.recipients)
    signature = "".join(f'<p class="nd30-authority">{html.escape(line)}</p>'
                        for line in (form.authority, form.position) if line)
    closing = (f'<table class="nd30-closing" role="presentation"><tr><td class="nd30-recipients"><p class="nd30-recipients-title">'
               f'{RECIPIENTS_TITLE}</p>{recipients}</td><td>{signature}<p class="nd30-signer">{_text(form.signer)}'
               f'</p></td></tr></table>')
    return (f'<style>{STYLE}</style><article class="nd30" lang="vi">{header}{title}'
            f'<div class="nd30-body">{"".join(body)}</div>{closing}</article>')

