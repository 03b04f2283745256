"""Creation: zeros/ones/empty, tensor's dtype inference, arange."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import ALL_DTYPES, shapes


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
