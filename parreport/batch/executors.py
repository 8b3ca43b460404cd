"""Where a batch's jobs run: one small interface, executors chosen by name (like papermill's engines).

An executor calls ``function(item, *args)`` for every item and yields ``(number, outcome)`` as each call
ends, in the order they end: ``outcome`` is the call's return value, or the exception that stopped it (a
crashed worker process, a Dask worker that died…), so the caller can turn one lost job into one failed
report and keep the others. ``cleanup()``, if given, runs after the last call in every process that made
calls and lives on (this one for ``serial``, each worker for ``dask``); ``processes`` workers exit instead.

* ``serial``: one after the other, in this process.
* ``processes``: ``workers`` fresh Python processes on this machine.
* ``dask``: a Dask distributed cluster (``pip install 'parreport[dask]'``), reached at a scheduler address
  such as ``tcp://10.0.0.5:8786``. Each worker needs parreport installed and must see the store and the
  output folder at the same absolute paths (a shared filesystem). Start workers with ``--nthreads 1``:
  a job runs a whole kernel, and its timeout stops every kernel of its worker process.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from parreport.errors import ConfigError, ParreportError
from parreport.process import prepare

Outcome = object  # the function's return value, or the BaseException that stopped the call
Results = Iterator[tuple[int, Outcome]]


@dataclass(frozen=True)
class Serial:
    """Every call in this process, in order."""

    def map(self, function: Callable, items: list, *args: object, cleanup: Callable | None = None) -> Results:
        try:
            for number, item in enumerate(items):
                try:
                    yield number, function(item, *args)
                except Exception as exc:
                    yield number, exc
        finally:
            if cleanup is not None:
                cleanup()


@dataclass(frozen=True)
class Processes:
    """``workers`` processes on this machine."""

    workers: int = 2

    def map(self, function: Callable, items: list, *args: object, cleanup: Callable | None = None) -> Results:
        # Fresh worker interpreters: forking a process that already holds DuckDB or ZeroMQ threads can
        # deadlock the child.
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=prepare) as pool:
            futures = {pool.submit(function, item, *args): number for number, item in enumerate(items)}
            for future in as_completed(futures):
                yield futures[future], _outcome(future)


@dataclass(frozen=True)
class Dask:
    """The workers of a Dask distributed cluster, through its scheduler at ``address``."""

    address: str

    def map(self, function: Callable, items: list, *args: object, cleanup: Callable | None = None) -> Results:
        try:
            from distributed import Client, as_completed as completed
        except ImportError:
            raise ConfigError("running on a Dask scheduler needs the 'dask' extra: "
                              "pip install 'parreport[dask]'") from None
        try:
            client = Client(self.address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise ParreportError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        with client:
            futures = {client.submit(function, item, *args, pure=False): number for number, item in enumerate(items)}
            for future in completed(futures):
                yield futures[future], _outcome(future)
            if cleanup is not None:
                client.run(cleanup, on_error="ignore")  # a worker that died has nothing to clean


def _outcome(future) -> Outcome:
    """The future's result, or what stopped it (a crashed process, a Dask ``KilledWorker``, a cancelled
    task): an error for this item only."""
    try:
        return future.result()
    except Exception as exc:
        return exc


EXECUTORS: dict[str, Callable[..., object]] = {"serial": Serial, "processes": Processes, "dask": Dask}


def get_executor(workers: int = 1, scheduler: str | None = None) -> Serial | Processes | Dask:
    """The executor for these options: ``dask`` when a scheduler address is given, else ``processes``
    for more than one worker, else ``serial``."""
    if scheduler:
        return EXECUTORS["dask"](scheduler)
    return EXECUTORS["processes"](workers) if workers > 1 else EXECUTORS["serial"]()
