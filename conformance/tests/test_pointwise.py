"""Elementwise ops: values, dtypes, layouts, gradients and argument errors against torch."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import ALL_DTYPES, FLOAT_DTYPES, broadcastable_shapes, tensors


@spec("torch.sigmoid")
@given(x=tensors())
def test_sigmoid_values_dtype_layout(check, x):
    check(lambda T, d, x: T.sigmoid(x), x, strides=True)


@spec("torch.sigmoid")
@given(x=tensors(dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True))
def test_sigmoid_gradient(check, x):
    check(lambda T, d, x: x.sigmoid(), x, grad=True)


@spec("torch.relu")
@given(x=tensors())
def test_relu_values_dtype_layout(check, x):
    check(lambda T, d, x: T.relu(x), x, strides=True)


@spec("torch.relu")
@given(x=tensors(dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True))
def test_relu_gradient_is_zero_at_zero(check, x):
    check(lambda T, d, x: x.relu(), x, grad=True)


@spec("torch.tanh")
@given(x=tensors())
def test_tanh_values_dtype_layout(check, x):
    check(lambda T, d, x: T.tanh(x), x, strides=True)


@spec("torch.tanh")
@given(x=tensors(dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True))
def test_tanh_gradient(check, x):
    check(lambda T, d, x: x.tanh(), x, grad=True)


def _activation_inplace_writes_self(check, name, data):
    x = data.draw(tensors(dtype=st.sampled_from(FLOAT_DTYPES), layouts=("contiguous",
                                                                         "transposed")))
    check(lambda T, d, x: (getattr(x, name + "_")() is x, x, x._version), x, strides=True)


@spec("torch.sigmoid")
@given(data=st.data())
def test_sigmoid_inplace_writes_self(check, data):
    _activation_inplace_writes_self(check, "sigmoid", data)


@spec("torch.relu")
@given(data=st.data())
def test_relu_inplace_writes_self(check, data):
    _activation_inplace_writes_self(check, "relu", data)


@spec("torch.tanh")
@given(data=st.data())
def test_tanh_inplace_writes_self(check, data):
    _activation_inplace_writes_self(check, "tanh", data)


@spec("torch.add", "torch.type-promotion")
@given(shapes=broadcastable_shapes(), data=st.data())
def test_add_broadcasts_and_promotes(check, shapes, data):
    a = data.draw(tensors(shape=shapes[0]))
    b = data.draw(tensors(shape=shapes[1]))
    if a.base.dtype == np.bool_ and b.base.dtype == np.bool_:
        a = data.draw(tensors(shape=shapes[0], dtype=st.sampled_from(FLOAT_DTYPES)))
    check(lambda T, d, a, b: T.add(a, b), a, b, strides=True)


@spec("torch.add", "torch.type-promotion")
@given(data=st.data(), scalar=st.one_of(st.integers(-5, 5), st.floats(-3, 3), st.booleans()))
def test_mul_and_add_with_python_scalars(check, data, scalar):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES[:-1]), special=False))
    check(lambda T, d, x: (x * scalar, scalar * x, x + scalar, T.add(x, scalar, alpha=2)), x)


@spec("torch.type-promotion")
@given(dims=st.sampled_from(["dim-dim", "dim-zero", "zero-zero"]),
       da=st.sampled_from(ALL_DTYPES), db=st.sampled_from(ALL_DTYPES))
def test_promotion_dimension_priority(check, dims, da, db):
    sa, sb = {"dim-dim": ((2,), (2,)), "dim-zero": ((2,), ()), "zero-zero": ((), ())}[dims]
    a, b = np.ones(sa, da), np.ones(sb, db)
    check(lambda T, d, a, b: (T.mul(a, b).dtype, T.result_type(a, b),
                              T.promote_types(a.dtype, b.dtype)), a, b)


@spec("torch.add")
@given(shapes=broadcastable_shapes(min_dims=1), data=st.data())
def test_add_gradients_reduce_broadcast_dims(check, shapes, data):
    a = data.draw(tensors(shape=shapes[0], dtype="float64", requires_grad=True, special=False))
    b = data.draw(tensors(shape=shapes[1], dtype="float64", requires_grad=True, special=False))
    check(lambda T, d, a, b: a * b + T.add(a, b, alpha=3), a, b, grad=True)


@spec("torch.add")
@given(a=tensors(shape=(2, 3), dtype="float32"), b=tensors(shape=(3, 2), dtype="float32"))
def test_add_shape_mismatch_is_runtime_error(check, a, b):
    check(lambda T, d, a, b: T.add(a, b), a, b)


@spec("torch.tensor-arguments")
@pytest.mark.parametrize("name", ["sigmoid", "relu", "tanh"])
@pytest.mark.parametrize("arg", [[1.0, 2.0], 1.0, 3, None, "x"])
def test_non_tensor_argument_is_type_error(check, name, arg):
    check(lambda T, d: getattr(T, name)(arg))


@spec("torch.tensor-arguments")
@pytest.mark.parametrize("a,b", [(1, 2), (2.5, 3), (True, 4), (1, 2.0)])
def test_add_and_mul_accept_python_numbers(check, a, b):
    check(lambda T, d: (T.add(a, b), T.mul(a, b)))


@spec("torch.tensor-arguments")
@pytest.mark.parametrize("a,b", [([1.0], 2), ("s", 1), (None, 1)])
def test_add_rejects_other_non_tensors(check, a, b):
    check(lambda T, d: T.add(a, b))


@spec("torch.out")
@given(x=tensors(dtype="float32", shape=(3,)), out_dtype=st.sampled_from(["float64", "int64"]),
       out_shape=st.sampled_from([(3,), (0,)]))
def test_add_out_writes_and_checks_cast(check, x, out_dtype, out_shape):
    def program(T, d, x):
        out = T.zeros(out_shape, dtype=getattr(T, out_dtype), device=d)
        r = T.add(x, 1, out=out)
        return r is out, out
    check(program, x)


@spec("torch.out")
def test_add_out_refuses_inputs_requiring_grad(check):
    check(lambda T, d, x: T.add(x, 1, out=T.zeros(2, device=d)),
          _grad_input(np.ones(2, np.float32)))


def _grad_input(array):
    from conformance.check import TensorInput
    return TensorInput(array, requires_grad=True)
