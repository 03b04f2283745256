"""torch.autograd.Variable: a deprecated name that makes plain tensors.

Spec torch.autograd.Variable-returns-tensor: since PyTorch 0.4 tensors carry autograd state
themselves; `Variable(t, requires_grad=True)` returns a new leaf Tensor sharing t's data, and
every Tensor is an instance of Variable.
"""


def _tensor_class():
    from .._tensor import Tensor
    return Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, other):
        return isinstance(other, _tensor_class())


class Variable(metaclass=_VariableMeta):
    """Variable(data, requires_grad=False): a detached alias of `data` (a Tensor)."""

    def __new__(cls, data=None, requires_grad=False, volatile=False):
        Tensor = _tensor_class()
        if data is None:
            from .._refs.creation import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = data.detach()
        if requires_grad:
            if not (out._dtype.is_floating_point or out._dtype.is_complex):
                raise RuntimeError("Only Tensors of floating point and complex dtype can "
                                   "require gradients")
            out._requires_grad = True
        return out
