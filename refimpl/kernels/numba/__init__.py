"""The Numba CPU overrides: kernels for what NumPy does poorly.

Only entries listed in OVERRIDES replace the reference table; everything else stays NumPy.
Numba has no float16/bfloat16, so every override falls back to the reference for dtypes it
was not specialised on (float32 and float64 here). elementwise.KERNELS lists the elementwise
overrides (fused activations, and threaded loops for large plain ops).
"""

from .. import numpy_ref
from . import elementwise, reduction

OVERRIDES = {**elementwise.KERNELS,
             "sum": reduction.sum, "mean": reduction.mean, "amax": reduction.amax,
             "amin": reduction.amin, "argmax": reduction.argmax}
__all__ = ["OVERRIDES", "numpy_ref"]
