"""Indexing: `x[index]`, `x[index] = value`, gather/scatter, index_*, masked_*, take, put,
nonzero.

Spec torch.indexing.basic: ints, slices (positive steps), None and Ellipsis give a view of the
same storage (`_base` is the tensor indexed). Spec torch.indexing.advanced: integer and bool
tensors (and lists) give a copy; the broadcast index dims replace the indexed dims when the
index tensors are adjacent, and go first when a slice or None separates them (NumPy's rule).
Spec torch.indexing.setitem: assignment writes in place (a version bump) through the same
index, broadcasting and casting the value.
"""

import warnings

import numpy as np

from .. import _dtype, _layout
from .._dispatch import _needs_grad, check_inplace, op, view
from .._tensor import Tensor, scalar_type_name, wrap_dim
from ..autograd.grad_mode import is_grad_enabled
from .views import _slice, select, slice_bounds, unsqueeze, view_strides

_INT_INDEX = ("int64", "int32")
_MASK_INDEX = ("bool", "uint8")


def _int64(array, device):
    from .. import kernels
    xp = kernels.for_device(device)
    return Tensor._from_array(xp.to_device(np.asarray(array, np.int64)), _dtype.int64, device)


# -- the index list of torch's index / index_put: one int64 tensor (or None) per dim --------------


def _expand_indices(input, indices):
    """Masks become the int64 coordinates of their True elements (one tensor per mask dim);
    int32 becomes int64; other dtypes are an IndexError, as in torch."""
    out = []
    for idx in indices:
        if idx is None:
            out.append(None)
            continue
        name = idx._dtype.name
        if name in _MASK_INDEX:
            if name == "uint8":
                warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a "
                              "dtype torch.bool instead.", UserWarning, stacklevel=4)
            start = len(out)
            for j, n in enumerate(idx._shape):
                if start + j >= input.dim() or input._shape[start + j] != n:
                    raise IndexError(f"The shape of the mask {list(idx._shape)} at index {j} "
                                     f"does not match the shape of the indexed tensor "
                                     f"{list(input._shape)} at index {start + j}")
            coords = idx._xp.to_host(idx._xp.nonzero(idx._array))
            out.extend(_int64(coords[:, j], idx._device) for j in range(idx.dim()))
        elif name in _INT_INDEX:
            out.append(idx if name == "int64" else idx.long())
        else:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if len(out) > input.dim():
        raise IndexError(f"too many indices for tensor of dimension {input.dim()}")
    return out


def _numpy_index(input, indices):
    """The NumPy index tuple of an expanded index list, after torch's bounds check (the
    message names the index's position among the index tensors)."""
    parts, k = [], 0
    for d, idx in enumerate(indices):
        if idx is None:
            parts.append(slice(None))
            continue
        a = idx._xp.to_host(idx._array)
        n = input._shape[d]
        bad = (a >= n) | (a < -n)
        if bad.any():
            raise IndexError(f"index {int(a[bad].reshape(-1)[0])} is out of bounds for "
                             f"dimension {k} with size {n}")
        parts.append(idx._xp.to_device(np.where(a < 0, a + n, a)))
        k += 1
    return tuple(parts)


def _index_output_strides(input, indices, shape):
    """The layout TensorIterator gives torch's index result: the dims ordered by the strides
    of the input (indexed dims removed, the index dims inserted with stride 0) and then of
    the index tensors."""
    from .. import _layout
    defined = [d for d, i in enumerate(indices) if i is not None]
    adjacent = defined == list(range(defined[0], defined[-1] + 1))
    before = defined[0] if adjacent else 0
    src_shape, src_stride = list(input._shape), list(input._stride)
    if not adjacent:
        order = defined + [d for d in range(input.dim()) if d not in defined]
        src_shape = [src_shape[d] for d in order]
        src_stride = [src_stride[d] for d in order]
    index_shape = _layout.broadcast_shapes(*(indices[d]._shape for d in defined))
    after = len(shape) - before - len(index_shape)
    src = src_stride[:before] + [0] * len(index_shape) + src_stride[len(src_stride) - after:]
    operands = [(tuple(shape), tuple(src))]
    index_view = (1,) * before + index_shape + (1,) * after
    for d in defined:
        i = indices[d]
        strides = _layout._broadcast_strides(i._shape, index_shape, i._stride)
        operands.append((index_view, view_strides(index_shape, strides, index_view) or
                         (0,) * before + strides + (0,) * after))
    return _layout.elementwise_output_strides(tuple(shape), operands)


@op(tensors=("input",), grad_fn="IndexBackward0", method=False)
def _index(xp, input, indices):
    """input[indices] for an expanded index list (a copy)."""
    where = _numpy_index(input, indices)
    array = xp.index(input._array, where)
    if not any(i is not None for i in indices):
        return array, input._dtype
    out = Tensor._empty(array.shape, input._dtype, input._device,
                        _index_output_strides(input, indices, array.shape))
    xp.copy_(out._array, array)
    return out


_index.defvjp(lambda grad, input_shape, indices:
              _index_put(grad.new_zeros(input_shape), indices, grad, True))


def _check_same_dtype(input, values):
    if values._dtype is not input._dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{scalar_type_name(input._dtype)} for the destination and "
                           f"{scalar_type_name(values._dtype)} for the source.")


@op(tensors=("input", "values"), grad_fn="IndexPutBackward0", method=False)
def _index_put(xp, input, indices, values, accumulate=False):
    """A copy of input with values written (or added) at input[indices]."""
    _check_same_dtype(input, values)
    where = _numpy_index(input, indices)
    target_shape = xp.index(input._array, where).shape
    vals = values._array
    try:
        vals = np.broadcast_to(vals, target_shape) if isinstance(vals, np.ndarray) else vals
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(values._shape)} cannot "
                           f"be broadcast to indexing result of shape {list(target_shape)}") \
            from None
    out = input.clone()
    xp.index_put(out._array, where, vals, accumulate)
    return out


_index_put.defvjp(
    lambda grad, indices: _index_put(grad, indices, grad.new_zeros(()), False),
    lambda grad, indices: _index(grad, indices))


def inplace(fn, self_, *args, **kwargs):
    """The `_` form of op `fn`: compute out of place, write the result into self_, bump its
    version, and record fn's node on self_ (with self_'s history before the write)."""
    vals, kwargs = fn._bind((self_,) + args, kwargs)
    tensors = fn._check_tensors(vals)
    needs = _needs_grad(tensors)
    result = fn.forward(self_._xp, *vals, **kwargs)
    array = result._array if isinstance(result, Tensor) else result[0]
    if tuple(getattr(array, "shape", ())) != self_._shape:
        raise RuntimeError(f"output with shape {list(self_._shape)} doesn't match the "
                           f"broadcast shape {list(getattr(array, 'shape', ()))}")
    _check_no_internal_overlap(self_)
    check_inplace(self_, needs)
    if needs:
        old = self_._alias()
        old._grad_fn, old._output_nr = self_._grad_fn, self_._output_nr
        old._requires_grad = self_._requires_grad
        old._base = self_._base
    self_._xp.copy_(self_._array, array)
    self_._bump_version()
    if needs:
        vals[0] = old
        fn._record(vals, kwargs, self_)
    return self_


def _check_no_internal_overlap(t):
    """torch refuses in-place writes into a tensor whose elements share memory (a stride-0
    dim of size > 1, as expand makes)."""
    if 0 not in t._shape and any(s == 0 and n > 1 for n, s in zip(t._shape, t._stride)):
        raise RuntimeError("unsupported operation: more than one element of the written-to "
                           "tensor refers to a single memory location. Please clone() the "
                           "tensor before performing the operation.")


def _index_tuple(indices, name):
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"{name}(): argument 'indices' (position 2) must be tuple of Tensors, "
                        f"not {type(indices).__name__}")
    return list(indices)


def index_put(input, indices, values, accumulate=False):
    """torch.index_put: a copy of input with values put at input[indices] (added with
    accumulate=True); values must have input's dtype and broadcast to the indexed shape."""
    return _index_put(input, _expand_indices(input, _index_tuple(indices, "index_put")),
                      _value_tensor(input, values), accumulate)


def index_put_(input, indices, values, accumulate=False):
    """Tensor.index_put_: index_put in place."""
    return inplace(_index_put, input, _expand_indices(input, _index_tuple(indices, "index_put_")),
                   _value_tensor(input, values), accumulate)


def _value_tensor(input, value):
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float, complex)):
        _check_fits(value, input._dtype)
        return Tensor._from_array(input._xp.to_device(np.asarray(value).astype(input._dtype.np)),
                                  input._dtype, input._device)
    raise TypeError(f"can't assign a {type(value).__name__} to a {input.type()}")


def _check_fits(value, dtype):
    """torch's check when a Python number is converted to a tensor's dtype."""
    if isinstance(value, complex) and not dtype.is_complex and value.imag != 0:
        raise RuntimeError(f"value cannot be converted to type {dtype.np} without overflow")
    if isinstance(value, int) and not isinstance(value, bool) and dtype.name != "bool" and \
            not (dtype.is_floating_point or dtype.is_complex):
        info = np.iinfo(dtype.np)
        if not info.min <= value <= info.max:
            raise RuntimeError(f"value cannot be converted to type {dtype.np} without overflow")


# -- Python indexing: x[index] and x[index] = value ------------------------------------------------


def _sequence_as_tuple(seq):
    """torch's legacy rule: a list holding a slice, Ellipsis, None, a tensor or a sequence is
    a tuple of indices (with a deprecation warning); otherwise it is an index tensor."""
    if isinstance(seq, tuple):
        return True
    if len(seq) >= 32:
        return False
    return any(x is None or x is Ellipsis or isinstance(x, (slice, Tensor, list, tuple))
               for x in seq)


def _as_index_tensor(obj, device):
    """A list index as a tensor (an empty list is an empty int64 index)."""
    from .creation import tensor
    if isinstance(obj, list) and not obj:
        return _int64([], device)
    return tensor(obj, device=device)


def _consumed(obj):
    """How many dims of the tensor an index item uses up."""
    if obj is None or obj is Ellipsis or isinstance(obj, bool):
        return 0
    if isinstance(obj, Tensor):
        return obj.dim() if obj._dtype.name in _MASK_INDEX and obj.dim() else 1
    return 1


def _apply_basic(self, index, single):
    """The view that the ints, slices, None and Ellipsis of `index` select, and the advanced
    index tensors (bool masks kept as masks) for each dim of that view."""
    items = []
    for obj in index:
        if isinstance(obj, (list, np.ndarray)) or (isinstance(obj, tuple) and not single):
            obj = _as_index_tensor(obj if not isinstance(obj, tuple) else list(obj), self._device)
        items.append(obj)
    specified = sum(_consumed(o) for o in items)
    if specified > self.dim():
        raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
    result, dim, tensors = self, 0, {}
    for obj in items:
        if obj is None:
            result = unsqueeze(result, dim)
            dim += 1
        elif obj is Ellipsis:
            dim += self.dim() - specified
        elif isinstance(obj, bool) or (isinstance(obj, Tensor) and obj.dim() == 0 and
                                       obj._dtype.name in _MASK_INDEX):
            result = unsqueeze(result, dim)
            tensors[dim] = _int64([0] if bool(obj) else [], self._device)
            dim += 1
        elif isinstance(obj, int) or (isinstance(obj, Tensor) and obj.dim() == 0 and
                                      obj._dtype.name in _INT_INDEX):
            result = _select_index(result, dim, int(obj))
        elif isinstance(obj, slice):
            result = _slice_index(result, dim, obj, single)
            dim += 1
        elif isinstance(obj, Tensor):
            tensors[dim] = obj
            dim += _consumed(obj)
        elif isinstance(obj, str):
            raise TypeError(f"new(): invalid data type '{type(obj).__name__}'")
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or "
                             f"byte Variables are valid indices (got {type(obj).__name__})")
    return result, tensors


def _select_index(t, dim, i):
    if t.dim() == 0:
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                         "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
    n = t._shape[dim]
    if not -n <= i < n:
        raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {n}")
    return select(t, dim, i)


def _slice_index(t, dim, s, single):
    step = 1 if s.step is None else int(s.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    if step < 0:
        raise ValueError("step must be greater than zero")
    n = t._shape[dim]
    start, stop = slice_bounds(n, s.start, s.stop, step)
    if not single and start == 0 and stop == n and step == 1:
        return t  # a full slice inside a tuple leaves the tensor as it is
    return _slice(t, dim, start, stop, step)


def _parse(self, index):
    single = not isinstance(index, tuple)
    if isinstance(index, list) and _sequence_as_tuple(index):
        warnings.warn("Using a non-tuple sequence for multidimensional indexing is deprecated "
                      "and will be changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. "
                      "In pytorch 2.9 this will be interpreted as tensor index, "
                      "x[torch.tensor(seq)], which will result either in an error or a "
                      "different result", UserWarning, stacklevel=3)
        index, single = tuple(index), False
    return _apply_basic(self, index if isinstance(index, tuple) else (index,), single)


def _index_list(view, tensors):
    out, d = [], 0
    while d < view.dim():
        t = tensors.get(d)
        out.append(t)
        d += _consumed(t) if t is not None else 1
    while out and out[-1] is None:
        out.pop()
    return out


def getitem(self, index):
    """Tensor.__getitem__: a view for basic indices, a copy (IndexBackward0) when an index
    is a tensor, list or bool. Spec torch.indexing.basic, torch.indexing.advanced."""
    if type(index) is int and self._shape and not (self._requires_grad and is_grad_enabled()):
        # x[i] with nothing to record (a dataset's sample): select's view, built directly
        n = self._shape[0]
        if not -n <= index < n:
            raise IndexError(f"index {index} is out of bounds for dimension 0 with size {n}")
        view = self._view(self._shape[1:], self._stride[1:],
                          self._offset + (index + n if index < 0 else index) * self._stride[0])
        if is_grad_enabled():
            view._view_of_fn = None  # as every view made with grad mode on (see View)
        if self._arr is not None and self._device.type == "cpu":
            view._arr = self._arr[index, ...]  # the same elements' array, sliced cheaply
        return view
    view, tensors = _parse(self, index)
    if not tensors:
        return _alias(view) if view is self else view
    return _index(view, _expand_indices(view, _index_list(view, tensors)))


@view(grad_fn="AliasBackward0", method=False)
def _alias(input):
    """x[...] and x[()]: a view of the whole tensor."""
    return input._shape, input._stride, input._offset


_alias.defvjp(lambda grad: grad)


def setitem(self, index, value):
    """Tensor.__setitem__: value (a tensor or a number; broadcast and cast to self's dtype)
    written in place at self[index]. Basic indices copy into the view (CopySlices on the
    base when recorded); tensor indices use index_put_. Spec torch.indexing.setitem."""
    if isinstance(value, (list, tuple)):
        raise TypeError(f"can't assign a {type(value).__name__} to a {self.type()}")
    view, tensors = _parse(self, index)
    if not tensors:
        check_inplace(view, is_grad_enabled() and (
            view._requires_grad or (isinstance(value, Tensor) and value._requires_grad)))
        if isinstance(value, Tensor):
            value = _strip_leading_ones(value, view.dim())
            view.copy_(value)
        else:
            view.copy_(_value_tensor(view, value))
        return
    value = _value_tensor(view, value)
    value = value.reshape(tuple(value._shape[_leading_ones(value._shape):]))
    indices = _expand_indices(view, _index_list(view, tensors))
    inplace(_index_put, view, indices, value, False)


def _strip_leading_ones(value, ndim):
    """torch drops leading size-1 dims of the value that the target does not have."""
    shape = value._shape
    while len(shape) > ndim and shape[0] == 1:
        shape = shape[1:]
    return value if shape == value._shape else value.reshape(shape)


def _leading_ones(shape):
    """How many leading size-1 dims a value loses before index_put (torch's
    slicePrefix1sSize)."""
    n = 0
    while n < len(shape) and shape[n] == 1:
        n += 1
    return n


# -- gather and scatter ----------------------------------------------------------------------------


def _check_gather_index(name, input, dim, index):
    if index._dtype.name not in _INT_INDEX:
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if index.dim() != input.dim() and not (index.dim() <= 1 and input.dim() <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input "
                           "tensor")
    d = wrap_dim(dim, input.dim())
    return d


def _bounds(name, index_array, size, dim):
    bad = (index_array >= size) | (index_array < 0)
    if bad.any():
        raise RuntimeError(f"index {int(index_array[bad].reshape(-1)[0])} is out of bounds for "
                           f"dimension {dim} with size {size}")


def _as_nd(t, ndim):
    return t.reshape((1,) * ndim) if t.dim() == 0 and ndim else t


@op(tensors=("input", "index"), grad_fn="GatherBackward0")
def gather(xp, input, dim, index, *, sparse_grad=False):
    """torch.gather: out[i][j] = input[index[i][j]][j] for dim 0 (and likewise for other
    dims); index has input's number of dims and is no larger than it outside dim."""
    d = _check_gather_index("gather", input, dim, index)
    x, idx = _as_nd(input, 1)._array, _as_nd(index, 1)._array
    for k in range(idx.ndim):
        if k != d and idx.shape[k] > x.shape[k]:
            raise RuntimeError(f"Size does not match at dimension {k} expected index "
                               f"{list(index._shape)} to be no larger than self "
                               f"{list(input._shape)} apart from dimension {d}")
    if index.numel() == 0:
        return xp.full(index._shape, 0, input._dtype.np), input._dtype
    _bounds("gather", xp.to_host(idx), x.shape[d] if x.ndim else 1, d)
    return xp.gather(x, d, idx).reshape(index._shape), input._dtype


gather.defvjp(lambda grad, input_shape, dim, index:
              grad.new_zeros(input_shape).scatter_add(dim, index, grad), None)


def _scatter_checks(input, dim, index, src):
    d = _check_gather_index("scatter", input, dim, index)
    if src is not None and index.dim() != src.dim() and index.dim() > 1:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    for k in range(index.dim()):
        too_big_self = k != d and index._shape[k] > input._shape[k]
        too_big_src = src is not None and index._shape[k] > _as_nd(src, index.dim())._shape[k]
        if too_big_self or too_big_src:
            raise RuntimeError(
                f"Expected index {list(index._shape)} to be no larger than self "
                f"{list(input._shape)} apart from dimension {d}"
                + (f" and to be no larger size than src {list(src._shape)}"
                   if src is not None else ""))
    return d


_REDUCE_UFUNCS = {"add": "add", "multiply": "multiply", "sum": "add", "prod": "multiply",
                  "amax": "maximum", "amin": "minimum"}


def _scatter_into(xp, input, d, index, values, reduce):
    """A copy of input with `values` (an array of index's shape, or a number) scattered at
    index along dim d."""
    out = input.clone(memory_format=_layout.contiguous_format)
    if index.numel():
        idx = _as_nd(index, 1)._array
        _bounds("scatter", xp.to_host(idx), out._shape[d] if out.dim() else 1, d)
        target = _as_nd(out, 1)._array
        if not isinstance(values, (int, float, bool, complex)):
            values = values[tuple(slice(0, n) for n in idx.shape)]
        xp.scatter(target, d, idx, values, reduce)
    return out


def _scatter_reduce_arg(reduce, src_is_tensor):
    if reduce is None:
        return None
    if reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    if src_is_tensor:
        warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated and "
                      "will be removed in a future PyTorch release. Use torch.scatter_reduce "
                      "instead for more reduction options.", UserWarning, stacklevel=4)
    return _REDUCE_UFUNCS[reduce]


@op(tensors=("input", "index", "src"), grad_fn="ScatterBackward0", method=False)
def _scatter_src(xp, input, dim, index, src, *, reduce=None):
    if src._dtype is not input._dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    d = _scatter_checks(input, dim, index, src)
    ufunc = _scatter_reduce_arg(reduce, True)
    return _scatter_into(xp, input, d, index, _as_nd(src, index.dim())._array, ufunc)


_scatter_src.defvjp(lambda grad, dim, index: grad.scatter(dim, index, 0), None,
                    lambda grad, dim, index: grad.gather(dim, index))


@op(tensors=("input", "index"), grad_fn="ScatterBackward1", method=False)
def _scatter_value(xp, input, dim, index, value, *, reduce=None):
    d = _scatter_checks(input, dim, index, None)
    ufunc = _scatter_reduce_arg(reduce, False)
    _check_fits(value, input._dtype)
    return _scatter_into(xp, input, d, index, value, ufunc)


_scatter_value.defvjp(lambda grad, dim, index: grad.scatter(dim, index, 0), None)


def _scatter_op(src):
    return _scatter_src if isinstance(src, Tensor) else _scatter_value


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """torch.scatter: a copy of input with src[i][j] (or the number `value`) written at
    [index[i][j]][j] for dim 0 (and likewise for other dims); reduce='add'/'multiply'
    combines instead of overwriting."""
    src = value if src is None else src
    kw = {} if reduce is None else {"reduce": reduce}
    return _scatter_op(src)(input, dim, index, src, **kw)


def scatter_(input, dim, index, src=None, *, value=None, reduce=None):
    """Tensor.scatter_: scatter in place."""
    src = value if src is None else src
    kw = {} if reduce is None else {"reduce": reduce}
    return inplace(_scatter_op(src), input, dim, index, src, **kw)


@op(tensors=("input", "index", "src"), grad_fn="ScatterAddBackward0")
def scatter_add(xp, input, dim, index, src):
    """torch.scatter_add: a copy of input with src added at index along dim (repeated
    indices add up)."""
    if src._dtype is not input._dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    d = _scatter_checks(input, dim, index, src)
    return _scatter_into(xp, input, d, index, _as_nd(src, index.dim())._array, "add")


scatter_add.defvjp(lambda grad: grad, None, lambda grad, dim, index: grad.gather(dim, index))


@op(tensors=("input", "index", "src"), grad_fn="ScatterReduceBackward0")
def scatter_reduce(xp, input, dim, index, src, reduce, *, include_self=True):
    """torch.scatter_reduce: src reduced into input at index along dim with sum, prod, mean,
    amax or amin; with include_self=False the positions receiving values start from the
    reduction of those values alone. mean divides by the count (floor for integers)."""
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    if src._dtype is not input._dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    d = _scatter_checks(input, dim, index, src)
    values = _as_nd(src, index.dim())._array[tuple(slice(0, n) for n in index._shape)]
    out = input.clone(memory_format=_layout.contiguous_format)
    target = _as_nd(out, 1)._array
    idx = _as_nd(index, 1)._array
    if index.numel():
        _bounds("scatter", xp.to_host(idx), target.shape[d], d)
    hit = np.zeros(target.shape, np.int64)
    xp.scatter(hit, d, idx, np.ones(idx.shape, np.int64), "add")
    if not include_self:
        identity = {"sum": 0, "mean": 0, "prod": 1,
                    "amax": _lowest(input._dtype), "amin": _highest(input._dtype)}[reduce]
        target[hit > 0] = identity
    xp.scatter(target, d, idx, values, _REDUCE_UFUNCS.get(reduce, "add"))
    if reduce == "mean":
        count = hit + (1 if include_self else 0)
        count = np.maximum(count, 1)
        if input._dtype.is_floating_point or input._dtype.is_complex:
            target[...] = target / count
        else:
            target[...] = np.floor_divide(target, count)
    return out


def _lowest(dtype):
    return -np.inf if dtype.is_floating_point else (
        False if dtype.name == "bool" else np.iinfo(dtype.np).min)


def _highest(dtype):
    return np.inf if dtype.is_floating_point else (
        True if dtype.name == "bool" else np.iinfo(dtype.np).max)


def _scatter_reduce_grads(grad, input, dim, index, src, reduce, include_self, result):
    """(grad of input, grad of src). sum passes the gradient through, mean divides it by the
    counts, prod multiplies by the product of the others (nonzero inputs), amax/amin split it
    evenly among the elements equal to the result. Without include_self, positions that
    received values give input no gradient."""
    hit = grad.new_zeros(grad._shape).scatter_add(dim, index, grad.new_ones(index._shape))
    untouched = hit == 0
    if reduce in ("sum", "mean"):
        g = grad / (hit + (1 if include_self else 0)).masked_fill(hit == 0, 1) \
            if reduce == "mean" else grad
        return (g if include_self else grad * untouched), g.gather(dim, index)
    if reduce == "prod":
        g = grad * result
        return (g / input if include_self else grad * untouched), g.gather(dim, index) / src
    # as torch counts the ties: input's element takes part even without include_self, and
    # its gradient is then dropped at the positions that received values
    chosen_self = input == result
    chosen_src = src == result.gather(dim, index)
    count = chosen_self.to(grad._dtype).scatter_add(dim, index, chosen_src.to(grad._dtype))
    share = grad / count.masked_fill(count == 0, 1)
    grad_self = share * chosen_self
    return (grad_self if include_self else grad_self * untouched), \
        share.gather(dim, index) * chosen_src


scatter_reduce.defvjp(
    lambda grad, input, dim, index, src, reduce, include_self, result:
    _scatter_reduce_grads(grad, input, dim, index, src, reduce, include_self, result)[0],
    None,
    lambda grad, input, dim, index, src, reduce, include_self, result:
    _scatter_reduce_grads(grad, input, dim, index, src, reduce, include_self, result)[1])


# -- index_select, index_add, index_copy, index_fill -----------------------------------------------


def _vector_index(name, index, size, error=IndexError):
    if index._dtype.name not in _INT_INDEX:
        raise RuntimeError(f"{name}(): Expected dtype int32 or int64 for index")
    if index.dim() > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")
    a = index._xp.to_host(index._array).reshape(-1).astype(np.int64)
    bad = (a >= size) | (a < -size) if name != "index_select" else (a >= size) | (a < 0)
    if bad.any():
        if error is IndexError:
            raise IndexError("index out of range in self")
        raise RuntimeError(f"index {int(a[bad][0])} is out of bounds for dimension 0 with "
                           f"size {size}")
    return np.where(a < 0, a + size, a)


@op(tensors=("input", "index"), grad_fn="IndexSelectBackward0")
def index_select(xp, input, dim, index):
    """torch.index_select: the slices input.select(dim, i) for i in index (a 0-D or 1-D int
    tensor), stacked along dim; a contiguous copy."""
    d = wrap_dim(dim, input.dim())
    size = input._shape[d] if input.dim() else 1
    a = _vector_index("index_select", index, size)
    x = _as_nd(input, 1)._array
    out = np.take(xp.to_host(x), a, axis=d) if x.size or not a.size else \
        np.zeros(x.shape[:d] + (len(a),) + x.shape[d + 1:], x.dtype)
    shape = input._shape[:d] + (len(a),) + input._shape[d + 1:] if input.dim() else \
        tuple(index._shape)
    return xp.to_device(np.ascontiguousarray(out).reshape(shape)), input._dtype


index_select.defvjp(lambda grad, input_shape, dim, index:
                    grad.new_zeros(input_shape).index_add(dim, index, grad), None)


def _index_source_checks(name, input, d, index, source):
    if source._dtype is not input._dtype:
        raise RuntimeError(f"{name}(): self ({scalar_type_name(input._dtype)}) and source "
                           f"({scalar_type_name(source._dtype)}) must have the same scalar "
                           "type")
    ok = source.dim() == input.dim() or (source.dim() == 0 and input.dim() <= 1)
    n = index.numel()
    if ok and input.dim():
        ok = all(source._shape[k] == input._shape[k] for k in range(input.dim()) if k != d) \
            and source._shape[d] == n
    if not ok:
        raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(input._shape)} "
                           f"source.shape = {list(source._shape)}")


def _index_along(input, d, positions):
    return (slice(None),) * d + (positions,)


@op(tensors=("input", "index", "source"), grad_fn="IndexAddBackward0")
def index_add(xp, input, dim, index, source, *, alpha=1):
    """torch.index_add: a copy of input with alpha * source.select(dim, k) added to the slice
    index[k] along dim (repeated indices add up)."""
    d = wrap_dim(dim, input.dim())
    _index_source_checks("index_add_", input, d, index, source)
    a = _vector_index("index_add", index, input._shape[d] if input.dim() else 1, RuntimeError)
    out = input.clone(memory_format=_layout.contiguous_format)
    src = source._array if alpha == 1 else source._array * alpha
    target = _as_nd(out, 1)._array
    xp.index_put(target, _index_along(input, d, xp.to_device(a)),
                 src.reshape(target.shape[:d] + (len(a),) + target.shape[d + 1:]), True)
    return out


index_add.defvjp(lambda grad: grad, None,
                 lambda grad, dim, index, source, alpha:
                 _as_source(grad.index_select(dim, index), source) * alpha
                 if alpha != 1 else _as_source(grad.index_select(dim, index), source))


def _as_source(g, source):
    return g.reshape(source._shape) if g._shape != source._shape else g


@op(tensors=("input", "index", "source"), grad_fn="IndexCopyBackward0")
def index_copy(xp, input, dim, index, source):
    """torch.index_copy: a copy of input whose slices index[k] along dim are
    source.select(dim, k)."""
    d = wrap_dim(dim, input.dim())
    _index_source_checks("index_copy_", input, d, index, source)
    a = _vector_index("index_copy", index, input._shape[d] if input.dim() else 1, RuntimeError)
    out = input.clone(memory_format=_layout.contiguous_format)
    target = _as_nd(out, 1)._array
    xp.index_put(target, _index_along(input, d, xp.to_device(a)),
                 source._array.reshape(target.shape[:d] + (len(a),) + target.shape[d + 1:]),
                 False)
    return out


index_copy.defvjp(lambda grad, dim, index: grad.index_fill(dim, index, 0), None,
                  lambda grad, dim, index, source:
                  _as_source(grad.index_select(dim, index), source))


def _fill_value(name, input, value):
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"{name} only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.dim()} dimension(s).")
        return value.item()
    _check_fits(value, input._dtype)
    return value


@op(tensors=("input", "index"), grad_fn="IndexFillBackward0")
def index_fill(xp, input, dim, index, value):
    """torch.index_fill: a copy of input whose slices index[k] along dim are all `value`."""
    d = wrap_dim(dim, input.dim())
    a = _vector_index("index_fill", index, input._shape[d] if input.dim() else 1,
                      RuntimeError)
    value = _fill_value("index_fill_", input, value)
    out = input.clone()
    target = _as_nd(out, 1)._array
    xp.index_put(target, _index_along(input, d, xp.to_device(a)),
                 np.asarray(value).astype(input._dtype.np), False)
    return out


index_fill.defvjp(lambda grad, dim, index: grad.index_fill(dim, index, 0), None)


# -- masks ----------------------------------------------------------------------------------------


def _check_mask(name, mask):
    if mask._dtype.name != "bool":
        dtype = {"int64": "long int", "int32": "int", "uint8": "unsigned char"}.get(
            mask._dtype.name, mask._dtype.name)
        raise RuntimeError(f"{name} only supports boolean masks, but got mask with dtype "
                           f"{dtype}")


@op(tensors=("input", "mask"), grad_fn="MaskedFillBackward0")
def masked_fill(xp, input, mask, value):
    """torch.masked_fill: input with `value` (a number or 0-dim tensor) where mask is True;
    the result has the broadcast shape of input and mask."""
    from .. import _layout
    _check_mask("masked_fill_", mask)
    value = _fill_value("masked_fill_", input, value)
    shape = _layout.broadcast_shapes(input._shape, mask._shape)
    out = xp.where(mask._array, np.asarray(value).astype(input._dtype.np),
                   np.broadcast_to(input._array, shape))
    return xp.astype(out, input._dtype.np), input._dtype


masked_fill.defvjp(lambda grad, mask: grad.masked_fill(mask, 0), None)


@op(tensors=("input", "mask"), grad_fn="MaskedSelectBackward0")
def masked_select(xp, input, mask):
    """torch.masked_select: the elements of input where mask (broadcast with it) is True, as
    a 1-D tensor."""
    from .. import _layout
    _check_mask("masked_select", mask)
    shape = _layout.broadcast_shapes(input._shape, mask._shape)
    return xp.masked_select(np.broadcast_to(input._array, shape),
                            np.broadcast_to(mask._array, shape)), input._dtype


masked_select.defvjp(lambda grad, input_shape, mask:
                     _zeros_bcast(grad, input_shape, mask).masked_scatter(mask, grad), None)


def _zeros_bcast(grad, input_shape, mask):
    from .. import _layout
    return grad.new_zeros(_layout.broadcast_shapes(tuple(input_shape), mask._shape))


@op(tensors=("input", "mask", "source"), grad_fn="MaskedScatterBackward0")
def masked_scatter(xp, input, mask, source):
    """torch.masked_scatter: input with the positions where mask is True filled, in order,
    with source's first elements."""
    from .. import _layout
    _check_mask("masked_scatter_", mask)
    if source._dtype is not input._dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but "
                           f"got{scalar_type_name(input._dtype)} and "
                           f"{scalar_type_name(source._dtype)}")
    shape = _layout.broadcast_shapes(input._shape, mask._shape)
    m = np.broadcast_to(mask._array, shape)
    if int(np.count_nonzero(m)) > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")
    out = np.array(np.broadcast_to(input._array, shape))
    xp.masked_scatter(out, m, source.contiguous()._array.reshape(-1))
    return out, input._dtype


def _masked_scatter_source_grad(grad, mask, source):
    """source's first elements went to the masked positions: they get those gradients, the
    unused rest zero."""
    from .joining import cat
    picked = grad.masked_select(mask)
    rest = picked.new_zeros((source.numel() - picked.numel(),))
    return cat([picked, rest]).reshape(source._shape)


masked_scatter.defvjp(lambda grad, mask: grad.masked_fill(mask, 0), None,
                      lambda grad, mask, source: _masked_scatter_source_grad(grad, mask, source))


# -- flat indices: take, put, nonzero -------------------------------------------------------------


def _flat_positions(index, numel):
    a = index._xp.to_host(index._array).reshape(-1).astype(np.int64)
    bad = (a >= numel) | (a < -numel)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(a[bad][0])} on a tensor of "
                         f"{numel} elements.")
    return np.where(a < 0, a + numel, a)


@op(tensors=("input", "index"), grad_fn="TakeBackward0")
def take(xp, input, index):
    """torch.take: the elements of input, seen as 1-D, at `index` (negative counts from the
    end); the result has index's shape."""
    if index._dtype is not _dtype.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got "
                           f"{scalar_type_name(index._dtype)}")
    pos = _flat_positions(index, input.numel())
    flat = input.contiguous()._array.reshape(-1)
    return xp.index(flat, (xp.to_device(pos),)).reshape(index._shape), input._dtype


take.defvjp(lambda grad, input_shape, index:
            grad.new_zeros(input_shape).put(index, grad, accumulate=True), None)


@op(tensors=("input", "index", "source"), grad_fn="PutBackward0")
def put(xp, input, index, source, accumulate=False):
    """torch.put: a copy of input, seen as 1-D, with source's elements written (or added)
    at `index`."""
    if index._dtype is not _dtype.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got "
                           f"{scalar_type_name(index._dtype)}")
    if source._dtype is not input._dtype:
        raise RuntimeError(f"put_(): self ({scalar_type_name(input._dtype)}) and source "
                           f"({scalar_type_name(source._dtype)}) must have the same scalar "
                           "type")
    if index.numel() != source.numel():
        raise IndexError(f"put_(): Expected source and index to have the same number of "
                           f"elements, but got source.numel() = {source.numel()}, "
                           f"index.numel() = {index.numel()}")
    pos = _flat_positions(index, input.numel())
    flat = input.clone(memory_format=_layout.contiguous_format)
    xp.index_put(flat._array.reshape(-1), (xp.to_device(pos),),
                 source.contiguous()._array.reshape(-1), accumulate)
    out = input.clone()  # the result keeps input's layout
    xp.copy_(out._array, flat._array)
    return out


put.defvjp(lambda grad, index, accumulate:
           grad.put(index, grad.new_zeros(index._shape), accumulate=False) if not accumulate
           else grad, None,
           lambda grad, index, source: grad.take(index).reshape(source._shape))


def take_along_dim(input, indices, dim=None):
    """torch.take_along_dim: gather along dim after broadcasting input and indices in the
    other dims; over the flattened input when dim is None."""
    if dim is None:
        return gather(input.view(-1), 0, indices.view(-1))
    from .. import _layout
    d = wrap_dim(dim, input.dim())
    if indices.dim() != input.dim():
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.dim()} dimensions for input, "
                           f"and {indices.dim()} dimensions for indices")
    other = lambda s: s[:d] + (1,) + s[d + 1:]  # noqa: E731
    common = _layout.broadcast_shapes(other(input._shape), other(indices._shape))
    ish = common[:d] + (input._shape[d],) + common[d + 1:]
    jsh = common[:d] + (indices._shape[d],) + common[d + 1:]
    return gather(input.expand(ish), d, indices.expand(jsh))


def nonzero(input, *, as_tuple=False, out=None):
    """torch.nonzero: the (n, ndim) int64 coordinates of the nonzero elements in C order
    (column-major strides, as torch lays them out); with as_tuple, one 1-D tensor per dim
    (a 0-dim input counts as 1-D)."""
    xp = input._xp
    coords = xp.to_host(xp.nonzero(input._array))
    if as_tuple:
        if input.dim() == 0:
            return (_int64(np.zeros(int(bool(input.item())), np.int64), input._device),)
        return tuple(_int64(np.ascontiguousarray(coords[:, j]), input._device)
                     for j in range(input.dim()))
    n, k = coords.shape
    result = Tensor._empty((n, k), _dtype.int64, input._device, (1, n))
    xp.copy_(result._array, xp.to_device(coords))
    return result


def argwhere(input):
    """torch.argwhere: nonzero(input)."""
    return nonzero(input)


Tensor.__getitem__ = getitem
Tensor.__setitem__ = setitem
Tensor.index_put = index_put
Tensor.index_put_ = index_put_
Tensor.scatter = scatter
Tensor.scatter_ = scatter_
Tensor.scatter_add_ = lambda self, dim, index, src: inplace(scatter_add, self, dim, index, src)
Tensor.scatter_reduce_ = lambda self, dim, index, src, reduce, *, include_self=True: inplace(
    scatter_reduce, self, dim, index, src, reduce, include_self=include_self)
Tensor.index_add_ = lambda self, dim, index, source, *, alpha=1: inplace(
    index_add, self, dim, index, source, alpha=alpha)
Tensor.index_copy_ = lambda self, dim, index, source: inplace(index_copy, self, dim, index,
                                                              source)
Tensor.index_fill_ = lambda self, dim, index, value: inplace(index_fill, self, dim, index,
                                                             value)
Tensor.masked_fill_ = lambda self, mask, value: inplace(masked_fill, self, mask, value)
Tensor.masked_scatter_ = lambda self, mask, source: inplace(masked_scatter, self, mask, source)
Tensor.put_ = lambda self, index, source, accumulate=False: inplace(put, self, index, source,
                                                                    accumulate)
Tensor.take_along_dim = take_along_dim
Tensor.nonzero = nonzero
Tensor.argwhere = argwhere

__all__ = ["index_put", "index_put_", "gather", "scatter", "scatter_add", "scatter_reduce",
           "index_select", "index_add", "index_copy", "index_fill", "masked_fill",
           "masked_select", "masked_scatter", "take", "take_along_dim", "put", "nonzero",
           "argwhere"]
