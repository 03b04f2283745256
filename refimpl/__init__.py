"""refimpl: PyTorch's documented behaviour in readable NumPy, with torch's public API.

`import refimpl as torch` runs torch programs that use the top-level name; for programs that
also import submodules (`import torch.nn as nn`), run them with `python -m refimpl.run`.
"""

from . import (  # noqa: F401
    _refs,  # noqa: F401  (registers ops and Tensor methods)
    autograd,
    cuda,
    kernels,
    random,
)
from ._device import device
from ._dtype import ALIASES as _ALIASES
from ._dtype import (  # noqa: F401
    bfloat16,
    bool,
    can_cast,
    complex64,
    complex128,
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    promote_types,
    result_type,
    set_default_dtype,
    uint8,
)
from ._random.generator import Generator, default_generator
from ._refs.conversion import clone
from ._refs.creation import (  # noqa: F401
    arange,
    as_tensor,
    empty,
    empty_like,
    from_numpy,
    full,
    ones,
    ones_like,
    tensor,
    zeros,
    zeros_like,
)
from ._refs.linalg import mm
from ._refs.pointwise import add, div, exp, gt, le, mul, neg, relu, sigmoid, sub, tanh, where
from ._refs.random_ops import (
    bernoulli,
    multinomial,
    normal,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
)
from ._refs.reduction import sum
from ._refs.views import reshape, select, squeeze, t, transpose, unsqueeze
from ._tensor import Size, Tensor, UntypedStorage, is_tensor
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .random import get_rng_state, initial_seed, manual_seed, seed, set_rng_state

globals().update(_ALIASES)
__version__ = "2.13.0+refimpl"

__all__ = [
    "Tensor", "Size", "UntypedStorage", "device", "dtype", "is_tensor",
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "empty", "full", "arange",
    "zeros_like", "ones_like", "empty_like", "clone",
    "add", "sub", "mul", "div", "neg", "exp", "sigmoid", "tanh", "relu", "gt", "le", "where",
    "sum", "mm", "select", "transpose", "t", "reshape", "squeeze", "unsqueeze",
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
    "get_default_dtype", "set_default_dtype", "promote_types", "result_type", "can_cast",
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
    "set_rng_state", "rand", "rand_like", "randn", "randn_like", "randint", "randint_like",
    "randperm", "normal", "bernoulli", "multinomial",
]
