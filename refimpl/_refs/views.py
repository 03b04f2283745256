"""View ops: new shape, stride and storage offset over the same storage.

Spec torch.Tensor.view-shares-storage: a view's elements are its base's elements; writing
through one is seen through the other; `_base` names the owner; `view` fails where no strides
can express the new shape (use `reshape`).
"""

from .. import _layout
from .._dispatch import op, view
from .._tensor import Tensor, wrap_dim


def _shape_arg(shape):
    """Sizes given as view(2, 3) or view((2, 3))."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for s in shape:
        if not isinstance(s, int) or isinstance(s, bool):
            raise TypeError(f"view(): argument 'size' must be tuple of ints, but found element "
                            f"of type {type(s).__name__}")
    return tuple(shape)


def infer_size(shape, numel):
    """Replace a single -1 by the size that makes the element count `numel`."""
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return tuple(numel // known if s == -1 else s for s in shape)
    if known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def view_strides(old_shape, old_strides, new_shape):
    """Strides giving `new_shape` over the same memory, or None when there are none.

    The old dims split into chunks that are contiguous among themselves; every chunk must be
    covered exactly by a run of new dims, which then get strides inside that chunk.
    """
    if not old_shape:
        return (1,) * len(new_shape)
    if _layout.numel(old_shape) == 0:
        return tuple(old_strides) if old_shape == new_shape else \
            _layout.contiguous_strides(new_shape)
    new_strides = [0] * len(new_shape)
    v = len(new_shape) - 1
    base_stride, chunk_numel = old_strides[-1], 1
    for d in range(len(old_shape) - 1, -1, -1):
        chunk_numel *= old_shape[d]
        chunk_ends = d == 0 or (old_shape[d - 1] != 1 and
                                old_strides[d - 1] != chunk_numel * base_stride)
        if not chunk_ends:
            continue
        view_numel = 1
        while v >= 0 and (view_numel < chunk_numel or new_shape[v] == 1):
            new_strides[v] = view_numel * base_stride
            view_numel *= new_shape[v]
            v -= 1
        if view_numel != chunk_numel:
            return None
        if d > 0:
            base_stride, chunk_numel = old_strides[d - 1], 1
    return tuple(new_strides) if v == -1 else None


@view(grad_fn="ViewBackward0", method=False)
def _view(input, shape):
    shape = infer_size(shape, input.numel())
    strides = view_strides(input._shape, input._stride, shape)
    if strides is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.")
    return shape, strides, input._offset


_view.defvjp(lambda grad, input_shape: grad.reshape(input_shape))


def _tensor_view(self, *shape):
    """Tensor.view(*shape): the same data with a new shape (one size may be -1)."""
    return _view(self, _shape_arg(shape))


def reshape(input, *shape):
    """torch.reshape: a view when strides allow one, else a contiguous copy."""
    shape = infer_size(_shape_arg(shape), input.numel())
    if view_strides(input._shape, input._stride, shape) is not None:
        return _view(input, shape)
    return input.clone(memory_format="contiguous")._view_as_shape(shape)


@view(grad_fn="TransposeBackward0")
def transpose(input, dim0, dim1):
    """torch.transpose: swap two dims (a view)."""
    n = input.dim()
    d0, d1 = wrap_dim(dim0, n), wrap_dim(dim1, n)
    shape, stride = list(input._shape), list(input._stride)
    if shape:
        shape[d0], shape[d1] = shape[d1], shape[d0]
        stride[d0], stride[d1] = stride[d1], stride[d0]
    return shape, stride, input._offset


transpose.defvjp(lambda grad, dim0, dim1: grad.transpose(dim0, dim1))


@view(grad_fn="TBackward0")
def t(input):
    """torch.t: transpose of a tensor with at most 2 dims."""
    if input.dim() > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{input.dim()}D")
    return input._shape[::-1], input._stride[::-1], input._offset


t.defvjp(lambda grad: grad.t())


@view(grad_fn="SelectBackward0")
def select(input, dim, index):
    """torch.select: the slice at `index` along `dim`, with that dim removed (a view)."""
    if input.dim() == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, input.dim())
    size = input._shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input._shape)} at dimension {dim}")
    index = index + size if index < 0 else index
    shape = input._shape[:d] + input._shape[d + 1:]
    stride = input._stride[:d] + input._stride[d + 1:]
    return shape, stride, input._offset + index * input._stride[d]


@op(tensors=("grad",), grad_fn="SelectBackwardBackward0", method=False)
def _select_backward(xp, grad, input_shape, dim, index):
    """The gradient of select: zeros of the input's shape with grad at `index` along `dim`."""
    out = xp.full(input_shape, 0, grad.dtype.np)
    xp.copy_(xp.select(out, dim, index), grad._array)
    return out, grad.dtype


select.defvjp(lambda grad, input_shape, dim, index:
              _select_backward(grad, input_shape, wrap_dim(dim, len(input_shape)), index))
_select_backward.defvjp(lambda grad, dim, index: grad.select(dim, index))


@view(grad_fn="UnsqueezeBackward0")
def unsqueeze(input, dim):
    """torch.unsqueeze: insert a dim of size 1 at `dim` (a view)."""
    d = wrap_dim(dim, input.dim() + 1)
    stride = input._shape[d] * input._stride[d] if d < input.dim() else 1
    return (input._shape[:d] + (1,) + input._shape[d:],
            input._stride[:d] + (stride,) + input._stride[d:], input._offset)


unsqueeze.defvjp(lambda grad, dim: grad.squeeze(dim))


@view(grad_fn="SqueezeBackward1")
def squeeze(input, dim):
    """torch.squeeze(input, dim): remove `dim` if its size is 1 (a view)."""
    if input.dim() == 0:
        wrap_dim(dim, 0)
        return (), (), input._offset
    d = wrap_dim(dim, input.dim())
    if input._shape[d] != 1:
        return input._shape, input._stride, input._offset
    return (input._shape[:d] + input._shape[d + 1:], input._stride[:d] + input._stride[d + 1:],
            input._offset)


squeeze.defvjp(lambda grad, input_shape, dim: grad.reshape(input_shape))


@view(grad_fn="ExpandBackward0", method=False)
def _expand(input, size):
    n_new = len(size) - input.dim()
    if n_new < 0:
        raise RuntimeError(f"expand({input.type()}{{{list(input._shape)}}}, size={list(size)}): "
                           "the number of sizes provided "
                           f"({len(size)}) must be greater or equal to the number of dimensions "
                           f"in the tensor ({input.dim()})")
    shape, stride = [], []
    for i, s in enumerate(size):
        if i < n_new:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a "
                                   "leading, non-existing dimension 0")
            shape.append(s)
            stride.append(0)
            continue
        old, old_stride = input._shape[i - n_new], input._stride[i - n_new]
        if s == -1:
            s = old
        if old == s:
            shape.append(s)
            stride.append(old_stride)
        elif old == 1:
            shape.append(s)
            stride.append(0)
        else:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                               f"size ({old}) at non-singleton dimension {i}.  Target sizes: "
                               f"{list(size)}.  Tensor sizes: {list(input._shape)}")
    return shape, stride, input._offset


_expand.defvjp(lambda grad, input_shape: grad.sum_to_size(input_shape))


def _tensor_expand(self, *size):
    """Tensor.expand(*sizes): a view with size-1 dims repeated (stride 0); -1 keeps a size."""
    return _expand(self, _shape_arg(size))


def sum_to_size(self, *size):
    """Tensor.sum_to_size: sum the dims that broadcasting to self's shape expanded.

    The one place where gradients of broadcast inputs are reduced."""
    size = _shape_arg(size)
    if tuple(size) == self._shape:
        return self
    lead = self.dim() - len(size)
    if lead < 0 or any(s != 1 and s != n for s, n in zip(size, self._shape[lead:])):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size "
                           f"{{{list(self._shape)}}}.")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(size)
                                      if s == 1 and self._shape[lead + i] != 1)
    out = self.sum(dims, keepdim=True) if dims else self
    return out.view(size) if lead else out


Tensor.view = _tensor_view
Tensor.reshape = reshape
Tensor.expand = _tensor_expand
Tensor.sum_to_size = sum_to_size
Tensor._view_as_shape = lambda self, shape: _view(self, tuple(shape))

__all__ = ["reshape", "select", "squeeze", "t", "transpose", "unsqueeze"]
