"""Set-up for the processes parreport runs itself: the command line and the batch's worker processes.

jsonschema (imported by nbformat and papermill) loads the optional ``rfc3987_syntax`` package for its
"iri" format checks, and that package compiles 39 Lark grammars on import: 1,7 s of every process start
(measured: ``python -c "import rfc3987_syntax"``). Notebook validation never checks that format, so our own
processes skip the package; jsonschema then treats the "iri" formats as unchecked, as it does whenever the
package is absent. Processes that merely import parreport (a JupyterLab kernel, a user's script) are not
touched.
"""
from __future__ import annotations

import gc
import sys

SKIPPED_MODULES = ("rfc3987_syntax",)


def prepare() -> None:
    """Call first thing in a process parreport starts (before nbformat or papermill is imported)."""
    for name in SKIPPED_MODULES:
        sys.modules.setdefault(name, None)  # a None entry makes ``import name`` raise ImportError


_frozen = False


def freeze_once() -> None:
    """Call after a process's first report, when the renderers and their caches are loaded: collect, then
    keep what is left out of the garbage collector's later passes (``gc.freeze``), once. Without it, every
    full collection rescans those modules' objects: 0,05–0,1 s of each PDF (measured with gc callbacks)."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True
