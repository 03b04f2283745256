"""The printed form of tensors, compared with torch's as exact strings: number formats,
widths, line wrapping, summarization, suffixes, and set_printoptions."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import ALL_DTYPES, FLOAT_DTYPES, INT_DTYPES, arrays, shapes, tensors

MAGNITUDES = st.sampled_from([1e-6, 1e-3, 1.0, 10.0, 1e4, 1e9])


def _scaled(x, scale):
    if x.base.dtype.kind == "f":
        x.base[...] = x.base * scale
    return x


@spec("torch.printing.float-formats")
@given(x=tensors(dtype=st.sampled_from(FLOAT_DTYPES), shape=shapes(max_side=6)),
       scale=MAGNITUDES, integral=st.booleans())
def test_float_repr_formats(check, x, scale, integral):
    _scaled(x, scale)
    if integral:
        x.base[...] = np.round(x.base)
    check(lambda T, d, x: (repr(x), str(x)), x)


@spec("torch.printing.int-bool")
@given(x=tensors(dtype=st.sampled_from(INT_DTYPES + ("bool",)), shape=shapes(max_side=6)))
def test_integer_and_bool_repr(check, x):
    check(lambda T, d, x: repr(x), x)


@spec("torch.printing.wrapping")
@given(n=st.integers(1, 40), rows=st.integers(1, 3), dtype=st.sampled_from(ALL_DTYPES),
       data=st.data())
def test_long_rows_wrap_at_linewidth(check, n, rows, dtype, data):
    x = data.draw(arrays(dtype, (rows, n)))
    check(lambda T, d, x: (repr(x), repr(x[0])), x)


@spec("torch.printing.summarize")
@given(shape=st.sampled_from([(1001,), (2000,), (40, 30), (3, 20, 20), (1001, 1), (7, 150)]),
       dtype=st.sampled_from(("float32", "int64", "bool", "float64")), data=st.data())
def test_summarized_above_threshold(check, shape, dtype, data):
    x = np.arange(int(np.prod(shape))).reshape(shape)
    if dtype == "float32":
        x = x * data.draw(MAGNITUDES) / 7
    x = x.astype(dtype) if dtype != "bool" else x % 3 == 0
    check(lambda T, d, x: repr(x), x)


@spec("torch.printing.suffixes")
@given(shape=st.sampled_from([(0,), (0, 3), (2, 0, 1)]), dtype=st.sampled_from(ALL_DTYPES))
def test_empty_tensor_repr(check, shape, dtype):
    check(lambda T, d, x: repr(x), np.zeros(shape, dtype))


@spec("torch.printing.suffixes", "torch.Tensor.repr")
@given(x=tensors(dtype=st.sampled_from(FLOAT_DTYPES), requires_grad=True,
                 layouts=("contiguous",)))
def test_autograd_suffixes(check, x):
    # integral values: sums and means are exact, whatever the summation order
    x.base[...] = np.round(x.base)
    check(lambda T, d, x: (repr(x), repr(x * 2), repr(x.sum()), repr(x.detach()),
                           repr(x.sum(0) if x.dim() else x * x)), x)


@spec("torch.printing.suffixes")
@given(x=arrays("float32", (3,)))
def test_dtype_suffix_follows_the_default_dtype(check, x):
    def program(T, d, x):
        T.set_default_dtype(T.float64)
        return repr(x), repr(x.double()), repr(x.long()), repr(T.zeros(0))
    check(program, x)


@spec("torch.printing.complex")
@given(re=arrays("float64", (2, 3)), im=arrays("float64", (2, 3)), scale=MAGNITUDES)
def test_complex_repr(check, re, im, scale):
    z = np.empty(re.shape, np.complex64)
    with np.errstate(invalid="ignore", over="ignore"):  # inf * 0 scale: a nan is a fine input
        z.real, z.imag = re * scale, np.round(im)  # parts set apart: 1j * inf makes a nan
    check(lambda T, d, z: (repr(z), repr(z.to(T.complex128)), repr(z[0, 0])), z)


@spec("torch.printing.set-printoptions")
@given(x=tensors(dtype=st.sampled_from(FLOAT_DTYPES + ("int64",)), shape=shapes(max_side=8)),
       precision=st.sampled_from([None, 0, 2, 6]), threshold=st.sampled_from([None, 5, 50]),
       edgeitems=st.sampled_from([None, 1, 2]), linewidth=st.sampled_from([None, 30, 120]),
       sci_mode=st.sampled_from([None, True, False]),
       profile=st.sampled_from([None, "short", "full", "default"]))
def test_set_printoptions(check, x, precision, threshold, edgeitems, linewidth, sci_mode,
                          profile):
    def program(T, d, x):
        try:
            T.set_printoptions(precision=precision, threshold=threshold, edgeitems=edgeitems,
                               linewidth=linewidth, sci_mode=sci_mode, profile=profile)
            return repr(x), repr(x.float() * 1e-5)
        finally:
            T.set_printoptions(profile="default")
    check(program, x)


@spec("torch.print-values")
def test_dynamic_graph_example_prints_values_at_once(check):
    def program(T, d):
        x1, x2, w11, w12, w21, w22, w31, w32 = (T.tensor([1.0]) for _ in range(8))
        m1 = T.add(T.mul(x1, w11), T.mul(x2, w12))
        m2 = T.add(T.mul(x1, w21), T.mul(x2, w22))
        y = T.add(T.mul(m1, w31), T.mul(m2, w32))
        return str(m1), str(m2), str(y)
    check(program)
