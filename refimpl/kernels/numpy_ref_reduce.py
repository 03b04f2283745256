"""Reference kernel table, part:
Reductions, scans, sorting and linear-algebra kernels beyond sum and matmul.

Plain NumPy; every public callable here joins numpy_ref.TABLE (a name defined twice is an
error). Arrays in, arrays out; dtypes are NumPy dtypes. `axis` is an int, a tuple of ints or
None (all axes); the refimpl op has already checked it, so these kernels hold only the math.

reductions  mean, prod, amax, amin, argmax, argmin, var, nansum, nanmean, all, any,
            count_nonzero, logsumexp, vector_norm
scans       cumsum, cumprod, cummax, cummin, logcumsumexp
selection   sort_indices, take_along_axis, add_along_axis, median_indices, mode_along,
            quantile, unique, bincount, histc, searchsorted
linalg      einsum, tensordot, kron, cross, det, inv, solve, cholesky, qr, svd, eigh, pinv,
            matrix_rank, slogdet
"""

import numpy as np


def _quiet(fn):
    """torch never warns on empty means or invalid values: NumPy must not either."""
    def quiet(*args, **kwargs):
        with np.errstate(all="ignore"):
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                return fn(*args, **kwargs)
    quiet.__name__ = fn.__name__
    quiet.__doc__ = fn.__doc__
    return quiet


# -- reductions -------------------------------------------------------------------------------


@_quiet
def mean(x, axis, dtype, keepdims):
    """The mean in `dtype` (sum / count): an empty reduction gives NaN."""
    return np.mean(x, axis=axis, dtype=dtype, keepdims=keepdims)


@_quiet
def prod(x, axis, dtype, keepdims):
    return np.prod(x, axis=axis, dtype=dtype, keepdims=keepdims)


def amax(x, axis, keepdims):
    """The largest value; NaN propagates (np.max)."""
    return np.max(x, axis=axis, keepdims=keepdims)


def amin(x, axis, keepdims):
    return np.min(x, axis=axis, keepdims=keepdims)


def argmax(x, axis, keepdims):
    """Index of the first largest value along `axis` (of the flattened array for None); the
    first NaN wins, as in torch."""
    return np.argmax(x, axis=axis, keepdims=keepdims)


def argmin(x, axis, keepdims):
    return np.argmin(x, axis=axis, keepdims=keepdims)


@_quiet
def var(x, axis, correction, keepdims):
    """sum(|x - mean|^2) / max(N - correction, 0). The values are first shifted by one of
    them (which changes nothing mathematically), so a constant slice gives exactly 0, as
    torch's one-pass algorithm does."""
    axes = tuple(range(x.ndim)) if axis is None else np.atleast_1d(axis).tolist()
    n = int(np.prod([x.shape[a] for a in axes]))
    if n:
        x = x - x[tuple(slice(0, 1) if a in axes else slice(None) for a in range(x.ndim))]
    d = x - np.mean(x, axis=axis, keepdims=True)
    sq = (d * np.conj(d)).real if np.iscomplexobj(d) else d * d
    s = np.sum(sq, axis=axis, keepdims=keepdims)
    return s / np.asarray(max(n - correction, 0), s.dtype)


def nansum(x, axis, dtype, keepdims):
    return np.nansum(x, axis=axis, dtype=dtype, keepdims=keepdims)


@_quiet
def nanmean(x, axis, keepdims):
    return np.nanmean(x, axis=axis, keepdims=keepdims)


def all(x, axis, keepdims):
    return np.all(x, axis=axis, keepdims=keepdims)


def any(x, axis, keepdims):
    return np.any(x, axis=axis, keepdims=keepdims)


def count_nonzero(x, axis):
    return np.asarray(np.count_nonzero(x, axis=axis), np.int64)


@_quiet
def logsumexp(x, axis, keepdims):
    """log(sum(exp(x))) computed as m + log(sum(exp(x - m))) with m the (finite) max; an
    empty reduction gives -inf; +inf inputs give +inf."""
    if x.size == 0:
        return np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    s = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return s if keepdims else np.squeeze(s, axis=axis)


@_quiet
def vector_norm(x, ord, axis, keepdims):
    """(sum |x|^ord)^(1/ord); ord inf/-inf are max/min of |x|, ord 0 counts nonzeros."""
    a = np.abs(x)
    if ord == np.inf:
        return np.max(a, axis=axis, keepdims=keepdims) if a.size else \
            np.zeros(np.sum(a, axis=axis, keepdims=keepdims).shape, a.dtype)
    if ord == -np.inf:
        return np.min(a, axis=axis, keepdims=keepdims)
    if ord == 0:
        return np.sum(a != 0, axis=axis, keepdims=keepdims).astype(a.dtype)
    if ord == 1:
        return np.sum(a, axis=axis, keepdims=keepdims)
    if ord == 2:
        return np.sqrt(np.sum(a * a, axis=axis, keepdims=keepdims))
    return np.sum(a ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


# -- scans --------------------------------------------------------------------------------------


def cumsum(x, axis, dtype):
    return np.cumsum(x, axis=axis, dtype=dtype)


def cumprod(x, axis, dtype):
    return np.cumprod(x, axis=axis, dtype=dtype)


def _cum_extreme(x, axis, better):
    """Running extreme and its index along `axis`: a later value that ties replaces the index
    (torch reports the last occurrence); once a NaN is seen it stays."""
    x = np.moveaxis(x, axis, 0)
    values = np.empty_like(x)
    indices = np.empty(x.shape, np.int64)
    if x.shape[0]:
        values[0], indices[0] = x[0], 0
    for i in range(1, x.shape[0]):
        prev, cur = values[i - 1], x[i]
        take = better(cur, prev) | (cur == prev) | (np.isnan(cur) if cur.dtype.kind == "f"
                                                    else False)
        if cur.dtype.kind == "f":
            take &= ~np.isnan(prev) | np.isnan(cur)
        values[i] = np.where(take, cur, prev)
        indices[i] = np.where(take, i, indices[i - 1])
    return np.moveaxis(values, 0, axis), np.moveaxis(indices, 0, axis)


def cummax(x, axis):
    return _cum_extreme(x, axis, np.greater)


def cummin(x, axis):
    return _cum_extreme(x, axis, np.less)


@_quiet
def logcumsumexp(x, axis):
    return np.logaddexp.accumulate(x, axis=axis) if x.size else x.copy()


# -- sorting and selection ----------------------------------------------------------------------


def sort_indices(x, axis, descending):
    """A stable sort's indices along `axis`; NaN sorts as the largest value. Descending keeps
    equal values in their original order (sort the reversed array, reverse the result)."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    n = x.shape[axis]
    rev = np.flip(x, axis)
    return (n - 1 - np.flip(np.argsort(rev, axis=axis, kind="stable"), axis)).astype(np.int64)


def take_along_axis(x, index, axis):
    return np.take_along_axis(x, index, axis)


def add_along_axis(shape, index, values, axis):
    """zeros(shape) with values added at `index` along `axis` (repeated indices add up)."""
    out = np.zeros(shape, values.dtype)
    grid = list(np.indices(index.shape, sparse=True))
    grid[axis] = index
    np.add.at(out, tuple(grid), values)
    return out


def median_indices(x, axis, ignore_nan):
    """Index of the lower median along `axis` (keepdims): the element at position (n-1)//2
    of a stable sort; a slice holding NaN gives its first NaN unless `ignore_nan`, which takes
    the lower median of the non-NaN values (the first NaN when all are NaN)."""
    order = sort_indices(x, axis, False)
    isnan = np.isnan(x) if x.dtype.kind in "fc" else np.zeros(x.shape, bool)
    nans = np.sum(isnan, axis=axis, keepdims=True)
    n = x.shape[axis]
    if ignore_nan:
        pos = np.maximum(n - nans - 1, 0) // 2
        pos = np.where(nans == n, 0, pos)
    else:
        pos = np.where(nans > 0, n - nans, (n - 1) // 2)
    first_nan = np.argmax(isnan, axis=axis, keepdims=True)
    chosen = np.take_along_axis(order, pos, axis)
    if ignore_nan:
        return np.where(nans == n, first_nan, chosen)
    return np.where(nans > 0, first_nan, chosen)


def mode_along(x, axis):
    """(value, index) of the most frequent value along `axis` (keepdims); among equally
    frequent values the smallest; the index is the last occurrence of that value."""
    x = np.moveaxis(x, axis, -1)
    flat = x.reshape(-1, x.shape[-1])
    values = np.empty(flat.shape[0], x.dtype)
    indices = np.empty(flat.shape[0], np.int64)
    for r, row in enumerate(flat):
        uniq, counts = np.unique(row, return_counts=True)
        best = uniq[np.argmax(counts)]
        values[r] = best
        indices[r] = np.flatnonzero((row == best) | (np.isnan(row) & np.isnan(best))
                                    if row.dtype.kind == "f" else row == best)[-1]
    shape = x.shape[:-1] + (1,)
    return (np.moveaxis(values.reshape(shape), -1, axis),
            np.moveaxis(indices.reshape(shape), -1, axis))


def quantile(x, q, axis, keepdims, interpolation, ignore_nan):
    """Quantiles as torch computes them: sort (NaN last), rank = q * (n - 1) over the n
    (non-NaN, for nanquantile) values, then the value at floor/ceil of the rank: 'lower',
    'higher', 'nearest' (rank rounded half to even), 'midpoint' or 'linear' (torch's lerp,
    so q = 0 of [0, inf] is 0, not NaN). A slice with NaN gives NaN unless `ignore_nan`.
    A 1-D q puts its dim first."""
    qs = np.asarray(q, x.dtype)  # torch holds q in the input's dtype
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    moved = np.sort(np.moveaxis(x, axis, -1), axis=-1)
    nans = np.isnan(moved)
    n = moved.shape[-1] - np.sum(nans, axis=-1) if ignore_nan else np.full(moved.shape[:-1],
                                                                          moved.shape[-1])
    rank = qs.reshape(qs.shape + (1,) * (moved.ndim - 1)) * np.maximum(n - 1, 0).astype(x.dtype)
    rank = {"lower": np.floor, "higher": np.ceil, "nearest": np.round}.get(
        interpolation, lambda r: r)(rank)
    lo = np.floor(rank).astype(np.int64)
    hi = np.ceil(rank).astype(np.int64)
    src = moved[None] if qs.ndim else moved
    below = np.take_along_axis(src, lo[..., None], -1)[..., 0]
    above = np.take_along_axis(src, hi[..., None], -1)[..., 0]
    w = np.asarray(0.5 if interpolation == "midpoint" else rank - lo, moved.dtype)
    with np.errstate(all="ignore"):
        lerp = np.where(w < 0.5, below + w * (above - below), above - (above - below) * (1 - w))
    out = below if interpolation in ("lower", "higher", "nearest") else lerp
    bad = (n == 0) if ignore_nan else np.any(nans, axis=-1)
    out = np.where(bad, np.nan, out).astype(moved.dtype)
    if keepdims:
        out = np.expand_dims(out, axis + (1 if qs.ndim else 0))
    return out


def unique(x, axis, return_inverse, return_counts):
    """Sorted unique values (or unique slices along `axis`), the inverse and the counts."""
    values, inverse, counts = np.unique(x, return_inverse=True, return_counts=True, axis=axis,
                                        equal_nan=False)
    return values, inverse.reshape(x.shape if axis is None else (x.shape[axis],)), counts


def bincount(x, weights, minlength):
    return np.bincount(x, weights=weights, minlength=minlength)


def histc(x, bins, lo, hi):
    """Counts of x in `bins` equal-width bins over [lo, hi]; values outside are ignored, the
    top edge belongs to the last bin."""
    x = x[(x >= lo) & (x <= hi)]
    counts, _ = np.histogram(x.astype(np.float64), bins=bins, range=(lo, hi))
    return counts


def searchsorted(sorted_sequence, values, right):
    """Insertion positions along the last axis (rows of a batched sequence independently)."""
    side = "right" if right else "left"
    if sorted_sequence.ndim == 1:
        return np.searchsorted(sorted_sequence, values, side=side)
    seq = sorted_sequence.reshape(-1, sorted_sequence.shape[-1])
    vals = values.reshape(seq.shape[0], -1)
    out = np.stack([np.searchsorted(s, v, side=side) for s, v in zip(seq, vals)]) \
        if seq.shape[0] else np.zeros(vals.shape, np.int64)
    return out.reshape(values.shape)


# -- linear algebra -----------------------------------------------------------------------------


def einsum(equation, *operands):
    return np.einsum(equation, *operands)


def tensordot(a, b, axes):
    return np.tensordot(a, b, axes)


def kron(a, b):
    return np.kron(a, b)


def cross(a, b, axis):
    return np.cross(a, b, axis=axis)


def det(a):
    return np.linalg.det(a) if a.shape[-1] else np.ones(a.shape[:-2], a.dtype)


def inv(a):
    return np.linalg.inv(a)


def solve(a, b):
    return np.linalg.solve(a, b)


def cholesky(a, upper):
    c = np.linalg.cholesky(a)
    return np.conj(np.swapaxes(c, -1, -2)) if upper else c


def qr(a, mode):
    return np.linalg.qr(a, mode=mode)


def svd(a, full_matrices, compute_uv):
    return np.linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)


def eigh(a, upper):
    return np.linalg.eigh(a, UPLO="U" if upper else "L")


def pinv(a, rtol, hermitian):
    return np.linalg.pinv(a, rcond=rtol, hermitian=hermitian)


def matrix_rank(a, tol, hermitian):
    return np.linalg.matrix_rank(a, tol=tol, hermitian=hermitian)


def slogdet(a):
    return np.linalg.slogdet(a)


# -- backward kernels ---------------------------------------------------------------------------


def prod_of_others(x, axis):
    """For each element, the product of the others along `axis`: exclusive running products
    from the left times those from the right (no division, so exact at zeros)."""
    if x.shape[axis] == 0:
        return x.copy()
    x = np.moveaxis(x, axis, -1)
    ones = np.ones(x.shape[:-1] + (1,), x.dtype)
    left = np.cumprod(np.concatenate([ones, x[..., :-1]], -1), -1)
    right = np.flip(np.cumprod(np.concatenate([ones, np.flip(x, -1)[..., :-1]], -1), -1), -1)
    return np.moveaxis(left * right, -1, axis)


def cumprod_backward(x, g, axis):
    """d/dx_i of sum_j g_j prod_{k<=j} x_k = sum_{j>=i} g_j prod_{k<=j, k!=i} x_k."""
    x, g = np.moveaxis(x, axis, -1), np.moveaxis(g, axis, -1)
    out = np.zeros_like(x)
    for i in range(x.shape[-1]):
        others = np.cumprod(np.where(np.arange(x.shape[-1]) == i, 1, x), -1)
        out[..., i] = np.sum((g * others)[..., i:], -1)
    return np.moveaxis(out, -1, axis)


def logcumsumexp_backward(x, out, g, axis):
    """d/dx_i of sum_j g_j log(sum_{k<=j} exp(x_k)) = sum_{j>=i} g_j exp(x_i - out_j)."""
    x, out, g = (np.moveaxis(a, axis, -1) for a in (x, out, g))
    n = x.shape[-1]
    later = np.arange(n)[None, :] >= np.arange(n)[:, None]    # [i, j]: j >= i
    with np.errstate(all="ignore"):
        w = np.exp(x[..., :, None] - out[..., None, :])
        res = np.sum(np.where(later, g[..., None, :] * w, 0), -1)
    return np.moveaxis(res, -1, axis)


def trace(x):
    return np.trace(x)


def trace_backward(g, shape):
    """g on the main diagonal of a zero matrix of `shape`."""
    return np.eye(shape[0], shape[1], dtype=g.dtype) * g


def vdot(a, b):
    return np.vdot(a, b)
