"""sum, mm and select against torch: values, dtypes, dims, errors and gradients."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput
from conformance.strategies import ALL_DTYPES, FLOAT_DTYPES, shapes, tensors


@st.composite
def dims_for(draw, ndim):
    if ndim == 0:
        return draw(st.sampled_from([None, 0, -1]))
    one = st.integers(-ndim, ndim - 1)
    return draw(st.one_of(st.none(), one, st.lists(one, min_size=1, max_size=ndim,
                                                   unique_by=lambda d: d % ndim).map(tuple)))


@spec("torch.sum")
@given(data=st.data())
def test_sum_dims_keepdim_dtype(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES), special=False))
    dim = data.draw(dims_for(len(x.value().shape)))
    keepdim = data.draw(st.booleans())
    if dim is None:
        check(lambda T, d, x: (T.sum(x), x.sum()), x)
    else:
        check(lambda T, d, x: (T.sum(x, dim, keepdim), x.sum(dim=dim, keepdim=keepdim)), x)


@spec("torch.sum")
@given(data=st.data())
def test_sum_gradient_broadcasts_back(check, data):
    x = data.draw(tensors(dtype="float64", requires_grad=True, special=False))
    dim = data.draw(dims_for(len(x.value().shape)))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: x.sum() if dim is None else x.sum(dim, keepdim), x, grad=True)


@spec("torch.sum")
@given(x=tensors(shape=(2, 3)), dim=st.sampled_from([2, -3, (0, 0), 5]))
def test_sum_bad_dim_errors(check, x, dim):
    check(lambda T, d, x: x.sum(dim), x)


@spec("torch.mm")
@given(n=st.integers(0, 4), m=st.integers(0, 4), p=st.integers(0, 4),
       dtype=st.sampled_from(FLOAT_DTYPES + ("int64",)), data=st.data())
def test_mm_values(check, n, m, p, dtype, data):
    a = data.draw(tensors(shape=(n, m), dtype=dtype, special=False, max_value=50, min_value=-50))
    b = data.draw(tensors(shape=(m, p), dtype=dtype, special=False, max_value=50, min_value=-50))
    check(lambda T, d, a, b: (T.mm(a, b), a.mm(b)), a, b, strides=True)


@spec("torch.mm")
@given(data=st.data())
def test_mm_gradients(check, data):
    n, m, p = (data.draw(st.integers(1, 4)) for _ in range(3))
    a = data.draw(tensors(shape=(n, m), dtype="float64", requires_grad=True, special=False))
    b = data.draw(tensors(shape=(m, p), dtype="float64", requires_grad=True, special=False))
    check(lambda T, d, a, b: T.mm(a, b), a, b, grad=True)


@spec("torch.mm.errors")
@pytest.mark.parametrize("sa,sb,da,db", [
    ((2, 3), (2, 3), "float32", "float32"), ((3,), (3, 2), "float32", "float32"),
    ((2, 3), (3,), "float32", "float32"), ((2, 2), (2, 2), "float32", "float64"),
    ((2, 2, 1), (1, 2), "float32", "float32")])
def test_mm_errors(check, sa, sb, da, db):
    check(lambda T, d, a, b: T.mm(a, b), np.ones(sa, da), np.ones(sb, db))


@spec("torch.select")
@given(data=st.data())
def test_select_view_and_gradient(check, data):
    x = data.draw(tensors(shape=shapes(min_dims=1, max_dims=3, min_side=1), dtype="float64",
                          requires_grad=True, special=False))
    shape = x.value().shape
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    index = data.draw(st.integers(-shape[dim], shape[dim] - 1))
    check(lambda T, d, x: T.select(x, dim, index), x, grad=True, strides=True)


@spec("torch.select.errors")
@pytest.mark.parametrize("shape,dim,index", [((3, 4), 0, 3), ((3, 4), 1, -5), ((3, 4), 2, 0),
                                             ((), 0, 0)])
def test_select_errors(check, shape, dim, index):
    check(lambda T, d, x: x.select(dim, index), np.zeros(shape, np.float32))


@spec("torch.tensor-arguments")
@pytest.mark.parametrize("call", ["mm-list", "mm-number", "select-list"])
def test_mm_select_reject_non_tensors(check, call):
    def program(T, d, x):
        if call == "mm-list":
            return T.mm([[1.0]], x)
        if call == "mm-number":
            return T.mm(x, 2)
        return T.select([1, 2], 0, 0)
    check(program, TensorInput(np.ones((1, 1), np.float32)))
