"""torch.optim.SGD: stochastic gradient descent with momentum, dampening, Nesterov momentum,
weight decay and maximize (specs optim.SGD, optim.SGD.momentum, optim.SGD.errors).

For each parameter with a gradient g (g = -grad when maximize):
    g = g + weight_decay * p                        (when weight_decay != 0)
    b = g (first step), else b = momentum * b + (1 - dampening) * g   (when momentum != 0)
    g = g + momentum * b (nesterov), else g = b
    p = p - lr * g
"""

from . import _ops
from ._checks import check_fused_foreach, check_lr, check_non_negative
from .optimizer import Optimizer, array, assign, clone, grad_of


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        check_lr(lr)
        check_non_negative("momentum value", momentum)
        check_non_negative("weight_decay value", weight_decay)
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                        foreach=foreach, differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        check_fused_foreach(fused, foreach, differentiable)

    def step(self, closure=None):
        """One SGD update of every parameter that has a gradient; returns closure()'s loss."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, momentum = float(group["lr"]), group["momentum"]
            for p in self._params_with_grad(group, "SGD"):
                g = grad_of(p, group["maximize"])
                if group["weight_decay"] != 0:
                    g = _ops.add(g, array(p), group["weight_decay"])
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = clone(p.grad)
                        assign(buf, g)
                        buf._version_counter.value = 0
                    else:
                        b = _ops.scalar(momentum, array(buf)) * array(buf)
                        assign(buf, _ops.add(b, g, 1 - group["dampening"]))
                    g = _ops.add(g, array(buf), momentum) if group["nesterov"] else array(buf)
                assign(p, _ops.add(array(p), g, -lr))
        return loss
