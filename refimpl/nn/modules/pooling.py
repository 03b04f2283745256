"""nn modules: max, average, adaptive pooling and max unpooling (each calls its F form)."""

from .._functional import pooling as F
from .module import Module

__all__ = ["MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
           "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d",
           "AdaptiveMaxPool2d", "AdaptiveMaxPool3d", "MaxUnpool1d", "MaxUnpool2d",
           "MaxUnpool3d"]


def _ntuple(value, n):
    return tuple(value) if isinstance(value, (list, tuple)) else (value,) * n


class _MaxPoolNd(Module):
    _fn = None

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")

    def forward(self, input):
        return type(self)._fn(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class MaxPool1d(_MaxPoolNd):
    """nn.MaxPool1d."""
    _fn = F.max_pool1d


class MaxPool2d(_MaxPoolNd):
    """nn.MaxPool2d: stride defaults to kernel_size."""
    _fn = F.max_pool2d


class MaxPool3d(_MaxPoolNd):
    """nn.MaxPool3d."""
    _fn = F.max_pool3d


class AvgPool1d(Module):
    """nn.AvgPool1d (stores its sizes as 1-tuples, as torch)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__()
        self.kernel_size = _ntuple(kernel_size, 1)
        self.stride = _ntuple(stride if stride is not None else kernel_size, 1)
        self.padding = _ntuple(padding, 1)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)


class _AvgPoolNd(Module):
    _fn = None

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input):
        return type(self)._fn(input, self.kernel_size, self.stride, self.padding,
                              self.ceil_mode, self.count_include_pad, self.divisor_override)


class AvgPool2d(_AvgPoolNd):
    """nn.AvgPool2d."""
    _fn = F.avg_pool2d


class AvgPool3d(_AvgPoolNd):
    """nn.AvgPool3d."""
    _fn = F.avg_pool3d


class _AdaptivePool(Module):
    _fn = None
    _indices = False

    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size = output_size
        if self._indices:
            self.return_indices = return_indices

    def extra_repr(self):
        return f"output_size={self.output_size}"

    def forward(self, input):
        if self._indices:
            return type(self)._fn(input, self.output_size, self.return_indices)
        return type(self)._fn(input, self.output_size)


class AdaptiveAvgPool1d(_AdaptivePool):
    """nn.AdaptiveAvgPool1d."""
    _fn = F.adaptive_avg_pool1d


class AdaptiveAvgPool2d(_AdaptivePool):
    """nn.AdaptiveAvgPool2d: output (H_out, W_out) for any input size."""
    _fn = F.adaptive_avg_pool2d


class AdaptiveAvgPool3d(_AdaptivePool):
    """nn.AdaptiveAvgPool3d."""
    _fn = F.adaptive_avg_pool3d


class AdaptiveMaxPool1d(_AdaptivePool):
    """nn.AdaptiveMaxPool1d."""
    _fn, _indices = F.adaptive_max_pool1d, True


class AdaptiveMaxPool2d(_AdaptivePool):
    """nn.AdaptiveMaxPool2d."""
    _fn, _indices = F.adaptive_max_pool2d, True


class AdaptiveMaxPool3d(_AdaptivePool):
    """nn.AdaptiveMaxPool3d."""
    _fn, _indices = F.adaptive_max_pool3d, True


class _MaxUnpoolNd(Module):
    _nd, _fn = 2, None

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = _ntuple(kernel_size, self._nd)
        self.stride = _ntuple(stride if stride is not None else kernel_size, self._nd)
        self.padding = _ntuple(padding, self._nd)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input, indices, output_size=None):
        return type(self)._fn(input, indices, self.kernel_size, self.stride, self.padding,
                              output_size)


class MaxUnpool1d(_MaxUnpoolNd):
    """nn.MaxUnpool1d."""
    _nd, _fn = 1, F.max_unpool1d


class MaxUnpool2d(_MaxUnpoolNd):
    """nn.MaxUnpool2d: the partial inverse of MaxPool2d."""
    _nd, _fn = 2, F.max_unpool2d


class MaxUnpool3d(_MaxUnpoolNd):
    """nn.MaxUnpool3d."""
    _nd, _fn = 3, F.max_unpool3d
