"""Kinds and formats from other packages: entry points, as papermill finds its engines and I/O handlers.

A package declares, in its ``pyproject.toml``::

    [project.entry-points."parreport.kinds"]
    fields = "my_package.kinds:FIELDS"        # a parreport.reports.kinds.ReportKind

    [project.entry-points."parreport.formats"]
    txt = "my_package.formats:TEXT"           # a parreport.render.OutputFormat

and once installed, its kinds and formats are registered beside the built-in ones the first time a
registry is asked for them.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

from parreport.errors import ConfigError

KINDS_GROUP, FORMATS_GROUP = "parreport.kinds", "parreport.formats"
_LOADED: set[str] = set()


def load_entry_points(group: str, register: Callable[[object], object]) -> None:
    """``register`` every object the installed packages declare under the entry-point ``group`` (once per
    process); :class:`ConfigError` naming an entry point that cannot be loaded."""
    if group in _LOADED:
        return
    _LOADED.add(group)
    for entry_point in entry_points(group=group):
        try:
            declared = entry_point.load()
        except Exception as exc:  # a broken plug-in names itself instead of failing somewhere deep
            raise ConfigError(f"the {group} entry point {entry_point.name} = {entry_point.value} cannot be loaded: "
                              f"{type(exc).__name__}: {exc}") from None
        register(declared)
