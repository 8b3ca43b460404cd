"""Executors with real worker processes: a worker process that dies loses at most its own job."""
from __future__ import annotations

import os
from pathlib import Path

from parreport.batch.executors import Processes, WorkerDied


def square_or_die(item: int, doomed: set[int]) -> int:
    """Kills its worker process (as a crash in native code would) for the doomed items."""
    if item in doomed:
        os._exit(3)
    return item * item


def square_or_die_once(item: int, folder: str) -> int:
    """Kills its worker process the first time it sees item 2 (as the out-of-memory killer might)."""
    marker = Path(folder) / f"{item}.died"
    if item == 2 and not marker.exists():
        marker.touch()
        os._exit(3)
    return item * item


def test_a_job_that_kills_its_worker_is_lost_alone():
    outcomes = dict(Processes(2).map(square_or_die, list(range(6)), {3}))
    assert sorted(outcomes) == [0, 1, 2, 3, 4, 5]
    assert {n: o for n, o in outcomes.items() if n != 3} == {0: 0, 1: 1, 2: 4, 4: 16, 5: 25}
    assert isinstance(outcomes[3], WorkerDied) and "died twice on this report" in str(outcomes[3])


def test_a_worker_that_dies_once_costs_no_job(tmp_path):
    outcomes = dict(Processes(2).map(square_or_die_once, list(range(6)), str(tmp_path)))
    assert outcomes == {0: 0, 1: 1, 2: 4, 3: 9, 4: 16, 5: 25}
    assert (tmp_path / "2.died").exists()                  # it did die, once


def test_jobs_that_all_kill_their_workers_are_all_lost_and_the_map_ends():
    outcomes = dict(Processes(2).map(square_or_die, [7, 8], {7, 8}))
    assert set(outcomes) == {0, 1} and all(isinstance(o, WorkerDied) for o in outcomes.values())


class DiesWhenUnpickled:
    """A job argument that kills the worker process before the job starts."""

    def __reduce__(self):
        return os._exit, (3,)


def test_workers_that_die_before_starting_any_job_fail_the_jobs_instead_of_retrying_forever():
    outcomes = dict(Processes(2).map(square_or_die, [DiesWhenUnpickled(), DiesWhenUnpickled()], set()))
    assert set(outcomes) == {0, 1}
    assert all(str(o) == "the worker processes exit before running any report" for o in outcomes.values())


def die(_item: object) -> None:
    os._exit(3)


def unpickle_once(folder: str) -> str:
    """Unpickling in a worker: fine the first time, kills the worker before its job starts afterwards."""
    marker = Path(folder) / "unpickled"
    if marker.exists():
        os._exit(3)
    marker.touch()
    return folder


class UnpickledOnce:
    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __reduce__(self):
        return unpickle_once, (self.folder,)


def test_a_job_whose_retry_cannot_start_is_reported_not_dropped(tmp_path):
    """Its first run kills its worker; on its own again, its worker dies before it starts."""
    outcomes = dict(Processes(2).map(die, [UnpickledOnce(str(tmp_path))]))
    assert list(outcomes) == [0] and str(outcomes[0]) == "the worker processes exit before running any report"


def test_a_long_map_does_not_block_on_its_start_announcements():
    """Each job announces its start through a pipe; 6.000 announcements (~20 bytes each) would fill its
    64 KiB buffer and stall the workers unless they are read as jobs end (it hung before they were)."""
    outcomes = dict(Processes(2).map(square_or_die, list(range(6000)), set()))
    assert len(outcomes) == 6000 and outcomes[5999] == 5999 * 5999
