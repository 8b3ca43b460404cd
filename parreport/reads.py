"""What a report reads from the data, recorded while it runs.

Every read of the data goes through a place that records it here: the dossier counts of a period
(``("counts", convention, period)``), a table of the store (``("table", kind)``), the store's sample-data mark
(``("meta", "sample_data")``), the registry file (``("registry", path)``), or the store as a whole
(``("store",)``: a query written by hand, which nothing can narrow down). A batch asks the kernel for the
reads of each report when it ends, and reuses the report later only while every one of them is unchanged
(:mod:`parreport.batch.reuse`): there is no list of what a report reads kept beside the code.

The log belongs to the process (a kernel serves one report at a time) and is cleared before each report.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

Read = tuple[str, ...]

_LOG: set[Read] = set()
_SUPPRESSED = [0]  # inside a reader that records a narrower read itself


def record(*read: str) -> None:
    """Note that the running report read ``read``."""
    if not _SUPPRESSED[0]:
        _LOG.add(tuple(str(part) for part in read))


@contextmanager
def narrowed() -> Iterator[None]:
    """Within the block, the store's own queries are not noted: the caller notes what they read, more
    narrowly (the counts of some periods rather than the whole store)."""
    _SUPPRESSED[0] += 1
    try:
        yield
    finally:
        _SUPPRESSED[0] -= 1


def recorded() -> list[list[str]]:
    """Every read noted since :func:`clear`, sorted (plain lists, as JSON keeps them)."""
    return [list(read) for read in sorted(_LOG)]


def clear() -> None:
    """Forget the reads noted so far (before a report starts)."""
    _LOG.clear()
