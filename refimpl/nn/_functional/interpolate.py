"""torch.nn.functional: interpolate (upsample), pixel_shuffle and friends.

Every interpolation mode is a separable linear map: per spatial dim, each output position
reads one (nearest), two (linear) or four (cubic) input positions with weights, or averages a
window (area = adaptive average pooling). The source position of output o follows torch's
area_pixel_compute_source_index: with align_corners the corner pixels' centres line up,
src = o * (in - 1) / (out - 1); without, src = (o + 0.5) * scale - 0.5 (clamped at 0 for
linear), scale = 1 / scale_factor when a scale factor is given (and not recomputed), else
in / out. Spec nn.Upsample.modes.
"""

import math

import numpy as np

from ..._refs.nnlayers import (
    adaptive_avg_pool1d,
    adaptive_avg_pool_nd,
    adaptive_taps,  # noqa: F401  (area mode is adaptive average pooling)
    channel_shuffle,
    linear_map,
    make_taps,
    pixel_shuffle,
    pixel_unshuffle,
)

__all__ = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear", "pixel_shuffle",
           "pixel_unshuffle", "channel_shuffle"]

_MODE_DIMS = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}
_NODES = {"nearest": "UpsampleNearest{}DBackward0", "nearest-exact":
          "UpsampleNearestExact{}DBackward0", "linear": "UpsampleLinear1DBackward0",
          "bilinear": "UpsampleBilinear2DBackward0", "bicubic": "UpsampleBicubic2DBackward0",
          "trilinear": "UpsampleTrilinear3DBackward0"}


def _nearest_rows(in_size, out_size, scale, exact):
    """torch's nearest_idx (float32 arithmetic): floor(o * scale), or floor((o + 0.5) * scale)
    for nearest-exact, capped at in - 1; out == in and out == 2 * in are exact."""
    s = np.float32(1.0 / scale) if scale else np.float32(in_size) / np.float32(out_size)
    rows = []
    for o in range(out_size):
        if out_size == in_size:
            i = o
        elif out_size == 2 * in_size and not exact:
            i = o >> 1
        elif exact:
            i = int(np.floor(np.float32((o + 0.5) * np.float64(s))))
        else:
            i = int(np.floor(np.float32(o) * s))
        rows.append([(min(i, in_size - 1), 1.0)])
    return rows


def _source_scale(in_size, out_size, align_corners, scale, dtype):
    if align_corners:
        return dtype((in_size - 1) / (out_size - 1)) if out_size > 1 else dtype(0)
    return dtype(1.0 / scale) if scale else dtype(in_size) / dtype(out_size)


def _linear_rows(in_size, out_size, align_corners, scale, dtype):
    s = _source_scale(in_size, out_size, align_corners, scale, dtype)
    rows = []
    for o in range(out_size):
        src = s * dtype(o) if align_corners else max(s * (dtype(o) + dtype(0.5)) - dtype(0.5),
                                                     dtype(0))
        i0 = int(src)
        i1 = i0 + (1 if i0 < in_size - 1 else 0)
        w1 = float(src - dtype(i0))
        rows.append([(i0, 1.0 - w1), (i1, w1)])
    return rows


def _cubic_weights(t, a=-0.75):
    """Keys' cubic convolution weights (A = -0.75) of the 4 neighbours at offsets -1..2."""
    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return far(t + 1), near(t), near(1 - t), far(2 - t)


def _cubic_rows(in_size, out_size, align_corners, scale, dtype):
    s = _source_scale(in_size, out_size, align_corners, scale, dtype)
    rows = []
    for o in range(out_size):
        src = s * dtype(o) if align_corners else s * (dtype(o) + dtype(0.5)) - dtype(0.5)
        i = int(np.floor(src))
        weights = _cubic_weights(float(src - dtype(i)))
        rows.append([(min(max(i - 1 + k, 0), in_size - 1), w) for k, w in enumerate(weights)])
    return rows


def _check_sizes(input, size, scale_factor, mode, align_corners):
    nd = input.dim() - 2
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if size is not None:
        sizes = list(size) if isinstance(size, (list, tuple)) else [size] * nd
        if len(sizes) != nd:
            raise ValueError(f"Input and output must have the same number of spatial dimensions, "
                             f"but got input with spatial dimensions of {list(input.shape[2:])} "
                             f"and output size of {size}. Please provide input tensor in (N, C, "
                             "d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.")
        return [int(s) for s in sizes], None
    scales = list(scale_factor) if isinstance(scale_factor, (list, tuple)) else \
        [scale_factor] * nd
    if len(scales) != nd:
        raise ValueError(f"Input and scale_factor must have the same number of spatial "
                         f"dimensions, but got input with spatial dimensions of "
                         f"{list(input.shape[2:])} and scale_factor of shape {scale_factor}. "
                         "Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                         "scale_factor in (s1, s2, ...,sK) format.")
    return [math.floor(float(input.shape[2 + i]) * float(scales[i])) for i in range(nd)], scales


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """F.interpolate: resizes the spatial dims of a (N, C, *spatial) input to `size`, or by
    `scale_factor` (output = floor(in * scale)), in `mode`: nearest, nearest-exact, linear (3-D),
    bilinear / bicubic (4-D), trilinear (5-D) or area."""
    modes = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact")
    if mode not in modes:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                                  f"{input.dim()}D) for the modes: nearest | linear | bilinear | "
                                  f"bicubic | trilinear | area | nearest-exact (got {mode})")
    out, scales = _check_sizes(input, size, scale_factor, mode, align_corners)
    align_corners = bool(align_corners)
    if antialias:
        raise NotImplementedError("refimpl: interpolate(antialias=True) is not implemented")
    if recompute_scale_factor:
        scales = None
    nd = input.dim() - 2
    if nd not in (1, 2, 3) or _MODE_DIMS.get(mode, nd) != nd:
        raise NotImplementedError(
            f"Got {input.dim()}D input, but {mode} mode needs {_MODE_DIMS[mode] + 2}D input"
            if nd in (1, 2, 3) else
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for "
            f"the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact "
            f"(got {mode})")
    if any(o <= 0 for o in out):
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"({', '.join(map(str, input.shape[2:]))}) and output "
                           f"({', '.join(map(str, out))})")
    if mode == "area":
        return adaptive_avg_pool1d(input, out) if nd == 1 else adaptive_avg_pool_nd(input, out,
                                                                                      nd)
    dtype = input.dtype.np.type
    taps = []
    for d in range(nd):
        in_size, scale = input.shape[2 + d], None if scales is None else scales[d]
        if mode in ("nearest", "nearest-exact"):
            rows = _nearest_rows(in_size, out[d], scale, mode == "nearest-exact")
        elif mode == "bicubic":
            rows = _cubic_rows(in_size, out[d], align_corners, scale, dtype)
        else:
            rows = _linear_rows(in_size, out[d], align_corners, scale, dtype)
        taps.append(make_taps(rows, in_size))
    return linear_map(input, taps, _NODES[mode].format(nd))


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """F.upsample: the deprecated name of interpolate."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """F.upsample_nearest: interpolate(mode='nearest')."""
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """F.upsample_bilinear: interpolate(mode='bilinear', align_corners=True)."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
