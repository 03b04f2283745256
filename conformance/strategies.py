"""Hypothesis strategies for differential tests: dtypes, shapes, broadcastable shape pairs,
arrays with special values, and tensor inputs with non-contiguous layouts.

Layouts are built with the library's own ops on each side (DESIGN: non-contiguous inputs are
made the way a user makes them): `transposed` (t / transpose of a larger base),
`strided` (select index 0 of a trailing size-2 dim: a step-2 view), `expanded` (a size-1 dim
expanded: stride 0).
"""

import ml_dtypes  # noqa: F401  (np.dtype("bfloat16") resolves once ml_dtypes is imported)
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .check import TensorInput

FLOAT_DTYPES = ("float32", "float64")
INT_DTYPES = ("int64", "int32", "int16", "int8", "uint8")
ALL_DTYPES = FLOAT_DTYPES + INT_DTYPES + ("bool",)
# dtypes a backend may lack (its `capabilities` say): drawn through `supported_dtypes(backend)`
HALF_DTYPES = ("float16", "bfloat16")
COMPLEX_DTYPES = ("complex64", "complex128")


def dtypes(names=ALL_DTYPES):
    return st.sampled_from([np.dtype(n) for n in names])


def shapes(min_dims=0, max_dims=3, min_side=0, max_side=5):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def broadcastable_shapes(min_dims=0, max_dims=3, max_side=4):
    """Pairs of shapes that broadcast together (size-1 dims and missing leading dims)."""
    return hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=min_dims, max_dims=max_dims,
                                             max_side=max_side).map(lambda s: s.input_shapes)


def elements(dtype, special=True, min_value=None, max_value=None):
    """Values of a dtype: finite floats in a moderate range, plus 0, -0.0, inf and nan when
    `special` (NaN and out-of-range float-to-int casts are undefined in torch: strategies keep
    them away from integer conversions)."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        lo = -1e3 if min_value is None else min_value
        hi = 1e3 if max_value is None else max_value
        finite = st.floats(lo, hi, allow_nan=False, allow_infinity=False,
                           width=8 * dtype.itemsize if dtype.itemsize >= 4 else 32)
        if not special:
            return finite
        return st.one_of(finite, st.sampled_from([0.0, -0.0, np.inf, -np.inf, np.nan]))
    if dtype.kind == "b":
        return st.booleans()
    info = np.iinfo(dtype)
    lo = info.min if min_value is None else max(min_value, info.min)
    hi = info.max if max_value is None else min(max_value, info.max)
    return st.integers(int(lo), int(hi))


def arrays(dtype, shape, **kw):
    if np.dtype(dtype).name in HALF_DTYPES + COMPLEX_DTYPES:
        return _cast_arrays(dtype, shape, **kw)
    return hnp.arrays(np.dtype(dtype), shape, elements=elements(dtype, **kw))


def _cast_arrays(dtype, shape, **kw):
    """float16 / bfloat16 arrays from float32 values rounded to the dtype (hypothesis has no
    bfloat16), complex arrays from a real and an imaginary part."""
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        real = np.float32 if dtype.itemsize == 8 else np.float64
        parts = st.tuples(arrays(real, shape, **kw), arrays(real, shape, **kw))
        return parts.map(lambda p: _complex(p[0], p[1], dtype))
    return arrays(np.float32, shape, **kw).map(lambda a: a.astype(dtype))


def _complex(real, imag, dtype):
    out = np.empty(real.shape, dtype)
    out.real, out.imag = real, imag
    return out


def supported_dtypes(backend, names=ALL_DTYPES + HALF_DTYPES + COMPLEX_DTYPES):
    """The dtype names of `names` the backend supports (float16, bfloat16 and complex only
    with the capability of that name)."""
    caps = getattr(backend, "capabilities", frozenset())
    need = {"float16": "float16", "bfloat16": "bfloat16", "complex64": "complex",
            "complex128": "complex"}
    return tuple(n for n in names if need.get(n, "any") in caps or n not in need)


@st.composite
def tensors(draw, dtype=None, shape=None, layouts=("contiguous", "transposed", "strided",
                                                   "expanded"), requires_grad=False, **kw):
    """A TensorInput of the given (or drawn) dtype and logical shape, in a drawn layout.
    `dtype` and `shape` may be values or strategies."""
    dtype = draw(dtypes()) if dtype is None else dtype
    dtype = np.dtype(draw(dtype) if isinstance(dtype, st.SearchStrategy) else dtype)
    shape = draw(shapes()) if shape is None else shape
    shape = tuple(draw(shape) if isinstance(shape, st.SearchStrategy) else shape)
    layout = draw(st.sampled_from(layouts))
    if layout == "transposed" and len(shape) >= 2:
        base = draw(arrays(dtype, shape[:-2] + (shape[-1], shape[-2]), **kw))
        ops = (("transpose", len(shape) - 2, len(shape) - 1),)
    elif layout == "strided" and len(shape) >= 1:
        base = draw(arrays(dtype, shape + (2,), **kw))
        ops = (("select", -1, 0),)
    elif layout == "expanded" and len(shape) >= 1 and 1 not in shape[:1]:
        base = draw(arrays(dtype, (1,) + shape[1:], **kw))
        ops = (("expand",) + shape,)
    else:
        base = draw(arrays(dtype, shape, **kw))
        ops = ()
    return TensorInput(base, ops, requires_grad and dtype.kind == "f")
