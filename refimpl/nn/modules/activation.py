"""Activation modules: each holds its settings and calls the functional form.

Specs: nn.activations in specs/torch.nn.toml. The reprs are torch's (extra_repr).
"""

from ..._refs.creation import empty
from .. import init
from .._functional import activation as F
from ..parameter import Parameter
from .module import Module

__all__ = ["ReLU", "ReLU6", "ELU", "SELU", "CELU", "LeakyReLU", "PReLU", "GELU", "SiLU",
           "Mish", "Softplus", "Softsign", "Tanh", "Sigmoid", "Hardtanh", "Hardsigmoid",
           "Hardswish", "LogSigmoid", "Tanhshrink", "Softshrink", "Hardshrink", "Threshold",
           "Softmax", "LogSoftmax", "Softmin", "Softmax2d", "GLU"]


def _inplace_repr(inplace):
    return "inplace=True" if inplace else ""


class _Stateless(Module):
    """An activation with no settings: forward is `fn(input)`."""

    fn = None

    def forward(self, input):
        return type(self).fn(input)


class _InplaceOption(Module):
    """An activation whose only setting is `inplace`."""

    fn = None

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return type(self).fn(input, inplace=self.inplace)

    def extra_repr(self):
        return _inplace_repr(self.inplace)


class ReLU(_InplaceOption):
    """max(x, 0)."""
    fn = staticmethod(F.relu)


class SELU(_InplaceOption):
    fn = staticmethod(F.selu)


class SiLU(_InplaceOption):
    fn = staticmethod(F.silu)


class Mish(_InplaceOption):
    fn = staticmethod(F.mish)


class Hardsigmoid(_InplaceOption):
    fn = staticmethod(F.hardsigmoid)


class Hardswish(_InplaceOption):
    fn = staticmethod(F.hardswish)


class Tanh(_Stateless):
    fn = staticmethod(F.tanh)


class Sigmoid(_Stateless):
    fn = staticmethod(F.sigmoid)


class Softsign(_Stateless):
    fn = staticmethod(F.softsign)


class LogSigmoid(_Stateless):
    fn = staticmethod(F.logsigmoid)


class Tanhshrink(_Stateless):
    fn = staticmethod(F.tanhshrink)


class Hardtanh(Module):
    """x clamped to [min_val, max_val]."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        super().__init__()
        if max_val <= min_val:
            raise AssertionError("max_val must be greater than min_val")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        s = f"min_val={self.min_val}, max_val={self.max_val}"
        return s + (", inplace=True" if self.inplace else "")


class ReLU6(Hardtanh):
    """min(max(x, 0), 6): Hardtanh(0, 6)."""

    def __init__(self, inplace=False):
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self):
        return _inplace_repr(self.inplace)


class ELU(Module):
    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input):
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class CELU(ELU):
    def forward(self, input):
        return F.celu(input, self.alpha, self.inplace)


class LeakyReLU(Module):
    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace
                                                          else "")


class PReLU(Module):
    """max(0, x) + a min(0, x) with a learnable `a` (one, or one per channel), init 0.25."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        init.constant_(self.weight, self.init)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class GELU(Module):
    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class Softshrink(Module):
    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return F.softshrink(input, self.lambd)

    def extra_repr(self):
        return str(self.lambd)


class Hardshrink(Softshrink):
    def forward(self, input):
        return F.hardshrink(input, self.lambd)


class Threshold(Module):
    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self):
        return f"threshold={self.threshold}, value={self.value}" + (
            ", inplace=True" if self.inplace else "")


class _SoftmaxLike(Module):
    fn = None

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return type(self).fn(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_SoftmaxLike):
    """softmax along `dim`. Spec nn.Softmax."""
    fn = staticmethod(F.softmax)


class LogSoftmax(_SoftmaxLike):
    fn = staticmethod(F.log_softmax)


class Softmin(_SoftmaxLike):
    fn = staticmethod(F.softmin)


class Softmax2d(Module):
    """softmax over the channel dim (-3) of (N, C, H, W) or (C, H, W) input."""

    def forward(self, input):
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D "
                             "instead")
        return F.softmax(input, -3, _stacklevel=5)


class GLU(Module):
    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"
