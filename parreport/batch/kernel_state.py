"""Runs inside a warm kernel (see :mod:`parreport.batch.warm`): the imports every report needs, done once
when the kernel starts, and the state a report can leave behind, put back before the next report runs.
Importing it loads nothing else of :mod:`parreport.batch` (whose names load lazily), so a kernel never
imports papermill, nbformat or their JSON-schema checks, which no notebook needs.

What is put back: the user namespace, input/output history and execution counter (IPython's own
``reset``), open pyplot figures, Matplotlib's rcParams, the working directory, environment variables,
``sys.path``, warning filters and the root logger. Modules stay imported (that is the point). The library's
caches hold static resources (templates, fonts) and the counts read from the last store
(:class:`parreport.reports.inputs.StoreData`), which serve the next report only while the store's
fingerprint and the registry are the same, so no report sees another's data. What a notebook changes inside
an imported module (a monkeypatch) is not put back; the bundled notebooks change none.
"""
from __future__ import annotations

import gc
import importlib
import json
import logging
import os
import sys
import warnings

from parreport import reads

_baseline: dict = {}


def warm_up() -> None:
    """Import every report kind's content builder that loads (pandas, DuckDB, Matplotlib, Jinja, Babel come
    with them; one that does not fails its own reports when their notebooks import it),
    draw one chart so fonts are loaded, record the state that :func:`reset` puts back, and take what exists
    now out of the garbage collector's reach."""
    import matplotlib

    from parreport.reports import charts
    from parreport.reports.kinds import kinds

    for kind in kinds().values():
        try:
            importlib.import_module(kind.content)
        except Exception:  # noqa: BLE001 - a kind that cannot load fails its own reports, not every kernel
            continue
    charts.empty("Khởi động", "Phông chữ tiếng Việt đã nạp")  # loads the fonts, draws one PNG
    root = logging.getLogger()
    _baseline.update(environ=dict(os.environ), path=list(sys.path), warnings=list(warnings.filters),
                     rc=matplotlib.rcParams.copy(), log_level=root.level, log_handlers=list(root.handlers))
    gc.freeze()  # the imported modules live as long as the kernel: no collection needs to scan them again


def reset(cwd: str) -> None:
    """A clean kernel for the next report, which runs in ``cwd``."""
    from IPython import get_ipython

    get_ipython().reset(new_session=True)  # namespace, In/Out, execution counter back to 1
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    import matplotlib
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # restoring a deprecated key warns again
        matplotlib.rcParams.update(_baseline["rc"])
    os.environ.clear()
    os.environ.update(_baseline["environ"])
    sys.path[:] = _baseline["path"]
    warnings.filters[:] = _baseline["warnings"]
    root = logging.getLogger()
    root.setLevel(_baseline["log_level"])
    root.handlers[:] = _baseline["log_handlers"]
    os.chdir(cwd)
    reads.clear()


def reads_recorded() -> str:
    """What the report just run read (:func:`parreport.reads.recorded`), as JSON text for the batch."""
    return json.dumps(reads.recorded())
