"""torch.* functions, one file per family (pointwise, reductions, linear algebra, views,
creation, conversion). Each op is its math; `refimpl._dispatch` adds everything else."""

from . import (  # noqa: F401
    conversion,
    creation,
    indexing,
    joining,
    linalg,
    nnlayers,
    nnops,
    operators,  # noqa: F401  (after the ops it maps)
    pointwise,
    random_ops,  # registers Tensor.uniform_, normal_, random_, bernoulli_, ...
    reduction,
    views,
)
