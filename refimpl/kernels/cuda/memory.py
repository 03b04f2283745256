"""Memory kernels (numba.cuda): views, transfers, creation, and the one strided copy.

Optimises: a single kernel moves any strided view into any other in one pass, doing gather
(to dense), scatter (into a strided view), broadcasting (stride 0) and casting (on store) at
once. Its index arithmetic is written once, in the device function `flat_index`; the other
kernel files only ever see dense, flat operands that this file prepared (`dense`), so their
loads and stores are coalesced and carry no stride arithmetic.

dtypes the kernels are not compiled for (float16, bfloat16, complex) are cast on the host by
the NumPy reference (`on_host`) and moved on the device as raw unsigned words.
"""

import numpy as np

from .. import numpy_ref
from . import _runtime as runtime
from ._runtime import KERNEL_DTYPES, cuda, device_jit, element_strides, jit, launch

__all__ = ["alloc", "view", "to_device", "to_host", "copy_", "adopt", "select", "astype",
           "asarray", "full", "arange", "data_ptr"]


@device_jit
def flat_index(i, shape, strides):
    """The element offset of the i-th element (in C order) of a strided array."""
    offset = 0
    for d in range(len(shape) - 1, -1, -1):
        offset += (i % shape[d]) * strides[d]
        i //= shape[d]
    return offset


@jit
def _strided_copy_kernel(dst, dst_strides, src, src_strides, shape, n):
    i = cuda.grid(1)
    if i < n:
        dst[flat_index(i, shape, dst_strides)] = src[flat_index(i, shape, src_strides)]


@jit
def _arange_kernel(out, start, step):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = start + i * step


# -- helpers the other kernel files share -----------------------------------------------------

def flat(x):
    """A C-contiguous array as a 1-D view."""
    return runtime.strided_view(x, x.dtype, (x.size,), (1,), 0)


def dense(x, dtype, shape):
    """x (a device array or a number) broadcast to `shape` and cast to `dtype`, as a flat
    C-ordered array; a view of x when it already is one, else a copy."""
    if not runtime.is_device_array(x):
        x = asarray(x, dtype)
    if x.dtype != dtype or x.shape != tuple(shape) or not _is_contiguous(x):
        y = runtime.empty(shape, dtype)
        copy_(y, x)
        x = y
    return flat(x)


def on_host(reference, *args):
    """reference(*args) run by the NumPy table on host copies of the device arrays; the
    result is moved back to the device."""
    host = [to_host(a) if runtime.is_device_array(a) else a for a in args]
    return runtime.to_device(np.asarray(reference(*host)))


def kernel_dtypes(*dtypes):
    """True when the kernels are compiled for every one of these dtypes."""
    return all(np.dtype(d) in KERNEL_DTYPES for d in dtypes)


def _is_contiguous(x):
    if x.size == 0:
        return True
    expected = 1
    for n, s in zip(reversed(x.shape), reversed(element_strides(x)), strict=True):
        if n != 1 and s != expected:
            return False
        expected *= n
    return True


def _copy(x, dtype):
    """A new C-contiguous array: x cast to dtype."""
    out = runtime.empty(x.shape, dtype)
    copy_(out, x)
    return out


def _broadcast_strides(x, shape):
    """x's element strides seen at the broadcast `shape`: 0 along broadcast dims; ValueError,
    as NumPy's, when x does not broadcast to `shape`."""
    lead = len(shape) - x.ndim
    if lead < 0 or any(n not in (1, m) for n, m in zip(x.shape, shape[lead:], strict=True)):
        raise ValueError(f"could not broadcast input array from shape {tuple(x.shape)} into "
                         f"shape {tuple(shape)}")
    own = element_strides(x)
    return (0,) * lead + tuple(0 if n == 1 else s for n, s in zip(x.shape, own, strict=True))


def _span(x):
    """x's memory (x not empty) as a 1-D array from its first element to its last."""
    extent = 1 + sum((n - 1) * s for n, s in zip(x.shape, element_strides(x), strict=True))
    return runtime.strided_view(x, x.dtype, (extent,), (1,), 0)


def _as_words(flat_array, strides, shape):
    """A flat span of a dtype the kernels lack, as unsigned words of up to 8 bytes; a trailing
    axis holds the words of one element (two for complex128)."""
    itemsize = flat_array.dtype.itemsize
    word = min(itemsize, 8)
    k = itemsize // word
    words = runtime.strided_view(flat_array, np.dtype(f"u{word}"), (flat_array.size * k,),
                                 (1,), 0)
    return words, tuple(s * k for s in strides) + (1,), tuple(shape) + (k,)


def _strided_copy(dst, src):
    """dst[...] = src on the device: src broadcast to dst's shape and cast on store (for the
    kernel dtypes), or moved as raw words (equal dtypes the kernels lack)."""
    shape = tuple(dst.shape)
    dst_strides, src_strides = _broadcast_strides(dst, shape), _broadcast_strides(src, shape)
    if dst.size == 0:
        return
    dst_flat, src_flat = _span(dst), _span(src)
    if not kernel_dtypes(dst.dtype, src.dtype):
        dst_flat, dst_strides, _ = _as_words(dst_flat, dst_strides, shape)
        src_flat, src_strides, shape = _as_words(src_flat, src_strides, shape)
    if not shape:  # a 0-d array: one element
        shape, dst_strides, src_strides = (1,), (0,), (0,)
    n = int(np.prod(shape))
    launch(_strided_copy_kernel, n, dst_flat, dst_strides, src_flat, src_strides, shape, n)


# -- the table entries ----------------------------------------------------------------------

data_ptr = runtime.data_ptr
to_device = runtime.to_device


def alloc(nbytes):
    return runtime.empty((nbytes,), np.uint8)


def view(buffer, dtype, shape, strides, offset):
    return runtime.strided_view(buffer, dtype, shape, strides, offset)


def to_host(array):
    if not _is_contiguous(array):
        array = _copy(array, array.dtype)
    return runtime.copy_to_host(array)


def copy_(dst, src):
    """dst[...] = src, broadcasting, with np.copyto(casting='unsafe')'s casts (torch's copy_:
    float -> int truncates, nonzero -> True)."""
    if not runtime.is_device_array(src):
        src = asarray(src, dst.dtype)
    if src.dtype == dst.dtype or kernel_dtypes(src.dtype, dst.dtype):
        _strided_copy(dst, runtime.cast_for_store(src, dst.dtype))
        return
    host = np.empty(dst.shape, dst.dtype)  # a cast the kernels lack: on the host
    numpy_ref.copy_(host, to_host(src))
    _strided_copy(dst, runtime.to_device(host))


def adopt(result, dtype, shape=None):
    """`result` as a fresh C-contiguous device array of `dtype` (and `shape`) that a new
    tensor can own; copies only when `result` is not already such an array."""
    a = result if runtime.is_device_array(result) else asarray(result, dtype)
    shape = tuple(a.shape) if shape is None else tuple(shape)
    if a.dtype == dtype and a.shape == shape and runtime.owns_memory(a):
        return a
    out = runtime.empty(shape, dtype)
    copy_(out, a)
    return out


def select(x, axis, index):
    """The view of x at `index` along `axis`."""
    strides = element_strides(x)
    index = index + x.shape[axis] if index < 0 else index
    return runtime.strided_view(x, x.dtype, x.shape[:axis] + x.shape[axis + 1:],
                                strides[:axis] + strides[axis + 1:], index * strides[axis])


def astype(x, dtype):
    return x if x.dtype == dtype else _copy(x, dtype)


def asarray(value, dtype):
    if runtime.is_device_array(value):
        return astype(value, dtype)
    return runtime.to_device(numpy_ref.asarray(value, dtype))


def full(shape, value, dtype):
    out = runtime.empty(shape, dtype)
    copy_(out, runtime.to_device(np.full((), value, dtype)))
    return out


def arange(start, step, n, dtype):
    dtype = np.dtype(dtype)
    if not kernel_dtypes(dtype):
        return runtime.to_device(numpy_ref.arange(start, step, n, dtype))
    # element i is start + i * step in double (int64 for integers), then cast, as torch does
    acc = np.float64 if dtype.kind == "f" else np.int64
    out = runtime.empty((n,), dtype)
    launch(_arange_kernel, n, out, acc(start), acc(step))
    return out
