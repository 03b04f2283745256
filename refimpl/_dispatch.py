"""How an op becomes torch's API: the one place for the concerns every op shares.

An op is written once as math; the decorators here add, in this order:
argument binding and torch's TypeError for non-tensor arguments, device checks and kernel
table dispatch (`xp`), type promotion, the output's memory layout, the `out=` form, the
in-place `_` form with its version bump, the method on Tensor, and autograd recording.

Three kinds of op:
- `pointwise`: forward(xp, *arrays, **attrs) receives arrays already promoted to the
  computation dtype and broadcastable; returns an array.
- `op`: forward(xp, *args, **kwargs) receives Tensors and returns (array, dtype), or a
  Tensor it built itself (a strided clone, a copy on another device).
- `view`: forward(input, *args) returns (shape, stride, storage_offset) of a view of input.
Derivatives are registered with `defvjp`, one function per tensor argument, written with
refimpl ops (so create_graph works): fn(grad, **needed) where `needed` are argument names or
`result`. Gradients of broadcast inputs are reduced to the input's shape in `OpNode.apply`.
"""

import inspect

from . import _dtype, _layout, kernels
from ._tensor import Tensor, UntypedStorage, device_of, scalar_type_name
from .autograd import grad_mode
from .autograd.grad_mode import is_grad_enabled
from .autograd.graph import FREED_MESSAGE, Node, SavedTensor, gradient_edge

NUMBER = (bool, int, float, complex)

# type promotion rules of pointwise ops (torch's ELEMENTWISE_TYPE_PROMOTION_KIND)
DEFAULT = "default"            # result_type of the operands
INT_TO_FLOAT = "int_to_float"  # integers and bool compute in the default float dtype
ALWAYS_BOOL = "always_bool"    # comparisons: compute in result_type, return bool


class OpNode(Node):
    """A node recorded by an op: the op's vjp functions and what they need, saved."""

    __slots__ = ("_vjps", "_saved", "_metas")

    def apply(self, grads):
        grad = grads.get(0)
        values = {k: v.unpack(self) if isinstance(v, _SAVED) else v
                  for k, v in self._saved.items()}
        outs = []
        for vjp, meta in zip(self._vjps, self._metas):
            if vjp is None or grad is None:
                outs.append(None)
                continue
            fn, names = vjp
            g = fn(grad, **{n: values[n] for n in names})
            shape, dtype = meta
            if g._shape != shape:
                g = g.sum_to_size(shape)
            if g._dtype is not dtype:
                g = g.to(dtype)
            outs.append(g)
        return tuple(outs)

    def release(self):
        for v in self._saved.values():
            if isinstance(v, _SAVED):
                v.free()


class SavedNumber:
    """A Python number given where an op takes a tensor (`x * 2`), saved for backward: torch
    wraps it in a tensor, so it is freed with the graph like one."""

    __slots__ = ("_value", "_freed")

    def __init__(self, value):
        self._value, self._freed = value, False

    def unpack(self, node):
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        return self._value

    def free(self):
        self._freed = True


_SAVED = (SavedTensor, SavedNumber)


_node_classes = {}


def _node_class(name):
    cls = _node_classes.get(name)
    if cls is None:
        cls = _node_classes[name] = type(name, (OpNode,), {"__slots__": ()})
    return cls


def _needs_grad(tensors):
    if not is_grad_enabled():
        return False
    for t in tensors:
        if t._requires_grad:
            return True
    return False


class Op:
    """A torch function: binds arguments, checks types, dispatches, records autograd."""

    _skip = 1  # forward's leading `xp` parameter is not part of torch's signature

    def __init__(self, forward, *, name=None, tensors=None, numbers_as_tensors=False,
                 scalars=(), grad_fn=None, method=True):
        self.forward = forward
        self.__name__ = name or forward.__name__.rstrip("_")
        self.__doc__ = forward.__doc__
        self.__module__ = "refimpl"
        params = list(inspect.signature(forward).parameters.values())[self._skip:]
        self._pos = [p.name for p in params if p.kind == p.POSITIONAL_OR_KEYWORD]
        self._kwonly = {p.name for p in params if p.kind == p.KEYWORD_ONLY}
        self._defaults = {p.name: p.default for p in params if p.default is not p.empty}
        self._tensors = list(tensors if tensors is not None else self._pos)
        self._pos_index = {n: i for i, n in enumerate(self._pos)}
        self._tensor_idx = [self._pos.index(n) for n in self._tensors]
        self._numbers = numbers_as_tensors
        self._scalars = set(scalars)
        self._grad_fn = grad_fn or (self.__name__.capitalize() + "Backward0")
        self._vjps = (None,) * len(self._tensors)
        if method:
            _add_method(self.__name__, self)

    def __repr__(self):
        return f"<refimpl op {self.__name__}>"

    def defvjp(self, *fns):
        """One derivative per tensor argument (None where torch has none)."""
        if len(fns) != len(self._tensors):
            raise TypeError(f"{self.__name__}: expected {len(self._tensors)} vjps")
        self._vjps = tuple(None if f is None else (f, tuple(inspect.signature(f).parameters)[1:])
                           for f in fns)
        return self

    # -- argument handling ------------------------------------------------------------------

    def _bind(self, args, kwargs):
        npos = len(self._pos)
        if len(args) > npos:
            raise TypeError(f"{self.__name__}() takes {npos} positional arguments but "
                            f"{len(args)} were given")
        vals = list(args)
        for name in self._pos[len(args):]:
            if name in kwargs:
                vals.append(kwargs.pop(name))
            elif name in self._defaults:
                vals.append(self._defaults[name])
            else:
                raise TypeError(f"{self.__name__}() missing required argument '{name}' "
                                f"(pos {len(vals) + 1})")
        for k in kwargs:
            if k not in self._kwonly:
                raise TypeError(f"{self.__name__}() got an unexpected keyword argument '{k}'")
        return vals, kwargs

    def _check_tensors(self, vals):
        """The Tensor arguments; torch's TypeError for anything else where a Tensor is due."""
        tensors = []
        for i in self._tensor_idx:
            v = vals[i]
            if isinstance(v, Tensor):
                tensors.append(v)
            elif isinstance(v, NUMBER) and (self._numbers or (self._pos[i] in self._scalars)):
                continue
            else:
                raise TypeError(f"{self.__name__}(): argument '{self._pos[i]}' (position "
                                f"{i + 1}) must be Tensor, not {type(v).__name__}")
        return tensors

    # -- calling --------------------------------------------------------------------------

    def __call__(self, *args, out=None, **kwargs):
        if not kwargs and len(args) == len(self._pos):
            vals = list(args)  # every argument given by position: nothing to bind
        else:
            vals, kwargs = self._bind(args, kwargs)
        tensors = self._check_tensors(vals)
        device = device_of(tensors)
        xp = kernels.for_device(device)
        result = self.forward(xp, *vals, **kwargs)
        if not isinstance(result, Tensor):
            array, dtype = result
            result = Tensor._from_array(xp.adopt(array, dtype.np), dtype, device)
        if out is not None:
            return _write_out(self.__name__, out, result._array, result._dtype, tensors)
        if _needs_grad(tensors):
            self._record(vals, kwargs, result)
        return result

    def _record(self, vals, kwargs, result, node_name=None, inputs=None, inplace=None):
        """Attach a node to `result` for the derivatives of the inputs that require grad.

        For an in-place op, `result` is the modified tensor and inputs[0] stands for its old
        value; `inplace` is detected when inputs[0] aliases result's storage, or given."""
        if not (result._dtype.is_floating_point or result._dtype.is_complex):
            return
        inputs = inputs if inputs is not None else [vals[i] for i in self._tensor_idx]
        name = node_name or (self._grad_fn(*vals, **kwargs) if callable(self._grad_fn)
                             else self._grad_fn)
        edges, vjps, needed = [], [], []
        for t, vjp in zip(inputs, self._vjps):
            if isinstance(t, Tensor) and t._requires_grad:
                edges.append(gradient_edge(t))
                vjps.append(vjp)
                if vjp is not None:
                    needed.extend(vjp[1])
            else:
                edges.append((None, 0))
                vjps.append(None)
        node = _node_class(name)(edges)
        saved = {}
        for n in needed:
            if n in saved:
                continue
            if n == "result":
                saved[n] = SavedTensor(result, True, name)
                continue
            if n.endswith("_shape"):  # `x_shape`: the shape of argument x, if there is one
                value = self._argument(n[:-6], vals, kwargs)
                if value is not _MISSING:
                    saved[n] = value._shape
                    continue
            value = self._argument(n, vals, kwargs)
            if value is _MISSING:
                raise KeyError(n)
            if isinstance(value, Tensor):
                saved[n] = SavedTensor(value, False, name)
            elif n in self._tensors:
                saved[n] = SavedNumber(value)
            else:
                saved[n] = value
        node._vjps = tuple(vjps)
        node._saved = saved
        node._metas = tuple((t._shape, t._dtype) if isinstance(t, Tensor) else ((), None)
                            for t in inputs)
        if inplace is None:
            inplace = not isinstance(self, View) and bool(inputs) and \
                isinstance(inputs[0], Tensor) and inputs[0]._storage is result._storage
        if inplace and result._base is not None:
            rebase_view(result, node)  # an in-place op on a view: the base's history changes
            return
        result._grad_fn = node
        result._requires_grad = True
        result._output_nr = 0
        if isinstance(self, View):
            result._view_of_fn = result._base._grad_fn  # see autograd.view_grads

    def _argument(self, n, vals, kwargs):
        """The value of argument `n` in a bound call (keyword, positional, or default)."""
        if n in kwargs:
            return kwargs[n]
        i = self._pos_index.get(n)
        if i is not None and i < len(vals):
            return vals[i]
        return self._defaults.get(n, _MISSING)


_MISSING = object()


_FAST_DTYPES = frozenset((_dtype.float32, _dtype.float64, _dtype.int64, _dtype.int32))
_contiguous_strides = {}


def _contiguous(shape):
    """contiguous_strides(shape), remembered for the shapes seen last."""
    strides = _contiguous_strides.get(shape)
    if strides is None:
        if len(_contiguous_strides) > 4096:
            _contiguous_strides.clear()
        strides = _contiguous_strides[shape] = _layout.contiguous_strides(shape)
    return strides


# operand layouts ((shape, strides) of each tensor) seen before whose broadcast output is
# contiguous, with that output's shape
_broadcast_contiguous = {}


def _new_contiguous(array, dtype, shape, device):
    """A tensor owning `array` (fresh, C-contiguous, of `dtype`), as Tensor._from_array."""
    t = Tensor._make(UntypedStorage(array, device), 0, shape, _contiguous(shape), dtype, device)
    t._arr = array
    return t


def dtype_is_float(t):
    return t is not None and t._dtype.is_floating_point


class Pointwise(Op):
    """An elementwise op: broadcasting, torch's type promotion, opmath (half computes in
    float), the output layout of TensorIterator, and the in-place form `name_`."""

    def __init__(self, forward, *, promote=DEFAULT, inplace=True, numbers_in_layout=True,
                 exact_scalar_other=False, uncast=(), **kw):
        super().__init__(forward, **kw)
        self._promote = promote
        # operands that keep their dtype (where's condition): not cast, not laid out as a copy
        self._uncast = {self._pos_index[n] for n in uncast}
        # mul and div on float16/bfloat16 take a one-element second operand at its own value
        # in float32 (torch's reduced-float scalar kernel); every other operand is first
        # rounded to the common dtype (see _arrays)
        self._exact_scalar_other = exact_scalar_other
        # False where torch has a Scalar overload (pow(x, 2), lerp(x, y, 0.5)): the number is
        # then no operand of TensorIterator and the output is laid out as by a unary op
        self._numbers_in_layout = numbers_in_layout
        # calls with one tensor-or-number per parameter may take the fast path
        self._nfast = len(self._pos) if len(self._tensor_idx) == len(self._pos) else -1
        # the parameters that may be a Python number there (x > 0, pow(x, 2))
        self._fast_numbers = tuple(self._numbers or n in self._scalars for n in self._pos)
        if inplace:
            name = self.__name__ + "_"
            setattr(Tensor, name, _method(name, self.inplace))

    def _fast_call(self, args):
        """The common case in fewer steps, with the same result as the general path: every
        argument a contiguous tensor of one shape, dtype and device (Python ints and floats
        allowed where the tensor's dtype already wins promotion), no keywords, no out=, and a
        dtype that computes in itself. Returns None when the case does not apply."""
        first, broadcast = None, False
        for a, number_ok in zip(args, self._fast_numbers):
            if type(a) is Tensor:
                if first is None:
                    first = a
                    dtype, shape, device = a._dtype, a._shape, a._device
                    if dtype not in _FAST_DTYPES or a._stride != _contiguous(shape) or \
                            0 in shape:  # empty tensors: TensorIterator's own strides
                        return None
                elif a._dtype is not dtype or a._stride != _contiguous(a._shape) \
                        or not (a._device is device or a._device == device):
                    return None
                elif a._shape != shape:
                    broadcast = True
            elif type(a) is float:
                if not number_ok or first is None or not dtype_is_float(first):
                    return None
            elif type(a) is not int or not number_ok or first is None:
                return None
        if first is None:
            return None
        promote = self._promote
        if promote == INT_TO_FLOAT and not dtype.is_floating_point:
            return None
        if broadcast:
            key = tuple((a._shape, a._stride) for a in args if type(a) is Tensor)
            shape = _broadcast_contiguous.get(key)
            if shape is None:
                shape = _layout.broadcast_shapes(*(s for s, _ in key))
                if _layout.elementwise_output_strides(shape, key) != _contiguous(shape):
                    return None
                if len(_broadcast_contiguous) > 4096:
                    _broadcast_contiguous.clear()
                _broadcast_contiguous[key] = shape
        xp = kernels.for_device(device)
        np_dtype = dtype.np
        arrays = [a._array if type(a) is Tensor else xp.asarray(a, np_dtype) for a in args]
        array = self.forward(xp, *arrays)
        result_dtype = _dtype.bool if promote == ALWAYS_BOOL else dtype
        result = _new_contiguous(xp.adopt(array, result_dtype.np, shape), result_dtype, shape,
                                 device)
        if _needs_grad([a for a in args if type(a) is Tensor]):
            self._record(list(args), {}, result)
        return result

    def _dtypes(self, vals):
        """(result dtype, computation dtype) of a call."""
        operands = [vals[i] for i in self._tensor_idx]
        common = _dtype.result_type(*operands)
        if self._promote == ALWAYS_BOOL:
            return _dtype.bool, common
        if self._promote == INT_TO_FLOAT and not (common.is_floating_point or common.is_complex):
            common = _dtype.get_default_dtype()
        return common, _dtype.opmath(common)

    def _arrays(self, xp, vals, common, compute, device):
        """The operands as arrays of the computation dtype. Where that is wider than the common
        dtype (float32 for float16 and bfloat16), each operand, Python numbers included, is
        first cast to the common dtype, as TensorIterator casts its inputs: float16 + an int64
        tensor holding 65520 adds inf. mul and div keep a one-element second operand exact."""
        np_dtype = compute.np
        narrow = common.np if common.np != np_dtype else None
        out = list(vals)
        for i in self._tensor_idx:
            v = vals[i]
            if i in self._uncast:
                out[i] = v._array
                continue
            keep = narrow is None or (self._exact_scalar_other and i == 1 and (
                not isinstance(v, Tensor) or v.numel() == 1))
            if isinstance(v, Tensor) and v._device == device:
                a = v._array
                if not keep and a.dtype != narrow:
                    a = xp.astype(a, narrow)
                out[i] = xp.astype(a, np_dtype)
            else:  # a Python number, or a 0-dim cpu tensor joining an op on another device
                value = v.item() if isinstance(v, Tensor) else v
                out[i] = xp.asarray(value, np_dtype) if keep else \
                    xp.astype(xp.asarray(value, narrow), np_dtype)
        return out

    def _compute(self, vals, kwargs):
        tensors = self._check_tensors(vals)
        device = device_of(tensors)
        xp = kernels.for_device(device)
        result_dtype, compute = self._dtypes(vals)
        common = compute if self._promote == ALWAYS_BOOL else result_dtype
        shape = _layout.broadcast_shapes(*(t._shape for t in tensors))
        array = self.forward(xp, *self._arrays(xp, vals, common, compute, device), **kwargs)
        return tensors, device, xp, result_dtype, shape, array, common

    def __call__(self, *args, out=None, **kwargs):
        if out is None and not kwargs and len(args) == self._nfast:
            result = self._fast_call(args)
            if result is not None:
                return result
        vals, kwargs = self._bind(args, kwargs)
        tensors, device, xp, dtype, shape, array, common = self._compute(vals, kwargs)
        if out is not None:
            return _write_out(self.__name__, out, array, dtype, tensors)
        # Python numbers take part as 0-dim operands, as torch's wrapped scalars do; an operand
        # of another dtype than the common one takes part as its converted copy would
        # (x.to(common) keeps dense strides and makes others dense, as TensorIterator's cast
        # of its inputs on CPU does before it picks the output's layout)
        numbers = len(self._tensor_idx) - len(tensors) if self._numbers_in_layout else 0
        kept = [vals[i] for i in self._uncast]
        strides = _layout.elementwise_output_strides(
            shape, [(t._shape, t._stride if t._dtype is common or any(t is k for k in kept)
                     else _layout.empty_like_strides(t._shape, t._stride)) for t in tensors] +
            [((), ())] * numbers)
        if strides == _layout.contiguous_strides(shape):
            result = Tensor._from_array(xp.adopt(array, dtype.np, shape), dtype, device)
        else:
            result = Tensor._empty(shape, dtype, device, strides)
            xp.copy_(result._array, array)
        if _needs_grad(tensors):
            self._record(vals, kwargs, result)
        return result

    def inplace(self, *args, **kwargs):
        """The `_` form: writes the result into the first argument and returns it.

        Spec torch.Tensor.inplace-suffix: the tensor itself changes, its version counter
        bumps, the result must broadcast to its shape and be castable to its dtype.
        """
        vals, kwargs = self._bind(args, kwargs)
        self_ = vals[0]
        tensors, device, xp, dtype, shape, array, _ = self._compute(vals, kwargs)
        _check_inplace_target(self_, dtype, shape)
        needs = _needs_grad(tensors)
        check_inplace(self_, needs)
        if needs:
            # the node's inputs are self *before* the write: keep its edge and a copy if a
            # derivative reads it
            old = self_._alias()
            old._grad_fn, old._output_nr = self_._grad_fn, self_._output_nr
            old._requires_grad = self_._requires_grad
            if any(v is not None and self._pos[0] in v[1] for v in self._vjps):
                old = _clone_for_saving(old)
        xp.copy_(self_._array, array)
        self_._bump_version()
        if needs:
            vals[0] = old
            self._record(vals, kwargs, self_, inplace=True)
        return self_


def check_inplace(target, needs_grad):
    """torch's checks before an in-place write into `target`, made before any data changes.

    Spec torch.autograd.inplace-checks: inference tensors only change inside inference mode;
    with grad recording, a leaf that requires grad (or a view of one) cannot be modified, and
    neither can a view made under no_grad of a tensor that requires grad.
    """
    if target.is_inference() and not grad_mode.is_inference_mode_enabled():
        raise RuntimeError("Inplace update to inference tensor outside InferenceMode is not "
                           "allowed.You can make a clone to get a normal tensor before doing "
                           "inplace update.See https://github.com/pytorch/rfcs/pull/17 for more "
                           "details.")
    if not is_grad_enabled():
        return
    base = target._base
    if base is not None and base._requires_grad and not target._requires_grad:
        raise RuntimeError(
            "A view was created in no_grad mode and is being modified inplace with grad mode "
            "enabled. Given that this use case is ambiguous and error-prone, it is forbidden. "
            "You can clarify your code by moving both the view and the inplace either both "
            "inside the no_grad block (if you don't want the inplace to be tracked) or both "
            "outside (if you want the inplace to be tracked).")
    if not needs_grad:
        return
    if base is not None and base._grad_fn is None and base._requires_grad:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")
    if target._grad_fn is None and target._requires_grad:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")


class CopySlices(Node):
    """The base's node after an in-place op on one of its views (torch's CopySlices).

    Its inputs are the base's previous history and the in-place op's other inputs. The
    gradient of the base passes through unchanged outside the view; inside it, the view's
    part goes through the in-place op's node, whose gradient for the view's old value is
    put back in its place.
    """

    __slots__ = ("_fn", "_index", "_base_shape")

    def apply(self, grads):
        grad = grads.get(0)
        if grad is None:
            return (None,) * len(self.next_functions)
        from .autograd.view_grads import gather_view, scatter_view
        inside = gather_view(grad, self._index)
        res = self._fn.apply({0: inside})
        outside = grad - scatter_view(inside, self._index, self._base_shape)
        first = outside if res[0] is None else \
            outside + scatter_view(res[0], self._index, self._base_shape)
        return (first, *res[1:])

    def release(self):
        self._fn.release()


def rebase_view(view, node):
    """Make the in-place op `node` on `view` part of the base's history (CopySlices) and give
    the view a fresh AsStridedBackward0 node on the base's new history."""
    from .autograd.view_grads import view_index
    base = view._base
    copy = CopySlices([gradient_edge(base) if base._requires_grad else (None, 0),
                       *node.next_functions[1:]])
    copy._fn = node
    copy._index = view_index(base, view)
    copy._base_shape = base._shape
    base._grad_fn, base._output_nr, base._requires_grad = copy, 0, True
    from .autograd.view_grads import regenerate_view_fn
    regenerate_view_fn(view)


def _clone_for_saving(t):
    c = Tensor._empty(t._shape, t._dtype, t._device)
    c._xp.copy_(c._array, t._array)
    c._grad_fn, c._output_nr, c._requires_grad = t._grad_fn, t._output_nr, t._requires_grad
    c._accumulator = t._accumulator
    return c


def _check_inplace_target(target, dtype, shape):
    if not _dtype.can_cast(dtype, target._dtype):
        raise RuntimeError(f"result type {scalar_type_name(dtype)} can't be cast to the desired "
                           f"output type {scalar_type_name(target._dtype)}")
    if shape != target._shape:
        raise RuntimeError(f"output with shape {list(target._shape)} doesn't match the "
                           f"broadcast shape {list(shape)}")
    if 0 not in target._shape and any(s == 0 and n > 1 for n, s in zip(target._shape,
                                                                         target._stride)):
        raise RuntimeError("unsupported operation: more than one element of the written-to "
                           "tensor refers to a single memory location. Please clone() the "
                           "tensor before performing the operation.")


def _write_out(name, out, array, dtype, tensors):
    """The `out=` form: cast-check, resize (warning when out had other data), write."""
    import warnings
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if is_grad_enabled() and (out._requires_grad or any(t._requires_grad for t in tensors)):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if not _dtype.can_cast(dtype, out._dtype):
        raise RuntimeError(f"result type {scalar_type_name(dtype)} can't be cast to the desired "
                           f"output type {scalar_type_name(out._dtype)}")
    shape = tuple(getattr(array, "shape", ()))
    if shape != out._shape:
        if out.numel() != 0:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out._shape)}, which does not match the required output shape "
                f"{list(shape)}. This behavior is deprecated, and in a future PyTorch release "
                "outputs will not be resized unless they have zero elements. You can explicitly "
                "reuse an out tensor t by resizing it, inplace, to zero elements with "
                "t.resize_(0).", UserWarning, stacklevel=3)
        out._set_from(Tensor._empty(shape, out._dtype, out._device))
    out._xp.copy_(out._array, array)
    out._bump_version()
    return out


class View(Op):
    """A view op: the result shares input's storage; only shape, stride and offset change."""

    _skip = 0

    def __init__(self, forward, **kw):
        kw.setdefault("tensors", tuple(inspect.signature(forward).parameters)[:1])
        super().__init__(forward, **kw)

    def __call__(self, *args, **kwargs):
        if not kwargs and len(args) == len(self._pos):
            vals = list(args)
        else:
            vals, kwargs = self._bind(args, kwargs)
        tensors = self._check_tensors(vals)
        shape, stride, offset = self.forward(*vals, **kwargs)
        base = vals[0]
        result = base._view(shape, stride, offset)
        arr = base._arr
        if arr is not None and arr.ndim == 2 and offset == base._offset and \
                shape == base._shape[::-1] and stride == base._stride[::-1] and \
                base._device.type == "cpu":
            result._arr = arr.T  # a transpose (t(), mT): the parent's array, transposed
        if _needs_grad(tensors):
            self._record(vals, kwargs, result)
        elif is_grad_enabled():
            result._view_of_fn = None  # tracked: the base may gain a history in place later
        return result


def _method(name, fn):
    def method(self, *args, **kwargs):
        return fn(self, *args, **kwargs)
    method.__name__ = name
    method.__qualname__ = f"Tensor.{name}"
    method.__doc__ = getattr(fn, "__doc__", None)
    return method


def _add_method(name, op):
    setattr(Tensor, name, _method(name, op))


def pointwise(**kw):
    return lambda fn: Pointwise(fn, **kw)


def op(**kw):
    return lambda fn: Op(fn, **kw)


def view(**kw):
    return lambda fn: View(fn, **kw)


Tensor.output_nr = property(lambda self: self._output_nr,
                            doc="Which output of its grad_fn this tensor is.")
