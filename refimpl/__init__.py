"""refimpl: PyTorch's documented behaviour in readable NumPy, with torch's public API.

`import refimpl as torch` runs torch programs that use the top-level name; for programs that
also import submodules (`import torch.nn as nn`), run them with `python -m refimpl.run`.
"""

from . import (  # noqa: F401
    _C,
    _refs,  # noqa: F401  (registers ops and Tensor methods)
    autograd,
    cuda,
    kernels,
    linalg,
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
from ._layout import (  # noqa: F401
    channels_last,
    channels_last_3d,
    contiguous_format,
    memory_format,
    preserve_format,
)
from ._random.generator import Generator, default_generator

# One module per family of torch.* functions; each lists its public names in __all__.
from ._refs.conversion import *  # noqa: F403
from ._refs.creation import *  # noqa: F403
from ._refs.indexing import *  # noqa: F403
from ._refs.joining import *  # noqa: F403
from ._refs.linalg import *  # noqa: F403
from ._refs.nnlayers import *  # noqa: F403
from ._refs.nnops import *  # noqa: F403
from ._refs.pointwise import *  # noqa: F403
from ._refs.random_ops import *  # noqa: F403
from ._refs.reduction import *  # noqa: F403
from ._refs.views import *  # noqa: F403
from ._tensor import LEGACY_TENSOR_TYPES as _LEGACY_TENSOR_TYPES
from ._tensor import Size, Tensor, UntypedStorage, is_complex, is_floating_point, is_tensor
from .autograd import (  # noqa: F401
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .random import get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .serialization import *  # noqa: F403
from .serialization import __all__ as _serialization_all

# Subpackages that use the names above: imported last, so `from refimpl import Tensor` works
# inside them.
from . import distributions, hub, multiprocessing, nn, optim, utils  # noqa: E402, F401, I001  isort: skip
from .utils.dlpack import from_dlpack  # noqa: E402, F401, I001  isort: skip

globals().update(_ALIASES)
globals().update(_LEGACY_TENSOR_TYPES)  # torch.FloatTensor & co.
__version__ = "2.13.0+refimpl"

__all__ = [
    "Tensor", "Size", "UntypedStorage", "device", "dtype", "is_tensor", "is_floating_point",
    "is_complex", *_LEGACY_TENSOR_TYPES,
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode",
    "is_inference_mode_enabled",
    "get_default_dtype", "set_default_dtype", "promote_types", "result_type", "can_cast",
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
    "set_rng_state",
    *_refs.conversion.__all__, *_refs.creation.__all__, *_refs.indexing.__all__,
    *_refs.joining.__all__, *_refs.linalg.__all__, *_refs.nnlayers.__all__,
    *_refs.nnops.__all__, *_refs.pointwise.__all__,
    *_refs.random_ops.__all__, *_refs.reduction.__all__, *_refs.views.__all__,
    *_serialization_all,
]
