"""Helpers shared by the distributions: broadcasting parameters, probs <-> logits."""

from numbers import Number

import numpy as np

from .. import _dtype
from .._tensor import Tensor


def broadcast_all(*values):
    """Broadcast tensors and numbers to one shape; numbers become tensors of the dtype of the
    first tensor argument (the default dtype when all are numbers)."""
    import refimpl as torch

    if not all(isinstance(v, (Tensor, Number)) for v in values):
        raise ValueError("Input arguments must all be instances of numbers.Number, "
                         "torch.Tensor or objects implementing __torch_function__.")
    tensors = [v for v in values if isinstance(v, Tensor)]
    dtype = tensors[0].dtype if tensors else _dtype.get_default_dtype()
    device = tensors[0].device if tensors else None
    values = [v if isinstance(v, Tensor) else torch.tensor(v, dtype=dtype, device=device)
              for v in values]
    return torch.broadcast_tensors(*values)


def clamp_probs(probs):
    """Clamp to [eps, 1 - eps] with eps the machine epsilon of probs' dtype."""
    eps = float(np.finfo(probs.dtype.np).eps)
    return probs.clamp(min=eps, max=1 - eps)


def logits_to_probs(logits, is_binary=False):
    """sigmoid for a binary variable, softmax over the last dim otherwise."""
    import refimpl as torch

    return torch.sigmoid(logits) if is_binary else torch.softmax(logits, dim=-1)


def probs_to_logits(probs, is_binary=False):
    """log(p) - log1p(-p) for a binary variable, log(p) otherwise (p clamped away from 0, 1)."""
    import refimpl as torch

    p = clamp_probs(probs)
    return torch.log(p) - torch.log1p(-p) if is_binary else torch.log(p)


class lazy_property:
    """A property computed on first access and then stored in the instance's __dict__
    (so Categorical(probs=p).logits is computed once, and parameter validation skips it)."""

    def __init__(self, fn):
        self.fn = fn
        self.__doc__ = fn.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        import refimpl as torch

        with torch.enable_grad():
            value = self.fn(instance)
        instance.__dict__[self.fn.__name__] = value
        return value
