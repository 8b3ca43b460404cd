"""The kernels a batch starts: on local IPC sockets, each in its own process group, all killable at once;
forked by the batch's zygote (:mod:`parreport.batch.zygote`) when it has one."""
from __future__ import annotations

import os
import pathlib
import signal
import tempfile
import uuid
import weakref
from typing import Any, ClassVar

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Unicode, default

from parreport.batch import zygote


class LocalKernelManager(AsyncKernelManager):
    """Kernels talk to the batch over local IPC sockets, not TCP: nothing listens on a port, and the
    kernel has no reason to warn about unencrypted traffic. Asynchronous, as nbclient expects: with a
    blocking client, a kernel that dies mid-cell would leave the batch waiting for its reply forever."""

    transport = Unicode("ipc")
    started: ClassVar[weakref.WeakSet] = weakref.WeakSet()  # this process's kernel managers

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        LocalKernelManager.started.add(self)

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        if self.provisioner is None:  # jupyter_client keeps one it finds (as on a restart)
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkingProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)

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


class ForkingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, whose kernel the batch's zygote forks when it can (a kernel ready
    in a fraction of a second instead of about two), else started as usual."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> dict:
        forked = zygote.fork_kernel(cmd, kwargs.get("env"), kwargs.get("cwd"))
        if forked is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process, self.pid, self.pgid = forked, forked.pid, forked.pid  # the kernel leads its own session
        self.cwd = kwargs.get("cwd", pathlib.Path.cwd())
        return self.connection_info
