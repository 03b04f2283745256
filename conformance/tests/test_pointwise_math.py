"""Pointwise math against torch: values, dtypes and layouts over every dtype the backend
supports (0-dim, empty, transposed, strided and expanded inputs, NaN and inf), the `_` and
method forms, gradients in float64 with torch's grad_fn names, and the dtypes torch refuses."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import (
    ALL_DTYPES,
    INT_DTYPES,
    broadcastable_shapes,
    supported_dtypes,
    tensors,
)

EXP_LOG = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt",
           "reciprocal"]
TRIG = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh",
        "atanh", "arcsin", "arctanh"]
SPECIAL = ["erf", "erfc", "erfinv"]
ROUNDING = ["floor", "ceil", "trunc", "round", "frac", "fix"]
ABS_SIGN = ["abs", "absolute", "sign", "sgn", "neg", "negative", "square"]
PREDICATES = ["isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit"]

# Domains where the derivative is finite, for the gradient checks.
_GRAD_RANGE = {"log": (0.1, 5), "log2": (0.1, 5), "log10": (0.1, 5), "log1p": (-0.5, 5),
               "sqrt": (0.1, 5), "rsqrt": (0.1, 5), "reciprocal": (0.1, 5),
               "asin": (-0.9, 0.9), "acos": (-0.9, 0.9), "atanh": (-0.9, 0.9),
               "arcsin": (-0.9, 0.9), "arctanh": (-0.9, 0.9), "erfinv": (-0.9, 0.9),
               "acosh": (1.1, 5)}


def _any_tensor(data, backend, names=None, **kw):
    """A tensor of any dtype the backend supports (or of `names`), in any layout."""
    pool = supported_dtypes(backend) if names is None else supported_dtypes(backend, names)
    return data.draw(tensors(dtype=st.sampled_from(pool), **kw))


def _no_complex_half(*inputs):
    """torch promotes complex with float16 to complex32, a dtype refimpl does not have: such
    pairs are not drawn."""
    kinds = {np.dtype(x.base.dtype).name for x in inputs if hasattr(x, "base")}
    assume(not (kinds & {"complex64", "complex128"} and kinds & {"float16", "bfloat16"}))


def _unary_values(check, backend, data, name):
    x = _any_tensor(data, backend)
    check(lambda T, d, x: getattr(T, name)(x), x, strides=True)


# In-place targets: no expanded layout (writing into one raises RuntimeError in torch; that
# rule is torch.Tensor.expand-as).
WRITABLE = ("contiguous", "transposed", "strided")


def _unary_method_and_inplace(check, backend, data, name):
    x = _any_tensor(data, backend, layouts=WRITABLE)

    def program(T, d, x):
        y = getattr(x, name)()
        r = getattr(x, name + "_")()
        return y, r is x, x, x._version
    check(program, x, strides=True)


def _unary_gradient(check, data, name):
    lo, hi = _GRAD_RANGE.get(name, (-5, 5))
    x = data.draw(tensors(dtype="float64", requires_grad=True, special=False, min_value=lo,
                          max_value=hi))
    check(lambda T, d, x: getattr(T, name)(x), x, grad=True, autograd=True)


@spec("torch.pointwise.exp-log")
@pytest.mark.parametrize("name", EXP_LOG)
@given(data=st.data())
def test_exp_log_values_dtype_layout(check, backend, data, name):
    _unary_values(check, backend, data, name)


@spec("torch.pointwise.exp-log")
@pytest.mark.parametrize("name", EXP_LOG)
@given(data=st.data())
def test_exp_log_method_and_inplace(check, backend, data, name):
    _unary_method_and_inplace(check, backend, data, name)


@spec("torch.pointwise.exp-log", "torch.pointwise.gradients")
@pytest.mark.parametrize("name", EXP_LOG)
@given(data=st.data())
def test_exp_log_gradients(check, data, name):
    _unary_gradient(check, data, name)


@spec("torch.pointwise.trig")
@pytest.mark.parametrize("name", TRIG)
@given(data=st.data())
def test_trig_values_dtype_layout(check, backend, data, name):
    _unary_values(check, backend, data, name)


@spec("torch.pointwise.trig")
@pytest.mark.parametrize("name", TRIG)
@given(data=st.data())
def test_trig_method_and_inplace(check, backend, data, name):
    _unary_method_and_inplace(check, backend, data, name)


@spec("torch.pointwise.trig", "torch.pointwise.gradients")
@pytest.mark.parametrize("name", TRIG)
@given(data=st.data())
def test_trig_gradients(check, data, name):
    _unary_gradient(check, data, name)


@spec("torch.pointwise.trig")
@given(data=st.data(), shapes=broadcastable_shapes())
def test_atan2_broadcasts_and_promotes(check, backend, data, shapes):
    a = _any_tensor(data, backend, shape=shapes[0])
    b = _any_tensor(data, backend, shape=shapes[1])
    _no_complex_half(a, b)
    check(lambda T, d, a, b: (T.atan2(a, b), T.arctan2(a, b)), a, b, strides=True)


@spec("torch.pointwise.trig", "torch.pointwise.gradients")
@given(data=st.data(), shapes=broadcastable_shapes())
def test_atan2_gradients(check, data, shapes):
    a = data.draw(tensors(shape=shapes[0], dtype="float64", requires_grad=True, special=False,
                          min_value=0.5, max_value=5))
    b = data.draw(tensors(shape=shapes[1], dtype="float64", requires_grad=True, special=False,
                          min_value=-5, max_value=5))
    check(lambda T, d, a, b: T.atan2(a, b), a, b, grad=True, autograd=True)


@spec("torch.pointwise.special")
@pytest.mark.parametrize("name", SPECIAL)
@given(data=st.data())
def test_special_values_dtype_layout(check, backend, data, name):
    _unary_values(check, backend, data, name)


@spec("torch.pointwise.special")
@given(data=st.data())
def test_erfinv_at_and_beyond_its_domain(check, data):
    x = np.array([-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, np.nan], np.float32)
    check(lambda T, d, x: T.erfinv(x), x)


@spec("torch.pointwise.special", "torch.pointwise.gradients")
@pytest.mark.parametrize("name", SPECIAL)
@given(data=st.data())
def test_special_gradients(check, data, name):
    _unary_gradient(check, data, name)


@spec("torch.pointwise.abs-sign")
@pytest.mark.parametrize("name", ABS_SIGN)
@given(data=st.data())
def test_abs_sign_values_dtype(check, backend, data, name):
    x = _any_tensor(data, backend)
    # Not compared: the strides of complex abs, and of square (pow with a Scalar exponent) on
    # an empty tensor, where torch's TensorIterator leaves the Scalar out of the layout.
    strides = x.base.dtype.kind != "c" and (name != "square" or x.value().size > 0)
    check(lambda T, d, x: getattr(T, name)(x), x, strides=strides)


@spec("torch.pointwise.abs-sign")
@given(data=st.data())
def test_python_abs_neg_pos_match_the_ops(check, backend, data):
    x = _any_tensor(data, backend)
    check(lambda T, d, x: (abs(x), x.abs(), -x, +x is x), x)


@spec("torch.pointwise.abs-sign")
@pytest.mark.parametrize("name", ["abs", "sign", "sgn", "neg", "square"])
@given(data=st.data())
def test_abs_sign_inplace(check, backend, data, name):
    x = _any_tensor(data, backend, layouts=WRITABLE)
    check(lambda T, d, x: (getattr(x, name + "_")() is x, x), x)


@spec("torch.pointwise.abs-sign", "torch.pointwise.gradients")
@pytest.mark.parametrize("name", ["abs", "sign", "neg", "square"])
@given(data=st.data())
def test_abs_sign_gradients(check, data, name):
    x = data.draw(tensors(dtype="float64", requires_grad=True, special=False, min_value=-3,
                          max_value=3))
    check(lambda T, d, x: getattr(T, name)(x), x, grad=True, autograd=True)


@spec("torch.pointwise.abs-sign", "torch.pointwise.gradients")
def test_abs_gradient_at_zero_is_zero(check):
    from conformance.check import TensorInput
    x = TensorInput(np.array([-1.0, 0.0, -0.0, 2.0]), requires_grad=True)
    check(lambda T, d, x: x.abs(), x, grad=True)


@spec("torch.pointwise.rounding")
@pytest.mark.parametrize("name", ROUNDING)
@given(data=st.data())
def test_rounding_values_dtype_layout(check, backend, data, name):
    _unary_values(check, backend, data, name)


@spec("torch.pointwise.rounding")
@pytest.mark.parametrize("name", ROUNDING)
@given(data=st.data())
def test_rounding_method_and_inplace(check, backend, data, name):
    _unary_method_and_inplace(check, backend, data, name)


@spec("torch.pointwise.rounding")
@given(data=st.data(), decimals=st.integers(-3, 4))
def test_round_decimals(check, backend, data, decimals):
    x = _any_tensor(data, backend, ALL_DTYPES + ("float16", "bfloat16"))
    check(lambda T, d, x: (T.round(x, decimals=decimals), x.round(decimals=decimals)), x)


@spec("torch.pointwise.rounding")
def test_round_ties_go_to_even(check):
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.125, 0.375], np.float64)
    check(lambda T, d, x: (T.round(x), T.round(x, decimals=2)), x)


@spec("torch.pointwise.rounding", "torch.pointwise.gradients")
@pytest.mark.parametrize("name", ROUNDING)
@given(data=st.data())
def test_rounding_gradients(check, data, name):
    _unary_gradient(check, data, name)


@spec("torch.pointwise.predicates")
@pytest.mark.parametrize("name", PREDICATES)
@given(data=st.data())
def test_predicates_values(check, backend, data, name):
    x = _any_tensor(data, backend)
    # torch answers isinf/isfinite of an integer tensor with zeros_like / ones_like, whose
    # strides (for an empty strided input) are not the elementwise ones: strides not compared
    check(lambda T, d, x: (getattr(T, name)(x), getattr(x, name)()), x)


@spec("torch.pointwise.nan-to-num")
@given(data=st.data(), nan=st.sampled_from([None, 0.0, 1.5, -7]),
       posinf=st.sampled_from([None, 100.0, 3]), neginf=st.sampled_from([None, -100.0]))
def test_nan_to_num(check, backend, data, nan, posinf, neginf):
    x = _any_tensor(data, backend, layouts=WRITABLE)
    kw = {k: v for k, v in dict(nan=nan, posinf=posinf, neginf=neginf).items() if v is not None}
    check(lambda T, d, x: (T.nan_to_num(x, **kw), x.nan_to_num(**kw), x.nan_to_num_(**kw) is x,
                           x), x)


@spec("torch.pointwise.nan-to-num", "torch.pointwise.gradients")
@given(data=st.data())
def test_nan_to_num_gradient(check, data):
    x = data.draw(tensors(dtype="float64", requires_grad=True))
    check(lambda T, d, x: T.nan_to_num(x), x, grad=True, autograd=True)


# -- binary math --------------------------------------------------------------------------------

@spec("torch.pointwise.extrema")
@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
@given(data=st.data(), shapes=broadcastable_shapes())
def test_extrema_values_dtype_layout(check, backend, data, shapes, name):
    a = _any_tensor(data, backend, shape=shapes[0])
    b = _any_tensor(data, backend, shape=shapes[1])
    _no_complex_half(a, b)
    check(lambda T, d, a, b: getattr(T, name)(a, b), a, b, strides=True)


@spec("torch.pointwise.extrema", "torch.pointwise.gradients")
@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
@given(data=st.data(), shapes=broadcastable_shapes())
def test_extrema_gradients_split_ties(check, data, shapes, name):
    # small integers as floats: ties are frequent
    a = data.draw(tensors(shape=shapes[0], dtype="float64", requires_grad=True, special=False,
                          min_value=-2, max_value=2).map(_rounded))
    b = data.draw(tensors(shape=shapes[1], dtype="float64", requires_grad=True, special=False,
                          min_value=-2, max_value=2).map(_rounded))
    check(lambda T, d, a, b: getattr(T, name)(a, b), a, b, grad=True, autograd=True)


def _rounded(x):
    x.base[...] = np.round(x.base)
    return x


@spec("torch.pointwise.float-binary")
@pytest.mark.parametrize("name", ["hypot", "logaddexp"])
@given(data=st.data(), shapes=broadcastable_shapes())
def test_float_binary_values_dtype(check, backend, data, shapes, name):
    a = _any_tensor(data, backend, shape=shapes[0])
    b = _any_tensor(data, backend, shape=shapes[1])
    _no_complex_half(a, b)
    check(lambda T, d, a, b: getattr(T, name)(a, b), a, b, strides=True)


@spec("torch.pointwise.float-binary", "torch.pointwise.gradients")
@pytest.mark.parametrize("name", ["hypot", "logaddexp"])
@given(data=st.data(), shapes=broadcastable_shapes())
def test_float_binary_gradients(check, data, shapes, name):
    a = data.draw(tensors(shape=shapes[0], dtype="float64", requires_grad=True, special=False,
                          min_value=0.5, max_value=5))
    b = data.draw(tensors(shape=shapes[1], dtype="float64", requires_grad=True, special=False,
                          min_value=-5, max_value=5))
    check(lambda T, d, a, b: getattr(T, name)(a, b), a, b, grad=True, autograd=True)


@spec("torch.pointwise.lerp-addc")
@given(data=st.data(), shapes=broadcastable_shapes(),
       weight=st.one_of(st.floats(-1, 2), st.sampled_from(["tensor", "0-dim"])))
def test_lerp_values(check, backend, data, shapes, weight):
    dtype = data.draw(st.sampled_from(supported_dtypes(backend)))
    a = data.draw(tensors(shape=shapes[0], dtype=dtype))
    b = data.draw(tensors(shape=shapes[1], dtype=dtype))
    if weight == "tensor":
        weight = data.draw(tensors(shape=shapes[1], dtype=dtype, min_value=-1, max_value=2))
    elif weight == "0-dim":
        weight = data.draw(tensors(shape=(), dtype=dtype, min_value=-1, max_value=2))
    check(lambda T, d, a, b, w: (T.lerp(a, b, w), a.lerp(b, w)), a, b, weight, strides=True)


@spec("torch.pointwise.lerp-addc")
@given(data=st.data(), da=st.sampled_from(["float32", "float64", "int64"]),
       db=st.sampled_from(["float32", "float64"]))
def test_lerp_dtype_rules_and_inplace(check, data, da, db):
    a = data.draw(tensors(shape=(3,), dtype=da, layouts=WRITABLE))
    b = data.draw(tensors(shape=(3,), dtype=db))
    check(lambda T, d, a, b: (a.lerp_(b, 0.25) is a, a), a, b)


@spec("torch.pointwise.lerp-addc", "torch.pointwise.gradients")
@given(data=st.data(), shapes=broadcastable_shapes())
def test_lerp_gradients(check, data, shapes):
    a = data.draw(tensors(shape=shapes[0], dtype="float64", requires_grad=True, special=False))
    b = data.draw(tensors(shape=shapes[1], dtype="float64", requires_grad=True, special=False))
    w = data.draw(tensors(shape=shapes[1], dtype="float64", requires_grad=True, special=False,
                          min_value=-1, max_value=2))
    check(lambda T, d, a, b, w: (T.lerp(a, b, w), T.lerp(a, b, 0.75)), a, b, w, grad=True,
          autograd=True)


@spec("torch.pointwise.lerp-addc")
@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
@given(data=st.data(), shapes=broadcastable_shapes(),
       value=st.sampled_from([1, 2, 0.5, -1.5, True]))
def test_addcmul_addcdiv_values(check, backend, data, shapes, name, value):
    pool = supported_dtypes(backend)
    a = data.draw(tensors(shape=shapes[0], dtype=st.sampled_from(pool), layouts=WRITABLE))
    b = data.draw(tensors(shape=shapes[1], dtype=st.sampled_from(pool)))
    c = data.draw(tensors(shape=shapes[1], dtype=st.sampled_from(pool)))
    _no_complex_half(a, b, c)
    check(lambda T, d, a, b, c: (getattr(T, name)(a, b, c, value=value),
                                 getattr(a, name + "_")(b, c, value=value) is a, a),
          a, b, c, strides=True)


@spec("torch.pointwise.lerp-addc", "torch.pointwise.gradients")
@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
@given(data=st.data(), shapes=broadcastable_shapes())
def test_addcmul_addcdiv_gradients(check, data, shapes, name):
    a = data.draw(tensors(shape=shapes[0], dtype="float64", requires_grad=True, special=False))
    b = data.draw(tensors(shape=shapes[1], dtype="float64", requires_grad=True, special=False))
    c = data.draw(tensors(shape=shapes[1], dtype="float64", requires_grad=True, special=False,
                          min_value=0.5, max_value=5))
    check(lambda T, d, a, b, c: getattr(T, name)(a, b, c, value=0.5), a, b, c, grad=True,
          autograd=True)


# -- clamp ----------------------------------------------------------------------------------------

_BOUND = st.one_of(st.none(), st.integers(-3, 3), st.floats(-3, 3))


@spec("torch.Tensor.clamp")
@given(data=st.data(), lo=_BOUND, hi=_BOUND)
def test_clamp_number_bounds(check, backend, data, lo, hi):
    x = _any_tensor(data, backend, ALL_DTYPES + ("float16", "bfloat16"))
    # clamp's Scalar bounds are not TensorIterator operands: on an empty input torch's layout
    # differs from the elementwise rule, so strides are compared for non-empty inputs only
    check(lambda T, d, x: (x.clamp(min=lo, max=hi), T.clamp(x, lo, hi), T.clip(x, lo, hi), x),
          x, strides=x.value().size > 0)


@spec("torch.Tensor.clamp.edge-cases")
@given(data=st.data(), lo=_BOUND, hi=_BOUND)
def test_clamp_inplace_and_errors(check, backend, data, lo, hi):
    x = _any_tensor(data, backend, ALL_DTYPES + ("float16", "bfloat16"), layouts=WRITABLE)
    check(lambda T, d, x: (x.clamp_(lo, hi) is x, x, x._version), x)


@spec("torch.Tensor.clamp.edge-cases")
def test_clamp_examples_of_the_edge_cases(check):
    x = np.array([-3, 4], np.int64)
    check(lambda T, d, x: (x.clamp(min=0.5), x.clamp(2, -1), x.clip(max=0)), x)


@spec("torch.Tensor.clamp.grad")
@given(data=st.data(), lo=st.one_of(st.none(), st.integers(-2, 0)),
       hi=st.one_of(st.none(), st.integers(0, 2)))
def test_clamp_gradient_passes_at_the_bounds(check, data, lo, hi):
    x = data.draw(tensors(dtype="float64", requires_grad=True, special=False, min_value=-3,
                          max_value=3).map(_rounded))
    if lo is None and hi is None:
        lo = 0
    check(lambda T, d, x: x.clamp(lo, hi), x, grad=True, autograd=True)


@spec("torch.pointwise.clamp-tensor-bounds")
@given(data=st.data(), shapes=broadcastable_shapes(), which=st.sampled_from(["min", "max",
                                                                           "both"]))
def test_clamp_tensor_bounds(check, backend, data, shapes, which):
    pool = supported_dtypes(backend, ALL_DTYPES + ("float16",))
    x = data.draw(tensors(shape=shapes[0], dtype=st.sampled_from(pool)))
    lo = data.draw(tensors(shape=shapes[1], dtype=st.sampled_from(pool)))
    hi = data.draw(tensors(shape=shapes[1], dtype=st.sampled_from(pool)))

    _no_complex_half(x, lo, hi)
    def program(T, d, x, lo, hi):
        kw = {"min": lo, "max": hi} if which == "both" else {which: lo}
        return T.clamp(x, **kw), x.clip(**kw)
    check(program, x, lo, hi, strides=True)


@spec("torch.pointwise.clamp-tensor-bounds")
@given(data=st.data())
def test_clamp_refuses_mixed_bounds_and_complex(check, backend, data):
    x = _any_tensor(data, backend, shape=(3,))
    lo = data.draw(tensors(shape=(3,), dtype="float32"))
    check(lambda T, d, x, lo: (T.clamp(x, lo, 1.0)), x, lo)
    check(lambda T, d, x: (T.clamp(x, -1, 1)), x)


@spec("torch.pointwise.clamp-tensor-bounds", "torch.pointwise.gradients")
@given(data=st.data(), shapes=broadcastable_shapes(), which=st.sampled_from(["min", "max",
                                                                           "both"]))
def test_clamp_tensor_bound_gradients(check, data, shapes, which):
    def draw(shape):
        return data.draw(tensors(shape=shape, dtype="float64", requires_grad=True,
                                 special=False, min_value=-2, max_value=2).map(_rounded))
    x, lo, hi = draw(shapes[0]), draw(shapes[1]), draw(shapes[1])

    def program(T, d, x, lo, hi):
        return T.clamp(x, **({"min": lo, "max": hi} if which == "both" else {which: lo}))
    check(program, x, lo, hi, grad=True, autograd=True)


# -- dtypes torch refuses -----------------------------------------------------------------------

UNARY = EXP_LOG + TRIG + SPECIAL + ROUNDING + ABS_SIGN + PREDICATES + [
    "sigmoid", "tanh", "relu", "logical_not", "bitwise_not", "nan_to_num", "positive"]
BINARY = ["add", "sub", "mul", "div", "true_divide", "floor_divide", "remainder", "fmod", "pow",
          "atan2", "hypot", "logaddexp", "maximum", "minimum", "fmin", "fmax", "eq", "ne", "lt",
          "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "bitwise_and",
          "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift"]
EVERY = ALL_DTYPES + ("float16", "bfloat16", "complex64", "complex128")


@spec("torch.pointwise.dtype-support")
@pytest.mark.parametrize("dtype", EVERY)
def test_unary_result_dtype_or_error_for_every_dtype(check, backend, dtype):
    if dtype not in supported_dtypes(backend, EVERY):
        pytest.skip(f"the backend does not support {dtype}")
    x = np.zeros((2,), dtype)
    for name in UNARY:
        check(lambda T, d, x: getattr(T, name)(x).dtype, x)


@spec("torch.pointwise.dtype-support")
@pytest.mark.parametrize("dtype", EVERY)
def test_binary_result_dtype_or_error_for_every_dtype(check, backend, dtype):
    if dtype not in supported_dtypes(backend, EVERY):
        pytest.skip(f"the backend does not support {dtype}")
    x = np.ones((2,), dtype)
    for name in BINARY:
        check(lambda T, d, a, b: getattr(T, name)(a, b).dtype, x, x)


@spec("torch.pointwise.dtype-support")
@pytest.mark.parametrize("name", ["floor", "round", "frac", "sign", "abs", "erf", "atan2",
                                  "lt", "maximum", "isposinf", "signbit", "relu", "clamp"])
def test_complex_refusals(check, backend, name):
    if "complex" not in getattr(backend, "capabilities", ()):
        pytest.skip("the backend does not support complex")
    x = np.array([1 + 2j, -3j], np.complex64)
    args = {"atan2": 2, "lt": 2, "maximum": 2}.get(name, 1)
    if name == "clamp":
        check(lambda T, d, x: T.clamp(x, 0, 1), x)
    else:
        check(lambda T, d, x: getattr(T, name)(*([x] * args)), x)


@spec("torch.pointwise.dtype-support")
@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_round_with_decimals_refuses_integers(check, dtype):
    check(lambda T, d, x: T.round(x, decimals=1), np.arange(3, dtype=dtype))


@spec("torch.pointwise.heaviside")
@given(data=st.data(), shapes=broadcastable_shapes(),
       dtype=st.sampled_from(["float32", "float64", "int64", "int32", "uint8", "bool"]))
def test_heaviside(check, data, shapes, dtype):
    x = data.draw(tensors(shape=shapes[0], dtype=dtype))
    v = data.draw(tensors(shape=shapes[1], dtype=dtype))

    def program(T, d, x, v):
        out = T.empty(0, dtype=x.dtype)
        T.heaviside(x, v, out=out)
        return T.heaviside(x, v), x.heaviside(v), out, (T.heaviside(x, v) + 0).stride()
    check(program, x, v)


@spec("torch.pointwise.heaviside")
@pytest.mark.parametrize("case", ["inplace", "inplace-broadcast-self", "dtypes", "complex",
                                  "number", "backward", "zeros-and-nan"])
def test_heaviside_cases(check, case):
    def program(T, d):
        if case == "inplace":
            y = T.tensor([1.0, -2.0, 0.0])
            return y.heaviside_(T.tensor(3.0)) is y, y, y._version
        if case == "inplace-broadcast-self":
            return T.tensor([1.0]).heaviside_(T.tensor([1.0, 2.0]))
        if case == "dtypes":
            return T.heaviside(T.tensor([1.0]), T.tensor(1))
        if case == "complex":
            return T.heaviside(T.tensor([1j]), T.tensor(1j))
        if case == "number":
            return T.heaviside(T.tensor([1.0]), 0.5)
        if case == "backward":
            x = T.tensor([1.0, 0.0], requires_grad=True)
            y = T.heaviside(x, T.tensor(0.5))
            result = (y, y.requires_grad)
            y.sum().backward()
            return result
        return T.heaviside(T.tensor([0.0, -0.0, float("nan"), float("-inf")]), T.tensor(9.0))
    check(program)
