"""dtype conversions and the promotion functions against torch: float(), long(), ...,
to(dtype), type(), promote_types, can_cast, result_type."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import ALL_DTYPES, supported_dtypes, tensors

SHORTCUTS = ["float", "double", "half", "bfloat16", "int", "long", "short", "char", "byte",
             "bool"]
EVERY = ALL_DTYPES + ("float16", "bfloat16", "complex64", "complex128")


@spec("torch.dtype.conversions")
@pytest.mark.parametrize("name", SHORTCUTS)
@given(data=st.data())
def test_dtype_shortcuts_convert(check, backend, data, name):
    # floats stay inside every integer range (out-of-range float-to-int casts are undefined)
    x = data.draw(tensors(dtype=st.sampled_from(supported_dtypes(backend, ALL_DTYPES)),
                          special=False, min_value=-100, max_value=100))
    check(lambda T, d, x: (getattr(x, name)(), getattr(x, name)() is x), x, strides=True)


@spec("torch.dtype.conversions")
@given(data=st.data(), target=st.sampled_from(EVERY))
def test_to_dtype_and_type_dtype(check, backend, data, target):
    if target not in supported_dtypes(backend, EVERY):
        pytest.skip(f"the backend does not support {target}")
    x = data.draw(tensors(dtype=st.sampled_from(supported_dtypes(backend, ALL_DTYPES)),
                          special=False, min_value=-100, max_value=100))
    check(lambda T, d, x: (x.to(getattr(T, target)), x.type(getattr(T, target)),
                           x.to(getattr(T, target)) is x, x.type()), x)


@spec("torch.dtype.conversions")
@pytest.mark.parametrize("name", ["torch.FloatTensor", "torch.DoubleTensor", "torch.IntTensor",
                                  "torch.LongTensor", "torch.ByteTensor", "torch.BoolTensor",
                                  "torch.HalfTensor", "torch.Nonsense"])
def test_type_with_a_type_string(check, name):
    x = np.array([-1.5, 0.0, 2.7], np.float32)
    check(lambda T, d, x: (x.type(name), x.type(name).type()), x)


@spec("torch.dtype.conversions")
def test_float_to_int_truncates_and_nonzero_is_true(check):
    x = np.array([-2.7, -0.5, 0.0, 0.5, 2.7, 127.9], np.float64)
    check(lambda T, d, x: (x.int(), x.long(), x.char(), x.bool(), x.short()), x)


@spec("torch.dtype.promote-types")
@pytest.mark.parametrize("a", EVERY)
def test_promote_types_and_can_cast(check, a):
    def program(T, d):
        da = getattr(T, a)
        return [(T.promote_types(da, getattr(T, b)), T.can_cast(da, getattr(T, b)))
                for b in EVERY]
    check(program)


@spec("torch.dtype.promote-types")
@given(data=st.data(), scalar=st.sampled_from([2, 2.5, True, 1j]))
def test_result_type_with_tensors_and_numbers(check, backend, data, scalar):
    pool = st.sampled_from(supported_dtypes(backend, EVERY))
    a = data.draw(tensors(dtype=pool, shape=st.sampled_from([(), (2,)])))
    b = data.draw(tensors(dtype=pool, shape=st.sampled_from([(), (2,)])))
    check(lambda T, d, a, b: (T.result_type(a, b), T.result_type(a, scalar),
                              T.result_type(scalar, b)), a, b)
