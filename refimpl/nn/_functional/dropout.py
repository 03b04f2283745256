"""nn.functional dropout family.

Spec nn.functional.dropout: in training, torch's CPU dropout draws a mask with
`bernoulli_(1 - p)` on `empty_like(input)` (same shape and strides; one value per channel, shape
(N, C, 1, ...), for the feature forms dropout1d/2d/3d), divides it by 1 - p and multiplies;
so with the same seed refimpl draws the same mask (refimpl's generator is torch's mt19937).
Outside training, or with p = 0, the input itself is returned; p = 1 multiplies by 0.
"""

import warnings

from ..._refs.creation import empty, empty_like, zeros

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout"]

_SELU_ALPHA_PRIME = 1.7580993408473766  # -scale * alpha of selu


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _apply(input, noise, inplace):
    return input.mul_(noise) if inplace else input * noise


def _dropout(input, p, training, inplace, feature):
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        return _apply(input, zeros((), dtype=input.dtype), inplace)
    # the mask has the input's layout (empty_like), so the draws land where torch's do;
    # the feature forms draw one value per (sample, channel)
    if feature:
        noise = empty((input.shape[0], input.shape[1]) + (1,) * (input.dim() - 2),
                      dtype=input.dtype)
    else:
        noise = empty_like(input)
    noise.bernoulli_(1 - p)
    noise.div_(1 - p)
    return _apply(input, noise, inplace)


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the rest by 1 / (1 - p)."""
    _check_p(p)
    return _dropout(input, p, training, inplace, feature=False)


def _unbatched(input, fn):
    out = fn(input.unsqueeze(0))
    return out.squeeze(0)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) input with probability p."""
    _check_p(p)
    if input.dim() not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a "
                           f"{input.dim()}D input. Note that dropout1d exists to provide "
                           "channel-wise dropout on inputs with 1 spatial dimension, a channel "
                           "dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    if input.dim() == 2:
        return _unbatched(input, lambda x: _dropout(x, p, training, False, True))
    return _dropout(input, p, training, inplace, True)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, H, W) input with probability p (3-D input is taken
    as (N, C, L), with torch's warning)."""
    _check_p(p)
    if input.dim() not in (3, 4):
        warnings.warn(f"dropout2d: Received a {input.dim()}-D input to dropout2d, which is "
                      "deprecated and will result in an error in a future release. To retain "
                      "the behavior and silence this warning, please use dropout instead. Note "
                      "that dropout2d exists to provide channel-wise dropout on inputs with 2 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension "
                      "(i.e. 3D or 4D inputs).", UserWarning, stacklevel=2)
    if input.dim() == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that "
                      "channel-wise 1D dropout behavior is desired - input is interpreted as "
                      "shape (N, C, L), where C is the channel dim. This behavior will change "
                      "in a future release to interpret the input as one without a batch "
                      "dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise "
                      "dropout behavior, please switch to using dropout1d instead.",
                      UserWarning, stacklevel=2)
    return _dropout(input, p, training, inplace, True)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability p."""
    _check_p(p)
    if input.dim() not in (4, 5):
        warnings.warn(f"dropout3d: Received a {input.dim()}-D input to dropout3d, which is "
                      "deprecated and will result in an error in a future release. To retain "
                      "the behavior and silence this warning, please use dropout instead. Note "
                      "that dropout3d exists to provide channel-wise dropout on inputs with 3 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension "
                      "(i.e. 4D or 5D inputs).", UserWarning, stacklevel=2)
    if input.dim() == 4:
        return _unbatched(input, lambda x: _dropout(x, p, training, False, True))
    return _dropout(input, p, training, inplace, True)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout for SELU networks: dropped elements are set to selu's negative saturation
    value and the result is rescaled (a, b) so mean and variance are kept."""
    _check_p(p)
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        return _apply(input, zeros((), dtype=input.dtype), inplace)
    noise = empty_like(input)
    noise.bernoulli_(1 - p)
    a = 1.0 / ((_SELU_ALPHA_PRIME ** 2 * p + 1) * (1 - p)) ** 0.5
    b = (noise - 1) * (_SELU_ALPHA_PRIME * a) + _SELU_ALPHA_PRIME * a * p
    noise = noise * a
    return _apply(input, noise, inplace) + b
