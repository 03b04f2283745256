"""Elementwise ops: math, comparisons, logical and bitwise ops.

Spec torch.ops.tensor-arguments: these ops take tensors; a Python number is accepted where
torch accepts one (`torch.add(1, 2)`, `x + 2`, `torch.remainder(2, x)`), and anything else is a
TypeError (`torch.sigmoid([1.0])`). Promotion, broadcasting, out=, the `_` in-place form and
autograd come from refimpl._dispatch: each op below is its math, the dtypes torch refuses
(NotImplementedError, named after torch's kernel as torch's message does) and its derivative.

Spec clauses: torch.pointwise.* (specs/torch.pointwise.toml).
"""

import math

from .. import _dtype
from .._dispatch import ALWAYS_BOOL, INT_TO_FLOAT, Pointwise, op, pointwise
from .._tensor import Tensor, scalar_type_name

NUMBER = (bool, int, float, complex)


# -- dtype checks -------------------------------------------------------------------------------

def _not_implemented(kernel, array):
    """torch's error for a dtype its kernel was not compiled for."""
    name = scalar_type_name(_dtype.from_numpy_dtype(array.dtype))
    return NotImplementedError(f'"{kernel}" not implemented for \'{name}\'')


def _refuse(kernel, kinds, *arrays):
    """Raise torch's NotImplementedError when an operand's NumPy kind is in `kinds`
    ("b" bool, "iu" integers, "c" complex)."""
    for a in arrays:
        if a.dtype.kind in kinds:
            raise _not_implemented(kernel, a)


def _method(name, fn):
    def method(self, *args, **kwargs):
        return fn(self, *args, **kwargs)
    method.__name__ = name
    method.__qualname__ = f"Tensor.{name}"
    method.__doc__ = fn.__doc__
    return method


def _needs_a_tensor(fn, first="input", second="other"):
    """The functional form of an op that takes a number on either side, but not on both."""
    def call(*args, **kwargs):
        a = args[0] if args else kwargs.get(first)
        b = args[1] if len(args) > 1 else kwargs.get(second)
        if not isinstance(a, Tensor) and not isinstance(b, Tensor):
            raise TypeError(f"{fn.__name__}() received an invalid combination of arguments - "
                            f"got ({type(a).__name__}, {type(b).__name__}), but expected at "
                            "least one Tensor")
        return fn(*args, **kwargs)
    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call


class _SameDtypeOut(Pointwise):
    """An op whose out= must already have the result dtype (torch's unary ops that keep the
    dtype: abs, neg, sign, floor, round, ...), instead of any dtype it can be cast to."""

    def __call__(self, input, *args, out=None, **kwargs):
        if out is not None and isinstance(input, Tensor) and isinstance(out, Tensor) \
                and out.dtype is not input.dtype:
            raise RuntimeError(f"Found dtype {scalar_type_name(out.dtype)} but expected "
                               f"{scalar_type_name(input.dtype)}")
        return super().__call__(input, *args, out=out, **kwargs)


class _NoOut(Pointwise):
    """An op torch offers without out= (isnan, relu, ...)."""

    def __call__(self, *args, out=None, **kwargs):
        if out is not None:
            raise TypeError(f"{self.__name__}() got an unexpected keyword argument 'out'")
        return super().__call__(*args, **kwargs)


def _same_dtype_out(**kw):
    return lambda fn: _SameDtypeOut(fn, **kw)


# -- arithmetic ---------------------------------------------------------------------------------

def _check_alpha(input, alpha):
    """`input` is the promoted operand array: alpha must not be finer than its dtype."""
    if isinstance(alpha, bool) and input.dtype.kind != "b":
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, float) and input.dtype.kind in "biu":
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")


@pointwise(numbers_as_tensors=True)
def add(xp, input, other, *, alpha=1):
    """torch.add: input + alpha * other; two bools add as logical or. Spec torch.add."""
    _check_alpha(input, alpha)
    if alpha != 1 or other.dtype.kind == "c":  # complex: torch always scales (inf*1 = inf+nanj)
        other = _scaled(xp, alpha, other)
    return xp.add(input, other)


add.defvjp(lambda grad: grad,
           lambda grad, alpha: grad * alpha if alpha != 1 else grad)


def _is_bool(x):
    return x.dtype is _dtype.bool if isinstance(x, Tensor) else isinstance(x, bool)


def _refuse_bool_subtraction(input, other):
    """torch refuses subtraction with a bool operand (tensor or Python bool)."""
    if _is_bool(input) and _is_bool(other):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if _is_bool(input) or _is_bool(other):
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


class _Subtraction(Pointwise):
    """sub and rsub: refuse a bool operand, which only the raw arguments show (promotion may
    have turned it into a number of another dtype)."""

    def __call__(self, input, other, *, out=None, **kwargs):
        _refuse_bool_subtraction(input, other)
        return super().__call__(input, other, out=out, **kwargs)

    def inplace(self, input, other, **kwargs):
        _refuse_bool_subtraction(input, other)
        return super().inplace(input, other, **kwargs)


@(lambda fn: _Subtraction(fn, numbers_as_tensors=True))
def sub(xp, input, other, *, alpha=1):
    """torch.sub: input - alpha * other; a bool operand is an error (use xor or ~)."""
    _check_alpha(input, alpha)
    if alpha != 1 or other.dtype.kind == "c":  # complex: torch always scales (inf*1 = inf+nanj)
        other = _scaled(xp, alpha, other)
    return xp.subtract(input, other)


sub.defvjp(lambda grad: grad,
           lambda grad, alpha: -grad * alpha if alpha != 1 else -grad)
subtract = sub


@(lambda fn: _Subtraction(fn, numbers_as_tensors=True, inplace=False, grad_fn=lambda input,
                          other, **_: "RsubBackward0" if isinstance(other, Tensor)
                          else "RsubBackward1"))
def rsub(xp, input, other, *, alpha=1):
    """torch.rsub: other - alpha * input (what `2 - x` computes)."""
    _check_alpha(input, alpha)
    if alpha != 1 or input.dtype.kind == "c":
        input = _scaled(xp, alpha, input)
    return xp.subtract(other, input)


rsub.defvjp(lambda grad, alpha: -grad * alpha if alpha != 1 else -grad,
            lambda grad: grad)


@pointwise(numbers_as_tensors=True, exact_scalar_other=True)
def mul(xp, input, other):
    """torch.mul: input * other; two bools multiply as logical and. Spec torch.mul."""
    return xp.multiply(input, other)


mul.defvjp(lambda grad, other: grad * other,
           lambda grad, input: grad * input)


@pointwise(numbers_as_tensors=True, promote=INT_TO_FLOAT, exact_scalar_other=True,
           grad_fn="DivBackward0")
def true_divide(xp, input, other):
    """torch.true_divide (div with rounding_mode=None): integer inputs give the default float
    dtype; x / 0 is inf or nan, never an error."""
    return xp.divide(input, other)


true_divide.defvjp(lambda grad, other: grad / other,
                   lambda grad, input, other: -grad * input / (other * other))


def _no_derivative(name):
    def vjp(grad):
        raise RuntimeError(f"the derivative for '{name}' is not implemented.")
    return vjp


@pointwise(numbers_as_tensors=True, inplace=False, method=False, name="div",
           grad_fn="DivBackward2")
def _rounded_div(xp, input, other, *, rounding_mode):
    _refuse(f"div_{rounding_mode}_cpu", "bc", input, other)
    if rounding_mode == "floor":
        return xp.floor_divide(input, other)
    return xp.trunc_divide(input, other)


_rounded_div.defvjp(lambda grad: grad.mul(0), lambda grad: grad.mul(0))


def _check_rounding_mode(rounding_mode):
    if rounding_mode not in (None, "trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")


def div(input, other, *, rounding_mode=None, out=None):
    """torch.div: true division (int inputs give the default float dtype), or with
    rounding_mode 'trunc' / 'floor' the quotient rounded toward zero / down in the promoted
    dtype; integer division by zero raises RuntimeError("ZeroDivisionError")."""
    _check_rounding_mode(rounding_mode)
    if rounding_mode is None:
        return true_divide(input, other, out=out)
    return _rounded_div(input, other, rounding_mode=rounding_mode, out=out)


def div_(self, other, *, rounding_mode=None):
    """Tensor.div_: div written into self (true division of an integer tensor cannot be
    written back: RuntimeError)."""
    _check_rounding_mode(rounding_mode)
    if rounding_mode is None:
        return true_divide.inplace(self, other)
    return _rounded_div.inplace(self, other, rounding_mode=rounding_mode)


divide = div


@pointwise(numbers_as_tensors=True, grad_fn="NotImplemented")
def floor_divide(xp, input, other):
    """torch.floor_divide: input / other rounded down (Python's //); integer division by zero
    raises RuntimeError("ZeroDivisionError"); it has no derivative."""
    _refuse("div_floor_cpu", "bc", input, other)
    return xp.floor_divide(input, other)


floor_divide.defvjp(_no_derivative("floor_divide"), _no_derivative("floor_divide"))


def _remainder_grad_fn(input, other, **_):
    if not isinstance(input, Tensor):
        return "NotImplemented"
    return "RemainderBackward1" if isinstance(other, Tensor) else "RemainderBackward0"


@pointwise(scalars=("input", "other"), grad_fn=_remainder_grad_fn)
def remainder(xp, input, other):
    """torch.remainder: Python's %, the result has the sign of the divisor."""
    _refuse("remainder_cpu", "bc", input, other)
    return xp.remainder(input, other)


remainder.defvjp(lambda grad: grad,
                 lambda grad, input, other: -grad * floor_divide(input, other))


@pointwise(scalars=("other",), grad_fn=lambda input, other, **_: "FmodBackward1"
           if isinstance(other, Tensor) else "FmodBackward0")
def fmod(xp, input, other):
    """torch.fmod: C's fmod, the result has the sign of the dividend."""
    _refuse("fmod_cpu", "bc", input, other)
    return xp.fmod(input, other)


fmod.defvjp(lambda grad: grad,
            lambda grad, input, other: -grad * div(input, other, rounding_mode="trunc"))


@_same_dtype_out()
def neg(xp, input):
    """torch.neg: -input; bool input is an error."""
    if input.dtype.kind == "b":
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return xp.negative(input)


neg.defvjp(lambda grad: -grad)
negative = neg


def positive(input):
    """torch.positive: input itself (bool input is an error)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"positive(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if input.dtype is _dtype.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def _pow_grad_fn(input, exponent, **_):
    if not isinstance(input, Tensor):
        return "PowBackward2"
    return "PowBackward1" if isinstance(exponent, Tensor) else "PowBackward0"


def _refuse_negative_int_power(input, exponent):
    """An integer or bool tensor to a negative Python int is an error (torch's Scalar
    overload); a negative exponent inside a tensor, even a 0-dim one, is not."""
    if isinstance(input, Tensor) and not (input.dtype.is_floating_point or input.dtype.is_complex) \
            and type(exponent) is int and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")


class _Power(Pointwise):
    """pow: the raw exponent tells a Python number from a 0-dim tensor."""

    def __call__(self, input, exponent, *, out=None):
        _refuse_negative_int_power(input, exponent)
        return super().__call__(input, exponent, out=out)

    def inplace(self, input, exponent):
        _refuse_negative_int_power(input, exponent)
        return super().inplace(input, exponent)


@(lambda fn: _Power(fn, scalars=("input", "exponent"), numbers_in_layout=False,
                    grad_fn=_pow_grad_fn))
def pow(xp, input, exponent):
    """torch.pow: input ** exponent. Integer tensors to a negative integer Python exponent are
    an error; negative integer exponents inside a tensor give 1, +-1 or 0 (torch's rule)."""
    if input.dtype.kind == "b" and exponent.dtype.kind == "b":
        raise _not_implemented("pow", input)
    return xp.pow(input, exponent)


def _pow_input_grad(grad, input, exponent):
    if not isinstance(exponent, Tensor):
        return grad.mul(0) if exponent == 0 else grad * exponent * input.pow(exponent - 1)
    return where(exponent == 0, 0, grad * exponent * input.pow(exponent - 1))


def _pow_exponent_grad(grad, input, exponent, result):
    if not isinstance(input, Tensor):
        return grad.mul(0) if input == 0 else grad * result * math.log(input)
    return where((input == 0) & (exponent >= 0), 0, grad * result * input.log())


pow.defvjp(_pow_input_grad, _pow_exponent_grad)
_pow_op = pow


def square(input, *, out=None):
    """torch.square: input ** 2 (bool gives int64, as pow(bool, 2) does)."""
    return pow(input, 2, out=out)


@pointwise(promote=INT_TO_FLOAT)
def atan2(xp, input, other):
    """torch.atan2: the angle of (other, input) in (-pi, pi]; integers give the default float
    dtype."""
    _refuse("atan2_cpu", "c", input, other)
    return xp.atan2(input, other)


atan2.defvjp(lambda grad, input, other: grad * other / (input * input + other * other),
             lambda grad, input, other: grad * -input / (input * input + other * other))
arctan2 = atan2


@pointwise()
def hypot(xp, input, other):
    """torch.hypot: sqrt(input**2 + other**2), floating dtypes only."""
    _refuse("hypot_cpu", "biuc", input, other)
    return xp.hypot(input, other)


hypot.defvjp(lambda grad, input, result: grad * input / result,
             lambda grad, other, result: grad * other / result)


@pointwise()
def logaddexp(xp, input, other):
    """torch.logaddexp: log(exp(input) + exp(other)) without overflow; floating and complex."""
    _refuse("logaddexp_cpu", "biu", input, other)
    return xp.logaddexp(input, other)


logaddexp.defvjp(lambda grad, input, other: grad / (1 + (other - input).exp()),
                 lambda grad, input, other: grad / (1 + (input - other).exp()))


def _extremum(name, kernel, kind):
    """maximum / minimum (NaN propagates) and fmax / fmin (NaN ignored) of two tensors."""
    def forward(xp, input, other):
        if input.dtype.kind == "c" or other.dtype.kind == "c":
            raise RuntimeError(f"{name} not implemented for complex tensors.")
        return getattr(xp, kernel)(input, other)
    forward.__name__ = name
    forward.__doc__ = f"torch.{name}: the elementwise {kind} of input and other " + (
        "(NaN wins)." if name in ("maximum", "minimum") else "(NaN loses to a number).")
    return Pointwise(forward)


maximum = _extremum("maximum", "maximum", "larger")
minimum = _extremum("minimum", "minimum", "smaller")
fmax = _extremum("fmax", "fmax", "larger")
fmin = _extremum("fmin", "fmin", "smaller")


def _heaviside_forward(xp, input, values):
    return xp.where(xp.equal(input, 0), values, xp.astype(xp.greater(input, 0), input.dtype))


_heaviside = Pointwise(_heaviside_forward, inplace=False, method=False, name="heaviside",
                       grad_fn="NotImplemented")


def _no_heaviside_derivative(grad):
    raise RuntimeError("derivative for aten::heaviside is not implemented")


_heaviside.defvjp(_no_heaviside_derivative, _no_heaviside_derivative)


def _check_heaviside(input, values, fn):
    for pos, (arg, t) in enumerate((("input", input), ("values", values)), 1):
        if not isinstance(t, Tensor):
            raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not "
                            f"{type(t).__name__}")
    if input.dtype.is_complex or values.dtype.is_complex:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different "
                           "dtypes.")


def heaviside(input, values, *, out=None):
    """torch.heaviside: the step function, 0 where input < 0, 1 where input > 0 and `values`
    where input == 0 (NaN compares false both ways: 0). input and values (broadcast) must
    have one dtype, not complex; it has no derivative."""
    _check_heaviside(input, values, "heaviside")
    return _heaviside(input, values, out=out)


def _heaviside_(self, values):
    """Tensor.heaviside_: heaviside written into self."""
    _check_heaviside(self, values, "heaviside_")
    return _heaviside.inplace(self, values)


Tensor.heaviside = lambda self, values: heaviside(self, values)
Tensor.heaviside_ = _heaviside_


def _split_ties(grad, input, other, losing):
    """maximum/minimum's derivative: grad to the winner, half to each on a tie."""
    return where(input == other, grad / 2, where(losing, 0, grad))


maximum.defvjp(lambda grad, input, other: _split_ties(grad, input, other, input < other),
               lambda grad, input, other: _split_ties(grad, other, input, other < input))
minimum.defvjp(lambda grad, input, other: _split_ties(grad, input, other, input > other),
               lambda grad, input, other: _split_ties(grad, other, input, other > input))
fmax.defvjp(lambda grad, input, other: where((input >= other) | other.isnan(), grad, 0),
            lambda grad, input, other: where((input >= other) | other.isnan(), 0, grad))
fmin.defvjp(lambda grad, input, other: where((input <= other) | other.isnan(), grad, 0),
            lambda grad, input, other: where((input <= other) | other.isnan(), 0, grad))


# -- clamp ------------------------------------------------------------------------------------
# Two forms, as in torch: number bounds (torch's Scalar overload: the bounds take part in type
# promotion but are not operands of the elementwise loop) and tensor bounds (operands that
# broadcast and promote). A missing tensor bound is passed as the placeholder False, which
# never changes promotion.

_C_INT_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
                "int64": "int64_t", "bool": "bool"}
_C_NAMES = {**_C_INT_NAMES, "float32": "float", "complex64": "c10::complex<float>"}


def _check_bound_fits(bound, dtype):
    """torch's checked conversion of a Scalar to an integer dtype: signed types take
    [min, max]; unsigned ones [-max, max] (-1 wraps to 255 for uint8, 300 is an error)."""
    if not isinstance(bound, int) or dtype.is_floating_point or dtype.is_complex \
            or dtype is _dtype.bool:
        return
    import numpy as np
    info = np.iinfo(dtype.np)
    lo = info.min if info.min < 0 else -int(info.max)
    if not lo <= bound <= info.max:
        raise RuntimeError(f"value cannot be converted to type {_C_INT_NAMES[dtype.name]} "
                           "without overflow")


@_same_dtype_out(tensors=("input",), inplace=False, method=False, name="clamp",
                 grad_fn="ClampBackward1")
def _clamp_numbers(xp, input, *, min, max):
    _refuse("clamp", "c", input)
    lo = None if min is None else xp.asarray(min, input.dtype)
    hi = None if max is None else xp.asarray(max, input.dtype)
    return xp.clip(input, lo, hi)


def _inside(input, min, max):
    keep = input == input  # NaN passes no gradient
    if min is not None:
        keep = keep & (input >= min)
    if max is not None:
        keep = keep & (input <= max)
    return keep


_clamp_numbers.defvjp(lambda grad, input, min, max: where(_inside(input, min, max), grad, 0))


@pointwise(scalars=("min", "max"), inplace=False, method=False, name="clamp",
           grad_fn="ClampBackward0")
def _clamp_tensors(xp, input, min, max, *, has_min, has_max):
    _refuse("clamp", "c", input)
    if has_min and has_max:  # torch's two-bound kernel has no bool form (one bound does)
        _refuse("clamp_cpu", "b", input)
    return xp.clip(input, min if has_min else None, max if has_max else None)


_clamp_tensors.defvjp(
    lambda grad, input, min, max, has_min, has_max:
        where(_inside(input, min if has_min else None, max if has_max else None), grad, 0),
    # min gets it where input is below min < max; max where input is above it or min > max
    # (an input below min == max passes nothing, as in torch)
    lambda grad, input, min, max, has_max:
        where((input < min) & ((min < max) if has_max else True), grad, 0),
    lambda grad, input, min, max, has_min:
        where((input > max) | ((min > max) if has_min else False), grad, 0))


def _clamp(input, min, max, out=None, inplace=False):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    bounds = [b for b in (min, max) if b is not None]
    for b in bounds:
        if not isinstance(b, (Tensor,) + NUMBER):
            raise TypeError(f"clamp(): argument 'min' must be Number or Tensor, not "
                            f"{type(b).__name__}")
    if any(isinstance(b, Tensor) for b in bounds):
        if not all(isinstance(b, Tensor) for b in bounds):
            raise TypeError("clamp() received an invalid combination of arguments - got a "
                            "Tensor and a number as bounds; give both as Tensors or numbers")
        args = (input, False if min is None else min, False if max is None else max)
        kw = dict(has_min=min is not None, has_max=max is not None)
        if inplace:
            return _clamp_tensors.inplace(*args, **kw)
        return _clamp_tensors(*args, **kw, out=out)
    # number bounds promote with input (an integer tensor clamped at 0.5 is float)
    dtype = _dtype.result_type(input, *bounds)
    _check_bound_fits(min, dtype)
    _check_bound_fits(max, dtype)
    if inplace:
        if not _dtype.can_cast(dtype, input.dtype):
            raise RuntimeError(f"result type {scalar_type_name(dtype)} can't be cast to the "
                               f"desired output type {scalar_type_name(input.dtype)}")
        return _clamp_numbers.inplace(input, min=min, max=max)
    if dtype is not input.dtype:
        input = input.to(dtype)
    return _clamp_numbers(input, min=min, max=max, out=out)


def clamp(input, min=None, max=None, *, out=None):
    """torch.clamp: min(max(input, min), max) elementwise; bounds are both numbers or both
    tensors; NaN stays NaN; with min > max every element is max. Spec torch.Tensor.clamp."""
    if not isinstance(input, Tensor):
        raise TypeError(f"clamp(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return _clamp(input, min, max, out=out)


def clamp_(self, min=None, max=None):
    """Tensor.clamp_: clamp written into self."""
    return _clamp(self, min, max, inplace=True)


clip = clamp


# -- interpolation and fused multiply-add ------------------------------------------------------

@pointwise(scalars=("weight",), numbers_in_layout=False, inplace=False, method=False,
           name="lerp",
           grad_fn=lambda input, end, weight, **_: "LerpBackward1"
           if isinstance(weight, Tensor) else "LerpBackward0")
def _lerp(xp, input, end, weight):
    _refuse("lerp_kernel_scalar", "biu", input)
    # torch's formula: exact at both ends, from the nearer end
    near_start = xp.add(input, xp.multiply(weight, xp.subtract(end, input)))
    near_end = xp.subtract(end, xp.multiply(xp.subtract(end, input), xp.subtract(1, weight)))
    return xp.where(xp.less(xp.abs(weight), 0.5), near_start, near_end)


_lerp.defvjp(lambda grad, weight: grad * (1 - weight),
             lambda grad, weight: grad * weight,
             lambda grad, input, end: grad * (end - input))


def _check_lerp(input, end):
    for name, t in (("input", input), ("end", end)):
        if not isinstance(t, Tensor):
            raise TypeError(f"lerp(): argument '{name}' must be Tensor, not {type(t).__name__}")
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise NotImplementedError(f'"lerp_kernel_scalar" not implemented for '
                                  f"'{scalar_type_name(input.dtype)}'")
    if end.dtype is not input.dtype:
        raise RuntimeError(f"expected dtype {_c_type(input.dtype)} for `end` but got dtype "
                           f"{_c_type(end.dtype)}")


def _c_type(d):
    return {"float32": "float", "float64": "double", "float16": "c10::Half",
            "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int"}.get(d.name, d.name)


def lerp(input, end, weight, *, out=None):
    """torch.lerp: input + weight * (end - input); input and end share one floating dtype."""
    _check_lerp(input, end)
    return _lerp(input, end, weight, out=out)


def lerp_(self, end, weight):
    """Tensor.lerp_: lerp written into self."""
    _check_lerp(self, end)
    return _lerp.inplace(self, end, weight)


def _value_for(input, value):
    """`value` (alpha, addcmul's value) as torch converts it to the computation dtype of the
    array `input`: checked, then truncated for integers (0.5 becomes 0). An int follows
    _check_bound_fits; a float into an integer dtype must lie in [min, max] (uint8 refuses
    -0.5); a finite number into float32 or complex64 must not overflow it (float64 holds every
    Python float, and float16/bfloat16 compute in float32)."""
    dtype = _dtype.from_numpy_dtype(input.dtype)
    _check_bound_fits(value, dtype)
    if input.dtype.kind in "iu" and isinstance(value, float):
        import numpy as np
        info = np.iinfo(input.dtype)
        if not info.min <= value <= info.max:  # False for NaN too
            raise RuntimeError(f"value cannot be converted to type {_C_NAMES[dtype.name]} "
                               "without overflow")
        return int(value)
    if dtype.name in ("float32", "complex64"):
        top = 3.4028234663852886e38  # float32's largest finite value
        parts = (value.real, value.imag) if isinstance(value, complex) else (value,)
        if any(math.isfinite(p) and not -top <= p <= top for p in parts):
            raise RuntimeError(f"value cannot be converted to type {_C_NAMES[dtype.name]} "
                               "without overflow")
    return value


def _scaled(xp, value, x):
    """value * x with `value` converted as torch converts it, multiplied value first (the
    order torch uses; for complex infinities it decides between inf + nanj and nan + nanj)."""
    return xp.multiply(xp.asarray(_value_for(x, value), x.dtype), x)


@pointwise(tensors=("input", "tensor1", "tensor2"))
def addcmul(xp, input, tensor1, tensor2, *, value=1):
    """torch.addcmul: input + (value * tensor1) * tensor2, value checked and cast to the
    computation dtype."""
    return xp.add(input, xp.multiply(_scaled(xp, value, tensor1), tensor2))


addcmul.defvjp(lambda grad: grad,
               lambda grad, tensor2, value: grad * tensor2 * value,
               lambda grad, tensor1, value: grad * tensor1 * value)


@pointwise(tensors=("input", "tensor1", "tensor2"), method=False, inplace=False,
           name="addcdiv")
def _addcdiv(xp, input, tensor1, tensor2, *, value=1):
    return xp.add(input, xp.divide(_scaled(xp, value, tensor1), tensor2))


def _check_addcdiv(tensor1, tensor2):
    integral = [isinstance(t, Tensor) and not (t.dtype.is_floating_point or t.dtype.is_complex)
                for t in (tensor1, tensor2)]
    if all(integral):
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a "
                           "future release addcdiv will perform a true division of tensor1 and "
                           "tensor2. The historic addcdiv behavior can be implemented as "
                           "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) "
                           "for integer inputs and as (input + value * tensor1 / tensor2) for "
                           "float inputs. The future addcdiv behavior is just the latter "
                           "implementation: (input + value * tensor1 / tensor2), for all dtypes.")


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """torch.addcdiv: input + value * tensor1 / tensor2; integer tensor1 and tensor2 are an
    error (the old integer division was removed)."""
    _check_addcdiv(tensor1, tensor2)
    return _addcdiv(input, tensor1, tensor2, value=value, out=out)


def addcdiv_(self, tensor1, tensor2, *, value=1):
    """Tensor.addcdiv_: addcdiv written into self."""
    _check_addcdiv(tensor1, tensor2)
    return _addcdiv.inplace(self, tensor1, tensor2, value=value)


_addcdiv.defvjp(lambda grad: grad,
               lambda grad, tensor2, value: grad * value / tensor2,
               lambda grad, tensor1, tensor2, value: -grad * value * tensor1 / (tensor2 * tensor2))


# -- unary math that gives a floating result ----------------------------------------------------

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _float_unary(name, vjp, kernel=None, complex_ok=True, grad_fn=None):
    """An op with integer and bool inputs computed in the default float dtype."""
    kernel = kernel or name

    def forward(xp, input):
        if not complex_ok:
            _refuse(f"{name}_vml_cpu", "c", input)
        if input.ndim == 0:  # per-element kernels (erf) take arrays with at least one dim
            return getattr(xp, kernel)(input.reshape(1)).reshape(())
        return getattr(xp, kernel)(input)
    forward.__name__ = name
    forward.__doc__ = f"torch.{name}, elementwise; integer and bool inputs give the default " \
                      "float dtype."
    return Pointwise(forward, promote=INT_TO_FLOAT, grad_fn=grad_fn).defvjp(vjp)


sqrt = _float_unary("sqrt", lambda grad, result: grad / (2 * result))
rsqrt = _float_unary("rsqrt", lambda grad, result: grad * result.pow(3) * -0.5)
exp = _float_unary("exp", lambda grad, result: grad * result)
exp2 = _float_unary("exp2", lambda grad, result: grad * result * _LN2)
expm1 = _float_unary("expm1", lambda grad, result: grad * (result + 1))
log = _float_unary("log", lambda grad, input: grad / input)
log2 = _float_unary("log2", lambda grad, input: grad / (input * _LN2))
log10 = _float_unary("log10", lambda grad, input: grad / (input * _LN10))
log1p = _float_unary("log1p", lambda grad, input: grad / (input + 1), grad_fn="Log1PBackward0")
sin = _float_unary("sin", lambda grad, input: grad * input.cos())
cos = _float_unary("cos", lambda grad, input: grad * -input.sin())
tan = _float_unary("tan", lambda grad, result: grad * (1 + result * result))
asin = _float_unary("asin", lambda grad, input: grad * (1 - input * input).rsqrt())
acos = _float_unary("acos", lambda grad, input: -grad * (1 - input * input).rsqrt())
atan = _float_unary("atan", lambda grad, input: grad / (1 + input * input))
sinh = _float_unary("sinh", lambda grad, input: grad * input.cosh())
cosh = _float_unary("cosh", lambda grad, input: grad * input.sinh())
asinh = _float_unary("asinh", lambda grad, input: grad * (input * input + 1).rsqrt())
acosh = _float_unary("acosh", lambda grad, input: grad * (input * input - 1).rsqrt())
atanh = _float_unary("atanh", lambda grad, input: grad / (1 - input * input))
sigmoid = _float_unary("sigmoid", lambda grad, result: grad * (1 - result) * result)
sigmoid.__doc__ = "torch.sigmoid: 1 / (1 + exp(-input)). Spec torch.sigmoid."
tanh = _float_unary("tanh", lambda grad, result: grad * (1 - result * result))
tanh.__doc__ = "torch.tanh. Spec torch.tanh."
reciprocal = _float_unary("reciprocal", lambda grad, result: -grad * result * result)
erf = _float_unary("erf", lambda grad, input: grad * _TWO_OVER_SQRT_PI * (-input * input).exp(),
                   complex_ok=False)
erfc = _float_unary("erfc", lambda grad, input: -grad * _TWO_OVER_SQRT_PI *
                    (-input * input).exp(), complex_ok=False)
erfinv = _float_unary("erfinv", lambda grad, result: grad / _TWO_OVER_SQRT_PI *
                      (result * result).exp(), complex_ok=False)
arcsin, arccos, arctan = asin, acos, atan
arcsinh, arccosh, arctanh = asinh, acosh, atanh


# -- unary ops that keep the dtype --------------------------------------------------------------

@_same_dtype_out(method=False, name="abs")
def _abs(xp, input):
    _refuse("abs_cpu", "b", input)
    if input.dtype.kind == "c":
        raise RuntimeError("In-place abs is not supported for complex tensors.")
    return xp.abs(input)


_abs.defvjp(lambda grad, input: grad * input.sign())


@op(tensors=("input",), grad_fn="AbsBackward0", method=False)
def _complex_abs(xp, input):
    return xp.abs(input._array), input.dtype.to_real()


def abs(input, *, out=None):
    """torch.abs: |input|; complex input gives its real dtype; bool input is an error."""
    if isinstance(input, Tensor) and input._dtype.is_complex:
        return _complex_abs(input, out=out)
    return _abs(input, out=out)


absolute = abs


@(lambda fn: _NoOut(fn, grad_fn="ReluBackward0"))
def relu(xp, input):
    """torch.relu: max(input, 0), NaN kept; bool input is an error. Spec torch.relu."""
    if input.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    if input.dtype.kind == "c":
        raise NotImplementedError("clamp is not supported for complex types")
    return xp.relu(input)


@pointwise(inplace=False, method=False, name="threshold_backward",
           grad_fn="ThresholdBackwardBackward0")
def threshold_backward(xp, grad_output, self, *, threshold=0):
    """torch.ops.aten.threshold_backward: grad_output where self > threshold, else 0 (NaN in
    self passes the gradient on). The derivative of relu, read from its result."""
    return xp.where(xp.less_equal(self, threshold), xp.asarray(0, grad_output.dtype),
                    grad_output)


threshold_backward.defvjp(
    lambda grad, self, threshold: threshold_backward(grad, self, threshold=threshold), None)

# relu'(0) = 0, as torch's threshold_backward: zero where the result is <= 0, else grad.
relu.defvjp(lambda grad, result: threshold_backward(grad, result))


@_same_dtype_out()
def sign(xp, input):
    """torch.sign: -1, 0 or 1 in input's dtype (bool stays bool); complex input is an error
    (torch.sgn is the complex sign)."""
    if input.dtype.kind == "c":
        raise NotImplementedError("Unlike NumPy, torch.sign is not intended to support complex "
                                  "numbers. Please use torch.sgn instead.")
    if input.dtype.kind == "b":
        return input
    return xp.sign(input)  # torch: sign(nan) is 0


sign.defvjp(lambda grad: grad.mul(0))


@_same_dtype_out()
def sgn(xp, input):
    """torch.sgn: input / |input| for complex input (0 at 0), the sign otherwise."""
    if input.dtype.kind == "b":
        return input
    return xp.sgn(input)


sgn.defvjp(lambda grad: grad.mul(0))


def _rounding(name, kernel):
    """floor, ceil, trunc: integers are returned unchanged; bool and complex are errors."""
    def forward(xp, input):
        _refuse(f"{name}_vml_cpu", "b", input)
        if input.dtype.kind == "c":
            raise NotImplementedError(f"{name} is not supported for complex inputs")
        if input.dtype.kind in "iu":
            return input
        return getattr(xp, kernel)(input)
    forward.__name__ = name
    forward.__doc__ = f"torch.{name}, elementwise; integer tensors are returned unchanged (as " \
                      "a copy)."
    return _SameDtypeOut(forward).defvjp(lambda grad: grad.mul(0))


floor = _rounding("floor", "floor")
ceil = _rounding("ceil", "ceil")
trunc = _rounding("trunc", "trunc")
fix = trunc


@_same_dtype_out(grad_fn=lambda input, decimals=None, **_: "RoundBackward0" if decimals is None
           else "RoundBackward1")
def round(xp, input, *, decimals=None):
    """torch.round: to the nearest integer, ties to even; with `decimals` (even 0), to that
    many decimal places, for floating inputs only."""
    _refuse("round_vml_cpu", "bc", input)
    if input.dtype.kind in "iu":
        if decimals is not None:
            raise _not_implemented("round_vml_cpu", input)
        return input
    return xp.round(input, decimals or 0)


round.defvjp(lambda grad: grad.mul(0))


@_same_dtype_out()
def frac(xp, input):
    """torch.frac: input - trunc(input), floating dtypes only."""
    _refuse("frac_cpu", "biuc", input)
    return xp.subtract(input, xp.trunc(input))


frac.defvjp(lambda grad: grad)


@_same_dtype_out(method=False, inplace=False, name="nan_to_num",
                 grad_fn="NanToNumBackward0")
def _nan_to_num(xp, input, *, nan, posinf, neginf):
    if input.dtype.kind in "biu":
        return input
    return xp.nan_to_num(input, nan, posinf, neginf)


_nan_to_num.defvjp(lambda grad, input: where(input.isfinite(), grad, 0))


def _nan_to_num_args(input, nan, posinf, neginf):
    """The replacements, defaulting to the largest and smallest finite value of input's
    (real) dtype."""
    real = input.dtype.to_real()
    if real.is_floating_point:
        import ml_dtypes
        info = ml_dtypes.finfo(real.np)
        posinf = float(info.max) if posinf is None else posinf
        neginf = float(info.min) if neginf is None else neginf
    nan = 0.0 if nan is None else nan
    return dict(nan=nan, posinf=posinf, neginf=neginf)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """torch.nan_to_num: NaN, +inf and -inf replaced by `nan`, `posinf` and `neginf` (by
    default 0 and the dtype's largest and smallest finite values); integers unchanged."""
    if not isinstance(input, Tensor):
        raise TypeError(f"nan_to_num(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return _nan_to_num(input, out=out, **_nan_to_num_args(input, nan, posinf, neginf))


def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
    """Tensor.nan_to_num_: nan_to_num written into self."""
    return _nan_to_num.inplace(self, **_nan_to_num_args(self, nan, posinf, neginf))


# -- tests of values ---------------------------------------------------------------------------

def _predicate(name, kernel, complex_error=None):
    def forward(xp, input):
        if complex_error and input.dtype.kind == "c":
            raise complex_error
        return getattr(xp, kernel)(input)
    forward.__name__ = name
    forward.__doc__ = f"torch.{name}: a bool tensor, True where the element is " \
                      f"{name[2:] if name.startswith('is') else 'negative (-0.0 included)'}."
    return _NoOut(forward, promote=ALWAYS_BOOL, inplace=False)


isnan = _predicate("isnan", "isnan")
isinf = _predicate("isinf", "isinf")
isfinite = _predicate("isfinite", "isfinite")
isposinf = _predicate("isposinf", "isposinf",
                      RuntimeError("isposinf does not support complex inputs."))
isneginf = _predicate("isneginf", "isneginf",
                      RuntimeError("isneginf does not support complex inputs."))


@pointwise(promote=ALWAYS_BOOL, inplace=False)
def signbit(xp, input):
    """torch.signbit: True where the sign bit is set (-0.0 included); out= must be bool."""
    if input.dtype.kind == "c":
        raise NotImplementedError("signbit is not implemented for complex tensors.")
    return xp.signbit(input)


_signbit_op = signbit


def _signbit(input, *, out=None):
    if out is not None and isinstance(out, Tensor) and out.dtype is not _dtype.bool:
        raise RuntimeError("signbit does not support non-boolean outputs.")
    return _signbit_op(input, out=out)


# -- comparisons ------------------------------------------------------------------------------

def _comparison(name, kernel, ordered):
    """eq, ne (any dtype) and lt, le, gt, ge (no complex): a bool tensor, compared in the
    promoted dtype."""
    def forward(xp, input, other):
        if ordered:
            _refuse(f"{name}_cpu", "c", input, other)
        return getattr(xp, kernel)(input, other)
    forward.__name__ = name
    forward.__doc__ = f"torch.{name}: input {kernel.replace('_', ' ')} other, elementwise, " \
                      "as a bool tensor (computed in the promoted dtype)."
    return Pointwise(forward, promote=ALWAYS_BOOL, scalars=("other",))


eq = _comparison("eq", "equal", False)
ne = _comparison("ne", "not_equal", False)
lt = _comparison("lt", "less", True)
le = _comparison("le", "less_equal", True)
gt = _comparison("gt", "greater", True)
ge = _comparison("ge", "greater_equal", True)
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def equal(input, other):
    """torch.equal: True when both have the same shape and the same values (NaN is never
    equal)."""
    for name, t in (("input", input), ("other", other)):
        if not isinstance(t, Tensor):
            raise TypeError(f"equal(): argument '{name}' must be Tensor, not "
                            f"{type(t).__name__}")
    if input.shape != other.shape:
        return False
    return bool(eq(input, other)._host().all())


def _check_close_args(input, other, rtol, atol):
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{scalar_type_name(input.dtype)} did not match "
                           f"{scalar_type_name(other.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")


@op(tensors=("input", "other"))
def isclose(xp, input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """torch.isclose: |input - other| <= atol + rtol * |other| elementwise (equal infinities
    are close; NaNs only with equal_nan); input and other must have the same dtype."""
    _check_close_args(input, other, rtol, atol)
    from .._layout import broadcast_shapes
    shape = broadcast_shapes(input.shape, other.shape)
    close = xp.isclose(input._array, other._array, rtol, atol, equal_nan)
    return xp.astype(close, _dtype.bool.np).reshape(shape), _dtype.bool


_isclose = isclose


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """torch.isclose: |input - other| <= atol + rtol * |other| elementwise (equal infinities
    are close; NaNs only with equal_nan); input and other must have the same dtype."""
    return _isclose(input, other, rtol, atol, equal_nan)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """torch.allclose: whether isclose holds everywhere, as a Python bool."""
    close = isclose(input, other, rtol, atol, equal_nan)
    return bool(close._host().all())


# -- logical and bitwise -----------------------------------------------------------------------

def _logical(name, kernel):
    def forward(xp, input, other):
        return getattr(xp, kernel)(input, other)
    forward.__name__ = name
    forward.__doc__ = f"torch.{name}: nonzero elements are True; a bool tensor (out= may have " \
                      "any dtype)."
    return Pointwise(forward, promote=ALWAYS_BOOL)


logical_and = _logical("logical_and", "logical_and")
logical_or = _logical("logical_or", "logical_or")
logical_xor = _logical("logical_xor", "logical_xor")


@pointwise(promote=ALWAYS_BOOL)
def logical_not(xp, input):
    """torch.logical_not: True where the element is zero."""
    return xp.logical_not(input)


def _bitwise(name, kernel, torch_kernel, refuse):
    def forward(xp, input, other):
        _refuse(torch_kernel, refuse, input, other)
        return getattr(xp, kernel)(input, other)
    forward.__name__ = name
    forward.__doc__ = f"torch.{name}, on integer (and bool) tensors; floating inputs are an " \
                      "error."
    return Pointwise(forward, scalars=("input", "other"))


bitwise_and = _bitwise("bitwise_and", "bitwise_and", "bitwise_and_cpu", "fc")
bitwise_or = _bitwise("bitwise_or", "bitwise_or", "bitwise_or_cpu", "fc")
bitwise_xor = _bitwise("bitwise_xor", "bitwise_xor", "bitwise_xor_cpu", "fc")
bitwise_left_shift = _bitwise("bitwise_left_shift", "bitwise_left_shift", "lshift_cpu", "bfc")
bitwise_right_shift = _bitwise("bitwise_right_shift", "bitwise_right_shift", "rshift_cpu",
                               "bfc")


@_same_dtype_out()
def bitwise_not(xp, input):
    """torch.bitwise_not: ~input on integers, logical not on bool; floating is an error."""
    _refuse("bitwise_not_cpu", "fc", input)
    return xp.bitwise_invert(input)


# -- where --------------------------------------------------------------------------------------

@pointwise(inplace=False, scalars=("input", "other"), uncast=("condition",), method=False,
           name="where")
def _where(xp, condition, input, other):
    return xp.where(condition, input, other)


_where.defvjp(None,
              lambda grad, condition: where(condition, grad, 0),
              lambda grad, condition: where(condition, 0, grad))


def where(condition, input=None, other=None):
    """torch.where(condition, input, other): input where condition holds, else other.
    The result type promotes input and other only; condition must be bool.
    torch.where(condition) alone is nonzero(condition, as_tuple=True)."""
    if input is None and other is None and isinstance(condition, Tensor):
        return condition.nonzero(as_tuple=True)
    if not isinstance(condition, Tensor):
        raise TypeError(f"where(): argument 'condition' (position 1) must be Tensor, not "
                        f"{type(condition).__name__}")
    if condition.dtype is not _dtype.bool:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {scalar_type_name(condition.dtype)}")
    return _where(condition, input, other)


# -- Tensor methods of the ops written as plain functions -----------------------------------------

for _name, _fn in (("abs", abs), ("absolute", abs), ("div", div), ("divide", div),
                   ("div_", div_), ("divide_", div_), ("clamp", clamp), ("clip", clamp),
                   ("clamp_", clamp_), ("clip_", clamp_),
                   ("addcdiv", addcdiv), ("addcdiv_", addcdiv_),
                   ("subtract", sub), ("subtract_", sub.inplace), ("isclose", isclose),
                   ("lerp", lerp), ("lerp_", lerp_),
                   ("nan_to_num", nan_to_num), ("nan_to_num_", nan_to_num_),
                   ("square", square), ("positive", positive), ("equal", equal),
                   ("allclose", allclose), ("negative", neg), ("negative_", neg.inplace),
                   ("absolute_", _abs.inplace), ("square_", lambda self: _pow_op.inplace(self, 2)),
                   ("fix", trunc), ("fix_", trunc.inplace), ("arctan2", atan2),
                   ("arctan2_", atan2.inplace),
                   *((_a, _o) for _a, _o in (("arcsin", asin), ("arccos", acos),
                                             ("arctan", atan), ("arcsinh", asinh),
                                             ("arccosh", acosh), ("arctanh", atanh),
                                             ("greater", gt), ("greater_equal", ge),
                                             ("less", lt), ("less_equal", le),
                                             ("not_equal", ne))),
                   *((_a + "_", _o.inplace) for _a, _o in (("arcsin", asin), ("arccos", acos),
                                                           ("arctan", atan), ("arcsinh", asinh),
                                                           ("arccosh", acosh),
                                                           ("arctanh", atanh),
                                                           ("greater", gt),
                                                           ("greater_equal", ge),
                                                           ("less", lt), ("less_equal", le),
                                                           ("not_equal", ne)))):
    setattr(Tensor, _name, _method(_name, _fn))

# The functional forms that take a number on either side but refuse two numbers
# (torch.pow(2, 3) is a TypeError); the Tensor methods are the ops themselves.
pow = _needs_a_tensor(pow, "input", "exponent")
remainder = _needs_a_tensor(remainder)
bitwise_and = _needs_a_tensor(bitwise_and)
bitwise_or = _needs_a_tensor(bitwise_or)
bitwise_xor = _needs_a_tensor(bitwise_xor)
bitwise_left_shift = _needs_a_tensor(bitwise_left_shift)
bitwise_right_shift = _needs_a_tensor(bitwise_right_shift)
signbit = _signbit  # noqa: F811  (the functional form checks out=)

__all__ = [
    "add", "sub", "subtract", "rsub", "mul", "div", "divide", "true_divide", "floor_divide",
    "remainder", "fmod", "neg", "negative", "positive", "pow", "square", "atan2", "arctan2",
    "hypot", "heaviside",
    "logaddexp", "maximum", "minimum", "fmax", "fmin", "clamp", "clip", "lerp", "addcmul",
    "addcdiv", "sqrt", "rsqrt", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin",
    "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "arcsin",
    "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "sigmoid", "tanh", "reciprocal", "erf",
    "erfc", "erfinv", "abs", "absolute", "relu", "sign", "sgn", "floor", "ceil", "trunc", "fix",
    "round", "frac", "nan_to_num", "isnan", "isinf", "isfinite", "isposinf", "isneginf",
    "signbit", "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less",
    "less_equal", "not_equal", "equal", "isclose", "allclose", "logical_and", "logical_or",
    "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
    "bitwise_left_shift", "bitwise_right_shift", "where",
]
