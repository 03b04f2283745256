"""torch.utils.dlpack: tensors cross frameworks through DLPack capsules over shared memory."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput

LAYOUTS = st.sampled_from([(), (("t",),), (("select", 0, 1),)])


@spec("torch.utils.dlpack.round-trip")
@given(layout=LAYOUTS, dtype=st.sampled_from(["float32", "int64", "float64"]))
def test_round_trip_shares_memory_and_layout(check, layout, dtype):
    base = np.arange(12).reshape(3, 4).astype(dtype)

    def fn(T, d, x):
        capsule = T.utils.dlpack.to_dlpack(x)
        y = T.utils.dlpack.from_dlpack(capsule)
        same = y.data_ptr() == x.data_ptr()
        y.add_(1)                               # seen through x
        z = T.from_dlpack(T.utils.dlpack.to_dlpack(x))
        x.mul_(2)                               # seen through z
        return (type(capsule).__name__, repr(capsule).split('"')[1], same, y.stride(),
                y.shape, y.dtype, y.device, x, z, T.from_dlpack is T.utils.dlpack.from_dlpack)
    check(fn, TensorInput(base, layout=layout))


@spec("torch.utils.dlpack.exchange")
@given(dtype=st.sampled_from(["float32", "int32", "complex64", "bool"]), copy=st.booleans())
def test_exchange_with_numpy(check, dtype, copy):
    def fn(T, d):
        a = np.arange(6).reshape(2, 3).astype(dtype)
        t = T.from_dlpack(a)
        copied = T.from_dlpack(a, copy=True) if copy else None
        a[0, 0] = 1                             # seen by t, not by the copy
        u = T.zeros(3, dtype=t.dtype)
        b = np.from_dlpack(u)
        u[1] = 1                                # seen by b
        return t, copied, b.tolist(), t.dtype, str(b.dtype)
    check(fn)


@spec("torch.utils.dlpack.capsule-once")
@given(case=st.sampled_from(["twice", "list"]))
def test_a_capsule_is_consumed_once(check, case):
    def fn(T, d):
        if case == "list":
            return T.utils.dlpack.from_dlpack([1, 2])
        capsule = T.utils.dlpack.to_dlpack(T.ones(3))
        T.utils.dlpack.from_dlpack(capsule)
        return T.utils.dlpack.from_dlpack(capsule)
    check(fn)


DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16",
          "float32", "float64", "complex64", "complex128"]


@spec("torch.utils.dlpack.dtypes")
@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_survive_the_round_trip(check, backend, dtype):
    if dtype == "bfloat16" and backend.name.startswith("refimpl"):
        pytest.xfail("refimpl speaks DLPack through NumPy, which has no bfloat16 type code "
                     "(clause torch.utils.dlpack.dtypes)")

    def fn(T, d):
        dt = getattr(T, dtype)
        x = T.arange(6).reshape(2, 3).to(dt)
        s = T.tensor(3).to(dt)
        out = [T.utils.dlpack.from_dlpack(T.utils.dlpack.to_dlpack(v)) for v in (x, s)]
        device = x.__dlpack_device__()
        return [(o.dtype, o.shape, o.to(T.float64) if dt != T.bool else o) for o in out], \
            (int(device[0]), device[1], int(T.utils.dlpack.DLDeviceType.kDLCPU))
    check(fn)


@spec("torch.utils.dlpack.requires-grad")
@given(case=st.sampled_from(["to_dlpack", "__dlpack__", "numpy"]))
def test_dlpack_carries_no_autograd_state(check, case):
    def fn(T, d):
        x = T.ones(3, requires_grad=True)
        if case == "to_dlpack":
            y = T.utils.dlpack.from_dlpack(T.utils.dlpack.to_dlpack(x))
            return y, y.requires_grad
        if case == "__dlpack__":
            return x.__dlpack__()
        return np.from_dlpack(x)
    check(fn)


@spec("torch.utils.dlpack.heading-typo")
def test_the_module_is_dlpack_not_dlpacl(check):
    def fn(T, d):
        import importlib
        importlib.import_module(T.__name__ + ".utils.dlpacl")
    check(fn)
