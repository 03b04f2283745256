"""torch.distributions: parameterised probability distributions, sampled from refimpl's
generator in the order torch draws (spec torch.distributions.*)."""

from . import constraints
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .exponential import Exponential
from .kl import kl_divergence, register_kl
from .normal import Normal
from .uniform import Uniform

__all__ = ["Bernoulli", "Categorical", "Distribution", "Exponential", "Normal", "Uniform",
           "constraints", "kl_divergence", "register_kl"]
