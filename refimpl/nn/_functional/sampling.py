"""torch.nn.functional: affine_grid and grid_sample (spatial transformers, 004's vision
category).

Both are written with refimpl tensor ops, so autograd differentiates them: the gradient of
grid_sample with respect to the grid comes from the bilinear weights (the floor that picks the
corner pixels has no gradient), as in torch's analytic formula.

Spec nn.functional.vision.
"""

from ... import _refs
from ..._tensor import Tensor
from ...autograd.function import Function

__all__ = ["affine_grid", "grid_sample"]


def _base_coords(n, align_corners, like):
    """The normalised coordinates of n pixel centres in [-1, 1]: the corner pixels' centres at
    -1 and 1 with align_corners, else the corners of the image."""
    if n <= 1:
        return _refs.creation.zeros(max(n, 0), dtype=like.dtype)
    steps = _refs.creation.arange(n, dtype=like.dtype)
    if align_corners:
        return steps * (2.0 / (n - 1)) - 1.0
    return (steps * 2.0 + 1.0) / n - 1.0


def affine_grid(theta, size, align_corners=None):
    """The sampling grid of the affine maps `theta` (N, 2, 3) for an output of size (N, C, H, W)
    (or (N, 3, 4) and (N, C, D, H, W)): grid[n, ..., :] = theta[n] @ (x, y[, z], 1)."""
    if not isinstance(theta, Tensor):
        raise TypeError(f"affine_grid(): argument 'theta' must be Tensor, not "
                        f"{type(theta).__name__}")
    align_corners = bool(align_corners)
    size = list(size)
    if not (theta.dtype.is_floating_point or theta.dtype.is_complex):
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    if len(size) == 4:
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (2, 3):
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                             f"{size}. Got {list(theta.shape)}.")
        spatial = size[2:]
    elif len(size) == 5:
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (3, 4):
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                             f"{size}. Got {list(theta.shape)}.")
        spatial = size[2:]
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    n = size[0]
    # coordinates (x, y[, z], 1) of every output pixel, x varying fastest
    k = len(spatial)
    mesh = []                                # per spatial dim (z, y, x order), broadcast
    for i, s in enumerate(spatial):
        shape = [1] * k
        shape[i] = s
        mesh.append(_base_coords(s, align_corners, theta).reshape(shape).expand(spatial))
    coords = [m for m in reversed(mesh)] + [_refs.creation.ones(spatial, dtype=theta.dtype)]
    base = _refs.joining.stack(coords, -1).reshape(1, -1, len(coords))       # (1, P, k+1)
    grid = base.expand(n, -1, -1).bmm(theta.transpose(1, 2))                 # (N, P, k)
    return grid.reshape([n] + list(spatial) + [len(spatial)])


def _unnormalize(coord, size, align_corners):
    if align_corners:
        return (coord + 1) / 2 * (size - 1)
    return ((coord + 1) * size - 1) / 2


def _reflect(coord, twice_low, twice_high):
    """Reflect coordinates at the ends of [twice_low / 2, twice_high / 2], repeatedly (torch's
    reflect_coordinates: the bounds are given doubled so that half-pixel ends stay exact)."""
    if twice_low == twice_high:
        return coord * 0
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    x = (coord - low).abs()
    extra = x.fmod(span)
    flips = (x / span).floor()
    return _refs.pointwise.where(flips.remainder(2) == 0, extra + low, span - extra + low)


def _source_index(coord, size, padding_mode, align_corners):
    """Pixel coordinates of normalised ones, with the padding mode's treatment of the outside."""
    x = _unnormalize(coord, size, align_corners)
    if padding_mode == "border":
        x = x.clamp(0, size - 1)
    elif padding_mode == "reflection":
        x = _reflect(x, 0, 2 * (size - 1)) if align_corners else _reflect(x, -1, 2 * size - 1)
        x = x.clamp(0, size - 1)
    return x


def _gather(flat, iy, ix, h, w):
    """input values at integer (iy, ix) ((N, P) each) for every channel, 0 outside the image."""
    inside = (ix >= 0) & (ix <= w - 1) & (iy >= 0) & (iy <= h - 1)
    index = (iy.clamp(0, h - 1) * w + ix.clamp(0, w - 1)).long()
    c = flat.shape[1]
    values = flat.gather(2, index.unsqueeze(1).expand(-1, c, -1))
    return values * inside.unsqueeze(1).to(flat.dtype)


class _NearestGridGradient(Function):
    """Passes `out` through and gives the grid torch's gradient for nearest sampling: zeros
    (the picked pixel does not move with the grid)."""

    @staticmethod
    def forward(ctx, out, grid):
        ctx.grid_shape = grid.shape
        return out.view_as(out)

    @staticmethod
    def backward(ctx, grad):
        return grad, grad.new_zeros(ctx.grid_shape)


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """Samples input (N, C, H, W) at the normalised (x, y) of grid (N, Ho, Wo, 2): bilinear
    or nearest (rounding half to even), padding 'zeros', 'border' or 'reflection'."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', "
                         f"'nearest' or 'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    if input.dim() != 4 or grid.dim() != 4 or grid.shape[-1] != 2:
        raise NotImplementedError("refimpl's grid_sample takes 4-D input and an (N, H, W, 2) "
                                  "grid (the 5-D volumetric form is not implemented)")
    if mode == "bicubic":
        raise NotImplementedError("refimpl's grid_sample does not implement mode='bicubic'")
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, "
                           f"but got input with sizes {list(input.shape)} and grid with sizes "
                           f"{list(grid.shape)}")
    align_corners = bool(align_corners)
    n, c, h, w = input.shape
    ho, wo = grid.shape[1], grid.shape[2]
    flat = input.reshape(n, c, h * w)
    gx = grid[..., 0].reshape(n, ho * wo)
    gy = grid[..., 1].reshape(n, ho * wo)
    x = _source_index(gx, w, padding_mode, align_corners)
    y = _source_index(gy, h, padding_mode, align_corners)
    if mode == "nearest":
        out = _gather(flat, y.round().detach(), x.round().detach(), h, w)
        return _NearestGridGradient.apply(out.reshape(n, c, ho, wo), grid)
    x0, y0 = x.floor().detach(), y.floor().detach()
    x1, y1 = x0 + 1, y0 + 1
    wx1, wy1 = x - x0, y - y0
    wx0, wy0 = 1 - wx1, 1 - wy1
    out = (_gather(flat, y0, x0, h, w) * (wy0 * wx0).unsqueeze(1)
           + _gather(flat, y0, x1, h, w) * (wy0 * wx1).unsqueeze(1)
           + _gather(flat, y1, x0, h, w) * (wy1 * wx0).unsqueeze(1)
           + _gather(flat, y1, x1, h, w) * (wy1 * wx1).unsqueeze(1))
    return out.reshape(n, c, ho, wo)
