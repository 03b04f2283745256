"""torch.optim.RAdam: Adam whose adaptive term is switched on (and rectified) only once the
variance of the adaptive learning rate is tractable.

At step t with gradient g:
    g = g + weight_decay * p   (or p *= 1 - lr * weight_decay with decoupled_weight_decay)
    m = lerp(m, g, 1 - beta1);  v = beta2 * v + (1 - beta2) * g * g
    rho_inf = 2 / (1 - beta2) - 1;  rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
    rho_t > 5: p = p - m / (1 - beta1^t) * lr * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r_t
               with r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
    otherwise: p = p - m / (1 - beta1^t) * lr
"""

import numpy as np

from . import _ops
from ._checks import check_betas, check_lr, check_non_negative
from .optimizer import Optimizer, array, assign, full_like, grad_of, increment, scalar_tensor


class RAdam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        check_lr(lr)
        check_non_negative("epsilon value", eps)
        check_betas(betas)
        check_non_negative("weight_decay value", weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One RAdam update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), wd = float(group["lr"]), group["betas"], group["weight_decay"]
            for p in self._params_with_grad(group, "RAdam"):
                state = self.state[p]
                if not state:
                    state["step"] = scalar_tensor(0.0)
                    state["exp_avg"] = full_like(p, 0)
                    state["exp_avg_sq"] = full_like(p, 0)
                g = grad_of(p, group["maximize"])
                t = increment(state["step"])
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        assign(p, array(p) * _ops.scalar(1 - lr * wd, array(p)))
                    else:
                        g = _ops.add(g, array(p), wd)
                m, v = state["exp_avg"], state["exp_avg_sq"]
                assign(m, _ops.lerp(array(m), g, 1 - beta1))
                assign(v, _ops.addcmul(array(v) * _ops.scalar(beta2, array(v)), g, g,
                                       1 - beta2))
                bias_correction1, bias_correction2 = 1 - beta1 ** t, 1 - beta2 ** t
                update = array(m) / _ops.scalar(bias_correction1, array(m)) \
                    * _ops.scalar(lr, array(m))
                rho_inf = 2 / (1 - beta2) - 1
                rho_t = rho_inf - 2 * t * (beta2 ** t) / bias_correction2
                if rho_t > 5.0:
                    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                            / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                    root = np.sqrt(array(v))
                    root = root + _ops.scalar(group["eps"], root)
                    # scalar / tensor is reciprocal(tensor) * scalar in torch
                    adaptive = np.asarray(1, root.dtype) / root \
                        * _ops.scalar(bias_correction2 ** 0.5, root)
                    update = update * adaptive * _ops.scalar(rect, update)
                assign(p, array(p) - update)
        return loss
