"""torch.optim.NAdam: Adam with Nesterov momentum and momentum decay.

State: 'step', 'mu_product' (the product of the momentum coefficients so far, a 0-dim
tensor), 'exp_avg', 'exp_avg_sq'. At step t with gradient g:
    g = g + weight_decay * p   (or p *= 1 - lr * weight_decay with decoupled_weight_decay)
    mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay)); mu_{t+1} likewise
    mu_product = mu_product * mu_t
    m = lerp(m, g, 1 - beta1);  v = beta2 * v + (1 - beta2) * g * g
    denom = sqrt(v / (1 - beta2^t)) + eps
    p = p - lr * (1 - mu_t) / (1 - mu_product) * g / denom
    p = p - lr * mu_{t+1} / (1 - mu_product * mu_{t+1}) * m / denom
"""

import numpy as np

from . import _ops
from ._checks import check_betas, check_lr, check_non_negative
from .optimizer import Optimizer, array, assign, full_like, grad_of, increment, scalar_tensor, value


class NAdam(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        check_lr(lr)
        check_non_negative("epsilon value", eps)
        check_betas(betas)
        check_non_negative("weight_decay value", weight_decay)
        check_non_negative("momentum_decay value", momentum_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One NAdam update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), wd = float(group["lr"]), group["betas"], group["weight_decay"]
            for p in self._params_with_grad(group, "NAdam"):
                state = self.state[p]
                if not state:
                    state["step"] = scalar_tensor(0.0)
                    state["mu_product"] = scalar_tensor(1.0)
                    state["exp_avg"] = full_like(p, 0)
                    state["exp_avg_sq"] = full_like(p, 0)
                g = grad_of(p, group["maximize"])
                t = increment(state["step"])
                bias_correction2 = 1 - beta2 ** t
                if wd != 0:
                    if group["decoupled_weight_decay"]:
                        assign(p, array(p) * _ops.scalar(1 - lr * wd, array(p)))
                    else:
                        g = _ops.add(g, array(p), wd)
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (t * group["momentum_decay"])))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * group["momentum_decay"])))
                mu_product = state["mu_product"]
                assign(mu_product, array(mu_product) * _ops.scalar(mu, array(mu_product)))
                m, v = state["exp_avg"], state["exp_avg_sq"]
                assign(m, _ops.lerp(array(m), g, 1 - beta1))
                assign(v, _ops.addcmul(array(v) * _ops.scalar(beta2, array(v)), g, g,
                                       1 - beta2))
                denom = np.sqrt(array(v) / _ops.scalar(bias_correction2, array(v)))
                denom = denom + _ops.scalar(group["eps"], denom)
                mu_product_next = value(mu_product) * mu_next
                assign(p, _ops.addcdiv(array(p), g, denom,
                                       -lr * (1.0 - mu) / (1.0 - value(mu_product))))
                assign(p, _ops.addcdiv(array(p), array(m), denom,
                                       (-lr * mu_next) / (1.0 - mu_product_next)))
        return loss
