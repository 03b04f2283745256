"""nn.functional.embedding: rows of a weight matrix looked up by integer indices.

Spec nn.functional.embedding: `embedding(input, weight)` is weight[input]; the gradient of
weight sums the output gradients of every lookup of a row; the row `padding_idx` gets no
gradient; `max_norm` renormalises, in place, the looked-up rows whose p-norm exceeds it;
`scale_grad_by_freq` divides a row's gradient by its count in the batch. sparse=True
(sparse gradients) is not supported by refimpl: it raises NotImplementedError.
"""

from ... import _dtype
from ..._dispatch import op
from ..._tensor import Tensor, scalar_type_name
from ...autograd.grad_mode import no_grad

__all__ = ["embedding", "one_hot"]


@op(tensors=("weight", "indices"), method=False, grad_fn="EmbeddingBackward0")
def _embedding(xp, weight, indices, padding_idx, scale_grad_by_freq):
    import numpy as np
    if indices.dtype.name not in ("int64", "int32"):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {indices.type()} instead (while checking arguments "
            "for embedding)")
    idx = indices._array
    if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    return np.take(weight._array, idx, axis=0), weight.dtype


@op(tensors=("grad", "indices"), method=False, name="embedding_backward")
def _embedding_grad(xp, grad, indices, num_weights, padding_idx, scale_grad_by_freq):
    import numpy as np
    idx = indices._array
    g = grad._array.reshape(idx.size, -1)
    if scale_grad_by_freq:
        counts = np.bincount(idx.reshape(-1), minlength=num_weights)
        g = g / counts[idx.reshape(-1)][:, None]
    pad = None if padding_idx is None or padding_idx < 0 else padding_idx
    out = xp.embedding_dense_grad(g, idx, num_weights, pad)
    return out.reshape((num_weights,) + tuple(grad.shape[indices.dim():])), grad.dtype


_embedding.defvjp(lambda grad, weight, indices, padding_idx, scale_grad_by_freq:
                  _embedding_grad(grad, indices, weight.shape[0], padding_idx,
                                  scale_grad_by_freq), None)


def _renorm_rows(weight, indices, max_norm, norm_type):
    """torch.embedding_renorm_: rows looked up whose norm exceeds max_norm are scaled to
    max_norm / (norm + 1e-7), in place."""
    import numpy as np
    with no_grad():
        w = weight.detach().numpy()
        for row in np.unique(indices.numpy()):
            norm = np.sum(np.abs(w[row]) ** norm_type) ** (1.0 / norm_type)
            if norm > max_norm:
                w[row] *= max_norm / (norm + 1e-7)
        weight._bump_version()


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """weight[input]. Spec nn.functional.embedding."""
    if not isinstance(input, Tensor):
        raise TypeError(f"embedding(): argument 'indices' (position 2) must be Tensor, not "
                        f"{type(input).__name__}")
    if padding_idx is not None:
        if padding_idx > 0:
            assert padding_idx < weight.size(0), "Padding_idx must be within num_embeddings"
        elif padding_idx < 0:
            assert padding_idx >= -weight.size(0), "Padding_idx must be within num_embeddings"
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    if sparse:
        raise NotImplementedError("refimpl: embedding with sparse=True (sparse gradients) is "
                                  "not supported")
    if max_norm is not None:
        if input.dtype.name not in ("int64", "int32"):
            raise RuntimeError(f"embedding_renorm_(): expected indices of type Long or Int, "
                               f"got {scalar_type_name(input.dtype)}")
        _renorm_rows(weight, input.contiguous(), max_norm, norm_type)
    return _embedding(weight, input, padding_idx, scale_grad_by_freq)


@op(tensors=("tensor",), method=False)
def _one_hot(xp, tensor, num_classes):
    import numpy as np
    return (tensor._array[..., None] == np.arange(num_classes)), _dtype.int64


def one_hot(tensor, num_classes=-1):
    """An int64 tensor of shape tensor.shape + (num_classes,) with a 1 at each index
    (num_classes=-1: one more than the largest index). Spec nn.functional.sparse."""
    if tensor.dtype is not _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    values = tensor.numpy()
    if num_classes == -1:
        if values.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(values.max()) + 1
    if values.size and values.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if values.size and values.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return _one_hot(tensor, num_classes)
