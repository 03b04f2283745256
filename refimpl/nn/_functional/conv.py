"""torch.nn.functional: convolution, transposed convolution, unfold and fold.

The convolutions are torch.conv1d ... torch.conv_transpose3d themselves (refimpl/_refs/
nnlayers.py). Spec nn.functional.convolution.
"""

from ..._refs.nnlayers import (
    _wrap,
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
    ntuple,
)
from ..._refs.views import record

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "unfold", "fold"]


def _block_args(kernel_size, dilation, padding, stride):
    return (ntuple(kernel_size, 2), ntuple(dilation, 2, "dilation"),
            tuple((p, p) for p in ntuple(padding, 2, "padding")), ntuple(stride, 2, "stride"))


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """F.unfold (im2col): every sliding block of a (N, C, H, W) input as a column,
    (N, C * kh * kw, L). Only 4-D (or unbatched 3-D) input, as torch."""
    kernel, dilation, padding, stride = _block_args(kernel_size, dilation, padding, stride)
    if input.dim() not in (3, 4):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size "
                           f"for input, but got: {list(input.shape)}")
    xp = input._xp
    x = input._array if input.dim() == 4 else input._array[None]
    blocks = [(x.shape[2 + i] + 2 * padding[i][0] - dilation[i] * (kernel[i] - 1) - 1)
              // stride[i] + 1 for i in range(2)]
    if any(b < 1 for b in blocks):
        raise RuntimeError(f"Given input with spatial size ({x.shape[2]}, {x.shape[3]}), "
                           f"kernel_size=({kernel[0]}, {kernel[1]}), dilation=({dilation[0]}, "
                           f"{dilation[1]}), padding=({padding[0][0]}, {padding[1][0]}), calculated"
                           f" shape of the array of sliding blocks as ({blocks[0]}, {blocks[1]}), "
                           "but its components must be at least one.")
    cols = xp.im2col(x, kernel, stride, padding, dilation)
    result = _wrap(cols if input.dim() == 4 else cols[0], input)

    def backward(grads):
        g = xp.astype(grads[0]._array, input.dtype.np)
        g = g if input.dim() == 4 else g[None]
        gx = xp.col2im(g, x.shape[2:], kernel, stride, padding, dilation)
        return [_wrap(gx if input.dim() == 4 else gx[0], input)]

    return record("Im2ColBackward0", [input], result, backward)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """F.fold (col2im): sums (N, C * kh * kw, L) columns into a (N, C, *output_size) tensor;
    the inverse arrangement of unfold (overlaps add up)."""
    kernel, dilation, padding, stride = _block_args(kernel_size, dilation, padding, stride)
    out = ntuple(output_size, 2, "output_size")
    if input.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size "
                           f"for input, but got: {list(input.shape)}")
    xp = input._xp
    cols = input._array if input.dim() == 3 else input._array[None]
    k = kernel[0] * kernel[1]
    if cols.shape[1] % k:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of"
                           f" kernel_size, but got input.size(1)={cols.shape[1]} and kernel_size=("
                           f"{kernel[0]}, {kernel[1]})")
    blocks = [(out[i] + 2 * padding[i][0] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1
              for i in range(2)]
    if blocks[0] * blocks[1] != cols.shape[2]:
        raise RuntimeError(f"Given output_size=({out[0]}, {out[1]}), kernel_size=({kernel[0]}, "
                           f"{kernel[1]}), dilation=({dilation[0]}, {dilation[1]}), padding=("
                           f"{padding[0][0]}, {padding[1][0]}), stride=({stride[0]}, {stride[1]}),"
                           f" expected size of input's dimension 2 to match the calculated number "
                           f"of sliding blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]},"
                           f" but got input.size(2)={cols.shape[2]}.")
    y = xp.col2im(cols, out, kernel, stride, padding, dilation)
    result = _wrap(y if input.dim() == 3 else y[0], input)

    def backward(grads):
        g = xp.astype(grads[0]._array, input.dtype.np)
        g = g if input.dim() == 3 else g[None]
        gc = xp.im2col(g, kernel, stride, padding, dilation)
        return [_wrap(gc if input.dim() == 3 else gc[0], input)]

    return record("Col2ImBackward0", [input], result, backward)
