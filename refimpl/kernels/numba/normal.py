"""torch's normal fill (Box-Muller on blocks of 16 uniforms), compiled (Numba, CPU).

The readable reference is `_normal_fill` in refimpl/_random/sampling.py, which evaluates the
same formulas on NumPy arrays with an emulated fused multiply-add. Here each block is one
loop over its 8 pairs and `fma` is LLVM's fused multiply-add (one rounding, as torch's build
contracts `x * a + b`); nothing else is fused (Numba contracts nothing without fastmath). The
float32 path uses avx_mathfun's log and sincos polynomials, the float64 path the C library's
log, sin and cos, exactly as the reference, so both give the same bits.
"""

import math

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from ..._random import sampling


@intrinsic
def fma(typingctx, a, b, c):
    """a * b + c with a single rounding (llvm.fma) for float32 or float64 operands."""
    if not (isinstance(a, types.Float) and a == b == c):
        return None

    def codegen(context, builder, signature, args):
        t = args[0].type
        name = "llvm.fma.f32" if t == ir.FloatType() else "llvm.fma.f64"
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(t, [t, t, t]), name)
        return builder.call(fn, args)
    return a(a, b, c), codegen


@intrinsic
def as_int32(typingctx, x):
    """The bits of a float32 as an int32 (a register bitcast, like NumPy's view)."""
    if x != types.float32:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(32))
    return types.int32(x), codegen


@intrinsic
def as_float32(typingctx, x):
    """The float32 whose bits are the int32 x."""
    if x != types.int32:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.FloatType())
    return types.float32(x), codegen


_f = np.float32
_LOG_P = np.array(sampling.LOG_P, np.float32)
_SINCOF = np.array(sampling.SINCOF, np.float32)
_COSCOF = np.array(sampling.COSCOF, np.float32)
_MINUS_DP = np.array(sampling.MINUS_DP, np.float32)
_LOG_Q1, _LOG_Q2, _SQRTHF = sampling.LOG_Q1, sampling.LOG_Q2, sampling.SQRTHF
_FOPI = sampling.FOPI
_ONE, _HALF, _ZERO, _MINUS_TWO = _f(1), _f(0.5), _f(0), _f(-2)
_TWO_PI_F32 = _f(2 * math.pi)


@numba.njit(inline="always")
def _horner(coefs, x):
    y = coefs[0]
    for k in range(1, coefs.size):
        y = fma(y, x, coefs[k])
    return y


@numba.njit(inline="always")
def _log256(x):
    """log256_ps of one float32 in (0, 1] (see sampling._log256)."""
    bits = as_int32(x)
    e = _f((bits >> 23) - 127) + _ONE
    m = as_float32(np.int32((bits & ~0x7F800000) | 0x3F000000))
    small = m < _SQRTHF
    e = e - (_ONE if small else _ZERO)
    m = (m - _ONE) + (m if small else _ZERO)
    z = m * m
    y = _horner(_LOG_P, m) * m
    y = fma(y, z, e * _LOG_Q1)
    y = y - z * _HALF
    return (m + y) + e * _LOG_Q2


@numba.njit(inline="always")
def _sincos256(x):
    """sincos256_ps of one float32 (see sampling._sincos256)."""
    sign_sin = as_int32(x) < 0
    x = abs(x)
    j = np.int32(x * _FOPI)
    j = (j + 1) & ~1
    y = _f(j)
    for k in range(_MINUS_DP.size):
        x = fma(y, _MINUS_DP[k], x)
    z = x * x
    poly_cos = fma(_horner(_COSCOF, z) * z, z, -(z * _HALF)) + _ONE
    poly_sin = fma(_horner(_SINCOF, z) * z, x, x)
    use_sin_poly = (j & 2) == 0
    sin = (poly_sin if use_sin_poly else poly_cos) + _ZERO
    cos = (poly_cos if use_sin_poly else poly_sin) + _ZERO
    sin = -sin if sign_sin != ((j & 4) != 0) else sin
    cos = -cos if ((j - 2) & 4) == 0 else cos
    return sin, cos


@numba.njit(cache=True, parallel=True)
def fill16_f32(u, mean, std, out):
    """NormalFill16<float, AVX2> on each row of u (rows of 16 float32 uniforms) into out.
    Rows are independent, so they are split over the cores."""
    for b in numba.prange(u.shape[0]):
        for j in range(8):
            radius = np.sqrt(_MINUS_TWO * _log256(_ONE - u[b, j]))
            sin, cos = _sincos256(_TWO_PI_F32 * u[b, j + 8])
            out[b, j] = fma(radius * cos, std, mean)
            out[b, j + 8] = fma(radius * sin, std, mean)


@numba.njit(cache=True, parallel=True)
def fill16_f64(u, mean, std, out):
    """NormalFill16<double> on each row of u (rows of 16 float64 uniforms) into out."""
    two_pi = 2.0 * math.pi
    for b in numba.prange(u.shape[0]):
        for j in range(8):
            radius = math.sqrt(-2.0 * math.log(1.0 - u[b, j]))
            theta = two_pi * u[b, j + 8]
            out[b, j] = fma(radius * math.cos(theta), std, mean)
            out[b, j + 8] = fma(radius * math.sin(theta), std, mean)


def fill16(u, mean, std):
    """The compiled `_fill16_avx2` (float32) or `_fill16_libm` (float64) of sampling."""
    out = np.empty_like(u)
    (fill16_f32 if u.dtype == np.float32 else fill16_f64)(
        np.ascontiguousarray(u), u.dtype.type(mean), u.dtype.type(std), out)
    return out
