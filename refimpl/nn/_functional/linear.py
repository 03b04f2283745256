"""nn.functional.linear and bilinear, and the distance functions cosine_similarity and
pairwise_distance.

linear(x, W, b) = x W^T + b over the last dim of x; the node is named as torch names it
(AddmmBackward0 for a matrix with bias, MmBackward0 without, ViewBackward0 and
UnsafeViewBackward0 for batched input, SqueezeBackward4 for a vector without bias; those of
contiguous operands: torch picks other kernels, and names, for some strided ones). The
derivatives are written with refimpl ops, so create_graph works.
Specs: nn.functional.linear in specs/torch.nn.functional.toml.
"""

from ..._dispatch import op
from ..._tensor import Tensor

__all__ = ["linear", "bilinear", "cosine_similarity", "pairwise_distance", "pdist"]


def _linear_node_name(input, bias):
    if input.dim() == 2:
        return "AddmmBackward0" if bias else "MmBackward0"
    if input.dim() == 1:
        return "ViewBackward0" if bias else "SqueezeBackward4"
    return "ViewBackward0" if bias else "UnsafeViewBackward0"


def _check_linear(input, weight):
    if input.dim() == 0 or input.shape[-1] != weight.shape[-1]:
        rows = 1 if input.dim() <= 1 else input.numel() // max(input.shape[-1], 1)
        cols = input.shape[-1] if input.dim() else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{cols} and "
                           f"{weight.shape[-1]}x{weight.shape[0]})")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                           f"{str(input.dtype).replace('torch.', '').title()} and "
                           f"{str(weight.dtype).replace('torch.', '').title()}")


@op(method=False, grad_fn=lambda input, weight, bias: _linear_node_name(input, True))
def _linear_bias(xp, input, weight, bias):
    _check_linear(input, weight)
    out = xp.matmul(input._array, weight._array.T) + bias._array
    return xp.astype(out, input.dtype.np), input.dtype


@op(method=False, grad_fn=lambda input, weight: _linear_node_name(input, False))
def _linear_nobias(xp, input, weight):
    _check_linear(input, weight)
    return xp.matmul(input._array, weight._array.T), input.dtype


def _grad_input(grad, weight, input_shape):
    return grad.reshape(-1, weight.shape[0]).mm(weight).reshape(input_shape)


def _grad_weight(grad, input, weight):
    return grad.reshape(-1, weight.shape[0]).t().mm(input.reshape(-1, weight.shape[1]))


_linear_bias.defvjp(lambda grad, weight, input_shape: _grad_input(grad, weight, input_shape),
                    lambda grad, input, weight: _grad_weight(grad, input, weight),
                    lambda grad, weight: grad.reshape(-1, weight.shape[0]).sum(0))
_linear_nobias.defvjp(lambda grad, weight, input_shape: _grad_input(grad, weight, input_shape),
                      lambda grad, input, weight: _grad_weight(grad, input, weight))


def linear(input, weight, bias=None):
    """input @ weight.T + bias. Spec nn.functional.linear."""
    for i, (name, t) in enumerate((("input", input), ("weight", weight))):
        if not isinstance(t, Tensor):
            raise TypeError(f"linear(): argument '{name}' (position {i + 1}) must be Tensor, "
                            f"not {type(t).__name__}")
    if bias is None:
        return _linear_nobias(input, weight)
    return _linear_bias(input, weight, bias)


@op(tensors=("input1", "input2", "weight", "bias"), method=False,
    grad_fn=lambda input1, input2, weight, bias, node: node)
def _bilinear(xp, input1, input2, weight, bias, node):
    import numpy as np
    out = np.einsum("...i,oij,...j->...o", input1._array, weight._array, input2._array)
    return (out + bias._array).astype(input1.dtype.np), input1.dtype


@op(tensors=("grad", "input1", "input2", "weight"), method=False, name="bilinear_backward")
def _bilinear_grad(xp, grad, input1, input2, weight, which):
    import numpy as np
    g, a, b, w = grad._array, input1._array, input2._array, weight._array
    if which == 0:
        out = np.einsum("...o,oij,...j->...i", g, w, b)
    elif which == 1:
        out = np.einsum("...o,oij,...i->...j", g, w, a)
    else:
        n = g.shape[-1]
        out = np.einsum("no,ni,nj->oij", g.reshape(-1, n), a.reshape(-1, a.shape[-1]),
                        b.reshape(-1, b.shape[-1]))
    return out.astype(input1.dtype.np), input1.dtype


_bilinear.defvjp(lambda grad, input1, input2, weight: _bilinear_grad(grad, input1, input2,
                                                                     weight, 0),
                 lambda grad, input1, input2, weight: _bilinear_grad(grad, input1, input2,
                                                                     weight, 1),
                 lambda grad, input1, input2, weight: _bilinear_grad(grad, input1, input2,
                                                                     weight, 2),
                 lambda grad, weight: grad.reshape(-1, weight.shape[0]).sum(0))


def bilinear(input1, input2, weight, bias=None):
    """y[o] = sum_ij input1[i] weight[o, i, j] input2[j] + bias[o], over leading dims."""
    if input1.shape[:-1] != input2.shape[:-1]:
        raise RuntimeError(f"bilinear(): input batch dimensions do not match: got "
                           f"{list(input1.shape[:-1])} and {list(input2.shape[:-1])}")
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got "
                           f"{input1.shape[-1]} but expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got "
                           f"{input2.shape[-1]} but expected {weight.shape[2]}")
    if bias is None:  # torch's last step is then a view (ViewBackward0), else an add
        from ..._refs.creation import zeros
        return _bilinear(input1, input2, weight, zeros(weight.shape[0], dtype=weight.dtype),
                         "ViewBackward0")
    return _bilinear(input1, input2, weight, bias, "AddBackward0")


@op(tensors=("x1", "x2"), method=False, grad_fn="SumBackward1")
def _cosine_similarity(xp, x1, x2, dim, eps):
    import numpy as np
    a, b = np.broadcast_arrays(x1._array, x2._array)
    na = np.sqrt(np.sum(a * a, axis=dim))
    nb = np.sqrt(np.sum(b * b, axis=dim))
    # torch divides each input by its clamped norm, then sums the product
    out = np.sum((a / np.expand_dims(np.maximum(na, eps), dim)) *
                 (b / np.expand_dims(np.maximum(nb, eps), dim)), axis=dim)
    return out.astype(x1.dtype.np), x1.dtype


@op(tensors=("grad", "x1", "x2"), method=False, name="cosine_similarity_backward")
def _cosine_similarity_grad(xp, grad, x1, x2, dim, eps, which):
    import numpy as np
    a, b = np.broadcast_arrays(x1._array, x2._array)
    if which == 1:
        a, b = b, a
    na = np.expand_dims(np.sqrt(np.sum(a * a, axis=dim)), dim)
    nb = np.expand_dims(np.maximum(np.sqrt(np.sum(b * b, axis=dim)), eps), dim)
    g = np.expand_dims(grad._array, dim)
    ca = np.maximum(na, eps)
    bn = b / nb
    # d/da sum(a / max(|a|, eps) * bn) = bn / ca - (a . bn) / ca^2 * d|a|/da, where torch
    # differentiates the clamped norm as the norm itself even below eps: d|a|/da = a / |a|
    # (0 for a zero vector)
    dot = np.sum(a * bn, axis=dim, keepdims=True)
    unit = np.divide(a, na, out=np.zeros_like(a), where=na > 0)
    da = bn / ca - unit * dot / (ca * ca)
    return (g * da).astype(x1.dtype.np), x1.dtype


_cosine_similarity.defvjp(
    lambda grad, x1, x2, dim, eps: _cosine_similarity_grad(grad, x1, x2, dim, eps, 0),
    lambda grad, x1, x2, dim, eps: _cosine_similarity_grad(grad, x1, x2, dim, eps, 1))


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """sum(x1 * x2) / (max(|x1|, eps) max(|x2|, eps)) along dim (inputs broadcast)."""
    from ..._layout import broadcast_shapes
    from ..._tensor import wrap_dim
    shape = broadcast_shapes(x1._shape, x2._shape)
    return _cosine_similarity(x1, x2, wrap_dim(dim, len(shape)), eps)


@op(tensors=("x1", "x2"), method=False, grad_fn="NormBackward1")
def _pairwise_distance(xp, x1, x2, p, eps, keepdim):
    import numpy as np
    d = np.abs(x1._array - x2._array + eps)
    dim = -1 if max(x1.dim(), x2.dim()) else None
    if p == 0:
        out = np.sum(d != 0, axis=dim, keepdims=keepdim).astype(d.dtype)
    elif np.isinf(p):
        out = np.max(d, axis=dim, keepdims=keepdim)
    else:
        out = np.sum(d ** p, axis=dim, keepdims=keepdim) ** (1.0 / p)
    return np.asarray(out, x1.dtype.np), x1.dtype


@op(tensors=("grad", "x1", "x2"), method=False, name="pairwise_distance_backward")
def _pairwise_distance_grad(xp, grad, x1, x2, p, eps, keepdim, which):
    import numpy as np
    diff = x1._array - x2._array + eps
    norm = np.sum(np.abs(diff) ** p, axis=-1, keepdims=True) ** (1.0 / p)
    g = grad._array if keepdim else np.expand_dims(grad._array, -1)
    with np.errstate(all="ignore"):
        d = np.where(norm == 0, 0, np.sign(diff) * np.abs(diff) ** (p - 1) / norm ** (p - 1))
    out = g * d * (1 if which == 0 else -1)
    return out.astype(x1.dtype.np), x1.dtype


_pairwise_distance.defvjp(
    lambda grad, x1, x2, p, eps, keepdim: _pairwise_distance_grad(grad, x1, x2, p, eps,
                                                                  keepdim, 0),
    lambda grad, x1, x2, p, eps, keepdim: _pairwise_distance_grad(grad, x1, x2, p, eps,
                                                                  keepdim, 1))


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The p-norm of x1 - x2 + eps along the last dim."""
    return _pairwise_distance(x1, x2, p, eps, keepdim)


def _pdist_pairs(n):
    import numpy as np
    return np.triu_indices(n, 1)


@op(tensors=("input",), method=False, grad_fn="PdistBackward0")
def _pdist(xp, input, p):
    import numpy as np
    i, j = _pdist_pairs(input.shape[0])
    d = np.abs(input._array[i] - input._array[j])
    if p == 0:
        out = np.sum(d != 0, axis=-1).astype(d.dtype)
    elif np.isinf(p):
        out = np.max(d, axis=-1, initial=0)
    else:
        out = np.sum(d ** p, axis=-1) ** (1.0 / p)
    return np.asarray(out, input.dtype.np), input.dtype


@op(tensors=("grad", "input"), method=False, name="pdist_backward")
def _pdist_grad(xp, grad, input, p):
    import numpy as np
    i, j = _pdist_pairs(input.shape[0])
    diff = input._array[i] - input._array[j]
    norm = np.sum(np.abs(diff) ** p, axis=-1, keepdims=True) ** (1.0 / p)
    with np.errstate(all="ignore"):
        d = np.where(norm == 0, 0, np.sign(diff) * np.abs(diff) ** (p - 1) / norm ** (p - 1))
    g = grad._array[:, None] * d
    out = np.zeros_like(input._array)
    np.add.at(out, i, g)
    np.add.at(out, j, -g)
    return out, input.dtype


_pdist.defvjp(lambda grad, input, p: _pdist_grad(grad, input, p))


def pdist(input, p=2):
    """The p-norm distances between all pairs of rows of a 2-D input, condensed: row i
    against each later row j, in order."""
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    return _pdist(input, p)
