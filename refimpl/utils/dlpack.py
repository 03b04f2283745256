"""torch.utils.dlpack: exchange tensors with other frameworks through DLPack, sharing memory.

A cpu tensor's elements are a NumPy array over its storage, so refimpl speaks DLPack through
NumPy's implementation of the protocol: `to_dlpack` hands out the capsule NumPy makes for that
array, and `from_dlpack` lets NumPy consume a capsule (or any object with `__dlpack__`) and
wraps the resulting array without copying (spec torch.utils.dlpack.round-trip,
torch.utils.dlpack.exchange). NumPy has no bfloat16 DLPack code, so bfloat16 is not exchanged.
"""

import ctypes
import enum

import numpy as np

from .._tensor import Tensor

INVALID_CAPSULE = ("from_dlpack received an invalid capsule. Note that DLTensor capsules can be "
                   "consumed only once, so you might have already constructed a tensor from it "
                   "once.")


class DLDeviceType(enum.IntEnum):
    """DLPack's device codes (the cpu is 1)."""

    kDLCPU = 1
    kDLGPU = 2
    kDLCPUPinned = 3
    kDLOpenCL = 4
    kDLVulkan = 7
    kDLMetal = 8
    kDLVPI = 9
    kDLROCM = 10
    kDLExtDev = 12
    kDLOneAPI = 14


def _cpu_array(tensor):
    if tensor.device.type != "cpu":
        raise BufferError("refimpl exchanges only cpu tensors through DLPack")
    return tensor.numpy(force=True)


def _dlpack(self, *, stream=None, max_version=None, dl_device=None, copy=None):
    """Tensor.__dlpack__: a DLPack capsule over the tensor's memory; a tensor that requires
    grad is refused with BufferError (spec torch.utils.dlpack.requires-grad)."""
    if self.requires_grad:
        raise BufferError("Can't export tensors that require gradient, use tensor.detach()")
    array = _cpu_array(self)
    if copy:
        array = array.copy()
    return array.__dlpack__()


def _dlpack_device(self):
    """Tensor.__dlpack_device__: (DLDeviceType.kDLCPU, 0) for a cpu tensor."""
    if self.device.type != "cpu":
        raise BufferError("refimpl exchanges only cpu tensors through DLPack")
    return DLDeviceType.kDLCPU, 0


def to_dlpack(tensor):
    """A PyCapsule named 'dltensor' over the tensor's memory; autograd state is dropped (a
    tensor that requires grad is accepted, unlike `__dlpack__`)."""
    return _cpu_array(tensor).__dlpack__()


class _Capsule:
    """Presents a raw capsule to NumPy, which consumes objects with `__dlpack__`."""

    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, **_):
        return self.capsule

    def __dlpack_device__(self):
        return DLDeviceType.kDLCPU, 0


def _is_fresh_capsule(obj):
    is_valid = ctypes.pythonapi.PyCapsule_IsValid
    is_valid.restype, is_valid.argtypes = ctypes.c_int, [ctypes.py_object, ctypes.c_char_p]
    return type(obj).__name__ == "PyCapsule" and bool(is_valid(obj, b"dltensor"))


def _writable(array):
    """A writable array over the same memory. NumPy marks what it imports from an unversioned
    capsule read-only (that DLPack version has no read-only flag); torch shares the memory for
    writing, so refimpl does too."""
    extent = int((np.array(array.shape) - 1) @ np.array(array.strides)) + array.itemsize
    memory = (ctypes.c_char * max(extent, 0)).from_address(array.ctypes.data)
    memory.owner = array                    # keeps the producer's memory alive
    return np.ndarray(array.shape, array.dtype, buffer=memory, strides=array.strides)


def from_dlpack(ext_tensor, *, device=None, copy=None):
    """A tensor over the memory of a DLPack capsule or of an object with `__dlpack__` (a
    NumPy array, a tensor of any framework); `copy=True` copies instead. A used capsule or
    anything else raises RuntimeError as torch does."""
    from .._refs.creation import from_numpy

    if isinstance(ext_tensor, Tensor):
        array = _cpu_array(ext_tensor.detach())
    elif hasattr(ext_tensor, "__dlpack__"):
        array = np.from_dlpack(ext_tensor)
    elif _is_fresh_capsule(ext_tensor):
        array = np.from_dlpack(_Capsule(ext_tensor))
    else:
        raise RuntimeError(INVALID_CAPSULE)
    if copy:
        array = array.copy()
    if not array.flags.writeable:
        array = _writable(array)
    result = from_numpy(array)
    return result if device is None else result.to(device)


Tensor.__dlpack__ = _dlpack
Tensor.__dlpack_device__ = _dlpack_device

__all__ = ["DLDeviceType", "from_dlpack", "to_dlpack"]
