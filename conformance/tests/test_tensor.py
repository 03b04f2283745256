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


# -- storage ----------------------------------------------------------------------------------


@spec("torch.Tensor.storage-numel")
@given(x=tensors(shape=shapes(min_dims=2, max_dims=3, min_side=2), layouts=("contiguous",)))
def test_storage_sizes_of_tensor_and_views(check, x):
    def program(T, d, x):
        out = []
        for v in (x, x[1:2], x.t() if x.dim() == 2 else x.transpose(0, 1), x.select(0, 1)):
            out.append((v.untyped_storage().nbytes(), v.numel() * v.element_size(),
                        len(v.storage()), v.storage().size(), v.storage().dtype,
                        v.storage().data_ptr() == x.untyped_storage().data_ptr()))
        return out
    check(program, x)


@spec("torch.Tensor.storage-typed", "torch.Tensor.storage-device")
@given(x=tensors(shape=(2, 3), dtype=st.sampled_from(ALL_DTYPES), layouts=("contiguous",)))
def test_untyped_and_typed_storage(check, x):
    def program(T, d, x):
        u, s = x.untyped_storage(), x.storage()
        return (type(u) is T.UntypedStorage, len(u), u.nbytes(), list(u), hasattr(u, "dtype"),
                u.device == x.device, isinstance(s, T.TypedStorage), s.dtype, s.device,
                s.element_size(), s.tolist(), T.Storage is T.FloatStorage)
    check(program, x)


@spec("torch.Tensor.storage-legacy-dtypes")
@pytest.mark.parametrize("name", ["ByteStorage", "CharStorage", "FloatStorage", "DoubleStorage",
                                  "LongStorage"])
def test_legacy_storage_classes(check, name):
    check(lambda T, d: (getattr(T, name)(3).dtype, getattr(T, name)(3).size(),
                        issubclass(getattr(T, name), T.TypedStorage)))


# -- the Python protocol: item, len, iter, bool, float, int, index, tolist -----------------


@spec("torch.Tensor.python-protocol")
@given(x=tensors(shape=shapes(max_dims=2, max_side=3)))
def test_python_conversions(check, x):
    def program(T, d, x):
        out = [x.tolist(), x.dim(), x.ndim, x.nelement(), x.element_size()]
        for f in (lambda: x.item(), lambda: len(x), lambda: [t for t in x], lambda: bool(x),
                  lambda: float(x), lambda: int(x) if not x.dtype.is_floating_point or
                  bool(x.isfinite().all()) else None, lambda: x.__index__(),
                  lambda: [0, 1, 2, 3][x] if x.numel() == 1 and not x.dtype.is_floating_point
                  and 0 <= int(x) < 4 else None):
            try:
                out.append(f())
            except (TypeError, RuntimeError, ValueError) as e:
                out.append(type(e).__name__)
        return out
    check(program, x)


@spec("torch.Tensor.class")
@given(dtype=st.sampled_from(ALL_DTYPES))
def test_tensor_class_and_type_names(check, dtype):
    def program(T, d):
        x = T.zeros(2, dtype=getattr(T, dtype))
        return (type(x) is T.Tensor, type(x + x) is T.Tensor, isinstance(x[0], T.Tensor),
                x.type(), x.type(T.float64).dtype, T.is_tensor(x))
    check(program)


LEGACY_TYPES = ["FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "LongTensor",
                "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]


@spec("torch.Tensor.class")
@given(name=st.sampled_from(LEGACY_TYPES), dtype=st.sampled_from(ALL_DTYPES),
       case=st.sampled_from(["sizes", "data", "empty", "same-dtype", "float", "mixed"]))
def test_legacy_tensor_types(check, name, dtype, case):
    def program(T, d):
        cls = getattr(T, name)
        x = T.zeros(2, dtype=getattr(T, dtype))
        made = {"sizes": lambda: cls(2, 3), "data": lambda: cls([1, 0, 2]),
                "empty": lambda: cls(), "same-dtype": lambda: cls(T.ones(2, dtype=cls.dtype)),
                "float": lambda: cls(2.5), "mixed": lambda: cls([1, 2], 3)}[case]()
        return (isinstance(x, cls), issubclass(cls, T.Tensor), cls.dtype, type(made) is T.Tensor,
                made.dtype, made.shape, made.tolist() if case in ("data", "same-dtype") else None,
                x.type() == f"torch.{name}", x.type(f"torch.{name}").dtype)
    check(program)


@spec("torch.Tensor.legacy-constructor", "torch.Tensor.legacy-constructor.errors")
@pytest.mark.parametrize("case", ["sizes", "list-int", "list-bool", "empty", "float",
                                  "negative", "dtype-kw"])
def test_legacy_constructor(check, case):
    def program(T, d):
        t = {"sizes": lambda: T.Tensor(2, 3), "list-int": lambda: T.Tensor([1, 2]),
             "list-bool": lambda: T.Tensor([True, False]), "empty": lambda: T.Tensor(),
             "float": lambda: T.Tensor(2.5), "negative": lambda: T.Tensor(-1),
             "dtype-kw": lambda: T.Tensor(2, dtype=T.int64)}[case]()
        return t.shape, t.dtype, t.stride(), t.tolist() if case.startswith("list") else None
    check(program)


@spec("torch.Tensor.clone")
@given(x=tensors(dtype=st.sampled_from(FLOAT_DTYPES + ("int64",)),
                 layouts=("contiguous", "transposed", "strided", "expanded")))
def test_clone_copies_with_dense_layout(check, x):
    def program(T, d, x):
        c = x.clone()
        c.add_(1)  # the copy's writes leave x alone
        return c, x, c.data_ptr() != x.data_ptr() or x.numel() == 0, c._base is None
    check(program, x, strides=True)


# -- shape clauses of 003 ------------------------------------------------------------------


@spec("torch.Tensor.mask-assign")
@given(x=tensors(shape=(3, 4), dtype=st.sampled_from(FLOAT_DTYPES),
                 layouts=("contiguous", "transposed")))
def test_mask_assignment(check, x):
    def program(T, d, x):
        v = x._version
        x[x < 0] = 0.0
        return x, x._version > v
    check(program, x)


@spec("torch.Tensor.mask-assign")
def test_mask_of_other_shape_is_error(check):
    def program(T, d, x):
        x[T.tensor([True, False])] = 0.0
    check(program, np.ones((3, 4), np.float32))


@spec("torch.Tensor.unsqueeze")
@given(x=tensors(shape=shapes(max_dims=3)), dim=st.integers(-5, 4))
def test_unsqueeze(check, x, dim):
    check(lambda T, d, x: (x.unsqueeze(dim), x.unsqueeze(dim).storage_offset(),
                           T.unsqueeze(x, dim)._base is not None), x, strides=True)


@spec("torch.Tensor.expand-as")
@given(x=tensors(shape=st.sampled_from([(1, 3), (3,), (1,), (2, 1, 3), (2, 2)])))
def test_expand_as(check, x):
    def program(T, d, x):
        e = x.expand_as(T.zeros(2, 2, 3, device=d))
        e.data_ptr()
        try:
            e.add_(1)
        except RuntimeError as err:
            return e, e.data_ptr() == x.data_ptr(), type(err).__name__
        return e
    check(program, x, strides=True)


@spec("torch.Tensor.squeeze")
@given(x=tensors(shape=shapes(max_dims=4, max_side=2)), dims=st.one_of(
    st.none(), st.integers(-4, 3), st.lists(st.integers(-4, 3), max_size=3).map(tuple)))
def test_squeeze(check, x, dims):
    check(lambda T, d, x: (x.squeeze() if dims is None else x.squeeze(dims),
                           T.squeeze(x) if dims is None else T.squeeze(x, dims), x.sum(0)
                           if x.dim() else x), x, strides=True)


@spec("torch.Tensor.t")
@given(x=tensors(shape=shapes(max_dims=3, max_side=3)))
def test_t(check, x):
    check(lambda T, d, x: (x.t(), T.t(x).data_ptr() == x.data_ptr() or x.numel() == 0), x,
          strides=True)


@spec("torch.Tensor.size-dim")
@given(x=tensors(shape=shapes(max_dims=3)), dim=st.integers(-4, 3))
def test_size_of_dim(check, x, dim):
    check(lambda T, d, x: (x.size(dim), type(x.size(dim)) is int, x.stride(dim)), x)


@spec("torch.Tensor.basic-indexing")
@given(x=tensors(shape=(2, 3, 4), layouts=("contiguous",)), t=st.integers(-4, 3))
def test_select_middle_dim_by_indexing(check, x, t):
    check(lambda T, d, x: (x[:, t, :], x[:, t, :].storage_offset(),
                           x[:, t, :]._base is not None), x, strides=True)


@spec("torch.Tensor.memory-format")
@given(x=tensors(shape=st.tuples(*[st.integers(1, 3)] * 4)),
       fmt=st.sampled_from(["channels_last", "contiguous_format", "preserve_format"]))
def test_memory_formats(check, x, fmt):
    def program(T, d, x):
        f = getattr(T, fmt)
        c = x.contiguous(memory_format=f) if fmt != "preserve_format" else x.contiguous()
        return (repr(f), isinstance(f, T.memory_format), c, c.stride(), c is x,
                c.is_contiguous(), c.is_contiguous(memory_format=T.channels_last),
                x.clone(memory_format=f).stride(), T.empty_like(x, memory_format=f).stride(),
                T.zeros_like(x, memory_format=f).stride(), x.to(memory_format=f).stride(),
                (c + 1).stride(), c.sigmoid().stride(), (c * c).stride())
    check(program, x)


@spec("torch.Tensor.memory-format")
def test_memory_format_factories_and_3d(check):
    def program(T, d):
        z = T.arange(720.0).reshape(2, 3, 4, 5, 6).contiguous(memory_format=T.channels_last_3d)
        return (T.empty(2, 3, 4, 5, memory_format=T.channels_last).stride(),
                T.empty(2, 3, memory_format=T.contiguous_format).stride(), z, z.stride(),
                z.is_contiguous(memory_format=T.channels_last_3d),
                z.is_contiguous(memory_format=T.channels_last),
                T.ones(1, 3, 1, 1).is_contiguous(memory_format=T.channels_last),
                T.ones(2, 3).is_contiguous(memory_format=T.channels_last),
                repr(T.channels_last_3d), repr(T.contiguous_format), repr(T.preserve_format))
    check(program)


@spec("torch.Tensor.memory-format")
@pytest.mark.parametrize("case", ["rank-2-channels-last", "rank-4-channels-last-3d",
                                  "string-format", "clone-rank-3", "empty-preserve",
                                  "to-rank-2", "int-format"])
def test_memory_format_errors(check, case):
    def program(T, d):
        return {
            "rank-2-channels-last": lambda: T.ones(2, 3).contiguous(memory_format=T.channels_last),
            "rank-4-channels-last-3d": lambda: T.ones(1, 2, 3, 4).contiguous(
                memory_format=T.channels_last_3d),
            "string-format": lambda: T.ones(2).contiguous(memory_format="channels_last"),
            "clone-rank-3": lambda: T.ones(2, 3, 4).clone(memory_format=T.channels_last),
            "empty-preserve": lambda: T.empty(2, memory_format=T.preserve_format),
            "to-rank-2": lambda: T.ones(2, 3).to(memory_format=T.channels_last),
            "int-format": lambda: T.ones(2).is_contiguous(memory_format=1),
        }[case]()
    check(program)
