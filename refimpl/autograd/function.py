"""Custom differentiable operations: torch.autograd.Function.

Spec torch.autograd.Function: a subclass defines `@staticmethod forward(ctx, *args)` and
`@staticmethod backward(ctx, *grad_outputs)` and is used through `Cls.apply(*args)`. `apply`
creates the context, which is also the graph node: its class is named `<Cls>Backward`
(torch.autograd.example.relu-function), and it is the `grad_fn` of every differentiable
output. `forward` runs with grad mode off; `backward` runs with grad mode equal to
`create_graph`, gets one gradient per output and returns one per argument of `apply`.

The modern split form is supported too: `forward(*args)` without ctx plus
`setup_context(ctx, inputs, output)`.
"""

import functools
import warnings

from .grad_mode import is_grad_enabled, no_grad
from .graph import FREED_MESSAGE, Node, SavedTensor, gradient_edge

LEGACY_MESSAGE = (
    "Legacy autograd function with non-static forward method is deprecated. Please use "
    "new-style autograd function with static forward method. (Example: "
    "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")


def _tensor_class():
    from .._tensor import Tensor
    return Tensor


class FunctionCtx:
    """What forward and setup_context may call on `ctx`.

    Spec torch.autograd.Function.save-for-backward, torch.autograd.Function.needs-input-grad.
    """

    def save_for_backward(self, *tensors):
        """Keep tensors (or None) for backward; read back with `ctx.saved_tensors`."""
        Tensor = _tensor_class()
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError("save_for_backward can only save variables, but argument "
                                f"{tensors.index(t)} is of type {type(t).__name__}")
        self.to_save = tensors

    def save_for_forward(self, *tensors):
        self.saved_for_forward = tensors

    def mark_dirty(self, *tensors):
        """Declare inputs that forward modified in place; they become outputs of this node."""
        self.dirty_tensors = tensors

    def mark_non_differentiable(self, *tensors):
        """Declare outputs that get no gradient: they do not require grad, and backward
        receives zeros (or None without materialization) for them."""
        self.non_differentiable = tensors

    def set_materialize_grads(self, value):
        """With False, backward receives None instead of zeros for outputs no gradient
        reached."""
        self.materialize_grads = bool(value)


class BackwardCFunction(Node, FunctionCtx):
    """The node of one `apply` call, which is also its ctx."""

    _forward_cls = None

    def __init__(self, next_functions=()):
        Node.__init__(self, next_functions)
        self.to_save = None
        self.dirty_tensors = ()
        self.non_differentiable = ()
        self.materialize_grads = True
        self.needs_input_grad = ()
        self._saved = None
        self._released = False

    @property
    def saved_tensors(self):
        """The tensors given to save_for_backward, in order; torch's errors after an in-place
        change of one of them or after the graph was freed."""
        if self._released:
            raise RuntimeError(FREED_MESSAGE)
        if self._saved is None:
            return ()
        return tuple(None if s is None else s.unpack(self) for s in self._saved)

    def release(self):
        self._released = True
        self._saved = None

    def apply(self, grads):
        """Call the user's backward on the output gradients; check and shape its results."""
        cls = self._forward_cls
        outs = []
        for i, meta in enumerate(self._output_metas):
            g = grads.get(i)
            if g is None and self.materialize_grads and meta is not None:
                from .._refs.creation import zeros
                g = zeros(meta[0], dtype=meta[1], device=meta[2])
            outs.append(g)
        result = cls.backward(self, *outs)
        if not isinstance(result, tuple):
            result = (result,)
        n = len(self._input_metas)
        if len(result) > n and all(r is None for r in result[n:]):
            result = result[:n]
        if len(result) != n:
            raise RuntimeError(f"function {self.name()} returned an incorrect number of "
                               f"gradients (expected {n}, got {len(result)})")
        for i, g in enumerate(result):
            if self._input_metas[i] is False and g is not None:
                raise RuntimeError(f"function {self.name()} returned a gradient different than "
                                   f"None at position {i + 1}, but the corresponding forward "
                                   "input was not a Variable")
        return tuple(self._validate(i, g) for i, g in enumerate(result)
                     if self._input_metas[i] is not False)

    def _validate(self, i, g):
        """A returned gradient must fit its input: same shape, or one that sums down to it
        (a broadcast of it); it is cast to the input's dtype."""
        meta = self._input_metas[i]
        if g is None:
            return None
        if not isinstance(g, _tensor_class()):
            raise TypeError(f"function {self.name()} returned a gradient of type "
                            f"{type(g).__name__} at position {i + 1}, expected a Tensor")
        if meta is None:  # the input does not require grad: its gradient is dropped
            return None
        shape, dtype = meta
        if g._shape != shape:
            from .. import _layout
            try:
                expandable = _layout.broadcast_shapes(shape, g._shape) == g._shape
            except RuntimeError:
                expandable = False
            if not expandable:
                raise RuntimeError(f"Function {self.name()} returned an invalid gradient at "
                                   f"index {i} - got {list(g._shape)} but expected shape "
                                   f"compatible with {list(shape)}")
            g = g.sum_to_size(shape)
        if g._dtype is not dtype:
            g = g.to(dtype)
        return g


class _FunctionMeta(type):
    """Gives every Function subclass its node class `<Name>Backward`."""

    def __init__(cls, name, bases, attrs):
        backward_cls = type(name + "Backward", (BackwardCFunction,), {"_forward_cls": cls})
        cls._backward_cls = backward_cls
        super().__init__(name, bases, attrs)


class Function(metaclass=_FunctionMeta):
    """Base of custom autograd functions; use the class, never an instance.

    Spec torch.autograd.Function.legacy-instance-call: instantiating warns
    (DeprecationWarning); calling an instance raises RuntimeError.
    """

    def __init__(self, *args, **kwargs):
        warnings.warn(
            f"{self.__class__} should not be instantiated. Methods on autograd functions are "
            "all static, so you should invoke them on the class itself. Instantiating an "
            "autograd function will raise an error in a future version of PyTorch.",
            DeprecationWarning, stacklevel=2)

    def __call__(self, *args, **kwargs):
        raise RuntimeError(LEGACY_MESSAGE)

    @staticmethod
    def forward(*args, **kwargs):
        """Spec torch.autograd.Function.not-implemented."""
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom "
                                  "autograd.Function to use it with forward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run forward without recording, then make the context the node of its outputs."""
        Tensor = _tensor_class()
        tensors = [a for a in args if isinstance(a, Tensor)]
        record = is_grad_enabled() and any(t._requires_grad for t in tensors)
        ctx = cls._backward_cls([gradient_edge(t) if t._requires_grad and record else (None, 0)
                                 for t in tensors])
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad and record
                                     for a in args)
        split = cls.setup_context is not Function.setup_context
        with no_grad():
            if split:
                output = cls.forward(*args, **kwargs)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        if split:
            cls.setup_context(ctx, args, output)
        return _wire_outputs(ctx, args, output, record)


def _wire_outputs(ctx, args, output, record):
    """Attach ctx as the grad_fn of the differentiable outputs and save what it kept."""
    Tensor = _tensor_class()
    is_tuple = isinstance(output, tuple)
    outputs = list(output) if is_tuple else [output]
    dirty = {id(t) for t in ctx.dirty_tensors or ()}
    non_diff = {id(t) for t in ctx.non_differentiable or ()}
    inputs = {id(a) for a in args if isinstance(a, Tensor)}
    for i, out in enumerate(outputs):
        if not isinstance(out, Tensor):
            continue
        if id(out) in dirty:
            if record and out._grad_fn is None and out._requires_grad:
                raise RuntimeError("a leaf Variable that requires grad has been used in an "
                                   "in-place operation.")
            out._bump_version()  # marking an input dirty counts as one more write, as in torch
        elif id(out) in inputs:
            # an input returned as is comes back as a new view of it, as in torch
            out = outputs[i] = out._view(out._shape, out._stride, out._offset)
        differentiable = record and id(out) not in non_diff and \
            (out._dtype.is_floating_point or out._dtype.is_complex)
        if differentiable:
            out._grad_fn, out._output_nr, out._requires_grad = ctx, i, True
        elif id(out) not in dirty:
            out._requires_grad = False
    if record:
        ctx._output_metas = tuple((o._shape, o._dtype, o._device) if isinstance(o, Tensor)
                                  else None for o in outputs)
        ctx._input_metas = tuple(
            False if not isinstance(a, Tensor) else
            ((a._shape, a._dtype) if a._requires_grad else None) for a in args)
        if ctx.to_save is not None:
            outs = {id(o) for o in outputs if isinstance(o, Tensor)}
            ctx._saved = tuple(None if t is None else
                               SavedTensor(t, id(t) in outs, ctx.name()) for t in ctx.to_save)
    elif ctx.to_save is not None:
        ctx._saved = tuple(None if t is None else SavedTensor(t, False, ctx.name())
                           for t in ctx.to_save)
    ctx.to_save = None
    return tuple(outputs) if is_tuple else outputs[0]


class DelayedError(Node):
    """The node once_differentiable puts on a backward's results under create_graph."""

    __slots__ = ()

    def apply(self, grads):
        raise RuntimeError("trying to differentiate twice a function that was marked with "
                           "@once_differentiable")


def once_differentiable(fn):
    """Run a backward without recording; differentiating its result again raises."""
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            outputs = fn(ctx, *args)
        Tensor = _tensor_class()
        if not is_grad_enabled() or not any(isinstance(a, Tensor) and a._requires_grad
                                            for a in args):
            return outputs
        node = DelayedError([gradient_edge(a) for a in args
                              if isinstance(a, Tensor) and a._requires_grad])
        single = not isinstance(outputs, tuple)
        wrapped = []
        for i, o in enumerate((outputs,) if single else outputs):
            if isinstance(o, Tensor):
                o = o._alias()
                o._grad_fn, o._output_nr, o._requires_grad = node, i, True
            wrapped.append(o)
        return wrapped[0] if single else tuple(wrapped)
    return wrapper


class InplaceFunction(Function):
    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace


class NestedIOFunction(Function):
    pass


__all__ = ["Function", "FunctionCtx", "BackwardCFunction", "once_differentiable",
           "InplaceFunction"]
