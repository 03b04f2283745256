"""Fused optimizer updates (Numba, CPU): the Adam/AdamW step in one pass.

Optimises: one loop over the parameter, its gradient and both moments with no temporaries
(the readable NumPy rule in refimpl/optim/adam.py makes about ten full-size arrays per
step), threaded for large parameters. It performs the same elementwise steps in the same
order, with torch's fused multiply-adds for lerp and addcmul computed exactly in float64 for
float32 data, so results equal the NumPy rule's. Contiguous float32/float64 arrays only;
refimpl/optim/adam.py calls it only for those (amsgrad keeps the NumPy rule).
"""

import numba
import numpy as np

_PARALLEL_MIN = 1 << 15


@numba.njit(cache=True, inline="always")
def _fma(a, b, c, like):
    """a * b + c rounded once to the dtype of `like` (exact product in float64)."""
    return type(like)(np.float64(a) * np.float64(b) + np.float64(c))


@numba.njit(cache=True, inline="always")
def _adam_element(p, g, m, v, i, maximize, wd, decay_mul, w_m, w_m_small, one_minus_w_m,
                  beta2, w_v, bc2_sqrt, eps, neg_step):
    gi = -g[i] if maximize else g[i]
    pi = p[i]
    if decay_mul != 1:                       # decoupled weight decay: p *= 1 - lr * wd
        pi = pi * decay_mul
    elif wd != 0:                            # g = g + wd * p
        gi = _fma(pi, wd, gi, gi)
    diff = gi - m[i]                         # m = lerp(m, g, 1 - beta1)
    if w_m_small:
        mi = _fma(w_m, diff, m[i], gi)
    else:
        mi = _fma(-diff, one_minus_w_m, gi, gi)
    vi = _fma(w_v * gi, gi, v[i] * beta2, gi)    # v = beta2 * v + (1 - beta2) * g * g
    denom = np.sqrt(vi) / bc2_sqrt + eps
    p[i] = pi + (neg_step * mi) / denom      # p = p + (-step_size * m) / denom
    m[i] = mi
    v[i] = vi


@numba.njit(cache=True)
def _adam_serial(p, g, m, v, maximize, wd, decay_mul, w_m, w_m_small, one_minus_w_m, beta2,
                 w_v, bc2_sqrt, eps, neg_step):
    for i in range(p.size):
        _adam_element(p, g, m, v, i, maximize, wd, decay_mul, w_m, w_m_small, one_minus_w_m,
                      beta2, w_v, bc2_sqrt, eps, neg_step)


@numba.njit(cache=True, parallel=True)
def _adam_parallel(p, g, m, v, maximize, wd, decay_mul, w_m, w_m_small, one_minus_w_m, beta2,
                   w_v, bc2_sqrt, eps, neg_step):
    for i in numba.prange(p.size):
        _adam_element(p, g, m, v, i, maximize, wd, decay_mul, w_m, w_m_small, one_minus_w_m,
                      beta2, w_v, bc2_sqrt, eps, neg_step)


def adam_step(p, g, m, v, *, beta1, beta2, lr, weight_decay, eps, step, maximize, decoupled):
    """Adam's update of flat contiguous arrays p, m, v (in place) from gradient g."""
    dt = p.dtype.type
    decay_mul = dt(1 - lr * weight_decay) if decoupled and weight_decay != 0 else dt(1)
    w_m = 1 - beta1
    args = (p, g, m, v, maximize, dt(0 if decoupled else weight_decay), decay_mul, dt(w_m),
            abs(w_m) < 0.5, dt(1) - dt(w_m), dt(beta2), dt(1 - beta2),
            dt((1 - beta2 ** step) ** 0.5), dt(eps), dt(-(lr / (1 - beta1 ** step))))
    (_adam_parallel if p.size >= _PARALLEL_MIN else _adam_serial)(*args)


def usable(*arrays):
    """Whether the fused kernel applies: float32/float64 C-contiguous arrays of one dtype."""
    dtype = arrays[0].dtype
    return dtype in (np.float32, np.float64) and all(
        a.dtype == dtype and a.flags.c_contiguous for a in arrays)
