"""Matrix products and torch.linalg against torch: every matmul broadcasting case, the
add*-products, einsum, tensordot, kron, trace, cross, norms, det/inv/solve with gradients,
and decompositions compared by their reconstructions (factors are not unique)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import FLOAT_DTYPES, tensors

SMALL = dict(special=False, min_value=-10, max_value=10)


def _int_valued(x):
    x.base[...] = np.round(x.base)
    return x


@st.composite
def matmul_shapes(draw):
    """Shapes of every matmul case: 1-D @ 1-D, 2-D @ 1-D, 1-D @ 2-D, 2-D @ 2-D and batched
    operands whose batch dims broadcast."""
    n, k, m = (draw(st.integers(0, 3)) for _ in range(3))
    batch = draw(st.lists(st.integers(1, 3), max_size=2))
    a_kind = draw(st.sampled_from(["vector", "matrix", "batched"]))
    b_kind = draw(st.sampled_from(["vector", "matrix", "batched"]))

    def make(kind, core):
        if kind == "matrix":
            return core
        bs = [draw(st.sampled_from([b, 1])) for b in batch]
        return tuple(bs[draw(st.integers(0, len(bs))):]) + core
    a = (k,) if a_kind == "vector" else make(a_kind, (n, k))
    b = (k,) if b_kind == "vector" else make(b_kind, (k, m))
    return a, b


@spec("torch.linalg.matmul")
@given(shapes=matmul_shapes(), dtype=st.sampled_from(FLOAT_DTYPES + ("int64", "int32")),
       data=st.data())
def test_matmul_all_cases(check, shapes, dtype, data):
    a = data.draw(tensors(shape=shapes[0], dtype=dtype, **SMALL))
    b = data.draw(tensors(shape=shapes[1], dtype=dtype, **SMALL))
    check(lambda T, d, a, b: (T.matmul(a, b), a @ b), a, b)


@spec("torch.linalg.matmul")
@given(shapes=matmul_shapes(), data=st.data())
def test_matmul_gradients(check, shapes, data):
    a = data.draw(tensors(shape=shapes[0], dtype="float64", requires_grad=True, **SMALL))
    b = data.draw(tensors(shape=shapes[1], dtype="float64", requires_grad=True, **SMALL))
    check(lambda T, d, a, b: T.matmul(a, b), a, b, grad=True,
          autograd=a.base.ndim + len(a.layout) <= 2 and b.base.ndim <= 2)


@spec("torch.linalg.matmul.errors")
@pytest.mark.parametrize("sa,sb,da,db", [
    ((), (2,), "float32", "float32"), ((2, 3), (2,), "float32", "float32"),
    ((2,), (3,), "float32", "float32"), ((4, 2, 3), (2, 3, 2), "float32", "float32"),
    ((2, 2), (2,), "float32", "float64"), ((2,), (2,), "float32", "float64"),
    ((2, 2), (2, 2), "bool", "bool")])
def test_matmul_errors(check, sa, sb, da, db):
    check(lambda T, d, a, b: T.matmul(a, b), np.ones(sa, da), np.ones(sb, db))


@spec("torch.linalg.bmm-mv-dot")
@given(b=st.integers(0, 3), n=st.integers(0, 3), k=st.integers(0, 3), m=st.integers(0, 3),
       dtype=st.sampled_from(FLOAT_DTYPES + ("int64",)), data=st.data())
def test_bmm_mv_dot_vdot(check, b, n, k, m, dtype, data):
    grad = dtype == "float64"
    x = data.draw(tensors(shape=(b, n, k), dtype=dtype, requires_grad=grad, **SMALL))
    y = data.draw(tensors(shape=(b, k, m), dtype=dtype, requires_grad=grad, **SMALL))
    mat = data.draw(tensors(shape=(n, k), dtype=dtype, requires_grad=grad, **SMALL))
    v = data.draw(tensors(shape=(k,), dtype=dtype, requires_grad=grad, **SMALL))
    w = data.draw(tensors(shape=(k,), dtype=dtype, requires_grad=grad, **SMALL))
    check(lambda T, d, x, y, mat, v, w: (T.bmm(x, y), mat.mv(v), T.dot(v, w), v.vdot(w)),
          x, y, mat, v, w, grad=grad, autograd=True)


@spec("torch.linalg.bmm-mv-dot")
@pytest.mark.parametrize("call", ["bmm-2d", "bmm-batch", "mv-size", "dot-2d", "dot-size",
                                  "dot-dtype"])
def test_bmm_mv_dot_errors(check, call):
    def program(T, d, x):
        if call == "bmm-2d":
            return T.bmm(x, x)
        if call == "bmm-batch":
            return T.bmm(x.expand(2, 2, 2), x.expand(3, 2, 2))
        if call == "mv-size":
            return T.mv(x, T.ones(3))
        if call == "dot-2d":
            return T.dot(x, x)
        if call == "dot-size":
            return T.dot(T.ones(2), T.ones(3))
        return T.dot(T.ones(2), T.ones(2, dtype=T.float64))
    check(program, np.ones((2, 2), np.float32))


@spec("torch.linalg.outer")
@given(n=st.integers(0, 4), m=st.integers(0, 4), data=st.data())
def test_outer_ger(check, n, m, data):
    a = data.draw(tensors(shape=(n,), dtype="float64", requires_grad=True, **SMALL))
    b = data.draw(tensors(shape=(m,), dtype="float64", requires_grad=True, **SMALL))
    check(lambda T, d, a, b: (T.outer(a, b), a.ger(b)), a, b, grad=True)


@spec("torch.linalg.addmm-family")
@given(n=st.integers(1, 3), k=st.integers(0, 3), m=st.integers(1, 3), b=st.integers(1, 3),
       beta=st.sampled_from([1, 0, 0.5]), alpha=st.sampled_from([1, 2, -0.5]),
       data=st.data())
def test_addmm_addmv_addbmm_baddbmm(check, n, k, m, b, beta, alpha, data):
    def t(shape):
        return data.draw(tensors(shape=shape, dtype="float64", requires_grad=True, **SMALL))
    inp = t(data.draw(st.sampled_from([(n, m), (m,), (1, 1)])))
    inp_v, inp_b = t((n,)), t((b, n, m))
    m1, m2, v = t((n, k)), t((k, m)), t((k,))
    b1, b2 = t((b, n, k)), t((b, k, m))
    check(lambda T, d, inp, inp_v, inp_b, m1, m2, v, b1, b2: (
        T.addmm(inp, m1, m2, beta=beta, alpha=alpha), T.addmv(inp_v, m1, v, alpha=alpha),
        T.addbmm(inp, b1, b2, beta=beta), T.baddbmm(inp_b, b1, b2, beta=beta, alpha=alpha)),
        inp, inp_v, inp_b, m1, m2, v, b1, b2, grad=True, autograd=True)


@spec("torch.linalg.addmm-family")
def test_addmm_beta_zero_ignores_nan(check):
    check(lambda T, d, x: T.addmm(x * float("nan"), x, x, beta=0), np.eye(2))


@spec("torch.linalg.einsum")
@given(eq=st.sampled_from([
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 2)]), ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 1)]), ("i,j->ij", [(2,), (3,)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 2)]), ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]), ("i,i->", [(4,), (4,)]), ("ijk,kj->i", [(2, 3, 4), (4, 3)]),
    ("abc,cd,de->abe", [(2, 2, 2), (2, 3), (3, 2)])]), data=st.data())
def test_einsum_values_and_gradients(check, eq, data):
    equation, shapes = eq
    ops = [data.draw(tensors(shape=s, dtype="float64", requires_grad=True, **SMALL))
           for s in shapes]
    check(lambda T, d, *ops: (T.einsum(equation, *ops), T.einsum(equation, list(ops))),
          *ops, grad=True)
    check(lambda T, d, *ops: T.einsum(equation, *(o.detach() for o in ops)), *ops)


@spec("torch.linalg.tensordot")
@given(dims=st.sampled_from([0, 1, 2, ([1, 0], [0, 1]), ([2], [0]), [[0, 2], [1, 0]]]),
       data=st.data())
def test_tensordot(check, dims, data):
    a = data.draw(tensors(shape=(2, 3, 2), dtype="float64", requires_grad=True, **SMALL))
    shape = {0: (2,), 1: (2, 3), 2: (3, 2, 2)}.get(dims if isinstance(dims, int) else -1,
                                                   (3, 2, 4) if dims != ([2], [0]) else (2, 3))
    if dims == [[0, 2], [1, 0]]:
        shape = (2, 2, 3)
    b = data.draw(tensors(shape=shape, dtype="float64", requires_grad=True, **SMALL))
    check(lambda T, d, a, b: T.tensordot(a, b, dims), a, b, grad=True)


@spec("torch.linalg.kron")
@given(sa=st.sampled_from([(2,), (2, 3), (1, 2, 2)]), sb=st.sampled_from([(3,), (2, 2), ()]),
       data=st.data())
def test_kron(check, sa, sb, data):
    # contiguous operands: torch 2.13's kron raises for some strided ones (a view it takes)
    a = data.draw(tensors(shape=sa, dtype="float64", requires_grad=True,
                          layouts=("contiguous",), **SMALL))
    b = data.draw(tensors(shape=sb, dtype="float64", requires_grad=True,
                          layouts=("contiguous",), **SMALL))
    check(lambda T, d, a, b: T.kron(a, b), a, b, grad=True)


@spec("torch.linalg.trace")
@given(n=st.integers(0, 4), m=st.integers(0, 4),
       dtype=st.sampled_from(FLOAT_DTYPES + ("int32", "uint8")), data=st.data())
def test_trace(check, n, m, dtype, data):
    x = data.draw(tensors(shape=(n, m), dtype=dtype, requires_grad=dtype == "float64",
                          **SMALL))
    check(lambda T, d, x: (T.trace(x), x.trace()), x, grad=dtype == "float64", autograd=True)


@spec("torch.linalg.cross")
@given(data=st.data(), batch=st.integers(1, 3))
def test_cross(check, data, batch):
    a = data.draw(tensors(shape=(batch, 3), dtype="float64", requires_grad=True, **SMALL))
    b = data.draw(tensors(shape=(batch, 3), dtype="float64", requires_grad=True, **SMALL))
    check(lambda T, d, a, b: (T.linalg.cross(a, b), T.cross(a, b, dim=1),
                              T.linalg.cross(a.t(), b.t(), dim=0)), a, b, grad=True)


@spec("torch.linalg.vector-norm")
@given(data=st.data())
def test_linalg_vector_norm_dtype_and_dims(check, data):
    x = data.draw(tensors(dtype=st.sampled_from(FLOAT_DTYPES), **SMALL))
    ndim = len(x.value().shape)
    ord = data.draw(st.sampled_from([2, 1, 0, 3, float("inf"), -1, float("-inf")]))
    dim = data.draw(st.one_of(st.none(), st.integers(-max(ndim, 1), max(ndim, 1) - 1)))
    keepdim = data.draw(st.booleans())
    check(lambda T, d, x: (T.linalg.vector_norm(x, ord, dim, keepdim),
                           T.linalg.vector_norm(x, dtype=T.float64)), x)


@spec("torch.linalg.vector-norm")
@given(data=st.data())
def test_linalg_vector_norm_gradients(check, data):
    x = data.draw(tensors(dtype="float64", requires_grad=True, **SMALL).map(_int_valued))
    ord = data.draw(st.sampled_from([2, 1, 3, float("inf")]))
    check(lambda T, d, x: T.linalg.vector_norm(x, ord), x, grad=True, autograd=True)


@spec("torch.linalg.matrix-norm")
@given(n=st.integers(1, 3), m=st.integers(1, 3),
       ord=st.sampled_from(["fro", "nuc", 1, -1, 2, -2, float("inf"), float("-inf")]),
       data=st.data())
def test_linalg_matrix_norm_and_norm(check, n, m, ord, data):
    x = data.draw(tensors(shape=(2, n, m), dtype=st.sampled_from(FLOAT_DTYPES), **SMALL))
    check(lambda T, d, x: (T.linalg.matrix_norm(x, ord), T.linalg.norm(x[0], ord),
                           T.linalg.norm(x), T.linalg.norm(x, dim=(0, 2))), x)


def _well_conditioned(data, n, batch=(), requires_grad=False):
    x = data.draw(tensors(shape=batch + (n, n), dtype="float64", requires_grad=requires_grad,
                          special=False, min_value=-1, max_value=1,
                          layouts=("contiguous", "transposed")))
    x.base[...] = x.base + 3 * np.eye(n)  # diagonally dominant: invertible
    return x


@spec("torch.linalg.det-inv-solve")
@given(n=st.integers(1, 3), batch=st.sampled_from([(), (2,)]), data=st.data())
def test_det_inv_solve_and_gradients(check, n, batch, data):
    a = _well_conditioned(data, n, batch, requires_grad=True)
    b = data.draw(tensors(shape=batch + (n, 2), dtype="float64", requires_grad=True, **SMALL))
    v = data.draw(tensors(shape=(n,), dtype="float64", requires_grad=True, **SMALL))
    check(lambda T, d, a, b, v: (T.linalg.det(a), T.det(a), T.linalg.inv(a), T.inverse(a),
                                 T.linalg.solve(a, b), T.linalg.solve(a, v)),
          a, b, v, grad=True, autograd=True)


@spec("torch.linalg.det-inv-solve")
@pytest.mark.parametrize("call", ["inv-singular", "inv-int", "inv-nonsquare", "det-1d",
                                  "solve-shape", "solve-singular"])
def test_linalg_errors(check, call):
    def program(T, d, x):
        if call == "inv-singular":
            return T.linalg.inv(x * 0)
        if call == "inv-int":
            return T.linalg.inv(x.long())
        if call == "inv-nonsquare":
            return T.linalg.inv(x[:, :1])
        if call == "det-1d":
            return T.linalg.det(x[0])
        if call == "solve-shape":
            return T.linalg.solve(x, T.ones(3, 1, dtype=x.dtype))
        return T.linalg.solve(x * 0, x)
    check(program, np.eye(2))


@spec("torch.linalg.decompositions")
@given(n=st.integers(1, 3), m=st.integers(1, 3), data=st.data())
def test_decompositions_reconstruct(check, n, m, data):
    a = data.draw(tensors(shape=(n, m), dtype=st.sampled_from(FLOAT_DTYPES), **SMALL))

    def program(T, d, a):
        q, r = T.linalg.qr(a)
        u, s, vh = T.linalg.svd(a, full_matrices=False)
        sym = a.mT @ a + T.tensor(np.eye(a.shape[1]), dtype=a.dtype)
        w, v = T.linalg.eigh(sym)
        low = T.linalg.cholesky(sym)
        return (q @ r, q.mT @ q, r - r.triu(), (u * s) @ vh, s, T.linalg.svdvals(a),
                (v * w) @ v.mT, w, low @ low.mT, low - low.tril(),
                T.linalg.cholesky(sym, upper=True))
    check(program, a, rtol=1e-4, atol=1e-4)


@spec("torch.linalg.pinv-rank-slogdet")
@given(n=st.integers(1, 3), m=st.integers(1, 3), rank=st.integers(0, 3), data=st.data())
def test_pinv_matrix_rank_slogdet(check, n, m, rank, data):
    u = data.draw(tensors(shape=(n, min(rank, n, m)), dtype="float64", **SMALL))
    v = data.draw(tensors(shape=(min(rank, n, m), m), dtype="float64", **SMALL))
    sq = _well_conditioned(data, n)
    check(lambda T, d, u, v, sq: (T.linalg.matrix_rank(u @ v), T.linalg.pinv(sq),
                                  T.linalg.slogdet(sq), T.slogdet(-sq)), u, v, sq)


@spec("torch.mm.linear-gradients")
@given(n=st.integers(1, 3), i=st.integers(1, 3), o=st.integers(1, 3), data=st.data())
def test_linear_layer_gradients_match_the_hand_written_formulas(check, n, i, o, data):
    x = data.draw(tensors(shape=(n, i), dtype="float64", requires_grad=True, **SMALL))
    w = data.draw(tensors(shape=(o, i), dtype="float64", requires_grad=True, **SMALL))
    b = data.draw(tensors(shape=(o,), dtype="float64", requires_grad=True, **SMALL))
    g = data.draw(tensors(shape=(n, o), dtype="float64", **SMALL))

    def program(T, d, x, w, b, g):
        out = T.mm(x, w.t()) + b
        gx, gw, gb = T.autograd.grad(out, (x, w, b), g)
        return (gx, T.mm(g, w), gw, T.mm(g.t(), x), gb, g.sum(0),
                gx - T.mm(g, w), gw - T.mm(g.t(), x), gb - g.sum(0))
    check(program, x, w, b, g)
