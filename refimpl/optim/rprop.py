"""torch.optim.Rprop: resilient backpropagation, steps from the sign of the gradient only
(spec optim.Rprop).

State per parameter: 'prev' (the previous gradient, 0 at first) and 'step_size' (lr at first).
For each element, with s = sign(g * prev):
    s > 0: step_size *= etaplus;  s < 0: step_size *= etaminus and g is taken as 0
    step_size is clamped to [step_sizes[0], step_sizes[1]]
    p = p - sign(g) * step_size;  prev = g
"""

import numpy as np

from . import _ops
from ._checks import check_lr
from .optimizer import Optimizer, array, assign, full_like, grad_of, increment, scalar_tensor


class Rprop(Optimizer):
    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Rprop update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            (etaminus, etaplus), (lo, hi) = group["etas"], group["step_sizes"]
            for p in self._params_with_grad(group, "Rprop"):
                state = self.state[p]
                if not state:
                    state["step"] = scalar_tensor(0.0)
                    state["prev"] = full_like(p, 0)
                    state["step_size"] = full_like(p.grad, float(group["lr"]))
                g = grad_of(p, group["maximize"])
                increment(state["step"])
                prev, step_size = state["prev"], state["step_size"]
                s = np.sign(g * array(prev))
                flipped = s < 0
                factor = np.where(s > 0, _ops.scalar(etaplus, s),
                                  np.where(flipped, _ops.scalar(etaminus, s),
                                           np.where(s == 0, np.ones_like(s), s)))
                ss = array(step_size) * factor
                assign(step_size, np.minimum(np.maximum(ss, _ops.scalar(lo, ss)),
                                             _ops.scalar(hi, ss)))
                g = np.where(flipped, np.zeros_like(g), g)
                assign(p, _ops.addcmul(array(p), np.sign(g), array(step_size), -1))
                assign(prev, g)
        return loss
