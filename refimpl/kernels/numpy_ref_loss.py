"""Reference kernel table, part:
activations, softmax, losses, embedding and dropout kernels.

Plain NumPy; every public callable here joins numpy_ref.TABLE (a name defined twice is an
error). Arrays in, arrays out; dtypes are NumPy dtypes.
"""

import numpy as np  # noqa: F401
