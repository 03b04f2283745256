"""torch.optim.Adamax: Adam with the infinity norm in place of the second moment
(spec optim.Adamax).

For each parameter with gradient g at step t:
    g = g + weight_decay * p
    m = lerp(m, g, 1 - beta1)
    u = max(beta2 * u, |g| + eps)
    p = p - (lr / (1 - beta1^t)) * m / u
"""

import numpy as np

from . import _ops
from ._checks import check_betas, check_lr, check_non_negative
from .optimizer import Optimizer, array, assign, full_like, grad_of, increment, scalar_tensor


class Adamax(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        check_lr(lr)
        check_non_negative("epsilon value", eps)
        check_betas(betas)
        check_non_negative("weight_decay value", weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Adamax update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, (beta1, beta2) = float(group["lr"]), group["betas"]
            for p in self._params_with_grad(group, "Adamax"):
                state = self.state[p]
                if not state:
                    state["step"] = scalar_tensor(0.0)
                    state["exp_avg"] = full_like(p, 0)
                    state["exp_inf"] = full_like(p, 0)
                g = grad_of(p, group["maximize"])
                t = increment(state["step"])
                if group["weight_decay"] != 0:
                    g = _ops.add(g, array(p), group["weight_decay"])
                m, u = state["exp_avg"], state["exp_inf"]
                assign(m, _ops.lerp(array(m), g, 1 - beta1))
                assign(u, np.maximum(array(u) * _ops.scalar(beta2, array(u)),
                                     np.abs(g) + _ops.scalar(group["eps"], g)))
                clr = lr / (1 - beta1 ** t)
                assign(p, _ops.addcdiv(array(p), array(m), array(u), -clr))
        return loss
