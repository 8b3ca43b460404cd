"""Where a batch's jobs run: one small interface, executors chosen by name (like papermill's engines).

An executor calls ``function(item, *args)`` for every item and yields ``(number, outcome)`` as each call
ends, in the order they end: ``outcome`` is the call's return value, or the exception that stopped it (a
crashed worker process, a Dask worker that died…), so the caller can turn one lost job into one failed
report and keep the others. ``cleanup()``, if given, runs after the last call in this process for
``serial``; the processes that ``processes`` and ``dask`` make their calls in exit instead.
``start()`` gets the workers ready ahead of ``map`` (it may be called early, and again), and ``stop()``
ends what it started that ``map`` did not end (a batch that had nothing to run); only local processes
have anything to start.

* ``serial``: one after the other, in this process.
* ``processes``: ``workers`` Python processes on this machine; a job whose worker process dies is run again
  alone, and lost only if it kills its worker again. On Linux the workers are forked from a forkserver (a
  fresh single-threaded process) that has imported the ``preload`` modules once, so each worker starts with
  them loaded; elsewhere they are spawned and import what they need themselves.
* ``dask``: a Dask distributed cluster (``pip install 'parreport[dask]'``), reached at a scheduler address
  such as ``tcp://10.0.0.5:8786``. Each worker needs parreport installed and must see the store and the
  output folder at the same absolute paths (a shared filesystem). A Dask worker makes each call in a
  process of its own, one per worker thread, forked as a local worker is and kept until the batch ends:
  the call runs in that process's main thread, which signals reach (a job's timeouts stop a hung renderer
  as they do here), and a crash in native code takes that process only, which is started again for the
  call, once. So the workers must not be daemon processes, which may start none: start them with
  ``DASK_DISTRIBUTED__WORKER__DAEMON=False`` (Dask's ``distributed.worker.daemon``).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from pathlib import Path
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import connection, forkserver

from parreport.batch import zygote
from parreport.errors import ConfigError, ParreportError
from parreport.process import abrupt_exit, prepare

Outcome = object  # the function's return value, or the BaseException that stopped the call
Results = Iterator[tuple[int, Outcome]]


@dataclass(frozen=True)
class Serial:
    """Every call in this process, in order."""

    def start(self) -> None:
        """Nothing to start: the calls run here."""

    def stop(self) -> None:
        """Nothing to stop."""

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
    """``workers`` processes on this machine. A worker process that dies (a crash in native code, the
    out-of-memory killer) breaks its pool; the jobs it had not started go on in a new pool, and each job
    that was running when it died runs again alone, so only a job that kills its worker again is lost."""

    workers: int = 2
    preload: tuple[str, ...] = ()  # modules every worker needs, imported once by the forkserver (Linux)

    def start(self) -> None:
        """On Linux, start the forkserver the workers are forked from, if it is not running: it imports
        ``preload`` (through :mod:`parreport.batch.preload`) in the background while this process goes on
        (a batch plans meanwhile); and the batch's kernel zygote (:mod:`parreport.batch.zygote`), which
        meanwhile does the kernels' imports."""
        if _CONTEXT.get_start_method() == "forkserver":
            _CONTEXT.set_forkserver_preload(["__main__", "parreport.batch.preload"])  # no effect once it runs
            os.environ[PRELOAD_VARIABLE] = ",".join(self.preload)  # the forkserver's environment, only
            try:
                forkserver.ensure_running()
            finally:
                del os.environ[PRELOAD_VARIABLE]
            zygote.start()

    def stop(self) -> None:
        """Stop the kernel zygote; the forkserver stays, for the life of this process, as multiprocessing's."""
        zygote.stop()

    def map(self, function: Callable, items: list, *args: object, cleanup: Callable | None = None) -> Results:
        pending = list(range(len(items)))
        if pending:
            self.start()
        try:
            yield from self._map(function, items, args, pending)
        finally:
            self.stop()

    def _map(self, function: Callable, items: list, args: tuple, pending: list[int]) -> Results:
        while pending:
            running, waiting = yield from _pool(function, items, args, pending, self.workers)
            if (running, waiting) == ([], pending):  # no job could even start: the workers cannot
                for number in pending:
                    yield number, WorkerDied(NEVER_STARTED)
                return
            for number in running:  # it may be the one that killed the worker: again, on its own
                died, never_started = yield from _pool(function, items, args, [number], 1)
                if died or never_started:
                    yield number, WorkerDied(DIED_TWICE if died else NEVER_STARTED)
            pending = waiting


def worker_preload(formats: list[str]) -> tuple[str, ...]:
    """The modules a local worker process needs before its first job: the batch runner and the renderers of
    the registered ones among ``formats`` (see :mod:`parreport.batch.preload`; a spec's check reports the
    others)."""
    from parreport.render import formats as registered

    known = registered()
    return ("parreport.batch.make", *(known[str(name)].module for name in formats if str(name) in known))


PRELOAD_VARIABLE = "PARREPORT_WORKER_PRELOAD"  # the modules the forkserver imports (parreport.batch.preload)
# Never a plain fork of this process: one that already holds DuckDB or ZeroMQ threads can deadlock the child.
_CONTEXT = multiprocessing.get_context("forkserver" if sys.platform.startswith("linux") else "spawn")
NEVER_STARTED = "the worker processes exit before running any report"
DIED_TWICE = "its process died twice on this report (a crash in native code, or out of memory)"


class WorkerDied(ParreportError):
    """The process running a job died (not the job's kernel: the process that drives it and renders)."""


def _pool(function: Callable, items: list, args: tuple, numbers: list[int],
          workers: int) -> Generator[tuple[int, Outcome], None, tuple[list[int], list[int]]]:
    """Run ``numbers`` in a pool of worker processes, yielding each outcome; returns, if a worker process
    died, the jobs it left unfinished: those that had started and those that had not."""
    started = _CONTEXT.SimpleQueue()  # emptied as jobs end: a pipe, whose buffer a long batch would fill
    began, unfinished = set(), []

    def note_starts() -> None:
        while not started.empty():
            began.add(started.get())
    with _worker_pool(workers, started) as pool:
        futures = {}
        for position, number in enumerate(numbers):
            try:
                futures[pool.submit(_announced, number, function, items[number], *args)] = number
            except BrokenProcessPool:
                unfinished += numbers[position:]
                break
        for future in as_completed(futures):
            note_starts()
            if isinstance(future.exception(), BrokenProcessPool):
                unfinished.append(futures[future])
            else:
                yield futures[future], _outcome(future)
    note_starts()
    lost = set(unfinished)
    return [n for n in unfinished if n in began], [n for n in numbers if n in lost and n not in began]


def _worker_pool(workers: int, started) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from the forkserver (see :func:`_start_worker`)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_CONTEXT, initializer=_start_worker,
                               initargs=(started, dict(os.environ)))


_STARTED = None  # in a worker process: where it announces each job it starts


def _start_worker(started, environment: dict[str, str]) -> None:
    """Set a new worker process up: it announces its jobs through ``started`` (None: it does not), and its
    environment is this pool's creator's now (a forkserver passes on its own, from when it started)."""
    global _STARTED
    prepare()
    os.environ.clear()
    os.environ.update(environment)
    _STARTED = started
    _leave_with_parent()


def _leave_with_parent() -> None:
    """Exit as soon as the process that started this worker is gone (killed, or interrupted: ``parreport
    run`` leaves on Ctrl-C with ``os._exit``). Otherwise a worker waits on the job queue forever, and its
    kernel with it; a kernel whose worker has exited shuts itself down. The worker's own temporary files go
    first (:func:`parreport.process.abrupt_exit`)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_ready, args=(parent.sentinel,), daemon=True,
                         name="parreport-leave-with-parent").start()


def _exit_when_ready(sentinel: int) -> None:
    connection.wait([sentinel])
    abrupt_exit(1)


def _announced(number: int, function: Callable, item: object, *args: object) -> object:
    _STARTED.put(number)
    return function(item, *args)


@dataclass(frozen=True)
class Dask:
    """The workers of a Dask distributed cluster, through its scheduler at ``address``; each makes the calls
    in processes of its own that start with ``preload`` imported (see the module docstring)."""

    address: str
    preload: tuple[str, ...] = ()

    def start(self) -> None:
        """Nothing to start: whoever runs the cluster starts its workers."""

    def stop(self) -> None:
        """Nothing to stop: each worker's own processes end with the batch (:func:`_stop_own_processes`)."""

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
            daemons = sorted(worker for worker, daemon in client.run(_is_daemon).items() if daemon)
            if daemons:
                raise ConfigError(f"the Dask workers {', '.join(daemons)} are daemon processes, which may start no "
                                  f"process of their own: {DAEMON_FIX}")
            futures = {client.submit(_in_own_process, self.preload, function, item, *args, pure=False): number
                       for number, item in enumerate(items)}
            for future in completed(futures):
                yield futures[future], _outcome(future)
            client.run(_stop_own_processes, on_error="ignore")  # a worker that died has nothing to stop


DAEMON_FIX = "start the Dask workers with DASK_DISTRIBUTED__WORKER__DAEMON=False in their environment"
_OWN_PROCESSES: dict[int, ProcessPoolExecutor] = {}  # in a Dask worker: a process of its own per thread
_OWN_LOCK = threading.Lock()


def _is_daemon() -> bool:
    return multiprocessing.current_process().daemon


def _in_own_process(preload: tuple[str, ...], function: Callable, item: object, *args: object) -> object:
    """``function(item, *args)`` in this Dask worker thread's own process (started on first use, forked from
    a forkserver that imported ``preload``); if that process dies, once more in a new one."""
    if _is_daemon():  # a worker that joined after the check
        raise ConfigError(f"this Dask worker is a daemon process, which may start no process of its own: {DAEMON_FIX}")
    thread = threading.get_ident()
    for _attempt in range(2):
        with _OWN_LOCK:
            if thread not in _OWN_PROCESSES:
                Processes(1, preload).start()
                _OWN_PROCESSES[thread] = _worker_pool(1, None)
            own = _OWN_PROCESSES[thread]
        try:
            return own.submit(function, item, *args).result()
        except BrokenProcessPool:
            with _OWN_LOCK:
                _OWN_PROCESSES.pop(thread).shutdown(wait=False)
    raise WorkerDied(DIED_TWICE)


def _stop_own_processes() -> None:
    """End this Dask worker's own processes, and their warm kernels with them: the batch is over."""
    with _OWN_LOCK:
        while _OWN_PROCESSES:
            _OWN_PROCESSES.popitem()[1].shutdown(wait=True)
        zygote.stop()


def _outcome(future) -> Outcome:
    """The future's result, or what stopped it (a crashed process, a Dask ``KilledWorker``, a cancelled
    task): an error for this item only."""
    try:
        return future.result()
    except Exception as exc:
        return exc


EXECUTORS: dict[str, Callable[..., object]] = {"serial": Serial, "processes": Processes, "dask": Dask}
WORKER_MEMORY_MB = 1024  # a worker and its warm kernel at their peak, with room (docs/performance.md)


def default_workers() -> int:
    """How many local workers a batch uses unless told: one per core this process may run on, fewer when
    the memory available (to its cgroup, if limited) holds fewer than that many :data:`WORKER_MEMORY_MB`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    memory = _available_memory_mb()
    return max(1, min(cores, memory // WORKER_MEMORY_MB)) if memory is not None else cores


def _available_memory_mb() -> int | None:
    """MemAvailable, or what is left under this process's cgroup (v2) limit if that is less; None if the
    system does not say (not Linux)."""
    try:
        meminfo = Path("/proc/meminfo").read_text()
        available = int(next(line.split()[1] for line in meminfo.splitlines()
                             if line.startswith("MemAvailable:"))) // 1024
    except (OSError, StopIteration, ValueError):
        return None
    try:
        group = Path("/sys/fs/cgroup") / Path("/proc/self/cgroup").read_text().split("0::/", 1)[1].strip()
        limit = (group / "memory.max").read_text().strip()
        if limit != "max":
            used = int((group / "memory.current").read_text())
            available = min(available, (int(limit) - used) // 2**20)
    except (OSError, IndexError, ValueError):
        pass  # no cgroup v2 limit here
    return available


def get_executor(workers: int = 1, scheduler: str | None = None,
                 preload: tuple[str, ...] = ()) -> Serial | Processes | Dask:
    """The executor for these options: ``dask`` when a scheduler address is given, else ``processes`` for
    more than one worker, else ``serial``; the processes of the first two start with ``preload`` imported."""
    if scheduler:
        return EXECUTORS["dask"](scheduler, preload)
    return EXECUTORS["processes"](workers, preload) if workers > 1 else EXECUTORS["serial"]()
