"""Reductions and scans against torch: values, result dtypes, dim/keepdim rules, empty
inputs, NaN, errors and gradients (ties included)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import ALL_DTYPES, FLOAT_DTYPES, INT_DTYPES, arrays, shapes, tensors

NUMERIC = FLOAT_DTYPES + INT_DTYPES


@st.composite
def dims_for(draw, ndim, tuples=True):
    """None, an int dim (maybe negative) or, when `tuples`, a tuple of distinct dims."""
    if ndim == 0:
        return draw(st.sampled_from([None, 0, -1]))
    one = st.integers(-ndim, ndim - 1)
    options = [st.none(), one]
    if tuples:
        options.append(st.lists(one, min_size=1, max_size=ndim,
                                unique_by=lambda d: d % ndim).map(tuple))
    return draw(st.one_of(*options))


def _ties(dtype):
    """Small integer-valued floats, so that max/min/median ties are common."""
    return tensors(dtype=dtype, special=False, min_value=-2, max_value=2).map(_round)


def _round(x):
    x.base[...] = np.round(x.base)
    return x


# -- mean, sum, prod, nansum, nanmean ----------------------------------------------------------


@spec("torch.reduction.mean", "torch.reduction.dims-keepdim")
@given(data=st.data())
def test_mean_dims_keepdim_and_dtype(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(FLOAT_DTYPES)))
    dim = data.draw(dims_for(len(x.value().shape)))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: (T.mean(x, dim, keepdim), x.mean(dim=dim, keepdim=keepdim),
                           x.mean(dim, keepdim, dtype=T.float64)), x)


@spec("torch.reduction.mean")
@given(x=tensors(dtype=st.sampled_from(INT_DTYPES + ("bool",))))
def test_mean_of_integers_needs_a_float_dtype(check, x):
    check(lambda T, d, x: x.mean(), x)
    check(lambda T, d, x: x.mean(dtype=T.float32), x)


@spec("torch.reduction.mean", "torch.reduction.empty")
@given(shape=st.sampled_from([(0,), (0, 3), (2, 0)]), dim=st.sampled_from([None, 0, 1]))
def test_mean_sum_prod_of_empty(check, shape, dim):
    if dim == 1 and len(shape) == 1:
        dim = 0
    check(lambda T, d, x: (x.mean() if dim is None else x.mean(dim), x.sum(), x.prod(),
                           x.nansum()), np.zeros(shape, np.float32))


@spec("torch.reduction.mean")
@given(data=st.data())
def test_mean_gradient(check, data):
    x = data.draw(tensors(dtype="float64", requires_grad=True))
    dim = data.draw(dims_for(len(x.value().shape)))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: x.mean() if dim is None else x.mean(dim, keepdim), x, grad=True,
          autograd=True)


@spec("torch.reduction.prod")
@given(data=st.data())
def test_prod_values_and_dtype(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES), min_value=-3, max_value=3))
    ndim = len(x.value().shape)
    dim = data.draw(st.one_of(st.none(), st.integers(-max(ndim, 1), max(ndim, 1) - 1)))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: x.prod() if dim is None else T.prod(x, dim, keepdim), x)
    check(lambda T, d, x: x.prod(dtype=T.float64), x)


@spec("torch.reduction.prod")
@given(data=st.data())
def test_prod_gradient_with_zeros(check, data):
    x = data.draw(tensors(dtype="float64", requires_grad=True, special=False,
                          shape=shapes(max_dims=2, max_side=4)))
    x.base[...] = np.where(np.abs(x.base) < 300, 0, x.base / 300)  # zeros are common
    ndim = len(x.value().shape)
    dim = data.draw(st.one_of(st.none(), st.integers(-max(ndim, 1), max(ndim, 1) - 1)))
    check(lambda T, d, x: x.prod() if dim is None else x.prod(dim), x, grad=True,
          autograd=True)


@spec("torch.reduction.prod")
def test_prod_rejects_tuple_dims(check):
    check(lambda T, d, x: x.prod((0, 1)), np.ones((2, 2), np.float32))


@spec("torch.reduction.nansum-nanmean")
@given(data=st.data())
def test_nansum_nanmean_skip_nan(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True))
    dim = data.draw(dims_for(len(x.value().shape)))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: (T.nansum(x, dim, keepdim), T.nanmean(x, dim, keepdim)), x,
          grad=x.base.dtype == np.float64)


@spec("torch.reduction.nansum-nanmean")
@given(x=tensors(dtype=st.sampled_from(INT_DTYPES + ("bool",))))
def test_nansum_of_integers_and_nanmean_errors(check, x):
    check(lambda T, d, x: x.nansum(), x)
    check(lambda T, d, x: x.nanmean(), x)


# -- max, min, amax, amin, aminmax, argmax, argmin ---------------------------------------------


@spec("torch.reduction.max-min")
@given(data=st.data())
def test_max_min_full_and_along_dim(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES),
                          shape=shapes(min_side=1)))
    ndim = len(x.value().shape)
    dim = data.draw(st.integers(-max(ndim, 1), max(ndim, 1) - 1))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: (T.max(x), T.min(x), x.max(dim), x.min(dim, keepdim),
                           T.max(x, dim=dim, keepdim=keepdim)), x)


@spec("torch.reduction.max-min")
def test_max_min_return_types(check):
    def program(T, d, x):
        r = T.max(x, 1)
        s = x.min(0, True)
        return (type(r).__name__, r.values, r.indices, r[0], s.values, s.indices,
                isinstance(r, tuple), len(r))
    check(program, np.array([[1, 5, 5], [7, 2, 7]], np.float32))


@spec("torch.reduction.max-min")
@pytest.mark.parametrize("call", ["max-tuple", "max-keepdim-only", "min-complex",
                                  "max-dim-complex"])
def test_max_min_errors(check, call):
    def program(T, d, x):
        if call == "max-tuple":
            return x.max((0, 1))
        if call == "max-keepdim-only":
            return x.max(keepdim=True)
        if call == "min-complex":
            return x.to(T.complex64).min()
        return x.to(T.complex64).max(0)
    check(program, np.ones((2, 2), np.float32))


@spec("torch.reduction.amax-amin")
@given(data=st.data())
def test_amax_amin_dims(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES), shape=shapes(min_side=1)))
    dim = data.draw(dims_for(len(x.value().shape)))
    keepdim = data.draw(st.booleans())
    dims = () if dim is None else dim
    check(lambda T, d, x: (T.amax(x, dims, keepdim), x.amin(dims, keepdim), x.amax()), x)


@spec("torch.reduction.max-gradient-ties")
@given(data=st.data())
def test_max_gradients_split_ties_or_follow_the_index(check, data):
    x = data.draw(_ties("float64").filter(lambda x: 0 not in x.value().shape))
    x.requires_grad = True
    ndim = len(x.value().shape)
    dim = data.draw(st.integers(-max(ndim, 1), max(ndim, 1) - 1))
    check(lambda T, d, x: (x.max(), x.min(), x.max(dim).values, x.min(dim, True).values),
          x, grad=True, autograd=True)
    dims = data.draw(dims_for(ndim))
    check(lambda T, d, x: (x.amax(() if dims is None else dims),
                           x.amin(() if dims is None else dims, True)), x, grad=True,
          autograd=True)


@spec("torch.reduction.empty")
@given(shape=st.sampled_from([(0,), (0, 3), (3, 0)]),
       op=st.sampled_from(["max", "min", "amax", "amin", "argmax", "argmin", "median",
                           "aminmax"]),
       dim=st.sampled_from([None, 0, 1, -1]))
def test_reductions_without_identity_on_empty_inputs(check, shape, op, dim):
    if dim == 1 and len(shape) == 1:
        dim = 0

    def program(T, d, x):
        if op == "aminmax":
            return T.aminmax(x) if dim is None else T.aminmax(x, dim=dim)
        fn = getattr(x, op)
        return fn() if dim is None else fn(dim)
    check(program, np.zeros(shape, np.float32))


@spec("torch.reduction.aminmax")
@given(data=st.data())
def test_aminmax(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES), shape=shapes(min_side=1)))
    ndim = len(x.value().shape)
    dim = data.draw(st.one_of(st.none(), st.integers(-max(ndim, 1), max(ndim, 1) - 1)))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: (T.aminmax(x, dim=dim, keepdim=keepdim),
                           tuple(T.aminmax(x, dim=dim, keepdim=keepdim)._fields)
                           if hasattr(T.aminmax(x), "_fields") else ("min", "max")), x)


@spec("torch.reduction.argmax-argmin")
@given(data=st.data())
def test_argmax_argmin_first_index_and_nan(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(NUMERIC), shape=shapes(min_side=1)))
    ndim = len(x.value().shape)
    dim = data.draw(st.one_of(st.none(), st.integers(-max(ndim, 1), max(ndim, 1) - 1)))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: (T.argmax(x, dim, keepdim), x.argmin(dim=dim, keepdim=keepdim)), x)


@spec("torch.reduction.argmax-argmin")
def test_argmax_rejects_bool(check):
    check(lambda T, d, x: x.argmax(), np.array([True, False]))


# -- var, std -------------------------------------------------------------------------------------


@spec("torch.reduction.var-std")
@given(data=st.data())
def test_var_std_correction_and_unbiased(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(FLOAT_DTYPES)))
    dim = data.draw(dims_for(len(x.value().shape)))
    keepdim = data.draw(st.booleans())
    correction = data.draw(st.sampled_from([0, 1, 2]))
    unbiased = data.draw(st.booleans())
    check(lambda T, d, x: (T.var(x, dim, correction=correction, keepdim=keepdim),
                           x.std(dim, correction=correction, keepdim=keepdim),
                           x.var(dim, unbiased, keepdim), T.std(x, unbiased),
                           x.var(), x.std(dim=dim)), x)


@spec("torch.reduction.var-std")
@given(data=st.data())
def test_var_std_gradients(check, data):
    x = data.draw(tensors(dtype="float64", requires_grad=True, special=False,
                          shape=shapes(min_side=2, max_dims=3),
                          layouts=("contiguous", "transposed", "strided")))
    dim = data.draw(dims_for(len(x.value().shape)))
    correction = data.draw(st.sampled_from([0, 1]))
    check(lambda T, d, x: x.var(dim, correction=correction), x, grad=True, autograd=True)
    # std is not differentiable where the spread is 0 (torch's value there is rounding noise):
    # a ramp over the flat index keeps every slice spread out
    x.base[...] += np.arange(x.base.size).reshape(x.base.shape)
    check(lambda T, d, x: x.std(dim, correction=correction), x, grad=True, autograd=True)


@spec("torch.reduction.var-std")
@given(x=tensors(dtype=st.sampled_from(INT_DTYPES + ("bool",))))
def test_var_std_reject_integers(check, x):
    check(lambda T, d, x: x.var(), x)
    check(lambda T, d, x: T.std(x), x)


@spec("torch.reduction.var-std")
def test_var_of_complex_is_real(check):
    check(lambda T, d, x: (x.to(T.complex128).var(), x.to(T.complex64).std(0)),
          np.array([[1.0, -2.0], [3.5, 0.25]]))


@spec("torch.reduction.var-std-mean")
@given(data=st.data())
def test_std_mean_var_mean(check, data):
    # finite values: torch's one-pass (Welford) mean turns some orders of inf into NaN
    x = data.draw(tensors(dtype=st.sampled_from(FLOAT_DTYPES), special=False))
    dim = data.draw(dims_for(len(x.value().shape)))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: (T.std_mean(x, dim, keepdim=keepdim),
                           T.var_mean(x, dim, correction=0, keepdim=keepdim)), x)


# -- logsumexp, all, any, count_nonzero ---------------------------------------------------------


@spec("torch.reduction.logsumexp")
@given(data=st.data())
def test_logsumexp_values_dtypes_and_gradient(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(NUMERIC + ("bool",)), max_value=100,
                          min_value=-100))
    ndim = len(x.value().shape)
    dim = data.draw(dims_for(ndim))
    dim = tuple(range(ndim)) if dim is None else dim
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: T.logsumexp(x, dim, keepdim), x)
    if x.base.dtype == np.float64:
        x.requires_grad = True
        check(lambda T, d, x: x.logsumexp(dim, keepdim), x, grad=True, autograd=True)


@spec("torch.reduction.all-any")
@given(data=st.data())
def test_all_any(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES), min_value=-1, max_value=1))
    dim = data.draw(dims_for(len(x.value().shape)))
    keepdim = data.draw(st.booleans())
    if dim is None:
        check(lambda T, d, x: (T.all(x), x.any()), x)
    else:
        check(lambda T, d, x: (T.all(x, dim, keepdim), x.any(dim, keepdim=keepdim)), x)


@spec("torch.reduction.count-nonzero")
@given(data=st.data())
def test_count_nonzero(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES), min_value=-1, max_value=1))
    dim = data.draw(dims_for(len(x.value().shape)))
    check(lambda T, d, x: T.count_nonzero(x, dim), x)


@spec("torch.reduction.dims-keepdim")
@given(x=tensors(shape=(2, 3), dtype="float32"),
       op=st.sampled_from(["mean", "amax", "var", "logsumexp", "all", "count_nonzero"]),
       dim=st.sampled_from([2, -3, (0, 0), (0, 5)]))
def test_bad_dims_raise(check, x, op, dim):
    check(lambda T, d, x: getattr(T, op)(x, dim), x)


# -- scans -------------------------------------------------------------------------------------


@spec("torch.reduction.cumsum-cumprod")
@given(data=st.data())
def test_cumsum_cumprod_values_and_dtypes(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES), min_value=-3, max_value=3))
    ndim = len(x.value().shape)
    dim = data.draw(st.integers(-max(ndim, 1), max(ndim, 1) - 1))
    check(lambda T, d, x: (T.cumsum(x, dim), x.cumprod(dim), x.cumsum(dim, dtype=T.float64)),
          x)


@spec("torch.reduction.cumsum-cumprod")
@given(data=st.data())
def test_cumsum_cumprod_gradients(check, data):
    x = data.draw(tensors(dtype="float64", requires_grad=True, special=False,
                          shape=shapes(max_dims=2, max_side=4)))
    x.base[...] = np.where(np.abs(x.base) < 300, 0, x.base / 300)
    ndim = len(x.value().shape)
    dim = data.draw(st.integers(-max(ndim, 1), max(ndim, 1) - 1))
    check(lambda T, d, x: (x.cumsum(dim), x.cumprod(dim)), x, grad=True, autograd=True)


@spec("torch.reduction.cummax-cummin")
@given(data=st.data())
def test_cummax_cummin_indices_ties_and_gradient(check, data):
    x = data.draw(_ties(st.sampled_from(FLOAT_DTYPES)))
    ndim = len(x.value().shape)
    dim = data.draw(st.integers(-max(ndim, 1), max(ndim, 1) - 1))
    check(lambda T, d, x: (T.cummax(x, dim), x.cummin(dim)), x)
    if x.base.dtype == np.float64:
        x.requires_grad = True
        check(lambda T, d, x: (x.cummax(dim).values, x.cummin(dim)[0]), x, grad=True,
              autograd=True)


@spec("torch.reduction.cummax-cummin")
@given(x=arrays("float32", (5,)))
def test_cummax_keeps_nan(check, x):
    check(lambda T, d, x: (x.cummax(0), x.cummin(0)), x)


@spec("torch.reduction.logcumsumexp")
@given(data=st.data())
def test_logcumsumexp_values_and_gradient(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(FLOAT_DTYPES), min_value=-50, max_value=50,
                          special=False))
    ndim = len(x.value().shape)
    dim = data.draw(st.integers(-max(ndim, 1), max(ndim, 1) - 1))
    x.requires_grad = x.base.dtype == np.float64
    check(lambda T, d, x: T.logcumsumexp(x, dim), x, grad=x.requires_grad, autograd=True)


@spec("torch.reduction.logcumsumexp")
def test_logcumsumexp_rejects_integers(check):
    check(lambda T, d, x: x.logcumsumexp(0), np.arange(3))


# -- norm -------------------------------------------------------------------------------------


@spec("torch.reduction.norm")
@given(data=st.data())
def test_norm_p_and_dims(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(FLOAT_DTYPES), special=False,
                          min_value=-10, max_value=10))
    ndim = len(x.value().shape)
    p = data.draw(st.sampled_from(["fro", 2, 1, float("inf"), float("-inf"), 0, 3, 0.5]))
    dim = data.draw(st.one_of(st.none(), st.integers(-max(ndim, 1), max(ndim, 1) - 1)))
    keepdim = data.draw(st.booleans())
    if p == "fro" and dim is not None:
        dim = None
    check(lambda T, d, x: T.norm(x, p, dim, keepdim), x)


@spec("torch.reduction.norm")
@given(data=st.data())
def test_norm_gradient_zero_at_zero(check, data):
    x = data.draw(_ties("float64"))
    x.requires_grad = True
    p = data.draw(st.sampled_from([2, 1, float("inf"), 3]))
    check(lambda T, d, x: x.norm(p), x, grad=True, autograd=True)


@spec("torch.reduction.norm")
def test_norm_rejects_integers(check):
    check(lambda T, d, x: x.norm(), np.arange(3))


@spec("torch.reduction.dims-keepdim", "torch.reduction.argmax-argmin",
      "torch.reduction.amax-amin")
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("nan", [False, True])
def test_large_reductions_over_all_and_last_dim(check, dtype, nan):
    # large enough (> 2**18 elements) for threaded kernels; ties and NaN placed late
    x = np.random.default_rng(0).standard_normal((520, 520)).astype(dtype)
    x[450, 7] = x[450, 9] = 9.0
    if nan:
        x[400, 100] = x[460, 5] = np.nan
    check(lambda T, d, x: (x.sum(), x.mean(), x.amax(), x.amin(), x.argmax(), x.sum(-1),
                           x.mean(1, keepdim=True), x.amax(-1), x.amin(1), x.argmax(1),
                           x.max(-1)), x)
