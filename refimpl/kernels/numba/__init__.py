"""The Numba CPU overrides: kernels for what NumPy does poorly.

Only entries listed in OVERRIDES replace the reference table; everything else stays NumPy.
Numba has no float16/bfloat16, so every override falls back to the reference for dtypes it
was not specialised on (float32 and float64 here). elementwise.KERNELS lists the elementwise
overrides (fused activations, and threaded loops for large plain ops).
"""

import os

# Numba's OpenMP threads spin after each parallel loop by default; on a small machine they then
# compete with BLAS's threads and a following matmul runs many times slower. Passive waiting
# costs some microseconds of wake-up per parallel loop instead (set before the first one).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .. import numpy_ref  # noqa: E402
from . import elementwise, linalg, nn, reduction  # noqa: E402

OVERRIDES = {**elementwise.KERNELS, **linalg.KERNELS, **reduction.OVERRIDES, **nn.KERNELS}
__all__ = ["OVERRIDES", "numpy_ref"]
