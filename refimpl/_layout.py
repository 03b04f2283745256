"""Shape and stride arithmetic, written once: contiguity, broadcasting, and the output layout
rules of torch's TensorIterator and empty_like.

Spec torch.Tensor.layout-preserved: an elementwise op's output follows the memory layout of
its inputs (`(x.t() + 1).stride() == x.t().stride()`), not C order.
"""


def contiguous_strides(shape):
    """C-order strides in elements (a size-0 or size-1 dim counts as 1), remembered for the
    shapes seen last: every new tensor asks for them."""
    try:
        return _CONTIGUOUS[shape]
    except (KeyError, TypeError):
        pass
    strides, acc = [], 1
    for n in reversed(shape):
        strides.append(acc)
        acc *= max(int(n), 1)
    strides = tuple(reversed(strides))
    if type(shape) is tuple:
        if len(_CONTIGUOUS) > 4096:
            _CONTIGUOUS.clear()
        _CONTIGUOUS[shape] = strides
    return strides


_CONTIGUOUS = {}


def numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def is_contiguous(shape, strides):
    """torch's rule: dims of size 1 may have any stride; an empty tensor is contiguous."""
    if 0 in shape:
        return True
    expected = 1
    for n, s in zip(reversed(shape), reversed(strides)):
        if n != 1:
            if s != expected:
                return False
            expected *= n
    return True


def is_non_overlapping_and_dense(shape, strides):
    if is_contiguous(shape, strides):
        return True
    dims = sorted((d for d in range(len(shape)) if shape[d] != 1), key=lambda d: strides[d])
    expected = 1
    for d in dims:
        if strides[d] != expected:
            return False
        expected *= shape[d]
    return True


def broadcast_shapes(*shapes):
    """torch.broadcast_shapes; RuntimeError on a mismatch, naming the first dims that clash."""
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for shape in shapes:
        for i, n in enumerate(shape, ndim - len(shape)):
            if n == out[i] or n == 1:
                continue
            if out[i] == 1:
                out[i] = n
                continue
            raise RuntimeError(
                f"The size of tensor a ({out[i]}) must match the size of tensor b ({n}) at "
                f"non-singleton dimension {i}")
    return tuple(out)


def _broadcast_strides(shape, out_shape, strides):
    """Strides of an operand seen at the broadcast shape: 0 where it is broadcast."""
    lead = len(out_shape) - len(shape)
    return tuple(
        0 if i < lead or (shape[i - lead] == 1 and out_shape[i] != 1) else strides[i - lead]
        for i in range(len(out_shape)))


def _permutation(shape, operand_strides):
    """Dims from fastest to slowest varying, as TensorIterator sorts them: each pair of dims is
    ordered by the first operand whose strides for them differ (broadcast dims are skipped);
    on equal strides the smaller dim goes first."""
    ndim = len(shape)
    perm = list(range(ndim - 1, -1, -1))

    def should_swap(d0, d1):
        for strides in operand_strides:
            s0, s1 = strides[d0], strides[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return 1 if s0 > s1 else -1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    for i in range(1, ndim):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    return perm


def _strides_for_permutation(shape, perm, skip_small=True):
    """Dense strides with dims laid out fastest-first in `perm` order. With skip_small, dims of
    size 0 or 1 do not grow the stride (empty_like's rule); TensorIterator multiplies by every
    size, so a size-0 dim gives later dims stride 0."""
    strides, acc = [0] * len(shape), 1
    for d in perm:
        strides[d] = acc
        acc *= max(shape[d], 1) if skip_small else shape[d]
    return tuple(strides)


def elementwise_output_strides(out_shape, operands):
    """Strides torch gives a new output of an elementwise op over `operands` ((shape, strides)
    pairs, 0-dim operands included).

    When every operand has the output's shape: contiguous if all are contiguous, or their
    common strides if they share non-overlapping dense ones. Otherwise the dims are sorted by
    the operands' strides (broadcast dims ignored) and the output is dense in that order.
    """
    if all(s == out_shape for s, _ in operands):
        if all(is_contiguous(s, st) for s, st in operands):
            return contiguous_strides(out_shape)
        first = operands[0][1]
        if all(st == first for _, st in operands) and \
                is_non_overlapping_and_dense(out_shape, first):
            return tuple(first)
    perm = _permutation(out_shape, [_broadcast_strides(s, out_shape, st) for s, st in operands])
    if perm == list(range(len(out_shape) - 1, -1, -1)):
        return contiguous_strides(out_shape)
    return _strides_for_permutation(out_shape, perm, skip_small=False)


def empty_like_strides(shape, strides):
    """torch.empty_like(preserve_format): the same strides when dense, else dense strides in the
    input's stride order."""
    if is_non_overlapping_and_dense(shape, strides):
        return tuple(strides)
    return _strides_for_permutation(shape, _permutation(shape, [strides]))


def suggests_channels_last(shape, strides):
    """torch's suggest_memory_format: a 4-D (5-D) tensor whose strides order the dims as
    N, H, W, C (N, D, H, W, C) is channels-last. Sizes of 1 are ambiguous and a zero stride of
    C is not channels-last, as in c10's is_channels_last_strides_2d/3d."""
    if len(shape) not in (4, 5) or strides[1] == 0:
        return False
    order = (1, 3, 2, 0) if len(shape) == 4 else (1, 4, 3, 2, 0)
    lowest = 0
    for d in order:
        if shape[d] == 0 or strides[d] < lowest or (d == 0 and lowest == strides[1]):
            return False
        lowest = strides[d] * (shape[d] if shape[d] > 1 else 1)
    return True


def channels_last_strides(shape):
    """Dense strides with C fastest, then W, H (, D), N."""
    order = (1, 3, 2, 0) if len(shape) == 4 else (1, 4, 3, 2, 0)
    return _strides_for_permutation(shape, list(order))


# -- memory formats -------------------------------------------------------------------------------


class memory_format:
    """torch.memory_format: how a dense tensor's dims are ordered in memory. The four values
    are torch.contiguous_format (row-major), torch.channels_last (4-D, C fastest, then W, H,
    N), torch.channels_last_3d (5-D, the same with D) and torch.preserve_format (keep the
    input's dense order, for clone, *_like and to)."""

    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return f"torch.{self._name}"

    def __reduce__(self):
        return self._name  # pickles as the module-level singleton


contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
preserve_format = memory_format("preserve_format")

_CHANNELS_LAST_RANK = {"channels_last": 4, "channels_last_3d": 5}


def check_memory_format(fmt, fn):
    """torch's TypeError for a memory_format argument that is not one."""
    if not isinstance(fmt, memory_format):
        raise TypeError(f"{fn}(): argument 'memory_format' must be torch.memory_format, not "
                        f"{type(fmt).__name__}")


def format_strides(shape, fmt):
    """The dense strides of `shape` in a memory format (not preserve_format); the channels-last
    formats need a tensor of their rank (RuntimeError otherwise, as torch)."""
    rank = _CHANNELS_LAST_RANK.get(fmt._name)
    if rank is None:
        return contiguous_strides(shape)
    if len(shape) != rank:
        raise RuntimeError(f"required rank {rank} tensor to use {fmt._name} format")
    return channels_last_strides(shape)


def is_contiguous_as(shape, strides, fmt):
    """Tensor.is_contiguous(memory_format): dense in that format's order (dims of size 1 may
    have any stride; a tensor of another rank is not channels-last contiguous)."""
    rank = _CHANNELS_LAST_RANK.get(fmt._name)
    if rank is None:
        return is_contiguous(shape, strides)
    if len(shape) != rank:
        return False
    if numel(shape) == 0:
        return True
    expected = channels_last_strides(shape)
    return all(n == 1 or s == e for n, s, e in zip(shape, strides, expected))


def suggest_memory_format(shape, strides):
    """torch's suggest_memory_format: channels_last (channels_last_3d) for a 4-D (5-D) tensor
    whose strides order the dims channels-last, contiguous_format for everything else."""
    if suggests_channels_last(shape, strides):
        return channels_last if len(shape) == 4 else channels_last_3d
    return contiguous_format
