"""Fused elementwise kernels (Numba, CPU).

Optimises: one pass over memory with no temporaries (NumPy's sigmoid makes three), threads
over the flat array for large inputs. Contiguous inputs only; anything else takes the
reference kernel.
"""

import numba
import numpy as np

from .. import numpy_ref

_FAST = (np.dtype(np.float32), np.dtype(np.float64))
_PARALLEL_MIN = 1 << 16


@numba.njit(cache=True, fastmath=False)
def _sigmoid_serial(x, out):
    for i in range(x.size):
        out[i] = 1 / (1 + np.exp(-x[i]))


@numba.njit(cache=True, parallel=True, fastmath=False)
def _sigmoid_parallel(x, out):
    for i in numba.prange(x.size):
        out[i] = 1 / (1 + np.exp(-x[i]))


@numba.njit(cache=True)
def _relu_serial(x, out):
    for i in range(x.size):
        v = x[i]
        out[i] = v if v > 0 or v != v else 0


@numba.njit(cache=True, parallel=True)
def _relu_parallel(x, out):
    for i in numba.prange(x.size):
        v = x[i]
        out[i] = v if v > 0 or v != v else 0


def _unary(serial, parallel, reference):
    def kernel(x):
        if x.dtype not in _FAST or not x.flags.c_contiguous:
            return reference(x)
        out = np.empty_like(x)
        (parallel if x.size >= _PARALLEL_MIN else serial)(x.reshape(-1), out.reshape(-1))
        return out
    kernel.__name__ = reference.__name__
    return kernel


sigmoid = _unary(_sigmoid_serial, _sigmoid_parallel, numpy_ref.sigmoid)
relu = _unary(_relu_serial, _relu_parallel, numpy_ref.relu)
