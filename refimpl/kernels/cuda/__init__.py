"""The CUDA kernel table: numba.cuda kernels with the NumPy reference's semantics.

Every entry of `numpy_ref.TABLE` has one here, taking and returning device arrays (numba's
DeviceNDArray, or the simulator's FakeCUDAArray) where the reference takes NumPy arrays; plus
`data_ptr(buffer)` for UntypedStorage. The files mirror the numba CPU ones: memory (views,
transfer, the strided copy), elementwise, reduction, linalg. Only `_runtime` touches numba's
array objects.
"""

from . import elementwise, linalg, memory, reduction

TABLE = {name: getattr(module, name)
         for module in (memory, elementwise, reduction, linalg) for name in module.__all__}
