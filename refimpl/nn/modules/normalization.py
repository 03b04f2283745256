"""nn modules: LayerNorm, GroupNorm, InstanceNorm1d/2d/3d."""

import numbers

from ..._refs import creation
from .._functional.normalization import group_norm, instance_norm, layer_norm
from ..parameter import Parameter
from .batchnorm import _NormBase
from .module import Module

__all__ = ["LayerNorm", "GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]


class LayerNorm(Module):
    """nn.LayerNorm: normalizes the trailing normalized_shape dims; weight (ones) and bias
    (zeros) of that shape when elementwise_affine (bias only when bias=True)."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        _affine_parameters(self, self.normalized_shape, elementwise_affine, bias,
                           {"device": device, "dtype": dtype})

    def forward(self, input):
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine="
                f"{self.elementwise_affine}, bias={self.bias is not None}")


def _affine_parameters(module, shape, affine, bias, factory):
    """Register weight (ones) and bias (zeros) of `shape`, or None for each one left out, in
    torch's order (weight first)."""
    weight = Parameter(creation.ones(*shape, **factory)) if affine else None
    module.register_parameter("weight", weight)
    module.register_parameter("bias", Parameter(creation.zeros(*shape, **factory))
                              if affine and bias else None)


class GroupNorm(Module):
    """nn.GroupNorm: num_groups groups of the channels; per-channel weight and bias."""

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, bias=True, device=None,
                 dtype=None):
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError("num_channels must be divisible by num_groups")
        self.num_groups, self.num_channels, self.eps, self.affine = (num_groups, num_channels,
                                                                     eps, affine)
        _affine_parameters(self, (num_channels,), affine, bias,
                           {"device": device, "dtype": dtype})

    def forward(self, input):
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class _InstanceNorm(_NormBase):
    _nd = 2

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False,
                 track_running_stats=False, device=None, dtype=None):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype)

    def forward(self, input):
        nd = self._nd
        if input.dim() not in (nd + 1, nd + 2):
            raise ValueError(f"expected {nd + 1}D or {nd + 2}D input (got {input.dim()}D input)")
        if input.dim() == nd + 1:
            return self.forward(input.unsqueeze(0)).squeeze(0)
        return instance_norm(input, self.running_mean, self.running_var, self.weight, self.bias,
                             self.training or not self.track_running_stats,
                             self.momentum if self.momentum is not None else 0.0, self.eps)


class InstanceNorm1d(_InstanceNorm):
    """nn.InstanceNorm1d over (N, C, L) or (C, L)."""
    _nd = 1


class InstanceNorm2d(_InstanceNorm):
    """nn.InstanceNorm2d over (N, C, H, W) or (C, H, W)."""
    _nd = 2


class InstanceNorm3d(_InstanceNorm):
    """nn.InstanceNorm3d."""
    _nd = 3
