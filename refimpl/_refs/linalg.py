"""Matrix products and linear algebra (torch.* and the ops behind torch.linalg).

Spec torch.mm: `mm(input, mat2)` multiplies an (n, m) by an (m, p) matrix; both must be
2-D, of the same dtype, with matching inner sizes, else RuntimeError.

Spec torch.linalg.matmul: torch.matmul follows NumPy's matmul rules exactly (1-D operands
get a dimension prepended or appended and removed again, batch dims broadcast), so the
reference computes it with the kernel table's matmul after torch's own checks (dtypes must
match, bool is not implemented, 0-dim operands are an error). Decompositions run NumPy's
LAPACK; where factors are not unique (signs of Q, U, V, eigenvectors) torch's contract is
the reconstruction, not the raw factor.
"""

import builtins
import math

from .. import _dtype
from .._dispatch import Op, op
from .._tensor import Tensor, scalar_type_name, wrap_dim


class LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: a singular or non positive-definite input."""


def _c_name(dtype):
    return {"Float": "float", "Double": "double", "Long": "long int", "Int": "int",
            "Half": "c10::Half", "BFloat16": "c10::BFloat16"}.get(scalar_type_name(dtype),
                                                                   scalar_type_name(dtype))


def _same_dtype(name, *tensors):
    first = tensors[0].dtype
    for t in tensors[1:]:
        if t.dtype is not first:
            raise RuntimeError(f"{name}: expected all operands to have the same dtype, but got "
                               f"{scalar_type_name(first)} and {scalar_type_name(t.dtype)}")
    if first is _dtype.bool:
        raise NotImplementedError(f"\"{name}\" not implemented for 'Bool'")


# -- matrix products ----------------------------------------------------------------------------


@op(grad_fn="MmBackward0")
def mm(xp, input, mat2):
    """torch.mm: the matrix product of two 2-D tensors (BLAS through the kernel table)."""
    a, b = input._shape, mat2._shape
    if len(a) != 2:
        raise RuntimeError("self must be a matrix")
    if len(b) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a[1] != b[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a[0]}x{a[1]} and "
                           f"{b[0]}x{b[1]})")
    dtype = input._dtype
    if dtype is not mat2._dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_c_name(dtype)} != {_c_name(mat2._dtype)}")
    if dtype is _dtype.bool:
        raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")
    return xp.matmul(input._array, mat2._array), dtype


mm.defvjp(lambda grad, mat2: grad.mm(mat2.t()),
          lambda grad, input: input.t().mm(grad))


def _matmul_grad_fn(input, other, **_):
    a, b = input.dim(), other.dim()
    return {(2, 2): "MmBackward0", (1, 1): "DotBackward0", (2, 1): "MvBackward0",
            (1, 2): "SqueezeBackward4"}.get((a, b), "UnsafeViewBackward0")


@op(grad_fn=_matmul_grad_fn)
def matmul(xp, input, other):
    """torch.matmul / `@`: dot product (1-D @ 1-D), matrix-vector, matrix product, and batched
    products with broadcast batch dims. Spec torch.linalg.matmul."""
    a, b = input.dim(), other.dim()
    if a == 0 or b == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{a}D and {b}D")
    k1 = input.shape[-1]
    k2 = other.shape[0] if b == 1 else other.shape[-2]
    if k1 != k2:
        if a == 1 and b == 1:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{k1}] and src "
                               f"[{k2}] to have the same number of elements, but got {k1} and "
                               f"{k2} elements respectively")
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({math.prod(input.shape[:-1])}x{k1} and {k2}x"
                           f"{other.shape[-1] if b > 1 else 1})")
    from .._layout import broadcast_shapes
    broadcast_shapes(input.shape[:-2], other.shape[:-2])  # RuntimeError when batches differ
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_c_name(input.dtype)} != {_c_name(other.dtype)}")
    if input.dtype is _dtype.bool:
        raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")
    return xp.matmul(input._array, other._array), input.dtype


def _matmul_grad_input(grad, other, input_shape):
    """d(a @ b)/da: grad @ b^T with 1-D operands seen as a row (a) or a column (b); batch
    broadcasting is undone by sum_to_size in the dispatcher."""
    if len(input_shape) == 1 and other.dim() == 1:
        return grad * other
    b = other.unsqueeze(-1) if other.dim() == 1 else other
    g = grad.unsqueeze(-1) if other.dim() == 1 else grad
    g = g.unsqueeze(-2) if len(input_shape) == 1 else g
    out = matmul(g, b.mT)
    return out.squeeze(-2) if len(input_shape) == 1 else out


def _matmul_grad_other(grad, input, other_shape):
    if len(other_shape) == 1 and input.dim() == 1:
        return grad * input
    a = input.unsqueeze(-2) if input.dim() == 1 else input
    g = grad.unsqueeze(-2) if input.dim() == 1 else grad
    g = g.unsqueeze(-1) if len(other_shape) == 1 else g
    out = matmul(a.mT, g)
    return out.squeeze(-1) if len(other_shape) == 1 else out


matmul.defvjp(_matmul_grad_input, _matmul_grad_other)


@op(grad_fn="BmmBackward0")
def bmm(xp, input, mat2):
    """torch.bmm: a batch of matrix products of two 3-D tensors with equal batch sizes."""
    if input.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.dim() != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{input.shape[0]}, {input.shape[2]}] but got: [{mat2.shape[0]}, "
                           f"{mat2.shape[1]}].")
    _same_dtype("bmm", input, mat2)
    return xp.matmul(input._array, mat2._array), input.dtype


bmm.defvjp(lambda grad, mat2: bmm(grad, mat2.mT), lambda grad, input: bmm(input.mT, grad))


@op(grad_fn="MvBackward0")
def mv(xp, input, vec):
    """torch.mv: an (n, m) matrix times an m-vector."""
    if input.dim() != 2 or vec.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.dim()}, "
                           f"{vec.dim()}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({input.shape[0]}), mat ({input.shape[0]}"
                           f"x{input.shape[1]}), vec ({vec.shape[0]})")
    _same_dtype("mv", input, vec)
    return xp.matmul(input._array, vec._array), input.dtype


mv.defvjp(lambda grad, vec: grad.unsqueeze(1) * vec, lambda grad, input: input.t().mv(grad))


def _dot_checks(name, input, other):
    if input.dim() != 1 or other.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.dim()}D and {other.dim()}D "
                           "tensors")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{name} : expected both vectors to have same dtype, but found "
                           f"{scalar_type_name(input.dtype)} and {scalar_type_name(other.dtype)}")
    if input.shape[0] != other.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
                           f"[{other.shape[0]}] to have the same number of elements, but got "
                           f"{input.shape[0]} and {other.shape[0]} elements respectively")
    if input.dtype is _dtype.bool:
        raise NotImplementedError(f"\"{name}\" not implemented for 'Bool'")


@op(grad_fn="DotBackward0")
def dot(xp, input, tensor):
    """torch.dot: the inner product of two 1-D tensors of the same dtype and size."""
    _dot_checks("dot", input, tensor)
    return xp.matmul(input._array, tensor._array), input.dtype


dot.defvjp(lambda grad, tensor: grad * tensor, lambda grad, input: grad * input)


@op(grad_fn="VdotBackward0")
def vdot(xp, input, other):
    """torch.vdot: dot(conj(input), other)."""
    _dot_checks("vdot", input, other)
    return xp.vdot(input._array, other._array), input.dtype


vdot.defvjp(lambda grad, other: grad * other, lambda grad, input: grad * input)


def outer(input, vec2):
    """torch.outer (alias ger): input[i] * vec2[j] for two 1-D tensors."""
    if not isinstance(input, Tensor) or not isinstance(vec2, Tensor):
        raise TypeError("outer(): argument 'input' and 'vec2' must be Tensors")
    if input.dim() != 1 or vec2.dim() != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {input.dim()}-D")
    return input.unsqueeze(1) * vec2


ger = outer


def _add_product_op(name, grad_fn, check, product, input_grads):
    """addmm / addmv / addbmm / baddbmm: beta * input + alpha * product(a, b)."""
    def forward(xp, input, a, b, *, beta=1, alpha=1):
        check(a, b)
        _same_dtype(name, input, a, b)
        prod = product(xp, a._array, b._array)
        if input.dtype is not a.dtype:
            raise RuntimeError(f"{name}: expected input and mats to have the same dtype")
        out = xp.multiply(prod, alpha) if alpha != 1 else prod
        if beta != 0:  # with beta 0 input is ignored, NaN and inf included
            base = input._array if beta == 1 else xp.multiply(input._array, beta)
            out = xp.add(base, out)
        from .._layout import broadcast_shapes
        if broadcast_shapes(input.shape, tuple(out.shape)) != tuple(out.shape):
            raise RuntimeError(f"{name}: the input of shape {list(input.shape)} does not "
                               f"broadcast to {list(out.shape)}")
        return out, input.dtype
    forward.__name__ = name
    forward.__doc__ = f"torch.{name}: beta * input + alpha * ({product.__doc__})."
    o = Op(forward, name=name, grad_fn=grad_fn)
    o.defvjp(lambda grad, beta: grad * beta if beta != 1 else grad, *input_grads)
    return o


def _mm_check(a, b):
    if a.dim() != 2 or b.dim() != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {a.dim()}-D tensor" if a.dim() != 2
                           else f"mat2 must be a matrix, got {b.dim()}-D tensor")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x"
                           f"{a.shape[1]} and {b.shape[0]}x{b.shape[1]})")


def _mv_check(a, b):
    if a.dim() != 2 or b.dim() != 1 or a.shape[1] != b.shape[0]:
        raise RuntimeError(f"size mismatch, got mat ({'x'.join(map(str, a.shape))}), vec "
                           f"({'x'.join(map(str, b.shape))})")


def _bmm_check(a, b):
    if a.dim() != 3 or b.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor" if a.dim() != 3 else
                           "batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, "
                           f"{b.shape[1]}].")


def _matrix_product(xp, a, b):
    """a @ b"""
    return xp.matmul(a, b)


def _batch_sum_product(xp, a, b):
    """the sum over the batch of a[i] @ b[i]"""
    return xp.sum(xp.matmul(a, b), (0,), None, False)


def _scaled(grad, alpha):
    return grad * alpha if alpha != 1 else grad


addmm = _add_product_op("addmm", "AddmmBackward0", _mm_check, _matrix_product, (
    lambda grad, b, alpha: _scaled(grad.mm(b.t()), alpha),
    lambda grad, a, alpha: _scaled(a.t().mm(grad), alpha)))
addmv = _add_product_op("addmv", "AddmvBackward0", _mv_check, _matrix_product, (
    lambda grad, b, alpha: _scaled(grad.unsqueeze(1) * b, alpha),
    lambda grad, a, alpha: _scaled(a.t().mv(grad), alpha)))
baddbmm = _add_product_op("baddbmm", "BaddbmmBackward0", _bmm_check, _matrix_product, (
    lambda grad, b, alpha: _scaled(bmm(grad, b.mT), alpha),
    lambda grad, a, alpha: _scaled(bmm(a.mT, grad), alpha)))
addbmm = _add_product_op("addbmm", "AddbmmBackward0", _bmm_check, _batch_sum_product, (
    lambda grad, b, alpha: _scaled(bmm(grad.unsqueeze(0).expand(b.shape[0], *grad.shape),
                                       b.mT), alpha),
    lambda grad, a, alpha: _scaled(bmm(a.mT, grad.unsqueeze(0).expand(a.shape[0],
                                                                       *grad.shape)), alpha)))


# -- einsum, tensordot, kron, trace, cross -------------------------------------------------------


def _parse_einsum(equation, operands):
    """(input subscripts per operand, output subscripts) with '...' replaced by capital
    letters, and the implicit output (letters used once, sorted) made explicit."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation" if len(operands) > len(inputs) else
                           "einsum(): fewer operands were provided than specified in the "
                           "equation")
    ell = max((t.dim() - len(s.replace("...", "")) for s, t in zip(inputs, operands)
               if "..." in s), default=0)
    fill = "".join(chr(ord("A") + i) for i in range(ell))
    subs = []
    for s, t in zip(inputs, operands):
        n = t.dim() - len(s.replace("...", "")) if "..." in s else 0
        s = s.replace("...", fill[ell - n:])
        if len(s) != t.dim():
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(s)}) "
                               f"does not match the number of dimensions ({t.dim()}) for "
                               "operand and no ellipsis was given")
        subs.append(s)
    if arrow:
        out = rhs.replace("...", fill)
    else:
        letters = "".join(subs)
        out = fill + "".join(sorted(c for c in set(letters) if letters.count(c) == 1
                                    and c not in fill))
    return subs, out


def einsum(equation, *operands):
    """torch.einsum: sums of products over the subscripts the equation names. Without
    gradients NumPy's einsum computes it; with them the product is spelled out in refimpl
    ops (diagonal, permute, broadcast multiply, sum), so autograd follows."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    for t in operands:
        if not isinstance(t, Tensor):
            raise TypeError(f"einsum(): argument 'operands' must be tuple of Tensors, not "
                            f"{type(t).__name__}")
    subs, out = _parse_einsum(equation, operands)
    from ..autograd.grad_mode import is_grad_enabled
    if not (is_grad_enabled() and builtins.any(t.requires_grad for t in operands)):
        dtype = _dtype.result_type(*operands) if operands else _dtype.get_default_dtype()
        xp = operands[0]._xp
        r = xp.einsum(",".join(subs) + "->" + out,
                      *(xp.astype(t._array, dtype.np) for t in operands))
        return Tensor._from_array(xp.adopt(xp.astype(r, dtype.np), dtype.np), dtype,
                                  operands[0].device)
    letters = sorted(set("".join(subs)), key=lambda c: (c not in out, out.find(c), c))
    product = None
    for s, t in zip(subs, operands):
        t, s = _take_diagonals(t, s)
        order = sorted(range(len(s)), key=lambda i: letters.index(s[i]))
        t = t.permute(*order) if order else t
        placed = [s[i] for i in order]
        t = t.reshape([t.shape[placed.index(c)] if c in placed else 1 for c in letters])
        product = t if product is None else product * t
    summed = tuple(range(len(out), len(letters)))
    return product.sum(summed) if summed else product


def _take_diagonals(t, s):
    """An operand with a repeated subscript ('ii') replaced by its diagonal."""
    while len(set(s)) != len(s):
        c = next(c for c in s if s.count(c) > 1)
        i, j = s.index(c), s.index(c, s.index(c) + 1)
        t = t.diagonal(0, i, j)
        s = s[:i] + s[i + 1:j] + s[j + 1:] + c
    return t, s


def tensordot(a, b, dims=2, out=None):
    """torch.tensordot: contract the last `dims` dims of a with the first of b (or the dim
    lists given), as a matrix product of the two reshaped operands."""
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        da, db = list(range(a.dim() - dims, a.dim())), list(range(dims))
    else:
        da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    da = [wrap_dim(d, a.dim()) for d in da]
    db = [wrap_dim(d, b.dim()) for d in db]
    for i, j in zip(da, db):
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[i]} in dim {i} and second has size {b.shape[j]} in "
                               f"dim {j}")
    keep_a = [d for d in range(a.dim()) if d not in da]
    keep_b = [d for d in range(b.dim()) if d not in db]
    k = math.prod(a.shape[d] for d in da)
    am = a.permute(*(keep_a + da)).reshape(math.prod(a.shape[d] for d in keep_a), k)
    bm = b.permute(*(db + keep_b)).reshape(k, math.prod(b.shape[d] for d in keep_b))
    result = mm(am, bm).reshape([a.shape[d] for d in keep_a] + [b.shape[d] for d in keep_b])
    if out is not None:
        from .reduction import _to_out
        return _to_out(result, out)
    return result


def kron(input, other):
    """torch.kron: the Kronecker product, block (i, j) being input[i, j] * other."""
    n = max(input.dim(), other.dim())
    a = input.reshape((1,) * (n - input.dim()) + tuple(input.shape))
    b = other.reshape((1,) * (n - other.dim()) + tuple(other.shape))
    a = a.reshape([x for s in a.shape for x in (s, 1)])
    b = b.reshape([x for s in b.shape for x in (1, s)])
    return (a * b).reshape([x * y for x, y in zip(input.shape if input.dim() == n else
                                                  a.shape[::2], b.shape[1::2])])


@op(grad_fn="TraceBackward0")
def trace(xp, input):
    """torch.trace: the sum of the main diagonal of a 2-D tensor (integers sum to int64)."""
    if input.dim() != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " +
                           str(input.dim()))
    dtype = input.dtype if input.dtype.is_floating_point or input.dtype.is_complex \
        else _dtype.int64
    return xp.astype(xp.trace(input._array), dtype.np), dtype


@op(tensors=("grad",), method=False, grad_fn="TraceBackwardBackward0")
def _trace_backward(xp, grad, shape):
    """grad on the main diagonal of a zero matrix of `shape`."""
    return xp.trace_backward(grad._array, shape), grad.dtype


trace.defvjp(lambda grad, input_shape: _trace_backward(grad, input_shape))
_trace_backward.defvjp(lambda grad: trace(grad))


def _cross(input, other, d):
    def part(t, i):
        return t.narrow(d, i, 1)
    a0, a1, a2 = (part(input, i) for i in range(3))
    b0, b1, b2 = (part(other, i) for i in range(3))
    from .joining import cat
    return cat([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], d)


def cross(input, other, dim=None, *, out=None):
    """torch.cross: the 3-vector cross product along dim (the first dim of size 3 when None,
    after broadcasting)."""
    from .._layout import broadcast_shapes
    shape = broadcast_shapes(input.shape, other.shape)
    if dim is None:
        dim = next((i for i, n in enumerate(shape) if n == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg_cross(input, other, dim=dim, out=out)


def linalg_cross(input, other, *, dim=-1, out=None):
    """torch.linalg.cross: the cross product along dim, which must have size 3."""
    if input.dim() != other.dim():
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    from .._layout import broadcast_shapes
    shape = broadcast_shapes(input.shape, other.shape)
    d = wrap_dim(dim, len(shape))
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{input.shape[d]} and {other.shape[d]}")
    result = _cross(input.expand(shape), other.expand(shape), d)
    if out is not None:
        from .reduction import _to_out
        return _to_out(result, out)
    return result


# -- torch.linalg -------------------------------------------------------------------------------


def _linalg_input(name, A, square=True):
    if not isinstance(A, Tensor):
        raise TypeError(f"{name}(): argument 'A' (position 1) must be Tensor, not "
                        f"{type(A).__name__}")
    if A.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if A.dtype not in (_dtype.float32, _dtype.float64, _dtype.complex64, _dtype.complex128):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {scalar_type_name(A.dtype)}")


def _lapack(name, fn, *args):
    """Run a NumPy LAPACK call; its LinAlgError becomes torch's."""
    import numpy as np
    try:
        return fn(*args)
    except np.linalg.LinAlgError as e:
        raise LinAlgError(f"{name}: {e}") from None


def _new(xp, array, dtype, device):
    return Tensor._from_array(xp.adopt(xp.astype(array, dtype.np), dtype.np), dtype, device)


@op(tensors=("A",), method=False, grad_fn="LinalgDetBackward0")
def linalg_det(xp, A):
    """torch.linalg.det: the determinant of each square matrix."""
    _linalg_input("linalg.det", A)
    return xp.astype(xp.det(A._array), A.dtype.np), A.dtype


linalg_det.defvjp(lambda grad, A, result:
                  (grad * result).unsqueeze(-1).unsqueeze(-1) * linalg_inv(A).mT)


@op(tensors=("A",), method=False, grad_fn="LinalgInvExBackward0")
def linalg_inv(xp, A):
    """torch.linalg.inv: the inverse of each square matrix; a singular one raises
    LinAlgError."""
    _linalg_input("linalg.inv", A)
    return xp.astype(_lapack("linalg.inv", xp.inv, A._array), A.dtype.np), A.dtype


linalg_inv.defvjp(lambda grad, result: -(result.mT.matmul(grad).matmul(result.mT)))


def _vector_rhs(A, B):
    return B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


@op(tensors=("A", "B"), method=False, grad_fn="LinalgSolveExBackward0")
def linalg_solve(xp, A, B, *, left=True):
    """torch.linalg.solve: X with A X = B (B a vector or a batch of matrices); a singular A
    raises LinAlgError."""
    _linalg_input("linalg.solve", A)
    if not left:
        raise NotImplementedError("linalg.solve(left=False) is not in refimpl's subset")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found "
                           f"A of type {scalar_type_name(A.dtype)} and B of type "
                           f"{scalar_type_name(B.dtype)} instead")
    b = B._array[..., None] if _vector_rhs(A, B) else B._array
    if b.shape[-2] != A.shape[-1]:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = "
                           f"B ({A.shape[-2]}x{A.shape[-1]} and {b.shape[-2]}x{b.shape[-1]})")
    x = _lapack("linalg.solve", xp.solve, A._array, b)
    return xp.astype(x[..., 0] if _vector_rhs(A, B) else x, A.dtype.np), A.dtype


def _solve_grad_B(grad, A, B):
    return linalg_solve(A.mT, grad)


def _solve_grad_A(grad, A, B, result):
    gB = linalg_solve(A.mT, grad)
    if _vector_rhs(A, B):
        return -(gB.unsqueeze(-1) * result.unsqueeze(-2))
    return -gB.matmul(result.mT)


linalg_solve.defvjp(_solve_grad_A, _solve_grad_B)


@op(grad_fn="LinalgVectorNormBackward0", method=False, tensors=("x",))
def linalg_vector_norm(xp, x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """torch.linalg.vector_norm: (sum |x|^ord)^(1/ord) over dim (all elements when None);
    ord inf/-inf give max/min |x|, ord 0 the count of nonzeros. Floating and complex inputs
    only; complex gives its real dtype. Spec torch.linalg.vector-norm."""
    from .reduction import reduced_dims
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {scalar_type_name(x.dtype)}")
    axes = reduced_dims(dim, x.dim())
    if x.numel() == 0 and (ord < 0 or ord == math.inf) and \
            (dim is None or builtins.any(x.shape[a] == 0 for a in axes)):
        raise RuntimeError("linalg.vector_norm cannot compute the "
                           f"{ord} norm on an empty tensor because the operation does not have "
                           "an identity")
    compute = dtype or x.dtype
    out = _dtype.float32 if compute is _dtype.complex64 else \
        _dtype.float64 if compute is _dtype.complex128 else compute
    acc = _dtype.opmath(compute).np
    r = xp.vector_norm(xp.astype(x._array, acc), ord, axes, keepdim)
    return xp.astype(r, out.np), out


def _vector_norm_grad(grad, x, result, ord, dim, keepdim):
    """The gradient of the p-norm (0 where the norm is 0): ord 2: x / norm; ord 1: sign(x);
    inf: sign(x) split evenly over the largest |x|; other p: sign(x) |x|^(p-1) / norm^(p-1)."""
    from .reduction import _keep, _sign, _ties
    g = _keep(grad, x.shape, dim, keepdim)
    r = _keep(result, x.shape, dim, keepdim)
    from .pointwise import where
    if ord == 0:
        return x * 0
    sign = _sign(x.detach())
    if ord == 1:
        return g * sign
    if ord == 2:
        return x * where(r <= 0, 0, g / r)
    absx = x * sign
    if ord in (math.inf, -math.inf):
        from .reduction import reduced_dims
        mask = _ties(absx.detach(), r.detach())
        return g * sign * mask / mask.sum(reduced_dims(dim, x.dim()), keepdim=True)
    return sign * _pow_scalar(absx, ord - 1) * where(r <= 0, 0, g / _pow_scalar(r, ord - 1))


linalg_vector_norm.defvjp(_vector_norm_grad)


@op(tensors=("input",), method=False, grad_fn="PowBackward0")
def _pow_scalar(xp, input, exponent):
    """input ** exponent for a Python number exponent (used by the p-norm gradient)."""
    return xp.pow(input._array, xp.asarray(exponent, input.dtype.np)), input.dtype


_pow_scalar.defvjp(lambda grad, input, exponent:
                   grad * exponent * _pow_scalar(input, exponent - 1))


def linalg_matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """torch.linalg.matrix_norm: 'fro' (the 2-norm of the entries), 'nuc' (sum of singular
    values), 2/-2 (largest/smallest singular value), 1/-1 (max/min column abs sum), inf/-inf
    (max/min row abs sum)."""
    from .reduction import amax, amin
    if A.dim() < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    d0, d1 = (wrap_dim(d, A.dim()) for d in dim)
    if ord == "fro":
        return linalg_vector_norm(A, 2, (d0, d1), keepdim, dtype=dtype)
    if ord in (1, -1, math.inf, -math.inf):
        rows, cols = (d1, d0) if ord in (1, -1) else (d0, d1)
        sums = linalg_vector_norm(A, 1, cols, True, dtype=dtype)
        r = (amax if ord > 0 else amin)(sums, rows, True)
    elif ord in ("nuc", 2, -2):
        s = linalg_svdvals(A.movedim((d0, d1), (-2, -1)))
        r = s.sum(-1) if ord == "nuc" else s.amax(-1) if ord == 2 else s.amin(-1)
        r = r.unsqueeze(-1).unsqueeze(-1).movedim((-2, -1), (d0, d1))
    else:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    return r if keepdim else r.squeeze((d0, d1) if d0 < d1 else (d1, d0))


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """torch.linalg.norm: a vector norm when dim is an int (or ord is None and dim None: the
    2-norm of the flattened input), a matrix norm when dim is a pair or A is 2-D."""
    if isinstance(dim, int):
        dim = (dim,)
    if ord is None:
        r = linalg_vector_norm(A, 2, dim, keepdim, dtype=dtype)
    elif dim is not None and len(dim) == 2 or dim is None and A.dim() == 2:
        r = linalg_matrix_norm(A, ord, (-2, -1) if dim is None else dim, keepdim, dtype=dtype)
    elif dim is None and A.dim() != 1:
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {A.dim()}D.")
    else:
        r = linalg_vector_norm(A, ord, dim, keepdim, dtype=dtype)
    if out is not None:
        from .reduction import _to_out
        return _to_out(r, out)
    return r


def _real_of(dtype):
    return {_dtype.complex64: _dtype.float32, _dtype.complex128: _dtype.float64}.get(dtype,
                                                                                       dtype)


def linalg_cholesky(A, *, upper=False, out=None):
    """torch.linalg.cholesky: L with A = L L^H (or U = L^H); A must be Hermitian positive
    definite, else LinAlgError."""
    _linalg_input("linalg.cholesky", A)
    xp = A._xp
    r = _lapack("linalg.cholesky", xp.cholesky, A._array, upper)
    return _new(xp, r, A.dtype, A.device)


def linalg_qr(A, mode="reduced"):
    """torch.linalg.qr: (Q, R) with A = Q R, Q orthonormal columns, R upper triangular."""
    _linalg_input("linalg.qr", A, square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    from .reduction import _return_type
    xp = A._xp
    if mode == "r":
        r = xp.qr(A._array, "r")
        q = xp.astype(xp.full((0,), 0, A.dtype.np), A.dtype.np)
    else:
        q, r = xp.qr(A._array, mode)
    return _return_type("linalg_qr", ("Q", "R"))(_new(xp, q, A.dtype, A.device),
                                                 _new(xp, r, A.dtype, A.device))


def linalg_svd(A, full_matrices=True, *, driver=None):
    """torch.linalg.svd: (U, S, Vh) with A = U diag(S) Vh, S descending."""
    _linalg_input("linalg.svd", A, square=False)
    from .reduction import _return_type
    xp = A._xp
    u, s, vh = _lapack("linalg.svd", xp.svd, A._array, full_matrices, True)
    real = _real_of(A.dtype)
    return _return_type("linalg_svd", ("U", "S", "Vh"))(
        _new(xp, u, A.dtype, A.device), _new(xp, s, real, A.device),
        _new(xp, vh, A.dtype, A.device))


def linalg_svdvals(A, *, driver=None):
    """torch.linalg.svdvals: the singular values, descending."""
    _linalg_input("linalg.svdvals", A, square=False)
    xp = A._xp
    return _new(xp, _lapack("linalg.svdvals", xp.svd, A._array, False, False),
                _real_of(A.dtype), A.device)


def linalg_eigh(A, UPLO="L"):
    """torch.linalg.eigh: (eigenvalues ascending, eigenvectors) of a Hermitian matrix, read
    from its lower (UPLO='L') or upper triangle."""
    _linalg_input("linalg.eigh", A)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    from .reduction import _return_type
    xp = A._xp
    w, v = _lapack("linalg.eigh", xp.eigh, A._array, UPLO == "U")
    return _return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))(
        _new(xp, w, _real_of(A.dtype), A.device), _new(xp, v, A.dtype, A.device))


def linalg_eigvalsh(A, UPLO="L"):
    """torch.linalg.eigvalsh: the eigenvalues of a Hermitian matrix, ascending."""
    return linalg_eigh(A, UPLO)[0]


def _rtol_default(A, atol, rtol):
    import numpy as np
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else \
            max(A.shape[-2:]) * float(np.finfo(_real_of(A.dtype).np).eps)
    return rtol


def linalg_pinv(A, *, atol=None, rtol=None, hermitian=False):
    """torch.linalg.pinv: the Moore-Penrose pseudo-inverse (singular values below
    max(atol, rtol * largest) treated as zero)."""
    _linalg_input("linalg.pinv", A, square=False)
    xp = A._xp
    if atol is not None:
        raise NotImplementedError("linalg.pinv(atol=...) is not in refimpl's subset")
    r = _lapack("linalg.pinv", xp.pinv, A._array, _rtol_default(A, atol, rtol), hermitian)
    return _new(xp, r, A.dtype, A.device)


def linalg_matrix_rank(A, *, atol=None, rtol=None, hermitian=False):
    """torch.linalg.matrix_rank: the number of singular values above max(atol, rtol *
    largest) (rtol defaults to eps * max(m, n)), int64."""
    _linalg_input("linalg.matrix_rank", A, square=False)
    s = linalg_svdvals(A)
    largest = s.amax(-1, keepdim=True) if s.shape[-1] else s.sum(-1, keepdim=True)
    tol = largest * _rtol_default(A, atol, rtol)
    if atol is not None:
        from .pointwise import where
        tol = where(tol > atol, tol, atol)
    from .reduction import count_nonzero
    return count_nonzero(s > tol, -1)


def linalg_slogdet(A):
    """torch.linalg.slogdet: (sign, log |det|) of each square matrix."""
    _linalg_input("linalg.slogdet", A)
    from .reduction import _return_type
    xp = A._xp
    sign, logabs = xp.slogdet(A._array)
    return _return_type("linalg_slogdet", ("sign", "logabsdet"))(
        _new(xp, sign, A.dtype, A.device), _new(xp, logabs, _real_of(A.dtype), A.device))


def det(input):
    """torch.det: alias of torch.linalg.det."""
    return linalg_det(input)


def inverse(input, *, out=None):
    """torch.inverse: alias of torch.linalg.inv."""
    r = linalg_inv(input)
    if out is not None:
        from .reduction import _to_out
        return _to_out(r, out)
    return r


def slogdet(input):
    """torch.slogdet: alias of torch.linalg.slogdet."""
    return linalg_slogdet(input)


def _methods():
    from .._dispatch import _add_method
    for name, fn in (("outer", outer), ("ger", ger), ("kron", kron),
                     ("cross", cross), ("det", det), ("inverse", inverse),
                     ("slogdet", slogdet), ("addmm", addmm), ("addmv", addmv),
                     ("addbmm", addbmm), ("baddbmm", baddbmm)):
        _add_method(name, fn)


_methods()

__all__ = ["mm", "matmul", "bmm", "mv", "dot", "vdot", "outer", "ger", "addmm", "addmv",
           "addbmm", "baddbmm", "einsum", "tensordot", "kron", "trace", "cross", "det",
           "inverse", "slogdet"]
