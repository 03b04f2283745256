"""torch.save / torch.load in torch's own zip file format, and pickling of tensors.

Spec serialization.save-load and serialization.tensor-contents. A file is a zip archive
whose entries all sit in one folder (the file's base name, or "archive" for file objects):

    <folder>/data.pkl     the object, pickled with protocol 2
    <folder>/byteorder    b"little"
    <folder>/data/<key>   the raw bytes of each storage, keys "0", "1", ... in the order the
                          pickler first meets the storages
    <folder>/version      b"3\\n"

Entries are stored (not compressed), each storage's bytes starting at a multiple of 64 in the
file (padding in the local header's extra field, id 0x4246), as torch writes them.

In data.pkl a tensor is the call `torch._utils._rebuild_tensor_v2(storage, storage_offset,
size, stride, requires_grad, OrderedDict())`, where `storage` is the persistent id
`('storage', torch.<Type>Storage, key, location, numel)`. Tensors that share a storage (a
view and its base) name the same key, so they share memory again after loading. A Parameter
is `torch._utils._rebuild_parameter(tensor, requires_grad, OrderedDict())`; dtypes, Size and
device are the globals `torch.float32`, `torch.Size`, `torch.device`. These names are what
torch writes and reads, so files move both ways between torch and refimpl.

Spec serialization.weights-only-default: `load` defaults to weights_only=True. Then only the
opcodes and globals of torch's allow-list may appear in data.pkl (checked before anything is
unpickled, so a crafted pickle never runs); anything else raises pickle.UnpicklingError with
torch's "Weights only load failed" message. `add_safe_globals` extends the allow-list.
"""

import _compat_pickle
import collections
import contextlib
import io
import os
import pickle
import pickletools
import sys
import zipfile

import numpy as np

from . import _dtype
from ._device import canonical
from ._device import device as _device
from ._tensor import Tensor, UntypedStorage

__all__ = ["save", "load"]

DEFAULT_PROTOCOL = 2
_ALIGNMENT = 64
_PADDING_FIELD_ID = 0x4246            # "FB": the extra field torch pads records with

# torch's legacy typed-storage class of each dtype (the name written in the file).
_STORAGE_NAMES = {
    "bool": "BoolStorage", "uint8": "ByteStorage", "int8": "CharStorage",
    "int16": "ShortStorage", "int32": "IntStorage", "int64": "LongStorage",
    "float16": "HalfStorage", "bfloat16": "BFloat16Storage", "float32": "FloatStorage",
    "float64": "DoubleStorage", "complex64": "ComplexFloatStorage",
    "complex128": "ComplexDoubleStorage"}


# -- writing ----------------------------------------------------------------------------------

class _Global:
    """A global `module.name` written into the pickle as is (GLOBAL opcode), without importing
    it: refimpl writes torch's names."""

    _cache = {}

    def __new__(cls, module, name):
        key = (module, name)
        if key not in cls._cache:
            obj = cls._cache[key] = super().__new__(cls)
            obj.module, obj.name = module, name
        return cls._cache[key]

    def __call__(self, *args):
        raise TypeError(f"{self.module}.{self.name} is a name written into a pickle, not a "
                        "function")


class _StorageRef:
    """What the pickler meets for a storage; its persistent id names the storage's record."""

    def __init__(self, storage, dtype):
        self.storage, self.dtype = storage, dtype


class _TorchPickler(pickle._Pickler):
    """Protocol-2 pickler that writes refimpl objects under torch's names."""

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        self.storages = {}            # id(UntypedStorage) -> (key, _StorageRef)

    def save_torch_global(self, obj):
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode())
        self.memoize(obj)

    dispatch[_Global] = save_torch_global

    def save_dtype(self, obj):
        self.save(_Global("torch", obj.name))

    dispatch[_dtype.dtype] = save_dtype

    def persistent_id(self, obj):
        if not isinstance(obj, _StorageRef):
            return None
        key = self.storages[id(obj.storage)][0]
        location = str(obj.storage.device)
        numel = obj.storage.nbytes() // obj.dtype.itemsize
        return ("storage", _Global("torch", _STORAGE_NAMES[obj.dtype.name]), key, location,
                numel)

    def _storage_ref(self, t):
        entry = self.storages.get(id(t._storage))
        if entry is None:
            entry = self.storages[id(t._storage)] = (str(len(self.storages)),
                                                     _StorageRef(t._storage, t.dtype))
        elif entry[1].dtype is not t.dtype:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same "
                               "data as different types")
        return entry[1]

    def reducer_override(self, obj):
        from ._tensor import Size
        from .nn.parameter import Parameter
        if isinstance(obj, Parameter):
            return (_Global("torch._utils", "_rebuild_parameter"),
                    (obj.detach(), obj.requires_grad, collections.OrderedDict()))
        if isinstance(obj, Tensor):
            return (_Global("torch._utils", "_rebuild_tensor_v2"),
                    (self._storage_ref(obj), obj.storage_offset(), tuple(obj.shape),
                     tuple(obj.stride()), obj.requires_grad, collections.OrderedDict()))
        if isinstance(obj, Size):
            return (_Global("torch", "Size"), (tuple(obj),))
        if isinstance(obj, _device):
            args = (obj.type,) if obj.index is None else (obj.type, obj.index)
            return (_Global("torch", "device"), args)
        return NotImplemented


def _padded_info(name, offset):
    """A ZipInfo for a stored record whose data will start at a multiple of 64 bytes, given
    the record's local header starts at `offset` (as torch's writer aligns them)."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    header = 30 + len(name.encode("utf-8"))
    pad = (-(offset + header + 4)) % _ALIGNMENT
    info.extra = _PADDING_FIELD_ID.to_bytes(2, "little") + pad.to_bytes(2, "little") + \
        b"Z" * pad
    return info


def _write_zip(f, folder, records):
    """Write the records as a zip archive to f (seekable: in place; otherwise through
    memory, as the alignment is computed from the write position)."""
    if not (hasattr(f, "seekable") and f.seekable()):
        buf = io.BytesIO()
        _write_zip(buf, folder, records)
        f.write(buf.getbuffer())
        return
    start = f.tell()
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as zf:
        for name, data in records:
            info = _padded_info(f"{folder}/{name}", f.tell() - start)
            zf.writestr(info, data)
            # The padding belongs in the local header only (the central directory's extra
            # field stays empty, as torch's).
            info.extra = b""


def _host_bytes(storage):
    """The storage's bytes as a buffer (no copy on the CPU)."""
    buffer = storage._buffer
    if storage.device.type != "cpu":
        from . import kernels
        buffer = kernels.for_device(storage.device).to_host(buffer)
    return memoryview(np.ascontiguousarray(buffer).view(np.uint8))


def _open(f, mode):
    """A file object for a path (opened here, closed by the caller's with) or the given one."""
    if isinstance(f, (str, os.PathLike)):
        return open(f, mode)
    return contextlib.nullcontext(f)


def save(obj, f, pickle_module=pickle, pickle_protocol=DEFAULT_PROTOCOL,
         _use_new_zipfile_serialization=True, _disable_byteorder_record=False):
    """Write `obj` to `f` (a path or a writable binary file object) in torch's zip format
    (spec serialization.save-load)."""
    if not _use_new_zipfile_serialization:
        raise NotImplementedError("refimpl writes only the zip format "
                                  "(_use_new_zipfile_serialization=True)")
    buf = io.BytesIO()
    pickler = _TorchPickler(buf, pickle_protocol)
    pickler.dump(obj)
    records = [("data.pkl", buf.getvalue())]
    if not _disable_byteorder_record:
        records.append(("byteorder", sys.byteorder.encode()))
    for key, ref in pickler.storages.values():
        records.append((f"data/{key}", _host_bytes(ref.storage)))
    records.append(("version", b"3\n"))
    folder = "archive"
    if isinstance(f, (str, os.PathLike)):
        folder = os.path.splitext(os.path.basename(os.fspath(f)))[0] or "archive"
    with _open(f, "wb") as fobj:
        _write_zip(fobj, folder, records)


# -- reading ----------------------------------------------------------------------------------

class _StorageType:
    """torch.<Type>Storage as read from a file: it only names the dtype of the storage."""

    def __init__(self, dtype):
        self.dtype = dtype


class _LoadedStorage:
    def __init__(self, untyped, dtype):
        self.untyped, self.dtype = untyped, dtype


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    t = Tensor._make(storage.untyped, storage_offset, tuple(size), tuple(stride),
                     storage.dtype, storage.untyped.device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       dtype, metadata=None):
    return _rebuild_tensor_v2(_LoadedStorage(storage.untyped, dtype), storage_offset, size,
                              stride, requires_grad, backward_hooks, metadata)


def _rebuild_tensor(storage, storage_offset, size, stride):
    return _rebuild_tensor_v2(storage, storage_offset, size, stride, False, None)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    from .nn.parameter import Parameter
    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    param = _rebuild_parameter(data, requires_grad, backward_hooks)
    for name, value in (state or {}).items():
        setattr(param, name, value)
    return param


def _allowed_globals():
    """torch's default allow-list for weights_only=True (the part refimpl can build)."""
    import codecs

    from . import _tensor
    from .nn.parameter import Parameter
    allowed = {
        "collections.OrderedDict": collections.OrderedDict,
        "collections.Counter": collections.Counter,
        "torch.nn.parameter.Parameter": Parameter,
        "torch.Size": _tensor.Size, "torch.Tensor": Tensor,
        "torch.device": _device,
        "_codecs.encode": codecs.encode,
        "builtins.bytearray": bytearray, "builtins.set": set, "builtins.complex": complex,
        "torch._utils._rebuild_tensor": _rebuild_tensor,
        "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
        "torch._utils._rebuild_tensor_v3": _rebuild_tensor_v3,
        "torch._utils._rebuild_parameter": _rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
        "torch.storage.UntypedStorage": _StorageType(_dtype.uint8),
    }
    for d in _dtype.ALL:
        allowed[f"torch.{d.name}"] = d
        allowed[f"torch.{_STORAGE_NAMES[d.name]}"] = _StorageType(d)
    allowed.update(_user_globals)
    return allowed


_user_globals = {}


def _global_name(obj):
    if isinstance(obj, tuple):
        obj, name = obj
        return name, obj
    return f"{obj.__module__}.{obj.__qualname__}", obj


def add_safe_globals(safe_globals):
    """Allow these functions and classes (or (obj, "module.name") pairs) in weights_only
    loads."""
    _user_globals.update(_global_name(g) for g in safe_globals)


def get_safe_globals():
    return list(_user_globals.values())


def clear_safe_globals():
    _user_globals.clear()


@contextlib.contextmanager
def safe_globals(globals_list):
    """add_safe_globals for the duration of a with block."""
    saved = dict(_user_globals)
    add_safe_globals(globals_list)
    try:
        yield
    finally:
        _user_globals.clear()
        _user_globals.update(saved)


# torch's weights-only unpickler interprets these opcodes and no others.
_ALLOWED_OPCODES = {
    "GLOBAL", "NEWOBJ", "REDUCE", "BUILD", "APPEND", "APPENDS", "SETITEM", "SETITEMS", "MARK",
    "TUPLE", "TUPLE1", "TUPLE2", "TUPLE3", "NONE", "NEWTRUE", "NEWFALSE", "EMPTY_TUPLE",
    "EMPTY_LIST", "EMPTY_DICT", "EMPTY_SET", "BININT", "BININT1", "BININT2", "LONG1",
    "BINFLOAT", "BINUNICODE", "SHORT_BINSTRING", "BINPERSID", "BINGET", "LONG_BINGET", "BINPUT",
    "LONG_BINPUT", "PROTO", "STOP"}

_UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in "
    "`torch.load` from `False` to `True`. Re-running `torch.load` with `weights_only` set to "
    "`False` will likely succeed, but it can result in arbitrary code execution. Do it only if "
    "you got the file from a trusted source.")


def _weights_only_error(message):
    return pickle.UnpicklingError(
        "Weights only load failed. This file can still be loaded, to do so you have two "
        f"options, do those steps only if you trust the source of the checkpoint. \n\t(1) "
        f"{_UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` please check "
        "the recommended steps in the following error message.\n\tWeightsUnpickler error: "
        + message)


def _global_path(module, name):
    """module.name with Python 2 names mapped to Python 3 ones, as protocol-2 pickles write
    builtins as `__builtin__`."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        module, name = _compat_pickle.NAME_MAPPING[(module, name)]
    module = _compat_pickle.IMPORT_MAPPING.get(module, module)
    return f"{module}.{name}"


def _check_weights_only(data):
    """Refuse a pickle with an opcode or a global outside the allow-list, before running
    any of it (as torch's interpreter would stop at the first one)."""
    allowed = _allowed_globals()
    for opcode, arg, _ in pickletools.genops(data):
        if opcode.name not in _ALLOWED_OPCODES:
            raise _weights_only_error(f"Unsupported operand {opcode.code.encode('latin-1')[0]}")
        if opcode.name == "GLOBAL":
            full = _global_path(*arg.split(" ", 1))
            if full not in allowed:
                raise _weights_only_error(
                    f"Unsupported global: GLOBAL {full} was not an allowed global by default. "
                    f"Please use `torch.serialization.add_safe_globals([{full}])` or the "
                    f"`torch.serialization.safe_globals([{full}])` context manager to "
                    "allowlist this global if you trust this class/function.")


class _TorchUnpickler(pickle.Unpickler):
    """Reads torch's names back as refimpl objects; storages come from the zip records."""

    def __init__(self, file, read_record, restore, weights_only, **kwargs):
        super().__init__(file, **kwargs)
        self.read_record, self.restore, self.weights_only = read_record, restore, weights_only
        self.loaded = {}

    def find_class(self, module, name):
        full = _global_path(module, name)
        allowed = _allowed_globals()
        if full in allowed:
            return allowed[full]
        if self.weights_only:     # unreachable after _check_weights_only; kept as a guard
            raise _weights_only_error(f"Unsupported global: GLOBAL {full}")
        if module == "torch" or module.startswith("torch."):
            module = "refimpl" + module[len("torch"):]
        return super().find_class(module, name)

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError("unsupported persistent id encountered")
        _, storage_type, key, location, numel = pid
        if key not in self.loaded:
            buffer = self.read_record(f"data/{key}", numel * storage_type.dtype.itemsize)
            self.loaded[key] = self.restore(UntypedStorage(buffer, canonical("cpu")), location)
        return _LoadedStorage(self.loaded[key], storage_type.dtype)


def _cuda_available():
    from . import cuda
    return cuda.is_available()


def _to_device(storage, device):
    device = canonical(device)
    if device.type == "cpu":
        return storage
    if device.type == "cuda" and not _cuda_available():
        raise RuntimeError("Attempting to deserialize object on a CUDA device but "
                           "torch.cuda.is_available() is False. If you are running on a CPU-only "
                           "machine, please use torch.load with "
                           "map_location=torch.device('cpu') to map your storages to the CPU.")
    from . import kernels
    return UntypedStorage(kernels.for_device(device).to_device(storage._buffer), device)


def _restorer(map_location):
    """How a storage saved at `location` is placed (spec serialization.map-location)."""
    def restore(storage, location):
        if map_location is None:
            return _to_device(storage, location)
        if isinstance(map_location, dict):
            return _to_device(storage, map_location.get(location, location))
        if callable(map_location):
            result = map_location(storage, location)
            return _to_device(storage, location) if result is None else result
        return _to_device(storage, map_location)
    return restore


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Read an object that torch.save (or refimpl's save) wrote (spec serialization.*)."""
    if weights_only is None:
        weights_only = pickle_module is None and \
            os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() not in \
            ("1", "y", "yes", "true")
    if os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in ("1", "y", "yes", "true"):
        weights_only = True
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is "
                           "specified")
    pickle_load_args.setdefault("encoding", "utf-8")
    with _open(f, "rb") as fobj:
        start = fobj.tell()
        magic = fobj.read(4)
        fobj.seek(start)
        if magic != b"PK\x03\x04":
            raise pickle.UnpicklingError(
                "refimpl reads only torch's zip format (files written by torch.save since "
                "1.6); this file is not a zip archive")
        with zipfile.ZipFile(fobj) as zf:
            names = zf.namelist()
            if "/" not in names[0]:
                raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file "
                                   "in archive is not in a subdirectory")
            folder = names[0].split("/", 1)[0]
            data = zf.read(f"{folder}/data.pkl")
            if weights_only:
                _check_weights_only(data)
            def read_record(name, nbytes):
                """The first nbytes of a record, in a fresh writable buffer."""
                buffer = np.empty(nbytes, np.uint8)
                with zf.open(f"{folder}/{name}") as record:
                    record.readinto(memoryview(buffer))
                return buffer

            unpickler = _TorchUnpickler(io.BytesIO(data), read_record, _restorer(map_location),
                                        weights_only, **pickle_load_args)
            return unpickler.load()


# -- pickling a tensor (pickle.dumps, DataLoader worker queues) --------------------------------

def _rebuild_from_pickle(raw, dtype_name, storage_offset, size, stride, requires_grad,
                         device):
    """A tensor from Tensor.__reduce_ex__: its whole storage's bytes plus the view."""
    storage = UntypedStorage(np.frombuffer(bytearray(raw), np.uint8), canonical("cpu"))
    storage = _to_device(storage, device)
    t = Tensor._make(storage, storage_offset, tuple(size), tuple(stride),
                     _dtype._BY_NAME[dtype_name], storage.device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _tensor_reduce_ex(self, protocol):
    """Spec serialization.pickle: a tensor pickles by value (its storage's bytes, dtype,
    offset, size, stride, requires_grad, device); the copy shares no memory with it, and, as
    in torch, two pickled views of one storage come back as separate storages."""
    return (_rebuild_from_pickle, (bytes(_host_bytes(self._storage)), self.dtype.name,
                                   self.storage_offset(), tuple(self.shape),
                                   tuple(self.stride()), self.requires_grad,
                                   str(self.device)))


Tensor.__reduce_ex__ = _tensor_reduce_ex
