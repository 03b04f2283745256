"""Tensor creation: tensor, as_tensor, from_numpy, zeros, ones, empty, full, arange.

Spec torch.creation: `torch.tensor(data)` copies and infers the dtype (bool, int64, the
default float dtype, or complex); `from_numpy` shares memory with the array; the factories
take `dtype`, `device` and `requires_grad`.
"""

import builtins
import math

import numpy as np

from .. import _dtype, _layout, kernels
from .._device import canonical
from .._tensor import Tensor, TypedStorage
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
        elif isinstance(x, np.generic):
            kinds.add(_dtype.from_numpy_dtype(x.dtype))
        elif isinstance(x, (bool, np.bool_)):
            kinds.add(_dtype.bool)
        elif isinstance(x, (int, np.integer)):
            kinds.add(_dtype.int64)
        elif isinstance(x, (float, np.floating)):
            kinds.add(_dtype.get_default_dtype())
        elif isinstance(x, (builtins.complex, np.complexfloating)):
            if _dtype.get_default_dtype() is _dtype.bfloat16:  # no complex of bfloat16
                raise RuntimeError("invalid default scalar type for complex")
            kinds.add(_dtype.default_complex_dtype())
        else:
            raise TypeError(f"Could not infer dtype of {type(x).__name__}")
    walk(data)
    result = None
    for d in kinds:
        result = d if result is None else _dtype.promote_types(result, d)
    return result or _dtype.get_default_dtype()


def _to_numpy_data(data):
    if isinstance(data, (list, tuple)) and data:
        nested = [isinstance(x, (list, tuple)) for x in data]
        if any(nested) and not all(nested):
            raise TypeError("not a sequence")
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
    """torch.empty: uninitialised values (laid out in memory_format, row-major by default)."""
    shape, dtype, device = _factory(size, dtype, device, "empty")
    strides = None
    if memory_format is not None:
        _layout.check_memory_format(memory_format, "empty")
        if memory_format is _layout.preserve_format:
            raise RuntimeError("unsupported memory format Preserve")
        strides = _layout.format_strides(shape, memory_format)
    return _finish(Tensor._empty(shape, dtype, device, strides), requires_grad)


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
    def like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
             memory_format=_layout.preserve_format):
        dtype = dtype or input.dtype
        device = canonical(device) if device is not None else input.device
        return _filled_like(input, fill, dtype, device, requires_grad, memory_format)
    like.__name__ = name
    like.__doc__ = (f"torch.{name}: like torch.{name[:-5]}, with input's shape, dtype and "
                    "device, and its dense layout (memory_format=torch.preserve_format).")
    return like


def _filled_like(input, fill, dtype, device, requires_grad, memory_format):
    if memory_format is None or memory_format is _layout.preserve_format:
        strides = _layout.empty_like_strides(input._shape, input._stride)
    else:
        _layout.check_memory_format(memory_format, "empty_like")
        strides = _layout.format_strides(input._shape, memory_format)
    t = Tensor._empty(input._shape, dtype, device, strides)
    if fill is not None:
        _check_fill(fill, dtype)
        t._xp.copy_(t._array, t._xp.asarray(fill, dtype.np))
    return _finish(t, requires_grad)


def _check_fill(value, dtype):
    if isinstance(value, builtins.complex) and not dtype.is_complex:
        raise RuntimeError(f"value cannot be converted to type {dtype.np} without overflow")


zeros_like = _like("zeros_like", 0)
ones_like = _like("ones_like", 1)
empty_like = _like("empty_like", None)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None,
              requires_grad=False, memory_format=_layout.preserve_format):
    """torch.full_like: torch.full with input's shape, dtype, device and dense layout."""
    dtype = dtype or input.dtype
    device = canonical(device) if device is not None else input.device
    return _filled_like(input, fill_value, dtype, device, requires_grad, memory_format)


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """torch.empty_strided: uninitialised memory with the given sizes and strides."""
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError(f"dimensionality of sizes ({len(size)}) must match dimensionality of "
                           f"strides ({len(stride)})")
    shape, dtype, device = _factory((size,), dtype, device, "empty_strided")
    return _finish(Tensor._empty(shape, dtype, device, stride), requires_grad)


def _number(name, v):
    if isinstance(v, Tensor):
        if v.numel() != 1:
            raise RuntimeError(f"{name}(): argument must be a number or a 1-element tensor")
        return v.item()
    return v


def linspace(start, end, steps, *, dtype=None, layout=None, device=None, requires_grad=False,
             out=None):
    """torch.linspace: `steps` evenly spaced values from start to end inclusive. As in torch,
    the first half counts up from start and the second half down from end (in the result
    dtype for floats, in double for integers)."""
    start, end = _number("linspace", start), _number("linspace", end)
    if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
        start, end = int(start), int(end)  # integer ranges start from the truncated bounds
    if not isinstance(steps, int) or isinstance(steps, bool):
        raise TypeError(f"linspace(): argument 'steps' must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    if dtype is None:
        is_complex = isinstance(start, builtins.complex) or isinstance(end, builtins.complex)
        dtype = _dtype.default_complex_dtype() if is_complex else _dtype.get_default_dtype()
    acc = np.dtype(dtype.np if (dtype.is_floating_point or dtype.is_complex) else
                   np.float64).type
    i = np.arange(steps, dtype=np.int64)
    a, b = np.asarray(start, acc), np.asarray(end, acc)
    step = (b - a) / acc(steps - 1) if steps > 1 else acc(0)
    with np.errstate(all="ignore"):
        values = np.where(i < steps // 2, a + step * i.astype(acc),
                          b - step * (steps - 1 - i).astype(acc))
    if steps == 1:
        values = np.asarray([a])
    return _finish(_from_host(values.astype(dtype.np), dtype, canonical(device)), requires_grad)


def logspace(start, end, steps, base=10.0, *, dtype=None, layout=None, device=None,
             requires_grad=False, out=None):
    """torch.logspace: base ** linspace(start, end, steps)."""
    if dtype is None:
        dtype = _dtype.get_default_dtype()
    floating = dtype.is_floating_point or dtype.is_complex
    if not floating:  # integer ranges start from the truncated bounds
        start, end = int(_number("logspace", start)), int(_number("logspace", end))
    exps = linspace(start, end, steps, dtype=dtype if floating else _dtype.float64)
    acc = dtype.np if (dtype.is_floating_point or dtype.is_complex) else np.float64
    with np.errstate(all="ignore"):
        values = np.power(np.asarray(base, acc), exps._host().astype(acc))
    return _finish(_from_host(values.astype(dtype.np), dtype, canonical(device)), requires_grad)


def eye(n, m=None, *, dtype=None, layout=None, device=None, requires_grad=False, out=None):
    """torch.eye: an n x m matrix (m = n by default) with ones on the diagonal."""
    m = n if m is None else m
    for name, v in (("n", n), ("m", m)):
        if v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    dtype = dtype or _dtype.get_default_dtype()
    return _finish(_from_host(np.eye(n, m, dtype=dtype.np), dtype, canonical(device)),
                   requires_grad)


def _complex_parts(name, a, b):
    from .._tensor import scalar_type_name
    for t in (a, b):
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}(): argument must be Tensor, not {type(t).__name__}")
    if not (a._dtype.is_floating_point and b._dtype.is_floating_point):
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                           f"{scalar_type_name(a._dtype)} and {scalar_type_name(b._dtype)}")
    if a._dtype is not b._dtype:
        raise RuntimeError(f"Expected object of scalar type {scalar_type_name(a._dtype)} but "
                           f"got scalar type {scalar_type_name(b._dtype)} for second argument")
    return a._dtype.to_complex()


def complex(real, imag, *, out=None):
    """torch.complex: real + imag * 1j from two float tensors of the same dtype (broadcast)."""
    from .views import imag as imag_part
    from .views import real as real_part
    from .views import record
    dtype = _complex_parts("complex", real, imag)
    result = _from_parts(real._host(), imag._host(), dtype, real._device, (real, imag))

    def backward(grads):
        # d/d real and d/d imag of real + imag * 1j: the real and imaginary parts of the
        # gradient, each summed back to its input's shape (they broadcast)
        g = grads[0]
        return [real_part(g).sum_to_size(real.shape), imag_part(g).sum_to_size(imag.shape)]

    return record("ComplexBackward0", [real, imag], result, backward)


def _from_parts(re, im, dtype, device, inputs):
    """A complex tensor set part by part (re + 1j * im would turn an infinite imag into NaN),
    laid out as an elementwise op of `inputs` lays out its output."""
    shape = np.broadcast_shapes(np.shape(re), np.shape(im))
    out = np.empty(shape, dtype.np)
    out.real, out.imag = re, im
    strides = _layout.elementwise_output_strides(shape, [(t._shape, t._stride) for t in inputs])
    t = Tensor._empty(shape, dtype, device, strides)
    t._xp.copy_(t._array, t._xp.to_device(out))
    return t


def polar(abs, angle, *, out=None):
    """torch.polar: abs * (cos(angle) + sin(angle) * 1j)."""
    dtype = _complex_parts("polar", abs, angle)
    r, t = abs._host(), angle._host()
    with np.errstate(all="ignore"):
        return _from_parts(r * np.cos(t), r * np.sin(t), dtype, abs._device, (abs, angle))


def scalar_tensor(s, *, dtype=None, layout=None, device=None, requires_grad=False):
    """torch.scalar_tensor: a 0-dim tensor of the default float dtype (or dtype) holding s."""
    dtype = dtype or _dtype.get_default_dtype()
    return _finish(_from_host(np.asarray(s).astype(dtype.np), dtype, canonical(device)),
                   requires_grad)


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

def _new(self, dtype, device):
    return dtype or self._dtype, self._device if device is None else device


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """Tensor.new_tensor: torch.tensor(data) with self's dtype and device unless given."""
    dtype, device = _new(self, dtype, device)
    if isinstance(data, Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than tensor.new_tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        data = data.detach()._host()
    return tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)


def _new_factory(name, fill):
    def new(self, *size, dtype=None, device=None, requires_grad=False, pin_memory=False,
            layout=None):
        dtype, device = _new(self, dtype, device)
        shape = _shape_arg(size, name)
        if fill is None:
            return empty(shape, dtype=dtype, device=device, requires_grad=requires_grad)
        return full(shape, fill, dtype=dtype, device=device, requires_grad=requires_grad)
    new.__name__ = name
    new.__doc__ = f"Tensor.{name}: torch.{name[4:]} with self's dtype and device unless given."
    return new


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False,
             pin_memory=False, layout=None):
    """Tensor.new_full: torch.full with self's dtype and device unless given."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"new_full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    dtype, device = _new(self, dtype, device)
    return full(size, fill_value, dtype=dtype, device=device, requires_grad=requires_grad)


def _legacy_storage(name, dtype):
    return type(name, (TypedStorage,), {"_legacy_dtype": dtype, "__module__": "refimpl",
                                         "__doc__": f"torch.{name}: a TypedStorage of {dtype}."})


FloatStorage = _legacy_storage("FloatStorage", _dtype.float32)
DoubleStorage = _legacy_storage("DoubleStorage", _dtype.float64)
HalfStorage = _legacy_storage("HalfStorage", _dtype.float16)
LongStorage = _legacy_storage("LongStorage", _dtype.int64)
IntStorage = _legacy_storage("IntStorage", _dtype.int32)
ShortStorage = _legacy_storage("ShortStorage", _dtype.int16)
CharStorage = _legacy_storage("CharStorage", _dtype.int8)
ByteStorage = _legacy_storage("ByteStorage", _dtype.uint8)
BoolStorage = _legacy_storage("BoolStorage", _dtype.bool)
Storage = FloatStorage  # torch.Storage: the legacy name of the default storage class

Tensor.new_tensor = new_tensor
Tensor.new_zeros = _new_factory("new_zeros", 0)
Tensor.new_ones = _new_factory("new_ones", 1)
Tensor.new_empty = _new_factory("new_empty", None)
Tensor.new_full = new_full

__all__ = ["TypedStorage", "Storage", "FloatStorage", "DoubleStorage", "HalfStorage",
           "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage",
           "BoolStorage", "complex", "polar", "full_like", "empty_strided", "linspace",
           "logspace", "eye", "scalar_tensor", "tensor", "as_tensor", "from_numpy", "empty",
           "full", "zeros", "ones", "zeros_like", "ones_like", "empty_like", "arange"]
