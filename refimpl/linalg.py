"""torch.linalg: norms, determinants, inverses, solves and decompositions.

The ops live in refimpl/_refs/linalg.py (as `linalg_<name>`); this module is the namespace
torch programs reach as `torch.linalg.<name>`. Decompositions run NumPy's LAPACK; where a
factor is not unique (the signs of Q's columns, of singular and eigen vectors) torch's
contract is the reconstruction, which the conformance tests compare.
"""

from ._refs.linalg import LinAlgError, matmul
from ._refs.linalg import linalg_cholesky as cholesky
from ._refs.linalg import linalg_cross as cross
from ._refs.linalg import linalg_det as det
from ._refs.linalg import linalg_eigh as eigh
from ._refs.linalg import linalg_eigvalsh as eigvalsh
from ._refs.linalg import linalg_inv as inv
from ._refs.linalg import linalg_matrix_norm as matrix_norm
from ._refs.linalg import linalg_matrix_rank as matrix_rank
from ._refs.linalg import linalg_norm as norm
from ._refs.linalg import linalg_pinv as pinv
from ._refs.linalg import linalg_qr as qr
from ._refs.linalg import linalg_slogdet as slogdet
from ._refs.linalg import linalg_solve as solve
from ._refs.linalg import linalg_svd as svd
from ._refs.linalg import linalg_svdvals as svdvals
from ._refs.linalg import linalg_vector_norm as vector_norm

__all__ = ["LinAlgError", "cholesky", "cross", "det", "eigh", "eigvalsh", "inv", "matmul",
           "matrix_norm", "matrix_rank", "norm", "pinv", "qr", "slogdet", "solve", "svd",
           "svdvals", "vector_norm"]
