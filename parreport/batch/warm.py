"""Warm kernels: a papermill engine, ``parreport``, that runs each notebook on a kernel already started
and already holding the heavy imports, instead of starting a fresh one for every report.

Each batch process keeps its idle kernels (:data:`KERNELS`). A kernel is started once, runs
:func:`parreport.batch.kernel_state.warm_up` (pandas, DuckDB, Matplotlib, the report kinds, fonts), and then
serves report after report; before each one, :func:`parreport.batch.kernel_state.reset` gives it a clean
state (namespace, history and counter, figures, rcParams, working directory, environment). A kernel is
used again only after a report that ended normally, including one with no data for its unit; after any
other failure, a timeout or :data:`REPORTS_PER_KERNEL` reports, it is shut down and the next report gets
a new one. Importing this module registers the engine with papermill (``engine_name="parreport"``).
"""
from __future__ import annotations

import ast
import json
import os
import queue
import threading
import time
from multiprocessing import util

import nbformat
from jupyter_core.utils import run_sync
from papermill.engines import NBClientEngine, papermill_engines
from papermill.iorw import write_ipynb

from parreport.batch.kernels import LocalKernelManager
from parreport.errors import NoDataError

ENGINE = "parreport"
REPORTS_PER_KERNEL = 50  # then a new kernel: memory stays bounded in a long batch
START_SECONDS = 120  # to start a kernel and import everything


class KernelError(RuntimeError):
    """A warm kernel could not be started, warmed up or reset."""


class WarmKernel:
    """One started kernel with the imports done, and how many reports it has served."""

    def __init__(self, kernel_name: str) -> None:
        self.manager = LocalKernelManager(kernel_name=kernel_name)
        self.served = 0
        run_sync(self.manager.start_kernel)()
        # One client for the kernel's life (the manager's SharedClient): papermill's client borrows it for each
        # report, and our own requests use it between.
        self.client = self.manager.client()
        self.client.allow_stdin = False
        self.client.start_channels()
        try:
            run_sync(self.client.wait_for_ready)(timeout=START_SECONDS)
            self.run(_call("warm_up"))
        except (KernelError, RuntimeError, TimeoutError) as exc:
            self.shutdown()
            raise KernelError(f"the warm kernel could not start: {exc}") from None

    def run(self, code: str) -> None:
        """Run ``code`` silently (no output, no history, the counter unchanged); :class:`KernelError` if
        it fails, or if the kernel dies or does not answer within :data:`START_SECONDS`."""
        content = run_sync(self._reply)(self.client.execute(code, silent=True, store_history=False))
        if content["status"] != "ok":
            raise KernelError(f"{content.get('ename')}: {content.get('evalue')}")

    async def _reply(self, request: str) -> dict:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                reply = await self.client.get_shell_msg(timeout=1)
            except queue.Empty:
                if not self.alive():
                    raise KernelError("the warm kernel died") from None
                if time.monotonic() > deadline:
                    raise KernelError(f"the warm kernel did not answer in {START_SECONDS} s") from None
                continue
            if reply["parent_header"].get("msg_id") == request:
                return reply["content"]

    def evaluate(self, expression: str) -> str:
        """The value of ``expression`` in the kernel, as text (``str`` of it), through the protocol's
        ``user_expressions``; :class:`KernelError` if it fails."""
        request = self.client.execute("", silent=True, store_history=False, user_expressions={"value": expression})
        content = run_sync(self._reply)(request)
        value = content.get("user_expressions", {}).get("value", {})
        if content["status"] != "ok" or value.get("status") != "ok":
            raise KernelError(f"{value.get('ename')}: {value.get('evalue')}")
        return ast.literal_eval(value["data"]["text/plain"])

    def alive(self) -> bool:
        return run_sync(self.manager.is_alive)()

    def shutdown(self) -> None:
        self.client.stop_channels()
        if self.alive():
            run_sync(self.manager.shutdown_kernel)(now=True)  # cleans its resources too
        else:
            run_sync(self.manager.cleanup_resources)()


class WarmKernels:
    """The idle warm kernels of this process, lent to one report at a time."""

    def __init__(self) -> None:
        self._idle: list[WarmKernel] = []
        self._lock = threading.Lock()
        self._finalized_in: int | None = None  # the process whose exit shuts the kernels down

    def acquire(self, kernel_name: str, cwd: str) -> WarmKernel:
        """An idle kernel (or a new one), reset to a clean state with ``cwd`` as working directory."""
        with self._lock:
            kernel = next((k for k in self._idle if k.manager.kernel_name == kernel_name), None)
            if kernel is not None:
                self._idle.remove(kernel)
        if kernel is not None:
            try:
                return _reset(kernel, cwd)
            except KernelError:
                pass  # it died while idle, or cannot be reset: a new one serves instead
        if self._finalized_in != os.getpid():  # not inherited: a forked process starts without finalizers
            util.Finalize(self, self.shutdown, exitpriority=10)  # also at the exit of a worker process
            self._finalized_in = os.getpid()
        return _reset(WarmKernel(kernel_name), cwd)

    def release(self, kernel: WarmKernel, reusable: bool) -> None:
        """Back to the idle ones if ``reusable`` and still fit to serve, else shut down."""
        kernel.served += 1
        if reusable and kernel.served < REPORTS_PER_KERNEL and kernel.alive():
            with self._lock:
                self._idle.append(kernel)
        else:
            kernel.shutdown()

    def pids(self) -> list[int]:
        """The process ids of the idle kernels."""
        with self._lock:
            return [kernel.manager.kernel_pid for kernel in self._idle]

    def shutdown(self) -> None:
        """Shut every idle kernel down."""
        with self._lock:
            idle, self._idle = self._idle, []
        for kernel in idle:
            kernel.shutdown()


KERNELS = WarmKernels()


def shutdown_kernels() -> None:
    """Shut this process's idle warm kernels down (at the end of a batch)."""
    KERNELS.shutdown()


def _reset(kernel: WarmKernel, cwd: str) -> WarmKernel:
    """``kernel`` in a clean state for a report in ``cwd``; shut down, and :class:`KernelError`, if it is
    dead or cannot be reset."""
    try:
        if not kernel.alive():
            raise KernelError("the warm kernel died")
        kernel.run(_call("reset", cwd))
    except KernelError:
        kernel.shutdown()
        raise
    return kernel


def _call(function: str, *args: object) -> str:
    """Code calling ``kernel_state.<function>(*args)`` without binding any name in the user namespace."""
    return f"__import__('parreport.batch.kernel_state', fromlist=['_']).{function}({', '.join(map(repr, args))})"


def record_error(cell, cell_index: int, execute_reply: dict) -> None:
    """nbclient's ``on_cell_error`` hook: give a failed cell an error output made from the kernel's own reply
    (the exception's type and message) when it has none. IPython writes none when it fails to format the
    traceback (a Jinja template's frame, which it tries to read as Python), and papermill then reports a
    bare ``CellExecutionError`` with no message."""
    if any(output.output_type == "error" for output in cell.get("outputs", [])):
        return
    content = execute_reply["content"]
    cell.outputs.append(nbformat.v4.new_output(
        "error", ename=content.get("ename") or "Error", evalue=content.get("evalue", ""),
        traceback=content.get("traceback") or []))


def _ended_normally(notebook) -> bool:
    """No cell raised, or only because the unit has no data: the kernel is as healthy as it was."""
    return all(output.ename == NoDataError.__name__ for cell in notebook.cells
               for output in cell.get("outputs", []) if output.output_type == "error")


class WarmEngine(NBClientEngine):
    """Papermill's nbclient engine, on a kernel lent by :data:`KERNELS` (passed to nbclient as its kernel
    manager), with the kernel's own reply as the error of a failed cell (:func:`record_error`)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, save_on_failure=None, **kwargs):
        """As papermill's, plus ``save_on_failure``: a path where the notebook, as far as it ran, is written
        when the run stops without papermill writing it (a kernel that died or was stopped by a timeout), for
        a batch that asks papermill to write only the finished notebook."""
        kernel = KERNELS.acquire(kernel_name, os.getcwd())  # papermill has moved into the notebook's cwd
        reusable = False
        try:
            notebook = super().execute_managed_notebook(nb_man, kernel_name, km=kernel.manager,
                                                        on_cell_error=record_error, **kwargs)
            reusable = _ended_normally(notebook)
            if reusable:  # what the report read, for the batch's reuse decisions (parreport.reads)
                reads = json.loads(kernel.evaluate(_call("reads_recorded")))
                notebook.metadata.setdefault("parreport", {})["reads"] = reads
            return notebook
        except BaseException:
            if save_on_failure:
                write_ipynb(nb_man.nb, save_on_failure)
            raise
        finally:
            KERNELS.release(kernel, reusable)


papermill_engines.register(ENGINE, WarmEngine)
