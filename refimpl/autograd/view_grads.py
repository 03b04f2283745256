"""Gradients across views after in-place writes: torch's CopySlices and AsStridedBackward0.

When an in-place op writes through a view, the base's history gains the write
(refimpl._dispatch.CopySlices) and every view of that base gets a node that reads its part of
the base's gradient (AsStridedBackward0). Which base elements a view covers is an index map
computed once from the two tensors' strides; the two ops below move gradients along it and
are differentiable (each is the other's derivative), so create_graph works through them.
"""

import numpy as np

from .._dispatch import op
from .._tensor import Tensor
from .graph import Node, gradient_edge


def view_index(base, view):
    """An int64 tensor of the view's shape: for each view element, its flat (C-order) index
    among the base's elements."""
    from .. import _dtype

    def positions(t):
        pos = np.full(t._shape, t._offset, np.int64)
        for d, (n, s) in enumerate(zip(t._shape, t._stride)):
            pos += (np.arange(n, dtype=np.int64) * s).reshape((n,) + (1,) * (len(t._shape) - d - 1))
        return pos

    base_pos = positions(base).reshape(-1)
    lo = int(base_pos.min()) if base_pos.size else 0
    inverse = np.full(int(base_pos.max()) - lo + 1 if base_pos.size else 0, -1, np.int64)
    inverse[base_pos - lo] = np.arange(base_pos.size, dtype=np.int64)
    index = inverse[positions(view) - lo] if view.numel() else np.zeros(view._shape, np.int64)
    xp = base._xp
    return Tensor._from_array(xp.adopt(xp.asarray(index, np.int64), np.int64), _dtype.int64,
                              base._device)


@op(tensors=("grad", "index"), grad_fn="AsStridedBackward0", method=False)
def _gather_view(xp, grad, index):
    """The elements of grad (a base's gradient) that a view covers, in the view's shape."""
    flat = xp.take_along_axis(grad.contiguous()._array.reshape(-1), index._array.reshape(-1), 0)
    return flat.reshape(index._shape), grad._dtype


@op(tensors=("grad", "index"), grad_fn="AsStridedScatterBackward0", method=False)
def _scatter_view(xp, grad, index, base_shape):
    """A base-shaped tensor holding grad (a view's gradient) at the view's elements, zeros
    elsewhere (elements reached twice add up)."""
    n = 1
    for s in base_shape:
        n *= s
    flat = xp.add_along_axis((n,), index._array.reshape(-1),
                             grad.contiguous()._array.reshape(-1), 0)
    return flat.reshape(tuple(base_shape)), grad._dtype


_gather_view.defvjp(lambda grad, index, grad_shape: _scatter_view(grad, index, grad_shape),
                    None)
_scatter_view.defvjp(lambda grad, index: _gather_view(grad, index), None)


def gather_view(grad, index):
    return _gather_view(grad, index)


def scatter_view(grad, index, base_shape):
    return _scatter_view(grad, index, base_shape)


class AsStridedBackward0(Node):
    """The node of a view whose base's history changed: its gradient lands in the base's
    gradient at the view's elements."""

    __slots__ = ("_index", "_base_shape", "_dtype")

    def apply(self, grads):
        g = grads.get(0)
        return (None if g is None else scatter_view(g, self._index, self._base_shape),)


def regenerate_view_fn(view):
    """Give `view` a fresh AsStridedBackward0 node on its base's current history."""
    base = view._base
    node = AsStridedBackward0([gradient_edge(base)])
    node._index = view_index(base, view)
    node._base_shape = base._shape
    view._grad_fn, view._output_nr, view._requires_grad = node, 0, True
    view._view_of_fn = base._grad_fn


_NOT_TRACKED = object()


def current_grad_fn(view):
    """The grad_fn of a view, regenerated first if the base's history changed since it was
    made (an in-place op on the base or on another view of it)."""
    base = view._base
    seen = view.__dict__.get("_view_of_fn", _NOT_TRACKED)
    if seen is not _NOT_TRACKED and base._grad_fn is not seen and base._requires_grad:
        regenerate_view_fn(view)
    return view._grad_fn
