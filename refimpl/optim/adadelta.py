"""torch.optim.Adadelta: steps scaled by the ratio of running RMS of updates and of gradients
(spec optim.Adadelta).

For each parameter with gradient g:
    g = g + weight_decay * p
    v = rho * v + (1 - rho) * g * g
    delta = sqrt(u + eps) / sqrt(v + eps) * g
    u = rho * u + (1 - rho) * delta * delta
    p = p - lr * delta
"""

import numpy as np

from . import _ops
from ._checks import check_lr, check_non_negative
from .optimizer import Optimizer, array, assign, full_like, grad_of, increment, scalar_tensor


class Adadelta(Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_non_negative("epsilon value", eps)
        check_non_negative("weight_decay value", weight_decay)
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Adadelta update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, rho = float(group["lr"]), group["rho"]
            for p in self._params_with_grad(group, "Adadelta"):
                state = self.state[p]
                if not state:
                    state["step"] = scalar_tensor(0.0)
                    state["square_avg"] = full_like(p, 0)
                    state["acc_delta"] = full_like(p, 0)
                increment(state["step"])
                g = grad_of(p, group["maximize"])
                if group["weight_decay"] != 0:
                    g = _ops.add(g, array(p), group["weight_decay"])
                v, u = state["square_avg"], state["acc_delta"]
                eps = _ops.scalar(group["eps"], g)
                assign(v, _ops.addcmul(array(v) * _ops.scalar(rho, array(v)), g, g, 1 - rho))
                std = np.sqrt(array(v) + eps)
                delta = np.sqrt(array(u) + eps) / std * g
                assign(u, _ops.addcmul(array(u) * _ops.scalar(rho, array(u)), delta, delta,
                                       1 - rho))
                assign(p, _ops.add(array(p), delta, -lr))
        return loss
