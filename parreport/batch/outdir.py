"""The output folder stays whole: one writer at a time, each report's files published together, and what
an interrupted run left behind completed or removed by the next one.

* **Lock.** A run holds ``fcntl.flock`` on ``OUT/.parreport.lock`` for its whole duration; a second run on
  the same folder stops at once with a :class:`ConfigError` (the lock goes with the process, so a killed
  run never leaves a stale one).
* **Publishing together.** A job renders every file of a report in a scratch folder
  ``OUT/<period>/<unit>/.partial-*``. When all are complete, a journal ``.<stem>.publish.json`` is written
  (atomically) beside them, listing each move and the report's files that the new set no longer has;
  then the files are moved into place, the stale ones removed, and the journal deleted. A report is
  therefore all old (no journal yet: the scratch folder is simply dropped) or, once its journal exists,
  all new: :func:`recover` replays any journal left by a crash (roll forward; every file it names was
  complete before the journal was written).
* **Recovery.** At the start of a run, under the lock, :func:`recover` replays journals and deletes every
  ``.partial*`` leftover (scratch folders, half-written manifest or index), so no half-written file
  stays in the folder. Re-running the batch then produces the reports that were not finished.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from parreport.errors import ConfigError

MANIFEST = "manifest.json"  # the record of the folder's reports (written by parreport.batch.index)

LOCK = ".parreport.lock"
PARTIAL = ".partial"  # every scratch file or folder name starts with it or contains it
JOURNAL_SUFFIX = ".publish.json"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock (creating the folder); :class:`ConfigError` if another run holds it."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise ConfigError(f"{out}: another parreport run ({holder}) is writing to this folder; wait for it "
                              f"to finish or choose another --out") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def scratch(out_dir: Path, stem: str) -> Iterator[Path]:
    """A scratch folder inside ``out_dir`` for one report's files, removed afterwards unless a crash
    interrupted its publication (then :func:`recover` finishes it)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=out_dir, prefix=f"{PARTIAL}-{stem}-"))
    try:
        yield folder
    finally:
        if not _journal(out_dir, stem).exists():
            shutil.rmtree(folder, ignore_errors=True)
            try:
                out_dir.rmdir()  # a report that wrote nothing (no data) leaves no empty folder
            except OSError:
                pass


def publish(files: dict[str, Path], out_dir: Path, stem: str, stale: list[Path]) -> dict[str, Path]:
    """Move the complete files ``files`` (name → path in the report's scratch folder) into ``out_dir`` and
    delete ``stale`` (the report's old files the new set lacks), as one unit. Returns name → published path."""
    moves = [(str(source), str(out_dir / source.name)) for source in files.values()]
    journal = _journal(out_dir, stem)
    _write_durably(journal, json.dumps({"moves": moves, "stale": [str(path) for path in stale]}))
    _replay(journal)
    return {name: out_dir / source.name for name, source in files.items()}


def _journal(out_dir: Path, stem: str) -> Path:
    return out_dir / f".{stem}{JOURNAL_SUFFIX}"


def recover(out: Path) -> list[Path]:
    """Finish the publications a crash interrupted and delete every scratch leftover under ``out``.
    Returns the reports' journals that were replayed."""
    journals = sorted(out.rglob(f"*{JOURNAL_SUFFIX}"))
    for journal in journals:
        _replay(journal)
    for leftover in sorted(out.rglob(f"*{PARTIAL}*"), key=lambda p: len(p.parts), reverse=True):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    return journals


def _replay(journal: Path) -> None:
    """Carry out a journal (idempotent: a move already made is skipped), then delete it."""
    entry = json.loads(journal.read_text(encoding="utf-8"))
    for source, target in entry["moves"]:
        if Path(source).exists():
            os.replace(source, target)
    for path in entry["stale"]:
        Path(path).unlink(missing_ok=True)
    _sync(journal.parent)
    journal.unlink()


def _write_durably(path: Path, text: str) -> None:
    scratch = path.with_name(path.name + PARTIAL)
    with open(scratch, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(scratch, path)
    _sync(path.parent)


def _sync(folder: Path) -> None:
    """Make renames in ``folder`` durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def previous_reports(out: Path) -> dict:
    """The reports of the folder's manifest, by (kind, period, department); empty without a manifest."""
    path = out / MANIFEST
    if not path.exists():
        return {}
    reports = json.loads(path.read_text(encoding="utf-8")).get("reports", [])
    return {(r.get("kind"), r.get("period"), r.get("department")): r for r in reports}
