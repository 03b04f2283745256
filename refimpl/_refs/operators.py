"""Python operators on Tensor, mapped to the ops they mean in torch."""

from .._tensor import Tensor
from .linalg import mm
from .pointwise import add, div, gt, le, mul, neg, sub


def _reflected(op):
    return lambda self, other: op(other, self)


Tensor.__add__ = lambda self, other: add(self, other)
Tensor.__radd__ = _reflected(add)
Tensor.__iadd__ = lambda self, other: self.add_(other)
Tensor.__sub__ = lambda self, other: sub(self, other)
Tensor.__rsub__ = _reflected(sub)
Tensor.__isub__ = lambda self, other: self.sub_(other)
Tensor.__mul__ = lambda self, other: mul(self, other)
Tensor.__rmul__ = _reflected(mul)
Tensor.__imul__ = lambda self, other: self.mul_(other)
Tensor.__truediv__ = lambda self, other: div(self, other)
Tensor.__rtruediv__ = _reflected(div)
Tensor.__itruediv__ = lambda self, other: self.div_(other)
Tensor.__neg__ = lambda self: neg(self)
Tensor.__gt__ = lambda self, other: gt(self, other)
Tensor.__le__ = lambda self, other: le(self, other)
Tensor.__matmul__ = lambda self, other: mm(self, other)

