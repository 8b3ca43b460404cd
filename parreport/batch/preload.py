"""What the forkserver of a batch's local workers loads before it forks them (see
:class:`parreport.batch.executors.Processes`), once, while the batch plans.

The forkserver runs this module on import (that is how multiprocessing preloads): the process is set up as
parreport's own (:func:`parreport.process.prepare`), then each module named in the
:data:`~parreport.batch.executors.PRELOAD_VARIABLE` environment variable is imported — the batch runner and
the renderers of the batch's formats — and its ``warm_up()``, if it has one, pays its first file's one-time
costs. Every worker then starts with all of it instead of importing it itself and paying for a first HTML
and PDF, the largest part of a worker's start. A module that fails to load is left out: the jobs that need it
meet the same error and report it, one by one, as they would without a forkserver.
"""
import importlib
import os

from parreport.process import prepare

prepare()  # before the runner brings nbformat in

from parreport.batch.executors import PRELOAD_VARIABLE  # noqa: E402

for _name in filter(None, os.environ.get(PRELOAD_VARIABLE, "").split(",")):
    try:
        getattr(importlib.import_module(_name), "warm_up", lambda: None)()
    except Exception:  # noqa: BLE001, S110  (left out: see the module docstring)
        pass
