"""Kernel tables: the array operations every refimpl op is written in.

An op never touches raw arrays with operators; it calls `xp.fn(...)` on the table for its
tensor's device, so the same op runs on NumPy arrays and on CUDA device arrays.

- `numpy_ref` is the reference table and the CPU fallback for everything: plain NumPy, the
  readable truth.
- `numba` overrides a few entries of the CPU table with Numba kernels where NumPy is slow.
  `use("numpy" | "numba")` or the REFIMPL_KERNELS environment variable picks the CPU table.
- `cuda` is the table for cuda tensors (numba.cuda kernels; only `cuda/_runtime.py` touches
  device memory).

The table contract is a named subset of the Python Array API plus what torch needs
(see numpy_ref's module docstring for the list).
"""

import os
import types

from . import numpy_ref

_CPU_CHOICES = ("numpy", "numba")
cpu = types.SimpleNamespace()
_cpu_name = None
_cuda_table = None


def use(name):
    """Select the CPU kernel table: "numpy" (reference) or "numba" (NumPy plus Numba kernels)."""
    global _cpu_name
    if name not in _CPU_CHOICES:
        raise ValueError(f"unknown kernel table {name!r}; choose one of {_CPU_CHOICES}")
    table = dict(numpy_ref.TABLE)
    if name == "numba":
        from .numba import OVERRIDES
        table.update(OVERRIDES)
    cpu.__dict__.clear()
    cpu.__dict__.update(table)
    cpu.name = name
    _cpu_name = name


def current():
    """The name of the CPU kernel table in use."""
    return _cpu_name


def cuda_table():
    """The CUDA kernel table (loaded on first use: importing numba.cuda is slow)."""
    global _cuda_table
    if _cuda_table is None:
        from .cuda import TABLE
        _cuda_table = types.SimpleNamespace(**TABLE, name="cuda")
    return _cuda_table


def for_device(device):
    """The kernel table of a torch device."""
    return cpu if device.type == "cpu" else cuda_table()


use(os.environ.get("REFIMPL_KERNELS", "numpy"))
