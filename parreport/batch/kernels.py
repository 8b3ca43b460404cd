"""The kernels a batch starts: on local IPC sockets, each in its own process group, all killable at once."""
from __future__ import annotations

import os
import signal
import tempfile
import uuid
import weakref
from typing import ClassVar

from jupyter_client.manager import AsyncKernelManager
from traitlets import Unicode, default


class LocalKernelManager(AsyncKernelManager):
    """Kernels talk to the batch over local IPC sockets, not TCP: nothing listens on a port, and the
    kernel has no reason to warn about unencrypted traffic. Asynchronous, as nbclient expects: with a
    blocking client, a kernel that dies mid-cell would leave the batch waiting for its reply forever."""

    transport = Unicode("ipc")
    started: ClassVar[weakref.WeakSet] = weakref.WeakSet()  # this process's kernel managers

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        LocalKernelManager.started.add(self)

    @default("ip")
    def _unique_socket_prefix(self) -> str:  # parallel workers must never share socket files
        return os.path.join(tempfile.gettempdir(), f"parreport-kernel-{uuid.uuid4().hex[:12]}")

    @classmethod
    def kill_all(cls) -> None:
        """Kill the kernels this process started, with their process groups (a kernel runs in its own
        session, so whatever it spawned goes too)."""
        for manager in list(cls.started):
            process = getattr(manager.provisioner, "process", None)
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
