"""Gradient clipping. Spec nn.utils.clip-grad-norm, nn.utils.clip-grad-value."""

import math

import numpy as np

from ..._refs.creation import tensor as _tensor
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def _norm(values, norm_type):
    if math.isinf(norm_type):
        return np.max(np.abs(values)) if values.size else 0.0
    return np.sum(np.abs(values) ** norm_type) ** (1.0 / norm_type)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Scale all gradients together so that their total norm (the norm of the vector of
    per-gradient norms) is at most max_norm: each is multiplied by
    min(1, max_norm / (total + 1e-6)). Returns the total norm before clipping."""
    grads = _grads(parameters)
    norm_type = float(norm_type)
    if not grads:
        return _tensor(0.0)
    dtype = grads[0].dtype
    per = np.array([_norm(g.detach().numpy().astype(np.float64), norm_type) for g in grads])
    total = float(np.asarray(_norm(per, norm_type), dtype.np))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
            "by the non-finite norm anyway, set `error_if_nonfinite=False`")
    coef = float(np.asarray(max_norm / (np.asarray(total, dtype.np) + 1e-6), dtype.np))
    with no_grad():
        for g in grads:
            g.mul_(min(coef, 1.0))
    return _tensor(total, dtype=dtype)


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element into [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    with no_grad():
        for g in _grads(parameters):
            g._xp.copy_(g._array, np.clip(g._array, -clip_value, clip_value))
            g._bump_version()
