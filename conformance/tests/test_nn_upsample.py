"""Interpolation, padding and pixel shuffles against torch."""

from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import FLOAT_DTYPES, tensors

floats = st.sampled_from(FLOAT_DTYPES)
SMALL = {"special": False, "min_value": -2, "max_value": 2}  # finite, sums stay moderate
MODES = {1: ["nearest", "nearest-exact", "linear", "area"],
         2: ["nearest", "nearest-exact", "bilinear", "bicubic", "area"],
         3: ["nearest", "trilinear", "area"]}


@spec("nn.Upsample.modes")
@given(data=st.data(), nd=st.integers(1, 3))
def test_interpolate_modes(check, data, nd):
    mode = data.draw(st.sampled_from(MODES[nd]))
    align = data.draw(st.sampled_from([None, True, False])) if mode in (
        "linear", "bilinear", "bicubic", "trilinear") else None
    by_size = data.draw(st.booleans())
    size = data.draw(st.integers(1, 6)) if by_size else None
    scale = None if by_size else data.draw(st.sampled_from([0.5, 1.5, 2.0, 2.5]))
    recompute = None if by_size else data.draw(st.sampled_from([None, True]))
    x = data.draw(tensors(dtype=data.draw(floats), shape=(1, 2) + (3,) * nd, **SMALL,
                          requires_grad=True))
    check(lambda T, d, x: T.nn.functional.interpolate(x, size, scale, mode, align,
                                                      recompute_scale_factor=recompute),
          x, grad=True, autograd=True)


@spec("nn.Upsample", "nn.Upsample.errors")
@given(data=st.data(), case=st.integers(0, 4))
def test_upsample_modules_and_errors(check, data, case):
    x = data.draw(tensors(dtype="float32", shape=(1, 1, 2, 3), **SMALL))

    def program(T, d, x):
        nn = T.nn
        m = [nn.Upsample(scale_factor=2), nn.Upsample(size=(3, 4), mode="bilinear",
                                                      align_corners=True),
             nn.UpsamplingNearest2d(scale_factor=2), nn.UpsamplingBilinear2d(size=3),
             nn.Upsample(mode="linear", size=3)][case]
        return m(x), repr(m)
    check(program, x)


@spec("nn.functional.pad.modes", "nn.layers.padding-modules")
@given(data=st.data(), mode=st.sampled_from(["constant", "reflect", "replicate", "circular"]),
       nd=st.integers(1, 3))
def test_pad_modes(check, data, mode, nd):
    pads = tuple(data.draw(st.integers(-1, 2)) for _ in range(2 * nd))
    x = data.draw(tensors(dtype=data.draw(floats), shape=(1, 2) + (3,) * nd, **SMALL,
                          requires_grad=True))
    check(lambda T, d, x: T.nn.functional.pad(x, pads, mode), x, grad=True, autograd=True)


@spec("nn.layers.padding-modules")
@given(data=st.data())
def test_padding_modules(check, data):
    x = data.draw(tensors(dtype="float64", shape=(1, 2, 3, 3), **SMALL))

    def program(T, d, x):
        nn = T.nn
        mods = [nn.ZeroPad2d(1), nn.ConstantPad1d((1, 2), 3.5), nn.ReflectionPad2d((1, 0, 2, 1)),
                nn.ReplicationPad1d(2), nn.CircularPad2d(1)]
        return [m(x) for m in mods], [repr(m) for m in mods]
    check(program, x)


@spec("nn.functional.layers.pixel-shuffle")
@given(data=st.data(), r=st.integers(1, 2))
def test_pixel_shuffle(check, data, r):
    x = data.draw(tensors(dtype=data.draw(floats), shape=(1, 4, 2, 2), **SMALL,
                          requires_grad=True))
    check(lambda T, d, x: (T.nn.functional.pixel_shuffle(x, r),
                           T.nn.functional.pixel_unshuffle(x, r), T.nn.PixelShuffle(r)(x)),
          x, grad=True, autograd=True)
