"""torch.* functions, one file per family (pointwise, reductions, linear algebra, views,
creation, conversion). Each op is its math; `refimpl._dispatch` adds everything else."""

from . import conversion, creation, linalg, pointwise, reduction, views  # noqa: F401
from . import operators  # noqa: F401  (after the ops it maps)
