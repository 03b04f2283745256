"""View ops: new shape, stride and storage offset over the same storage.

Spec torch.Tensor.view-shares-storage: a view's elements are its base's elements; writing
through one is seen through the other; `_base` names the owner; `view` fails where no strides
can express the new shape (use `reshape`).
"""

from .. import _layout
from .._dispatch import _needs_grad, op, view
from .._tensor import Tensor, wrap_dim
from ..autograd.grad_mode import is_grad_enabled
from ..autograd.graph import Node, gradient_edge


class FunctionNode(Node):
    """A node whose backward is one function of the output gradients: for ops with a list
    of inputs (cat, stack, index_put) or several outputs (unbind, split, chunk).

    `backward(grads)` receives one gradient per output (None where none arrived) and returns
    one per input, cast back to each input's dtype here."""

    __slots__ = ("_backward", "_dtypes", "_n_outputs")

    def apply(self, grads):
        n = max(grads, default=-1) + 1
        outs = self._backward([grads.get(i) for i in range(max(n, self._n_outputs))])
        return tuple(None if g is None or d is None else (g if g._dtype is d else g.to(d))
                     for g, d in zip(outs, self._dtypes))

    def release(self):
        self._backward = _freed


def _freed(grads):
    from ..autograd.graph import FREED_MESSAGE
    raise RuntimeError(FREED_MESSAGE)


_function_nodes = {}


def record(name, inputs, outputs, backward):
    """Attach one node called `name` to `outputs` (a tensor or a list) for the gradients of
    `inputs` (Tensors, or None for arguments that are not differentiable); returns outputs.
    Nothing is recorded when no input requires grad or the outputs are not floating."""
    tensors = [t for t in inputs if t is not None]
    outs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    if not _needs_grad(tensors) or not outs or \
            not (outs[0]._dtype.is_floating_point or outs[0]._dtype.is_complex):
        return outputs
    cls = _function_nodes.get(name)
    if cls is None:
        cls = _function_nodes[name] = type(name, (FunctionNode,), {"__slots__": ()})
    node = cls([gradient_edge(t) if t is not None and t._requires_grad else (None, 0)
                for t in inputs])
    node._backward = backward
    node._dtypes = tuple(t._dtype if t is not None and t._requires_grad else None
                         for t in inputs)
    node._n_outputs = len(outs)
    for i, o in enumerate(outs):
        o._grad_fn, o._output_nr, o._requires_grad = node, i, True
    return outputs


def _shape_arg(shape, name="view", arg="size"):
    """Sizes given as view(2, 3) or view((2, 3)); torch's TypeError for non-int sizes."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for s in shape:
        if isinstance(s, Tensor) and s.dim() == 0 and not s._dtype.is_floating_point:
            continue
        if not isinstance(s, int) or isinstance(s, bool):
            raise TypeError(f"{name}(): argument '{arg}' must be tuple of ints, but found "
                            f"element of type {type(s).__name__} at pos {shape.index(s)}")
    return tuple(int(s) for s in shape)


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


# -- the gradient of every view: the output gradient written into zeros of the input's shape --


@op(tensors=("grad",), grad_fn="ViewScatterBackward0", method=False)
def _into_zeros(xp, grad, input_shape, view_of):
    """Zeros of `input_shape` with `grad` written into the elements `view_of(zeros)` views.
    Its own derivative is that view of the incoming gradient, so create_graph works."""
    out = Tensor._from_array(xp.full(input_shape, 0, grad._dtype.np), grad._dtype,
                             grad._device)
    if grad.numel():
        xp.copy_(view_of(out)._array, grad._array)
    return out


_into_zeros.defvjp(lambda grad, view_of: view_of(grad))


def _scatter_back(grad, input_shape, view_of):
    return _into_zeros(grad, tuple(input_shape), view_of)


# -- view and reshape -----------------------------------------------------------------------------


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


def _view_dtype(self, dtype):
    """Tensor.view(dtype): the same bytes read as another dtype. With a different element
    size the last dim (which must have stride 1) shrinks or grows by the size ratio."""
    from .._tensor import scalar_type_name
    old, new = self._dtype.itemsize, dtype.itemsize
    if dtype is self._dtype:
        return self._alias()
    if old == new:
        shape, stride, offset = self._shape, self._stride, self._offset
    else:
        what = (f"to view {scalar_type_name(self._dtype)} as {scalar_type_name(dtype)} "
                "(different element sizes)")
        if self.dim() == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if self._stride[-1] != 1:
            raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {self._stride[-1]}")
        if new > old:
            ratio = new // old
            for name, value in (("size(-1)", self._shape[-1]),
                                ("storage_offset()", self._offset)):
                if value % ratio:
                    raise RuntimeError(f"self.{name} must be divisible by {ratio} {what}, but "
                                       f"got {value}")
            for d in range(self.dim() - 1):
                if self._stride[d] % ratio:
                    raise RuntimeError(f"self.stride({d}) must be divisible by {ratio} {what}, "
                                       f"but got {self._stride[d]}")
            shape = self._shape[:-1] + (self._shape[-1] // ratio,)
            stride = tuple(s // ratio for s in self._stride[:-1]) + (1,)
            offset = self._offset // ratio
        else:
            ratio = old // new
            shape = self._shape[:-1] + (self._shape[-1] * ratio,)
            stride = tuple(s * ratio for s in self._stride[:-1]) + (1,)
            offset = self._offset * ratio
    # torch gives the result the same storage and version counter but no _base
    return Tensor._make(self._storage, offset, shape, stride, dtype, self._device,
                        self._version_counter)


def _tensor_view(self, *shape):
    """Tensor.view(*shape): the same data with a new shape (one size may be -1); or
    Tensor.view(dtype): the same bytes as another dtype."""
    from .._dtype import dtype as dtype_class
    if len(shape) == 1 and isinstance(shape[0], dtype_class):
        return _view_dtype(self, shape[0])
    return _view(self, _shape_arg(shape))


def reshape(input, *shape):
    """torch.reshape: a view when strides allow one, else a contiguous copy
    (UnsafeViewBackward0 after the copy, as in torch)."""
    shape = infer_size(_shape_arg(shape, "reshape", "shape"), input.numel())
    if view_strides(input._shape, input._stride, shape) is not None:
        return _view(input, shape)
    out = _unsafe_view(input.clone(memory_format=_layout.contiguous_format), shape)
    out._base = None  # the copy's own storage: not a view of anything
    return out


@view(grad_fn="UnsafeViewBackward0", method=False)
def _unsafe_view(input, shape):
    return shape, _layout.contiguous_strides(shape), input._offset


_unsafe_view.defvjp(lambda grad, input_shape: grad.reshape(input_shape))


def view_as(self, other):
    """Tensor.view_as: self.view(other.size())."""
    return _view(self, other._shape)


def reshape_as(self, other):
    """Tensor.reshape_as: self.reshape(other.size())."""
    return reshape(self, other._shape)


def flatten(input, start_dim=0, end_dim=-1):
    """torch.flatten: dims start_dim..end_dim merged into one (a view when possible); a 0-dim
    tensor becomes 1-D."""
    if input.dim() == 0:
        return reshape(input, (1,))
    start, end = wrap_dim(start_dim, input.dim()), wrap_dim(end_dim, input.dim())
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    merged = _layout.numel(input._shape[start:end + 1])
    return reshape(input, input._shape[:start] + (merged,) + input._shape[end + 1:])


def unflatten(input, dim, sizes):
    """torch.unflatten: dim `dim` split into `sizes` (one may be -1); a view."""
    d = wrap_dim(dim, input.dim())
    sizes = _shape_arg((sizes,), "unflatten", "sizes")
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if sizes.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    inferred = infer_size(sizes, input._shape[d]) if -1 in sizes else sizes
    if _layout.numel(inferred) != input._shape[d]:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the "
                           f"size of dim {dim} ({input._shape[d]}) in the input tensor")
    return _view(input, input._shape[:d] + tuple(inferred) + input._shape[d + 1:])


# -- dims: transpose, permute, squeeze, unsqueeze -----------------------------------------------


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


def swapaxes(input, axis0, axis1):
    """torch.swapaxes: an alias of transpose."""
    return transpose(input, axis0, axis1)


def swapdims(input, dim0, dim1):
    """torch.swapdims: an alias of transpose."""
    return transpose(input, dim0, dim1)


@view(grad_fn="TBackward0")
def t(input):
    """torch.t: transpose of a tensor with at most 2 dims."""
    if input.dim() > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{input.dim()}D")
    return input._shape[::-1], input._stride[::-1], input._offset


t.defvjp(lambda grad: grad.t())


def _dims_arg(dims, name):
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    return _shape_arg(dims, name, "dims")


@view(grad_fn="PermuteBackward0")
def permute(input, dims):
    """torch.permute: dims reordered as `dims` (a view)."""
    dims = tuple(dims)
    if len(dims) != input.dim():
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {input.dim()} is not equal to len(dims) = {len(dims)}")
    wrapped = [wrap_dim(d, input.dim()) for d in dims]
    if len(set(wrapped)) != len(wrapped):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return (tuple(input._shape[d] for d in wrapped), tuple(input._stride[d] for d in wrapped),
            input._offset)


def _inverse_permutation(dims, ndim):
    inverse = [0] * ndim
    for i, d in enumerate(dims):
        inverse[wrap_dim(d, ndim)] = i
    return tuple(inverse)


permute.defvjp(lambda grad, dims: grad.permute(_inverse_permutation(dims, grad.dim())))


def movedim(input, source, destination):
    """torch.movedim: dims `source` moved to positions `destination`, the others keeping their
    order (a permute)."""
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} "
                           f"dims) should contain the same number of dims as destination "
                           f"({list(dst)} dims)")
    n = input.dim()
    src = [wrap_dim(d, n) for d in src]
    dst = [wrap_dim(d, n) for d in dst]
    if len(set(src)) != len(src):
        raise RuntimeError(f"movedim: repeated dim in `source` ({list(source)})")
    if len(set(dst)) != len(dst):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({list(destination)})")
    order = [-1] * n
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(d for d in range(n) if d not in src)
    order = [next(rest) if o == -1 else o for o in order]
    return permute(input, tuple(order))


def moveaxis(input, source, destination):
    """torch.moveaxis: an alias of movedim."""
    return movedim(input, source, destination)


@view(grad_fn="UnsqueezeBackward0")
def unsqueeze(input, dim):
    """torch.unsqueeze: insert a dim of size 1 at `dim` (a view)."""
    d = wrap_dim(dim, input.dim() + 1)
    stride = input._shape[d] * input._stride[d] if d < input.dim() else 1
    return (input._shape[:d] + (1,) + input._shape[d:],
            input._stride[:d] + (stride,) + input._stride[d:], input._offset)


unsqueeze.defvjp(lambda grad, dim: grad.squeeze(dim))


def dim_set(dims, ndim):
    """The dims of a dim list, wrapped, in the order torch checks them: a dim out of range is
    an IndexError, a repeated one a RuntimeError."""
    seen = set()
    for d in dims:
        w = wrap_dim(d, ndim)
        if w in seen:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        seen.add(w)
    return seen


def _squeeze_grad_fn(input, dim=None):
    if dim is None:
        return "SqueezeBackward0"
    return "SqueezeBackward1" if isinstance(dim, int) else "SqueezeBackward2"


@view(grad_fn=_squeeze_grad_fn)
def squeeze(input, dim=None):
    """torch.squeeze: remove dims of size 1 (all of them, `dim`, or the dims of a tuple that
    have size 1; others are kept silently). A view."""
    if dim is None:
        keep = [d for d in range(input.dim()) if input._shape[d] != 1]
    else:
        dims = dim_set((dim,) if isinstance(dim, int) else tuple(dim), input.dim())
        keep = [d for d in range(input.dim()) if d not in dims or input._shape[d] != 1]
    return (tuple(input._shape[d] for d in keep), tuple(input._stride[d] for d in keep),
            input._offset)


squeeze.defvjp(lambda grad, input_shape: grad.reshape(input_shape))


# -- the matrix transposes as attributes -------------------------------------------------------


def _T(self):
    """Tensor.T: the dims reversed (deprecated for tensors that are not 2-D)."""
    import warnings
    if self.dim() != 2:
        if self.dim() == 0:
            warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity "
                          "in these cases.", UserWarning, stacklevel=2)
        else:
            warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse "
                          "their shape is deprecated and it will throw an error in a future "
                          "release. Consider `x.mT` to transpose batches of matrices or "
                          "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the "
                          "dimensions of a tensor.", UserWarning, stacklevel=2)
    return permute(self, tuple(range(self.dim() - 1, -1, -1)))


def _mT(self):
    """Tensor.mT: the last two dims swapped (batches of matrices); a 0-D tensor itself."""
    if self.dim() == 0:
        import warnings
        warnings.warn("Tensor.mT is deprecated on 0-D tensors. This function is the identity "
                      "in these cases.", UserWarning, stacklevel=2)
        return self
    if self.dim() < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. "
                           f"Got {self.dim()}-D tensor.")
    return transpose(self, -2, -1)


def _H(self):
    """Tensor.H: the conjugate transpose of a matrix."""
    if self.dim() not in (0, 2):
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got "
                           f"{self.dim()}-D tensor." + (" For batches of matrices, consider "
                                                        "using tensor.mH" if self.dim() > 2
                                                        else ""))
    return _conj(_T(self) if self.dim() == 2 else self)


def _mH(self):
    """Tensor.mH: the conjugate of mT; a 0-D tensor itself."""
    if self.dim() == 0:
        import warnings
        warnings.warn("Tensor.mH is deprecated on 0-D tensors. Consider using x.conj().",
                      UserWarning, stacklevel=2)
        return self
    if self.dim() < 2:
        raise RuntimeError(f"tensor.mH is only supported on matrices or batches of matrices. "
                           f"Got {self.dim()}-D tensor.")
    return _conj(transpose(self, -2, -1))


def _conj(x):
    return x.conj() if x._dtype.is_complex else x


# -- expand and broadcast ---------------------------------------------------------------------


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
    return _expand(self, _shape_arg(size, "expand"))


def expand_as(self, other):
    """Tensor.expand_as: self.expand(other.size())."""
    return _expand(self, other._shape)


def broadcast_to(input, size):
    """torch.broadcast_to: input expanded to `size` (a view)."""
    return _expand(input, _shape_arg((size,), "broadcast_to"))


def broadcast_tensors(*tensors):
    """torch.broadcast_tensors: every tensor expanded to the broadcast shape (views)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = _layout.broadcast_shapes(*(t._shape for t in tensors))
    return tuple(_expand(t, shape) for t in tensors)


def sum_to_size(self, *size):
    """Tensor.sum_to_size: sum the dims that broadcasting to self's shape expanded.

    The one place where gradients of broadcast inputs are reduced."""
    size = _shape_arg(size, "sum_to_size")
    if tuple(size) == self._shape:
        return self
    lead = self.dim() - len(size)
    if lead < 0 or any(s != 1 and s != n for s, n in zip(size, self._shape[lead:])):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size "
                           f"{{{list(self._shape)}}}.")
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(size)
                                      if s == 1 and self._shape[lead + i] != 1)
    if len(dims) == lead and not is_grad_enabled():
        # only leading dims to remove, and no graph to record (torch's graph is sum, view)
        return self.sum(dims)
    out = self.sum(dims, keepdim=True) if dims else self
    return out.view(size) if lead else out


# -- parts of a tensor: select, slice, narrow, diagonal, as_strided, unfold ----------------------


@view(grad_fn="SelectBackward0")
def select(input, dim, index):
    """torch.select: the slice at `index` along `dim`, with that dim removed (a view)."""
    if input.dim() == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, input.dim())
    size = input._shape[d]
    index = int(index)
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input._shape)} at dimension {dim}")
    index = index + size if index < 0 else index
    shape = input._shape[:d] + input._shape[d + 1:]
    stride = input._stride[:d] + input._stride[d + 1:]
    return shape, stride, input._offset + index * input._stride[d]


select.defvjp(lambda grad, input_shape, dim, index:
              _scatter_back(grad, input_shape, lambda z: z.select(dim, index)))


@view(grad_fn="SliceBackward0", method=False)
def _slice(input, dim, start, stop, step):
    """Elements start, start+step, ... < stop along `dim`, bounds already clamped to
    [0, size] (a view)."""
    n = max(0, -(-(stop - start) // step))
    shape = input._shape[:dim] + (n,) + input._shape[dim + 1:]
    stride = input._stride[:dim] + (input._stride[dim] * step,) + input._stride[dim + 1:]
    return shape, stride, input._offset + start * input._stride[dim]


_slice.defvjp(lambda grad, input_shape, dim, start, stop, step:
              _scatter_back(grad, input_shape, lambda z: _slice(z, dim, start, stop, step)))


def slice_bounds(size, start, stop, step):
    """Python slice bounds clamped to [0, size], as torch's slicing clamps them."""
    start = 0 if start is None else int(start)
    stop = size if stop is None else int(stop)
    if start < 0:
        start += size
    if stop < 0:
        stop += size
    start = min(max(start, 0), size)
    stop = min(max(stop, start), size)
    return start, stop


def narrow(input, dim, start, length):
    """torch.narrow: `length` elements from `start` along `dim` (a view)."""
    if input.dim() == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if isinstance(start, Tensor):
        if start.dim() != 0 or start._dtype.is_floating_point or start._dtype.is_complex:
            raise RuntimeError("start must be an 0-dim integral Tensor.")
        start = start.item()
    for arg in (start, length):
        if not isinstance(arg, int) or isinstance(arg, bool):
            raise TypeError(f"narrow() received an invalid combination of arguments - got "
                            f"({type(dim).__name__}, {type(start).__name__}, "
                            f"{type(length).__name__})")
    d = wrap_dim(dim, input.dim())
    size = input._shape[d]
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    return _slice(input, d, start, start + length, 1)


def _diagonal_dims(input, offset, dim1, dim2):
    d1, d2 = wrap_dim(dim1, input.dim()), wrap_dim(dim2, input.dim())
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


@view(grad_fn="DiagonalBackward0")
def diagonal(input, offset=0, dim1=0, dim2=1):
    """torch.diagonal: the elements (i, i + offset) of dims dim1, dim2, as a new last dim
    (a view)."""
    d1, d2 = _diagonal_dims(input, offset, dim1, dim2)
    n1, n2 = input._shape[d1], input._shape[d2]
    n = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    start = input._offset
    if n:
        start += offset * input._stride[d2] if offset >= 0 else -offset * input._stride[d1]
    keep = [d for d in range(input.dim()) if d not in (d1, d2)]
    return (tuple(input._shape[d] for d in keep) + (n,),
            tuple(input._stride[d] for d in keep) + (input._stride[d1] + input._stride[d2],),
            start)


diagonal.defvjp(lambda grad, input_shape, offset, dim1, dim2:
                _scatter_back(grad, input_shape, lambda z: z.diagonal(offset, dim1, dim2)))


@view(grad_fn="AsStridedBackward0")
def as_strided(input, size, stride, storage_offset=None):
    """torch.as_strided: any shape and strides over input's storage (a view); the elements
    reached must lie inside the storage."""
    size, stride = _shape_arg((size,), "as_strided"), _shape_arg((stride,), "as_strided",
                                                                 "stride")
    offset = input._offset if storage_offset is None else storage_offset
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    for s in size:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(size)}")
    for s in stride:
        if s < 0:
            raise RuntimeError("as_strided: Negative strides are not supported at the moment, "
                               f"got strides: {list(stride)}")
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    if all(size):
        needed = (offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))) * \
            input._dtype.itemsize
        if needed > input._storage.nbytes():
            raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, "
                               f"storage offset {offset}, and itemsize {input._dtype.itemsize} "
                               f"requiring a storage size of {needed} are out of bounds for "
                               f"storage of size {input._storage.nbytes()}")
    return size, stride, offset


def _as_strided_backward(grad, input, size, stride, storage_offset):
    """Gradient of as_strided for an input whose elements each appear once in its storage
    range: the output gradient summed into a zero storage, read back at input's layout."""
    from .indexing import index_put
    xp = grad._xp
    offset = input._offset if storage_offset is None else storage_offset
    positions = Tensor._from_array(
        xp.to_device(_positions(size, stride, offset)), _int64(), grad._device)
    lo = min(input._offset, offset)
    extent = max(_extent(input._shape, input._stride, input._offset), _extent(
        size, stride, offset)) - lo
    flat = grad.new_zeros((max(extent, 0),))
    flat = index_put(flat, (positions - lo,), grad.reshape(-1), accumulate=True)
    return flat.as_strided(input._shape, input._stride, input._offset - lo)


def _int64():
    from .._dtype import int64
    return int64


def _extent(shape, stride, offset):
    return offset + 1 + sum((n - 1) * s for n, s in zip(shape, stride)) if all(shape) else offset


def _positions(size, stride, offset):
    import numpy as np
    pos = np.full(tuple(size), offset, np.int64)
    for d, (n, s) in enumerate(zip(size, stride)):
        pos += (np.arange(n, dtype=np.int64) * s).reshape((n,) + (1,) * (len(size) - d - 1))
    return pos.reshape(-1)


as_strided.defvjp(_as_strided_backward)


@view(grad_fn="UnfoldBackward0")
def unfold(input, dimension, size, step):
    """Tensor.unfold: every window of `size` elements along `dimension`, `step` apart, as a
    new last dim (a view)."""
    n = input.dim()
    d = wrap_dim(dimension, n)
    length = input._shape[d] if n else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is "
                           f"{size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    windows = (length - size) // step + 1
    if n == 0:
        return (size,), (1,), input._offset
    shape = input._shape[:d] + (windows,) + input._shape[d + 1:] + (size,)
    stride = input._stride[:d] + (input._stride[d] * step,) + input._stride[d + 1:] + \
        (input._stride[d],)
    return shape, stride, input._offset


def _unfold_backward(grad, input_shape, dimension, size, step):
    """Each input element gets the sum of the gradients of the windows holding it."""
    out = grad.new_zeros(input_shape)
    if not input_shape:
        return out + grad.sum()
    d = wrap_dim(dimension, len(input_shape))
    for w in range(grad._shape[d]):
        part = grad.select(d, w).movedim(-1, d)
        out = out + _scatter_back(part, input_shape, lambda z, s=w * step: z.narrow(d, s, size))
    return out


unfold.defvjp(_unfold_backward)


# -- several views at once: unbind, split, chunk, tensor_split -----------------------------------


def _pieces(input, dim, bounds, name, make_views=None):
    """Views of `input` along `dim` between consecutive `bounds`, one autograd node for all."""
    d = wrap_dim(dim, input.dim())
    parts = [input.detach()._slice_view(d, a, b) for a, b in zip(bounds, bounds[1:])]
    for p in parts:
        p._base = input if input._base is None else input._base
    sizes = [b - a for a, b in zip(bounds, bounds[1:])]

    def backward(grads):
        from .joining import cat
        filled = [g if g is not None else input.new_zeros(
            input._shape[:d] + (n,) + input._shape[d + 1:]) for g, n in zip(grads, sizes)]
        return [cat(filled, d) if filled else input.new_zeros(input._shape)]

    backward.__name__ = name
    return tuple(record(name, [input], parts, backward))


def unbind(input, dim=0):
    """torch.unbind: the slices along `dim`, each without that dim (views)."""
    if input.dim() == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = wrap_dim(dim, input.dim())
    parts = [input.detach().select(d, i) for i in range(input._shape[d])]
    for p in parts:
        p._base = input if input._base is None else input._base

    def backward(grads):
        from .joining import stack
        zero = input.new_zeros(input._shape[:d] + input._shape[d + 1:])
        return [stack([zero if g is None else g for g in grads], d) if grads
                else input.new_zeros(input._shape)]

    return tuple(record("UnbindBackward0", [input], parts, backward))


def split(tensor, split_size_or_sections, dim=0):
    """torch.split: pieces of `split_size_or_sections` elements along `dim` (the last may be
    smaller), or pieces of the given sizes (which must add up to the dim's size)."""
    if tensor.dim() == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, tensor.dim())
    size = tensor._shape[d]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if any(s < 0 for s in sizes) or sum(sizes) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={sizes}")
        return _pieces(tensor, d, _cumulative(sizes), "SplitWithSizesBackward0")
    step = int(split_size_or_sections)
    if step < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
    if step == 0 and size != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                           f"dimension size of {size}")
    count = max(1, -(-size // step)) if step else 1
    return _pieces(tensor, d, [min(i * step, size) for i in range(count)] + [size],
                   "SplitBackward0")


def _cumulative(sizes):
    bounds = [0]
    for s in sizes:
        bounds.append(bounds[-1] + s)
    return bounds


def _tensor_split_method(self, split_size, dim=0):
    return split(self, split_size, dim)


def chunk(input, chunks, dim=0):
    """torch.chunk: at most `chunks` pieces of ceil(size / chunks) elements (the last
    smaller; fewer pieces when the size does not allow `chunks`)."""
    if input.dim() == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, input.dim())
    size = input._shape[d]
    step = -(-size // chunks)
    if step == 0:
        return split(input, [0] * chunks, d) if size == 0 else split(input, 1, d)
    return split(input, step, d)


def tensor_split(input, indices_or_sections, dim=0):
    """torch.tensor_split: `n` pieces whose sizes differ by at most one (the first ones
    larger), or pieces between the given indices (views, each with its own node)."""
    if input.dim() == 0:
        raise RuntimeError(f"tensor_split expected at least a 1-dimensional tensor, but got a "
                           f"tensor with {input.dim()} dims")
    d = wrap_dim(dim, input.dim())
    size = input._shape[d]
    if isinstance(indices_or_sections, Tensor):
        t = indices_or_sections
        if t._dtype.is_floating_point or t._dtype.is_complex or t._dtype.name == "bool" or \
                t.dim() > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have "
                               "integer dtype and to be a zero-dimensional or one-dimensional "
                               f"tensor, but got a tensor with dtype {t.dtype} and "
                               f"{t.dim()} dims")
        indices_or_sections = t.item() if t.dim() == 0 else t.tolist()
    if isinstance(indices_or_sections, (list, tuple)):
        cuts = [slice_bounds(size, i, None, 1)[0] for i in indices_or_sections]
        bounds = list(zip([0] + cuts, cuts + [size]))
    else:
        n = int(indices_or_sections)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        q, r = divmod(size, n)
        starts = [i * q + min(i, r) for i in range(n)]
        bounds = list(zip(starts, starts[1:] + [size]))
    return tuple(_slice(input, d, a, max(a, b), 1) for a, b in bounds)


def _slice_view(self, dim, start, stop):
    return self._view(self._shape[:dim] + (stop - start,) + self._shape[dim + 1:], self._stride,
                      self._offset + start * self._stride[dim])


# -- complex numbers as pairs of reals -------------------------------------------------------


def _reinterpret(input, dtype, shape, stride, offset):
    """A view of input's storage as another dtype (its _base is input's base)."""
    v = Tensor._make(input._storage, offset, tuple(shape), tuple(stride), dtype, input._device,
                     input._version_counter)
    v._base = input if input._base is None else input._base
    return v


def view_as_real(input):
    """torch.view_as_real: a complex tensor's storage read as (..., 2) reals, the real part at
    [..., 0] and the imaginary part at [..., 1]: strides double, and the new last dim has
    stride 1."""
    if not input._dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    result = _reinterpret(input, input._dtype.to_real(), input._shape + (2,),
                          tuple(2 * s for s in input._stride) + (1,), 2 * input._offset)
    return record("ViewAsRealBackward0", [input], result,
                  lambda grads: [view_as_complex(_dense_grad(grads[0], result))])


def view_as_complex(input):
    """torch.view_as_complex: the inverse of view_as_real; a float tensor whose last dim has
    size 2 and stride 1 (other strides and the offset even) read as complex numbers."""
    from .._tensor import scalar_type_name
    if input._dtype.name not in ("float32", "float64"):
        raise RuntimeError("view_as_complex is only supported for half, float and double "
                           f"tensors, but got a tensor of scalar type: "
                           f"{scalar_type_name(input._dtype)}")
    if input.dim() == 0 or input._shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if input._stride[-1] != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % 2 for s in input._stride[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    if input._offset % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    result = _reinterpret(input, input._dtype.to_complex(), input._shape[:-1],
                          tuple(s // 2 for s in input._stride[:-1]), input._offset // 2)
    return record("ViewAsComplexBackward0", [input], result,
                  lambda grads: [view_as_real(_dense_grad(grads[0], result))])


def _dense_grad(g, like):
    """An incoming gradient as a contiguous tensor of like's shape (None: zeros)."""
    from .creation import zeros
    return zeros(like._shape, dtype=like._dtype) if g is None else g.contiguous()


def real(input):
    """torch.real: the real parts of a complex tensor as a float view (select of view_as_real);
    a real tensor is returned itself."""
    return select(view_as_real(input), -1, 0) if input._dtype.is_complex else input


def imag(input):
    """torch.imag: the imaginary parts of a complex tensor as a float view; real tensors have
    none (RuntimeError)."""
    if not input._dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return select(view_as_real(input), -1, 1)


Tensor.view = _tensor_view
Tensor.view_as = view_as
Tensor.reshape = lambda self, *shape: reshape(self, *shape)
Tensor.reshape_as = reshape_as
Tensor.flatten = flatten
Tensor.unflatten = unflatten
Tensor.swapaxes = swapaxes
Tensor.swapdims = swapdims
Tensor.permute = lambda self, *dims: permute(self, _dims_arg(dims, "permute"))
Tensor.movedim = movedim
Tensor.moveaxis = moveaxis
Tensor.T = property(_T)
Tensor.mT = property(_mT)
Tensor.H = property(_H)
Tensor.mH = property(_mH)
Tensor.expand = _tensor_expand
Tensor.expand_as = expand_as
Tensor.sum_to_size = sum_to_size
Tensor.narrow = narrow
Tensor.unbind = unbind
Tensor.split = _tensor_split_method
Tensor.chunk = chunk
Tensor.tensor_split = tensor_split
Tensor._slice_view = _slice_view
Tensor._view_as_shape = lambda self, shape: _view(self, tuple(shape))
Tensor.real = property(real)
Tensor.imag = property(imag)

__all__ = ["reshape", "flatten", "unflatten", "transpose", "swapaxes", "swapdims", "t",
           "permute", "movedim", "moveaxis", "unsqueeze", "squeeze", "broadcast_to",
           "broadcast_tensors", "select", "narrow", "diagonal", "as_strided", "unbind",
           "split", "chunk", "tensor_split", "view_as_real", "view_as_complex", "real", "imag"]
