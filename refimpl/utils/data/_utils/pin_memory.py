"""Memory pinning of batches (spec utils.data.DataLoader.pin-memory and
.pin-memory.custom-type).

The loader pins only when an accelerator is available (refimpl: `refimpl.cuda.is_available()`);
otherwise it warns once per iterator and yields the batches as they are, as torch 2.13 does.
Pinning walks the batch: a tensor, or any object with its own `pin_memory()` method, is
pinned by that method; strings stay; mappings and sequences are rebuilt with pinned items;
anything else is returned unchanged.
"""

import collections.abc
import copy

from ...._tensor import Tensor


def pin_memory(data, device=None):
    if isinstance(data, Tensor) or hasattr(data, "pin_memory"):
        return data.pin_memory()
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, collections.abc.Mapping):
        items = {k: pin_memory(v, device) for k, v in data.items()}
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update(items)
                return clone
            return type(data)(items)
        except TypeError:
            return items
    if isinstance(data, tuple):
        if hasattr(data, "_fields"):    # namedtuple
            return type(data)(*(pin_memory(v, device) for v in data))
        return type(data)(pin_memory(v, device) for v in data)
    if isinstance(data, collections.abc.Sequence):
        items = [pin_memory(v, device) for v in data]
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, v in enumerate(items):
                    clone[i] = v
                return clone
            return type(data)(items)
        except TypeError:
            return items
    return data


def _tensor_pin_memory(self, device=None):
    """Tensor.pin_memory(): a copy in page-locked host memory. Pinning needs an accelerator:
    without one torch 2.13 raises RuntimeError. refimpl's host memory is NumPy's; a pinned
    copy is an ordinary copy that reports is_pinned() True."""
    from .... import cuda
    if not cuda.is_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")
    if self.is_pinned():
        return self
    out = self.clone()
    out.__dict__["_pinned"] = True
    return out


def _tensor_is_pinned(self, device=None):
    """Tensor.is_pinned(): True only for the result of pin_memory()."""
    return bool(self.__dict__.get("_pinned", False))


# Pinning is the DataLoader's concern in the documents (004's "Memory Pinning"); the Tensor
# methods live here with it unless the Tensor class defines its own.
if not hasattr(Tensor, "pin_memory"):
    Tensor.pin_memory = _tensor_pin_memory
if not hasattr(Tensor, "is_pinned"):
    Tensor.is_pinned = _tensor_is_pinned
