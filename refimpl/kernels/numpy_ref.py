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
elementwise Array API names: add, subtract, multiply, divide, negative, abs, sign, sqrt, exp,
            exp2, expm1, log, log2, log10, log1p, sin .. atanh, atan2, hypot, pow, floor,
            ceil, trunc, round(x, decimals), clip(x, lo, hi), maximum, minimum, fmax, fmin,
            floor_divide, remainder, fmod, logaddexp, isnan, isinf, isfinite, signbit,
            comparisons (equal .. greater_equal), logical_*, bitwise_* (bitwise_invert and
            the shifts); torch's extras: sigmoid, relu, rsqrt, reciprocal, sgn,
            trunc_divide, erfc, erfinv, nan_to_num, isposinf, isneginf, isclose; where
reductions  sum(x, axis, dtype, keepdims)
linalg      matmul(a, b)
"""

import math

import numpy as np

# -- memory -----------------------------------------------------------------------------------


def _keep_freed_blocks():
    """Tell glibc's malloc to keep freed blocks of up to 32 MiB for reuse.

    NumPy allocates through malloc, and glibc hands blocks of 128 KiB and more back to the
    kernel on every free; a training step that makes and drops the same gradients (a 256 x 256
    float32 weight's is 256 KiB) then page-faults every new one in again, which cost refimpl a
    quarter of a small MLP's step. torch's CPU allocator keeps such blocks; this does the same
    for NumPy's. Freed memory up to 128 MiB stays with the process. Set
    REFIMPL_KEEP_MALLOC_DEFAULTS=1 to leave malloc as it is; without glibc this does nothing.
    """
    import ctypes
    import os
    if os.environ.get("REFIMPL_KEEP_MALLOC_DEFAULTS") == "1":
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's mallopt parameter numbers
    mallopt(m_mmap_threshold, 32 << 20)
    mallopt(m_trim_threshold, 128 << 20)


_keep_freed_blocks()


def alloc(nbytes):
    return np.empty(nbytes, np.uint8)


def view(buffer, dtype, shape, strides, offset):
    itemsize = dtype.itemsize
    if 0 in shape:  # an empty view may sit past the end of its storage, as in torch
        offset = 0
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
    if a.dtype != dtype:
        with np.errstate(over="ignore", invalid="ignore"):  # a cast to inf or nan: no warning
            a = np.array(a, dtype=dtype, order="C")
    elif a.base is not None or not a.flags.c_contiguous or not a.flags.writeable:
        a = np.array(a, order="C")
    return a


def select(x, axis, index):
    """The view of x at `index` along `axis`."""
    return x[(slice(None),) * axis + (index, Ellipsis)]  # Ellipsis: a 0-d view, not a scalar


def astype(x, dtype):
    if x.dtype == dtype:
        return x
    with np.errstate(over="ignore", invalid="ignore"):  # torch casts to inf or nan silently
        return x.astype(dtype)


def asarray(value, dtype):
    # Through the value's own NumPy type first, so an out-of-range Python int wraps the way
    # torch's cast of a wrapped number does (uint8 tensor + 300 adds 44) instead of raising.
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(value).astype(dtype)


def full(shape, value, dtype):
    return np.full(shape, value, dtype)


def arange(start, step, n, dtype):
    # torch computes element i as start + i * step in double (int64 for integers), then casts;
    # repeated addition would drift.
    acc = np.float64 if np.dtype(dtype).kind in "fc" else np.int64
    return (np.asarray(start, acc) + np.arange(n, dtype=acc) * np.asarray(step, acc)).astype(dtype)


# -- elementwise --------------------------------------------------------------------------------
# Array API names. Operands arrive already promoted to one computation dtype (refimpl._dispatch);
# these functions only add what NumPy does differently from torch.


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
abs = np.absolute


def sign(x):
    """-1, 0 or 1; torch gives 0 for NaN (NumPy gives NaN)."""
    s = np.sign(x)
    return np.where(np.isnan(s), np.zeros((), s.dtype), s) if s.dtype.kind == "f" else s


exp = _quiet(np.exp)
exp2 = _quiet(np.exp2)
expm1 = _quiet(np.expm1)
log = _quiet(np.log)
log2 = _quiet(np.log2)
log10 = _quiet(np.log10)


@_quiet
def log1p(x):
    """log(1 + x). For complex x torch uses Goldberg's theorem 4 rather than C's clog1p:
    with u = 1 + x (only the real part gains the 1), the result is x where u == 1, log(u)
    where u - 1 == x exactly, and log(u) * (x / (u - 1)) otherwise, the factor correcting
    the rounding of 1 + x. So a value whose 1 + x rounds and whose imaginary part is
    infinite gives nan + nanj (torch's answer), where C99's clog1p gives inf + i*pi/2."""
    if x.dtype.kind != "c":
        return np.log1p(x)
    one = x.real.dtype.type(1)
    u = np.empty_like(x)
    u.real, u.imag = x.real + one, x.imag  # parts set apart: 1j * inf would make a nan
    um1 = np.empty_like(x)
    um1.real, um1.imag = u.real - one, x.imag
    logu = np.log(u)
    return np.where(u == one, x, np.where(um1 == x, logu, logu * (x / um1))).astype(x.dtype)


sqrt = _quiet(np.sqrt)
sin = np.sin
cos = np.cos
tan = np.tan
asin = _quiet(np.arcsin)
acos = _quiet(np.arccos)
atan = np.arctan
atan2 = np.arctan2
sinh = _quiet(np.sinh)
cosh = _quiet(np.cosh)
asinh = np.arcsinh
acosh = _quiet(np.arccosh)
atanh = _quiet(np.arctanh)
tanh = np.tanh
hypot = np.hypot
floor = np.floor
ceil = np.ceil
trunc = np.trunc
maximum = np.maximum
minimum = np.minimum
fmax = np.fmax
fmin = np.fmin
isnan = np.isnan
isinf = np.isinf
isfinite = np.isfinite
signbit = np.signbit
equal = np.equal
not_equal = np.not_equal
less = np.less
less_equal = np.less_equal
greater = np.greater
greater_equal = np.greater_equal
logical_and = np.logical_and
logical_or = np.logical_or
logical_xor = np.logical_xor
logical_not = np.logical_not
bitwise_and = np.bitwise_and
bitwise_or = np.bitwise_or
bitwise_xor = np.bitwise_xor
bitwise_invert = np.invert
where = np.where


@_quiet
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    # np.maximum propagates NaN, as torch.relu does.
    return np.maximum(x, x.dtype.type(0))


@_quiet
def rsqrt(x):
    return 1 / np.sqrt(x)


@_quiet
def reciprocal(x):
    return 1 / x


def sgn(x):
    """x / |x| for complex x (0 where x is 0); the sign otherwise."""
    if x.dtype.kind != "c":
        return sign(x)
    with np.errstate(all="ignore"):
        mag = np.absolute(x)
        return np.where(mag == 0, 0, x / np.where(mag == 0, 1, mag)).astype(x.dtype)


def round(x, decimals=0):
    """Round half to even; with decimals, torch scales by 10**decimals in x's dtype first."""
    if decimals == 0:
        return np.rint(x)
    with np.errstate(all="ignore"):
        if decimals > 0:
            scale = x.dtype.type(10.0 ** decimals)
            return np.rint(x * scale) / scale
        scale = x.dtype.type(10.0 ** -decimals)
        return np.rint(x / scale) * scale


def clip(x, lo, hi):
    """min(max(x, lo), hi) with NaN kept from x and from either bound (torch.clamp); lo or hi
    None means unbounded on that side."""
    if lo is not None:
        x = np.maximum(x, lo)
    if hi is not None:
        x = np.minimum(x, hi)
    return x


def _check_integer_divisor(b):
    if np.asarray(b).dtype.kind in "biu" and not np.all(b):
        raise RuntimeError("ZeroDivisionError")


@_quiet
def floor_divide(a, b):
    """Python's floor division: integers raise on a zero divisor (torch's RuntimeError
    "ZeroDivisionError"), floats give inf/nan."""
    _check_integer_divisor(b)
    return np.floor_divide(a, b)


@_quiet
def trunc_divide(a, b):
    """a / b rounded toward zero (div with rounding_mode='trunc')."""
    _check_integer_divisor(b)
    if np.result_type(a, b).kind in "iu":
        q = np.floor_divide(a, b)
        inexact = (np.remainder(a, b) != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0))
        return q + inexact.astype(q.dtype)
    return np.trunc(np.true_divide(a, b))


@_quiet
def remainder(a, b):
    """a - b * floor(a / b): the sign of the divisor (Python's %)."""
    _check_integer_divisor(b)
    return np.remainder(a, b)


@_quiet
def fmod(a, b):
    """C's fmod: the sign of the dividend."""
    _check_integer_divisor(b)
    return np.fmod(a, b)


@_quiet
def pow(a, b):
    """a ** b. Integers to negative integer powers follow torch: 1 for base 1, +-1 for base -1,
    else 0 (NumPy raises instead)."""
    if np.result_type(a, b).kind in "biu":
        b = np.asarray(b)
        if b.dtype.kind == "i" and np.any(b < 0):
            a = np.asarray(a)
            safe = np.power(a, np.where(b < 0, 0, b))
            neg = np.where(a == 1, 1, np.where(a == -1, np.where(b % 2 == 0, 1, -1), 0))
            return np.where(b < 0, neg.astype(safe.dtype), safe)
    return np.power(a, b)


def bitwise_left_shift(a, b):
    """a << b; shifting by a negative amount or by the bit width or more gives 0."""
    bits = np.asarray(a).dtype.itemsize * 8
    out_of_range = (b < 0) | (b >= bits)
    shifted = np.left_shift(a, np.where(out_of_range, 0, b).astype(np.asarray(a).dtype))
    return np.where(out_of_range, np.zeros((), shifted.dtype), shifted)


def bitwise_right_shift(a, b):
    """a >> b (arithmetic for signed types); a negative amount or the bit width or more
    shifts every bit out (0, or -1 for a negative signed a)."""
    a = np.asarray(a)
    bits = a.dtype.itemsize * 8
    out_of_range = (b < 0) | (b >= bits)
    return np.right_shift(a, np.where(out_of_range, bits - 1, b).astype(a.dtype)) if \
        a.dtype.kind == "i" else np.where(out_of_range, np.zeros((), a.dtype),
                                          np.right_shift(a, np.where(out_of_range, 0, b)
                                                         .astype(a.dtype)))


@_quiet
def logaddexp(a, b):
    """log(exp(a) + exp(b)) without overflow; complex inputs by the direct formula."""
    if np.result_type(a, b).kind == "c":
        return _logaddexp_complex(*np.broadcast_arrays(np.asarray(a), np.asarray(b)))
    return np.logaddexp(a, b)


@_quiet
def _logaddexp_complex(a, b):
    """torch's complex logaddexp: with lo the operand of smaller real part (b on a tie or a NaN
    real part in b) and hi the other, NaN + NaNj if any part is NaN; lo when both real parts
    are -inf; log(exp(lo) + exp(hi)) when both are +inf; log1p(exp(lo - hi)) + hi otherwise."""
    dtype = np.result_type(a, b)
    a, b = a.astype(dtype), b.astype(dtype)
    a_lo = (a.real < b.real) | np.isnan(b.real)
    lo, hi = np.where(a_lo, a, b), np.where(a_lo, b, a)
    result = np.log1p(np.exp(lo - hi)) + hi
    both_inf = np.isinf(lo.real) & (lo.real == hi.real)
    result = np.where(both_inf & (lo.real < 0), lo, result)
    result = np.where(both_inf & (lo.real > 0), np.log(np.exp(lo) + np.exp(hi)), result)
    any_nan = np.isnan(a.real) | np.isnan(a.imag) | np.isnan(b.real) | np.isnan(b.imag)
    return np.where(any_nan, np.array(complex("nan+nanj"), dtype), result).astype(dtype)


_erfc_scalar = np.frompyfunc(math.erfc, 1, 1)


def erfc(x):
    """1 - erf(x) without cancellation (math.erfc per element; NumPy has no erfc ufunc).
    erf itself is in numpy_ref_loss."""
    return np.asarray(_erfc_scalar(x)).astype(x.dtype)


_erf_scalar = np.frompyfunc(math.erf, 1, 1)


@_quiet
def erfinv(x):
    """The inverse of erf on [-1, 1]: +-inf at +-1, NaN outside (NumPy and math have none).

    Computed in float64: Winitzki's closed-form estimate (relative error about 2e-3), then
    Newton steps on erf(r) = y, or on erfc(r) = 1 - |y| for |y| > 0.5 where erf is too flat
    to resolve (1 - |y| is exact there); four steps reach double precision."""
    y = np.asarray(x, np.float64)
    a = 0.147
    ln = np.log1p(-y * y)
    t = 2 / (np.pi * a) + ln / 2
    r = np.copysign(np.sqrt(np.sqrt(t * t - ln / a) - t), y)
    tail = np.abs(y) > 0.5
    one_minus = 1 - np.abs(y)
    finite = np.isfinite(r)
    for _ in range(4):
        rr = np.where(finite, r, 0.0)
        slope = 2 / np.sqrt(np.pi) * np.exp(-rr * rr)
        erf_r = np.asarray(_erf_scalar(rr), np.float64)
        erfc_abs = np.asarray(_erfc_scalar(np.abs(rr)), np.float64)
        step = np.where(tail, -np.sign(rr) * (erfc_abs - one_minus), erf_r - y) / slope
        r = np.where(finite & (slope > 0), r - step, r)
    r = np.where(np.abs(y) == 1, np.copysign(np.inf, y), r)
    r = np.where(np.abs(y) > 1, np.nan, r)
    return r.astype(x.dtype)


def nan_to_num(x, nan, posinf, neginf):
    return np.nan_to_num(x, copy=True, nan=nan, posinf=posinf, neginf=neginf)


def _as_ieee(x):
    """bfloat16 (ml_dtypes, dtype kind 'V') seen as float32 for NumPy's float predicates."""
    return x if x.dtype.kind == "f" else x.astype(np.float32)


def isposinf(x):
    if x.dtype.kind in "biu":
        return np.zeros(x.shape, np.bool_)
    return np.isposinf(_as_ieee(x))


def isneginf(x):
    if x.dtype.kind in "biu":
        return np.zeros(x.shape, np.bool_)
    return np.isneginf(_as_ieee(x))


@_quiet
def isclose(a, b, rtol, atol, equal_nan):
    """|a - b| <= atol + rtol * |b|, and exact equality (infinities); NaNs equal when asked."""
    close = a == b
    if a.dtype.kind in "fc":
        close |= np.isfinite(a) & np.isfinite(b) & (np.abs(a - b) <= atol + rtol * np.abs(b))
        if equal_nan:
            close |= np.isnan(a) & np.isnan(b)
    elif a.dtype.kind in "iu":
        diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
        close |= diff <= atol + rtol * np.abs(b.astype(np.float64))
    return close


# -- reductions and linear algebra --------------------------------------------------------------


def sum(x, axis, dtype, keepdims):
    return np.add.reduce(x, axis=axis, dtype=dtype, keepdims=keepdims)


def matmul(a, b):
    """np.matmul, except that a product with inner size 1 (an outer product, as in the weight
    gradient of a batch-1 linear layer) is the broadcast multiply it equals: NumPy's matmul
    takes a slow loop for it. Each element is the single product a[i, 0] * b[0, j] either way."""
    if a.shape[-1:] == (1,) and a.ndim >= 2 and b.ndim >= 2 and a.dtype == b.dtype \
            and a.dtype.kind == "f":
        return np.multiply(a, b)
    return np.matmul(a, b)


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

