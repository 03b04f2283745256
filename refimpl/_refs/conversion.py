"""Copies and conversions: clone, contiguous, copy_, to, cpu, cuda and the dtype shortcuts.

Spec torch.Tensor.contiguous: `contiguous()` returns self when already contiguous (same
data_ptr) and a contiguous copy otherwise. Spec torch.Tensor.to: `to` returns self when
nothing changes, else a copy on the new device or dtype, recorded by autograd.
"""

from .. import _dtype, _layout, kernels
from .._device import canonical
from .._dispatch import op
from .._tensor import Tensor


@op(tensors=("input",), grad_fn="CloneBackward0")
def clone(xp, input, *, memory_format=_layout.preserve_format):
    """torch.clone: a copy with its own storage; torch.preserve_format keeps a dense layout
    (a non-dense input gets dense strides in its own dim order), another memory format lays
    the copy out in that format."""
    _layout.check_memory_format(memory_format, "clone")
    if memory_format is _layout.preserve_format:
        strides = _layout.empty_like_strides(input._shape, input._stride)
    else:
        strides = _layout.format_strides(input._shape, memory_format)
    out = Tensor._empty(input._shape, input._dtype, input._device, strides)
    xp.copy_(out._array, input._array)
    return out


clone.defvjp(lambda grad: grad)


def contiguous(self, memory_format=_layout.contiguous_format):
    """Tensor.contiguous: self if already contiguous in memory_format (same data_ptr), else a
    copy laid out in it (CloneBackward0). preserve_format means: self as it is."""
    if memory_format is _layout.contiguous_format:
        return self if _layout.is_contiguous(self._shape, self._stride) else \
            clone(self, memory_format=memory_format)
    _layout.check_memory_format(memory_format, "contiguous")
    if memory_format is _layout.preserve_format or \
            _layout.is_contiguous_as(self._shape, self._stride, memory_format):
        if memory_format is not _layout.contiguous_format:
            _layout.format_strides(self._shape, memory_format)   # the rank check
        return self
    return clone(self, memory_format=memory_format)


@op(tensors=("input", "src"), grad_fn="CopyBackwards", method=False)
def _copy_out_of_place(xp, input, src):
    raise AssertionError("only recorded by copy_, never called")


def copy_(self, src, non_blocking=False):
    """Tensor.copy_: write src (broadcast, cast, from any device) into self."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' (position 1) must be Tensor, not "
                        f"{type(src).__name__}")
    from .._layout import broadcast_shapes
    if broadcast_shapes(self._shape, src._shape) != self._shape:
        raise RuntimeError(f"output with shape {list(self._shape)} doesn't match the broadcast "
                           f"shape {list(broadcast_shapes(self._shape, src._shape))}")
    from ..autograd.grad_mode import is_grad_enabled
    needs = is_grad_enabled() and (src._requires_grad or self._requires_grad)
    if needs and self._grad_fn is None and self._requires_grad:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    arr = src._array if src._device == self._device else \
        self._xp.to_device(src._xp.to_host(src._array))
    self._xp.copy_(self._array, arr)
    self._bump_version()
    if needs:
        old = self._alias()
        old._grad_fn, old._output_nr = self._grad_fn, self._output_nr
        old._requires_grad = self._requires_grad
        _copy_out_of_place._record([old, src], {}, self, inputs=[old, src])
    return self


_copy_out_of_place.defvjp(lambda grad: grad.mul(0),
                          lambda grad: grad)


def fill_(self, value):
    """Tensor.fill_: every element of self becomes `value` (a number, or a 0-dim tensor whose
    gradient is the sum of self's), cast to self's dtype as copy_ casts. Written as copy_ of
    the value broadcast to self's shape, so in-place checks, version bump and gradients are
    copy_'s (the node is named CopyBackwards where torch names it FillBackward0)."""
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value.dim()} dimensions.")
        src = value
    elif isinstance(value, (bool, int, float, complex)):
        from .creation import tensor
        src = tensor(value, dtype=self._dtype, device=self._device)
    else:
        raise TypeError(f"fill_(): argument 'value' (position 1) must be Number, not "
                        f"{type(value).__name__}")
    return copy_(self, src.expand(self._shape))


def zero_(self):
    """Tensor.zero_: fill_(0)."""
    return fill_(self, 0)


Tensor.fill_ = fill_
Tensor.zero_ = zero_


@op(tensors=("input",), grad_fn="ToCopyBackward0", method=False)
def _to_copy(xp, input, dtype, device):
    if device == input._device:
        out = Tensor._empty(input._shape, dtype, device,
                            _layout.empty_like_strides(input._shape, input._stride))
        xp.copy_(out._array, input._array)
        return out
    target = kernels.for_device(device)
    arr = target.astype(target.to_device(xp.to_host(input._array)), dtype.np)
    return Tensor._from_array(target.adopt(arr, dtype.np), dtype, device)


_to_copy.defvjp(lambda grad, input: grad.to(input.device).to(input.dtype))


def to(self, *args, dtype=None, device=None, non_blocking=False, copy=False, memory_format=None):
    """Tensor.to(dtype) / to(device) / to(device, dtype) / to(other): self when nothing
    changes (and copy=False), else a converted copy."""
    for a in args:
        if isinstance(a, _dtype.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype, device = a.dtype, a.device
        elif a is not None:
            device = a
    dtype = dtype or self._dtype
    device = canonical(device) if device is not None else self._device
    if memory_format is not None and memory_format is not _layout.preserve_format:
        # torch copies only when the layout torch would suggest for self is another format
        _layout.check_memory_format(memory_format, "to")
        if _layout.suggest_memory_format(self._shape, self._stride) is not memory_format:
            self = clone(self, memory_format=memory_format)
            copy = False
    if dtype is self._dtype and device == self._device and not copy:
        return self
    return _to_copy(self, dtype, device)


Tensor.contiguous = contiguous
Tensor.copy_ = copy_
Tensor.to = to
Tensor.cpu = lambda self, memory_format=None: to(self, "cpu")
Tensor.cuda = lambda self, device=None, non_blocking=False, memory_format=None: \
    to(self, canonical(device if device is not None else "cuda"))


def _cast(d):
    def cast(self, memory_format=None):
        return to(self, d)
    cast.__name__ = cast.__qualname__ = d.name
    cast.__doc__ = f"Tensor.{d.name}: self.to(torch.{d.name})."
    return cast


for _name, _d in (("float", _dtype.float32), ("double", _dtype.float64),
                  ("half", _dtype.float16), ("bfloat16", _dtype.bfloat16),
                  ("int", _dtype.int32), ("long", _dtype.int64), ("short", _dtype.int16),
                  ("char", _dtype.int8), ("byte", _dtype.uint8), ("bool", _dtype.bool)):
    setattr(Tensor, _name, _cast(_d))

__all__ = ["clone"]
