"""Creation: zeros/ones/empty, tensor's dtype inference, arange."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import ALL_DTYPES, FLOAT_DTYPES, shapes, tensors


@spec("torch.zeros")
@given(shape=shapes(), dtype=st.one_of(st.none(), st.sampled_from(ALL_DTYPES)),
       form=st.sampled_from(["varargs", "tuple"]))
def test_zeros_ones_shape_dtype(check, shape, dtype, form):
    def program(T, d):
        kw = {"device": d} if dtype is None else {"dtype": getattr(T, dtype), "device": d}
        args = shape if form == "varargs" else (shape,)
        z, o, e = T.zeros(*args, **kw), T.ones(*args, **kw), T.empty(*args, **kw)
        return z, o, e.shape, e.dtype, e.is_contiguous(), z.stride()
    check(program)


@spec("torch.zeros")
def test_zeros_negative_size_is_error(check):
    check(lambda T, d: T.zeros(2, -1))


@spec("torch.zeros")
@pytest.mark.parametrize("default", ["float32", "float64"])
def test_zeros_follow_default_dtype(check, default):
    def program(T, d):
        T.set_default_dtype(getattr(T, default))
        return T.zeros(2).dtype, T.tensor([1.5]).dtype, T.tensor([1, 2]).dtype
    check(program)


@spec("torch.creation.tensor")
@pytest.mark.parametrize("data", [
    [1, 2, 3], [1.0, 2], [True, False], [[1, 2], [3, 4]], 3, 2.5, True, [[1.5], [2]], [],
    [[True, 1]], [1, 2.5, True]])
def test_tensor_infers_dtype_and_copies(check, data):
    check(lambda T, d: T.tensor(data, device=d))


@spec("torch.creation.tensor")
@given(dtype=st.sampled_from(ALL_DTYPES))
def test_tensor_from_numpy_array_keeps_dtype(check, dtype):
    arr = np.arange(4).astype(dtype)
    check(lambda T, d: (T.tensor(arr), T.from_numpy(arr.copy()).dtype))


@spec("torch.creation.tensor")
@pytest.mark.parametrize("args", [(5,), (1, 4), (0, 3, 0.5), (1.0, 2.0, 0.25), (5, 1, -1),
                                  (0, 1, 0.1), (3, 1)])
def test_arange(check, args):
    check(lambda T, d: T.arange(*args, device=d))


@spec("torch.creation.tensor")
@pytest.mark.parametrize("data", [[[1, 2], [3]], "abc", None])
def test_tensor_rejects_ragged_or_non_numeric(check, data):
    check(lambda T, d: T.tensor(data))


@spec("torch.zeros.size-errors")
@pytest.mark.parametrize("size", ["varargs", "tuple", "list", "Size", "empty-tuple", "negative",
                                  "float", "none"])
def test_factory_size_forms(check, size):
    def program(T, d):
        args = {"varargs": (2, 3), "tuple": ((2, 3),), "list": ([2, 3],),
                "Size": (T.Size([2, 3]),), "empty-tuple": ((),), "negative": (2, -1),
                "float": (2, 3.0), "none": ()}[size]
        return [(f(*args).shape, f(*args).dtype) for f in (T.zeros, T.ones, T.empty)]
    check(program)


@spec("torch.ones.size-object")
@given(x=tensors(shape=shapes(max_dims=3), dtype="float32", requires_grad=True))
def test_ones_of_a_size_as_backward_gradient(check, x):
    def program(T, d, x):
        y = x * 2
        g = T.ones(y.size(), device=d)
        y.backward(g)
        return g, x.grad
    check(program, x)


@spec("torch.empty")
def test_empty_metadata(check):
    check(lambda T, d: (T.empty(3, 5).shape, T.empty(3, 5).dtype, T.empty(3, 5).stride(),
                        T.empty(3, 5).requires_grad, T.empty(3, 5).is_contiguous()))


@spec("torch.arange.dtype-view")
def test_arange_view_rows(check):
    check(lambda T, d: T.arange(50, dtype=T.float32).view(10, 5), strides=True)


@spec("torch.arange.errors")
@pytest.mark.parametrize("args", [(0, 1, 0.25), (0, 5, 0), (0, 5, -1), (5, 0, -1.5),
                                  (0, -3, -1), (0.5,), (0, 1, 0.3), (0, 1, 0.1), (1, 2.5, 0.5)])
def test_arange_lengths_and_errors(check, args):
    check(lambda T, d: (T.arange(*args), T.arange(*args, dtype=T.float64)))


@spec("torch.tensor.one-element")
def test_tensor_of_one_float(check):
    check(lambda T, d: (T.tensor([1.]), T.tensor([1.]).is_leaf, T.tensor([1.]).grad_fn,
                        T.tensor([1.]).requires_grad, T.tensor([1.]).device), strides=True)


@spec("torch.numpy-like")
@given(dtype=st.sampled_from(ALL_DTYPES), shape=shapes(max_dims=2))
def test_numpy_round_trip_and_shared_memory(check, dtype, shape):
    def program(T, d):
        a = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
        t, s, f = T.tensor(a), T.as_tensor(a), T.from_numpy(a)
        before = (t.tolist(), s.tolist())
        if a.size:
            a.reshape(-1)[0] = 1  # a write to the array shows in the sharing tensors
            f.view(-1)[-1] = 0  # and a write to the tensor shows in the array
        return (before, t, s, f, np.asarray(f).tolist(), a.tolist(), t.dtype, s.dtype,
                np.asarray(t).dtype == a.dtype)
    check(program)


@spec("torch.creation.ranges")
@pytest.mark.parametrize("args", [(0, 1, 5), (0, 10, 4), (0, 1, 1), (0, 1, 0), (-2.5, 7, 6),
                                  (0, 1, -1), (1, 0, 3)])
@pytest.mark.parametrize("dtype", [None, "float64", "int64"])
def test_linspace_logspace(check, args, dtype):
    def program(T, d):
        kw = {} if dtype is None else {"dtype": getattr(T, dtype)}
        return T.linspace(*args, **kw), T.logspace(*args, **kw), T.logspace(*args, base=2, **kw)
    check(program)


@spec("torch.creation.ranges")
@pytest.mark.parametrize("args", [(3,), (2, 3), (0,), (-1,), (2, -1)])
def test_eye(check, args):
    check(lambda T, d: (T.eye(*args), T.eye(*args, dtype=T.int32)), strides=True)


@spec("torch.creation.like")
@given(x=tensors(), dtype=st.sampled_from([None] + list(ALL_DTYPES)))
def test_like_factories_keep_shape_dtype_and_layout(check, x, dtype):
    def program(T, d, x):
        kw = {} if dtype is None else {"dtype": getattr(T, dtype)}
        e = T.empty_like(x, **kw)
        return (T.zeros_like(x, **kw), T.ones_like(x, **kw), T.full_like(x, 1, **kw),
                e.shape, e.dtype, e.stride(), x.new_zeros(2, 3), x.new_ones((2,)),
                x.new_full((1, 2), 1), x.new_empty(3).shape, x.new_tensor([1, 0]),
                T.empty_strided((2, 3), (1, 2), **kw).stride())
    check(program, x, strides=True)


@spec("torch.creation.like")
def test_new_factory_errors(check):
    check(lambda T, d, x: (x.new_zeros(2, requires_grad=True)), np.ones(2, np.int64))


@spec("torch.creation.like")
def test_full_infers_dtype_from_value(check):
    check(lambda T, d: (T.full((2,), 7), T.full((2,), True), T.full((2,), 1.5), T.full((2,), 1j),
                        T.scalar_tensor(3), T.scalar_tensor(True, dtype=T.bool)))


@spec("torch.creation.tensor")
@pytest.mark.parametrize("data", [[1, 2.5j], [[1], 2], [1, "a"], [[]], [[], []], (),
                                  [np.float32(1.5)], [np.int32(1)]])
def test_tensor_inference_edges(check, data):
    check(lambda T, d: T.tensor(data))


@spec("torch.creation.complex")
@given(a=tensors(shape=(2, 3), dtype=st.sampled_from(FLOAT_DTYPES)), data=st.data())
def test_complex_and_polar(check, a, data):
    b = data.draw(tensors(shape=(2, 3), dtype=a.base.dtype))
    check(lambda T, d, a, b: (T.complex(a, b), T.polar(a.abs(), b)), a, b)


@spec("torch.creation.complex")
@pytest.mark.parametrize("dtypes", [("float32", "float64"), ("int32", "int32")])
def test_complex_dtype_errors(check, dtypes):
    check(lambda T, d, a, b: T.complex(a, b), np.ones(2, dtypes[0]), np.ones(2, dtypes[1]))
