"""torch.Tensor: a strided view over a Storage, plus its autograd fields.

Spec torch.Tensor.storage-view: a tensor is (storage, storage_offset, shape, stride, dtype,
device). View ops (view, transpose, select, ...) make new metadata over the *same* storage,
so writes through a view are seen by its base, and `data_ptr()`, `stride()` and
`storage_offset()` are those torch reports. `_base` of a view is the tensor that owns the
storage; `_version` counts in-place writes and is shared by a tensor and all its views.

Ops are attached to this class as methods by `refimpl._dispatch`; this file holds only the
tensor's own state and the attributes the documents list (data, dtype, shape, device, grad,
grad_fn, requires_grad, is_leaf, retain_grad).
"""

import weakref

from . import _dtype, _layout, kernels
from ._C import TensorBase
from ._device import CPU, canonical
from .autograd import grad_mode, graph
from .autograd.grad_mode import is_grad_enabled


class UntypedStorage:
    """torch.UntypedStorage: a flat buffer of bytes on one device."""

    __slots__ = ("_buffer", "device", "__weakref__")

    def __init__(self, buffer, device):
        self._buffer = buffer
        self.device = device
        if grad_mode.inference_blocks:  # memory allocated in inference mode
            grad_mode.mark_inference(self)

    def nbytes(self):
        return self._buffer.nbytes

    size = nbytes

    def data_ptr(self):
        if self._buffer.nbytes == 0:
            return 0
        if self.device.type == "cpu":
            return self._buffer.__array_interface__["data"][0]
        return kernels.cuda_table().data_ptr(self._buffer)

    def __len__(self):
        return self.nbytes()

    def element_size(self):
        return 1

    def _bytes(self):
        host = kernels.for_device(self.device).to_host(self._buffer)
        return host.reshape(-1).view("uint8")

    def __getitem__(self, i):
        return int(self._bytes()[i])

    def __iter__(self):
        return iter(self.tolist())

    def tolist(self):
        return [int(b) for b in self._bytes()]


_typed_storage_warned = False


class TypedStorage:
    """torch.TypedStorage (deprecated): a tensor's storage seen as elements of its dtype.
    Spec torch.Tensor.storage-typed."""

    def __init__(self, *args, dtype=None, device=None, _untyped=None):
        from ._dtype import get_default_dtype
        self.dtype = dtype or getattr(type(self), "_legacy_dtype", None) or get_default_dtype()
        if _untyped is None:
            n = args[0] if args and isinstance(args[0], int) else 0
            _untyped = UntypedStorage(kernels.for_device(canonical(device)).alloc(
                n * self.dtype.itemsize), canonical(device))
        self._untyped_storage = _untyped

    @property
    def device(self):
        return self._untyped_storage.device

    def untyped(self):
        return self._untyped_storage

    def element_size(self):
        return self.dtype.itemsize

    def nbytes(self):
        return self._untyped_storage.nbytes()

    def size(self):
        return self.nbytes() // self.dtype.itemsize

    __len__ = size

    def data_ptr(self):
        return self._untyped_storage.data_ptr()

    def _elements(self):
        return self._untyped_storage._bytes()[:self.size() * self.dtype.itemsize].view(
            self.dtype.np)

    def __getitem__(self, i):
        return self._elements()[i].item()

    def tolist(self):
        return self._elements().tolist()

    def __iter__(self):
        return iter(self.tolist())


def _warn_typed_storage():
    global _typed_storage_warned
    if not _typed_storage_warned:
        import warnings
        _typed_storage_warned = True
        warnings.warn("TypedStorage is deprecated. It will be removed in the future and "
                      "UntypedStorage will be the only storage class. This should only matter "
                      "to you if you are using storages directly.  To access UntypedStorage "
                      "directly, use tensor.untyped_storage() instead of tensor.storage()",
                      UserWarning, stacklevel=3)


class _VersionCounter:
    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


class Size(tuple):
    """torch.Size: a tuple of ints with torch's repr."""

    def __repr__(self):
        return f"torch.Size([{', '.join(map(str, self))}])"

    def numel(self):
        return _layout.numel(self)

    def __getitem__(self, item):
        r = tuple.__getitem__(self, item)
        return Size(r) if isinstance(item, slice) else r

    def __add__(self, other):
        return Size(tuple.__add__(self, other))

    def __reduce__(self):
        return (Size, (tuple(self),))


_SCALAR_TYPE_NAMES = {
    "bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
    "int64": "Long", "float16": "Half", "bfloat16": "BFloat16", "float32": "Float",
    "float64": "Double", "complex64": "ComplexFloat", "complex128": "ComplexDouble"}


def scalar_type_name(dtype):
    """torch's C++ name of a dtype, used in its error messages ("Float", "Long")."""
    return _SCALAR_TYPE_NAMES[dtype.name]


class Tensor(TensorBase):
    __slots__ = ("_storage", "_offset", "_shape", "_stride", "_dtype", "_device", "_arr",
                 "_requires_grad", "_grad", "_grad_fn", "_output_nr", "_version_counter",
                 "_base", "_retains_grad", "_accumulator", "_post_accumulate_grad_hooks",
                 "__dict__", "__weakref__")

    def __new__(cls, *args, **kwargs):
        self = object.__new__(cls)
        self._arr = None
        self._requires_grad = False
        self._grad = None
        self._grad_fn = None
        self._output_nr = 0
        self._base = None
        self._retains_grad = False
        self._accumulator = None
        self._post_accumulate_grad_hooks = None
        return self

    def __init__(self, *args, **kwargs):
        # torch.Tensor(data) and torch.Tensor(*sizes): the legacy constructor, always default
        # dtype on cpu.
        if getattr(self, "_storage", None) is not None:
            return
        from ._refs import creation
        if kwargs:
            raise TypeError(f"new() received an invalid combination of arguments - got "
                            f"unexpected keyword arguments {sorted(kwargs)}")
        if not args:
            args = (0,)
        if len(args) == 1 and isinstance(args[0], (float, bool, complex)):
            raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
        if len(args) == 1 and not isinstance(args[0], int):
            src = creation.tensor(args[0], dtype=_dtype.get_default_dtype())
        else:
            src = creation.empty(*args, dtype=_dtype.get_default_dtype())
        self._set_from(src)

    # -- construction helpers (internal) --------------------------------------------------------

    @classmethod
    def _make(cls, storage, offset, shape, stride, dtype, device, version=None):
        if cls is Tensor:  # the fields of __new__, set here without a second call
            t = object.__new__(cls)
            t._arr = t._grad = t._grad_fn = t._base = t._accumulator = None
            t._post_accumulate_grad_hooks = None
            t._requires_grad = t._retains_grad = False
            t._output_nr = 0
        else:
            t = cls.__new__(cls)
        t._storage = storage
        t._offset = offset
        t._shape = shape
        t._stride = stride
        t._dtype = dtype
        t._device = device
        t._version_counter = version if version is not None else _VersionCounter()
        return t

    @classmethod
    def _from_array(cls, array, dtype, device=CPU):
        """A new contiguous tensor owning `array` (a fresh C-contiguous array of `dtype`)."""
        shape = tuple(array.shape)
        t = cls._make(UntypedStorage(array, device), 0, shape,
                      _layout.contiguous_strides(shape), dtype, device)
        t._arr = array
        return t

    @classmethod
    def _empty(cls, shape, dtype, device=CPU, strides=None):
        """An uninitialised tensor with the given strides (contiguous by default)."""
        shape = tuple(shape)
        strides = _layout.contiguous_strides(shape) if strides is None else tuple(strides)
        extent = 1 + sum((n - 1) * s for n, s in zip(shape, strides)) if all(shape) else 0
        xp = kernels.for_device(device)
        return cls._make(UntypedStorage(xp.alloc(extent * dtype.itemsize), device), 0, shape,
                         strides, dtype, device)

    def _set_from(self, other):
        """Make self an alias of other's storage and metadata (torch's set_ / shallow copy)."""
        self._storage, self._offset = other._storage, other._offset
        self._shape, self._stride = other._shape, other._stride
        self._dtype, self._device = other._dtype, other._device
        self._version_counter = getattr(self, "_version_counter", None) or _VersionCounter()
        self._arr = None

    def _view(self, shape, stride, offset):
        """A view of self's storage with new metadata, sharing the version counter."""
        v = Tensor._make(self._storage, offset, tuple(shape), tuple(stride), self._dtype,
                         self._device, self._version_counter)
        v._base = self if self._base is None else self._base
        return v

    def _alias(self):
        """A new tensor object over the same data (detach's result; keeps the version counter)."""
        return Tensor._make(self._storage, self._offset, self._shape, self._stride, self._dtype,
                            self._device, self._version_counter)

    @property
    def _array(self):
        """The device array viewing this tensor's elements (cached: metadata is immutable)."""
        a = self._arr
        if a is None:
            a = self._arr = kernels.for_device(self._device).view(
                self._storage._buffer, self._dtype.np, self._shape, self._stride, self._offset)
        return a

    @property
    def _xp(self):
        return kernels.for_device(self._device)

    def _bump_version(self):
        self._version_counter.value += 1

    def _copy_obeying_layout_of(self, like):
        """A detached copy of self with `like`'s strides if `like` is dense (the gradient
        layout contract), else contiguous."""
        strides = like._stride if _layout.is_non_overlapping_and_dense(like._shape, like._stride) \
            else None
        out = Tensor._empty(self._shape, self._dtype, self._device, strides)
        out._xp.copy_(out._array, self._array)
        return out

    # -- the attributes of 003 ----------------------------------------------------------------

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return Size(self._shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._shape)
        return self._shape[self._wrap_dim(dim)]

    def stride(self, dim=None):
        if dim is None:
            return self._stride
        return self._stride[self._wrap_dim(dim)]

    def storage_offset(self):
        return self._offset

    def untyped_storage(self):
        return self._storage

    def storage(self):
        """The storage as a TypedStorage of this tensor's dtype (deprecated in torch)."""
        _warn_typed_storage()
        return TypedStorage(dtype=self._dtype, _untyped=self._storage)

    def data_ptr(self):
        """The address of the first element: the storage's address plus storage_offset
        elements; 0 for a tensor without elements, as in torch."""
        if 0 in self._shape:
            return 0
        return self._storage.data_ptr() + self._offset * self._dtype.itemsize

    def element_size(self):
        return self._dtype.itemsize

    def is_floating_point(self):
        """torch.is_floating_point: the dtype is float16, bfloat16, float32 or float64."""
        return self._dtype.is_floating_point

    def is_complex(self):
        """torch.is_complex: the dtype is complex."""
        return self._dtype.is_complex

    def is_signed(self):
        """Tensor.is_signed: the dtype has negative values (not uint8 or bool)."""
        return self._dtype.is_signed

    def dim(self):
        return len(self._shape)

    ndim = property(dim)

    def numel(self):
        return _layout.numel(self._shape)

    nelement = numel

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def is_contiguous(self, memory_format=None):
        """Dense in the order of memory_format (row-major by default; torch.channels_last:
        C fastest, then W, H, N)."""
        if memory_format is None or memory_format is _layout.contiguous_format:
            return _layout.is_contiguous(self._shape, self._stride)
        _layout.check_memory_format(memory_format, "is_contiguous")
        return _layout.is_contiguous_as(self._shape, self._stride, memory_format)

    @property
    def device(self):
        return self._device

    @property
    def is_cuda(self):
        return self._device.type == "cuda"

    @property
    def is_leaf(self):
        """True for tensors not produced by a recorded op: user-created tensors and every
        tensor that does not require grad."""
        return self._grad_fn is None

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad=True):
        """Spec torch.autograd.requires-grad: only leaves may change it; only floating and
        complex tensors may require grad."""
        if self._grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if requires_grad and self.is_inference() and not grad_mode.is_inference_mode_enabled():
            raise RuntimeError("Setting requires_grad=True on inference tensor outside "
                               "InferenceMode is not allowed.")
        if requires_grad and not (self._dtype.is_floating_point or self._dtype.is_complex):
            raise RuntimeError("only Tensors of floating point and complex dtype can require "
                               "gradients")
        self._requires_grad = bool(requires_grad) or self._grad_fn is not None
        return self

    def is_inference(self):
        """True for tensors whose memory was allocated inside inference_mode (and their views).
        Spec torch.autograd.inference-mode."""
        return grad_mode.is_inference_storage(self._storage)

    @property
    def grad_fn(self):
        if self._base is not None and "_view_of_fn" in self.__dict__:
            from .autograd.view_grads import current_grad_fn
            return current_grad_fn(self)  # a view's node follows in-place changes of its base
        return self._grad_fn

    @property
    def grad(self):
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            import warnings
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the .grad field to be populated for a non-leaf Tensor, use "
                ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
                "mistake, make sure you access the leaf Tensor instead.", UserWarning,
                stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad "
                                f"of type {type(value).__name__}")
            if value._dtype is not self._dtype:
                raise RuntimeError("assigned grad has data of a different type")
            if value._shape != self._shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = value

    @property
    def data(self):
        """The same data without autograd history (a detached alias)."""
        return self.detach()

    @data.setter
    def data(self, value):
        self._set_from(value)

    @property
    def _version(self):
        return self._version_counter.value

    def retain_grad(self):
        """Spec torch.autograd.retain-grad: a non-leaf keeps its .grad after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        ref = weakref.ref(self)

        def retain(grad):
            t = ref()
            if t is not None:
                t._grad = grad.detach().clone() if t._grad is None else t._grad + grad
        self._grad_fn._add_tensor_hook(self._output_nr, _RetainHook(retain))

    @property
    def retains_grad(self):
        return self._retains_grad

    def register_hook(self, hook):
        """Spec torch.autograd.tensor-hooks: hook(grad) runs when this tensor's gradient is
        computed and may return a replacement."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require "
                               "gradient")
        node = self._grad_fn if self._grad_fn is not None else self._grad_accumulator()
        if self._grad_fn is None:
            self._hooked_accumulator = node  # a leaf's hooks live as long as the leaf
        return node._add_tensor_hook(self._output_nr, hook)

    def register_post_accumulate_grad_hook(self, hook):
        if self._grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                               "tensors")
        if self._post_accumulate_grad_hooks is None:
            self._post_accumulate_grad_hooks = []
        self._post_accumulate_grad_hooks.append(hook)
        return graph._RemovableHandle(self._post_accumulate_grad_hooks, hook)

    def _grad_accumulator(self):
        """The AccumulateGrad node of a leaf requiring grad, shared while it is alive."""
        acc = self._accumulator() if self._accumulator is not None else None
        if acc is None:
            acc = graph.AccumulateGrad(self)
            self._accumulator = weakref.ref(acc)
        return acc

    def detach(self):
        """A new tensor sharing storage and version counter, with no autograd history."""
        out = self._alias()
        return out

    def detach_(self):
        if self._base is not None and self._grad_fn is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._grad_fn = None
        self._requires_grad = False
        return self

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Spec torch.autograd.backward: accumulate d(self)/d(leaf) into every leaf's .grad."""
        from . import autograd
        autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # -- conversion ----------------------------------------------------------------------------

    def numpy(self, *, force=False):
        """Spec torch.Tensor.numpy-shares-memory: a cpu tensor's NumPy view of the same memory."""
        if self._device.type != "cpu":
            if not force:
                raise TypeError(f"can't convert {self._device} device type tensor to numpy. "
                                "Use Tensor.cpu() to copy the tensor to host memory first.")
            return self.cpu().numpy()
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        return self._array

    def _host(self):
        """A NumPy array of the values (a view on cpu, a copy from cuda)."""
        return self._xp.to_host(self._array)

    def tolist(self):
        return self._host().tolist()

    def item(self):
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to "
                               "Scalar")
        return self._host().reshape(()).item()

    def _scalar(self):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __float__(self):
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __index__(self):
        if self._dtype.is_floating_point or self._dtype.is_complex or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self.item())

    def __array__(self, dtype=None, copy=None):
        a = self.detach().numpy() if self._device.type == "cpu" else self._host()
        return a if dtype is None else a.astype(dtype)

    def type(self, dtype=None):
        """With no argument, torch's type string ('torch.FloatTensor'); else a cast."""
        if dtype is None:
            prefix = "torch.cuda." if self.is_cuda else "torch."
            return prefix + _TYPE_STRINGS[self._dtype.name]
        if isinstance(dtype, str):
            dtype = _dtype_from_type_string(dtype)
        return self.to(dtype)

    def __repr__(self):
        from ._tensor_str import tensor_repr
        return tensor_repr(self)

    __str__ = __repr__

    def __hash__(self):
        return id(self)

    def __iter__(self):
        if not self._shape:
            raise TypeError("iteration over a 0-d tensor")
        return (self.select(0, i) for i in range(self._shape[0]))

    def _wrap_dim(self, dim):
        return wrap_dim(dim, len(self._shape))


def wrap_dim(dim, ndim):
    """A dim in [-ndim, ndim) made non-negative; IndexError otherwise (0-dim tensors accept
    -1 and 0)."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim + n if dim < 0 else dim


class _RetainHook:
    """The hook retain_grad installs; it runs after the user's hooks on the same tensor."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, grad):
        self.fn(grad)


_TYPE_STRINGS = {
    "bool": "BoolTensor", "uint8": "ByteTensor", "int8": "CharTensor", "int16": "ShortTensor",
    "int32": "IntTensor", "int64": "LongTensor", "float16": "HalfTensor",
    "bfloat16": "BFloat16Tensor", "float32": "FloatTensor", "float64": "DoubleTensor",
    "complex64": "ComplexFloatTensor", "complex128": "ComplexDoubleTensor"}


def _dtype_from_type_string(name):
    short = name.rsplit(".", 1)[-1]
    for dname, tname in _TYPE_STRINGS.items():
        if tname == short:
            return _dtype._BY_NAME[dname]
    raise ValueError(f"invalid type: '{name}'")


def is_tensor(obj):
    return isinstance(obj, Tensor)


def _dtype_predicate(name, attr):
    def predicate(input):
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                            f"{type(input).__name__}")
        return getattr(input._dtype, attr)
    predicate.__name__ = predicate.__qualname__ = name
    predicate.__doc__ = f"torch.{name}(input): whether input's dtype is {attr[3:]}."
    return predicate


is_floating_point = _dtype_predicate("is_floating_point", "is_floating_point")
is_complex = _dtype_predicate("is_complex", "is_complex")


def device_of(tensors):
    """The device an op over `tensors` runs on. RuntimeError when they are on different
    devices, except that a 0-dim cpu tensor may join an op on another device, as in torch."""
    if not tensors:
        return CPU
    dev = tensors[0]._device
    for t in tensors:
        if t._device is not dev and t._device != dev:
            break
    else:
        return dev
    others = {t._device for t in tensors if t._device.type != "cpu" or t._shape}
    if len(others) == 1:
        return others.pop()
    a, b = sorted(others, key=str)[:2] if len(others) > 1 else (dev, others.pop())
    raise RuntimeError(f"Expected all tensors to be on the same device, but found at least "
                       f"two devices, {b} and {a}!")


__all__ = ["Tensor", "Size", "UntypedStorage", "TypedStorage", "canonical", "is_tensor",
           "is_grad_enabled"]


class _LegacyTensorType(type):
    """The metaclass of torch.FloatTensor & co. (torch's `tensortype`): isinstance(x,
    torch.FloatTensor) holds for cpu tensors of that dtype; the classes are not subclasses of
    Tensor, and calling one makes a plain Tensor of its dtype."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._dtype is cls.dtype and obj._device.type == "cpu"

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


def _legacy_new(cls, *args, **kwargs):
    """torch.FloatTensor(*sizes), (data), (tensor of that dtype) or (): the legacy
    constructor of Tensor with the class's dtype."""
    from ._refs import creation
    name = f"{cls.__name__}.new()"
    if kwargs:
        raise TypeError(f"new() received an invalid combination of arguments - got "
                        f"unexpected keyword arguments {sorted(kwargs)}")
    if not args:
        return creation.empty(0, dtype=cls.dtype)
    if len(args) == 1 and isinstance(args[0], Tensor):
        if args[0]._dtype is not cls.dtype:
            raise TypeError(f"expected TensorOptions(dtype={cls.dtype}, device=cpu) in {name}")
        return args[0].detach()
    if all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        return creation.empty(*args, dtype=cls.dtype)
    if len(args) == 1 and not isinstance(args[0], (int, float, bool, complex)):
        return creation.tensor(args[0], dtype=cls.dtype)
    if len(args) == 1:
        raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
    raise TypeError(f"new() received an invalid combination of arguments - got "
                    f"({', '.join(type(a).__name__ for a in args)})")


def _legacy_classes():
    classes = {}
    for dtype_name, class_name in _TYPE_STRINGS.items():
        if dtype_name.startswith("complex"):  # torch has no top-level complex tensor types
            continue
        cls = _LegacyTensorType(class_name, (), {
            "dtype": _dtype._BY_NAME[dtype_name], "__new__": _legacy_new,
            "__module__": "torch", "__doc__": f"torch.{class_name}: cpu tensors of dtype "
                                              f"{dtype_name} (legacy type)."})
        classes[class_name] = cls
    return classes


LEGACY_TENSOR_TYPES = _legacy_classes()
