"""Reductions.

Spec torch.sum: `sum(input, dim=None, keepdim=False, *, dtype=None)`; bool and integer
inputs sum to int64 unless `dtype` is given; `dim` is an int or a tuple, negative dims count
from the end, and a dim out of range is an IndexError.
"""

from .. import _dtype
from .._dispatch import op
from .._tensor import wrap_dim


def reduced_dims(dim, ndim):
    """The dims a reduction runs over, non-negative and sorted (all dims for None or ())."""
    if dim is None or dim == () or dim == []:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    out = sorted(wrap_dim(d, ndim) for d in dims)
    if ndim == 0:  # a 0-dim tensor accepts dim 0 or -1 and has nothing to reduce
        return ()
    for a, b in zip(out, out[1:]):
        if a == b:
            raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
    return tuple(out)


@op(tensors=("input",),
    grad_fn=lambda input, dim=None, keepdim=False, **_: "SumBackward0" if dim is None
    else "SumBackward1")
def sum(xp, input, dim=None, keepdim=False, *, dtype=None):
    """torch.sum over `dim` (all dims when None)."""
    if dtype is None:
        dtype = input.dtype if input.dtype.is_floating_point or input.dtype.is_complex \
            else _dtype.int64
    axes = reduced_dims(dim, input.dim())
    acc = _dtype.opmath(dtype).np
    return xp.astype(xp.sum(input._array, axes, acc, keepdim), dtype.np), dtype


def _sum_backward(grad, input_shape, dim, keepdim):
    """The gradient of sum: grad broadcast back over the summed dims."""
    if not keepdim and input_shape:
        for d in reduced_dims(dim, len(input_shape)):
            grad = grad.unsqueeze(d)
    return grad.expand(input_shape)


sum.defvjp(_sum_backward)

__all__ = ["sum"]
