"""The kernel the notebooks run on: always the interpreter running cutover-kit itself.

A kernel spec found on the Jupyter path may point at another Python (a stale ``ipykernel
install``, a system kernel) that lacks cutover-kit or has an older copy of it. The kit therefore
builds ipykernel's native spec in memory, with ``sys.executable`` as the command, and hands it to
nbclient through its own kernel manager: nothing is installed or registered anywhere.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from ipykernel.kernelspec import get_kernel_dict
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

KERNEL_NAME = "python3"
"""The kernel name the notebooks are stored with; papermill picks the Python translator by it."""


def current_interpreter_spec() -> KernelSpec:
    """ipykernel's spec for the running interpreter: ``sys.executable -m ipykernel_launcher``."""
    return KernelSpec(resource_dir="", **get_kernel_dict())


class CurrentInterpreterSpecManager(KernelSpecManager):
    """Answers every kernel name with the current interpreter's spec."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return current_interpreter_spec()


class CurrentInterpreterKernelManager(AsyncKernelManager):
    """nbclient's default kernel manager, resolving specs through the current interpreter.

    The kernel talks over local IPC sockets rather than TCP: nothing listens on a port, and
    ipykernel has no reason to warn. Each kernel gets socket paths of its own in the temporary
    folder: jupyter_client's default (``./kernel-ipc-1`` ... in the current folder, numbered
    from 1) made two reports run from one folder at the same time talk into each other's
    kernel, which rejected the messages as wrongly signed and printed tracebacks.
    """

    @default("transport")
    def _local_ipc(self) -> str:
        return "ipc"

    @default("ip")
    def _private_socket_prefix(self) -> str:
        return str(Path(tempfile.gettempdir()) / f"cutover-kit-kernel-{uuid.uuid4().hex}")

    @default("kernel_spec_manager")
    def _current_interpreter_spec_manager(self) -> KernelSpecManager:
        return CurrentInterpreterSpecManager(data_dir=self.data_dir)
