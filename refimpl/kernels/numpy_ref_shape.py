"""Reference kernel table, part:
Shape, joining and indexing kernels (gather, scatter, index, masks, flip, roll, ...).

Plain NumPy; every public callable here joins numpy_ref.TABLE (a name defined twice is an
error). Arrays in, arrays out; dtypes are NumPy dtypes.

joining     flip(x, axes), roll(x, shifts, axes), tile(x, reps), repeat(x, repeats, axis),
            tril(x, k), triu(x, k)
indexing    take(x, flat_indices), nonzero(x) -> (n, ndim) int64, gather(x, axis, index),
            scatter(x, axis, index, src, reduce), index_put(x, indices, values, accumulate),
            masked_select(x, mask), place(x, mask, values), scatter_reduce(...)
"""

import numpy as np

# -- joining and copying --------------------------------------------------------------------------


def flip(x, axes):
    return np.flip(x, axes)


def roll(x, shifts, axes):
    return np.roll(x, shifts, axes)


def tile(x, reps):
    return np.tile(x, reps)


def repeat(x, repeats, axis):
    return np.repeat(x, repeats, axis)


def tril(x, k):
    return np.tril(x, k)


def triu(x, k):
    return np.triu(x, k)


# -- indexing ---------------------------------------------------------------------------------


def index(x, indices):
    """x[indices]: indices a tuple of int64 arrays and full slices, NumPy's advanced indexing
    (whose placement of the broadcast index dims is torch's)."""
    return x[indices]


def index_put(x, indices, values, accumulate):
    """Write (or with accumulate, add) values into x[indices], in place."""
    if accumulate:
        np.add.at(x, indices, values)
    else:
        x[indices] = values


def _along(index, axis):
    """Full index arrays addressing, for every element of `index`, the position whose
    coordinate along `axis` is the index value and whose other coordinates are its own."""
    grid = list(np.indices(index.shape, sparse=True))
    grid[axis] = index
    return tuple(grid)


def gather(x, axis, index):
    return x[_along(index, axis)]


def scatter(x, axis, index, src, reduce):
    """x[..index[i]..] = src[i] (or combined with `reduce`, a NumPy ufunc name), in place."""
    where = _along(index, axis)
    if reduce is None:
        x[where] = src
    else:
        getattr(np, reduce).at(x, where, src)


def nonzero(x):
    """The (n, ndim) int64 coordinates of the nonzero elements, in C order."""
    return np.argwhere(x).astype(np.int64)


def masked_select(x, mask):
    return x[mask]


def masked_scatter(x, mask, src):
    """The masked positions of x take src's first elements in order, in place."""
    x[mask] = src[:int(np.count_nonzero(mask))]
