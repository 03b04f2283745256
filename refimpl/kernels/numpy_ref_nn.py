"""Reference kernel table, part:
Neural-network kernels: convolution, pooling, normalization, interpolation, losses.

Plain NumPy; every public callable here joins numpy_ref.TABLE (a name defined twice is an
error). Arrays in, arrays out; dtypes are NumPy dtypes.
"""

import numpy as np  # noqa: F401
