"""Tensor model: storage and views, strides, the _ suffix, the attributes of 003."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput
from conformance.strategies import ALL_DTYPES, FLOAT_DTYPES, shapes, tensors


def _layout(T, x):
    return tuple(x.shape), x.stride(), x.storage_offset(), x.is_contiguous()


def _ptr_offset(x, base):
    return x.data_ptr() - base.data_ptr()


@spec("torch.Tensor.storage-view")
@given(x=tensors(shape=shapes(min_dims=2, max_dims=4, min_side=1)))
def test_views_share_storage_with_torch_strides(check, x):
    def program(T, d, x):
        views = [x.t() if x.dim() == 2 else x.transpose(0, -1), x.transpose(0, 1),
                 x.select(0, -1), x.select(1, 0)]
        return [(_layout(T, v), _ptr_offset(v, x), v._base is x or v._base is x._base,
                 v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr())
                for v in views]
    check(program, x)


@spec("torch.Tensor.storage-view")
@given(x=tensors(dtype=st.sampled_from(FLOAT_DTYPES), shape=(3, 4),
                 layouts=("contiguous", "transposed")))
def test_write_through_view_is_seen_by_base(check, x):
    def program(T, d, x):
        v = x.t().select(0, 1)
        v.add_(100)
        return x, v, x._version, v._version
    check(program, x)


@spec("torch.Tensor.view")
@given(x=tensors(shape=shapes(min_dims=1, max_dims=3, min_side=1)),
       target=st.sampled_from([(-1,), (1, -1), (-1, 1), (2, -1), (-1, 2, 1), (5,)]))
def test_view_strides_or_errors(check, x, target):
    check(lambda T, d, x: (_layout(T, x.view(*target)), x.view(target).data_ptr() == x.data_ptr()),
          x)


@spec("torch.Tensor.view")
@given(x=tensors(shape=shapes(min_dims=1, max_dims=3, min_side=1)))
def test_reshape_is_a_view_when_possible(check, x):
    check(lambda T, d, x: (T.reshape(x, (-1,)), x.reshape(-1).data_ptr() == x.data_ptr()), x)


@spec("torch.Tensor.contiguous")
@given(x=tensors(shape=shapes(min_dims=0, max_dims=3)))
def test_contiguous_copies_only_when_needed(check, x):
    def program(T, d, x):
        c = x.contiguous()
        return c, c.is_contiguous(), x.is_contiguous(), c.data_ptr() == x.data_ptr(), c is x
    check(program, x, strides=True)


@spec("torch.Tensor.layout-preserved")
@given(x=tensors(shape=shapes(min_dims=1, max_dims=3)))
def test_elementwise_output_keeps_input_layout(check, x):
    check(lambda T, d, x: ((x + 1).stride(), x.sigmoid().stride(), (x * x).stride()), x)


@spec("torch.Tensor.add-returns-new")
@given(a=tensors(shape=(2, 3), dtype=st.sampled_from(FLOAT_DTYPES)),
       b=tensors(shape=(3,), dtype=st.sampled_from(FLOAT_DTYPES)))
def test_add_method_returns_new_tensor(check, a, b):
    check(lambda T, d, a, b: (a.add(b), a.add(b) is a, a._version), a, b)


@spec("torch.Tensor.inplace-suffix")
@given(a=tensors(shape=(2, 3), dtype=st.sampled_from(ALL_DTYPES),
                 layouts=("contiguous", "transposed", "strided")),
       b=tensors(shape=st.sampled_from([(3,), (2, 3), (1, 3), ()]),
                 dtype=st.sampled_from(ALL_DTYPES)))
def test_add_inplace_modifies_self(check, a, b):
    def program(T, d, a, b):
        ptr = a.data_ptr()
        r = a.add_(b)
        return r is a, a.data_ptr() == ptr, a, a._version
    check(program, a, b, strides=True)


@spec("torch.Tensor.inplace-suffix")
@given(a=tensors(shape=(3,), dtype="float32"), b=tensors(shape=(2, 3), dtype="float32"))
def test_inplace_result_must_keep_self_shape(check, a, b):
    check(lambda T, d, a, b: a.mul_(b), a, b)


@spec("torch.Tensor.inplace-suffix")
def test_inplace_on_leaf_requiring_grad_is_error(check):
    check(lambda T, d, x: x.add_(1), TensorInput(np.ones(3, np.float32), requires_grad=True))


@spec("torch.Tensor.dtypes")
@given(dtype=st.sampled_from(ALL_DTYPES), x=tensors(shape=(2,), dtype="float64", special=False))
def test_dtype_conversions(check, dtype, x):
    check(lambda T, d, x: (x.to(getattr(T, dtype)), x.float(), x.double().dtype, x.long(),
                           x.to(getattr(T, dtype)).dtype, T.get_default_dtype()), x)


@spec("torch.Tensor.shape")
@given(x=tensors())
def test_shape_size_dim_numel(check, x):
    check(lambda T, d, x: (x.shape, x.size(), x.dim(), x.ndim, x.numel(),
                           [x.size(i) for i in range(-x.dim(), x.dim())],
                           x.shape == x.size()), x)


@spec("torch.Tensor.methods")
@given(x=tensors(shape=(3, 3), dtype=st.sampled_from(FLOAT_DTYPES),
                 special=False).map(lambda t: type(t)(t.base.round(), t.layout)))
def test_methods_mirror_functions(check, x):
    """Integer-valued inputs: the products are exact, so the comparison is about the method
    being the function, not about BLAS summation order (test_mm_values covers rounding)."""
    check(lambda T, d, x: (x.sum(), T.sum(x), x.mm(x), T.mm(x, x), x.sigmoid(), T.sigmoid(x)),
          x)


@spec("torch.Tensor.attr-data")
def test_data_is_a_detached_alias(check):
    def program(T, d, x):
        y = x * 2
        data = y.data
        return (data.requires_grad, data.grad_fn is None, data.data_ptr() == y.data_ptr(),
                data.is_leaf)
    check(program, TensorInput(np.ones(3, np.float32), requires_grad=True))


@spec("torch.Tensor.attr-device")
@given(x=tensors(shape=(2,), dtype="float32"))
def test_device_attribute_and_moves(check, x):
    # the oracle runs on cpu: the program compares the device with the side's own `d`
    check(lambda T, d, x: (x.device.type == d, x.cpu().device, x.cpu(), x.to("cpu").device,
                           T.device("cpu"), x.to(x.device) is x, x.to(d).device == x.device),
          x)


@spec("torch.Tensor.attr-grad-fn")
def test_grad_fn_names(check):
    def program(T, d, x, m):
        return [type(t.grad_fn).__name__ for t in
                (x + 1, x * 2, x.sigmoid(), x.relu(), x.tanh(), x.sum(), x.sum(0), m.mm(m),
                 x.t(), x.transpose(0, 1), x.select(0, 1), x.view(-1), x.t().contiguous(),
                 x - 1, x / 2)] + [x.grad_fn]
    check(program, TensorInput(np.ones((2, 2), np.float32), requires_grad=True),
          TensorInput(np.ones((2, 2), np.float32), requires_grad=True))


@spec("torch.Tensor.attr-requires-grad")
@given(dtype=st.sampled_from(ALL_DTYPES))
def test_requires_grad_only_for_floating(check, dtype):
    def program(T, d):
        x = T.zeros(2, dtype=getattr(T, dtype))
        return x.requires_grad, x.requires_grad_().requires_grad
    check(program)


@spec("torch.Tensor.attr-is-leaf")
def test_is_leaf(check):
    def program(T, d, x):
        y = x * 2
        z = T.ones(2)
        return x.is_leaf, y.is_leaf, z.is_leaf, (z * 2).is_leaf, y.detach().is_leaf
    check(program, TensorInput(np.ones(2, np.float32), requires_grad=True))


@spec("torch.Tensor.retain-grad")
def test_retain_grad_keeps_non_leaf_gradient(check):
    check(_retain, TensorInput(np.arange(3, dtype=np.float32), requires_grad=True))


def _retain(T, d, x):
    a = x * 3
    b = x * 4
    a.retain_grad()
    (a * b).sum().backward()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b_grad = b.grad
    return a.grad, b_grad, x.grad, a.retains_grad, b.retains_grad


def _cpu_only(backend):
    if backend.device != "cpu":
        pytest.skip(reason="numpy() exists for cpu tensors only (on cuda both torch and refimpl "
                    "raise TypeError), and the oracle runs on cpu")


@spec("torch.Tensor.numpy")
@given(x=tensors(dtype=st.sampled_from(ALL_DTYPES), layouts=("contiguous",)))
def test_numpy_shares_memory(check, backend, x):
    _cpu_only(backend)
    def program(T, d, x):
        a = x.numpy()
        if a.size:
            a.reshape(-1)[0] = 1
        back = T.from_numpy(a)
        return x, back, back.data_ptr() == x.data_ptr()
    check(program, x)


@spec("torch.Tensor.numpy")
def test_numpy_refuses_tensor_requiring_grad(check, backend):
    _cpu_only(backend)
    check(lambda T, d, x: x.numpy(), TensorInput(np.ones(2, np.float32), requires_grad=True))


@spec("torch.Tensor.dtypes")
@given(x=tensors(shape=(2, 3), dtype=st.sampled_from(FLOAT_DTYPES)))
def test_to_with_copy_true_copies(check, x):
    def program(T, d, x):
        y = x.to(x.dtype, copy=True)
        return y, y.data_ptr() == x.data_ptr(), x.to(x.dtype) is x
    check(program, x, strides=True)
