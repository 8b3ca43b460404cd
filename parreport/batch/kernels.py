"""The kernels a batch starts: on local IPC sockets, each in its own process group, all killable at once;
forked by the batch's zygote (:mod:`parreport.batch.zygote`) when it has one.

Only jupyter_client's public extension points are used: a kernel spec names its provisioner in its metadata
(:class:`KernelSpecs` names :class:`ForkingProvisioner`, registered under the entry-point group
``jupyter_client.kernel_provisioners`` in pyproject.toml), a manager makes its clients with its
``client_factory`` through ``client()``, and a provisioner implements the provisioner interface.
"""
from __future__ import annotations

import asyncio
import os
import signal
import tempfile
import uuid
import weakref
from typing import Any, ClassVar

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Type, Unicode, default

from parreport.batch import zygote

PROVISIONER = "parreport-forking-provisioner"  # its entry-point name (pyproject.toml)


class KernelSpecs(KernelSpecManager):
    """The installed kernel specs, each naming :class:`ForkingProvisioner` as its provisioner."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        spec = super().get_kernel_spec(kernel_name)
        spec.metadata = {**spec.metadata, "kernel_provisioner": {"provisioner_name": PROVISIONER}}
        return spec


class SharedClient(AsyncKernelClient):
    """The one client of a warm kernel, lent to report after report: its channels stay open, so starting
    them again, or waiting again for the kernel to be ready, returns at once (a new client would wait each
    time for its output channel to connect)."""

    started = ready = False

    def start_channels(self, *args: Any, **kwargs: Any) -> None:
        if not self.started:
            super().start_channels(*args, **kwargs)
            self.started = True

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        if self.ready and await self.is_alive():
            return
        await super().wait_for_ready(timeout=timeout)
        self.ready = True


class LocalKernelManager(AsyncKernelManager):
    """Kernels talk to the batch over local IPC sockets, not TCP: nothing listens on a port, and the
    kernel has no reason to warn about unencrypted traffic. Asynchronous, as nbclient expects: with a
    blocking client, a kernel that dies mid-cell would leave the batch waiting for its reply forever.
    Every :meth:`client` is the same :class:`SharedClient`."""

    transport = Unicode("ipc")
    client_factory = Type(SharedClient, klass=AsyncKernelClient)
    started: ClassVar[weakref.WeakSet] = weakref.WeakSet()  # this process's kernel managers

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._client: SharedClient | None = None
        LocalKernelManager.started.add(self)

    @default("kernel_spec_manager")
    def _forking_specs(self) -> KernelSpecs:
        return KernelSpecs(data_dir=self.data_dir)

    @default("ip")
    def _unique_socket_prefix(self) -> str:  # parallel workers must never share socket files
        return os.path.join(tempfile.gettempdir(), f"parreport-kernel-{uuid.uuid4().hex[:12]}")

    def client(self, **kwargs: Any) -> SharedClient:
        """The kernel's client, made on the first call."""
        if self._client is None:
            self._client = super().client(**kwargs)
        return self._client

    @property
    def kernel_pid(self) -> int | None:
        """The kernel's process id (``None`` before it starts or after it ends)."""
        return getattr(self.provisioner, "kernel_pid", None)

    @classmethod
    def kill_all(cls) -> None:
        """Kill the kernels this process started, with their process groups (a kernel runs in its own
        session, so whatever it spawned goes too)."""
        for manager in list(cls.started):
            if manager.kernel_pid is not None:
                try:
                    os.killpg(manager.kernel_pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


class ForkingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, whose kernel the batch's zygote forks when it can (a kernel ready
    in a fraction of a second), else started as usual; a forked kernel is handled through the zygote's
    :class:`~parreport.batch.zygote.ForkedKernel`."""

    forked: zygote.ForkedKernel | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> dict:
        forked = zygote.fork_kernel(cmd, kwargs.get("env"), kwargs.get("cwd"))
        if forked is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.forked = forked
        return self.connection_info

    @property
    def kernel_pid(self) -> int | None:
        if self.forked is not None:
            return self.forked.pid if self.forked.poll() is None else None
        return self.process.pid if self.process is not None and self.process.poll() is None else None

    @property
    def has_process(self) -> bool:
        return self.forked is not None or super().has_process

    async def poll(self) -> int | None:
        return self.forked.poll() if self.forked is not None else await super().poll()

    async def wait(self) -> int | None:
        if self.forked is None:
            return await super().wait()
        while self.forked.poll() is None:
            await asyncio.sleep(0.05)
        status, self.forked = self.forked.returncode, None
        return status

    async def send_signal(self, signum: int) -> None:
        if self.forked is None:
            return await super().send_signal(signum)
        self.forked.send_signal(signum)

    async def kill(self, restart: bool = False) -> None:
        if self.forked is None:
            return await super().kill(restart)
        self.forked.kill()

    async def terminate(self, restart: bool = False) -> None:
        if self.forked is None:
            return await super().terminate(restart)
        self.forked.terminate()
