"""Views and shape ops: the same storage with torch's shape, strides and storage_offset,
`_base`, writes seen through views, gradients, and torch's errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import ALL_DTYPES, FLOAT_DTYPES, shapes, tensors


def _meta(x, base):
    """What makes a view a view: its layout and that it shares base's storage."""
    return (tuple(x.shape), x.stride(), x.storage_offset(), x._base is not None,
            x.untyped_storage().data_ptr() == base.untyped_storage().data_ptr())


VIEWS = {
    "flatten": lambda T, x: x.flatten(),
    "flatten-1": lambda T, x: T.flatten(x, 1) if x.dim() > 1 else x.flatten(0),
    "unflatten": lambda T, x: x.unflatten(0, (1, -1)) if x.dim() else x.flatten(),
    "squeeze": lambda T, x: x.squeeze(),
    "squeeze-dim": lambda T, x: T.squeeze(x, 0),
    "squeeze-tuple": lambda T, x: x.squeeze((0, -1)),
    "unsqueeze": lambda T, x: x.unsqueeze(-1),
    "swapaxes": lambda T, x: T.swapaxes(x, 0, -1),
    "swapdims": lambda T, x: x.swapdims(0, -1),
    "permute": lambda T, x: x.permute(*range(x.dim() - 1, -1, -1)),
    "movedim": lambda T, x: T.movedim(x, 0, -1),
    "moveaxis": lambda T, x: x.moveaxis(-1, 0),
    "mT": lambda T, x: x.mT,
    "mH": lambda T, x: x.mH,
    "expand": lambda T, x: x.expand(2, *x.shape),
    "broadcast_to": lambda T, x: T.broadcast_to(x, (3,) + tuple(x.shape)),
    "narrow": lambda T, x: x.narrow(0, 1, 1),
    "narrow-neg": lambda T, x: T.narrow(x, -1, -1, 1),
    "diagonal": lambda T, x: x.diagonal(),
    "diagonal-offset": lambda T, x: T.diagonal(x, 1, -1, 0),
    "diagonal-neg": lambda T, x: x.diagonal(-1),
    "view_as": lambda T, x: x.view_as(x),
    "reshape_as": lambda T, x: x.reshape_as(x.flatten()),
    "unfold": lambda T, x: x.unfold(0, 1, 1),
    "unfold-step": lambda T, x: x.unfold(-1, 2, 2),
    "as_strided": lambda T, x: x.as_strided((2, 2), (1, 2), 1),
    "T-2d": lambda T, x: x.T if x.dim() == 2 else x.mT,
}


@spec("torch.views")
@pytest.mark.parametrize("name", sorted(VIEWS))
@given(x=tensors(shape=shapes(min_dims=2, max_dims=3, min_side=1, max_side=4),
                 layouts=("contiguous", "transposed", "strided", "expanded")))
def test_view_layout_matches_torch(check, name, x):
    f = VIEWS[name]

    def program(T, d, x):
        v = f(T, x)
        return v, _meta(v, x)
    check(program, x, strides=True)


@spec("torch.views")
@pytest.mark.parametrize("name", sorted(set(VIEWS) - {"as_strided"}))
@given(x=tensors(shape=(2, 3, 4), dtype="float64", requires_grad=True,
                 layouts=("contiguous", "transposed")))
def test_view_gradient(check, name, x):
    f = VIEWS[name]
    check(lambda T, d, x: f(T, x), x, grad=True, autograd=True)


@spec("torch.views")
@given(x=tensors(shape=(3, 4), dtype=st.sampled_from(FLOAT_DTYPES), layouts=("contiguous",)),
       name=st.sampled_from(["narrow", "diagonal", "unsqueeze", "permute", "unfold", "mT"]))
def test_write_through_view_changes_base_and_version(check, x, name):
    f = VIEWS[name]

    def program(T, d, x):
        v = f(T, x)
        before = x._version
        v.mul_(2)
        return x, x._version - before, v._version == x._version
    check(program, x)


@spec("torch.views")
@given(x=tensors(shape=(4, 6), dtype="float64", requires_grad=True, layouts=("contiguous",)))
def test_as_strided_gradient(check, x):
    check(lambda T, d, x: (x.as_strided((2, 3), (6, 1), 1), T.as_strided(x, (3,), (7,))), x,
          grad=True, autograd=True)


@spec("torch.views.errors")
@pytest.mark.parametrize("expr", [
    "x.view(5, -1)", "x.view(-1, -1)", "x.t().view(-1)", "x.view(2.0, 6)", "x.flatten(1, 0)",
    "x.unflatten(1, (5, 2))", "x.unflatten(1, ())", "x.squeeze(3)", "x.squeeze((0, 0))",
    "x.unsqueeze(3)", "x.permute(0)", "x.permute(0, 0)", "x.permute(0, 2)", "x.transpose(0, 2)",
    "x.t().t().expand(2)", "x.expand(3, 3, 4)", "x.narrow(0, 2, 2)", "x.narrow(0, 1, -1)",
    "x.narrow(0, 4, 0)", "x.narrow(0, 1.0, 1)", "x.diagonal(0, 1, 1)",
    "x.as_strided((2,), (1, 1))", "x.as_strided((20,), (1,))", "x.unfold(0, 4, 1)",
    "x.unfold(0, 1, 0)", "x.sum().narrow(0, 0, 1)",
    "x.movedim((0, 1), (0,))", "x.movedim((0, 0), (0, 1))", "x.sum().mT", "x.reshape(7)",
    "x.view(T.float64).shape", "x.t().view(T.int16)", "x.view(T.int64)", "x.view(T.int16).shape",
    "x.t().view(T.int32).stride()", "x[:, :1].view(T.float64)", "x.sum().view(T.float64)",
    "x.t().reshape(-1).stride()", "x.T.shape", "x.sum().T.shape", "x.t().reshape(2, 6).stride()",
    "x.reshape(-1, 4).stride()", "T.broadcast_tensors(x, x[0], x[:1, :1])",
    "T.broadcast_tensors(x, x[:2])", "x.H.shape", "x.expand(2, -1, -1).stride()",
    "x.expand(-1, 4)", "x.expand_as(T.zeros(2, 3, 4)).stride()", "x.view(3, 4)",
])
def test_view_errors_and_edge_cases(check, expr):
    f = eval(f"lambda T, d, x: {expr}")  # noqa: S307 - the test's own expressions
    check(f, np.arange(12, dtype=np.float32).reshape(3, 4))


@spec("torch.views.errors")
@given(dtype=st.sampled_from(ALL_DTYPES), target=st.sampled_from(ALL_DTYPES),
       x=tensors(shape=shapes(min_dims=0, max_dims=2, max_side=4), dtype="uint8",
                 layouts=("contiguous", "transposed", "strided")))
def test_view_as_other_dtype(check, dtype, target, x):
    def program(T, d, x):
        y = x.view(getattr(T, dtype)) if x.dim() else x.to(getattr(T, dtype))
        v = y.view(getattr(T, target))
        return tuple(v.shape), v.stride(), v.storage_offset(), v.dtype, v._base is not None
    check(program, x)


# -- several views at once ---------------------------------------------------------------------


SPLITS = {
    "unbind": lambda T, x: T.unbind(x, 1),
    "split": lambda T, x: T.split(x, 2, dim=-1),
    "split-sizes": lambda T, x: x.split([1, 0, x.shape[0] - 1]),
    "chunk": lambda T, x: T.chunk(x, 3, -1),
    "chunk-many": lambda T, x: x.chunk(7),
    "tensor_split": lambda T, x: T.tensor_split(x, 3, dim=1),
    "tensor_split-indices": lambda T, x: x.tensor_split([1, 3, 9], dim=-1),
    "tensor_split-tensor": lambda T, x: x.tensor_split(T.tensor([1, 2]), 0),
}


@spec("torch.split-chunk")
@pytest.mark.parametrize("name", sorted(SPLITS))
@given(x=tensors(shape=shapes(min_dims=2, max_dims=3, min_side=1, max_side=5),
                 layouts=("contiguous", "transposed", "strided")))
def test_pieces_are_views(check, name, x):
    f = SPLITS[name]
    check(lambda T, d, x: [(p, _meta(p, x)) for p in f(T, x)], x, strides=True)


@spec("torch.split-chunk")
@pytest.mark.parametrize("name", sorted(SPLITS))
@given(x=tensors(shape=(4, 5), dtype="float64", requires_grad=True), keep=st.integers(0, 3))
def test_pieces_gradient(check, name, x, keep):
    f = SPLITS[name]
    check(lambda T, d, x: f(T, x)[:keep + 1], x, grad=True, autograd=True)


@spec("torch.split-chunk")
@pytest.mark.parametrize("expr", [
    "x.split([1, 1])", "x.split(-1)", "x.split(0)", "x.sum().split(1)", "x.chunk(0)",
    "x.sum().unbind()", "x.tensor_split(0)", "x.tensor_split(T.tensor([[1]]))",
    "x.unbind(2)", "T.zeros(0, 2).split(0)", "T.zeros(0, 2).chunk(3)",
])
def test_split_errors_and_edge_cases(check, expr):
    f = eval(f"lambda T, d, x: {expr}")  # noqa: S307 - the test's own expressions
    check(f, np.arange(12, dtype=np.float32).reshape(3, 4), strides=True)


# -- complex numbers as pairs of reals ---------------------------------------------------------


@spec("torch.views.complex")
@given(a=tensors(dtype=st.sampled_from(["float32", "float64"]),
                 shape=shapes(min_dims=1, max_dims=3, min_side=1), requires_grad=True),
       scale=st.floats(-2, 2))
def test_real_imag_and_view_as_real(check, a, scale):
    # not empty: torch's view_as_real backward rejects the zero-stride gradient of an empty
    # view ("Tensor must have a last dimension with stride 1")
    def program(T, d, a):
        z = T.complex(a, a * scale)               # complex, differentiable through a
        r, i, v = z.real, z.imag, T.view_as_real(z)
        back = T.view_as_complex(v)
        meta = [(tuple(t.shape), t.stride(), t.storage_offset(), t._base is z, t.dtype,
                 type(t.grad_fn).__name__) for t in (r, i, v)]
        return (r * 2 + i * 3 + v.sum(-1)), meta, back.dtype, back.stride(), \
            T.real(z).data_ptr() == z.data_ptr(), T.real(a) is a
    check(program, a, grad=True)


@spec("torch.views.complex")
@given(z=tensors(dtype=st.sampled_from(["complex64", "complex128"]),
                 shape=shapes(min_dims=1, max_dims=3)))
def test_writes_through_real_and_imag(check, z):
    def program(T, d, z):
        z = z.clone()
        z.real.mul_(2)
        z.imag.fill_(7)
        v = T.view_as_real(z)
        v[..., 0] += 1
        return z, z._version, v.stride(), z.real.stride(), z.imag.storage_offset()
    check(program, z)


@spec("torch.views.complex")
@pytest.mark.parametrize("case", ["real-of-float", "imag-of-float", "complex-of-int",
                                  "complex-last-3", "complex-last-stride", "complex-odd-stride",
                                  "complex-odd-offset", "complex-0-dim"])
def test_complex_view_errors(check, case):
    def program(T, d):
        return {
            "real-of-float": lambda: T.view_as_real(T.ones(3)),
            "imag-of-float": lambda: T.ones(3).imag,
            "complex-of-int": lambda: T.view_as_complex(T.ones(3, 2, dtype=T.int32)),
            "complex-last-3": lambda: T.view_as_complex(T.ones(3, 3)),
            "complex-last-stride": lambda: T.view_as_complex(T.ones(2, 2).t()),
            "complex-odd-stride": lambda: T.view_as_complex(T.ones(3, 3)[:, :2]),
            "complex-odd-offset": lambda: T.view_as_complex(T.ones(7)[1:].view(3, 2)),
            "complex-0-dim": lambda: T.view_as_complex(T.tensor(1.0)),
        }[case]()
    check(program)
