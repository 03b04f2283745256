"""torch.nn.functional: max, average, adaptive pooling and max unpooling.

Spec nn.functional.pooling: max_poolNd (kernel_size, stride = kernel_size by default,
padding, dilation, ceil_mode, return_indices), avg_poolNd (count_include_pad,
divisor_override), adaptive_{avg,max}_poolNd (output size per dim, None keeps the input's).
"""

import numpy as np

from ..._refs.nnlayers import (
    _wrap,
    adaptive_avg_pool1d,
    adaptive_avg_pool_nd,
    adaptive_max_pool_nd,
    avg_pool1d,
    avg_pool_nd,
    max_pool1d_with_indices,
    max_pool_nd,
    ntuple,
)
from ..._refs.nnlayers import (
    adaptive_max_pool1d as _adaptive_max_pool1d_pair,
)
from ..._refs.views import record

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
           "max_pool2d_with_indices", "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d",
           "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
           "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
           "max_unpool1d", "max_unpool2d", "max_unpool3d"]


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """F.max_pool1d; with return_indices, (values, indices) as torch."""
    out = max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return out if return_indices else out[0]


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=True):
    return max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, 2)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=True):
    return max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, 3)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """F.max_pool2d: the max of each (dilated) window; the gradient flows to the max."""
    out = max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, 2)
    return out if return_indices else out[0]


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """F.max_pool3d."""
    out = max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, 3)
    return out if return_indices else out[0]


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """F.avg_pool2d: the mean of each window (padding counts as zeros when
    count_include_pad; divisor_override replaces the window size)."""
    return avg_pool_nd(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                       divisor_override, 2)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """F.avg_pool3d."""
    return avg_pool_nd(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                       divisor_override, 3)


def _list_with_default(output_size, input):
    """A list/tuple output_size needs more input dims than it has entries (ValueError
    otherwise); None entries take the input's size there."""
    if not isinstance(output_size, (list, tuple)):
        return output_size
    if input.dim() <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    sizes = input.shape[-len(output_size):]
    return [s if v is None else v for v, s in zip(output_size, sizes)]


def adaptive_avg_pool2d(input, output_size):
    """F.adaptive_avg_pool2d: output (H_out, W_out) whatever the input size."""
    return adaptive_avg_pool_nd(input, _list_with_default(output_size, input), 2)


def adaptive_avg_pool3d(input, output_size):
    return adaptive_avg_pool_nd(input, _list_with_default(output_size, input), 3)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """F.adaptive_max_pool2d."""
    out = adaptive_max_pool_nd(input, output_size, 2)
    return out if return_indices else out[0]


def adaptive_max_pool3d(input, output_size, return_indices=False):
    out = adaptive_max_pool_nd(input, output_size, 3)
    return out if return_indices else out[0]


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """F.adaptive_max_pool1d."""
    out = _adaptive_max_pool1d_pair(input, output_size)
    return out if return_indices else out[0]


def _max_unpool(input, indices, kernel_size, stride, padding, output_size, nd):
    """Places each value at its index in a zero (N, C, *out) tensor; out defaults to
    (in - 1) * stride - 2 * padding + kernel_size. The gradient reads the output gradient at
    the indices."""
    kernel = ntuple(kernel_size, nd)
    stride = kernel if stride is None else ntuple(stride, nd, "stride")
    padding = ntuple(padding, nd, "padding")
    spatial = input.shape[-nd:]
    if output_size is None:
        out = tuple((spatial[i] - 1) * stride[i] - 2 * padding[i] + kernel[i] for i in range(nd))
    else:
        out = tuple(output_size)[-nd:]
    batched = input.dim() == nd + 2
    x = input._array if batched else input._array[None]
    idx = indices._array if batched else indices._array[None]
    size = int(np.prod(out))
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        bad = int(idx.max() if idx.max() >= size else idx.min())
        raise RuntimeError(f"Found an invalid max index: {bad} (output volumes are of size "
                           f"{'x'.join(map(str, out))}")
    xp = input._xp
    y = xp.scatter_flat(x, idx, out)
    result = _wrap(y if batched else y[0], input)

    def backward(grads):
        g = xp.astype(grads[0]._array, input.dtype.np)
        gx = xp.gather_flat(g if batched else g[None], idx)
        return [_wrap(gx if batched else gx[0], input)]

    return record(f"MaxUnpool{nd}DBackward0", [input], result, backward)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """F.max_unpool1d: the partial inverse of max_pool1d."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """F.max_unpool2d: the partial inverse of max_pool2d (non-maximal values are zeros)."""
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(input, indices, kernel_size, stride, padding, output_size, 3)

