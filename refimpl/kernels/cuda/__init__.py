"""The CUDA kernel table: numba.cuda kernels with the NumPy reference's semantics.

Every entry of `numpy_ref.TABLE` has one here, taking and returning device arrays (numba's
DeviceNDArray, or the simulator's FakeCUDAArray) where the reference takes NumPy arrays; plus
`data_ptr(buffer)` for UntypedStorage. Entries without a device kernel yet are *host
fallbacks*: the NumPy reference run on host copies, the result moved back (correct, slow;
marked `host_fallback = True`). The files mirror the numba CPU ones: memory (views,
transfer, the strided copy), elementwise, reduction, linalg, nn. Only `_runtime` touches numba's
array objects.
"""

from .. import numpy_ref
from . import _runtime as runtime
from . import elementwise, linalg, memory, nn, reduction

TABLE = {name: getattr(module, name)
         for module in (memory, elementwise, reduction, linalg, nn) for name in module.__all__}


def _to_host(value):
    if runtime.is_device_array(value):
        return memory.to_host(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_to_host(v) for v in value)
    return value


def _to_device(value):
    if isinstance(value, tuple):
        return tuple(_to_device(v) for v in value)
    if isinstance(value, list):
        return [_to_device(v) for v in value]
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return runtime.to_device(value)
    return value


def _host_fallback(reference):
    def entry(*args, **kwargs):
        return _to_device(reference(*_to_host(args), **_to_host(kwargs)))
    entry.__name__ = reference.__name__ if hasattr(reference, "__name__") else "fallback"
    entry.host_fallback = True
    return entry


for _name, _reference in numpy_ref.TABLE.items():
    if _name not in TABLE:
        TABLE[_name] = _host_fallback(_reference)
