"""torch.distributions.Exponential: density rate * exp(-rate * x) on x >= 0 (spec
torch.distributions.families)."""

from numbers import Number

from .._tensor import Size
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all


class Exponential(Distribution):
    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, rate, validate_args=None):
        (self.rate,) = broadcast_all(rate)
        batch_shape = Size() if isinstance(rate, Number) else self.rate.size()
        super().__init__(batch_shape, validate_args=validate_args)

    @property
    def mean(self):
        return self.rate.reciprocal()

    @property
    def mode(self):
        return 0 * self.rate

    @property
    def stddev(self):
        return self.rate.reciprocal()

    @property
    def variance(self):
        return self.rate.pow(-2)

    def rsample(self, sample_shape=()):
        """empty(shape).exponential_() / rate."""
        import refimpl as torch

        shape = self._extended_shape(sample_shape)
        draw = torch.empty(shape, dtype=self.rate.dtype, device=self.rate.device).exponential_()
        return draw / self.rate

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return self.rate.log() - self.rate * value

    def cdf(self, value):
        import refimpl as torch

        if self._validate_args:
            self._validate_sample(value)
        return 1 - torch.exp(-self.rate * value)

    def icdf(self, value):
        import refimpl as torch

        return -torch.log1p(-value) / self.rate

    def entropy(self):
        import refimpl as torch

        return 1.0 - torch.log(self.rate)
