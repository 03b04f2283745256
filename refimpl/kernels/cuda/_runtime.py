"""The CUDA runtime: the one file that touches device memory and numba.cuda's array objects.

Everything else in `kernels/cuda` sees device arrays only through these functions: allocation,
transfer, strided views (also as another dtype), launch, and the simulator switch. A move to
another CUDA library (numba-cuda's successor, CuPy) rewrites this file and nothing else.

Two array types live behind this interface:
- on a real GPU, numba's `DeviceNDArray`: a shape, byte strides and a dtype over a
  `gpu_data` device pointer. A view is a new DeviceNDArray over `gpu_data.view(byte_offset)`;
  views are made as the `_DeviceView` subclass so that `owns_memory` can tell them apart.
- in the simulator (NUMBA_ENABLE_CUDASIM=1), `FakeCUDAArray`: a wrapper around a NumPy array.
  A view is a NumPy array over the same host buffer, wrapped again; it owns no memory when its
  NumPy `base` is set.

Kernels are numba.cuda kernels in both cases; the simulator runs them in Python threads, one
thread per CUDA thread (about 130 us each), so launches there use blocks of at most 32.
"""

import functools
import math
import os
import warnings

import numpy as np
from numba.core import config

# numba reads NUMBA_ENABLE_CUDASIM when it is imported. REFIMPL_CUDA_SIMULATOR=1 sets it on
# refimpl's import, which may come after numba's (the numba CPU kernels import it first):
# have numba read its environment again before numba.cuda picks the simulator or the driver.
if os.environ.get("NUMBA_ENABLE_CUDASIM", "0") != str(config.ENABLE_CUDASIM):
    config.reload_config()

# Kernel files take `cuda` from here for `cuda.grid`: the simulator finds the numba.cuda module
# among a kernel's globals and swaps in its own while the kernel runs.
from numba import cuda  # noqa: E402
from numba.cuda.core.errors import NumbaPerformanceWarning  # noqa: E402

# dtypes the kernels are compiled for. Everything else (float16, bfloat16, complex) computes on
# the host through the NumPy reference, and is moved on the device as raw words.
KERNEL_DTYPES = frozenset(np.dtype(t) for t in (
    np.bool_, np.int8, np.int16, np.int32, np.int64,
    np.uint8, np.uint16, np.uint32, np.uint64, np.float32, np.float64))


def is_simulator():
    """True when numba.cuda is the CUDA simulator (NUMBA_ENABLE_CUDASIM=1 at numba's import)."""
    return bool(config.ENABLE_CUDASIM)


# -- compiling and launching --------------------------------------------------------------------

# cache=True keeps compiled kernels in NUMBA_CACHE_DIR across processes (ignored by the simulator).
jit = functools.partial(cuda.jit, cache=True)
device_jit = functools.partial(cuda.jit, device=True, cache=True)

# Math functions for kernels. On the GPU, `math.*` compiles to libdevice and returns IEEE
# results (exp(1000) = inf, log(0) = -inf). The simulator runs kernels as Python, where `math.*`
# raises instead; NumPy's ufuncs give the IEEE results there.
if is_simulator():
    exp, log, tanh = np.exp, np.log, np.tanh
else:
    exp, log, tanh = math.exp, math.log, math.tanh

_THREADS = 32 if is_simulator() else 256


def launch(kernel, n, *args):
    """Run `kernel` on at least n threads (1-D grid); kernels guard `i < n` themselves."""
    if n == 0:
        return
    threads = min(n, _THREADS)
    blocks = (n + threads - 1) // threads
    with warnings.catch_warnings():
        # Small grids are refimpl's everyday case, not the mistake numba warns about.
        warnings.simplefilter("ignore", NumbaPerformanceWarning)
        # The simulator computes with NumPy, which warns on overflow and invalid values where
        # a GPU silently gives inf/nan (the filter is process-wide: it covers its threads).
        warnings.simplefilter("ignore", RuntimeWarning)
        kernel[blocks, threads](*args)


# -- arrays -------------------------------------------------------------------------------------

if is_simulator():
    from numba.cuda.simulator.cudadrv.devicearray import FakeCUDAArray
else:
    from numba.cuda.cudadrv.devicearray import DeviceNDArray

    class _DeviceView(DeviceNDArray):
        """A DeviceNDArray over memory that another array allocated."""


def is_device_array(x):
    return bool(getattr(type(x), "__cuda_ndarray__", False))


def empty(shape, dtype):
    """A new C-contiguous device array that owns its memory."""
    return cuda.device_array(tuple(shape), np.dtype(dtype))


def owns_memory(arr):
    """True for an array made by `empty` (its own allocation), False for a view of another."""
    if is_simulator():
        return arr._ary.base is None
    return not isinstance(arr, _DeviceView)


def element_strides(arr):
    return tuple(s // arr.dtype.itemsize for s in arr.strides)


def strided_view(arr, dtype, shape, strides, offset):
    """A view of arr's memory as `dtype` elements: `shape`, `strides` and `offset` count
    elements of `dtype` from arr's first element. Strides are non-negative, as torch's are."""
    dtype = np.dtype(dtype)
    shape, itemsize = tuple(shape), dtype.itemsize
    byte_strides = tuple(s * itemsize for s in strides)
    if is_simulator():
        root = arr._ary
        while isinstance(root.base, np.ndarray):
            root = root.base
        start = arr._ary.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        start += offset * itemsize
        if 0 in shape:  # an empty view may start anywhere, even past the buffer's end
            start = min(start, root.nbytes)
        host = np.ndarray(shape, dtype, buffer=root, offset=start, strides=byte_strides)
        return FakeCUDAArray(host)
    empty_view = 0 in shape
    data = None if empty_view else arr.gpu_data.view(offset * itemsize)
    return _DeviceView(shape, byte_strides, dtype, gpu_data=data)


def cast_for_store(src, dtype):
    """src ready for a kernel to store into an array of `dtype`. On a GPU the store converts,
    as a C cast does (int64 128 -> int8 -128). The simulator's store is NumPy item assignment,
    which raises on out-of-range values instead, so there src is cast first, by NumPy's astype
    (which converts as C does)."""
    if not is_simulator() or src.dtype == dtype:
        return src
    with np.errstate(all="ignore"):
        return FakeCUDAArray(src._ary.astype(dtype, order="C"))


def data_ptr(buffer):
    """The address of a buffer's first byte (a host address in the simulator)."""
    if is_simulator():
        return buffer._ary.__array_interface__["data"][0]
    return buffer.device_ctypes_pointer.value or 0


# -- transfer -----------------------------------------------------------------------------------

def to_device(host):
    """A new device array holding a copy of a NumPy array."""
    host = np.asarray(host, order="C")
    arr = empty(host.shape, host.dtype)
    if host.size:
        arr.copy_to_device(host)
    return arr


def copy_to_host(arr):
    """A NumPy copy of a C-contiguous device array."""
    return arr.copy_to_host()
