"""The elementwise steps of torch's optimizer updates, rounded as torch's CPU kernels round them.

Optimizers are written as sequences of these steps on NumPy arrays, in the order torch's
single-tensor (foreach=False) implementations use, so that float32 results round like torch's.
What was measured on torch 2.13 (x86-64, AVX2 kernels):

- a Python scalar joins a float32 tensor op as a float32 value (`a.mul(0.9)` is a * f32(0.9));
- `a.add(b, alpha=s)`, `a.lerp(b, w)` and `a.addcmul(b, c, value=s)` are fused multiply-adds:
  one rounding of the exact a + s*b, a + w*(b - a), a + (s*b)*c;
- `a.addcdiv(b, c, value=s)` rounds each step: a + ((s*b) / c);
- float32 `sqrt` is not always correctly rounded in torch (it is off by one ulp for about one
  element in six); NumPy's is, so optimizers that take square roots agree with torch within
  float32 tolerance rather than bit for bit.

A float32 fused multiply-add is computed exactly in float64 (the product of two float32
numbers fits in a double) and rounded once more to float32. float64 arrays use two roundings;
the difference is below the float64 tolerance.
"""

import numpy as np


def scalar(x, like):
    """A Python number as it joins an op on the array `like` (cast to its dtype)."""
    return np.asarray(x, dtype=like.dtype)


def fma(a, b, c):
    """a * b + c with a single rounding, as torch's vectorised CPU kernels compute it."""
    a, b, c = np.asarray(a), np.asarray(b), np.asarray(c)
    dtype = np.result_type(a, b, c)
    if dtype == np.float32:
        wide = a.astype(np.float64) * b.astype(np.float64) + c.astype(np.float64)
        return wide.astype(np.float32)
    return a * b + c


def add(a, b, alpha=1):
    """torch.add(a, b, alpha=alpha): a + alpha * b."""
    if alpha == 1:
        return a + b
    return fma(b, scalar(alpha, a), a)


def lerp(a, b, weight):
    """torch.lerp(a, b, weight): a + weight * (b - a), computed from the nearer end."""
    w = scalar(weight, a)
    diff = b - a
    if abs(weight) < 0.5:
        return fma(w, diff, a)
    return fma(-diff, np.asarray(1, a.dtype) - w, b)


def addcmul(a, b, c, value=1):
    """torch.addcmul(a, b, c, value=value): a + value * b * c."""
    return fma(scalar(value, a) * b, c, a)


def addcdiv(a, b, c, value=1):
    """torch.addcdiv(a, b, c, value=value): a + value * b / c."""
    return a + (scalar(value, a) * b) / c
