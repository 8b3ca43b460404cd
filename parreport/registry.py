"""The department registry (``params/departments.yaml``, docs/data.md §2.6).

A unit is a stable ``code`` with a display ``name``; data may name a unit by its code, its name, its
short name or one of its ``aliases`` (compared case-insensitively, NFC), e.g. the national dashboard's unit
code ``H44.07``. Renames and mergers are recorded with ``valid_from``, ``valid_to`` and ``successor``; the
lineage they make is answered here, in one place (:meth:`Registry.members`, :meth:`Registry.codes`).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from parreport.errors import ConfigError, UnknownUnitError
from parreport.periods import Period
from parreport.yamlfile import read_yaml


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


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
                self._lookup.setdefault(_key(alias), dept.code)

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
        """The code of the unit a data file names, or :class:`UnknownUnitError` naming unit and file."""
        code = self._lookup.get(_key(name_or_code))
        if code is None:
            raise UnknownUnitError(
                file, f"unknown unit {name_or_code!r}", row=row, column=column,
                expected=f"a code, name or short name from the registry {self.source}",
            )
        return code

    def codes(self, period: Period | None = None, group: str | None = None) -> list[str]:
        """Codes of the units reported for ``period`` (of ``group``), in registry order: those active in it,
        but for a unit merged or renamed during it, whose figures its successor reports (:meth:`members`)."""
        return [
            dept.code for dept in self
            if (period is None or (dept.active_in(period) and self.absorbed_by(dept.code, period) is None))
            and (group is None or dept.group == group)
        ]

    def absorbed_by(self, code: str, period: Period) -> str | None:
        """The successor that reports the figures of ``code`` for ``period`` (the first unit down its successor
        links that is active in ``period``, other than itself), or None when the unit reports its own."""
        seen, successor = {code}, self.departments[code].successor
        while successor is not None and successor not in seen:
            if self.departments[successor].active_in(period):
                return successor
            seen.add(successor)
            successor = self.departments[successor].successor
        return None

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

    def members(self, code: str, period: Period) -> list[str]:
        """The units whose records make up unit ``code`` over ``period``: the unit itself and each predecessor
        that existed by the end of ``period`` (a predecessor's dossiers still open at the merger count in the
        periods after it), in registry order. Counts are summed over these units; scores (PAR Index, SIPAS,
        766) never are."""
        before = set(self.predecessors(code))
        return [dept.code for dept in self if dept.code == code or (
            dept.code in before and (dept.valid_from is None or dept.valid_from <= period.end))]


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
