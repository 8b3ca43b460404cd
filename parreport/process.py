"""Set-up for the processes parreport runs itself: the command line and the batch's worker processes.

jsonschema (imported by nbformat and papermill) loads the optional ``rfc3987_syntax`` package for its
"iri" format checks, and that package compiles 39 Lark grammars on import, a large part of every process
start (docs/performance.md). Notebook validation never checks that format, so our own
processes skip the package; jsonschema then treats the "iri" formats as unchecked, as it does whenever the
package is absent. Processes that merely import parreport (a JupyterLab kernel, a user's script) are not
touched.
"""
from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import NoReturn

SKIPPED_MODULES = ("rfc3987_syntax",)


def prepare() -> None:
    """Call first thing in a process parreport starts (before nbformat or papermill is imported)."""
    for name in SKIPPED_MODULES:
        sys.modules.setdefault(name, None)  # a None entry makes ``import name`` raise ImportError


_frozen = False


def freeze_once() -> None:
    """Call after a process's first report, when the renderers and their caches are loaded: collect, then
    keep what is left out of the garbage collector's later passes (``gc.freeze``), once. Without it, every
    full collection rescans those modules' objects, a noticeable part of each PDF."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True


_ABRUPT_EXIT: list[tuple[int, Callable[[], None]]] = []  # (the process that registered it, the clean-up)


def at_abrupt_exit(cleanup: Callable[[], None]) -> None:
    """Have ``cleanup`` run if this process leaves through :func:`abrupt_exit`."""
    _ABRUPT_EXIT.append((os.getpid(), cleanup))


def abrupt_exit(code: int) -> NoReturn:
    """Leave at once, without interpreter teardown (``os._exit``: the sockets and threads of an interrupted
    kernel client can crash it), but after the clean-ups this process registered with
    :func:`at_abrupt_exit`, which ``os._exit`` alone would skip as it skips atexit and multiprocessing's
    finalizers. For an interrupted ``parreport run`` and a worker whose batch is gone."""
    for pid, cleanup in reversed(_ABRUPT_EXIT):
        if pid == os.getpid():  # not one a forked process inherited
            try:
                cleanup()
            except Exception:  # noqa: BLE001, S110  (leaving anyway; the others still run)
                pass
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def is_running(pid: int) -> bool:
    """Whether the process ``pid`` runs (one of another user's too), by ``os.kill(pid, 0)``: POSIX only. For
    the folders a process killed outright leaves, and the processes a batch watches but did not start."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
