"""torch.optim.Adam: momentum (first moment) and RMSprop (second moment) with bias
correction (specs optim.Adam, optim.Adam.options).

For each parameter with gradient g at step t (g = -grad when maximize):
    p = p * (1 - lr * weight_decay)   (decoupled_weight_decay: AdamW), else g = g + wd * p
    m = lerp(m, g, 1 - beta1)                      the running mean of g
    v = beta2 * v + (1 - beta2) * g * g            the running mean of g^2
    v_max = max(v_max, v)                          (amsgrad; v_max replaces v below)
    denom = sqrt(v) / sqrt(1 - beta2^t) + eps
    p = p - (lr / (1 - beta1^t)) * m / denom
"""

import numpy as np

from .. import kernels
from . import _ops
from ._checks import check_betas, check_fused_foreach, check_lr, check_non_negative
from .optimizer import Optimizer, array, assign, full_like, grad_of, increment, scalar_tensor


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        check_lr(lr)
        check_non_negative("epsilon value", eps)
        check_betas(betas)
        check_non_negative("weight_decay value", weight_decay)
        betas = tuple(float(b) for b in betas)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)
        check_fused_foreach(fused, foreach, differentiable)

    def _init_state(self, p, amsgrad):
        state = self.state[p]
        if not state:
            state["step"] = scalar_tensor(0.0)
            state["exp_avg"] = full_like(p, 0)
            state["exp_avg_sq"] = full_like(p, 0)
            if amsgrad:
                state["max_exp_avg_sq"] = full_like(p, 0)
        return state

    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient; returns closure()'s loss."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, (beta1, beta2) = float(group["lr"]), group["betas"]
            wd, eps, amsgrad = group["weight_decay"], group["eps"], group["amsgrad"]
            for p in self._params_with_grad(group, type(self).__name__):
                state = self._init_state(p, amsgrad)
                t = increment(state["step"])
                if not amsgrad and _fused_step(p, state, group, t):
                    continue
                g = grad_of(p, group["maximize"])
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        assign(p, array(p) * _ops.scalar(1 - lr * wd, array(p)))
                    else:
                        g = _ops.add(g, array(p), wd)
                m, v = state["exp_avg"], state["exp_avg_sq"]
                assign(m, _ops.lerp(array(m), g, 1 - beta1))
                assign(v, _ops.addcmul(array(v) * _ops.scalar(beta2, array(v)), g, g,
                                       1 - beta2))
                step_size = lr / (1 - beta1 ** t)
                bias_correction2_sqrt = (1 - beta2 ** t) ** 0.5
                if amsgrad:
                    v_max = state["max_exp_avg_sq"]
                    assign(v_max, np.maximum(array(v_max), array(v)))
                    v = v_max
                denom = np.sqrt(array(v)) / _ops.scalar(bias_correction2_sqrt, array(v)) \
                    + _ops.scalar(eps, array(v))
                assign(p, _ops.addcdiv(array(p), array(m), denom, -step_size))
        return loss


def _fused_step(p, state, group, t):
    """With the numba kernel table, contiguous cpu tensors take the fused kernel of
    refimpl/kernels/numba/optim.py (same steps, same rounding, one pass). True if it ran."""
    if kernels.current() != "numba" or p.device.type != "cpu":
        return False
    from ..kernels.numba import optim as fused
    m, v = state["exp_avg"], state["exp_avg_sq"]
    arrays = [x._array for x in (p, p.grad, m, v)]
    if not fused.usable(*arrays):
        return False
    decoupled = group["decoupled_weight_decay"] and group["weight_decay"] != 0
    flat = [a.reshape(-1) for a in arrays]
    fused.adam_step(*flat, beta1=group["betas"][0], beta2=group["betas"][1],
                    lr=float(group["lr"]), weight_decay=group["weight_decay"], eps=group["eps"],
                    step=t, maximize=group["maximize"], decoupled=decoupled)
    for x in (p, p, m, v) if decoupled else (p, m, v):
        x._bump_version()
    return True
