"""torch.optim.RMSprop: divide the gradient by a running root mean square (spec optim.RMSprop).

For each parameter with gradient g:
    g = g + weight_decay * p
    v = alpha * v + (1 - alpha) * g * g
    centered: ga = lerp(ga, g, 1 - alpha); avg = sqrt(v - ga * ga) + eps
    otherwise: avg = sqrt(v) + eps
    momentum > 0: b = momentum * b + g / avg; p = p - lr * b
    otherwise:    p = p - lr * g / avg
"""

import numpy as np

from . import _ops
from ._checks import check_lr, check_non_negative
from .optimizer import Optimizer, array, assign, full_like, grad_of, increment, scalar_tensor


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        check_lr(lr)
        check_non_negative("epsilon value", eps)
        check_non_negative("momentum value", momentum)
        check_non_negative("weight_decay value", weight_decay)
        check_non_negative("alpha value", alpha)
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One RMSprop update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, alpha, momentum = float(group["lr"]), group["alpha"], group["momentum"]
            for p in self._params_with_grad(group, "RMSprop"):
                state = self.state[p]
                if not state:
                    state["step"] = scalar_tensor(0.0)
                    state["square_avg"] = full_like(p, 0)
                    if momentum > 0:
                        state["momentum_buffer"] = full_like(p, 0)
                    if group["centered"]:
                        state["grad_avg"] = full_like(p, 0)
                g = grad_of(p, group["maximize"])
                increment(state["step"])
                if group["weight_decay"] != 0:
                    g = _ops.add(g, array(p), group["weight_decay"])
                v = state["square_avg"]
                assign(v, _ops.addcmul(array(v) * _ops.scalar(alpha, array(v)), g, g,
                                       1 - alpha))
                if group["centered"]:
                    ga = state["grad_avg"]
                    assign(ga, _ops.lerp(array(ga), g, 1 - alpha))
                    avg = np.sqrt(_ops.addcmul(array(v), array(ga), array(ga), -1))
                else:
                    avg = np.sqrt(array(v))
                avg = avg + _ops.scalar(group["eps"], avg)
                if momentum > 0:
                    b = state["momentum_buffer"]
                    assign(b, _ops.addcdiv(array(b) * _ops.scalar(momentum, array(b)), g, avg))
                    assign(p, _ops.add(array(p), array(b), -lr))
                else:
                    assign(p, _ops.addcdiv(array(p), g, avg, -lr))
        return loss
