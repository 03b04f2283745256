"""torch 2.13's CPU sampling kernels, as functions of a Generator that return NumPy arrays.

Sources: ATen/native/cpu/DistributionTemplates.h (the kernels), ATen/core/DistributionsHelper.h
and TransformationHelper.h (the distributions), avx_mathfun.h (the float32 normal),
TensorFactories.cpp (randperm), MultinomialKernel.cpp and Distributions.cpp (multinomial).
Every kernel holds the generator for its whole run and visits elements one after another,
so a kernel here returns its n values in that visiting order (TensorIterator order, i.e. memory
order: see `visiting_order`) and consumes exactly the draws torch consumes.

refimpl reproduces torch's x86-64 build on an AVX2 (or AVX-512) CPU. That build is compiled
with FMA contraction, so `x * a + b` in a kernel is one fused multiply-add (`fma` below), and
float32 `randn` uses the avx_mathfun polynomials. The libm functions (log, log1p, sin, cos)
are glibc's, called through Python's math module (NumPy's own log/log1p round differently).
"""

import math

import numpy as np

from .. import _layout, kernels

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)

# -- draws ------------------------------------------------------------------------------------


def u24(gen, n):
    """n float uniforms in [0, 1): `(random() & (2**24 - 1)) * 2**-24`, one draw each."""
    return (gen._engine.draw32(n) & np.uint32(0xFFFFFF)).astype(F32) * np.float32(2.0**-24)


def u53(gen, n):
    """n double uniforms in [0, 1): `(random64() & (2**53 - 1)) * 2**-53`, two draws each."""
    return (gen._engine.draw64(n) & np.uint64(2**53 - 1)).astype(F64) * 2.0**-53


def libm(fn, x):
    """A glibc function (math.log, math.sin, ...) applied elementwise to a float64 array."""
    x = np.asarray(x, F64)
    return np.fromiter(map(fn, x.ravel().tolist()), F64, x.size).reshape(x.shape)


def cast(values, dtype):
    """C++'s static_cast<scalar_t>: half and bfloat16 convert through float (two roundings)."""
    dtype = np.dtype(dtype)
    if dtype.itemsize == 2 and dtype.kind != "i":
        values = np.asarray(values).astype(F32)
    return np.asarray(values).astype(dtype)


# -- exact fused multiply-add (math.fma arrives only in Python 3.13) ---------------------------


def _two_sum(a, b):
    """s = fl(a + b) and the exact error a + b - s (Knuth)."""
    s = a + b
    t = s - a
    return s, (a - (s - t)) + (b - t)


def _two_prod(a, b):
    """p = fl(a * b) and the exact error a * b - p (Dekker, with Veltkamp's split)."""
    def split(x):
        c = 134217729.0 * x
        hi = c - (c - x)
        return hi, x - hi
    (ah, al), (bh, bl) = split(a), split(b)
    p = a * b
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _add_round_to_odd(a, b):
    """a + b rounded to odd: when inexact, the neighbour of the exact sum with an odd last bit."""
    s, err = _two_sum(a, b)
    even = (s.view(np.int64) & 1) == 0
    toward = np.where(err > 0, np.inf, -np.inf)
    return np.where((err != 0) & even, np.nextafter(s, toward), s)


def fma(a, b, c):
    """a * b + c with one rounding, in the dtype of `a` (float32 or float64), elementwise.

    float32: a * b is exact in float64, and the float64 sum rounded to odd then to float32 is
    the correctly rounded result. float64: Boldo and Melquiond's emulation (exact product and
    sum, the low parts added with rounding to odd). Non-finite results fall back to a*b+c.
    """
    dtype = np.asarray(a).dtype
    a, b, c = (np.asarray(x, F64) for x in np.broadcast_arrays(a, b, c))
    with np.errstate(all="ignore"):
        plain = a * b + c
        if dtype == F32:
            exact = _add_round_to_odd(a * b, c)
        else:
            uh, ul = _two_prod(a, b)
            th, tl = _two_sum(c, uh)
            exact = th + _add_round_to_odd(tl, ul)
        return np.where(np.isfinite(plain), exact, plain).astype(dtype)


# -- element order ------------------------------------------------------------------------------


def visiting_order(*arrays):
    """The axes permutation (slowest dim first) in which TensorIterator visits arrays of one
    shape: dims sorted by the first array's strides, ties broken by the next ones (broadcast
    dims skipped). For one dense array this is memory order."""
    shape = arrays[0].shape
    strides = [[s // a.itemsize for s in np.broadcast_to(a, shape).strides] for a in arrays]
    return _layout._permutation(shape, strides)[::-1]


def write_in_order(array, values, *others):
    """Write the flat `values` into `array` in TensorIterator's visiting order."""
    view = array.transpose(visiting_order(array, *others))
    view[...] = values.reshape(view.shape)


# -- uniform ----------------------------------------------------------------------------------


def uniform(gen, n, dtype, low, high):
    """`uniform_(from, to)`: x = U24 (U53 for double); fma(x, to - from, from) in the opmath
    type (float, or double); cast to dtype; a value that rounded up to `to` becomes `from`."""
    opmath = F64 if dtype == F64 else F32
    lo, hi = opmath.type(low), opmath.type(high)
    x = u53(gen, n) if opmath == F64 else u24(gen, n)
    values = cast(fma(x, hi - lo, lo), dtype)
    values[values == cast(high, dtype)] = cast(low, dtype)
    return values


# -- normal -----------------------------------------------------------------------------------


def normal(gen, n, dtype, mean, std, contiguous):
    """`normal_kernel`: the vectorised fill for 16 or more contiguous elements, else the scalar
    Box-Muller of normal_distribution<double> (which uses the generator's cached sample)."""
    if n >= 16 and contiguous:
        return _normal_fill(gen, n, np.dtype(dtype), mean, std)
    return cast(normal_scalar(gen, n, mean, std), dtype)


def normal_scalar(gen, n, mean, std):
    """n calls of normal_distribution<double>(mean, std): if the generator caches a sample,
    return it (no draw); else u1 = U53, u2 = U53, r = sqrt(-2 log1p(-u2)), theta = 2 pi u1,
    cache r sin(theta) and return r cos(theta); then fma(value, std, mean)."""
    values = np.empty(n, F64)
    start = 0
    if n and gen._next_double_normal is not None:
        values[0], gen._next_double_normal, start = gen._next_double_normal, None, 1
    pairs = (n - start + 1) // 2
    u = u53(gen, 2 * pairs).reshape(pairs, 2)
    r = np.sqrt(-2.0 * libm(math.log1p, -u[:, 1]))
    theta = 2.0 * math.pi * u[:, 0]
    samples = np.stack([r * libm(math.cos, theta), r * libm(math.sin, theta)], 1).ravel()
    values[start:] = samples[:n - start]
    if (n - start) % 2:
        gen._next_double_normal = float(samples[-1])
    return fma(values, std, mean)


def _normal_fill(gen, n, dtype, mean, std):
    """`normal_fill`: uniforms in blocks of 16; element j pairs with j + 8 of its block.

    float/double draw all n uniforms, transform each full block, then (if n % 16) draw 16
    fresh uniforms for elements n-16..n-1 and transform them: n + 16 draws, the n % 16 odd
    ones wasted. half/bfloat16 work in float one block at a time: 16 * ceil(n / 16) draws.
    """
    opmath = F64 if dtype == F64 else F32
    draw, fill16 = (u53, _fill16_libm) if opmath == F64 else (u24, _fill16_avx2)
    full = n // 16
    blocks = [draw(gen, n if dtype == opmath else 16 * full)[:16 * full].reshape(full, 16)]
    if n % 16:
        blocks.append(draw(gen, 16).reshape(1, 16))
    if kernels.current() == "numba":  # the same transform, compiled: same bits
        from ..kernels.numba.normal import fill16
    values = fill16(np.concatenate(blocks) if len(blocks) > 1 else blocks[0],
                    opmath.type(mean), opmath.type(std))
    out = np.empty(n, opmath)
    out[:16 * full] = values[:full].ravel()
    if n % 16:
        out[n - 16:] = values[-1]
    return cast(out, dtype)


def _fill16_libm(u, mean, std):
    """NormalFill16<double> on rows of 16: radius = sqrt(-2 log(1 - u[j])), theta =
    2 pi u[j+8], out = fma(radius cos(theta), std, mean) and fma(radius sin(theta), ...)."""
    radius = np.sqrt(-2.0 * libm(math.log, 1.0 - u[:, :8]))
    theta = 2.0 * math.pi * u[:, 8:]
    return np.concatenate([fma(radius * libm(math.cos, theta), std, mean),
                           fma(radius * libm(math.sin, theta), std, mean)], axis=1)


def _fill16_avx2(u, mean, std):
    """NormalFill16<float, AVX2>: the same transform with avx_mathfun's log256_ps and
    sincos256_ps, all in float32, theta = float(2 pi) * u2."""
    u1 = np.float32(1) - u[:, :8]
    radius = np.sqrt(np.float32(-2) * _log256(u1))
    sin, cos = _sincos256(np.float32(2 * math.pi) * u[:, 8:])
    return np.concatenate([fma(radius * cos, std, mean), fma(radius * sin, std, mean)], axis=1)


# avx_mathfun.h constants (Cephes), as the float32 values the header stores
_f = np.float32
LOG_P = [_f(c) for c in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
                         1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
                         3.3333331174e-1)]
LOG_Q1, LOG_Q2, SQRTHF = _f(-2.12194440e-4), _f(0.693359375), _f(0.707106781186547524)
MINUS_DP = [_f(-0.78515625), _f(-2.4187564849853515625e-4), _f(-3.77489497744594108e-8)]
SINCOF = [_f(-1.9515295891e-4), _f(8.3321608736e-3), _f(-1.6666654611e-1)]
COSCOF = [_f(2.443315711809948e-5), _f(-1.388731625493765e-3), _f(4.166664568298827e-2)]
FOPI = _f(1.27323954473516)   # 4 / pi


def _horner(coefs, x):
    """The polynomial's Horner steps as GCC compiles them: y = fma(y, x, c_k)."""
    y = np.full_like(x, coefs[0])
    for c in coefs[1:]:
        y = fma(y, x, c)
    return y


def _log256(x):
    """log256_ps for x in (0, 1]: x = m * 2**e with m in [0.5, 1), then a Cephes polynomial in
    m - 1. The fused steps are those GCC contracts in torch's build."""
    bits = x.view(np.int32)
    e = ((bits >> 23) - 127).astype(F32) + _f(1)
    m = ((bits & ~0x7F800000) | 0x3F000000).view(F32)
    small = m < SQRTHF                                  # then use 2m - 1 and e - 1
    e = e - small.astype(F32)
    m = (m - _f(1)) + np.where(small, m, _f(0))
    z = m * m
    y = _horner(LOG_P, m) * m
    y = fma(y, z, e * LOG_Q1)
    y = y - z * _f(0.5)
    return (m + y) + e * LOG_Q2


def _sincos256(x):
    """sincos256_ps: reduce by multiples j of pi/4 in three fused steps, evaluate the sine and
    cosine polynomials, pick and sign them by j."""
    sign_sin = np.signbit(x)
    x = np.abs(x)
    j = (x * FOPI).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(F32)
    for dp in MINUS_DP:
        x = fma(y, dp, x)
    z = x * x
    poly_cos = fma(_horner(COSCOF, z) * z, z, -(z * _f(0.5))) + _f(1)
    poly_sin = fma(_horner(SINCOF, z) * z, x, x)
    use_sin_poly = (j & 2) == 0
    # the kernel selects with masks and adds, which turns -0 into +0
    sin = np.where(use_sin_poly, poly_sin, poly_cos) + _f(0)
    cos = np.where(use_sin_poly, poly_cos, poly_sin) + _f(0)
    sin = np.where(sign_sin ^ ((j & 4) != 0), -sin, sin)
    cos = np.where(((j - 2) & 4) == 0, -cos, cos)
    return sin, cos


# -- integers ---------------------------------------------------------------------------------


def from_int64(values, dtype):
    """static_cast<scalar_t>(int64): bool is `!= 0`, half/bfloat16 go through float."""
    dtype = np.dtype(dtype)
    return values != 0 if dtype == np.bool_ else cast(values, dtype)


def random_from_to(gen, n, dtype, base, range_):
    """uniform_int_from_to_distribution: (draw % range) + base, wrapping in 64 bits. The draw is
    random64() when range >= 2**28, else random() (plain modulo, slightly biased)."""
    draws = gen._engine.draw64(n) if range_ >= 2**28 else gen._engine.draw32(n).astype(np.uint64)
    values = (draws % np.uint64(range_)) + np.uint64(base % 2**64)
    return from_int64(values.view(np.int64), dtype)


def random_full_64(gen, n, dtype):
    """`random_(-2**63, None)`: every int64 value, static_cast<int64>(random64())."""
    return from_int64(gen._engine.draw64(n).view(np.int64), dtype)


# `random_()` with no bounds: draw % modulus, a 64-bit draw for int64 and double.
RANDOM_MODULUS = {"bool": 2, "uint8": 2**8, "int8": 2**7, "int16": 2**15, "int32": 2**31,
                  "int64": 2**63, "float16": 2**11 + 1, "bfloat16": 2**8 + 1,
                  "float32": 2**24 + 1, "float64": 2**53 + 1}


def random_default(gen, n, dtype):
    """uniform_int_distribution: random() % modulus (random64() for int64 and double), where
    the modulus is max + 1 for integers (2 for bool: `& 1`) and 2**digits + 1 for floats."""
    name = np.dtype(dtype).name
    wide = name in ("int64", "float64")
    draws = gen._engine.draw64(n) if wide else gen._engine.draw32(n).astype(np.uint64)
    values = draws % np.uint64(RANDOM_MODULUS[name])
    return from_int64(values.view(np.int64), dtype)


def randperm(gen, n):
    """randperm_cpu: for n < 2**32 / 20, arange(n) then for i in 0..n-2 swap r[i] with
    r[i + random() % (n - i)] (n - 1 draws); beyond that the "inside-out" Fisher-Yates with
    random64(): r[i] = r[z]; r[z] = i for z = random64() % (i + 1)."""
    if n < 4294967295 // 20:
        offsets = gen._engine.draw32(max(n - 1, 0)).astype(np.int64) % np.arange(n, 1, -1)
        perm = np.arange(n, dtype=np.int64)
        if kernels.current() == "numba":
            from ..kernels.numba.mt19937 import swap_forward
            swap_forward(perm, offsets)
            return perm
        perm = perm.tolist()
        for i, z in enumerate(offsets.tolist()):
            perm[i], perm[i + z] = perm[i + z], perm[i]
        return np.array(perm, np.int64)
    perm = np.empty(n, np.int64)
    for i, z in enumerate((gen._engine.draw64(n) % np.arange(1, n + 1, dtype=np.uint64)).tolist()):
        perm[i], perm[z] = perm[z], i
    return perm


# -- bernoulli, exponential, multinomial ------------------------------------------------------


def bernoulli_scalar(gen, n, p):
    """bernoulli_(p: float): U53 < p, two draws per element."""
    return u53(gen, n) < p


def bernoulli_tensor(gen, p):
    """bernoulli_(p: Tensor), p in visiting order: U53 < p for double p, else U24 < float(p)."""
    if p.dtype == F64:
        return u53(gen, p.size) < p
    return u24(gen, p.size) < p.astype(F32)


def exponential(gen, n, lambd):
    """exponential_distribution<double>: (-1 / lambda) * log1p(-U53), two draws per element."""
    return (-1.0 / lambd) * libm(math.log1p, -u53(gen, n))


def multinomial(gen, probs, n_sample, replacement):
    """torch.multinomial over the rows of a 2-D float array; returns int64 (rows, n_sample).

    Without replacement, or for one sample: q = probs / Exp(1) noise (drawn like
    `empty_like(probs).exponential_(1)`, cast to probs' dtype), then argmax / top-k of q.
    With replacement: per row, the running sum normalised by its total (last entry set to 1),
    and for each sample the first index whose cumulative value is >= U53.
    """
    if not replacement or n_sample == 1:
        noise = np.empty_like(probs)
        write_in_order(noise, cast(exponential(gen, probs.size, 1.0), probs.dtype))
        q = cast(probs.astype(F32) / noise.astype(F32), probs.dtype) if probs.itemsize == 2 \
            else probs / noise
        if n_sample == 1:
            return np.argmax(q, axis=-1, keepdims=True)
        return np.argsort(-q.astype(F64), axis=-1, kind="stable")[:, :n_sample]
    out = np.empty((probs.shape[0], n_sample), np.int64)
    for i, row in enumerate(probs.astype(F32) if probs.itemsize == 2 else probs):
        cum = _normalised_cumsum(row)
        out[i] = np.searchsorted(cum.astype(F64), u53(gen, n_sample), side="left")
    return out


def _normalised_cumsum(row):
    """multinomial_with_replacement's per-row table, with its checks (made as it walks the row)."""
    if (row < 0).any():
        raise RuntimeError("invalid multinomial distribution (encountering probability entry < 0)")
    if not np.isfinite(row).all():
        raise RuntimeError("invalid multinomial distribution (encountering probability entry = "
                           "infinity or NaN)")
    cum = np.cumsum(row, dtype=row.dtype)
    if not cum[-1] > 0:
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    cum = cum / cum[-1]
    cum[-1] = 1
    return cum
