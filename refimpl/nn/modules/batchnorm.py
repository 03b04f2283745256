"""nn modules: BatchNorm1d/2d/3d.

Spec nn.BatchNorm: weight (ones) and bias (zeros) are Parameters when affine; running_mean
(zeros), running_var (ones) and num_batches_tracked (int64 0) are buffers when
track_running_stats. In training the batch statistics normalize and the running ones move by
`momentum` (None: a cumulative average, factor 1 / num_batches_tracked); in eval the running
statistics normalize.
"""

from ... import _dtype
from ..._refs import creation
from ...autograd import no_grad
from .._functional.normalization import batch_norm
from ..parameter import Parameter
from .module import Module

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d"]


class _NormBase(Module):
    """Parameters and running-statistics buffers shared by batch and instance norm."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None):
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = Parameter(creation.ones(num_features, **factory))
            self.bias = Parameter(creation.zeros(num_features, **factory))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", creation.zeros(num_features, **factory))
            self.register_buffer("running_var", creation.ones(num_features, **factory))
            self.register_buffer("num_batches_tracked",
                                 creation.zeros((), dtype=_dtype.int64, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self):
        if self.track_running_stats:
            with no_grad():
                self.running_mean.copy_(creation.zeros(self.num_features))
                self.running_var.copy_(creation.ones(self.num_features))
                self.num_batches_tracked.copy_(creation.zeros((), dtype=_dtype.int64))

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.affine}, "
                f"track_running_stats={self.track_running_stats}")

    def _check_input_dim(self, input):
        raise NotImplementedError


class _BatchNorm(_NormBase):
    _dims = ()

    def _check_input_dim(self, input):
        if input.dim() not in self._dims:
            want = " or ".join(f"{d}D" for d in self._dims)
            raise ValueError(f"expected {want} input (got {input.dim()}D input)")

    def forward(self, input):
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked.item())
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        track = not self.training or self.track_running_stats
        return batch_norm(input, self.running_mean if track else None,
                          self.running_var if track else None, self.weight, self.bias,
                          use_batch, factor, self.eps)


class BatchNorm1d(_BatchNorm):
    """nn.BatchNorm1d over (N, C) or (N, C, L)."""
    _dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """nn.BatchNorm2d over (N, C, H, W)."""
    _dims = (4,)


class BatchNorm3d(_BatchNorm):
    """nn.BatchNorm3d over (N, C, D, H, W)."""
    _dims = (5,)
