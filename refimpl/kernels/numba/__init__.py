"""The Numba CPU overrides: kernels for what NumPy does poorly.

Only entries listed in OVERRIDES replace the reference table; everything else stays NumPy.
Numba has no float16/bfloat16, so every override falls back to the reference for dtypes it
was not specialised on (float32 and float64 here).
"""

from .. import numpy_ref
from .elementwise import relu, sigmoid

OVERRIDES = {"sigmoid": sigmoid, "relu": relu}
__all__ = ["OVERRIDES", "numpy_ref"]
