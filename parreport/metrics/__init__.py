"""Metrics: pure functions from the store's frames to tidy pandas frames (docs/data.md §3)."""
from parreport.metrics.catalogue import GROUPS, INDICATORS
from parreport.metrics.definitions import COUNTS, PROVINCE, PROVINCE_LABEL, TOTAL_FIELD
from parreport.metrics.dossiers import DossierData, field_table, scorecard, trend

__all__ = ["COUNTS", "GROUPS", "INDICATORS", "PROVINCE", "PROVINCE_LABEL", "TOTAL_FIELD", "DossierData",
           "field_table", "scorecard", "trend"]
