"""Python operators on Tensor, mapped to the ops they mean in torch.

Spec torch.pointwise.operators: `a + b` is torch.add, `2 - x` is torch.rsub, `2 / x` is
reciprocal(x) * 2, `//` floor_divide, `%` remainder, `**` pow, `@` matmul, `~` bitwise_not,
`&` `|` `^` `<<` `>>` the bitwise ops, comparisons the comparison ops; `x += y` and friends
are the in-place `_` forms (x stays the same object). An operand that is neither a Tensor
nor a Python number gives NotImplemented, so Python decides: `x == None` is False, `x + "a"`
is a TypeError.
"""

from .._tensor import Tensor
from . import linalg
from . import pointwise as pw

_OPERAND = (Tensor, bool, int, float, complex)


def _binary(fn):
    def operator(self, other):
        if not isinstance(other, _OPERAND):
            return NotImplemented
        return fn(self, other)
    return operator


def _reflected(fn):
    def operator(self, other):
        if not isinstance(other, _OPERAND):
            return NotImplemented
        return fn(other, self)
    return operator


def _rtruediv(self, other):
    # torch computes `number / x` as reciprocal(x) * number (grad_fn MulBackward0)
    return pw.mul(pw.reciprocal(self), other)


_matmul = getattr(linalg, "matmul", None) or linalg.mm

_OPERATORS = {
    "add": (pw.add, "add_"), "sub": (pw.sub, "sub_"), "mul": (pw.mul, "mul_"),
    "truediv": (pw.div, "div_"), "floordiv": (pw.floor_divide, "floor_divide_"),
    "mod": (pw.remainder, "remainder_"), "pow": (pw.pow, "pow_"),
    "and": (pw.bitwise_and, "bitwise_and_"), "or": (pw.bitwise_or, "bitwise_or_"),
    "xor": (pw.bitwise_xor, "bitwise_xor_"),
    "lshift": (pw.bitwise_left_shift, "bitwise_left_shift_"),
    "rshift": (pw.bitwise_right_shift, "bitwise_right_shift_"),
}

for _name, (_fn, _inplace) in _OPERATORS.items():
    setattr(Tensor, f"__{_name}__", _binary(_fn))
    setattr(Tensor, f"__r{_name}__", _reflected(_fn))
    setattr(Tensor, f"__i{_name}__", _binary(getattr(Tensor, _inplace)))

Tensor.__rsub__ = _binary(pw.rsub)
Tensor.__rtruediv__ = _binary(_rtruediv)
Tensor.__matmul__ = lambda self, other: \
    _matmul(self, other) if isinstance(other, Tensor) else NotImplemented
Tensor.__rmatmul__ = lambda self, other: \
    _matmul(other, self) if isinstance(other, Tensor) else NotImplemented
Tensor.__neg__ = lambda self: pw.neg(self)
Tensor.__pos__ = lambda self: pw.positive(self)
Tensor.__abs__ = lambda self: pw.abs(self)
Tensor.__invert__ = lambda self: pw.bitwise_not(self)
Tensor.__eq__ = _binary(pw.eq)
Tensor.__ne__ = _binary(pw.ne)
Tensor.__lt__ = _binary(pw.lt)
Tensor.__le__ = _binary(pw.le)
Tensor.__gt__ = _binary(pw.gt)
Tensor.__ge__ = _binary(pw.ge)
