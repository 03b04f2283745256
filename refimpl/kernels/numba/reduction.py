"""Reduction kernels (Numba, CPU): sum and mean over all elements or over the last dim of a
C-contiguous float32/float64 array (the table's overrides); amax, amin and argmax helpers
are kept here but NumPy's SIMD loops serve those ops (see OVERRIDES).

Optimises: one pass over memory with no temporaries, summed in blocks of 1024 with one SIMD
accumulator per lane and the block sums added in float64 (torch's vectorised sum also keeps
lane accumulators); threads over chunks (full reductions) or rows (last-dim reductions) for
large inputs. Every other case (other dtypes, strided inputs, other dims, tiny or empty
inputs) takes the NumPy reference.

NaN follows torch: max/min propagate it and argmax returns the first NaN; among equal
maxima argmax returns the first index.
"""

import numba
import numpy as np

from .. import numpy_ref, numpy_ref_reduce

_FAST = (np.dtype(np.float32), np.dtype(np.float64))
_PARALLEL_MIN = 1 << 22  # threads from here: see elementwise._PARALLEL_MIN
_CHUNKS = 64


_BLOCK = 1024


@numba.njit(cache=True, fastmath={"reassoc", "contract"})
def _sum_range(x, lo, hi, zero):
    """The sum of x[lo:hi] as a float64: blocks of _BLOCK elements are summed in x's dtype
    (reassociation lets LLVM keep one SIMD accumulator per lane, as torch's vectorised sum
    does) and the block sums are added in float64; `zero` is 0 in x's dtype. A float32 block
    sum of 1024 values is off by at most about 1024 * 2**-24 of its magnitude, far inside
    torch's float32 tolerance."""
    total = 0.0
    for b in range(lo, hi, _BLOCK):
        block = x[b:min(b + _BLOCK, hi)]  # a loop from 0 to size is what LLVM vectorises
        acc = zero
        for i in range(block.size):
            acc += block[i]
        total += acc
    return total


@numba.njit(cache=True)
def _extreme_range(x, lo, hi, sign):
    """(value, index) of the first largest (sign 1) or smallest (sign -1) element of x[lo:hi];
    the first NaN wins."""
    best, at = x[lo], lo
    for i in range(lo + 1, hi):
        v = x[i]
        if best == best and (v != v or sign * v > sign * best):
            best, at = v, i
    return best, at


@numba.njit(cache=True, parallel=True)
def _sum_chunks(x, chunks):
    n = x.size
    zero = np.zeros(1, x.dtype)[0]
    part = np.empty(chunks)
    for c in numba.prange(chunks):
        part[c] = _sum_range(x, c * n // chunks, (c + 1) * n // chunks, zero)
    return part.sum()


@numba.njit(cache=True, parallel=True)
def _extreme_chunks(x, chunks, sign):
    n = x.size
    best = np.empty(chunks, x.dtype)
    at = np.empty(chunks, np.int64)
    for c in numba.prange(chunks):
        best[c], at[c] = _extreme_range(x, c * n // chunks, (c + 1) * n // chunks, sign)
    b, a = best[0], at[0]
    for c in range(1, chunks):  # in order, so the first extreme (or NaN) keeps winning
        if b == b and (best[c] != best[c] or sign * best[c] > sign * b):
            b, a = best[c], at[c]
    return b, a


def _sum_rows_body(x, out):
    m = x.shape[1]
    zero = np.zeros(1, x.dtype)[0]
    for r in numba.prange(x.shape[0]):
        out[r] = _sum_range(x[r], 0, m, zero)


def _extreme_rows_body(x, values, indices, sign):
    m = x.shape[1]
    for r in numba.prange(x.shape[0]):
        values[r], indices[r] = _extreme_range(x[r], 0, m, sign)


# one body each, compiled serial (prange runs as range) and threaded over rows
_sum_rows = (numba.njit(cache=True)(_sum_rows_body),
             numba.njit(cache=True, parallel=True)(_sum_rows_body))
_extreme_rows = (numba.njit(cache=True)(_extreme_rows_body),
                 numba.njit(cache=True, parallel=True)(_extreme_rows_body))


def _layout(x, axis):
    """'all', 'rows' or None (not a fast case) for a reduction of x over axis."""
    if x.dtype not in _FAST or not x.flags.c_contiguous or x.size == 0 or x.ndim == 0:
        return None
    axes = tuple(range(x.ndim)) if axis is None else \
        tuple(a % x.ndim for a in (axis if isinstance(axis, tuple) else (axis,)))
    if sorted(axes) == list(range(x.ndim)):
        return "all"
    if axes == (x.ndim - 1,):
        return "rows"
    return None


def _shape(x, layout, keepdims):
    if layout == "all":
        return (1,) * x.ndim if keepdims else ()
    return x.shape[:-1] + ((1,) if keepdims else ())


def _sums(x, layout):
    """Sums over all elements (a 0-d float64 array) or over each row (float64)."""
    if layout == "all":
        flat = x.reshape(-1)
        if flat.size < _PARALLEL_MIN:
            return np.asarray(_sum_range(flat, 0, flat.size, flat.dtype.type(0)))
        return np.asarray(_sum_chunks(flat, _CHUNKS))
    rows = x.reshape(-1, x.shape[-1])
    out = np.empty(rows.shape[0])
    _sum_rows[x.size >= _PARALLEL_MIN](rows, out)
    return out


def sum(x, axis, dtype, keepdims):
    layout = _layout(x, axis)
    if layout is None or (dtype is not None and np.dtype(dtype) not in _FAST):
        return numpy_ref.sum(x, axis, dtype, keepdims)
    out_dtype = x.dtype if dtype is None else np.dtype(dtype)
    return _sums(x, layout).astype(out_dtype).reshape(_shape(x, layout, keepdims))


def mean(x, axis, dtype, keepdims):
    layout = _layout(x, axis)
    if layout is None or (dtype is not None and np.dtype(dtype) not in _FAST):
        return numpy_ref_reduce.mean(x, axis, dtype, keepdims)
    out_dtype = x.dtype if dtype is None else np.dtype(dtype)
    count = x.size if layout == "all" else x.shape[-1]
    return (_sums(x, layout) / count).astype(out_dtype).reshape(_shape(x, layout, keepdims))


def _extremes(x, layout, sign):
    """(values, indices) of the extreme over all elements or over each row."""
    if layout == "all":
        flat = x.reshape(-1)
        v, i = _extreme_range(flat, 0, flat.size, sign) if flat.size < _PARALLEL_MIN else \
            _extreme_chunks(flat, _CHUNKS, sign)
        return np.asarray(v, x.dtype), np.asarray(i, np.int64)
    rows = x.reshape(-1, x.shape[-1])
    values = np.empty(rows.shape[0], x.dtype)
    indices = np.empty(rows.shape[0], np.int64)
    _extreme_rows[x.size >= _PARALLEL_MIN](rows, values, indices, sign)
    return values, indices


def amax(x, axis, keepdims):
    layout = _layout(x, axis)
    if layout is None:
        return numpy_ref_reduce.amax(x, axis, keepdims)
    return _extremes(x, layout, 1)[0].reshape(_shape(x, layout, keepdims))


def amin(x, axis, keepdims):
    layout = _layout(x, axis)
    if layout is None:
        return numpy_ref_reduce.amin(x, axis, keepdims)
    return _extremes(x, layout, -1)[0].reshape(_shape(x, layout, keepdims))


def argmax(x, axis, keepdims):
    layout = _layout(x, axis)
    if layout is None or (layout == "all" and axis is not None and x.ndim > 1):
        return numpy_ref_reduce.argmax(x, axis, keepdims)
    return _extremes(x, layout, 1)[1].reshape(_shape(x, layout, keepdims))


# amax, amin and argmax stay NumPy's: its SIMD max/argmax loops beat a compiled scalar loop
# that must track NaN and the first index (measured 4-10x faster at 10**6..10**7 elements).
OVERRIDES = {"sum": sum, "mean": mean}
