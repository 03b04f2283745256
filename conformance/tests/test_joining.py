"""Joining and copying: cat, stack and the ops built on them, flip, roll, repeat, tile, tril,
triu, diag: values, dtypes, layouts, gradients and errors against torch."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import ALL_DTYPES, FLOAT_DTYPES, shapes, tensors

# -- cat and stack ---------------------------------------------------------------------------------


@st.composite
def joinable(draw, dtypes=ALL_DTYPES, requires_grad=False, same_shape=False):
    """Up to three tensors that cat along a drawn dim (sizes along it vary unless
    `same_shape`), each with its own dtype and layout; and that dim, maybe negative."""
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    out = []
    for _ in range(draw(st.integers(1, 3))):
        s = list(shape)
        if not same_shape:
            s[dim] = draw(st.integers(0, 3))
        out.append(draw(tensors(dtype=st.sampled_from(dtypes), shape=tuple(s),
                                requires_grad=requires_grad)))
    return out, dim


@spec("torch.cat")
@given(args=joinable())
def test_cat_values_dtype_layout(check, args):
    xs, dim = args
    check(lambda T, d, *xs: (T.cat(xs, dim), T.concat(list(xs), dim=dim),
                             T.concatenate(xs, axis=dim)), *xs, strides=True)


@spec("torch.cat")
@given(args=joinable(dtypes=FLOAT_DTYPES, requires_grad=True))
def test_cat_gradient(check, args):
    xs, dim = args
    check(lambda T, d, *xs: T.cat(xs, dim), *xs, grad=True, autograd=True)


@spec("torch.cat")
@given(dtype=st.sampled_from(FLOAT_DTYPES), dim=st.integers(0, 3))
def test_cat_keeps_channels_last_only_when_all_inputs_are(check, dtype, dim):
    a = np.arange(2 * 3 * 2 * 2).reshape(2, 3, 2, 2).astype(dtype)

    def program(T, d, a):
        cl = a.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)  # channels-last strides
        return T.cat([cl, cl], dim), T.cat([cl, a], dim), T.cat([a, cl], dim)
    check(program, a, strides=True)


@spec("torch.cat")
@given(x=tensors(shape=(2, 3), dtype=st.sampled_from(FLOAT_DTYPES)))
def test_cat_out(check, x):
    def program(T, d, x):
        out = T.empty(0, dtype=x.dtype, device=d)
        r = T.cat([x, x], 1, out=out)
        return r is out, out
    check(program, x)


@spec("torch.cat.legacy-empty")
@pytest.mark.parametrize("parts", [
    [(0,), (2, 3)], [(2, 3), (0,)], [(0,), (0,)], [(0,)], [(0,), (2, 3), (0,), (1, 3)]])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat_skips_legacy_empty_tensors(check, parts, dim):
    arrays = [np.ones(p, np.float32) if i % 2 else np.zeros(p, np.int64)
              for i, p in enumerate(parts)]
    check(lambda T, d, *xs: T.cat(xs, dim), *arrays)


@spec("torch.cat.errors")
@pytest.mark.parametrize("case", [
    "empty", "tensor", "element", "zero-dim", "ndim", "size", "dim-high", "dim-low", "dim-none"])
def test_cat_errors(check, case):
    def program(T, d, x):
        return {
            "empty": lambda: T.cat([]),
            "tensor": lambda: T.cat(x),
            "element": lambda: T.cat([x, 1]),
            "zero-dim": lambda: T.cat([x.sum(), x.sum()]),
            "ndim": lambda: T.cat([x, x.select(0, 0)]),
            "size": lambda: T.cat([x, x.narrow(1, 0, 1)], 0),
            "dim-high": lambda: T.cat([x, x], 2),
            "dim-low": lambda: T.cat([x, x], -3),
            "dim-none": lambda: T.cat([x, x], None),
        }[case]()
    check(program, np.ones((2, 3), np.float32))


@spec("torch.stack")
@given(args=joinable(same_shape=True), new_dim=st.integers(-4, 3))
def test_stack_values_dtype_layout(check, args, new_dim):
    xs, _ = args
    check(lambda T, d, *xs: T.stack(xs, new_dim), *xs, strides=True)


@spec("torch.stack")
@given(args=joinable(dtypes=FLOAT_DTYPES, requires_grad=True, same_shape=True),
       new_dim=st.integers(-2, 1))
def test_stack_gradient(check, args, new_dim):
    xs, _ = args
    check(lambda T, d, *xs: T.stack(xs, new_dim), *xs, grad=True, autograd=True)


@spec("torch.stack")
@given(dtype=st.sampled_from(ALL_DTYPES))
def test_stack_of_zero_dim_tensors(check, dtype):
    check(lambda T, d, a, b: T.stack([a, b]), np.array(1, dtype), np.array(0, dtype))


@spec("torch.stack.errors")
@pytest.mark.parametrize("case", ["empty", "shapes", "dim", "tensor"])
def test_stack_errors(check, case):
    def program(T, d, x):
        return {
            "empty": lambda: T.stack([]),
            "shapes": lambda: T.stack([x, x.t()]),
            "dim": lambda: T.stack([x, x], 3),
            "tensor": lambda: T.stack(x),
        }[case]()
    check(program, np.ones((2, 3), np.float32))


@spec("torch.hstack-vstack")
@given(shape=st.sampled_from([(), (3,), (2, 3), (2, 3, 1)]), dtype=st.sampled_from(ALL_DTYPES),
       data=st.data())
def test_hstack_vstack_dstack_column_stack(check, shape, dtype, data):
    a = data.draw(tensors(dtype=dtype, shape=shape))
    b = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES), shape=shape))

    def program(T, d, a, b):
        out = []
        for f in (T.hstack, T.vstack, T.dstack, T.column_stack, T.row_stack):
            try:
                out.append(f([a, b]))
            except RuntimeError as e:  # torch's shape errors: compared by class
                out.append(type(e).__name__)
        return out, T.atleast_1d(a), T.atleast_2d(a), T.atleast_3d(a), T.atleast_2d(a, b)
    check(program, a, b, strides=True)


@spec("torch.hstack-vstack")
def test_hstack_empty_list_is_error(check):
    check(lambda T, d: T.hstack([]))


@spec("torch.flip")
@given(x=tensors(shape=shapes(max_dims=3)), data=st.data())
def test_flip_copies_and_keeps_layout(check, x, data):
    n = len(x.value().shape)
    dims = data.draw(st.lists(st.integers(-max(n, 1), max(n, 1) - 1), max_size=n, unique=True))

    def program(T, d, x):
        f = T.flip(x, dims)
        return f, f.data_ptr() != x.data_ptr() or f.numel() == 0, x.flip(*dims) if dims else f
    check(program, x, strides=True)


@spec("torch.flip")
@given(x=tensors(shape=shapes(min_dims=2, max_dims=3), dtype=st.sampled_from(FLOAT_DTYPES),
                 requires_grad=True))
def test_flip_gradient_and_lr_ud(check, x):
    check(lambda T, d, x: (T.flip(x, (0, -1)), T.fliplr(x), T.flipud(x)), x, grad=True,
          autograd=True)


@spec("torch.flip")
@pytest.mark.parametrize("case", ["repeated", "int-dims", "out-of-range", "fliplr-1d",
                                  "flipud-0d"])
def test_flip_errors(check, case):
    def program(T, d, x):
        return {"repeated": lambda: T.flip(x, (0, 0)), "int-dims": lambda: T.flip(x, 0),
                "out-of-range": lambda: T.flip(x, (2,)),
                "fliplr-1d": lambda: T.fliplr(x[0]), "flipud-0d": lambda: T.flipud(x.sum())
                }[case]()
    check(program, np.ones((2, 3), np.float32))


@spec("torch.roll")
@given(x=tensors(shape=shapes(max_dims=3)), data=st.data())
def test_roll_values(check, x, data):
    n = len(x.value().shape)
    shifts = data.draw(st.lists(st.integers(-7, 7), min_size=1, max_size=max(n, 1)))
    dims = data.draw(st.one_of(st.none(), st.lists(st.integers(-max(n, 1), max(n, 1) - 1),
                                                   min_size=len(shifts),
                                                   max_size=len(shifts))))
    check(lambda T, d, x: T.roll(x, shifts, dims) if dims is not None or len(shifts) == 1
          else T.roll(x, shifts), x, strides=True)


@spec("torch.roll")
@given(x=tensors(shape=(3, 4), dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True))
def test_roll_gradient(check, x):
    check(lambda T, d, x: (x.roll(1), x.roll((2, -1), (0, 1)), x.roll(-5, 1)), x, grad=True,
          autograd=True)


@spec("torch.rot90")
@given(x=tensors(shape=shapes(min_dims=2, max_dims=3)), k=st.integers(-5, 5),
       dims=st.sampled_from([(0, 1), (1, 0), (-1, 0), (0, -2)]))
def test_rot90_values(check, x, k, dims):
    check(lambda T, d, x: T.rot90(x, k, dims), x, strides=True)


@spec("torch.rot90")
@given(x=tensors(shape=(2, 3), dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True),
       k=st.integers(0, 3))
def test_rot90_gradient(check, x, k):
    check(lambda T, d, x: x.rot90(k), x, grad=True, autograd=True)


@spec("torch.rot90")
@pytest.mark.parametrize("args", [(1, [0]), (1, [0, 0]), (1, [0, 2])])
def test_rot90_errors(check, args):
    check(lambda T, d, x: T.rot90(x, *args), np.ones((2, 3), np.float32))


@spec("torch.repeat-tile")
@given(x=tensors(shape=shapes(max_dims=2, max_side=3)),
       reps=st.lists(st.integers(0, 3), max_size=3))
def test_repeat_and_tile(check, x, reps):
    check(lambda T, d, x: (x.repeat(*reps) if len(reps) >= x.dim() else None,
                           x.repeat(reps) if len(reps) >= x.dim() else None,
                           T.tile(x, reps), x.tile(tuple(reps))), x, strides=True)


@spec("torch.repeat-tile")
@given(x=tensors(shape=(2, 3), dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True),
       reps=st.lists(st.integers(1, 3), min_size=2, max_size=3))
def test_repeat_gradient(check, x, reps):
    check(lambda T, d, x: (x.repeat(*reps), x.tile(reps[:1])), x, grad=True, autograd=True)


@spec("torch.repeat-tile")
@pytest.mark.parametrize("reps", [(2,), (-1, 1)])
def test_repeat_errors(check, reps):
    check(lambda T, d, x: x.repeat(*reps), np.ones((2, 3), np.float32))


@spec("torch.repeat_interleave")
@given(x=tensors(shape=shapes(min_dims=1, max_dims=2, max_side=3)), r=st.integers(0, 3),
       dim=st.sampled_from([None, 0, -1]))
def test_repeat_interleave_int(check, x, r, dim):
    check(lambda T, d, x: (T.repeat_interleave(x, r, dim), x.repeat_interleave(r, dim=dim)),
          x, strides=True)


@spec("torch.repeat_interleave")
@given(x=tensors(shape=(3, 2), dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True),
       counts=st.lists(st.integers(0, 3), min_size=3, max_size=3))
def test_repeat_interleave_tensor_counts(check, x, counts):
    c = np.array(counts, np.int64)
    check(lambda T, d, x, c: (x.repeat_interleave(c, 0), T.repeat_interleave(c),
                              x.repeat_interleave(2, 1)), x, c, grad=True, autograd=True)


@spec("torch.repeat_interleave")
@pytest.mark.parametrize("case", ["negative", "bad-length", "negative-count"])
def test_repeat_interleave_errors(check, case):
    def program(T, d, x):
        return {"negative": lambda: x.repeat_interleave(-1),
                "bad-length": lambda: x.repeat_interleave(T.tensor([1, 2]), 0),
                "negative-count": lambda: x.repeat_interleave(T.tensor([1, -1, 1]), 0)}[case]()
    check(program, np.ones((3, 2), np.float32))


@spec("torch.tril-triu")
@given(x=tensors(shape=shapes(min_dims=2, max_dims=3)), k=st.integers(-4, 4))
def test_tril_triu_values(check, x, k):
    check(lambda T, d, x: (T.tril(x, k), T.triu(x, k), x.tril(), x.triu(diagonal=k)), x,
          strides=True)


@spec("torch.tril-triu")
@given(x=tensors(shape=(3, 4), dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True),
       k=st.integers(-2, 2))
def test_tril_triu_gradient(check, x, k):
    check(lambda T, d, x: (x.tril(k), x.triu(k)), x, grad=True, autograd=True)


@spec("torch.tril-triu")
def test_tril_of_1d_is_error(check):
    check(lambda T, d, x: (T.tril(x)), np.ones(3, np.float32))


@spec("torch.diag")
@given(x=tensors(shape=shapes(min_dims=1, max_dims=2)), k=st.integers(-3, 3))
def test_diag_values(check, x, k):
    check(lambda T, d, x: (T.diag(x, k), x.diag()), x, strides=True)


@spec("torch.diag")
@given(x=tensors(shape=shapes(min_dims=1, max_dims=2, min_side=1),
                 dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True), k=st.integers(-1, 1))
def test_diag_gradient(check, x, k):
    check(lambda T, d, x: T.diag(x, k), x, grad=True, autograd=True)


@spec("torch.diag")
@given(x=tensors(shape=shapes(min_dims=1, max_dims=3)), offset=st.integers(-2, 2),
       dims=st.sampled_from([(-2, -1), (0, 1), (-1, 0), (0, 2)]))
def test_diag_embed(check, x, offset, dims):
    check(lambda T, d, x: T.diag_embed(x, offset, *dims), x, strides=True)


@spec("torch.diag")
@given(x=tensors(shape=(2, 3), dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True))
def test_diag_embed_gradient(check, x):
    check(lambda T, d, x: T.diag_embed(x, 1), x, grad=True, autograd=True)


@spec("torch.diag")
@pytest.mark.parametrize("shape", [(), (2, 2, 2)])
def test_diag_of_0d_or_3d_is_error(check, shape):
    check(lambda T, d, x: T.diag(x), np.ones(shape, np.float32))
