"""Batch: plan kind × department × period, run each notebook through papermill, render, index, manifest.

A run holds the output folder's lock, first finishes or removes what an interrupted run left there
(:mod:`parreport.batch.outdir`), and records each report in the manifest and index as soon as it is done.
"""
from __future__ import annotations

import importlib

_API = {  # imported on first use: the kernels, executors and engine modules stay light to import
    "run_batch": "parreport.batch.build",
    "BatchSpec": "parreport.batch.spec", "DEFAULT_SPEC": "parreport.batch.spec",
    "Job": "parreport.batch.job",
    "JobResult": "parreport.batch.results", "DEFAULT_TIMEOUT": "parreport.batch.spec",
    "default_workers": "parreport.batch.executors",
    "OK": "parreport.batch.results", "NO_DATA": "parreport.batch.results", "FAILED": "parreport.batch.results",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> object:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'parreport.batch' has no attribute {name!r}")
