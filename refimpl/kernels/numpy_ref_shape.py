"""Reference kernel table, part:
Shape, joining and indexing kernels (gather, scatter, index, masks, flip, roll, ...).

Plain NumPy; every public callable here joins numpy_ref.TABLE (a name defined twice is an
error). Arrays in, arrays out; dtypes are NumPy dtypes.
"""

import numpy as np  # noqa: F401
