"""Linear algebra kernels (numba.cuda): matmul.

Optimises: nothing beyond one thread per output element over dense row-major operands (made
dense, and cast to the result dtype, by memory.dense); each thread runs the inner product in
order, accumulating in the result dtype as BLAS does. A tiled shared-memory kernel (or cuBLAS)
is the fast path; this one is the readable one.
"""

import numpy as np

from .. import numpy_ref
from . import _runtime as runtime
from ._runtime import cuda, jit, launch
from .memory import dense, flat, kernel_dtypes, on_host

__all__ = ["matmul"]


@jit
def _matmul_kernel(out, a, b, n, k, zero):
    t = cuda.grid(1)
    if t < out.size:
        i, j = t // n, t % n
        acc = zero
        for p in range(k):
            acc += a[i * k + p] * b[p * n + j]
        out[t] = acc


def matmul(a, b):
    """np.matmul for 2-D operands; other ranks, shape errors and dtypes the kernels lack
    are the reference's, on the host."""
    out_dtype = np.result_type(numpy_ref.matmul(np.zeros((1,) * a.ndim, a.dtype),
                                                np.zeros((1,) * b.ndim, b.dtype)))
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0] \
            or not kernel_dtypes(out_dtype) or out_dtype == np.bool_:
        return on_host(numpy_ref.matmul, a, b)
    (m, k), n = a.shape, b.shape[1]
    out = runtime.empty((m, n), out_dtype)
    launch(_matmul_kernel, out.size, flat(out), dense(a, out_dtype, a.shape),
           dense(b, out_dtype, b.shape), n, k, out_dtype.type(0))
    return out
