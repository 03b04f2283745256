"""Pooling against torch: max/avg/adaptive pooling, unpooling, modules."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import spec
from conformance.check import TensorInput
from conformance.strategies import FLOAT_DTYPES, tensors

floats = st.sampled_from(FLOAT_DTYPES)
SMALL = {"special": False, "min_value": -2, "max_value": 2}  # finite, sums stay moderate


@spec("nn.functional.pooling", "nn.functional.pooling.options")
@given(data=st.data(), nd=st.integers(1, 3), kernel=st.integers(1, 3), stride=st.integers(1, 2),
       dilation=st.integers(1, 2), ceil_mode=st.booleans())
def test_max_pool_values_indices_gradients(check, data, nd, kernel, stride, dilation,
                                           ceil_mode):
    padding = data.draw(st.integers(0, ((kernel - 1) * dilation + 1) // 2))
    x = data.draw(tensors(dtype=data.draw(floats), shape=(1, 2) + (5,) * nd, **SMALL,
                          requires_grad=True))
    check(lambda T, d, x: getattr(T.nn.functional, f"max_pool{nd}d")(
        x, kernel, stride, padding, dilation, ceil_mode=ceil_mode, return_indices=True),
        x, grad=True)


@spec("nn.functional.pooling")
@given(data=st.data(), nd=st.integers(1, 3), kernel=st.integers(2, 3),
       dilation=st.integers(1, 2))
def test_max_pool_nan_and_infinity_windows(check, data, nd, kernel, dilation):
    padding = data.draw(st.integers(0, kernel // 2))
    specials = st.sampled_from([np.nan, -np.inf, np.inf, 0.0, 1.0])
    base = data.draw(hnp.arrays(data.draw(st.sampled_from([np.float32, np.float64])),
                                (1, 2) + (4,) * nd, elements=specials))
    x = TensorInput(base, (), True)
    check(lambda T, d, x: getattr(T.nn.functional, f"max_pool{nd}d")(
        x, kernel, 1, padding, dilation, return_indices=True), x, grad=True)


@spec("nn.functional.pooling", "nn.functional.pooling.options")
@given(data=st.data(), nd=st.integers(2, 3), kernel=st.integers(1, 3), stride=st.integers(1, 2),
       ceil_mode=st.booleans(), count_include_pad=st.booleans(),
       divisor=st.sampled_from([None, 3]))
def test_avg_pool_values_gradients(check, data, nd, kernel, stride, ceil_mode,
                                   count_include_pad, divisor):
    padding = data.draw(st.integers(0, kernel // 2))
    x = data.draw(tensors(dtype=data.draw(floats), shape=(1, 2) + (4,) * nd, **SMALL,
                          requires_grad=True))
    check(lambda T, d, x: getattr(T.nn.functional, f"avg_pool{nd}d")(
        x, kernel, stride, padding, ceil_mode, count_include_pad, divisor),
        x, grad=True, autograd=True)


@spec("nn.functional.pooling")
@given(data=st.data(), nd=st.integers(1, 3), out=st.integers(1, 4))
def test_adaptive_pools(check, data, nd, out):
    x = data.draw(tensors(dtype=data.draw(floats), shape=(2, 2) + (5,) * nd, **SMALL,
                          requires_grad=True))
    F = f"adaptive_avg_pool{nd}d", f"adaptive_max_pool{nd}d"
    check(lambda T, d, x: (getattr(T.nn.functional, F[0])(x, out),
                           getattr(T.nn.functional, F[1])(x, out, return_indices=True)),
          x, grad=True)


@spec("nn.layers.pooling-modules")
@given(data=st.data())
def test_pool_modules_and_unpool(check, data):
    x = data.draw(tensors(dtype="float64", shape=(1, 2, 4, 4), **SMALL,
                          requires_grad=True))

    def program(T, d, x):
        nn = T.nn
        pool, unpool = nn.MaxPool2d(2, return_indices=True), nn.MaxUnpool2d(2)
        y, i = pool(x)
        mods = [nn.AvgPool1d(3), nn.AdaptiveAvgPool2d((2, None)), nn.AdaptiveMaxPool1d(3)]
        return (y, i, unpool(y, i), nn.AvgPool2d(2, divisor_override=3)(x),
                [repr(m) for m in [pool, unpool] + mods])
    check(program, x, grad=True)


@spec("nn.functional.pooling")
@given(case=st.integers(0, 2))
def test_pool_errors(check, case):
    def program(T, d):
        F = T.nn.functional
        x = T.zeros(2, 3, 5, 5)
        return [lambda: F.max_pool2d(x, 2, padding=2), lambda: F.max_pool2d(x, 7),
                lambda: F.max_pool2d(x, 2, stride=0)][case]()
    check(program)


@spec("nn.layers.pooling-modules")
@given(case=st.integers(0, 5))
def test_pool_module_bad_shapes(check, case):
    # the modules raise what their functional forms raise: RuntimeError for a too-small or
    # wrong-rank input of max/avg pooling, IndexError for a 1D input of 2D avg pooling,
    # ValueError from AdaptiveAvgPool2d's rank check
    def program(T, d):
        nn = T.nn
        return [lambda: nn.MaxPool2d(3)(T.zeros(2, 3, 2, 2)),
                lambda: nn.MaxPool2d(2)(T.zeros(5)),
                lambda: nn.AvgPool2d(2)(T.zeros(5)),
                lambda: nn.AdaptiveAvgPool2d((2, 2))(T.zeros(5)),
                lambda: nn.MaxPool1d(2, padding=2)(T.zeros(1, 2, 6)),
                lambda: nn.AvgPool1d(3)(T.zeros(1, 2, 2))][case]()
    check(program)


@spec("nn.functional.pooling")
@given(data=st.data(), which=st.integers(0, 5))
def test_pool_grad_fn_names(check, data, which):
    # autograd=True compares the grad_fn names: MaxPool2DWithIndicesBackward0,
    # AvgPool2DBackward0, AdaptiveAvgPool2DBackward0 (MeanBackward1 for a 1x1 output), ...
    x = data.draw(tensors(dtype="float32", shape=(1, 2, 4, 4), **SMALL, requires_grad=True))

    def program(T, d, x):
        F = T.nn.functional
        return [lambda: F.max_pool2d(x, 2), lambda: F.avg_pool2d(x, 2),
                lambda: F.adaptive_avg_pool2d(x, 2), lambda: F.adaptive_avg_pool2d(x, 1),
                lambda: F.adaptive_max_pool2d(x, 2), lambda: F.max_pool3d(x[None], 2)][which]()
    check(program, x, grad=True, autograd=True)
