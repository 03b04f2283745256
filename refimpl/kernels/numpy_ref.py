"""The reference kernel table: every array operation refimpl's ops are written in, in NumPy.

This is the readable truth; the numba and cuda tables must agree with it. Arrays here are
NumPy arrays; dtypes are NumPy dtypes. The contract (what every table provides):

memory      alloc(nbytes) -> flat byte buffer; adopt(result, dtype, shape) -> an array a new
            tensor may own; view(buffer, dtype, shape, strides, offset)
            with strides and offset in elements; to_device(host_array); to_host(array);
            select(x, axis, index) -> view;
            copy_(dst, src) writes src into the view dst (broadcasting, casting as torch's
            copy_ does); astype(x, dtype); asarray(scalar, dtype); full(shape, value, dtype);
            arange(start, step, n, dtype)
elementwise add, subtract, multiply, divide, negative, exp, log, tanh, sigmoid, relu,
            maximum, where, greater, less_equal
reductions  sum(x, axis, dtype, keepdims)
linalg      matmul(a, b)
"""

import numpy as np

# -- memory -----------------------------------------------------------------------------------


def alloc(nbytes):
    return np.empty(nbytes, np.uint8)


def view(buffer, dtype, shape, strides, offset):
    itemsize = dtype.itemsize
    return np.ndarray(shape, dtype, buffer=buffer, offset=offset * itemsize,
                      strides=tuple(s * itemsize for s in strides))


def to_device(host_array):
    return np.array(host_array, copy=True, order="C")


def to_host(array):
    return array


def copy_(dst, src):
    # casting='unsafe' is torch's copy_: float -> int truncates, nonzero -> True.
    np.copyto(dst, src, casting="unsafe")


def adopt(result, dtype, shape=None):
    """`result` as a fresh, writable, C-contiguous array of `dtype` (and `shape`) that a new
    tensor can own; copies only when `result` is not already such an array."""
    a = np.asarray(result)
    if shape is not None and a.shape != shape:
        a = np.broadcast_to(a, shape)
    if a.dtype != dtype or a.base is not None or not a.flags.c_contiguous \
            or not a.flags.writeable:
        a = np.array(a, dtype=dtype, order="C")
    return a


def select(x, axis, index):
    """The view of x at `index` along `axis`."""
    return x[(slice(None),) * axis + (index, Ellipsis)]  # Ellipsis: a 0-d view, not a scalar


def astype(x, dtype):
    return x.astype(dtype, copy=False)


def asarray(value, dtype):
    # Through the value's own NumPy type first, so an out-of-range Python int wraps the way
    # torch's cast of a wrapped number does (uint8 tensor + 300 adds 44) instead of raising.
    return np.asarray(value).astype(dtype)


def full(shape, value, dtype):
    return np.full(shape, value, dtype)


def arange(start, step, n, dtype):
    # torch computes element i as start + i * step in double (int64 for integers), then casts;
    # repeated addition would drift.
    acc = np.float64 if np.dtype(dtype).kind in "fc" else np.int64
    return (np.asarray(start, acc) + np.arange(n, dtype=acc) * np.asarray(step, acc)).astype(dtype)


# -- elementwise --------------------------------------------------------------------------------


def _quiet(fn):
    """torch never warns on overflow, division by zero or invalid values: NumPy must not."""
    def quiet(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    quiet.__name__ = fn.__name__
    return quiet


add = np.add
subtract = np.subtract
multiply = np.multiply
divide = _quiet(np.true_divide)
negative = np.negative
exp = _quiet(np.exp)
log = _quiet(np.log)
tanh = np.tanh
maximum = np.maximum
greater = np.greater
less_equal = np.less_equal
where = np.where


@_quiet
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    # np.maximum propagates NaN, as torch.relu does.
    return np.maximum(x, x.dtype.type(0))


# -- reductions and linear algebra --------------------------------------------------------------


def sum(x, axis, dtype, keepdims):
    return np.sum(x, axis=axis, dtype=dtype, keepdims=keepdims)


matmul = np.matmul



def _public(namespace):
    return {name: value for name, value in namespace.items()
            if not name.startswith("_") and name not in ("np", "TABLE") and callable(value)
            and getattr(value, "__module__", None) != "builtins"}


TABLE = _public(globals())
# The rest of the reference table, one file per family (each lists its contract in its
# docstring): shape and indexing, reductions and sorting, neural-network kernels.
from . import numpy_ref_loss, numpy_ref_nn, numpy_ref_reduce, numpy_ref_shape  # noqa: E402

for _family in (numpy_ref_shape, numpy_ref_reduce, numpy_ref_nn, numpy_ref_loss):
    for _name, _value in _public(vars(_family)).items():
        if _name in TABLE:
            raise RuntimeError(f"kernel {_name} is defined twice ({_family.__name__})")
        TABLE[_name] = _value

