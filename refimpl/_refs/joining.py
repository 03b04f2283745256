"""Joining and copying ops: cat, stack and the ops built on them, flip, roll, repeat, tile,
tril/triu, diag.

Spec torch.cat: tensors of the same number of dims whose sizes agree except along `dim` are
joined along it; the result dtype is the promotion of the inputs' dtypes; 1-D empty tensors
(size [0]) are skipped, for backward compatibility. Spec torch.stack: tensors of equal shape
are joined along a new dim.
"""

from .. import _dtype, _layout
from .._dispatch import _needs_grad, _write_out, op
from .._tensor import Tensor, device_of, wrap_dim
from .reduction import reduced_dims
from .views import _shape_arg, record


def _tensor_list(name, tensors):
    """torch's TypeErrors for a `tensors` argument that is not a sequence of Tensors."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        f"not {type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    return list(tensors)


def _int_arg(name, arg, value):
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name}(): argument '{arg}' must be int, not {type(value).__name__}")
    return value


def _is_legacy_empty(t):
    """A 1-D tensor of size 0: cat skips it whatever the other tensors' shapes."""
    return t._shape == (0,)


def _cat_output_strides(shape, tensors):
    """cat's output layout: channels-last when every input is channels-last, else
    contiguous."""
    if all(_layout.suggests_channels_last(t._shape, t._stride) for t in tensors):
        return _layout.channels_last_strides(shape)
    return _layout.contiguous_strides(shape)


def _concatenate(tensors, dim, keep_channels_last=True):
    """The joined tensor (no autograd) and the (offset, size) each input fills along dim;
    contiguous, or channels-last as cat keeps it (stack's result is always contiguous)."""
    dtype = _dtype.result_type(*tensors)
    device = device_of(tensors)
    if len({t._device for t in tensors}) > 1:
        raise RuntimeError(f"Expected all tensors to be on the same device, but found at least "
                           f"two devices, {tensors[0]._device} and {device}!")
    kept = [t for t in tensors if not _is_legacy_empty(t)]
    if not kept:
        return Tensor._empty((0,), dtype, device), dim, [(0, 0)] * len(tensors)
    ref = kept[0]
    for i, t in enumerate(tensors):
        if t.dim() == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
    dim = wrap_dim(dim, ref.dim())
    size = 0
    for i, t in enumerate(tensors):
        if _is_legacy_empty(t):
            continue
        if t.dim() != ref.dim():
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.dim()} "
                               f"and {t.dim()}")
        for d in range(ref.dim()):
            if d != dim and t._shape[d] != ref._shape[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size "
                    f"{ref._shape[d]} but got size {t._shape[d]} for tensor number {i} in "
                    "the list.")
        size += t._shape[dim]
    shape = ref._shape[:dim] + (size,) + ref._shape[dim + 1:]
    strides = _cat_output_strides(shape, kept) if keep_channels_last else None
    out = Tensor._empty(shape, dtype, device, strides)
    xp = out._xp
    spans, start = [], 0
    for t in tensors:
        if _is_legacy_empty(t):
            spans.append((start, 0))
            continue
        n = t._shape[dim]
        if t.numel():
            xp.copy_(out.narrow(dim, start, n)._array, t._array)
        spans.append((start, n))
        start += n
    return out, dim, spans


def _write_or_record(name, out, result, tensors, backward):
    if out is not None:
        return _write_out(name, out, result._array, result._dtype, tensors)
    return record(backward.__name__, tensors, result, backward) if _needs_grad(tensors) \
        else result


def cat(tensors, dim=0, *, out=None):
    """torch.cat: join `tensors` along the existing dim `dim`. Spec torch.cat."""
    tensors = _tensor_list("cat", tensors)
    _int_arg("cat", "dim", dim)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    result, dim, spans = _concatenate(tensors, dim)

    def CatBackward0(grads):
        (g,) = grads
        return [None if g is None else
                (g.narrow(dim, start, n) if not _is_legacy_empty(t) else g.new_zeros((0,)))
                for t, (start, n) in zip(tensors, spans)]

    return _write_or_record("cat", out, result, tensors, CatBackward0)


def concat(tensors, dim=0, *, out=None):
    """torch.concat: an alias of torch.cat."""
    return cat(tensors, dim, out=out)


def concatenate(tensors, axis=0, out=None):
    """torch.concatenate: an alias of torch.cat with NumPy's `axis` name."""
    return cat(tensors, axis, out=out)


def stack(tensors, dim=0, *, out=None):
    """torch.stack: join tensors of equal shape along a new dim `dim`. Spec torch.stack."""
    tensors = _tensor_list("stack", tensors)
    _int_arg("stack", "dim", dim)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        if t._shape != tensors[0]._shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(tensors[0]._shape)} at entry 0 and {list(t._shape)} at "
                               f"entry {i}")
    dim = wrap_dim(dim, tensors[0].dim() + 1)
    first = tensors[0]
    if all(t._dtype is first._dtype and t._device == first._device for t in tensors):
        # one dtype and device (a batch of samples): copy each into its slot of the result
        result = Tensor._empty(first._shape[:dim] + (len(tensors),) + first._shape[dim:],
                               first._dtype, first._device)
        xp, array = result._xp, result._array
        for i, t in enumerate(tensors):
            xp.copy_(xp.select(array, dim, i), t._array)
    else:  # promotion across dtypes, devices: cat's general path
        result, _, _ = _concatenate([t.detach().unsqueeze(dim) for t in tensors], dim, False)

    def StackBackward0(grads):
        (g,) = grads
        return [None if g is None else g.select(dim, i) for i in range(len(tensors))]

    return _write_or_record("stack", out, result, tensors, StackBackward0)




def _at_least(name, ndim, grow):
    def atleast(*tensors):
        if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
            return tuple(atleast(t) for t in tensors[0])
        if len(tensors) > 1:
            return tuple(atleast(t) for t in tensors)
        t = tensors[0]
        return t if t.dim() >= ndim else grow(t)
    atleast.__name__ = name
    atleast.__doc__ = f"torch.{name}: tensors with fewer than {ndim} dims reshaped to {ndim}."
    return atleast


atleast_1d = _at_least("atleast_1d", 1, lambda t: t.reshape(1))
atleast_2d = _at_least("atleast_2d", 2, lambda t: t.unsqueeze(0) if t.dim() else t.reshape(1, 1))
atleast_3d = _at_least("atleast_3d", 3, lambda t: {
    0: lambda: t.reshape(1, 1, 1), 1: lambda: t.unsqueeze(0).unsqueeze(-1),
    2: lambda: t.unsqueeze(-1)}[t.dim()]())


def _non_empty(name, tensors):
    tensors = _tensor_list(name, tensors)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def hstack(tensors, *, out=None):
    """torch.hstack: cat along dim 1 (dim 0 for 1-D tensors) after atleast_1d."""
    ts = [atleast_1d(t) for t in _non_empty("hstack", tensors)]
    return cat(ts, 0 if ts[0].dim() == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    """torch.vstack (row_stack): cat along dim 0 after atleast_2d."""
    return cat([atleast_2d(t) for t in _non_empty("vstack", tensors)], 0, out=out)


def row_stack(tensors, *, out=None):
    """torch.row_stack: an alias of vstack."""
    return vstack(tensors, out=out)


def dstack(tensors, *, out=None):
    """torch.dstack: cat along dim 2 after atleast_3d."""
    return cat([atleast_3d(t) for t in _non_empty("dstack", tensors)], 2, out=out)


def column_stack(tensors, *, out=None):
    """torch.column_stack: 0-D and 1-D tensors become columns (n, 1), then cat along dim 1."""
    ts = [t.reshape(t.numel(), 1) if t.dim() <= 1 else t
          for t in _non_empty("column_stack", tensors)]
    return cat(ts, 1, out=out)


# -- flip, roll, rot90 -----------------------------------------------------------------------------


def _dims_list(name, dims):
    if isinstance(dims, int) and not isinstance(dims, bool):
        raise TypeError(f"{name}(): argument 'dims' (position 2) must be tuple of ints, not int")
    return tuple(dims)


@op(tensors=("input",), method=False)
def flip(xp, input, dims):
    """torch.flip: the order of elements reversed along `dims` (a copy, unlike NumPy's view;
    the copy keeps input's dense layout)."""
    axes = reduced_dims(_dims_list("flip", dims), input.dim()) if len(dims) else ()
    out = Tensor._empty(input._shape, input._dtype, input._device,
                        _layout.empty_like_strides(input._shape, input._stride))
    xp.copy_(out._array, xp.flip(input._array, axes) if axes else input._array)
    return out


flip.defvjp(lambda grad, dims: grad.flip(dims))


def fliplr(input):
    """torch.fliplr: flip along dim 1 (at least 2-D)."""
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input):
    """torch.flipud: flip along dim 0 (at least 1-D)."""
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def _roll_args(input, shifts, dims):
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = () if dims is None else ((dims,) if isinstance(dims, int) else tuple(dims))
    if not shifts:
        raise RuntimeError("`shifts` required")
    if not dims and len(shifts) == 1:
        return shifts, None
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    if input.dim() == 0:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    return shifts, tuple(wrap_dim(d, input.dim()) for d in dims)


@op(tensors=("input",))
def roll(xp, input, shifts, dims=None):
    """torch.roll: elements shifted cyclically along `dims` (over the flattened tensor when
    dims is not given); contiguous result."""
    shifts, axes = _roll_args(input, shifts, dims)
    if input.numel() == 0:  # torch rolls a flattened copy when no dims are given
        flat = axes is None and input.dim() != 1
        return input.clone(memory_format=_layout.contiguous_format if flat
                           else _layout.preserve_format)
    if axes is None:
        rolled = xp.roll(input._array.reshape(-1), shifts[0], 0).reshape(input._shape)
    else:
        rolled = xp.roll(input._array, shifts, axes)
    return rolled, input._dtype


def _unroll(grad, shifts, dims):
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    return grad.roll(tuple(-s for s in shifts), dims)


roll.defvjp(_unroll)


def rot90(input, k=1, dims=(0, 1)):
    """torch.rot90: rotation by 90 degrees k times in the plane of `dims`, from the first
    towards the second dim (flips and a transpose; Rot90Backward0)."""
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.dim() < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.dim()}")
    d0, d1 = wrap_dim(dims[0], input.dim()), wrap_dim(dims[1], input.dim())
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and "
                           f"dim1 = {d1}")
    x = input.detach()
    k %= 4
    result = {0: lambda: x.clone(memory_format=_layout.contiguous_format),
              1: lambda: x.flip((d1,)).transpose(d0, d1),
              2: lambda: x.flip((d0, d1)),
              3: lambda: x.flip((d0,)).transpose(d0, d1)}[k]()
    result = Tensor._make(result._storage, result._offset, result._shape, result._stride,
                          result._dtype, result._device)
    return record("Rot90Backward0", [input], result, lambda g: [g[0].rot90(-k, (d0, d1))])


# -- repeat, tile, repeat_interleave ---------------------------------------------------------------


@op(tensors=("input",), grad_fn="RepeatBackward0", method=False)
def _repeat(xp, input, repeats):
    if len(repeats) < input.dim():
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    shape = (1,) * (len(repeats) - input.dim()) + input._shape
    out = tuple(n * r for n, r in zip(shape, repeats))
    for r in repeats:
        if r < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {min(out)}: "
                               f"{list(out)}")
    return xp.tile(input._array.reshape(shape), repeats), input._dtype


def _repeat_backward(grad, input_shape, repeats):
    """Each input element gets the sum of the gradients of its copies."""
    shape = (1,) * (len(repeats) - len(input_shape)) + tuple(input_shape)
    split = [n for r, s in zip(repeats, shape) for n in (r, s)]
    return grad.reshape(split).sum(tuple(range(0, len(split), 2))).reshape(input_shape)


_repeat.defvjp(_repeat_backward)


def repeat(self, *sizes):
    """Tensor.repeat(*sizes): the tensor tiled sizes[i] times along each dim (leading new dims
    when there are more sizes than dims)."""
    if not sizes:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    return _repeat(self, _shape_arg(sizes, "repeat", "repeats"))


def tile(input, dims):
    """torch.tile: repeat, with missing leading repeats taken as 1."""
    dims = _shape_arg((dims,) if isinstance(dims, (list, tuple)) else (dims,), "tile", "dims")
    return _repeat(input, (1,) * (input.dim() - len(dims)) + dims)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """torch.repeat_interleave: each element repeated `repeats` times (an int, or one count per
    element along dim), over the flattened input when dim is None. With only a tensor of
    counts, the indices repeated by those counts."""
    from .indexing import index_select
    if repeats is None:
        counts = input
        return repeat_interleave(Tensor._from_array(
            counts._xp.to_device(__import__("numpy").arange(counts.numel())), _dtype.int64,
            counts._device), counts, 0)
    if dim is None:
        input, dim = input.reshape(-1), 0
    d = wrap_dim(dim, input.dim())
    n = input._shape[d]
    if isinstance(repeats, Tensor):
        if repeats.dim() > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if repeats.dim() == 1 and repeats.numel() != 1:
            if repeats.numel() != n:
                raise RuntimeError(f"repeats must have the same size as input along dim, but "
                                   f"got repeats.size(0) = {repeats.numel()} and input.size("
                                   f"{d}) = {n}")
            counts = repeats.tolist()
            if any(c < 0 for c in counts):
                raise RuntimeError("repeats can not be negative")
            index = [i for i, c in enumerate(counts) for _ in range(c)]
            return index_select(input, d, input.new_tensor(index, dtype=_dtype.int64))
        repeats = int(repeats.item())
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    shape = input._shape
    expanded = input.unsqueeze(d + 1).expand(shape[:d + 1] + (repeats,) + shape[d + 1:])
    return expanded.clone(memory_format=_layout.contiguous_format).view(
        shape[:d] + (n * repeats,) + shape[d + 1:])


# -- triangles and diagonals ---------------------------------------------------------------------


def _triangle(name, kernel):
    @op(tensors=("input",), name=name)
    def triangle(xp, input, diagonal=0):
        if input.dim() < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
        return getattr(xp, kernel)(input._array, diagonal), input._dtype
    triangle.__doc__ = (f"torch.{name}: the {'lower' if name == 'tril' else 'upper'} triangle "
                        "of the last two dims (elements off it set to zero); contiguous result.")
    triangle.defvjp(lambda grad, diagonal: getattr(grad, name)(diagonal))
    return triangle


tril = _triangle("tril", "tril")
triu = _triangle("triu", "triu")


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """torch.diag_embed: the last dim of input placed on the diagonal `offset` of dims dim1,
    dim2 of a new zero tensor (one dim larger)."""
    n = input.dim() + 1
    d1, d2 = wrap_dim(dim1, n), wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    size = (input._shape[-1] if input.dim() else 1) + abs(offset)
    rest = list(input._shape[:-1])
    shape = []
    for d in range(n):
        shape.append(size if d in (d1, d2) else rest.pop(0))
    out = input.detach().new_zeros(shape)
    out._xp.copy_(out.diagonal(offset, d1, d2)._array, input._array)
    return record("DiagEmbedBackward0", [input], out,
                  lambda g: [g[0].diagonal(offset, d1, d2)])


def diag(input, diagonal=0):
    """torch.diag: a 1-D input becomes a square matrix with it on diagonal `diagonal`; a 2-D
    input gives (a copy of) that diagonal."""
    if input.dim() == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.dim() != 2:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.dim()}D")
    d = input.detach().diagonal(diagonal).clone(memory_format=_layout.contiguous_format)
    return record("DiagonalBackward0_copy", [input], d, lambda g: [
        _diag_scatter(g[0], input._shape, diagonal)])


def _diag_scatter(grad, shape, diagonal):
    from .views import _scatter_back
    return _scatter_back(grad, shape, lambda z: z.diagonal(diagonal))


Tensor.repeat = repeat
Tensor.flip = lambda self, *dims: flip(self, dims[0] if len(dims) == 1 and
                                       isinstance(dims[0], (list, tuple)) else dims)
Tensor.fliplr = fliplr
Tensor.flipud = flipud
Tensor.rot90 = rot90
Tensor.tile = tile
Tensor.repeat_interleave = repeat_interleave
Tensor.diag = diag
Tensor.diag_embed = diag_embed

__all__ = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "row_stack", "dstack",
           "column_stack", "atleast_1d", "atleast_2d", "atleast_3d", "flip", "fliplr", "flipud",
           "roll", "rot90", "tile", "repeat_interleave", "tril", "triu", "diag", "diag_embed"]
