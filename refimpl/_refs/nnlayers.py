"""torch.* forms of the nn layers: convolution, pooling, normalization, recurrent layers.

Each op checks its arguments as torch does, computes with the kernel table (`xp.conv`,
`xp.max_pool`, ...: numpy_ref_nn is the readable reference), and records one autograd node
named as torch names it (ConvolutionBackward0, MaxPool2DWithIndicesBackward0,
NativeBatchNormBackward0, ...) whose backward is the matching gradient kernel. The gradient
tensors these nodes return do not themselves record a graph (no double backward).
nn.functional builds on these (spec nn.functional.convolution, nn.functional.pooling).
"""

import math

from .._tensor import Tensor, scalar_type_name
from ..autograd.grad_mode import is_grad_enabled
from .views import record

__all__ = [
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "avg_pool1d",
    "adaptive_avg_pool1d", "adaptive_max_pool1d", "batch_norm", "layer_norm", "group_norm",
    "instance_norm",
    "rnn_tanh_cell", "rnn_relu_cell", "lstm_cell", "gru_cell", "pixel_shuffle",
    "pixel_unshuffle", "channel_shuffle", "constant_pad_nd",
]


# -- helpers -----------------------------------------------------------------------------------


def _wrap(array, like, dtype=None):
    """A new tensor owning `array`, on the device of `like`, of `like`'s dtype by default."""
    dtype = dtype or like._dtype
    xp = like._xp
    return Tensor._from_array(xp.adopt(array, dtype.np), dtype, like._device)


def _grad_array(g, like):
    return like._xp.astype(g._array, like._dtype.np)


def ntuple(value, n, name="kernel_size"):
    """An int or a sequence as an n-tuple of ints (torch's _single/_pair/_triple)."""
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return tuple(value) * n
        if len(value) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} "
                               f"values to match the convolution dimensions, but got "
                               f"{name}={list(value)}")
        return tuple(int(v) for v in value)
    return (int(value),) * n


def _type_name(dtype):
    return {"Float": "float", "Double": "double", "Half": "c10::Half",
            "BFloat16": "c10::BFloat16"}.get(scalar_type_name(dtype), scalar_type_name(dtype))


def _spatial_input(name, input, nd):
    """The input as a batched array (N, C, *spatial) and whether it was unbatched."""
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{name}, but got input of size: {list(input.shape)}")
    array = input._array
    return (array[None], True) if input.dim() == nd + 1 else (array, False)


# -- convolution -------------------------------------------------------------------------------


def _check_conv(name, input, weight, bias, stride, padding, dilation, groups, nd, transposed):
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor):
        bad = "input" if not isinstance(input, Tensor) else "weight"
        raise TypeError(f"{name}() argument '{bad}' must be Tensor, not "
                        f"{type(input if bad == 'input' else weight).__name__}")
    if weight.dim() != nd + 2:
        raise RuntimeError("weight should have at least three dimensions" if weight.dim() < 3
                           else f"Expected {nd + 2}-dimensional weight for {nd + 2}-dimensional "
                                f"input, but got weight of size {list(weight.shape)}")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(input.dtype)} but found "
                           f"{scalar_type_name(weight.dtype)}")
    if bias is not None and bias.dtype is not input.dtype:
        raise RuntimeError(f"Input type ({_type_name(input.dtype)}) and bias type "
                           f"({_type_name(bias.dtype)}) should be the same")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(lo < 0 or hi < 0 for lo, hi in padding):
        raise RuntimeError("negative padding is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    shape = list(input.shape) if input.dim() == nd + 2 else [1] + list(input.shape)
    w = list(weight.shape)
    if not transposed and w[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size {w} instead")
    in_channels = w[0] if transposed else w[1] * groups
    if shape[1] != in_channels:
        what = (f"Given transposed=1, weight of size {w}, expected input{shape} to have "
                f"{in_channels} channels" if transposed else
                f"Given groups={groups}, weight of size {w}, expected input{shape} to have "
                f"{in_channels} channels")
        raise RuntimeError(f"{what}, but got {shape[1]} channels instead")
    out_channels = w[1] * groups if transposed else w[0]
    if bias is not None and tuple(bias.shape) != (out_channels,):
        raise RuntimeError(f"Given weight of size {w}, expected bias to be 1-dimensional with "
                           f"{out_channels} elements, but got bias of size {list(bias.shape)} "
                           f"instead")
    if not transposed:
        padded = [shape[2 + i] + lo + hi for i, (lo, hi) in enumerate(padding)]
        effective = [dilation[i] * (w[2 + i] - 1) + 1 for i in range(nd)]
        if any(p < k for p, k in zip(padded, effective)):
            raise RuntimeError(
                f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
                f"Kernel size: ({' x '.join(map(str, effective))}). Kernel size can't be greater "
                "than actual input size")


def _conv_padding(padding, weight, dilation, stride, nd):
    """(low, high) pairs for an int/tuple padding or the strings 'valid' and 'same'
    ('same' pads d*(k-1) in total, the odd one on the high side, as torch does)."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = [dilation[i] * (weight.shape[2 + i] - 1) for i in range(nd)]
            return tuple((t // 2, t - t // 2) for t in total)
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    return tuple((p, p) for p in ntuple(padding, nd, "padding"))


def _convolution(name, input, weight, bias, stride, padding, dilation, groups, nd):
    stride = ntuple(stride, nd, "stride")
    dilation = ntuple(dilation, nd, "dilation")
    if isinstance(weight, Tensor):
        padding = _conv_padding(padding, weight, dilation, stride, nd)
    _check_conv(name, input, weight, bias, stride, padding, dilation, groups, nd, False)
    xp = input._xp
    x, unbatched = _spatial_input(name, input, nd)
    w = weight._array
    # the im2col matrix serves the forward and, kept, the weight gradient
    cols = xp.conv_cols(x, w.shape[2:], stride, padding, dilation, groups) \
        if weight._requires_grad and is_grad_enabled() else None
    y = xp.conv(x, w, stride, padding, dilation, groups, cols)
    if bias is not None:
        y = y + bias._array.reshape((-1,) + (1,) * nd)
    result = _wrap(y[0] if unbatched else y, input)

    def backward(grads):
        (g,) = grads
        ga = _grad_array(g, input)
        ga = ga[None] if unbatched else ga
        gx = gw = gb = None
        if input.requires_grad:
            gx = xp.conv_input_grad(ga, w, x.shape[2:], stride, padding, dilation, groups)
            gx = _wrap(gx[0] if unbatched else gx, input)
        if weight.requires_grad:
            gw = _wrap(xp.conv_weight_grad(x, ga, w.shape[2:], stride, padding, dilation, groups,
                                           cols), weight)
        if bias is not None and bias.requires_grad:
            gb = _wrap(ga.sum(axis=(0,) + tuple(range(2, 2 + nd))), bias)
        return [gx, gw, gb]

    return record("ConvolutionBackward0", [input, weight, bias], result, backward)


def _conv_transpose(name, input, weight, bias, stride, padding, output_padding, groups,
                    dilation, nd):
    """The adjoint of convolution: its forward is conv's input gradient, its input gradient
    is conv, its weight gradient conv's weight gradient with the roles of input and output
    swapped. Output size: (L - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding
    + 1."""
    stride = ntuple(stride, nd, "stride")
    dilation = ntuple(dilation, nd, "dilation")
    pad = ntuple(padding, nd, "padding")
    out_pad = ntuple(output_padding, nd, "output_padding")
    padding = tuple((p, p) for p in pad)
    _check_conv(name, input, weight, bias, stride, padding, dilation, groups, nd, True)
    for i in range(nd):
        if out_pad[i] >= stride[i] and out_pad[i] >= dilation[i]:
            raise RuntimeError("output padding must be smaller than either stride or dilation, "
                               f"but got output_padding={list(out_pad)}, stride={list(stride)}, "
                               f"dilation={list(dilation)}")
    xp = input._xp
    x, unbatched = _spatial_input(name, input, nd)
    w = weight._array
    kernel = w.shape[2:]
    out = tuple((x.shape[2 + i] - 1) * stride[i] - 2 * pad[i] + dilation[i] * (kernel[i] - 1)
                + out_pad[i] + 1 for i in range(nd))
    if any(o <= 0 for o in out):
        raise RuntimeError(f"Given input size per channel: {list(x.shape[2:])}. Calculated output"
                           f" size per channel: {list(out)}. Output size is too small")
    y = xp.conv_input_grad(x, w, out, stride, padding, dilation, groups)
    if bias is not None:
        y = y + bias._array.reshape((-1,) + (1,) * nd)
    result = _wrap(y[0] if unbatched else y, input)

    def backward(grads):
        (g,) = grads
        ga = _grad_array(g, input)
        ga = ga[None] if unbatched else ga
        gx = gw = gb = None
        if input.requires_grad:
            gx = xp.conv(ga, w, stride, padding, dilation, groups)
            gx = gx[(Ellipsis,) + tuple(slice(0, s) for s in x.shape[2:])]
            gx = _wrap(gx[0] if unbatched else gx, input)
        if weight.requires_grad:
            gw = _wrap(xp.conv_weight_grad(ga, x, kernel, stride, padding, dilation, groups),
                       weight)
        if bias is not None and bias.requires_grad:
            gb = _wrap(ga.sum(axis=(0,) + tuple(range(2, 2 + nd))), bias)
        return [gx, gw, gb]

    return record("ConvolutionBackward0", [input, weight, bias], result, backward)


def _conv_fn(nd):
    def convnd(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
        return _convolution(f"conv{nd}d", input, weight, bias, stride, padding, dilation, groups,
                            nd)
    convnd.__name__ = f"conv{nd}d"
    convnd.__doc__ = (f"torch.conv{nd}d: {nd}-D cross-correlation of (N, C_in, ...) input with "
                      "(C_out, C_in/groups, ...) weight, plus bias; padding an int, a tuple, "
                      "'valid' or 'same'. Spec nn.functional.convolution.")
    return convnd


def _conv_transpose_fn(nd):
    def conv_transposend(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                         groups=1, dilation=1):
        return _conv_transpose(f"conv_transpose{nd}d", input, weight, bias, stride, padding,
                               output_padding, groups, dilation, nd)
    conv_transposend.__name__ = f"conv_transpose{nd}d"
    conv_transposend.__doc__ = (f"torch.conv_transpose{nd}d: the {nd}-D transposed convolution "
                                "(the gradient of conv with respect to its input), weight "
                                "(C_in, C_out/groups, ...). Spec nn.functional.convolution.")
    return conv_transposend


conv1d, conv2d, conv3d = (_conv_fn(n) for n in (1, 2, 3))
conv_transpose1d, conv_transpose2d, conv_transpose3d = (_conv_transpose_fn(n) for n in (1, 2, 3))


# -- pooling -----------------------------------------------------------------------------------


def pool_output_size(size, kernel, stride, pad, dilation, ceil_mode):
    """torch's pooling_output_shape: floor (or ceil) of the window count; with ceil_mode the
    last window must start inside the input or its left padding."""
    out = (size + 2 * pad - dilation * (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)) \
        // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _pool_args(name, input, kernel_size, stride, padding, dilation, ceil_mode, nd):
    kernel = ntuple(kernel_size, nd, "kernel_size")
    stride = kernel if stride is None or stride == [] or stride == () else \
        ntuple(stride, nd, "stride")
    padding = ntuple(padding, nd, "padding")
    dilation = ntuple(dilation, nd, "dilation")
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for "
                           "input")
    if any(k <= 0 for k in kernel):
        raise RuntimeError("kernel size should be greater than zero, but got kernel_size="
                           f"{list(kernel)}")
    if any(s <= 0 for s in stride):
        raise RuntimeError("stride should not be zero")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got dilation="
                           f"{list(dilation)}")
    for k, p, d in zip(kernel, padding, dilation):
        if p < 0 or p > ((k - 1) * d + 1) // 2:
            raise RuntimeError("pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")
    if any(p > k // 2 for k, p in zip(kernel, padding)):
        # torch checks the undilated kernel too: padding may not exceed half the kernel size
        # even where the dilated window is wide enough to cover it.
        raise RuntimeError("pad should be smaller than or equal to half of kernel size, but got "
                           f"padding={list(padding)}, kernel_size={list(kernel)}")
    spatial = input.shape[-nd:]
    out = tuple(pool_output_size(spatial[i], kernel[i], stride[i], padding[i], dilation[i],
                                 ceil_mode) for i in range(nd))
    if any(o < 1 for o in out):
        channels = input.shape[-nd - 1]
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, (channels,) + spatial))}). "
                           f"Calculated output size: ({'x'.join(map(str, (channels,) + out))}). "
                           "Output size is too small")
    return kernel, stride, padding, dilation, out


def max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, nd):
    """Max pooling over nd spatial dims; returns (values, indices), indices flat within each
    channel's input plane as torch's. The gradient goes to the index of each maximum."""
    kernel, stride, padding, dilation, out = _pool_args(
        f"max_pool{nd}d", input, kernel_size, stride, padding, dilation, ceil_mode, nd)
    xp = input._xp
    x, unbatched = _spatial_input(f"max_pool{nd}d", input, nd)
    values, indices = xp.max_pool(x, kernel, stride, padding, dilation, out)
    return _indexed_max(f"MaxPool{nd}DWithIndicesBackward0", input, x, unbatched, values,
                        indices)


def _indexed_max(name, input, x, unbatched, values, indices):
    """(values, indices) of a max pooling as tensors, recorded as one node `name` whose
    gradient scatters each output's grad to its index (indices flat per input plane); the
    index tensor is not differentiable. `x` is the batched input array."""
    xp = input._xp
    unb = (lambda a: a[0]) if unbatched else (lambda a: a)
    result = _wrap(unb(values), input)
    index_tensor = _wrap(unb(indices), input, _int64())

    def backward(grads):
        g = grads[0]
        if g is None:
            return [None]
        ga = _grad_array(g, input)
        return [_wrap(unb(xp.scatter_flat(ga[None] if unbatched else ga, indices,
                                          x.shape[2:])), input)]

    record(name, [input], [result, index_tensor], backward)
    index_tensor._requires_grad, index_tensor._grad_fn = False, None
    return result, index_tensor


def _int64():
    from .._dtype import int64
    return int64


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False):
    """torch.max_pool1d_with_indices: max_pool2d over a height-1 plane; (values, indices)."""
    from .views import squeeze, unsqueeze
    if input.dim() not in (2, 3):
        raise RuntimeError(f"max_pool1d() Expected 2D or 3D input tensor, but got "
                           f"{list(input.shape)}")
    stride = kernel_size if stride is None or stride == [] or stride == () else stride
    (k,), (p,) = ntuple(kernel_size, 1), ntuple(padding, 1, "padding")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but "
                           f"got padding={p} and kernel_size={k}")
    values, indices = max_pool_nd(unsqueeze(input, -2), (1,) + ntuple(kernel_size, 1),
                                  (1,) + ntuple(stride, 1, "stride"),
                                  (0,) + ntuple(padding, 1, "padding"),
                                  (1,) + ntuple(dilation, 1, "dilation"), ceil_mode, 2)
    return squeeze(values, -2), indices.squeeze(-2)


def max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """torch.max_pool1d: the values of max_pool1d_with_indices."""
    return max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)[0]


def max_pool2d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """torch.max_pool2d. Spec nn.functional.pooling."""
    return max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, 2)[0]


def max_pool3d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    """torch.max_pool3d."""
    return max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, 3)[0]


def make_taps(rows, in_size):
    """(index, weight) arrays for apply_taps from one list of (index, weight) pairs per output
    position; short rows are filled with the sentinel index `in_size` and weight 0."""
    import numpy as np
    width = max((len(r) for r in rows), default=1) or 1
    index = np.full((len(rows), width), in_size, np.int64)
    weight = np.zeros((len(rows), width), np.float64)
    for o, row in enumerate(rows):
        for t, (i, w) in enumerate(row):
            index[o, t], weight[o, t] = i, w
    return index, weight


def linear_map(input, taps, name):
    """Applies one sparse linear map per trailing dim (avg pooling, adaptive average pooling,
    interpolation and padding are such maps); the gradient applies the transposed maps."""
    xp = input._xp
    nd = len(taps)
    result = _wrap(xp.apply_taps(input._array, taps), input)
    in_sizes = tuple(input.shape[input.dim() - nd:])

    def backward(grads):
        (g,) = grads
        return [_wrap(xp.apply_taps_grad(_grad_array(g, input), taps, in_sizes), input)]

    return record(name, [input], result, backward)


def avg_pool_taps(spatial, kernel, stride, padding, ceil_mode, count_include_pad,
                  divisor_override):
    """Per dim: output o averages the input positions of window o with weight 1/count, count
    being the window's size clipped to the padded input (count_include_pad) or to the input;
    with divisor_override the weights are 1 and the first dim carries 1/divisor."""
    taps = []
    for d, size in enumerate(spatial):
        out = pool_output_size(size, kernel[d], stride[d], padding[d], 1, ceil_mode)
        rows = []
        for o in range(out):
            start = o * stride[d] - padding[d]
            end = min(start + kernel[d], size + padding[d])
            count = end - start
            start, end = max(start, 0), min(end, size)
            if not count_include_pad:
                count = end - start
            w = 1.0 if divisor_override else 1.0 / count
            if divisor_override and d == 0:
                w = 1.0 / divisor_override
            rows.append([(i, w) for i in range(start, end)])
        taps.append(make_taps(rows, size))
    return taps


def avg_pool_nd(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                divisor_override, nd):
    if nd == 2 and input.dim() < 3:
        # torch's avg_pool2d reads the channel dim (size(-3)) before checking the rank
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-max(input.dim(), 1)}, {max(input.dim(), 1) - 1}], but got -3)")
    if nd == 2 and input.dim() > 4:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size "
                           f"for input, but got:{list(input.shape)}")
    kernel, stride, padding, _, _ = _pool_args(f"avg_pool{nd}d", input, kernel_size, stride,
                                               padding, 1, ceil_mode, nd)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"avg_pool{nd}d\" not implemented for "
                                  f"'{scalar_type_name(input.dtype)}'")
    taps = avg_pool_taps(input.shape[-nd:], kernel, stride, padding, ceil_mode,
                         count_include_pad, divisor_override)
    return linear_map(input, taps, f"AvgPool{nd}DBackward0")


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """torch.avg_pool1d: avg_pool2d over a height-1 plane."""
    if input.dim() not in (2, 3):
        raise RuntimeError(f"avg_pool1d() Expected 2D or 3D input tensor, but got "
                           f"{list(input.shape)}")
    stride = kernel_size if stride is None or stride == [] or stride == () else stride
    out = avg_pool_nd(input.unsqueeze(-2), (1,) + ntuple(kernel_size, 1),
                      (1,) + ntuple(stride, 1, "stride"), (0,) + ntuple(padding, 1, "padding"),
                      ceil_mode, count_include_pad, None, 2)
    return out.squeeze(-2)


def adaptive_taps(spatial, out):
    """Per dim: output o averages input positions [floor(o*S/out), ceil((o+1)*S/out))."""
    taps = []
    for size, o_size in zip(spatial, out):
        rows = []
        for o in range(o_size):
            start, end = o * size // o_size, -(-(o + 1) * size // o_size)
            rows.append([(i, 1.0 / (end - start)) for i in range(start, end)])
        taps.append(make_taps(rows, size))
    return taps


def adaptive_output_size(name, input, output_size, nd):
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"{name}(): Expected {nd + 1}D or {nd + 2}D tensor, but got "
                           f"{list(input.shape)}")
    if isinstance(output_size, (list, tuple)) and len(output_size) not in (1, nd):
        raise RuntimeError(f"{name}: output_size must be {nd}")
    if isinstance(output_size, (list, tuple)):
        out = tuple(input.shape[-nd + i] if s is None else s for i, s in
                    enumerate(output_size * (nd if len(output_size) == 1 else 1)))
    else:
        out = (output_size,) * nd
    if any(s < 0 for s in out):
        raise RuntimeError(f"{name}: elements of output_size must be greater than or equal to 0 "
                           f"but received {list(out)}")
    return out


def adaptive_avg_pool_nd(input, output_size, nd):
    sizes = tuple(output_size) if isinstance(output_size, (list, tuple)) else (output_size,)
    if nd > 1 and all(o == 1 for o in sizes):
        # torch's 2d/3d global average pooling is a mean over the spatial dims (MeanBackward1),
        # taken before any rank check (a too-small input raises mean's IndexError)
        from .reduction import mean
        return mean(input, tuple(range(-nd, 0)), keepdim=True)
    out = adaptive_output_size(f"adaptive_avg_pool{nd}d", input, output_size, nd)
    return linear_map(input, adaptive_taps(input.shape[-nd:], out),
                      f"AdaptiveAvgPool{nd}DBackward0")


def adaptive_max_pool_nd(input, output_size, nd):
    out = adaptive_output_size(f"adaptive_max_pool{nd}d", input, output_size, nd)
    xp = input._xp
    x, unbatched = _spatial_input(f"adaptive_max_pool{nd}d", input, nd)
    values, indices = xp.adaptive_max_pool(x, out)
    return _indexed_max(f"AdaptiveMaxPool{nd}DBackward0", input, x, unbatched, values,
                        indices)


def adaptive_avg_pool1d(input, output_size):
    """torch.adaptive_avg_pool1d: adaptive_avg_pool2d over a height-1 plane."""
    out = ntuple(output_size, 1, "output_size")
    return adaptive_avg_pool_nd(input.unsqueeze(-2), (1,) + out, 2).squeeze(-2)


def adaptive_max_pool1d(input, output_size):
    """torch.adaptive_max_pool1d: (values, indices) over a height-1 plane."""
    out = ntuple(output_size, 1, "output_size")
    values, indices = adaptive_max_pool_nd(input.unsqueeze(-2), (1,) + out, 2)
    return values.squeeze(-2), indices.squeeze(-2)


# -- normalization -----------------------------------------------------------------------------


def _affine_shape(input):
    return (1, -1) + (1,) * (input.dim() - 2)


def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
               cudnn_enabled=True):
    """torch.batch_norm: normalizes each channel (dim 1) with the batch statistics (training, or
    no running stats) or the running ones; in training, running_mean and running_var (when
    given) move by `momentum` towards the batch mean and the unbiased batch variance.
    Spec nn.BatchNorm."""
    channels = input.shape[1] if input.dim() > 1 else input.shape[0]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
    xp = input._xp
    spatial = math.prod(input.shape[2:])
    x = input._array.reshape((input.shape[0], channels, spatial) if input.dim() > 1
                             else (1, channels, 1))                   # (N, C, S)
    use_batch = training or running_mean is None or running_var is None
    if use_batch:
        mean, var = xp.channel_moments(x)
        n = x.size // channels
        if training and running_mean is not None:
            _update(running_mean, _moved(xp, running_mean, mean, momentum))
        if training and running_var is not None:
            unbiased = xp.multiply(var, n / (n - 1) if n > 1 else float("inf"))
            _update(running_var, _moved(xp, running_var, unbiased, momentum))
    else:
        mean = xp.astype(running_mean._array, x.dtype)
        var = xp.astype(running_var._array, x.dtype)
    rstd = xp.rsqrt(xp.add(var, eps))
    w = None if weight is None else weight._array
    b = None if bias is None else bias._array
    result = _wrap(xp.norm_channels(x, mean, rstd, w, b).reshape(input.shape), input)

    def backward(grads):
        (g,) = grads
        ga = _grad_array(g, input).reshape(x.shape)
        needs = (input.requires_grad, weight is not None and weight.requires_grad,
                 bias is not None and bias.requires_grad)
        gx, gw, gb = xp.norm_channels_grad(ga, x, mean, rstd, w, use_batch, needs)
        return [None if gx is None else _wrap(gx.reshape(input.shape), input),
                None if gw is None else _wrap(gw, weight),
                None if gb is None else _wrap(gb, bias)]

    return record("NativeBatchNormBackward0", [input, weight, bias], result, backward)


def _moved(xp, running, batch, momentum):
    """A running statistic moved towards the batch's: (1 - momentum) * running + momentum *
    batch (in the batch's dtype)."""
    return xp.add(xp.multiply(xp.astype(running._array, batch.dtype), 1 - momentum),
                  xp.multiply(batch, momentum))


def _update(buffer, value):
    """Writes a running statistic in place (a buffer update, outside autograd)."""
    buffer._xp.copy_(buffer._array, value)
    buffer._bump_version()


def _normalize_over(input, axes, stat_shape, weight, bias, eps, affine_shape, name):
    """(x - mean) / sqrt(var + eps) over `axes` of input reshaped to `stat_shape`, then the
    elementwise affine (weight, bias reshaped to `affine_shape`). Group norm."""
    xp = input._xp
    x = input._array.reshape(stat_shape)
    mean, var = xp.moments(x, axes)
    rstd = xp.rsqrt(xp.add(var, eps))
    xhat = xp.multiply(xp.subtract(x, mean), rstd).reshape(input.shape)
    w = None if weight is None else weight._array.reshape(affine_shape)
    y = xhat if w is None else xp.multiply(xhat, w)
    if bias is not None:
        y = xp.add(y, bias._array.reshape(affine_shape))
    result = _wrap(y, input)
    param_axes = tuple(i for i, s in enumerate(_full(affine_shape, input.dim())) if s == 1)

    def backward(grads):
        (g,) = grads
        ga = _grad_array(g, input)
        gx = gw = gb = None
        if input.requires_grad:
            gxhat = (ga if w is None else xp.multiply(ga, w)).reshape(stat_shape)
            gx = _wrap(xp.normalize_grad(gxhat, xhat.reshape(stat_shape), rstd, axes)
                       .reshape(input.shape), input)
        if weight is not None and weight.requires_grad:
            gw = _wrap(xp.sum(xp.multiply(ga, xhat), param_axes, None, False)
                       .reshape(weight.shape), weight)
        if bias is not None and bias.requires_grad:
            gb = _wrap(xp.sum(ga, param_axes, None, False).reshape(bias.shape), bias)
        return [gx, gw, gb]

    return record(name, [input, weight, bias], result, backward)


def _full(affine_shape, ndim):
    """An affine shape padded on the left with 1s to ndim dims (-1 counts as not 1)."""
    return (1,) * (ndim - len(affine_shape)) + tuple(affine_shape)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5,
               cudnn_enable=True):
    """torch.layer_norm: normalizes over the last len(normalized_shape) dims (biased
    variance), then multiplies by weight and adds bias elementwise."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if tuple(input.shape[input.dim() - k:]) != shape or input.dim() < k:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size"
                           f"{list(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = "
                               f"{list(shape)}")
    xp = input._xp
    x = input._array.reshape(math.prod(input.shape[:input.dim() - k]), math.prod(shape))
    w = None if weight is None else weight._array.reshape(-1)
    b = None if bias is None else bias._array.reshape(-1)
    y, mean, rstd = xp.norm_rows(x, w, b, eps)
    result = _wrap(y.reshape(input.shape), input)

    def backward(grads):
        (g,) = grads
        ga = _grad_array(g, input).reshape(x.shape)
        needs = (input.requires_grad, weight is not None and weight.requires_grad,
                 bias is not None and bias.requires_grad)
        gx, gw, gb = xp.norm_rows_grad(ga, x, mean, rstd, w, needs)
        return [None if gx is None else _wrap(gx.reshape(input.shape), input),
                None if gw is None else _wrap(gw.reshape(shape), weight),
                None if gb is None else _wrap(gb.reshape(shape), bias)]

    return record("NativeLayerNormBackward0", [input, weight, bias], result, backward)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True):
    """torch.group_norm: splits the channels into num_groups groups and normalizes each group
    of each sample, then the per-channel affine."""
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups,"
                           f" but got input of shape {list(input.shape)} and num_groups="
                           f"{num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of "
                               f"channels in input, but got {name} of shape {list(t.shape)} and "
                               f"input of shape {list(input.shape)}")
    return _normalize_over(input, (2,), (n, num_groups, -1), weight, bias, eps,
                           _affine_shape(input), "NativeGroupNormBackward0")


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum,
                  eps, cudnn_enabled=True):
    """torch.instance_norm: batch norm of each sample on its own (torch views (N, C, ...) as
    (1, N*C, ...)); running stats, when given, move by the mean over the batch of the
    per-instance statistics."""
    from .views import _view
    n, c = input.shape[0], input.shape[1]
    rm = None if running_mean is None else _repeat(running_mean, n)
    rv = None if running_var is None else _repeat(running_var, n)
    w = None if weight is None else _repeat_grad(weight, n)
    b = None if bias is None else _repeat_grad(bias, n)
    flat = _view(input.contiguous(), (1, n * c) + tuple(input.shape[2:]))
    out = batch_norm(flat, w, b, rm, rv, use_input_stats, momentum, eps)
    for running, repeated in ((running_mean, rm), (running_var, rv)):
        if running is not None and use_input_stats:   # the mean over the batch's instances
            xp = running._xp
            _update(running, xp.divide(xp.sum(repeated._array.reshape(n, c), 0, None, False), n))
    return _view(out, tuple(input.shape))


def _tiled(t, n):
    """t's array repeated n times (a small per-channel vector: tiled on the host)."""
    import numpy as np
    return t._xp.to_device(np.tile(t._xp.to_host(t._array), n))


def _repeat(t, n):
    return _wrap(_tiled(t, n), t)


def _repeat_grad(t, n):
    """t repeated n times along dim 0, with the gradient summed back."""
    result = _wrap(_tiled(t, n), t)

    def backward(grads):
        (g,) = grads
        return [_wrap(t._xp.sum(_grad_array(g, t).reshape(n, -1), 0, None, False), t)]

    return record("RepeatBackward0", [t], result, backward)


# -- recurrent cells ---------------------------------------------------------------------------


def rnn_layer(mode, input, hx, cx, w_ih, w_hh, b_ih, b_hh, reverse=False):
    """One direction of one recurrent layer over a (T, B, input_size) sequence; returns
    (output (T, B, H), h_n, c_n). `reverse` runs from the last step to the first (the
    backward direction of a bidirectional layer); outputs stay in time order."""
    xp = input._xp
    x = input._array
    if reverse:
        x = x[::-1]
    c0 = None if cx is None else cx._array
    b1 = None if b_ih is None else b_ih._array
    b2 = None if b_hh is None else b_hh._array
    out, h, c, cache = xp.rnn_layer(mode, x, hx._array, c0, w_ih._array, w_hh._array, b1, b2)
    outs = [_wrap(out[::-1] if reverse else out, input), _wrap(h, input)]
    if mode == "LSTM":
        outs.append(_wrap(c, input))

    def backward(grads):
        import numpy as np
        g_out = grads[0]
        g_out = np.zeros(out.shape, out.dtype) if g_out is None else _grad_array(g_out, input)
        if reverse:
            g_out = g_out[::-1]
        g_h = np.zeros(h.shape, h.dtype) if grads[1] is None else _grad_array(grads[1], input)
        g_c = None
        if mode == "LSTM":
            g_c = np.zeros(c.shape, c.dtype) if len(grads) < 3 or grads[2] is None else \
                _grad_array(grads[2], input)
        gx, gh, gc, gwi, gwh, gbi, gbh = xp.rnn_layer_grad(cache, g_out, g_h, g_c)
        gx = gx[::-1] if reverse else gx
        like = [input, hx, cx, w_ih, w_hh, b_ih, b_hh]
        return [None if t is None else _wrap(a, t)
                for t, a in zip(like, (gx, gh, gc, gwi, gwh, gbi, gbh))]

    record("RnnLayerBackward0", [input, hx, cx, w_ih, w_hh, b_ih, b_hh], outs, backward)
    return tuple(outs)


def _check_cell(name, input, hx, w_ih, w_hh):
    if input.dim() not in (1, 2):
        raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
    if input.shape[-1] != w_ih.shape[1]:
        raise RuntimeError(f"input has inconsistent input_size: got {input.shape[-1]} expected "
                           f"{w_ih.shape[1]}")
    if hx is not None and hx.shape[-1] != w_hh.shape[1]:
        raise RuntimeError(f"hidden0 has inconsistent hidden_size: got {hx.shape[-1]}, expected "
                           f"{w_hh.shape[1]}")


def _cell(mode, input, hx, cx, w_ih, w_hh, b_ih, b_hh):
    """A cell is one step of rnn_layer on a batch (unbatched input is a batch of one)."""
    from .views import squeeze, unsqueeze
    batched = input.dim() == 2
    x = unsqueeze(input if batched else unsqueeze(input, 0), 0)
    h = hx if batched else unsqueeze(hx, 0)
    c = None if cx is None else (cx if batched else unsqueeze(cx, 0))
    outs = rnn_layer(mode, x, h, c, w_ih, w_hh, b_ih, b_hh)
    outs = outs[1:]
    return tuple(o if batched else squeeze(o, 0) for o in outs)


def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """torch.rnn_tanh_cell: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh). Spec nn.RNNCell."""
    _check_cell("RNNCell", input, hx, w_ih, w_hh)
    return _cell("RNN_TANH", input, hx, None, w_ih, w_hh, b_ih, b_hh)[0]


def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """torch.rnn_relu_cell: h' = relu(x W_ih^T + b_ih + h W_hh^T + b_hh). Spec nn.RNNCell.relu."""
    _check_cell("RNNCell", input, hx, w_ih, w_hh)
    return _cell("RNN_RELU", input, hx, None, w_ih, w_hh, b_ih, b_hh)[0]


def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """torch.lstm_cell: gates i, f, g, o from x W_ih^T + b_ih + h W_hh^T + b_hh;
    c' = f*c + i*g, h' = o*tanh(c'). hx is (h, c); returns (h', c')."""
    _check_cell("LSTMCell", input, hx[0], w_ih, w_hh)
    return _cell("LSTM", input, hx[0], hx[1], w_ih, w_hh, b_ih, b_hh)


def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """torch.gru_cell: r, z = sigmoid(...), n = tanh(x W_in + b_in + r * (h W_hn + b_hn)),
    h' = (1 - z) * n + z * h."""
    _check_cell("GRUCell", input, hx, w_ih, w_hh)
    return _cell("GRU", input, hx, None, w_ih, w_hh, b_ih, b_hh)[0]


# -- shuffles and constant padding -------------------------------------------------------------


def _permute_op(input, shape_in, axes, shape_out, name):
    """reshape -> transpose -> reshape as one op whose gradient undoes it."""
    import numpy as np
    array = np.ascontiguousarray(input._array.reshape(shape_in).transpose(axes)).reshape(
        shape_out)
    result = _wrap(array, input)
    inverse = np.argsort(axes)
    tmp = tuple(shape_in[a] for a in axes)

    def backward(grads):
        (g,) = grads
        back = _grad_array(g, input).reshape(tmp).transpose(inverse)
        return [_wrap(np.ascontiguousarray(back).reshape(input.shape), input)]

    return record(name, [input], result, backward)


def pixel_shuffle(input, upscale_factor):
    """torch.pixel_shuffle: (*, C*r^2, H, W) -> (*, C, H*r, W*r)."""
    r = upscale_factor
    if input.dim() < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got "
                           f"input with {input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be "
                           f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                           f"is not divisible by {r * r}")
    k = len(lead)
    axes = tuple(range(k)) + (k, k + 3, k + 1, k + 4, k + 2)
    return _permute_op(input, (*lead, c // (r * r), r, r, h, w), axes,
                       (*lead, c // (r * r), h * r, w * r), "PixelShuffleBackward0")


def pixel_unshuffle(input, downscale_factor):
    """torch.pixel_unshuffle: (*, C, H*r, W*r) -> (*, C*r^2, H, W)."""
    r = downscale_factor
    if input.dim() < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but "
                           f"got input with {input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    if h % r or w % r:
        which = "height" if h % r else "width"
        size = h if h % r else w
        raise RuntimeError(f"pixel_unshuffle expects {which} to be divisible by downscale_factor,"
                           f" but input.size({-2 if which == 'height' else -1})={size} is not "
                           f"divisible by {r}")
    k = len(lead)
    axes = tuple(range(k)) + (k, k + 2, k + 4, k + 1, k + 3)
    return _permute_op(input, (*lead, c, h // r, r, w // r, r), axes,
                       (*lead, c * r * r, h // r, w // r), "PixelUnshuffleBackward0")


def channel_shuffle(input, groups):
    """torch.channel_shuffle: (N, g*k, *) -> channels reordered as k*g (a transpose)."""
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    n, c, *rest = input.shape
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {groups} groups.")
    return _permute_op(input, (n, groups, c // groups, *rest),
                       (0, 2, 1) + tuple(range(3, 3 + len(rest))), tuple(input.shape),
                       "ChannelShuffleBackward0")


def constant_pad_nd(input, pad, value=0):
    """torch.constant_pad_nd: pad (last dim first, (low, high) pairs) with `value`; negative
    pads crop. The gradient is the slice of the output gradient over the input."""
    import numpy as np
    pad = list(pad)
    if len(pad) % 2:
        raise RuntimeError("Length of pad must be even but instead it equals " + str(len(pad)))
    if len(pad) // 2 > input.dim():
        raise RuntimeError("Length of pad should be no more than twice the number of dimensions "
                           f"of the input. Pad length is {len(pad)} while the input has "
                           f"{input.dim()} dimensions.")
    nd = len(pad) // 2
    pairs = [(pad[2 * i], pad[2 * i + 1]) for i in range(nd)][::-1]
    lead = input.dim() - nd
    shape = list(input.shape)
    for i, (lo, hi) in enumerate(pairs):
        size = shape[lead + i] + lo + hi
        if size < 0:
            raise RuntimeError(f"The input size {shape[lead + i]}, plus negative padding {lo} and "
                               f"{hi} resulted in a negative output size, which is invalid. "
                               f"Check dimension {lead + i} of your input.")
    x = input._array
    crop = (slice(None),) * lead + tuple(slice(max(-lo, 0), x.shape[lead + i] - max(-hi, 0))
                                         for i, (lo, hi) in enumerate(pairs))
    widths = [(0, 0)] * lead + [(max(lo, 0), max(hi, 0)) for lo, hi in pairs]
    y = np.pad(x[crop], widths, constant_values=value)
    result = _wrap(y, input)
    inner = (slice(None),) * lead + tuple(slice(max(lo, 0), max(lo, 0) + x[crop].shape[lead + i])
                                          for i, (lo, _) in enumerate(pairs))

    def backward(grads):
        (g,) = grads
        gx = np.zeros(x.shape, input.dtype.np)
        gx[crop] = _grad_array(g, input)[inner]
        return [_wrap(gx, input)]

    return record("ConstantPadNdBackward0", [input], result, backward)

