"""torch.multiprocessing: Python's multiprocessing under torch's names.

Like torch, refimpl re-exports the multiprocessing module itself, so `Lock`, `Queue`,
`Process`, `Pool`, `get_context`, ... are the very objects of `multiprocessing` (spec
torch.multiprocessing.same-api), and adds `spawn` (torch.multiprocessing.process) and the
sharing-strategy switches (torch.multiprocessing.sharing-strategy).

Tensors cross processes by pickling (Tensor.__reduce_ex__ from refimpl.serialization): the
receiver gets a copy. Shared-memory storage (share_memory_, a Queue that shares instead of
copying) is not implemented.
"""

import multiprocessing
import sys
from multiprocessing import *  # noqa: F403

from .spawn import (
    ProcessContext,
    ProcessExitedException,
    ProcessRaisedException,
    spawn,
    start_processes,
)

__all__ = ["get_all_sharing_strategies", "get_sharing_strategy", "set_sharing_strategy",
           "spawn", "start_processes", "ProcessContext",
           "ProcessExitedException", "ProcessRaisedException"] + multiprocessing.__all__

if sys.platform == "darwin" or sys.platform == "win32":
    _all_sharing_strategies = {"file_system"}
    _sharing_strategy = "file_system"
else:
    _all_sharing_strategies = {"file_descriptor", "file_system"}
    _sharing_strategy = "file_descriptor"


def set_sharing_strategy(new_strategy):
    """Choose how tensors would be shared between processes; one of
    get_all_sharing_strategies()."""
    global _sharing_strategy
    assert new_strategy in _all_sharing_strategies
    _sharing_strategy = new_strategy


def get_sharing_strategy():
    """The current sharing strategy ('file_descriptor' by default on Linux)."""
    return _sharing_strategy


def get_all_sharing_strategies():
    """The strategies this platform supports."""
    return _all_sharing_strategies
