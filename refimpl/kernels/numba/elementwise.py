"""Elementwise kernels (Numba, CPU).

Optimises three things NumPy does not do:
- fused activations (sigmoid, relu): one pass over memory with no temporaries (NumPy's
  sigmoid makes three); relu compiled at every size, sigmoid threaded for large inputs only
  (a serial loop calls the scalar exp, slower than NumPy's vectorised one);
- `where` without branches (both operands loaded, then selected), from 4096 elements; NumPy's
  loop branches per element and crawls on a random condition (relu's backward);
- large plain ops (add .. pow, maximum, exp, log, comparisons, where): NumPy runs a ufunc on
  one core; for arrays of at least _LARGE elements these kernels split the flat loop over the
  cores (`prange`). tanh stays NumPy's (its vectorised tanh beat the threaded loop).

Every kernel takes C-contiguous float32/float64 arrays of one dtype and shape (or an array
and a 0-dim operand); anything else (other dtypes, broadcasting, strided views, Python
numbers) takes the reference kernel. `fastmath` is off and `error_model="numpy"`: results are
IEEE results, as NumPy's (x / 0 is inf, log(-1) is nan), so they agree with the reference to
the last bit for + - * / and within an ulp for exp, log and pow.
"""

import numba
import numpy as np

from .. import numpy_ref

_FAST = (np.dtype(np.float32), np.dtype(np.float64))
# Threads pay off only for large arrays: below 2**22 elements a serial loop (or NumPy's
# ufunc) is about as fast, and Numba's threads would compete for the cores with BLAS's, which
# keep spinning for a while after each matrix product (on 2 cores a 2M-element parallel loop
# right after a convolution ran 2.5x slower than a serial one).
_PARALLEL_MIN = 1 << 22
_LARGE = 1 << 22

# -- fused activations --------------------------------------------------------------------------


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
        if x.dtype not in _FAST or not x.flags.c_contiguous or \
                (serial is None and x.size < _PARALLEL_MIN):
            return reference(x)
        out = np.empty_like(x)
        (parallel if x.size >= _PARALLEL_MIN else serial)(x.reshape(-1), out.reshape(-1))
        return out
    kernel.__name__ = reference.__name__
    return kernel


# sigmoid's serial loop calls the scalar exp, which NumPy's vectorised exp beats: below the
# threads' threshold NumPy's sigmoid runs (serial=None).
sigmoid = _unary(None, _sigmoid_parallel, numpy_ref.sigmoid)
relu = _unary(_relu_serial, _relu_parallel, numpy_ref.relu)

# -- large plain ops: one threaded loop per arity, the op chosen by a code ----------------------
# The branch on `code` is the same for every element, so LLVM hoists it out of the loop.

ADD, SUB, MUL, DIV, POW, MAX = range(6)
EXP, LOG, TANH = range(3)
EQ, NE, LT, LE, GT, GE = range(6)


@numba.njit(inline="always")
def _apply2(code, x, y):
    if code == ADD:
        return x + y
    if code == SUB:
        return x - y
    if code == MUL:
        return x * y
    if code == DIV:
        return x / y
    if code == POW:
        return x ** y
    return x if x >= y or x != x else y  # MAX: NaN wins, as np.maximum


@numba.njit(inline="always")
def _compare(code, x, y):
    if code == EQ:
        return x == y
    if code == NE:
        return x != y
    if code == LT:
        return x < y
    if code == LE:
        return x <= y
    if code == GT:
        return x > y
    return x >= y


@numba.njit(cache=True, parallel=True, error_model="numpy")
def _binary_arrays(code, a, b, out):
    for i in numba.prange(out.size):
        out[i] = _apply2(code, a[i], b[i])


@numba.njit(cache=True, parallel=True, error_model="numpy")
def _binary_scalar(code, a, y, out):
    for i in numba.prange(out.size):
        out[i] = _apply2(code, a[i], y)


@numba.njit(cache=True, parallel=True, error_model="numpy")
def _compare_arrays(code, a, b, out):
    for i in numba.prange(out.size):
        out[i] = _compare(code, a[i], b[i])


@numba.njit(cache=True, parallel=True, error_model="numpy")
def _compare_scalar(code, a, y, out):
    for i in numba.prange(out.size):
        out[i] = _compare(code, a[i], y)


@numba.njit(cache=True, parallel=True, error_model="numpy")
def _unary_math(code, a, out):
    for i in numba.prange(out.size):
        x = a[i]
        if code == EXP:
            out[i] = np.exp(x)
        elif code == LOG:
            out[i] = np.log(x)
        else:
            out[i] = np.tanh(x)


@numba.njit(cache=True, parallel=True)
def _where_arrays(cond, a, b, out):
    for i in numba.prange(out.size):
        x, y = a[i], b[i]
        out[i] = x if cond[i] else y


def _large(a):
    return isinstance(a, np.ndarray) and a.dtype in _FAST and a.size >= _LARGE \
        and a.flags.c_contiguous


def _same(a, b):
    return isinstance(b, np.ndarray) and b.dtype == a.dtype and b.shape == a.shape \
        and b.flags.c_contiguous


def _binary(code, arrays, scalar, reference, out_dtype=None):
    def kernel(a, b):
        if _large(a):
            out = np.empty(a.shape, out_dtype or a.dtype)
            if _same(a, b):
                arrays(code, a.reshape(-1), b.reshape(-1), out.reshape(-1))
                return out
            if isinstance(b, np.ndarray) and b.ndim == 0 and b.dtype == a.dtype:
                scalar(code, a.reshape(-1), b[()], out.reshape(-1))
                return out
        return reference(a, b)
    kernel.__name__ = reference.__name__
    return kernel


def _math(code, reference):
    def kernel(x):
        if not _large(x):
            return reference(x)
        out = np.empty_like(x)
        _unary_math(code, x.reshape(-1), out.reshape(-1))
        return out
    kernel.__name__ = reference.__name__
    return kernel


def _where_serial_body(cond, a, b, out):
    for i in range(out.size):
        x, y = a[i], b[i]  # both loaded, then selected: the loop vectorises
        out[i] = x if cond[i] else y


def _where_zero_body(cond, zero, b, out):
    for i in range(out.size):
        out[i] = zero if cond[i] else b[i]


# NumPy's where branches per element: with a random condition (relu's backward) it runs at a
# few ns per element; these select without branching.
_where_serial = numba.njit(cache=True)(_where_serial_body)
_where_first_scalar = numba.njit(cache=True)(_where_zero_body)
_WHERE_MIN = 1 << 12


def where(cond, a, b):
    if isinstance(cond, np.ndarray) and cond.dtype != np.bool_ and cond.size >= _WHERE_MIN:
        cond = cond != 0  # torch.where's condition arrives cast to the computation dtype
    if isinstance(cond, np.ndarray) and cond.dtype == np.bool_ and cond.flags.c_contiguous \
            and isinstance(b, np.ndarray) and b.dtype in _FAST and b.shape == cond.shape \
            and b.flags.c_contiguous and b.size >= _WHERE_MIN:
        out = np.empty_like(b)
        if _same(b, a):
            (_where_arrays if b.size >= _LARGE else _where_serial)(
                cond.reshape(-1), a.reshape(-1), b.reshape(-1), out.reshape(-1))
            return out
        if isinstance(a, np.ndarray) and a.ndim == 0 and a.dtype == b.dtype:
            _where_first_scalar(cond.reshape(-1), a[()], b.reshape(-1), out.reshape(-1))
            return out
    return numpy_ref.where(cond, a, b)


add = _binary(ADD, _binary_arrays, _binary_scalar, numpy_ref.add)
subtract = _binary(SUB, _binary_arrays, _binary_scalar, numpy_ref.subtract)
multiply = _binary(MUL, _binary_arrays, _binary_scalar, numpy_ref.multiply)
divide = _binary(DIV, _binary_arrays, _binary_scalar, numpy_ref.divide)
pow = _binary(POW, _binary_arrays, _binary_scalar, numpy_ref.pow)
maximum = _binary(MAX, _binary_arrays, _binary_scalar, numpy_ref.maximum)
equal = _binary(EQ, _compare_arrays, _compare_scalar, numpy_ref.equal, np.bool_)
not_equal = _binary(NE, _compare_arrays, _compare_scalar, numpy_ref.not_equal, np.bool_)
less = _binary(LT, _compare_arrays, _compare_scalar, numpy_ref.less, np.bool_)
less_equal = _binary(LE, _compare_arrays, _compare_scalar, numpy_ref.less_equal, np.bool_)
greater = _binary(GT, _compare_arrays, _compare_scalar, numpy_ref.greater, np.bool_)
greater_equal = _binary(GE, _compare_arrays, _compare_scalar, numpy_ref.greater_equal,
                        np.bool_)
exp = _math(EXP, numpy_ref.exp)
log = _math(LOG, numpy_ref.log)

KERNELS = {"sigmoid": sigmoid, "relu": relu, "add": add, "subtract": subtract,
           "multiply": multiply, "divide": divide, "pow": pow, "maximum": maximum,
           "equal": equal, "not_equal": not_equal, "less": less, "less_equal": less_equal,
           "greater": greater, "greater_equal": greater_equal, "exp": exp, "log": log,
           "where": where}  # tanh stays NumPy's: its vectorised tanh beat the threaded loop
