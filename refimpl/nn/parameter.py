"""torch.nn.Parameter and torch.nn.Buffer.

Spec nn.Parameter: a Parameter is a Tensor subclass that shares its data with the tensor it
wraps and requires grad by default; assigning one as a Module attribute registers it in the
module's `_parameters` (see Module.__setattr__). Its repr is "Parameter containing:" followed
by the tensor's repr. Results of ops on a Parameter are plain Tensors.

Spec nn.Buffer: `Buffer(data, persistent=True)` marks a tensor that, assigned as a Module
attribute, registers as a buffer (persistent or not). As in torch, the object is the plain
tensor itself with a marker; `isinstance(t, Buffer)` tests the marker.
"""

from .._tensor import Tensor

__all__ = ["Parameter", "Buffer"]


def _empty():
    from .._refs.creation import empty
    return empty(0)


class Parameter(Tensor):
    """A Tensor that a Module registers as a parameter; requires_grad=True by default."""

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = _empty()
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter(): argument 'data' must be Tensor, not "
                            f"{type(data).__name__}")
        self = Tensor.__new__(cls)
        self._set_from(data)
        self._version_counter = data._version_counter
        if requires_grad and not (self._dtype.is_floating_point or self._dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        self._requires_grad = bool(requires_grad)
        return self

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = Parameter(self.detach().clone(), self._requires_grad)
        if self._grad is not None:
            result._grad = self._grad.detach().clone()
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, proto):
        return (_rebuild_parameter, (self.detach().clone(), self._requires_grad))


def _rebuild_parameter(data, requires_grad):
    return Parameter(data, requires_grad)


class _BufferMeta(type):
    """`isinstance(t, Buffer)` is True for tensors made by Buffer(...)."""

    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)


class Buffer(metaclass=_BufferMeta):
    """torch.nn.Buffer(data=None, *, persistent=True): a tensor marked to register as a
    buffer when assigned as a Module attribute."""

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = _empty()
        t = data.detach()
        t._requires_grad = data._requires_grad
        t.persistent = persistent
        t._is_buffer = True
        return t

