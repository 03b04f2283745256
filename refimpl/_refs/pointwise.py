"""Elementwise ops.

Spec torch.ops.tensor-arguments: these ops take tensors; a Python number is accepted where
torch accepts one (`torch.add(1, 2)`, `x + 2`), and anything else is a TypeError
(`torch.sigmoid([1.0])`). Promotion, broadcasting, out=, the `_` in-place form and autograd
come from refimpl._dispatch.
"""

from .. import _dtype
from .._dispatch import ALWAYS_BOOL, INT_TO_FLOAT, pointwise
from .._tensor import Tensor, scalar_type_name


@pointwise(numbers_as_tensors=True)
def add(xp, input, other, *, alpha=1):
    """torch.add: input + alpha * other. Spec torch.add."""
    if alpha != 1:
        other = xp.multiply(other, alpha)
    return xp.add(input, other)


add.defvjp(lambda grad: grad,
           lambda grad, alpha: grad * alpha if alpha != 1 else grad)


@pointwise(numbers_as_tensors=True)
def sub(xp, input, other, *, alpha=1):
    """torch.sub: input - alpha * other."""
    if alpha != 1:
        other = xp.multiply(other, alpha)
    return xp.subtract(input, other)


sub.defvjp(lambda grad: grad,
           lambda grad, alpha: -grad * alpha if alpha != 1 else -grad)


@pointwise(numbers_as_tensors=True)
def mul(xp, input, other):
    """torch.mul: input * other. Spec torch.mul."""
    return xp.multiply(input, other)


mul.defvjp(lambda grad, other: grad * other,
           lambda grad, input: grad * input)


@pointwise(numbers_as_tensors=True, promote=INT_TO_FLOAT)
def div(xp, input, other):
    """torch.div (true division): integer inputs give the default float dtype."""
    return xp.divide(input, other)


div.defvjp(lambda grad, other: grad / other,
           lambda grad, input, other: -grad * input / (other * other))


@pointwise()
def neg(xp, input):
    """torch.neg: -input; bool input is an error."""
    if input.dtype == bool:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return xp.negative(input)


neg.defvjp(lambda grad: -grad)


@pointwise(promote=INT_TO_FLOAT)
def exp(xp, input):
    """torch.exp."""
    return xp.exp(input)


exp.defvjp(lambda grad, result: grad * result)


@pointwise(promote=INT_TO_FLOAT)
def sigmoid(xp, input):
    """torch.sigmoid: 1 / (1 + exp(-input)). Spec torch.sigmoid."""
    return xp.sigmoid(input)


sigmoid.defvjp(lambda grad, result: grad * (1 - result) * result)


@pointwise(promote=INT_TO_FLOAT)
def tanh(xp, input):
    """torch.tanh. Spec torch.tanh."""
    return xp.tanh(input)


tanh.defvjp(lambda grad, result: grad * (1 - result * result))


@pointwise()
def relu(xp, input):
    """torch.relu: max(input, 0), NaN kept; bool input is an error. Spec torch.relu."""
    if input.dtype == bool:
        raise RuntimeError("Boolean inputs not supported for relu")
    return xp.relu(input)


# relu'(0) = 0, as torch's threshold_backward: zero where the result is <= 0, else grad.
relu.defvjp(lambda grad, result: where(result <= 0, 0, grad))


@pointwise(promote=ALWAYS_BOOL, numbers_as_tensors=True)
def gt(xp, input, other):
    """torch.gt: input > other, a bool tensor."""
    return xp.greater(input, other)


@pointwise(promote=ALWAYS_BOOL, numbers_as_tensors=True)
def le(xp, input, other):
    """torch.le: input <= other, a bool tensor."""
    return xp.less_equal(input, other)


@pointwise(inplace=False, scalars=("input", "other"), method=False, name="where")
def _where(xp, condition, input, other):
    return xp.where(condition, input, other)


_where.defvjp(None,
              lambda grad, condition: where(condition, grad, 0),
              lambda grad, condition: where(condition, 0, grad))


def where(condition, input, other):
    """torch.where(condition, input, other): input where condition holds, else other.
    The result type promotes input and other only; condition must be bool."""
    if not isinstance(condition, Tensor):
        raise TypeError(f"where(): argument 'condition' (position 1) must be Tensor, not "
                        f"{type(condition).__name__}")
    if condition.dtype is not _dtype.bool:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {scalar_type_name(condition.dtype)}")
    return _where(condition, input, other)

__all__ = ["add", "sub", "mul", "div", "neg", "exp", "sigmoid", "tanh", "relu", "gt", "le", "where"]
