"""Binary pointwise ops against torch: arithmetic, division (integer division by zero), pow,
comparisons, logical and bitwise ops, the Python operators and their in-place and reflected
forms, out=, and which arguments may be Python numbers."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    broadcastable_shapes,
    supported_dtypes,
    tensors,
)

WRITABLE = ("contiguous", "transposed", "strided")
NUMBERS = st.one_of(st.integers(-5, 5), st.floats(-3, 3), st.booleans())


def _pair(data, backend, shapes, names=None, **kw):
    """Two tensors of broadcastable shapes and independently drawn dtypes."""
    pool = supported_dtypes(backend, names or ALL_DTYPES + ("float16", "bfloat16",
                                                             "complex64", "complex128"))
    a = data.draw(tensors(shape=shapes[0], dtype=st.sampled_from(pool), **kw))
    b = data.draw(tensors(shape=shapes[1], dtype=st.sampled_from(pool), **kw))
    kinds = {a.base.dtype.name, b.base.dtype.name}
    # torch promotes complex with a 16-bit float to complex32, which refimpl does not have
    assume(not (kinds & {"complex64", "complex128"} and kinds & {"float16", "bfloat16"}))
    return a, b


@spec("torch.pointwise.arithmetic")
@pytest.mark.parametrize("name", ["add", "sub", "rsub", "mul"])
@given(data=st.data(), shapes=broadcastable_shapes())
def test_arithmetic_broadcasts_and_promotes(check, backend, data, shapes, name):
    a, b = _pair(data, backend, shapes)
    # strides compared for equal shapes; under broadcasting refimpl's layout rule
    # (refimpl._layout) still differs from TensorIterator where size-1 dims make it ambiguous
    check(lambda T, d, a, b: getattr(T, name)(a, b), a, b, strides=shapes[0] == shapes[1])


@spec("torch.pointwise.arithmetic")
@pytest.mark.parametrize("name", ["add", "sub", "mul"])
@given(data=st.data(), alpha=st.sampled_from([1, 2, -1, 0.5, True]))
def test_arithmetic_alpha_and_inplace(check, backend, data, name, alpha):
    a, b = _pair(data, backend, ((2, 3), (3,)), layouts=WRITABLE)
    kw = {"alpha": alpha} if name != "mul" else {}
    check(lambda T, d, a, b: (getattr(T, name)(a, b, **kw), getattr(a, name + "_")(b, **kw) is a,
                              a), a, b)


@spec("torch.pointwise.arithmetic")
@given(data=st.data(), dtype=st.sampled_from(["int8", "uint8", "int16", "int32", "int64"]))
def test_integer_overflow_wraps(check, data, dtype):
    info = np.iinfo(dtype)
    x = np.array([info.max, info.min, info.max - 1], dtype)
    check(lambda T, d, x: (x + 1, x - 1, x * 3, -x, x + 300), x)


@spec("torch.pointwise.arithmetic")
def test_bool_arithmetic_rules(check):
    a = np.array([True, True, False, False])
    b = np.array([True, False, True, False])
    check(lambda T, d, a, b: (a + b, a * b, a + 1, a * 2.5, T.add(a, True)), a, b)
    check(lambda T, d, a, b: a - b, a, b)
    check(lambda T, d, a: -a, a)


@spec("torch.pointwise.gradients")
@pytest.mark.parametrize("name", ["add", "sub", "rsub", "mul", "div", "true_divide", "pow",
                                  "remainder", "fmod"])
@given(data=st.data(), shapes=broadcastable_shapes())
def test_binary_gradients_and_grad_fn(check, data, shapes, name):
    a = data.draw(tensors(shape=shapes[0], dtype="float64", requires_grad=True, special=False,
                          min_value=0.5, max_value=3))
    b = data.draw(tensors(shape=shapes[1], dtype="float64", requires_grad=True, special=False,
                          min_value=0.5, max_value=3))
    check(lambda T, d, a, b: getattr(T, name)(a, b), a, b, grad=True, autograd=True)


@spec("torch.pointwise.gradients")
@pytest.mark.parametrize("program", ["x + 2", "2 + x", "x - 2", "2 - x", "x * 2", "2 * x",
                                     "x / 2", "2 / x", "x ** 2", "2 ** x", "x ** 0", "x % 2",
                                     "T.fmod(x, 2)", "T.sub(x, 2, alpha=3)", "T.rsub(x, 2)",
                                     "x.square()", "T.add(x, x, alpha=2)"])
@given(data=st.data())
def test_gradients_with_a_number_operand(check, data, program):
    x = data.draw(tensors(dtype="float64", requires_grad=True, special=False, min_value=0.5,
                          max_value=3))
    check(lambda T, d, x: eval(program), x, grad=True, autograd=True)


# -- division ----------------------------------------------------------------------------------

DIVISIONS = ["div", "true_divide", "floor_divide", "remainder", "fmod", "div-trunc",
             "div-floor"]


def _divide(T, name, a, b):
    if name.startswith("div-"):
        return T.div(a, b, rounding_mode=name[4:])
    return getattr(T, name)(a, b)


@spec("torch.pointwise.division")
@pytest.mark.parametrize("name", DIVISIONS)
@given(data=st.data(), shapes=broadcastable_shapes())
def test_division_values_and_dtypes(check, backend, data, shapes, name):
    # integers stay in [-100, 100]: torch's int64 min // -1 traps (SIGFPE) and kills the run
    a, b = _pair(data, backend, shapes, min_value=-100, max_value=100)
    check(lambda T, d, a, b: _divide(T, name, a, b), a, b, strides=True)


@spec("torch.pointwise.division")
@pytest.mark.parametrize("name", DIVISIONS)
@given(data=st.data(), number=st.one_of(st.integers(1, 7), st.floats(0.5, 3), st.just(-3)))
def test_division_by_a_number_and_of_a_number(check, backend, data, name, number):
    x = data.draw(tensors(dtype=st.sampled_from(supported_dtypes(backend, ALL_DTYPES)),
                          min_value=1, max_value=100))
    check(lambda T, d, x: (_divide(T, name, x, number), _divide(T, name, number, x)), x)


@spec("torch.pointwise.division")
@pytest.mark.parametrize("mode", [None, "trunc", "floor", "bad"])
@given(data=st.data())
def test_div_inplace_and_rounding_mode(check, backend, data, mode):
    a, b = _pair(data, backend, ((3,), (3,)), ALL_DTYPES, min_value=1, max_value=50,
                 layouts=WRITABLE)
    check(lambda T, d, a, b: (a.div(b, rounding_mode=mode), a.div_(b, rounding_mode=mode) is a,
                              a), a, b)


@spec("torch.pointwise.integer-division-by-zero")
@pytest.mark.parametrize("name", ["floor_divide", "remainder", "fmod", "div-trunc",
                                  "div-floor", "div"])
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "float32"])
def test_division_by_zero(check, name, dtype):
    a = np.array([5, 0, 7], dtype)
    b = np.array([2, 0, 0], dtype)
    check(lambda T, d, a, b: _divide(T, name, a, b), a, b)
    check(lambda T, d, a: _divide(T, name, a, 0), a)
    check(lambda T, d, a: (a // 0, a % 0) if "div" in name else a, a)


# -- pow ------------------------------------------------------------------------------------------

@spec("torch.pointwise.pow")
@given(data=st.data(), shapes=broadcastable_shapes())
def test_pow_tensor_tensor(check, backend, data, shapes):
    # real dtypes: float16 and complex pow at inf, nan and 0 follow torch's own kernels
    # (pow(-inf, 0.5) is inf in float16 but nan in float32); they are checked below on
    # finite positive bases
    a, b = _pair(data, backend, shapes, ALL_DTYPES, min_value=-5, max_value=5)
    check(lambda T, d, a, b: (T.pow(a, b), a ** b), a, b, strides=True)


@spec("torch.pointwise.pow")
@given(data=st.data(), exponent=st.one_of(st.integers(-3, 4), st.floats(-2, 3),
                                          st.sampled_from([0.5, 2.0, -1.0, True])))
def test_pow_with_a_number(check, backend, data, exponent):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES), min_value=-5, max_value=5))
    check(lambda T, d, x: (T.pow(x, exponent), x ** exponent, exponent ** x, T.pow(2, x),
                           T.square(x)), x)


@spec("torch.pointwise.pow")
@given(data=st.data(), exponent=st.sampled_from([2, 3, 0.5, -1.5, 1j]))
def test_pow_half_and_complex(check, backend, data, exponent):
    pool = supported_dtypes(backend, ("float16", "bfloat16", "complex64", "complex128"))
    if not pool:
        pytest.skip("the backend has neither 16-bit floats nor complex")
    x = data.draw(tensors(dtype=st.sampled_from(pool), special=False, min_value=0.5,
                          max_value=3))
    assume(x.base.dtype.kind == "c" or not isinstance(exponent, complex))
    check(lambda T, d, x: (T.pow(x, exponent), x ** 2, x ** x), x)


@spec("torch.pointwise.pow")
def test_pow_integer_negative_exponents(check):
    base = np.array([1, -1, 2, 0, -3, 5], np.int64)
    exp = np.array([-1, -3, -1, -2, -2, 0], np.int64)
    check(lambda T, d, b, e: (b ** e, T.pow(2, e), T.pow(b, 2)), base, exp)
    check(lambda T, d, b: b ** -1, base)
    check(lambda T, d: T.pow(2, 3))


@spec("torch.pointwise.pow")
@given(data=st.data(), exponent=st.sampled_from([2, 3, 0.5, -1.0]))
def test_pow_inplace_and_ipow(check, backend, data, exponent):
    x = data.draw(tensors(dtype=st.sampled_from(supported_dtypes(backend, ALL_DTYPES)),
                          min_value=-4, max_value=4, layouts=WRITABLE))

    def program(T, d, x):
        y = x.clone()
        y **= exponent
        return x.pow_(exponent) is x, x, y
    check(program, x)


# -- comparisons, logical, bitwise --------------------------------------------------------------

COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge"]
OPERATOR = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


@spec("torch.pointwise.comparison")
@pytest.mark.parametrize("name", COMPARISONS)
@given(data=st.data(), shapes=broadcastable_shapes())
def test_comparisons_promote_and_return_bool(check, backend, data, shapes, name):
    a, b = _pair(data, backend, shapes)
    op = OPERATOR[name]
    check(lambda T, d, a, b: (getattr(T, name)(a, b), eval(f"a {op} b")), a, b, strides=True)


@spec("torch.pointwise.comparison")
@pytest.mark.parametrize("name", COMPARISONS)
@given(data=st.data(), number=NUMBERS)
def test_comparisons_with_numbers(check, backend, data, name, number):
    x = data.draw(tensors(dtype=st.sampled_from(supported_dtypes(backend, ALL_DTYPES)),
                          min_value=-5, max_value=5))
    op = OPERATOR[name]
    check(lambda T, d, x: (getattr(T, name)(x, number), getattr(x, name)(number),
                           eval(f"x {op} number"), eval(f"number {op} x")), x)
    check(lambda T, d, x: getattr(T, name)(number, x), x)


@spec("torch.pointwise.comparison")
@pytest.mark.parametrize("name", COMPARISONS)
@given(data=st.data())
def test_comparisons_inplace_write_zero_or_one(check, backend, data, name):
    a, b = _pair(data, backend, ((2, 3), (3,)), ALL_DTYPES, layouts=WRITABLE)
    check(lambda T, d, a, b: (getattr(a, name + "_")(b) is a, a), a, b)


@spec("torch.pointwise.comparison")
def test_comparison_with_other_objects(check):
    x = np.array([1.0, 2.0])
    check(lambda T, d, x: (x == None, x != None, x == "a"), x)  # noqa: E711
    check(lambda T, d, x: x < None, x)
    check(lambda T, d, x: T.eq(x, "a"), x)


@spec("torch.pointwise.equal-isclose")
@given(data=st.data(), shapes=broadcastable_shapes(),
       rtol=st.sampled_from([1e-5, 0.1, 0.0, -1.0]), atol=st.sampled_from([1e-8, 1.0, 0.0]),
       equal_nan=st.booleans())
def test_isclose_allclose_equal(check, backend, data, shapes, rtol, atol, equal_nan):
    dtype = data.draw(st.sampled_from(supported_dtypes(backend)))
    other = data.draw(st.sampled_from([dtype, "float64"]))
    a = data.draw(tensors(shape=shapes[0], dtype=dtype))
    b = data.draw(tensors(shape=shapes[1], dtype=other))
    check(lambda T, d, a, b: (T.isclose(a, b, rtol, atol, equal_nan),
                              T.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)), a, b)
    check(lambda T, d, a, b: (T.equal(a, b), T.equal(a, a), a.equal(b)), a, b)


@spec("torch.pointwise.logical")
@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
@given(data=st.data(), shapes=broadcastable_shapes())
def test_logical_ops(check, backend, data, shapes, name):
    a, b = _pair(data, backend, shapes)
    check(lambda T, d, a, b: (getattr(T, name)(a, b), T.logical_not(a), getattr(a, name)(b)),
          a, b, strides=True)


@spec("torch.pointwise.logical")
@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
@given(data=st.data(), out_dtype=st.sampled_from(["bool", "float32", "int64"]))
def test_logical_inplace_and_out_keep_the_target_dtype(check, backend, data, name, out_dtype):
    a, b = _pair(data, backend, ((3,), (3,)), ALL_DTYPES, layouts=WRITABLE)

    def program(T, d, a, b):
        out = T.empty(3, dtype=getattr(T, out_dtype))
        getattr(T, name)(a, b, out=out)
        return out, getattr(a, name + "_")(b) is a, a, T.logical_not(b, out=out)
    check(program, a, b)


@spec("torch.pointwise.bitwise")
@pytest.mark.parametrize("name", ["bitwise_and", "bitwise_or", "bitwise_xor",
                                  "bitwise_left_shift", "bitwise_right_shift"])
@given(data=st.data(), shapes=broadcastable_shapes())
def test_bitwise_ops(check, backend, data, shapes, name):
    a, b = _pair(data, backend, shapes, INT_DTYPES + ("bool", "float32"))
    check(lambda T, d, a, b: getattr(T, name)(a, b), a, b, strides=True)


@spec("torch.pointwise.bitwise")
@given(data=st.data(), number=st.one_of(st.integers(-3, 70), st.booleans()))
def test_bitwise_operators_with_numbers(check, data, number):
    x = data.draw(tensors(dtype=st.sampled_from(INT_DTYPES + ("bool",))))
    check(lambda T, d, x: (x & number, number | x, x ^ number, ~x, T.bitwise_not(x)), x)
    check(lambda T, d, x: (x << number, x >> number, number << x.abs() % 8), x)


@spec("torch.pointwise.bitwise")
@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_shifts_out_of_range(check, dtype):
    x = np.array([1, 5, -8 if dtype != "uint8" else 200], dtype)
    shifts = np.array([-1, 8, 70], dtype if dtype != "uint8" else "int64")
    check(lambda T, d, x, s: (x << s, x >> s, T.bitwise_left_shift(x, 3),
                              T.bitwise_right_shift(x, 100)), x, shifts)


@spec("torch.pointwise.bitwise")
@pytest.mark.parametrize("name", ["bitwise_and", "bitwise_or", "bitwise_xor"])
@given(data=st.data())
def test_bitwise_inplace_and_ioperators(check, data, name):
    a = data.draw(tensors(shape=(2, 3), dtype=st.sampled_from(INT_DTYPES + ("bool",)),
                          layouts=WRITABLE))
    b = data.draw(tensors(shape=(3,), dtype=st.sampled_from(INT_DTYPES + ("bool",))))
    op = {"bitwise_and": "&=", "bitwise_or": "|=", "bitwise_xor": "^="}[name]

    def program(T, d, a, b):
        c = a.clone()
        exec(f"c {op} b")
        return getattr(a, name + "_")(b) is a, a, c
    check(program, a, b)


# -- Python operators ---------------------------------------------------------------------------

BINARY_OPERATORS = ["+", "-", "*", "/", "//", "%", "**"]


@spec("torch.pointwise.operators")
@pytest.mark.parametrize("op", BINARY_OPERATORS)
@given(data=st.data(), number=NUMBERS)
def test_operators_with_numbers_on_either_side(check, backend, data, op, number):
    x = data.draw(tensors(dtype=st.sampled_from(supported_dtypes(backend, ALL_DTYPES)),
                          min_value=1, max_value=9))
    check(lambda T, d, x: (eval(f"x {op} number"), eval(f"number {op} x")), x)


@spec("torch.pointwise.operators")
@pytest.mark.parametrize("op", BINARY_OPERATORS + ["@"])
@given(data=st.data())
def test_operators_between_tensors(check, backend, data, op):
    pool = supported_dtypes(backend, FLOAT_DTYPES)
    dtype = data.draw(st.sampled_from(pool))
    a = data.draw(tensors(shape=(2, 2), dtype=dtype, min_value=1, max_value=9))
    b = data.draw(tensors(shape=(2, 2), dtype=dtype, min_value=1, max_value=9))
    check(lambda T, d, a, b: eval(f"a {op} b"), a, b)


@spec("torch.pointwise.operators")
@pytest.mark.parametrize("other", ["a", None, [1.0, 2.0], object()])
def test_operators_with_other_objects_are_type_errors(check, other):
    x = np.array([1.0, 2.0])
    for op in BINARY_OPERATORS:
        check(lambda T, d, x: eval(f"x {op} other"), x)


@spec("torch.pointwise.inplace-operators", "torch.Tensor.iadd")
@pytest.mark.parametrize("op", ["+=", "-=", "*=", "/=", "//=", "%=", "**="])
@given(data=st.data(), shapes=broadcastable_shapes(max_dims=2))
def test_inplace_operators_write_into_self(check, backend, data, op, shapes):
    a, b = _pair(data, backend, shapes, ALL_DTYPES + ("float16",), min_value=1, max_value=9,
                 layouts=WRITABLE)

    def program(T, d, a, b):
        before = a
        ptr = a.data_ptr()
        exec(f"a {op} b")
        return a is before, a.data_ptr() == ptr, a, a._version
    check(program, a, b)


@spec("torch.Tensor.iadd")
@given(data=st.data(), number=NUMBERS)
def test_iadd_number_and_bias(check, backend, data, number):
    out = data.draw(tensors(shape=(2, 3), dtype=st.sampled_from(supported_dtypes(backend,
                                                                                 ALL_DTYPES)),
                            layouts=WRITABLE))
    bias = data.draw(tensors(shape=(3,), dtype="float32"))

    def program(T, d, out, bias):
        ref = out
        out += bias.unsqueeze(0).expand_as(out)
        out += number
        return out is ref, out
    check(program, out, bias)


@spec("torch.pointwise.inplace-cast")
@pytest.mark.parametrize("name", ["add_", "mul_", "sub_", "div_", "sqrt_", "exp_", "pow_",
                                  "floor_divide_", "remainder_"])
@given(data=st.data())
def test_inplace_result_must_cast_to_self(check, backend, data, name):
    a, b = _pair(data, backend, ((3,), (3,)), min_value=1, max_value=9, layouts=WRITABLE,
                 special=False)

    def program(T, d, a, b):
        before = a.clone()
        try:
            r = getattr(a, name)() if name in ("sqrt_", "exp_") else getattr(a, name)(b)
        except RuntimeError:
            return "refused", T.equal(a, before)
        return r is a, a
    check(program, a, b)


@spec("torch.pointwise.out")
@pytest.mark.parametrize("program", ["T.exp(x, out=out)", "T.floor_divide(x, 2, out=out)",
                                     "T.eq(x, 1, out=out)", "T.logical_and(x, x, out=out)",
                                     "T.clamp(x, 0, 1, out=out)", "T.pow(x, 2, out=out)",
                                     "T.atan2(x, x, out=out)", "T.maximum(x, x, out=out)",
                                     "T.lerp(x, x, 0.5, out=out)", "T.abs(x, out=out)",
                                     "T.div(x, 2, rounding_mode='floor', out=out)",
                                     "T.nan_to_num(x, out=out)", "T.isclose(x, x, out=out)"])
@given(data=st.data(), out_dtype=st.sampled_from(["float32", "float64", "int64", "bool"]),
       out_shape=st.sampled_from([(3,), (0,)]))
def test_out_writes_in_the_out_dtype_or_refuses(check, backend, data, program, out_dtype,
                                                out_shape):
    x = data.draw(tensors(shape=(3,), dtype=st.sampled_from(supported_dtypes(backend,
                                                                             ALL_DTYPES))))

    def run(T, d, x):
        out = T.zeros(out_shape, dtype=getattr(T, out_dtype))
        r = eval(program)
        return r is out, out
    check(run, x)


@spec("torch.pointwise.scalar-arguments")
@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "floor_divide", "remainder",
                                  "fmod", "pow", "eq", "lt", "bitwise_and", "bitwise_or",
                                  "bitwise_left_shift", "maximum", "minimum", "atan2", "hypot",
                                  "logical_and", "fmin"])
@pytest.mark.parametrize("where", ["first", "second", "both"])
def test_which_arguments_may_be_numbers(check, name, where):
    x = np.array([1, 2, 3], np.int64)

    def program(T, d, x):
        args = {"first": (3, x), "second": (x, 3), "both": (3, 2)}[where]
        return getattr(T, name)(*args)
    check(program, x)


@spec("torch.pointwise.scalar-arguments")
@pytest.mark.parametrize("name", ["sqrt", "abs", "exp", "floor", "isnan", "logical_not",
                                  "bitwise_not", "sign", "neg", "sigmoid", "nan_to_num",
                                  "clamp", "positive"])
@pytest.mark.parametrize("arg", [2, 1.5, [1.0], None])
def test_unary_ops_refuse_non_tensors(check, name, arg):
    check(lambda T, d: getattr(T, name)(arg))


# -- large tensors ---------------------------------------------------------------------------------

@spec("torch.pointwise.large-tensors")
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_large_contiguous_tensors(check, dtype):
    # 2**18 + 2 elements: at the size where a backend may switch to threaded kernels
    # (refimpl-numba does); one example per dtype keeps it cheap
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 131073)).astype(dtype)
    b = rng.standard_normal((2, 131073)).astype(dtype)
    a[0, ::7], b[1, ::5] = np.nan, 0.0
    check(lambda T, d, a, b: (a + b, a - b, a * b, a / b, a * 2.0, a / 0.5, T.pow(a, b),
                              T.maximum(a, b), T.exp(a), T.log(a), T.tanh(a), T.sigmoid(a),
                              T.relu(a), a > b, a <= 0.5, a == b, a != b, a < b, a >= b,
                              T.where(a > 0, a, b)), a, b)
