"""torch.nn.functional: pad (constant, reflect, replicate, circular).

`pad` lists (low, high) amounts starting from the last dim. Constant padding works on any
number of dims (negative amounts crop); the other modes pad the last 1, 2 or 3 dims of a
(C, *) or (N, C, *) input and are index maps: reflect mirrors without repeating the edge,
replicate repeats the edge, circular wraps around. Spec nn.functional.pad.modes.
"""

from ..._refs.nnlayers import constant_pad_nd, linear_map, make_taps

__all__ = ["pad"]


def _reflect(i, size):
    return -i if i < 0 else (2 * (size - 1) - i if i >= size else i)


_INDEX = {
    "reflect": _reflect,
    "replicate": lambda i, size: min(max(i, 0), size - 1),
}
_NODE = {"reflect": "ReflectionPad{}DBackward0", "replicate": "ReplicationPad{}DBackward0",
         # torch builds a circular pad by copying slices into a new tensor, so its result's
         # grad_fn is CopySlices for every nd (spec nn.functional.pad.modes)
         "circular": "CopySlices"}


def pad(input, pad, mode="constant", value=None):
    """F.pad: pads `input` by `pad` in `mode` ('constant' uses `value`, default 0)."""
    if mode == "constant":
        return constant_pad_nd(input, pad, 0 if value is None else value)
    if value is not None and value != 0:
        raise AssertionError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if mode not in _NODE:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    nd = len(pad) // 2
    if nd not in (1, 2, 3) or input.dim() not in (nd + 1, nd + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.dim()}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    pairs = [(pad[2 * i], pad[2 * i + 1]) for i in range(nd)][::-1]
    spatial = input.shape[-nd:]
    taps = []
    for d, ((lo, hi), size) in enumerate(zip(pairs, spatial)):
        dim = input.dim() - nd + d
        if mode == "reflect" and (lo >= size or hi >= size):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding "
                               f"input dimension, but got: padding ({lo}, {hi}) at dimension {dim}"
                               f" of input {list(input.shape)}")
        if mode == "circular" and (lo > size or hi > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "replicate" and size == 0:
            raise RuntimeError(f"Expected tensor to have non-zero size in dim {dim}")
        if mode == "circular":  # negative amounts crop first; the wrap stays in what is left
            start, kept = max(-lo, 0), size - max(-lo, 0) - max(-hi, 0)
            rows = [[((o - max(lo, 0)) % kept + start, 1.0)] for o in range(size + lo + hi)]
        else:
            rows = [[(_INDEX[mode](o - lo, size), 1.0)] for o in range(size + lo + hi)]
        taps.append(make_taps(rows, size))
    return linear_map(input, taps, _NODE[mode].format(nd))
