"""Matrix products.

Spec torch.mm: `mm(input, mat2)` multiplies an (n, m) by an (m, p) matrix; both must be
2-D, of the same dtype, with matching inner sizes, else RuntimeError.
"""

from .._dispatch import op
from .._tensor import scalar_type_name


@op(grad_fn="MmBackward0")
def mm(xp, input, mat2):
    """torch.mm: the matrix product of two 2-D tensors (BLAS through the kernel table)."""
    if input.dim() != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.dim() != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({input.shape[0]}x"
                           f"{input.shape[1]} and {mat2.shape[0]}x{mat2.shape[1]})")
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_c_name(input.dtype)} != {_c_name(mat2.dtype)}")
    if input.dtype.name == "bool":
        raise RuntimeError("\"addmm_impl_cpu_\" not implemented for 'Bool'")
    return xp.matmul(input._array, mat2._array), input.dtype


def _c_name(dtype):
    return {"Float": "float", "Double": "double", "Long": "long int", "Int": "int",
            "Half": "c10::Half", "BFloat16": "c10::BFloat16"}.get(scalar_type_name(dtype),
                                                                   scalar_type_name(dtype))


mm.defvjp(lambda grad, mat2: grad.mm(mat2.t()),
          lambda grad, input: input.t().mm(grad))

__all__ = ["mm"]
