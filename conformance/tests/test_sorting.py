"""Sorting and selection against torch: sort order (stable, descending, NaN largest), topk,
kthvalue, median, mode, quantile, unique, bincount, histc, searchsorted, diff.

Where torch leaves the index among equal values unspecified (topk, kthvalue, median, mode
with ties), the tests compare the values and that the returned indices point at them."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import ALL_DTYPES, FLOAT_DTYPES, INT_DTYPES, shapes, tensors

NUMERIC = FLOAT_DTYPES + INT_DTYPES


def _dim(data, x):
    ndim = len(x.value().shape)
    return data.draw(st.integers(-max(ndim, 1), max(ndim, 1) - 1))


def _small(dtype, **kw):
    """Values in [-3, 3], so that equal values are common."""
    return tensors(dtype=dtype, min_value=-3, max_value=3, **kw).map(_round)


def _round(x):
    if x.base.dtype.kind == "f":
        x.base[...] = np.round(x.base)
    return x


def _pointing(T, x, dim, r, keepdim=True):
    """(values, the input's elements at the returned indices, as a list): equal when the
    indices point at the values, whichever of several equal elements they chose."""
    if x.dim() == 0:
        return r[0], x.item()
    idx = np.asarray(r[1].cpu())
    if not keepdim:
        idx = np.expand_dims(idx, dim)
    return r[0], np.take_along_axis(np.asarray(x.detach().cpu()), idx, dim).tolist()


@spec("torch.sorting.sort")
@given(data=st.data())
def test_sort_stable_with_nan_largest(check, data):
    x = data.draw(_small(st.sampled_from(ALL_DTYPES)))
    dim = _dim(data, x)
    descending = data.draw(st.booleans())
    check(lambda T, d, x: (T.sort(x, dim=dim, descending=descending, stable=True),
                           x.sort(stable=True, dim=dim, descending=descending),
                           T.argsort(x, dim=dim, descending=descending, stable=True)), x)


@spec("torch.sorting.sort")
def test_sort_stable_is_keyword_only_with_dim(check):
    check(lambda T, d, x: T.sort(x, 0, True, stable=True), np.arange(3.0))


@spec("torch.sorting.sort")
@given(x=tensors(dtype=st.sampled_from(FLOAT_DTYPES), shape=shapes(min_dims=1)))
def test_sort_default_and_msort(check, x):
    check(lambda T, d, x: (x.sort().values, T.msort(x), x.argsort(-1).shape), x)


@spec("torch.sorting.sort")
@given(data=st.data())
def test_sort_gradient(check, data):
    x = data.draw(tensors(dtype="float64", requires_grad=True, special=False))
    dim = _dim(data, x)
    check(lambda T, d, x: x.sort(dim, True).values, x, grad=True, autograd=True)


@spec("torch.sorting.topk")
@given(data=st.data())
def test_topk_values_and_indices(check, data):
    x = data.draw(_small(st.sampled_from(NUMERIC)))
    dim = _dim(data, x)
    shape = x.value().shape
    size = shape[dim] if shape else 1
    k = data.draw(st.integers(0, size))
    largest = data.draw(st.booleans())
    check(lambda T, d, x: _pointing(T, x, dim, T.topk(x, k, dim, largest)), x)


@spec("torch.sorting.topk")
@given(data=st.data())
def test_topk_gradient_and_errors(check, data):
    x = data.draw(tensors(dtype="float64", requires_grad=True, special=False,
                          shape=shapes(min_dims=1, min_side=1), layouts=("contiguous",)))
    # distinct values: torch picks an unspecified one of equal elements (and its gradient)
    # (the drawn values' ranks, ties broken by position: all distinct)
    flat = x.base.ravel()
    ranks = np.empty(flat.size)
    ranks[np.lexsort((np.arange(flat.size), flat))] = np.arange(flat.size)
    x.base[...] = ranks.reshape(x.base.shape)
    k = data.draw(st.integers(0, x.value().shape[-1]))
    check(lambda T, d, x: x.topk(k).values, x, grad=True, autograd=True)
    check(lambda T, d, x: x.topk(x.shape[-1] + 1), x)


@spec("torch.sorting.kthvalue")
@given(data=st.data())
def test_kthvalue(check, data):
    x = data.draw(_small(st.sampled_from(NUMERIC), shape=shapes(min_side=1)))
    dim = _dim(data, x)
    shape = x.value().shape
    size = shape[dim] if shape else 1
    k = data.draw(st.integers(0, size + 1))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: _pointing(T, x, dim, T.kthvalue(x, k, dim, keepdim), keepdim), x)


@spec("torch.sorting.median")
@given(data=st.data())
def test_median_lower_and_nan(check, data):
    # no expanded (stride-0) inputs: torch 2.13's median(dim) reads garbage from them
    x = data.draw(_small(st.sampled_from(NUMERIC), shape=shapes(min_side=1),
                         layouts=("contiguous", "transposed", "strided")))
    dim = _dim(data, x)
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: (T.median(x), x.nanmedian(),
                           _pointing(T, x, dim, x.median(dim, keepdim), keepdim),
                           _pointing(T, x, dim, T.nanmedian(x, dim, keepdim), keepdim)), x)


@spec("torch.sorting.median")
@given(data=st.data())
def test_median_gradient_ties_split_evenly(check, data):
    x = data.draw(_small("float64", shape=shapes(min_side=1), special=False))
    x.requires_grad = True
    check(lambda T, d, x: x.median(), x, grad=True, autograd=True)


@spec("torch.sorting.median")
def test_median_of_empty(check):
    check(lambda T, d, x: x.median(), np.zeros((0,), np.float32))


@spec("torch.sorting.mode")
@given(data=st.data())
def test_mode_most_frequent_smallest(check, data):
    x = data.draw(_small(st.sampled_from(INT_DTYPES), shape=shapes(min_side=1),
                         special=False))
    dim = _dim(data, x)
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: _pointing(T, x, dim, T.mode(x, dim, keepdim), keepdim), x)


@spec("torch.sorting.quantile")
@given(data=st.data())
def test_quantile_interpolations(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(FLOAT_DTYPES), shape=shapes(min_side=1)))
    ndim = len(x.value().shape)
    dim = data.draw(st.one_of(st.none(), st.integers(-max(ndim, 1), max(ndim, 1) - 1)))
    q = data.draw(st.one_of(st.floats(0, 1), st.lists(st.floats(0, 1), min_size=1,
                                                       max_size=3)))
    keepdim = data.draw(st.booleans())
    how = data.draw(st.sampled_from(["linear", "lower", "higher", "midpoint", "nearest"]))

    def program(T, d, x):
        qq = T.tensor(q, dtype=x.dtype) if isinstance(q, list) else q
        return (T.quantile(x, qq, dim, keepdim, interpolation=how),
                x.nanquantile(qq, dim, keepdim, interpolation=how))
    check(program, x)


@spec("torch.sorting.quantile")
@pytest.mark.parametrize("case", ["int-input", "q-out-of-range", "bad-interpolation"])
def test_quantile_errors(check, case):
    def program(T, d, x):
        if case == "int-input":
            return x.long().quantile(0.5)
        if case == "q-out-of-range":
            return x.quantile(1.5)
        return x.quantile(0.5, interpolation="cubic")
    check(program, np.arange(4.0))


@spec("torch.sorting.unique")
@given(data=st.data())
def test_unique_inverse_counts(check, data):
    x = data.draw(_small(st.sampled_from(ALL_DTYPES), special=False))
    inverse, counts = data.draw(st.booleans()), data.draw(st.booleans())
    check(lambda T, d, x: T.unique(x, return_inverse=inverse, return_counts=counts), x)


@spec("torch.sorting.unique")
@given(data=st.data())
def test_unique_along_dim(check, data):
    x = data.draw(_small(st.sampled_from(INT_DTYPES), shape=shapes(min_dims=1, min_side=1),
                         special=False))
    dim = _dim(data, x)
    check(lambda T, d, x: T.unique(x, dim=dim, return_inverse=True, return_counts=True), x)


@spec("torch.sorting.unique-consecutive")
@given(data=st.data())
def test_unique_consecutive(check, data):
    x = data.draw(_small(st.sampled_from(INT_DTYPES), special=False))
    ndim = len(x.value().shape)
    dim = data.draw(st.one_of(st.none(), st.integers(0, ndim - 1))) if ndim else None
    check(lambda T, d, x: T.unique_consecutive(x, return_inverse=True, return_counts=True,
                                               dim=dim), x)


@spec("torch.sorting.bincount")
@given(data=st.data())
def test_bincount_weights_minlength(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(("int64", "int32", "uint8")), shape=(
        data.draw(st.integers(0, 8)),), min_value=0, max_value=6))
    w = data.draw(st.one_of(st.none(), tensors(dtype=st.sampled_from(FLOAT_DTYPES),
                                               shape=x.value().shape, special=False)))
    minlength = data.draw(st.integers(0, 9))
    if w is None:
        check(lambda T, d, x: T.bincount(x, minlength=minlength), x)
    else:
        check(lambda T, d, x, w: T.bincount(x, w, minlength), x, w)


@spec("torch.sorting.bincount")
@pytest.mark.parametrize("values", [[-1, 2], [[1, 2]]])
def test_bincount_errors(check, values):
    check(lambda T, d, x: T.bincount(x), np.array(values))


@spec("torch.sorting.histc")
@given(x=tensors(dtype=st.sampled_from(FLOAT_DTYPES), special=False),
       bins=st.integers(1, 6), lo=st.sampled_from([0, -500, 100]), width=st.sampled_from(
           [0, 1, 300]))
def test_histc(check, x, bins, lo, width):
    check(lambda T, d, x: T.histc(x, bins, lo, lo + width), x)


@spec("torch.sorting.searchsorted-bucketize")
@given(data=st.data())
def test_searchsorted_bucketize(check, data):
    n = data.draw(st.integers(0, 6))
    seq = np.sort(data.draw(tensors(dtype="float64", shape=(n,), special=False,
                                    layouts=("contiguous",))).base)
    v = data.draw(tensors(dtype="float64", shape=shapes(max_dims=2), special=False))
    right = data.draw(st.booleans())
    v.base[...] = np.where(np.arange(v.base.size).reshape(v.base.shape) % 2 == 0, v.base,
                           seq[0] if n else 0.0)   # values equal to a boundary
    check(lambda T, d, s, v: (T.searchsorted(s, v, right=right),
                              T.searchsorted(s, v, side="right" if right else "left",
                                             out_int32=True),
                              T.bucketize(v, s, right=right)), seq, v)


@spec("torch.sorting.searchsorted-bucketize")
@given(data=st.data())
def test_searchsorted_batched_rows(check, data):
    rows, n, m = (data.draw(st.integers(1, 3)) for _ in range(3))
    seq = np.sort(data.draw(tensors(dtype="int64", shape=(rows, n), min_value=-5,
                                    max_value=5, layouts=("contiguous",))).base, axis=-1)
    v = data.draw(tensors(dtype="int64", shape=(rows, m), min_value=-6, max_value=6))
    check(lambda T, d, s, v: T.searchsorted(s, v), seq, v)


@spec("torch.sorting.diff")
@given(data=st.data())
def test_diff(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(ALL_DTYPES), shape=shapes(min_dims=1),
                          min_value=-100, max_value=100))
    dim = _dim(data, x)
    n = data.draw(st.integers(0, 3))
    check(lambda T, d, x: T.diff(x, n, dim), x)


@spec("torch.sorting.diff")
@given(data=st.data())
def test_diff_prepend_append_gradient(check, data):
    x = data.draw(tensors(dtype="float64", shape=shapes(min_dims=1, max_dims=2),
                          requires_grad=True, special=False))
    shape = list(x.value().shape)
    shape[-1] = 2
    p = data.draw(tensors(dtype="float64", shape=tuple(shape), special=False))
    check(lambda T, d, x, p: (x.diff(prepend=p), T.diff(x, 2, append=p)), x, p, grad=True)
