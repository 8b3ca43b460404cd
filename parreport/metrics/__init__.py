"""Metrics: pure functions from the store's frames to tidy pandas frames (docs/data.md §3).

The names below are imported on first use, so that a light submodule (:mod:`.definitions`) can be read
without pandas: the ``parreport`` command reads its defaults before it loads anything heavy.
"""
import importlib

_API = {
    "GROUPS": "parreport.catalogue", "INDICATORS": "parreport.catalogue",
    "COUNTS": "parreport.metrics.definitions", "PROVINCE": "parreport.metrics.definitions",
    "PROVINCE_LABEL": "parreport.metrics.definitions", "TOTAL_FIELD": "parreport.metrics.definitions",
    "DossierData": "parreport.metrics.dossiers", "field_table": "parreport.metrics.dossiers",
    "scorecard": "parreport.metrics.dossiers", "trend": "parreport.metrics.dossiers",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> object:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'parreport.metrics' has no attribute {name!r}")
