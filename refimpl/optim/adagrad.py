"""torch.optim.Adagrad: per-element learning rates from the sum of squared gradients
(spec optim.Adagrad).

State is created in the constructor ('step' 0 and 'sum' filled with
initial_accumulator_value). For each parameter with gradient g at step t:
    g = g + weight_decay * p
    clr = lr / (1 + (t - 1) * lr_decay)
    sum = sum + g * g
    p = p - clr * g / (sqrt(sum) + eps)
"""

import numpy as np

from . import _ops
from ._checks import check_fused_foreach, check_lr, check_non_negative
from .optimizer import Optimizer, array, assign, full_like, grad_of, increment, scalar_tensor


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_lr(lr)
        check_non_negative("lr_decay value", lr_decay)
        check_non_negative("weight_decay value", weight_decay)
        check_non_negative("initial_accumulator_value value", initial_accumulator_value)
        check_non_negative("epsilon value", eps)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        check_fused_foreach(fused, foreach, differentiable)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = scalar_tensor(0.0)
                state["sum"] = full_like(p, initial_accumulator_value)

    def step(self, closure=None):
        """One Adagrad update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            for p in self._params_with_grad(group, "Adagrad"):
                state = self.state[p]
                t = increment(state["step"])
                g = grad_of(p, group["maximize"])
                if group["weight_decay"] != 0:
                    g = _ops.add(g, array(p), group["weight_decay"])
                clr = lr / (1 + (t - 1) * group["lr_decay"])
                s = state["sum"]
                assign(s, _ops.addcmul(array(s), g, g, 1))
                std = np.sqrt(array(s)) + _ops.scalar(group["eps"], array(s))
                assign(p, _ops.addcdiv(array(p), g, std, -clr))
        return loss
