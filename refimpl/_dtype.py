"""dtypes, the default dtype, and torch's type promotion.

Spec: torch.Tensor.dtypes, torch.type-promotion. torch promotes differently from NumPy:
categories are bool < integer < floating < complex, and within the winning category a
dimensioned tensor outranks a 0-dim tensor, which outranks a Python scalar
(`int64 tensor + 2.5` is float32, `float16 tensor + float64 0-dim tensor` is float16).
"""

import builtins

import ml_dtypes
import numpy as np


class dtype:
    """A torch dtype: `torch.float32` and friends. Instances are singletons."""

    __slots__ = ("name", "np", "itemsize", "is_floating_point", "is_complex", "is_signed", "_rank")

    def __init__(self, name, np_dtype, kind, rank):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.itemsize = self.np.itemsize
        self.is_floating_point = kind == "f"
        self.is_complex = kind == "c"
        self.is_signed = name not in ("uint8", "bool") and not name.startswith("uint")
        self._rank = rank

    def __repr__(self):
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))

    def to_real(self):
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self):
        return {"float16": complex64, "bfloat16": complex64, "float32": complex64,
                "float64": complex128}.get(self.name, self)


def _by_name(name):
    return _BY_NAME[name]


bool = dtype("bool", np.bool_, "b", 0)
uint8 = dtype("uint8", np.uint8, "u", 1)
int8 = dtype("int8", np.int8, "i", 1)
int16 = dtype("int16", np.int16, "i", 2)
int32 = dtype("int32", np.int32, "i", 3)
int64 = dtype("int64", np.int64, "i", 4)
float16 = dtype("float16", np.float16, "f", 5)
bfloat16 = dtype("bfloat16", ml_dtypes.bfloat16, "f", 5)
float32 = dtype("float32", np.float32, "f", 6)
float64 = dtype("float64", np.float64, "f", 7)
complex64 = dtype("complex64", np.complex64, "c", 8)
complex128 = dtype("complex128", np.complex128, "c", 9)

ALL = (bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64,
       complex64, complex128)
_BY_NAME = {d.name: d for d in ALL}
_BY_NP = {d.np: d for d in ALL}
ALIASES = {"half": float16, "float": float32, "double": float64, "short": int16,
           "int": int32, "long": int64, "cfloat": complex64, "cdouble": complex128}


def from_numpy_dtype(np_dtype):
    """The torch dtype of a NumPy dtype; TypeError for one torch has no equivalent of."""
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types "
            "are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
            "uint8, and bool.") from None


# -- default dtype ----------------------------------------------------------------------------

_default = float32


def get_default_dtype():
    return _default


def set_default_dtype(d):
    """Spec torch.default-dtype: only floating dtypes may be the default."""
    global _default
    if not isinstance(d, dtype):
        raise TypeError(f"set_default_dtype(): argument 'd' must be torch.dtype, not "
                        f"{type(d).__name__}")
    if d not in (float16, bfloat16, float32, float64):
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default = d


def default_complex_dtype():
    return complex128 if _default is float64 else complex64


def scalar_dtype(value):
    """The dtype torch gives a Python scalar before promotion (bool, int64, default, complex)."""
    if isinstance(value, builtins.bool):
        return bool
    if isinstance(value, int):
        return int64
    if isinstance(value, float):
        return _default
    if isinstance(value, complex):
        return default_complex_dtype()
    raise TypeError(f"not a Python scalar: {type(value).__name__}")


# -- promotion --------------------------------------------------------------------------------

def _category(d):
    return 0 if d is bool else 3 if d.is_complex else 2 if d.is_floating_point else 1


def promote_types(a, b):
    """torch.promote_types: the smallest dtype both a and b can be cast to safely."""
    if a is b:
        return a
    ca, cb = _category(a), _category(b)
    if ca != cb:
        hi, lo = (a, b) if ca > cb else (b, a)
        if hi.is_complex and lo.is_floating_point:
            # complex keeps at least the float's precision: complex64 + float64 = complex128
            return complex128 if lo is float64 else hi
        return hi
    if ca == 2 and {a, b} == {float16, bfloat16}:
        return float32
    if ca == 1:
        return from_numpy_dtype(np.promote_types(a.np, b.np))
    return a if a._rank > b._rank else b


def _combine_categories(higher, lower):
    """Merge a higher-priority result with a lower-priority one (torch's ResultTypeState)."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        return higher.to_complex() if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type(*operands):
    """torch.result_type over tensors and Python scalars.

    Operands fall into three priority classes: dimensioned tensors, 0-dim tensors and Python
    scalars. A lower class only matters when it brings a higher category.
    """
    dim = zero = wrapped = None
    for x in operands:
        if hasattr(x, "_dtype"):
            if x.dim() > 0:
                dim = x._dtype if dim is None else promote_types(dim, x._dtype)
            else:
                zero = x._dtype if zero is None else promote_types(zero, x._dtype)
        elif isinstance(x, (builtins.bool, int, float, complex)):
            d = scalar_dtype(x)
            wrapped = d if wrapped is None else promote_types(wrapped, d)
        else:
            raise TypeError(f"result_type: unsupported operand of type {type(x).__name__}")
    return _combine_categories(dim, _combine_categories(zero, wrapped))


def can_cast(from_, to):
    """torch.can_cast: False only when the cast lowers the category (float -> int, etc.)."""
    return _category(from_) <= _category(to)


def opmath(d):
    """The type torch computes in for d: float32 for the 16-bit floats, d otherwise."""
    return float32 if d in (float16, bfloat16) else d
