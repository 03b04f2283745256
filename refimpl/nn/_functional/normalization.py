"""torch.nn.functional: batch, instance, layer and group normalization; normalize.

The statistics and their gradients are in refimpl/_refs/nnlayers.py (torch.batch_norm,
torch.layer_norm, ...); these are the functional signatures and their argument checks.
"""

import math

from ..._refs.nnlayers import batch_norm as _batch_norm
from ..._refs.nnlayers import group_norm as _group_norm
from ..._refs.nnlayers import instance_norm as _instance_norm
from ..._refs.nnlayers import layer_norm as _layer_norm

__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "normalize"]


def _values_per_channel(input):
    return math.prod(input.shape[:1] + input.shape[2:])


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """F.batch_norm: per-channel normalization; in training the batch statistics are used and
    the running ones (if given) updated; in eval the running ones are used. Spec nn.BatchNorm."""
    if training and _values_per_channel(input) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                         f"{input.size()}")
    return _batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """F.instance_norm: each channel of each sample normalized over its spatial dims."""
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size "
                         f"{input.size()}")
    return _instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
                          momentum, eps)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """F.layer_norm: normalization over the trailing normalized_shape dims."""
    return _layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """F.group_norm: normalization over groups of channels of each sample."""
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.dim()}")
    return _group_norm(input, num_groups, weight, bias, eps)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """F.normalize: input / max(||input||_p along dim, eps), written as torch writes it: the
    p-norm (keepdim) clamped below at eps and expanded, then a division. So the gradient is
    the composite's: ties of the inf-norm share it, and where the norm is below eps the
    denominator is a constant. Spec nn.functional.layers.normalize."""
    from ..._refs.pointwise import div
    denom = input.norm(p, dim, keepdim=True).clamp(min=eps).expand_as(input)
    if out is not None:
        return div(input, denom, out=out)
    return input / denom
