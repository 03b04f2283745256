"""Reduction kernels (numba.cuda): sum.

Optimises: the reduced dims are moved to the front by a strided view (no data moves), so the
one gather that also casts to the accumulation dtype (memory.dense) lays the input out as
(reduced, kept). Thread j then sums column j, and on every step neighbouring threads read
neighbouring addresses (coalesced). One thread per output element keeps the kernel readable;
a tree reduction would be faster for few outputs over many elements. Sums run in order, not
pairwise as NumPy's, so float32 results may differ from the reference in the last bits.
"""

import math

import numpy as np

from .. import numpy_ref
from . import _runtime as runtime
from ._runtime import cuda, element_strides, jit, launch
from .memory import dense, flat, kernel_dtypes, on_host

__all__ = ["sum"]


@jit
def _sum_columns_kernel(out, x, rows, zero):
    j = cuda.grid(1)
    if j < out.size:
        acc = zero
        for r in range(rows):
            acc += x[r * out.size + j]
        out[j] = acc


def sum(x, axis, dtype, keepdims):
    """np.sum(x, axis, dtype, keepdims): the reference's dtypes, axis rules and errors."""
    out_dtype = np.result_type(numpy_ref.sum(np.zeros((1,) * x.ndim, x.dtype), axis, dtype,
                                             keepdims))
    if not kernel_dtypes(out_dtype) or out_dtype == np.bool_:
        return on_host(numpy_ref.sum, x, axis, dtype, keepdims)
    if axis is None:
        axes = tuple(range(x.ndim))
    else:
        axes = tuple(d % x.ndim for d in (axis if isinstance(axis, tuple) else (axis,)))
    kept = [d for d in range(x.ndim) if d not in axes]
    order = sorted(axes) + kept
    strides = element_strides(x)
    moved = runtime.strided_view(x, x.dtype, [x.shape[d] for d in order],
                                 [strides[d] for d in order], 0)
    columns = dense(moved, out_dtype, moved.shape)
    if keepdims:
        shape = tuple(1 if d in axes else n for d, n in enumerate(x.shape))
    else:
        shape = tuple(x.shape[d] for d in kept)
    out = runtime.empty(shape, out_dtype)
    rows = math.prod(x.shape[d] for d in axes)
    launch(_sum_columns_kernel, out.size, flat(out), columns, rows, out_dtype.type(0))
    return out


