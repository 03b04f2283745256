"""torch._C: the names of torch's C extension module that torch programs reach for.

Only the tensor class hierarchy lives here: TensorBase, torch.Tensor's only base class (in
torch it holds the C++ methods; here Tensor itself defines everything; its old name
_TensorBase is an alias), and _TensorMeta, the metaclass of both.
"""


class _TensorMeta(type):
    """The metaclass of the tensor classes."""


class TensorBase(metaclass=_TensorMeta):
    """The base class of Tensor."""

    __slots__ = ()


_TensorBase = TensorBase

__all__ = ["TensorBase", "_TensorBase", "_TensorMeta"]
