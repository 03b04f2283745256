"""The Numba neural-network kernels against the NumPy reference they replace.

Each kernel of refimpl/kernels/numba/nn.py must return what the reference entry of the same
name returns, for float32 and float64, over hypothesis shapes (empty and one-element ones
included, which take the reference), values with ties, NaN and infinities where the kernel
documents their handling. Statistics are accumulated in float64 by the kernels, so float
results are compared with a float32-rounding tolerance; indices and float64 ones closely.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refimpl.kernels import numpy_ref
from refimpl.kernels.numba import nn

REF = numpy_ref.TABLE
DTYPES = st.sampled_from([np.float32, np.float64])


def _close(ours, ref):
    ours, ref = np.asarray(ours), np.asarray(ref)
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    tol = 1e-5 if ref.dtype == np.float32 else 1e-11
    np.testing.assert_allclose(ours, ref, rtol=tol * 10, atol=tol * 10, equal_nan=True)


def _array(draw, shape, dtype, specials=False):
    gen = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = np.asarray(gen.standard_normal(shape), dtype)
    if x.size and draw(st.booleans()):                 # ties
        x = np.round(x).astype(dtype)
    if specials and x.size and draw(st.booleans()):
        flat = x.reshape(-1)
        flat[gen.integers(0, flat.size, 2)] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    return x


@settings(max_examples=60, deadline=None)
@given(data=st.data(), dtype=DTYPES, name=st.sampled_from(["softmax", "log_softmax"]))
def test_softmax_rows(data, dtype, name):
    lead = data.draw(st.lists(st.integers(0, 4), min_size=0, max_size=2).map(tuple))
    shape = (lead + (data.draw(st.integers(1, 7)),)) if data.draw(st.booleans()) else ()
    x = _array(data.draw, shape, dtype, specials=True)
    axis = x.ndim - 1 if x.ndim else None
    with np.errstate(all="ignore"):
        _close(getattr(nn, name)(x, axis), REF[name](x, axis))
        y = REF[name](x, axis)
        g = _array(data.draw, shape, dtype)
        _close(getattr(nn, name + "_grad")(g, y, axis), REF[name + "_grad"](g, y, axis))


@settings(max_examples=80, deadline=None)
@given(data=st.data(), dtype=DTYPES, nd=st.integers(1, 3))
def test_max_pool_and_its_scatter(data, dtype, nd):
    kernel = tuple(data.draw(st.integers(1, 3)) for _ in range(nd))
    stride = tuple(data.draw(st.integers(1, 3)) for _ in range(nd))
    dilation = tuple(data.draw(st.integers(1, 2)) for _ in range(nd))
    padding = tuple(data.draw(st.integers(0, k // 2)) for k in kernel)
    spatial = tuple(data.draw(st.integers(d * (k - 1) + 1, 7))
                    for k, d in zip(kernel, dilation))
    out = tuple((s + 2 * p - d * (k - 1) - 1) // st_ + 1
                for s, p, d, k, st_ in zip(spatial, padding, dilation, kernel, stride))
    x = _array(data.draw, (2, 3) + spatial, dtype, specials=True)
    values, indices = nn.max_pool(x, kernel, stride, padding, dilation, out)
    ref_values, ref_indices = REF["max_pool"](x, kernel, stride, padding, dilation, out)
    np.testing.assert_array_equal(values, ref_values)
    np.testing.assert_array_equal(indices, ref_indices)
    g = _array(data.draw, values.shape, dtype)
    _close(nn.scatter_flat(g, indices, spatial), REF["scatter_flat"](g, indices, spatial))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), dtype=DTYPES, affine=st.booleans(), needs=st.tuples(*[st.booleans()] * 3))
def test_layer_norm_rows(data, dtype, affine, needs):
    rows, m = data.draw(st.integers(0, 6)), data.draw(st.integers(1, 9))
    x = _array(data.draw, (rows, m), dtype)
    w = _array(data.draw, (m,), dtype) if affine else None
    b = _array(data.draw, (m,), dtype) if affine else None
    ours, ref = nn.norm_rows(x, w, b, 1e-5), REF["norm_rows"](x, w, b, 1e-5)
    for a, r in zip(ours, ref):
        _close(a, r)
    g = _array(data.draw, (rows, m), dtype)
    ours = nn.norm_rows_grad(g, x, ref[1], ref[2], w, needs)
    ref = REF["norm_rows_grad"](g, x, ref[1], ref[2], w, needs)
    for a, r in zip(ours, ref):
        assert (a is None) == (r is None)
        if r is not None:
            _close(a, r)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), dtype=DTYPES, affine=st.booleans(), through=st.booleans(),
       needs=st.tuples(*[st.booleans()] * 3))
def test_batch_norm_channels(data, dtype, affine, through, needs):
    shape = (data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4)),
             data.draw(st.integers(1, 6)))
    x = _array(data.draw, shape, dtype)
    for a, r in zip(nn.channel_moments(x), REF["channel_moments"](x)):
        _close(a, r)
    mean, var = REF["channel_moments"](x)
    rstd = (1 / (var + 1e-5) ** 0.5).astype(dtype)
    w = _array(data.draw, shape[1:2], dtype) if affine else None
    b = _array(data.draw, shape[1:2], dtype) if affine else None
    _close(nn.norm_channels(x, mean, rstd, w, b), REF["norm_channels"](x, mean, rstd, w, b))
    g = _array(data.draw, shape, dtype)
    ours = nn.norm_channels_grad(g, x, mean, rstd, w, through, needs)
    ref = REF["norm_channels_grad"](g, x, mean, rstd, w, through, needs)
    for a, r in zip(ours, ref):
        assert (a is None) == (r is None)
        if r is not None:
            _close(a, r)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), dtype=DTYPES)
def test_lstm_step(data, dtype):
    batch, hidden = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 5))
    pre = _array(data.draw, (batch, 4 * hidden), dtype) * 3
    c = _array(data.draw, (batch, hidden), dtype)
    ref = REF["lstm_gates"](pre, c)
    gh, gc = _array(data.draw, c.shape, dtype), _array(data.draw, c.shape, dtype)
    args = (gh, gc, ref[2], c, ref[3])
    for a, r in zip(nn.lstm_gates_grad(*args), REF["lstm_gates_grad"](*args)):
        _close(a, r)


@pytest.mark.parametrize("name", sorted(nn.KERNELS))
def test_every_override_replaces_a_reference_entry(name):
    assert name in REF, f"{name} overrides nothing in the reference table"
