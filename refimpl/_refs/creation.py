"""Tensor creation: tensor, as_tensor, from_numpy, zeros, ones, empty, full, arange.

Spec torch.creation: `torch.tensor(data)` copies and infers the dtype (bool, int64, the
default float dtype, or complex); `from_numpy` shares memory with the array; the factories
take `dtype`, `device` and `requires_grad`.
"""

import builtins
import math

import numpy as np

from .. import _dtype, kernels
from .._device import canonical
from .._tensor import Tensor
from .views import _shape_arg


def _finish(t, requires_grad):
    if requires_grad:
        t.requires_grad_(True)
    return t


def _infer_dtype(data):
    """The dtype torch.tensor picks for nested Python data."""
    kinds = set()

    def walk(x):
        if isinstance(x, Tensor):
            kinds.add(x.dtype)
        elif isinstance(x, np.ndarray):
            kinds.add(_dtype.from_numpy_dtype(x.dtype))
        elif isinstance(x, (list, tuple)):
            for y in x:
                walk(y)
        elif isinstance(x, (bool, np.bool_)):
            kinds.add(_dtype.bool)
        elif isinstance(x, (int, np.integer)):
            kinds.add(_dtype.int64)
        elif isinstance(x, (float, np.floating)):
            kinds.add(_dtype.get_default_dtype())
        elif isinstance(x, (complex, np.complexfloating)):
            kinds.add(_dtype.default_complex_dtype())
        else:
            raise TypeError(f"Could not infer dtype of {type(x).__name__}")
    walk(data)
    result = None
    for d in kinds:
        result = d if result is None else _dtype.promote_types(result, d)
    return result or _dtype.get_default_dtype()


def _to_numpy_data(data):
    if isinstance(data, Tensor):
        return data._host()
    if isinstance(data, (list, tuple)):
        return [_to_numpy_data(x) for x in data]
    return data


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """torch.tensor: a new tensor holding a copy of `data`."""
    if isinstance(data, Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    if isinstance(data, np.ndarray):
        inferred = _dtype.from_numpy_dtype(data.dtype)
    elif isinstance(data, Tensor):
        inferred = data.dtype
    elif data is None:
        raise RuntimeError("Could not infer dtype of NoneType")
    elif isinstance(data, (str, bytes, dict, set)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    else:
        inferred = _infer_dtype(data)
    dtype = dtype or inferred
    host = np.array(_to_numpy_data(data))
    if host.dtype == object:
        raise ValueError("expected sequence of equal-length sequences")
    dev = canonical(device)
    return _finish(_from_host(host.astype(dtype.np), dtype, dev), requires_grad)


def _from_host(host, dtype, device):
    xp = kernels.for_device(device)
    return Tensor._from_array(xp.to_device(host), dtype, device)


def as_tensor(data, dtype=None, device=None):
    """torch.as_tensor: shares memory with a tensor or a cpu NumPy array when no conversion
    is needed, else copies."""
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype) if (dtype or device) else data
    if isinstance(data, np.ndarray) and device is None and \
            (dtype is None or dtype.np == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(ndarray):
    """torch.from_numpy: a cpu tensor sharing the array's memory. Spec
    torch.from-numpy-shares-memory."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    dtype = _dtype.from_numpy_dtype(ndarray.dtype)
    itemsize = ndarray.itemsize
    if any(s < 0 or s % itemsize for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    if not ndarray.flags.writeable:
        import warnings
        warnings.warn("The given NumPy array is not writable, and PyTorch does not support "
                      "non-writable tensors.", UserWarning, stacklevel=2)
    strides = tuple(s // itemsize for s in ndarray.strides)
    owner = ndarray
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    from .._tensor import UntypedStorage
    if owner.flags.c_contiguous or owner.flags.f_contiguous:
        offset_bytes = ndarray.__array_interface__["data"][0] - \
            owner.__array_interface__["data"][0]
        buffer = owner.reshape(-1, order="A").view(np.uint8)
        t = Tensor._make(UntypedStorage(buffer, canonical(None)), offset_bytes // itemsize,
                         tuple(ndarray.shape), strides, dtype, canonical(None))
    else:
        t = Tensor._from_array(np.ascontiguousarray(ndarray).copy(), dtype)
    t._arr = ndarray
    return t


def _factory(shape, dtype, device, name="zeros"):
    if shape == ():
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    shape = _shape_arg(shape)
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(shape)}")
    return shape, dtype or _dtype.get_default_dtype(), canonical(device)


def empty(*size, dtype=None, device=None, requires_grad=False, memory_format=None,
          pin_memory=False, out=None):
    """torch.empty: uninitialised values."""
    shape, dtype, device = _factory(size, dtype, device, "empty")
    return _finish(Tensor._empty(shape, dtype, device), requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    """torch.full: every element `fill_value`; the dtype is inferred from it when not given."""
    if dtype is None:
        dtype = _dtype.scalar_dtype(fill_value)
    shape, dtype, device = _factory(((size,) if isinstance(size, int) else (tuple(size),)),
                                    dtype, device, "full")
    xp = kernels.for_device(device)
    return _finish(Tensor._from_array(xp.full(shape, fill_value, dtype.np), dtype, device),
                   requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None):
    """torch.zeros: a tensor of zeros. Spec torch.zeros."""
    shape, dtype, device = _factory(size, dtype, device)
    return full(shape, 0, dtype=dtype, device=device, requires_grad=requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None):
    """torch.ones: a tensor of ones."""
    shape, dtype, device = _factory(size, dtype, device, "ones")
    return full(shape, 1, dtype=dtype, device=device, requires_grad=requires_grad)


def _like(name, fill):
    def like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
        dtype = dtype or input.dtype
        device = canonical(device) if device is not None else input.device
        if fill is None:
            return _finish(Tensor._empty(input._shape, dtype, device), requires_grad)
        return full(input._shape, fill, dtype=dtype, device=device, requires_grad=requires_grad)
    like.__name__ = name
    like.__doc__ = f"torch.{name}: like {name[:-5]}, with input's shape, dtype and device."
    return like


zeros_like = _like("zeros_like", 0)
ones_like = _like("ones_like", 1)
empty_like = _like("empty_like", None)


def arange(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """torch.arange: [start, end) in steps of `step`; int64 unless a bound or the step is a
    float."""
    if end is None:
        start, end = 0, start
    for v in (start, end, step):
        if isinstance(v, Tensor):
            raise TypeError("arange(): tensor bounds are not supported by refimpl")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        is_float = builtins.any(isinstance(v, float) for v in (start, end, step))
        dtype = _dtype.get_default_dtype() if is_float else _dtype.int64
    device = canonical(device)
    n = math.ceil((end - start) / step)
    xp = kernels.for_device(device)
    arr = xp.arange(start, step, max(n, 0), dtype.np)
    return _finish(Tensor._from_array(arr, dtype, device), requires_grad)

__all__ = ["tensor", "as_tensor", "from_numpy", "empty", "full", "zeros", "ones",
           "zeros_like", "ones_like", "empty_like", "arange"]
