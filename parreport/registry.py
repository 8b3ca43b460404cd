"""The department registry (``params/departments.yaml``, docs/data.md §2.6).

A unit is a stable ``code`` with a display ``name``; data may name a unit by its code, its name, its
short name or one of its ``aliases`` (compared case-insensitively, NFC), e.g. the national dashboard's unit
code ``H44.07``. Renames and mergers are recorded with ``valid_from``, ``valid_to`` and ``successor``; the
lineage they make is answered here, in one place (:meth:`Registry.members`, :meth:`Registry.codes`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from parreport.errors import ConfigError, UnknownUnit, UnknownUnitError
from parreport.periods import Period
from parreport.yamlfile import read_yaml


def _tidy(text: str) -> str:
    """A unit's name as data writes it, tidied: NFC, spaces collapsed, a dash (-, – or —) as " - "."""
    return _DASH.sub(" - ", " ".join(unicodedata.normalize("NFC", str(text)).split()))


def _spelled_out(text: str) -> str:
    """``text`` tidied, with the abbreviation "UBND" written out: "UBND xã Hy Cương" → "Ủy ban nhân dân xã Hy Cương"."""
    return _UBND.sub("Ủy ban nhân dân", _tidy(text))


def _key(text: str) -> str:
    """How a unit's code, name, short name or alias is compared with data (the one place it is decided):
    :func:`_spelled_out`, case-folded, and the tone mark of a final "oa", "oe", "uy" on its first vowel
    whichever way it was typed ("Uỷ ban" = "Ủy ban", "Hoà" = "Hòa")."""
    key = unicodedata.normalize("NFD", _spelled_out(text).casefold())
    return unicodedata.normalize("NFC", _TONE_ON_SECOND.sub(lambda m: m[0][0] + m[0][2] + m[0][1], key))


def _split_province(text: str) -> tuple[str, str | None]:
    """A dashboard name and the province it ends with: "Sở Công Thương - Tỉnh Phú Thọ" → ("Sở Công Thương",
    "Tỉnh Phú Thọ"); also "- Thành phố Hà Nội", "- TP. Hồ Chí Minh"; (text, None) without such an ending."""
    match = _PROVINCE_SUFFIX.fullmatch(_tidy(text))
    return (match["unit"], match["province"]) if match else (_tidy(text), None)


def _province_key(name: str) -> str:
    """A province compared without "Tỉnh", "Thành phố" or "TP.": "TP. Hồ Chí Minh" = "Thành phố Hồ Chí Minh"."""
    return _PROVINCE_KIND.sub("", _key(name))


def _looks_like_code(text: str) -> bool:
    """A value without spaces ("H44.07", "000.00.44.H44", "SCT") is taken for a code rather than a name."""
    return len(_tidy(text).split()) == 1


_DASH = re.compile(r"\s*[-–—]\s*")
_UBND = re.compile(r"\bUBND\b", re.IGNORECASE)
_TONE_ON_SECOND = re.compile("(?:o[ae]|uy)[\u0300\u0301\u0303\u0309\u0323](?!\\w)")  # NFD: vowel, vowel, tone
_PROVINCE_SUFFIX = re.compile(r"(?P<unit>.*\S) - (?P<province>(?:tỉnh|thành phố) \S.*|tp\.? ?\S.*)", re.IGNORECASE)
_PROVINCE_KIND = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s*")


@dataclass(frozen=True)
class Department:
    """One unit of the province."""

    code: str
    name: str
    short_name: str
    group: str
    fields: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    successor: str | None = None
    # How the unit signs a report in the form of Nghị định 30/2020/NĐ-CP (the ``cchc`` kind); None = the
    # defaults of parreport.reports.cchc (docs/data.md §2.6). An empty parent_body means none.
    issuing_body: str | None = None  # "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"
    parent_body: str | None = None  # "UBND TỈNH BÌNH SƠN"
    abbreviation: str | None = None  # "STNMT", as in "Số: …/BC-STNMT"
    place: str | None = None  # "Bình Sơn", as in "Bình Sơn, ngày … tháng … năm …"
    signer_authority: str | None = None  # "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"
    signer_position: str | None = None  # "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"
    signer: str | None = None  # the signer's name
    recipients: tuple[str, ...] = ()  # "Nơi nhận", one line each: "UBND tỉnh;", "Lưu: VT."
    aliases: tuple[str, ...] = ()  # other names data may use: the dashboard's unit code or name, a former name

    def active_in(self, period: Period) -> bool:
        """Whether the unit existed during any part of ``period``."""
        starts_ok = self.valid_from is None or self.valid_from <= period.end
        ends_ok = self.valid_to is None or self.valid_to >= period.start
        return starts_ok and ends_ok


# How a sentence names the units a unit is ranked among ("xếp hạng 3/18 trong các sở, ban, ngành").
GROUP_SETS = {
    "so_nganh": "các sở, ban, ngành",
    "cap_huyen": "các huyện, thị xã, thành phố",
    "cap_xa": "các xã, phường",
}
DEFAULT_GROUP_SET = "các cơ quan, đơn vị cùng nhóm"
GROUP_ORDER = ("so_nganh", "cap_xa")  # how every table and the index order the groups; others follow


def group_set(group: str | None) -> str:
    """The Vietnamese name of the set of units of ``group``: ``so_nganh`` → "các sở, ban, ngành"."""
    return GROUP_SETS.get(group or "", DEFAULT_GROUP_SET)


@dataclass
class Registry:
    """All units of one province, looked up by code, name or short name."""

    province: str
    departments: dict[str, Department]
    source: str = "<registry>"
    _lookup: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for dept in self.departments.values():
            for alias in (dept.code, dept.name, dept.short_name, *dept.aliases):
                other = self._lookup.setdefault(_key(alias), dept.code)
                if other != dept.code:
                    raise ConfigError(f"{self.source}: {alias!r} names two units, {other} and {dept.code}; a code, "
                                      "name, short name or alias must name one unit only (data naming it would be "
                                      "ambiguous): rename one or drop the alias")

    @classmethod
    def load(cls, path: str | Path) -> "Registry":
        """Read a registry YAML file; every problem is reported with the file and entry."""
        path = Path(path)
        raw = read_yaml(path, "department registry")
        entries = raw.get("departments")
        if not isinstance(entries, list) or not entries:
            raise ConfigError(f"{path}: expected a non-empty list under 'departments'")
        departments: dict[str, Department] = {}
        for number, entry in enumerate(entries, start=1):
            dept = _department(entry, f"{path}, department #{number}")
            if dept.code in departments:
                raise ConfigError(f"{path}, department #{number}: code {dept.code!r} is listed twice")
            departments[dept.code] = dept
        for dept in departments.values():
            if dept.successor and dept.successor not in departments:
                raise ConfigError(f"{path}: {dept.code} names successor {dept.successor!r}, which is not listed")
            chain, successor = [dept.code], dept.successor
            while successor is not None:
                if successor in chain:
                    raise ConfigError(f"{path}: successor links go round in a circle: {' → '.join([*chain, successor])}")
                chain.append(successor)
                successor = departments[successor].successor
        return cls(province=str(raw.get("province", "")), departments=departments, source=str(path.resolve()))

    def __iter__(self):
        return iter(self.departments.values())

    def __len__(self) -> int:
        return len(self.departments)

    def __contains__(self, code: object) -> bool:
        return code in self.departments

    def get(self, code: str) -> Department:
        """The unit with this code; :class:`ConfigError` if there is none."""
        try:
            return self.departments[code]
        except KeyError:
            raise ConfigError(
                f"unknown department {code!r} (registry {self.source}); known codes: {', '.join(self.departments)}"
            ) from None

    def resolve(self, name_or_code: str, file: str | Path, row: int | None = None, column: str | None = None) -> str:
        """The code of the unit a data file names (by code, name, short name or alias; compared as :func:`_key`
        says), or :class:`UnknownUnitError` naming the unit, the file and a registry entry to paste.

        A name ending in a province, as the national dashboard writes it ("Sở Công Thương - Tỉnh Phú Thọ"),
        is the unit named without it when the province is the registry's own; a unit of another province is
        an error saying so (unless an alias lists it as written: a merged province, docs/merged-province.md).
        """
        code = self._lookup.get(_key(name_or_code))
        if code is not None:
            return code
        found = _tidy(name_or_code)
        unit, province = _split_province(name_or_code)
        other = province if province and self.province and _province_key(province) != _province_key(self.province) \
            else None
        if province and not other:
            code = self._lookup.get(_key(unit))
            if code is not None:
                return code
        as_code = _looks_like_code(unit)
        raise UnknownUnitError(file, [UnknownUnit(
            found, row, key=_key(unit), name=None if as_code else _spelled_out(unit),
            code=unit if as_code else None, other_province=other, spellings=(found,))],
            column=column, registry=self.source, province=self.province)

    def groups(self) -> list[str]:
        """The registry's groups in the order tables and the index show them: the sở, ban, ngành, the xã,
        phường, then the others in registry order."""
        present = dict.fromkeys(dept.group for dept in self)
        return [*(group for group in GROUP_ORDER if group in present),
                *(group for group in present if group not in GROUP_ORDER)]

    def codes(self, period: Period | None = None, group: str | None = None) -> list[str]:
        """Codes of the units reported for ``period`` (of ``group``), in registry order: those standing at its
        end, and those ending within it without a successor; a unit merged or renamed during it is reported
        by its successor (:meth:`reporter`)."""
        return [
            dept.code for dept in self
            if (period is None or self.reporter(dept.code, period) == dept.code)
            and (group is None or dept.group == group)
        ]

    def reporter(self, code: str, period: Period) -> str | None:
        """The unit reported for ``period`` whose figures include those of ``code``: ``code`` itself when it
        exists in ``period`` and did not end within it in favour of a successor, else the first unit down its
        successor links that is reported; None for a unit that had not started yet or ended without successor."""
        seen = set()
        while code is not None and code not in seen:
            unit = self.departments[code]
            ended = unit.valid_to is not None and unit.valid_to < period.end
            if unit.active_in(period) and not (ended and unit.successor):
                return code
            if not ended:
                return None  # starts after the period
            seen.add(code)
            code = unit.successor
        return None

    def absorbed_by(self, code: str, period: Period) -> str | None:
        """The successor that reports the figures of ``code`` for ``period``, or None when it reports its own
        (or is not reported at all)."""
        reporter = self.reporter(code, period)
        return reporter if reporter != code else None

    def owners(self, period: Period, as_of: Period | None = None) -> dict[str, str]:
        """Each unit whose records may count in ``period`` (started by its end) → the unit reported for
        ``as_of`` (default: ``period``; a later period when comparing) whose figures its records make up."""
        owners = {}
        for dept in self:
            if dept.valid_from is None or dept.valid_from <= period.end:
                reporter = self.reporter(dept.code, as_of or period)
                if reporter is not None:
                    owners[dept.code] = reporter
        return owners

    def not_reported(self, code: str, period: Period) -> str:
        """Why unit ``code`` has no report for ``period``: it did not exist, or its successor reports its figures."""
        unit, successor = self.get(code), self.absorbed_by(code, period)
        if successor is not None and unit.active_in(period):
            return (f"{code} ({unit.name}) ended on {unit.valid_to:%d/%m/%Y}, within {period.label_vi}: its "
                    f"figures for the period are reported by its successor {successor} "
                    f"({self.get(successor).name})")
        return (f"{code} ({unit.name}) did not exist in {period.label_vi} "
                f"(valid {unit.valid_from or '…'} to {unit.valid_to or '…'})")

    def predecessors(self, code: str) -> list[str]:
        """Every unit whose successor links lead to ``code`` (renamed or merged into it, directly or through
        another merger), in registry order."""
        found: list[str] = []
        frontier = [code]
        while frontier:
            direct = [dept.code for dept in self if dept.successor in frontier and dept.code not in found
                      and dept.code != code]
            found += direct
            frontier = direct
        return [dept.code for dept in self if dept.code in found]

    def members(self, code: str, period: Period, as_of: Period | None = None) -> list[str]:
        """The units whose records make up unit ``code`` (reported for ``as_of``, default ``period``) over
        ``period``, in registry order: the unit itself and the predecessors merged or renamed into it by then
        that had started by the end of ``period`` (a predecessor's dossiers still open at the merger count in
        the periods after it). Counts are summed over these units; scores (PAR Index, SIPAS, 766) never are."""
        return [member for member, owner in self.owners(period, as_of).items() if owner == code]


def _department(entry: object, where: str) -> Department:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping with code, name, short_name, group, fields")
    missing = [key for key in ("code", "name", "group") if not entry.get(key)]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}")
    dates = {}
    for key in ("valid_from", "valid_to"):
        value = entry.get(key)
        if value is not None and not isinstance(value, date):
            raise ConfigError(f"{where}: {key} must be a date written YYYY-MM-DD, found {value!r}")
        dates[key] = value
    nfc = lambda text: unicodedata.normalize("NFC", str(text))  # noqa: E731
    for key in ("recipients", "aliases"):
        if not isinstance(entry.get(key) or [], list):
            raise ConfigError(f"{where}: {key} must be a list of lines, found {entry[key]!r}")
    return Department(
        code=str(entry["code"]),
        name=nfc(entry["name"]),
        short_name=nfc(entry.get("short_name") or entry["name"]),
        group=str(entry["group"]),
        fields=tuple(nfc(f) for f in entry.get("fields") or ()),
        successor=str(entry["successor"]) if entry.get("successor") is not None else None,
        **{key: nfc(entry[key]).strip() for key in _SIGNING if entry.get(key) is not None},
        recipients=tuple(nfc(line).strip() for line in entry.get("recipients") or ()),
        aliases=tuple(nfc(alias).strip() for alias in entry.get("aliases") or ()),
        **dates,
    )


_SIGNING = ("issuing_body", "parent_body", "abbreviation", "place", "signer_authority", "signer_position", "signer")
