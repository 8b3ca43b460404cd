"""A kernel zygote: one process that does a kernel's imports and warm-up once, then forks every kernel of the
batch from itself, as Android's zygote forks apps.

A kernel started the usual way is a new interpreter that imports IPython, pandas, DuckDB, Matplotlib and the
report kinds and loads the fonts before its first report: the same work again for every kernel. The zygote
starts with the batch (beside the workers' forkserver, see :class:`parreport.batch.executors.Processes`),
does that work once while the batch plans, and answers each request for a kernel with a fork of itself that
runs the kernel (``ipykernel_launcher -f <connection file>``) in the requester's environment and working
directory, in a session of its own, as jupyter_client would start it. The new kernel is ready in a fraction
of a second. (What a module read from the environment when it was imported, Matplotlib its configuration
folder say, it read from the zygote's, which is the batch's environment when it started.)

It serves only while it runs no Python thread but its main one (a fork copies none, and a lock one held would
stay locked; the native threads of OpenBLAS and jemalloc, which NumPy and pyarrow start on import, are made
ready for a fork by those libraries, as for any forked process), and only the kernel command of this
interpreter. Any other request, a zygote whose warm-up failed or that is gone, or a fork that fails gets
``None``, and the kernel is started the usual way (and meets the same error, if any, in the report). A
forked kernel exits when the worker that asked for it or the zygote is gone; the zygote exits when the
process that started it closes its end of the pipe (:func:`stop`, or that process's exit, whatever its
cause).

Requests come over a Unix socket in a folder only this user can open, one JSON line each way. The folder
names the process that started the zygote; a later start removes the folders of starters that no longer
run (a zygote killed together with its starter could not).
"""
from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from parreport.process import is_running

ZYGOTE_VARIABLE = "PARREPORT_KERNEL_ZYGOTE"  # the socket of the batch's zygote, inherited by its workers
KERNEL_MODULE = "ipykernel_launcher"
ANSWER_SECONDS = 120  # a request waits this long for the zygote, whose warm-up may still be running

_zygote: subprocess.Popen | None = None  # the zygote this process started


def start() -> None:
    """Start this process's zygote, unless it runs: its socket goes into ``os.environ`` (the workers take
    their environment from there)."""
    global _zygote
    if _zygote is not None and _zygote.poll() is None:
        return
    stop()  # one that was killed: its folder
    _remove_orphaned_folders()
    folder = tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-")  # for this user only; names its starter
    path = os.path.join(folder, "socket")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:  # here: a request made at once waits
        listener.bind(path)
        listener.listen(64)
        _zygote = subprocess.Popen([sys.executable, "-m", __name__, str(listener.fileno())], stdin=subprocess.PIPE,
                                   pass_fds=[listener.fileno()])
    os.environ[ZYGOTE_VARIABLE] = path


FOLDER_PREFIX = "parreport-zygote-"  # then the starter's process id: parreport-zygote-<pid>-<random>


def _remove_orphaned_folders() -> None:
    """Remove the socket folders whose starter no longer runs: a zygote whose starter was killed removes its
    own, but one killed with it cannot."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*-*"):
        starter = folder.name[len(FOLDER_PREFIX):].split("-")[0]
        if starter.isdigit() and not is_running(int(starter)):  # else not one of ours
            shutil.rmtree(folder, ignore_errors=True)


def stop() -> None:
    """Stop this process's zygote (its kernels follow it); the workers started after this use none."""
    global _zygote
    path = os.environ.pop(ZYGOTE_VARIABLE, None)
    if _zygote is None:
        return
    zygote, _zygote = _zygote, None
    zygote.stdin.close()  # its signal to leave
    try:
        zygote.wait(timeout=10)
    except subprocess.TimeoutExpired:
        zygote.kill()
        zygote.wait()
    if path:
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)  # left by a zygote that was killed


def fork_kernel(cmd: list[str], env: dict[str, str] | None, cwd: str | None) -> "ForkedKernel | None":
    """A kernel forked by this batch's zygote, running ``cmd`` in ``env`` and ``cwd``; ``None`` if there is
    no zygote to ask or ``cmd`` is not this interpreter's ``-m ipykernel_launcher``."""
    path = os.environ.get(ZYGOTE_VARIABLE)
    if not path or cmd[:3] != [sys.executable, "-m", KERNEL_MODULE]:
        return None
    env = {**(os.environ if env is None else env), "JPY_PARENT_PID": str(os.getpid())}  # as jupyter_client's
    request = {"arguments": cmd[3:], "env": env, "cwd": cwd or os.getcwd(), "owner": os.getpid()}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(ANSWER_SECONDS)
            connection.connect(path)
            connection.sendall(json.dumps(request).encode() + b"\n")
            answer = connection.makefile("rb").readline()
        return ForkedKernel(int(json.loads(answer)["pid"]))
    except (OSError, ValueError, KeyError, TypeError):  # gone, still warming up after the wait, or refused
        return None


class ForkedKernel:
    """A kernel the zygote forked, as :class:`parreport.batch.kernels.ForkingProvisioner` handles it: the
    zygote's child, not this process's, so it is alive while its process id is (the zygote reaps its children
    at once, so a dead one leaves no zombie), and its exit status is not known here (-1)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not is_running(self.pid):
            self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _serve(listening: int) -> None:
    """The zygote: warm up, then fork a kernel for each request on the socket ``listening`` (a file
    descriptor; requests made meanwhile wait there) until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the command, which then closes our stdin
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped at once: none is left a zombie
    listener = socket.socket(fileno=listening)
    path = listener.getsockname()
    try:
        try:
            _warm_up()
        except Exception:  # noqa: BLE001  (each kernel started the usual way meets it and reports it)
            return
        if threading.active_count() != 1:  # a thread started by an import: forking is not safe
            return
        events = selectors.DefaultSelector()
        events.register(listener, selectors.EVENT_READ)
        events.register(sys.stdin, selectors.EVENT_READ)
        while True:
            for key, _mask in events.select():
                if key.fileobj is sys.stdin:
                    return  # the starting process closed the pipe, or exited
                connection, _address = listener.accept()
                with connection:
                    _answer(connection, listener)
    finally:
        listener.close()
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)


def _warm_up() -> None:
    """What a kernel imports before its first report (see :func:`parreport.batch.kernel_state.warm_up`, which the
    forked kernel runs again, cheaply, to record its own state)."""
    import ipykernel.kernelapp  # noqa: F401

    from parreport.batch import kernel_state

    kernel_state.warm_up()


def _answer(connection: socket.socket, listener: socket.socket) -> None:
    """Fork a kernel for the request on ``connection`` and send back its process id."""
    connection.settimeout(10)
    try:
        request = json.loads(connection.makefile("rb").readline())
    except (OSError, ValueError):
        return
    ready, told = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or process left: the asker starts its kernel the usual way
        os.close(ready)
        os.close(told)
        return
    if pid == 0:
        code = 1
        try:
            os.close(ready)
            listener.close()
            connection.close()
            os.setsid()  # its own session, as jupyter_client starts kernels: its process group is killable
            os.write(told, b"1")
            os.close(told)
            code = _become_kernel(request)
        finally:
            os._exit(code)
    os.close(told)
    os.read(ready, 1)  # the child has its own process group before anyone hears of it
    os.close(ready)
    connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _become_kernel(request: dict) -> int:
    """In the forked child: run the kernel as ``python -m ipykernel_launcher`` would in the request's
    environment and folder; its exit code."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    sys.path[0] = request["cwd"]  # as for ``python -m`` started there
    sys.argv = [KERNEL_MODULE, *request["arguments"]]
    if "numpy" in sys.modules:  # Python reseeds its own random module in a fork; NumPy's global state is the
        sys.modules["numpy"].random.seed()  # zygote's, the same in every kernel: fresh, as a new interpreter's
    threading.Thread(target=_exit_without, args=(request["owner"],), daemon=True,
                     name="parreport-leave-with-owner").start()
    from ipykernel.kernelapp import IPKernelApp

    try:  # ipykernel's own watch of its parent (read from the environment on import, in the zygote)
        IPKernelApp.launch_instance(argv=[*request["arguments"], f"--IPKernelApp.parent_handle={os.getppid()}"])
    except SystemExit as leaving:
        return leaving.code if isinstance(leaving.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return 0


def _exit_without(owner: int) -> None:
    """Exit the kernel once the worker that asked for it is gone: nobody would stop it (ipykernel itself
    watches its parent, the zygote)."""
    while is_running(owner):
        time.sleep(1)
    os._exit(1)


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
