"""Indexing: x[index] (views for basic indices, copies for advanced ones, torch's result
layout), x[index] = value, gather/scatter, index_*, masked_*, take/put, nonzero: values,
dtypes, strides, aliasing, version counters, gradients and errors against torch."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput
from conformance.strategies import ALL_DTYPES, FLOAT_DTYPES, tensors

BASIC = ["x[1]", "x[-1, 2]", "x[:, 1:3]", "x[..., ::2]", "x[None, 1]", "x[1:2, None, ..., None, 2]",
         "x[:]", "x[:, :]", "x[...]", "x[()]", "x[..., ...]", "x[1:1]", "x[10:]", "x[-9:2]",
         "x[::3, ::2, 1:]", "x[T.tensor(1)]", "x[T.tensor(1), T.tensor(-1)]", "x[1][2]"]
ADVANCED = ["x[[0, 1]]", "x[:, [0, 2]]", "x[[0, 1], :, [1, 2]]", "x[[0, 1], [1, 2]]",
            "x[:, [[0], [1]], [1, 2]]", "x[x > 10]", "x[x[:, :, 0] > 5]", "x[True]", "x[False]",
            "x[1, None, [0, 1]]", "x[..., [0, 1], None]", "x[[]]",
            "x[:, T.tensor([], dtype=T.int64)]",
            "x[T.tensor([[True, False, True]] * 2)]", "x[T.tensor([True, False])]",
            "x[:, T.tensor([1, 2], dtype=T.int32)]", "x[T.tensor([1]), T.tensor([[0], [1]])]",
            "x[[True, False]]", "x[T.tensor([1, 0], dtype=T.uint8)]", "x[[-1, 0], ..., [-4, 3]]",
            "x[[[0, 1]]]", "x[[0, slice(None)]]"]
ERRORS = ["x[2]", "x[:, :, 4]", "x[-3]", "x[1.0]", "x[::-1]", "x[::0]", "x[1, 2, 3, 4]",
          "x[[0, 2]]", "x[:, [-4]]", "x[T.tensor([1.0])]", "x[T.tensor([0], dtype=T.int8)]",
          "x[T.tensor([True, False, True])]", "x.sum()[0]", "x.sum()[T.tensor(0)]",
          "x[..., None, 1, 2, 3]"]


def _program(expr):
    return eval(f"lambda T, d, x: {expr}")  # noqa: S307 - the test's own index expressions


def _layout(x, base):
    return (tuple(x.shape), x.stride(), x.storage_offset(), x._base is base,
            x.data_ptr() == base.data_ptr() + x.storage_offset() * x.element_size())


@spec("torch.indexing.basic")
@pytest.mark.parametrize("expr", BASIC)
@given(x=tensors(shape=(2, 3, 4), layouts=("contiguous",)))
def test_basic_indexing_is_a_view(check, expr, x):
    f = _program(expr)

    def program(T, d, x):
        v = f(T, d, x)
        return v, _layout(v, x) if v._base is not None else None
    check(program, x, strides=True)


@spec("torch.indexing.basic")
@given(x=tensors(shape=(2, 3, 4), layouts=("transposed", "strided", "expanded")),
       expr=st.sampled_from(BASIC))
def test_basic_indexing_of_non_contiguous(check, x, expr):
    check(_program(expr), x, strides=True)


@spec("torch.indexing.basic")
@given(x=tensors(shape=(2, 3, 4), dtype="float64", requires_grad=True,
                 layouts=("contiguous",)), expr=st.sampled_from(BASIC))
def test_basic_indexing_gradient(check, x, expr):
    check(_program(expr), x, grad=True, autograd=True)


@spec("torch.indexing.advanced")
@pytest.mark.parametrize("expr", ADVANCED)
@given(x=tensors(shape=(2, 3, 4), layouts=("contiguous", "transposed", "strided")))
def test_advanced_indexing_copies_with_torch_layout(check, expr, x):
    f = _program(expr)

    def program(T, d, x):
        r = f(T, d, x)
        return r, r._base is None
    check(program, x, strides=True)


@spec("torch.indexing.advanced")
@given(x=tensors(shape=(3, 4, 2), layouts=("contiguous",)), perm=st.permutations([0, 1, 2]),
       data=st.data())
def test_advanced_indexing_layout_of_permuted_input(check, x, perm, data):
    expr = data.draw(st.sampled_from(["x[[0, 1]]", "x[:, [0, 1]]", "x[:, :, [0, 1]]",
                                      "x[[0, 1], :, [0, 1]]", "x[:, [[0, 1], [1, 0]]]",
                                      "x[[[0, 1]], :, [[0], [1]]]", "x[x > 0]"]))
    f = _program(expr)
    check(lambda T, d, x: f(T, d, x.permute(*perm)), x, strides=True)


@spec("torch.indexing.advanced")
@given(x=tensors(shape=(2, 3, 4), dtype="float64", requires_grad=True,
                 layouts=("contiguous",)), expr=st.sampled_from(ADVANCED[:-2]))
def test_advanced_indexing_gradient(check, x, expr):
    check(_program(expr), x, grad=True, autograd=True)


@spec("torch.indexing.errors")
@pytest.mark.parametrize("expr", ERRORS)
def test_indexing_errors(check, expr):
    check(_program(expr), np.arange(24, dtype=np.float32).reshape(2, 3, 4))


@spec("torch.indexing.advanced")
@given(x=tensors(shape=(3, 4)), data=st.data())
def test_index_with_random_integer_tensors(check, x, data):
    rows = np.array(data.draw(st.lists(st.integers(-3, 2), max_size=5)), np.int64)
    cols = np.array(data.draw(st.lists(st.integers(-4, 3), min_size=1, max_size=1)), np.int64)
    check(lambda T, d, x, r, c: (x[r], x[r, :], x[:, c], x[r[:, None], c]), x, rows, cols,
          strides=True)


# -- setitem -----------------------------------------------------------------------------------


SETS = ["x[1] = v", "x[:, 1:3] = v", "x[..., ::2] = v", "x[None, 0] = v", "x[[0, 1]] = v",
        "x[:, [0, 2]] = v", "x[x > 10] = v", "x[[0, 1], :, [1, 2]] = v", "x[1, 1, 1] = v",
        "x[...] = v", "x[True] = v", "x[[1, 1], [0, 0]] = v"]


def _setter(stmt):
    ns = {}
    exec(f"def setter(T, x, v):\n    {stmt}\n", ns)  # noqa: S102 - the test's own statements
    return ns["setter"]


@spec("torch.indexing.setitem")
@pytest.mark.parametrize("stmt", SETS)
@given(x=tensors(shape=(2, 3, 4), dtype=st.sampled_from(ALL_DTYPES),
                 layouts=("contiguous", "transposed")),
       value=st.one_of(st.integers(0, 100), st.floats(0, 5), st.booleans()),
       as_tensor=st.booleans())
def test_setitem_writes_in_place(check, stmt, x, value, as_tensor):
    setter = _setter(stmt)

    def program(T, d, x):
        ptr, version = x.data_ptr(), x._version
        v = T.tensor(value, dtype=x.dtype, device=d) if as_tensor else value
        setter(T, x, v)
        return x, x.data_ptr() == ptr, x._version > version
    check(program, x, strides=True)


@spec("torch.indexing.setitem")
@given(x=tensors(shape=(2, 3, 4), dtype=st.sampled_from(FLOAT_DTYPES),
                 layouts=("contiguous", "transposed", "strided")), data=st.data(),
       stmt=st.sampled_from(["x[1] = v", "x[:, 1:3] = v", "x[[0, 1]] = v", "x[:, [0, 2]] = v"]))
def test_setitem_broadcasts_tensor_values(check, x, data, stmt):
    target = {"x[1] = v": (3, 4), "x[:, 1:3] = v": (2, 2, 4), "x[[0, 1]] = v": (2, 3, 4),
              "x[:, [0, 2]] = v": (2, 2, 4)}[stmt]
    shape = data.draw(st.sampled_from([target, target[1:], (1,) + target[1:], (1, 4), (4,),
                                       (), (1,) + target, (3,)]))
    v = data.draw(tensors(shape=shape, dtype=st.sampled_from(ALL_DTYPES)))
    setter = _setter(stmt)

    def program(T, d, x, v):
        setter(T, x, v)
        return x
    check(program, x, v)


@spec("torch.indexing.setitem")
@pytest.mark.parametrize("case", ["list-value", "dtype-mismatch-advanced", "shape-mismatch",
                                  "leaf-view", "leaf-advanced", "complex-into-float",
                                  "overflow"])
def test_setitem_errors(check, case):
    def program(T, d, x):
        if case == "list-value":
            x[0] = [1.0, 2.0, 3.0, 4.0]
        elif case == "dtype-mismatch-advanced":
            x[[0]] = T.ones(1, 3, 4, dtype=T.float64)
        elif case == "shape-mismatch":
            x[[0, 1]] = T.ones(4, 3)
        elif case == "leaf-view":
            x.requires_grad_()
            x[0] = 1.0
        elif case == "leaf-advanced":
            x.requires_grad_()
            x[[0]] = 1.0
        elif case == "complex-into-float":
            x[0] = 1j
        else:
            x.int()[0] = 2 ** 40
        return x
    check(program, np.zeros((2, 3, 4), np.float32))


@spec("torch.indexing.setitem-autograd")
@given(x=tensors(shape=(3, 4), dtype="float64", requires_grad=True, layouts=("contiguous",)),
       v=tensors(shape=st.sampled_from([(), (4,), (2, 4)]), dtype="float64",
                 requires_grad=True, layouts=("contiguous",)),
       stmt=st.sampled_from(["y[1:3] = v", "y[[0, 2]] = v", "y[y > 0] = v.sum()"]))
def test_setitem_gradient_flows_to_base_and_value(check, x, v, stmt):
    setter = _setter(stmt)

    def program(T, d, x, v):
        y = x * 2
        setter(T, y, v)
        return y
    check(program, x, v, grad=True, autograd=True)


# -- gather and scatter ----------------------------------------------------------------------------


@st.composite
def gather_args(draw, dtypes=ALL_DTYPES, requires_grad=False, unique=False):
    """(input, dim, index) with index no larger than input outside dim; with `unique`, no
    two index entries along dim collide (scatter's result is then defined)."""
    shape = draw(st.sampled_from([(3,), (2, 3), (3, 2, 2), (4, 3)]))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    d = dim % len(shape)
    ishape = tuple(draw(st.integers(0 if k != d else 0, n)) for k, n in enumerate(shape))
    x = draw(tensors(shape=shape, dtype=st.sampled_from(dtypes), requires_grad=requires_grad,
                     layouts=("contiguous", "transposed")))
    n = shape[d]
    if unique:
        ishape = ishape[:d] + (min(ishape[d], n),) + ishape[d + 1:]
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
        index = np.argsort(rng.random(ishape[:d] + (n,) + ishape[d + 1:]), axis=d)
        index = np.take(index, np.arange(ishape[d]), axis=d).astype(np.int64)
    else:
        index = draw(st.lists(st.integers(0, n - 1), min_size=int(np.prod(ishape)),
                              max_size=int(np.prod(ishape))))
        index = np.array(index, np.int64).reshape(ishape)
    return x, dim, index


@spec("torch.gather")
@given(args=gather_args())
def test_gather(check, args):
    x, dim, index = args
    check(lambda T, d, x, i: (T.gather(x, dim, i), x.gather(dim, i)), x, index, strides=True)


@spec("torch.gather")
@given(args=gather_args(dtypes=FLOAT_DTYPES, requires_grad=True))
def test_gather_gradient(check, args):
    x, dim, index = args
    check(lambda T, d, x, i: T.gather(x, dim, i), x, index, grad=True, autograd=True)


@spec("torch.gather")
@pytest.mark.parametrize("case", ["int32", "ndim", "size", "range", "negative"])
def test_gather_errors(check, case):
    index = {"int32": np.zeros((1, 3), np.int32), "ndim": np.zeros(2, np.int64),
             "size": np.zeros((1, 4), np.int64), "range": np.full((1, 3), 5, np.int64),
             "negative": np.full((1, 3), -1, np.int64)}[case]
    check(lambda T, d, x, i: T.gather(x, 0, i), np.ones((2, 3), np.float32), index)


@spec("torch.scatter")
@given(args=gather_args(unique=True), data=st.data())
def test_scatter_src_and_value(check, args, data):
    x, dim, index = args
    src = data.draw(tensors(shape=index.shape, dtype=x.base.dtype, layouts=("contiguous",)))
    value = data.draw(st.integers(0, 1) if x.base.dtype == np.bool_ else st.integers(0, 9))

    def program(T, d, x, i, s):
        y = x.clone()
        return (T.scatter(x, dim, i, s), x.scatter(dim, i, value), y.scatter_(dim, i, s),
                y, y._version)
    check(program, x, index, src, strides=True)


@spec("torch.scatter")
@given(args=gather_args(dtypes=FLOAT_DTYPES + ("int64",)), data=st.data(),
       reduce=st.sampled_from(["add", "multiply"]))
def test_scatter_reduce_add_multiply_and_scatter_add(check, args, data, reduce):
    x, dim, index = args
    src = data.draw(tensors(shape=index.shape, dtype=x.base.dtype, layouts=("contiguous",),
                            special=False, min_value=-3, max_value=3))
    check(lambda T, d, x, i, s: (T.scatter(x, dim, i, s, reduce=reduce),
                                 T.scatter(x, dim, i, 2, reduce=reduce),
                                 T.scatter_add(x, dim, i, s), x.clone().scatter_add_(dim, i, s)),
          x, index, src)


@spec("torch.scatter")
@given(args=gather_args(dtypes=FLOAT_DTYPES, requires_grad=True, unique=True), data=st.data())
def test_scatter_gradient(check, args, data):
    x, dim, index = args
    src = data.draw(tensors(shape=index.shape, dtype="float64", requires_grad=True,
                            layouts=("contiguous",)))
    check(lambda T, d, x, i, s: (T.scatter(x, dim, i, s.to(x.dtype)), T.scatter(x, dim, i, 1.5),
                                 T.scatter_add(x, dim, i, s.to(x.dtype))),
          x, index, src, grad=True, autograd=True)


@spec("torch.scatter")
@pytest.mark.parametrize("case", ["dtype", "src-small", "index-large", "reduce-name",
                                  "range"])
def test_scatter_errors(check, case):
    def program(T, d, x, i):
        return {"dtype": lambda: x.scatter(0, i, x.double()),
                "src-small": lambda: x.scatter(0, i, x[:1, :2]),
                "index-large": lambda: x.scatter(0, T.zeros(3, 3, dtype=T.int64), x),
                "reduce-name": lambda: x.scatter(0, i, 1.0, reduce="mean"),
                "range": lambda: x.scatter(0, i + 5, x)}[case]()
    check(program, np.ones((2, 3), np.float32), np.array([[0, 1, 1]], np.int64))


@spec("torch.scatter_reduce")
@given(args=gather_args(dtypes=FLOAT_DTYPES + ("int64",)), data=st.data(),
       reduce=st.sampled_from(["sum", "prod", "mean", "amax", "amin"]),
       include_self=st.booleans())
def test_scatter_reduce(check, args, data, reduce, include_self):
    x, dim, index = args
    src = data.draw(tensors(shape=index.shape, dtype=x.base.dtype, layouts=("contiguous",),
                            special=False, min_value=-3, max_value=3))
    check(lambda T, d, x, i, s: (T.scatter_reduce(x, dim, i, s, reduce, include_self=include_self),
                                 x.clone().scatter_reduce_(dim, i, s, reduce,
                                                           include_self=include_self)),
          x, index, src)


@spec("torch.scatter_reduce")
@given(args=gather_args(dtypes=("float64",), requires_grad=True), data=st.data(),
       reduce=st.sampled_from(["sum", "mean", "amax", "amin", "prod"]),
       include_self=st.booleans())
def test_scatter_reduce_gradient(check, args, data, reduce, include_self):
    x, dim, index = args
    src = data.draw(tensors(shape=index.shape, dtype="float64", requires_grad=True,
                            layouts=("contiguous",), special=False, min_value=0.5,
                            max_value=3))
    x = TensorInput(np.abs(np.nan_to_num(x.base, posinf=1, neginf=1)) % 3 + 0.5, x.layout, True)
    check(lambda T, d, x, i, s: T.scatter_reduce(x, dim, i, s, reduce, include_self=include_self),
          x, index, src, grad=True, autograd=True)


# -- index_select, index_add, index_copy, index_fill -----------------------------------------------


@st.composite
def index_args(draw, dtypes=ALL_DTYPES, requires_grad=False, unique=False):
    shape = draw(st.sampled_from([(3,), (2, 3), (3, 2, 2)]))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[dim]
    x = draw(tensors(shape=shape, dtype=st.sampled_from(dtypes), requires_grad=requires_grad,
                     layouts=("contiguous", "transposed")))
    if unique:
        index = draw(st.permutations(range(n)))[:draw(st.integers(0, n))]
    else:
        index = draw(st.lists(st.integers(0, n - 1), max_size=4))
    return x, dim, np.array(index, np.int64)


@spec("torch.index_select")
@given(args=index_args(), int32=st.booleans())
def test_index_select(check, args, int32):
    x, dim, index = args
    check(lambda T, d, x, i: (T.index_select(x, dim, i), x.index_select(dim, i)), x,
          index.astype(np.int32) if int32 else index, strides=True)


@spec("torch.index_select")
@given(args=index_args(dtypes=FLOAT_DTYPES, requires_grad=True))
def test_index_select_gradient(check, args):
    x, dim, index = args
    check(lambda T, d, x, i: x.index_select(dim, i), x, index, grad=True, autograd=True)


@spec("torch.index_select")
@pytest.mark.parametrize("index", [np.zeros((1, 1), np.int64), np.array([5]),
                                   np.array([0.0], np.float32), np.array([-1])])
def test_index_select_errors(check, index):
    check(lambda T, d, x, i: x.index_select(0, i), np.ones((2, 3), np.float32), index)


@spec("torch.index_add-copy-fill")
@given(args=index_args(dtypes=FLOAT_DTYPES + ("int64", "int32")), data=st.data(),
       alpha=st.sampled_from([1, 2]))
def test_index_add_copy_fill(check, args, data, alpha):
    x, dim, index = args
    shape = list(x.value().shape)
    shape[dim] = len(index)
    src = data.draw(tensors(shape=tuple(shape), dtype=x.base.dtype, layouts=("contiguous",),
                            special=False, min_value=-5, max_value=5))
    unique = np.array(sorted(set(index.tolist())), np.int64)
    usrc = np.take(src.base, np.arange(len(unique)), axis=dim % len(shape))

    def program(T, d, x, i, s, u, us):
        y = x.clone()
        return (T.index_add(x, dim, i, s, alpha=alpha), y.index_add_(dim, i, s), y,
                T.index_copy(x, dim, u, us), x.index_fill(dim, i, 3),
                x.clone().index_fill_(dim, i, T.tensor(-1, dtype=x.dtype)))
    check(program, x, index, src, unique, usrc, strides=True)


@spec("torch.index_add-copy-fill")
@given(args=index_args(dtypes=("float64",), requires_grad=True, unique=True), data=st.data())
def test_index_add_copy_fill_gradient(check, args, data):
    x, dim, index = args
    shape = list(x.value().shape)
    shape[dim] = len(index)
    src = data.draw(tensors(shape=tuple(shape), dtype="float64", requires_grad=True,
                            layouts=("contiguous",)))
    check(lambda T, d, x, i, s: (x.index_add(dim, i, s, alpha=2), x.index_copy(dim, i, s),
                                 x.index_fill(dim, i, 1.0)), x, index, src, grad=True,
          autograd=True)


@spec("torch.index_add-copy-fill")
@pytest.mark.parametrize("case", ["shape", "dtype", "range", "fill-1d-value"])
def test_index_add_copy_fill_errors(check, case):
    def program(T, d, x):
        i = T.tensor([1])
        return {"shape": lambda: x.index_add(0, i, T.ones(1, 2)),
                "dtype": lambda: x.index_copy(0, i, T.ones(1, 3, dtype=T.float64)),
                "range": lambda: x.index_add(0, T.tensor([5]), T.ones(1, 3)),
                "fill-1d-value": lambda: x.index_fill(0, i, T.tensor([5.0]))}[case]()
    check(program, np.ones((2, 3), np.float32))


# -- masks -----------------------------------------------------------------------------------------


@spec("torch.masked")
@given(x=tensors(shape=(2, 3)), mask_shape=st.sampled_from([(2, 3), (3,), (1, 3), (2, 1),
                                                            ()]), data=st.data())
def test_masked_fill_select_scatter(check, x, mask_shape, data):
    mask = data.draw(tensors(shape=mask_shape, dtype="bool", layouts=("contiguous",)))
    src = data.draw(tensors(shape=(7,), dtype=x.base.dtype, layouts=("contiguous",)))
    value = data.draw(st.sampled_from([0, 1]))

    def program(T, d, x, m, s):
        y = x.clone()
        return (T.masked_fill(x, m, value), x.masked_fill(m, T.tensor(value, dtype=x.dtype)),
                y.masked_fill_(m, value), y, T.masked_select(x, m), x.masked_scatter(m, s),
                x.clone().masked_scatter_(m, s))
    check(program, x, mask, src, strides=True)


@spec("torch.masked")
@given(x=tensors(shape=(2, 3), dtype="float64", requires_grad=True),
       m=tensors(shape=st.sampled_from([(2, 3), (3,)]), dtype="bool", layouts=("contiguous",)),
       s=tensors(shape=(7,), dtype="float64", requires_grad=True, layouts=("contiguous",)))
def test_masked_gradients(check, x, m, s):
    check(lambda T, d, x, m, s: (x.masked_fill(m, 2.0), x.masked_select(m),
                                 x.masked_scatter(m, s)), x, m, s, grad=True, autograd=True)


@spec("torch.masked")
@pytest.mark.parametrize("case", ["int-mask", "1d-value", "inplace-broadcast", "too-few",
                                  "scatter-dtype"])
def test_masked_errors(check, case):
    def program(T, d, x):
        m = x > 0
        return {"int-mask": lambda: x.masked_fill(m.long(), 1.0),
                "1d-value": lambda: x.masked_fill(m, T.tensor([1.0])),
                "inplace-broadcast": lambda: x[0].masked_fill_(m, 1.0),
                "too-few": lambda: x.masked_scatter(m, T.ones(2)),
                "scatter-dtype": lambda: x.masked_scatter(m, T.ones(9, dtype=T.float64))}[case]()
    check(program, np.ones((2, 3), np.float32))


# -- take, put, take_along_dim, nonzero ------------------------------------------------------------


@spec("torch.take-put")
@given(x=tensors(shape=(2, 3)), data=st.data(), accumulate=st.booleans())
def test_take_and_put(check, x, data, accumulate):
    index = np.array(data.draw(st.lists(st.integers(-6, 5), max_size=4, unique_by=lambda i: i % 6)),
                     np.int64)
    src = data.draw(tensors(shape=index.shape, dtype=x.base.dtype, layouts=("contiguous",),
                            special=False, min_value=-5, max_value=5))

    def program(T, d, x, i, s):
        y = x.clone()
        return (T.take(x, i), x.take(i.reshape(-1, 1)), T.put(x, i, s, accumulate=accumulate),
                y.put_(i, s, accumulate), y)
    check(program, x, index, src, strides=True)


@spec("torch.take-put")
@given(x=tensors(shape=(2, 3), dtype="float64", requires_grad=True),
       s=tensors(shape=(3,), dtype="float64", requires_grad=True, layouts=("contiguous",)))
def test_take_put_gradient(check, x, s):
    i = np.array([5, -6, 2], np.int64)
    check(lambda T, d, x, s, i: (T.take(x, i), T.put(x, i, s), T.put(x, i, s, accumulate=True)),
          x, s, i, grad=True, autograd=True)


@spec("torch.take-put")
@pytest.mark.parametrize("case", ["take-range", "take-int32", "put-range", "put-numel"])
def test_take_put_errors(check, case):
    def program(T, d, x):
        return {"take-range": lambda: x.take(T.tensor([6])),
                "take-int32": lambda: x.take(T.tensor([1], dtype=T.int32)),
                "put-range": lambda: x.clone().put_(T.tensor([1, 7]), T.ones(2)),
                "put-numel": lambda: x.clone().put_(T.tensor([1]), T.ones(2))}[case]()
    check(program, np.ones((2, 3), np.float32))


@spec("torch.take-put")
@given(x=tensors(shape=(2, 3), dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True),
       data=st.data())
def test_take_along_dim(check, x, data):
    dim = data.draw(st.sampled_from([None, 0, 1, -1]))
    shape = {None: (4,), 0: (3, 3), 1: (2, 4), -1: (1, 2)}[dim]
    n = 6 if dim is None else (2, 3)[dim]
    idx = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=int(np.prod(shape)),
                                      max_size=int(np.prod(shape)))), np.int64).reshape(shape)
    check(lambda T, d, x, i: T.take_along_dim(x, i, dim), x, idx, grad=True, autograd=True)


@spec("torch.nonzero")
@given(x=tensors())
def test_nonzero_argwhere_where(check, x):
    check(lambda T, d, x: (T.nonzero(x), x.nonzero(), T.argwhere(x),
                           T.nonzero(x, as_tuple=True), T.where(x)), x, strides=True)
