"""torch.optim.ASGD: averaged stochastic gradient descent (spec optim.ASGD).

State per parameter: 'step', 'eta' (the current step size, lr at first), 'mu' (the averaging
weight, 1 at first) and 'ax' (the running average of the parameter). At step t with gradient g:
    g = g + weight_decay * p
    p = p * (1 - lambd * eta);  p = p - eta * g
    ax = p while mu == 1, else ax = ax + mu * (p - ax)
    eta = lr / (1 + lambd * lr * t) ** alpha;  mu = 1 / max(1, t - t0)
"""

from . import _ops
from ._checks import check_lr, check_non_negative
from .optimizer import Optimizer, array, assign, full_like, grad_of, increment, scalar_tensor, value


class ASGD(Optimizer):
    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        check_lr(lr)
        check_non_negative("weight_decay value", weight_decay)
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One ASGD update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, lambd, alpha, t0 = float(group["lr"]), group["lambd"], group["alpha"], group["t0"]
            for p in self._params_with_grad(group, "ASGD"):
                state = self.state[p]
                if not state:
                    state["step"] = scalar_tensor(0.0)
                    state["eta"] = scalar_tensor(lr)
                    state["mu"] = scalar_tensor(1.0)
                    state["ax"] = full_like(p, 0)
                g = grad_of(p, group["maximize"])
                t = increment(state["step"])
                if group["weight_decay"] != 0:
                    g = _ops.add(g, array(p), group["weight_decay"])
                eta = value(state["eta"])
                assign(p, array(p) * _ops.scalar(1 - lambd * eta, array(p)))
                assign(p, _ops.add(array(p), g, -eta))
                ax, mu = state["ax"], state["mu"]
                if value(mu) != 1:
                    assign(ax, array(ax) + (array(p) - array(ax)) * array(mu))
                else:
                    assign(ax, array(p))
                assign(state["eta"], lr / ((1 + lambd * lr * t) ** alpha))
                assign(mu, 1 / max(1, t - t0))
        return loss
