"""Elementwise kernels (numba.cuda): arithmetic, math, comparisons and where.

Optimises: one thread per output element over dense, flat operands, so loads and stores are
coalesced and the kernel does no index arithmetic; strided, broadcast and Python-number
operands are first made dense, in the computation dtype, by memory.dense (one strided copy
each, only where needed). Each op is a device function; `_map_kernel` wraps it in a kernel
once per arity.

dtypes are the reference's by construction: the result dtype is what the NumPy table returns
for a zero of each input dtype, and operands compute in their NumPy result_type. dtypes the
kernels lack (float16, bfloat16, complex) run the NumPy reference on the host.
"""

import functools

import numpy as np

from .. import numpy_ref
from . import _runtime as runtime
from ._runtime import cuda, device_jit, jit, launch
from .memory import dense, flat, kernel_dtypes, on_host

__all__ = ["add", "subtract", "multiply", "divide", "negative", "exp", "log", "tanh", "sigmoid",
           "relu", "maximum", "where", "greater", "less_equal"]


@functools.cache
def _map_kernel(fn, arity):
    """The kernel out[i] = fn(a[i], ...) for a device function of 1, 2 or 3 arguments."""
    if arity == 1:
        def kernel(out, a):
            i = cuda.grid(1)
            if i < out.size:
                out[i] = fn(a[i])
    elif arity == 2:
        def kernel(out, a, b):
            i = cuda.grid(1)
            if i < out.size:
                out[i] = fn(a[i], b[i])
    else:
        def kernel(out, a, b, c):
            i = cuda.grid(1)
            if i < out.size:
                out[i] = fn(a[i], b[i], c[i])
    return jit(kernel)


def _map(fn, reference, args, dtypes, out_dtype):
    """out = fn(*args) elementwise over the broadcast shape; args[i] computes in dtypes[i]."""
    if not kernel_dtypes(out_dtype, *dtypes):
        return on_host(reference, *args)
    shape = np.broadcast_shapes(*(getattr(a, "shape", ()) for a in args))
    operands = [dense(a, d, shape) for a, d in zip(args, dtypes, strict=True)]
    out = runtime.empty(shape, out_dtype)
    launch(_map_kernel(fn, len(args)), out.size, flat(out), *operands)
    return out


def _reference_dtype(reference, args):
    """The dtype the NumPy table gives `reference(*args)`, asked on a zero of each dtype."""
    zeros = [np.zeros((), a.dtype) if runtime.is_device_array(a) else a for a in args]
    return np.result_type(reference(*zeros))


def _elementwise(fn, reference):
    """The table entry computing reference's op with the device function fn."""
    def op(*args):
        compute = np.result_type(*(a.dtype if runtime.is_device_array(a) else a for a in args))
        return _map(fn, reference, args, [compute] * len(args), _reference_dtype(reference, args))
    return op


# -- the device functions ---------------------------------------------------------------------

@device_jit
def _add(a, b):
    return a + b


@device_jit
def _subtract(a, b):
    return a - b


@device_jit
def _multiply(a, b):
    return a * b


@device_jit
def _divide(a, b):
    return a / b


@device_jit
def _negative(a):
    return -a


@device_jit
def _exp(a):
    return runtime.exp(a)


@device_jit
def _log(a):
    return runtime.log(a)


@device_jit
def _tanh(a):
    return runtime.tanh(a)


@device_jit
def _sigmoid(a):
    return 1 / (1 + runtime.exp(-a))


@device_jit
def _relu(a):
    return a if a > 0 or a != a else 0  # NaN stays NaN, as torch.relu


@device_jit
def _maximum(a, b):
    return a if a >= b or a != a else b  # NaN in either wins, as np.maximum


@device_jit
def _greater(a, b):
    return a > b


@device_jit
def _less_equal(a, b):
    return a <= b


@device_jit
def _where(condition, a, b):
    return a if condition else b


add = _elementwise(_add, numpy_ref.add)
subtract = _elementwise(_subtract, numpy_ref.subtract)
multiply = _elementwise(_multiply, numpy_ref.multiply)
divide = _elementwise(_divide, numpy_ref.divide)
negative = _elementwise(_negative, numpy_ref.negative)
exp = _elementwise(_exp, numpy_ref.exp)
log = _elementwise(_log, numpy_ref.log)
tanh = _elementwise(_tanh, numpy_ref.tanh)
sigmoid = _elementwise(_sigmoid, numpy_ref.sigmoid)
relu = _elementwise(_relu, numpy_ref.relu)
maximum = _elementwise(_maximum, numpy_ref.maximum)
greater = _elementwise(_greater, numpy_ref.greater)
less_equal = _elementwise(_less_equal, numpy_ref.less_equal)


def where(condition, x, y):
    """x where condition (any dtype, nonzero is true) holds, else y."""
    out_dtype = _reference_dtype(numpy_ref.where, (condition, x, y))
    return _map(_where, numpy_ref.where, (condition, x, y), (np.bool_, out_dtype, out_dtype),
                out_dtype)
