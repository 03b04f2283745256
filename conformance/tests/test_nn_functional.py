"""nn.functional: activations, softmax family, linear/bilinear, embedding/one_hot, distances
and dropout, against torch (values, dtypes, gradients, grad_fn names, errors)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput
from conformance.strategies import tensors

FLOATS = st.sampled_from(["float32", "float64"])


def _x(shape, lo=-8, hi=8, dtype=FLOATS, requires_grad=True, special=False,
       layouts=("contiguous", "transposed", "strided")):
    return tensors(dtype=dtype, shape=shape, layouts=layouts, special=special, min_value=lo,
                   max_value=hi, requires_grad=requires_grad)


def _with_kinks(shape, values):
    """Float inputs that include the activations' kinks (0, bounds) on purpose."""
    return st.lists(st.sampled_from(values) | st.floats(-8, 8, width=32),
                    min_size=int(np.prod(shape)), max_size=int(np.prod(shape))).map(
        lambda v: TensorInput(np.array(v, np.float32).reshape(shape), requires_grad=True))


ACTIVATIONS = [
    ("relu", {}), ("relu6", {}), ("elu", {}), ("elu", {"alpha": 0.5}), ("selu", {}),
    ("celu", {"alpha": 2.0}), ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.3}),
    ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("sigmoid", {}), ("tanh", {}),
    ("hardtanh", {}), ("hardtanh", {"min_val": -0.5, "max_val": 2.0}), ("silu", {}),
    ("mish", {}), ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 4.0}),
    ("softsign", {}), ("hardsigmoid", {}), ("hardswish", {}), ("logsigmoid", {}),
    ("tanhshrink", {}), ("softshrink", {"lambd": 0.7}), ("hardshrink", {"lambd": 0.3}),
    ("threshold", {"threshold": 0.5, "value": -3.0}), ("softmax", {"dim": 1}),
    ("log_softmax", {"dim": -1}), ("softmin", {"dim": 0}), ("glu", {"dim": 1}),
]


@spec("nn.functional.activations")
@given(which=st.sampled_from(ACTIVATIONS), data=st.data())
def test_activations_values_gradients(check, which, data):
    name, opts = which
    x = data.draw(_x((3, 4)) | _with_kinks((3, 4), [0.0, -3.0, 3.0, 6.0, 1.0, -1.0, 0.5, 0.7]))

    def fn(T, d, x):
        return getattr(T.nn.functional, name)(x, **opts)
    check(fn, x, grad=True, autograd=True)


@spec("nn.functional.activations")
@given(which=st.sampled_from(ACTIVATIONS), dtype=st.sampled_from(["int64", "bool"]))
def test_activations_on_integers(check, which, dtype):
    name, opts = which

    def fn(T, d):
        x = T.tensor([[1, 0, -2, 7], [3, -1, 0, 2]]).to(getattr(T, dtype))
        return getattr(T.nn.functional, name)(x, **opts)
    check(fn)


@spec("nn.functional.activations")
@given(name=st.sampled_from(["relu_", "elu_", "leaky_relu_", "hardtanh_", "threshold_"]),
       x=_x((2, 3), requires_grad=False))
def test_inplace_activations(check, name, x):
    def fn(T, d, x):
        F = T.nn.functional
        args = (0.1, 2.0) if name == "threshold_" else ()
        y = getattr(F, name)(x, *args)
        return y is x, x
    check(fn, x)


@spec("nn.functional.relu6")
@given(x=_with_kinks((2, 5), [0.0, 6.0, -1.0, 7.0]), dtype=st.sampled_from([None, "int64"]))
def test_relu6_kinks_and_integers(check, x, dtype):
    def fn(T, d, x):
        if dtype:
            return T.nn.functional.relu6(x.detach().to(getattr(T, dtype)))
        return T.nn.functional.relu6(x)
    check(fn, x, grad=True, autograd=True)


@spec("nn.functional.elu")
@given(x=_with_kinks((2, 5), [0.0, -1.0, 1.0]), alpha=st.sampled_from([1.0, 0.3]))
def test_elu_values_gradient_at_zero(check, x, alpha):
    check(lambda T, d, x: T.nn.functional.elu(x, alpha), x, grad=True, autograd=True)


@spec("nn.functional.relu-in-forward")
@given(x=_x((3, 4)), as_bool=st.booleans())
def test_functional_relu_equals_module(check, x, as_bool):
    def fn(T, d, x):
        if as_bool:
            return T.nn.functional.relu(x > 0)

        class WithF(T.nn.Module):
            def forward(self, x):
                return T.nn.functional.relu(x)
        m = WithF()
        return m(x), T.nn.ReLU()(x), list(m.children()), list(m.parameters())
    check(fn, x, grad=True)


@spec("nn.functional.log-softmax")
@given(x=_x((3, 5), -1e4, 1e4), dim=st.sampled_from([0, 1, -1]))
def test_log_softmax_stable_and_normalised(check, x, dim):
    def fn(T, d, x):
        out = T.nn.functional.log_softmax(x, dim)
        return out, out.exp().sum(dim)
    check(fn, x, grad=True, autograd=True)


@spec("nn.functional.log-softmax.name")
def test_log_sofmax_typo_does_not_exist(check):
    check(lambda T, d: T.nn.functional.log_sofmax)


@spec("nn.functional.log-softmax.implicit-dim")
@given(ndim=st.integers(0, 4), name=st.sampled_from(["softmax", "log_softmax", "softmin"]),
       dtype=st.sampled_from([None, "float64"]))
def test_softmax_implicit_dim_warns(check, ndim, name, dtype):
    def fn(T, d):
        x = T.arange(float(2 ** ndim)).reshape((2,) * ndim) / 3
        f = getattr(T.nn.functional, name)
        kw = {"dtype": getattr(T, dtype)} if dtype else {}
        return f(x, **kw), T.softmax(x, 0) if ndim else None, x.log_softmax(-1)
    check(fn, warnings=True)


@spec("nn.functional.linear")
@given(lead=st.sampled_from([(), (4,), (2, 3)]), bias=st.booleans(), data=st.data())
def test_linear_and_bilinear(check, lead, bias, data):
    # contiguous operands: torch's node name for linear depends on the operands' layouts
    x = data.draw(_x(lead + (3,), -4, 4, "float64", layouts=("contiguous",)))
    w = data.draw(_x((2, 3), -4, 4, "float64", layouts=("contiguous",)))
    b = data.draw(_x((2,), -4, 4, "float64", layouts=("contiguous",)))
    x2 = data.draw(_x(lead + (2,), -4, 4, "float64"))
    wb = data.draw(_x((4, 3, 2), -4, 4, "float64"))

    def fn(T, d, x, w, b, x2, wb):
        F = T.nn.functional
        return (F.linear(x, w, b if bias else None),
                F.bilinear(x, x2, wb) if lead else None)
    check(fn, x, w, b, x2, wb, grad=True, autograd=True)


@spec("nn.functional.linear")
@given(case=st.sampled_from(["features", "bilinear"]))
def test_linear_shape_errors(check, case):
    def fn(T, d):
        F = T.nn.functional
        if case == "features":
            return F.linear(T.ones(2, 4), T.ones(3, 3))
        return F.bilinear(T.ones(2, 4), T.ones(2, 2), T.ones(3, 3, 2))
    check(fn)


@spec("nn.functional.needs-weights")
@given(x=_x((2, 3), dtype="float32"), no_weight=st.booleans())
def test_linear_takes_weights_as_arguments(check, x, no_weight):
    def fn(T, d, x):
        F = T.nn.functional
        if no_weight:
            return F.linear(x)
        w = T.ones(2, 3, requires_grad=True)
        b = T.zeros(2, requires_grad=True)
        a, c = F.linear(x, w, b), F.linear(x, w, b)
        (a.sum() + c.sum()).backward()
        return a, c, w.grad, b.grad
    check(fn, x)


@spec("nn.functional.sparse")
@given(idx=st.lists(st.integers(0, 4), min_size=1, max_size=6), padding=st.sampled_from(
    [None, 2, -1]), n=st.sampled_from([-1, 5, 7]))
def test_embedding_and_one_hot(check, idx, padding, n):
    def fn(T, d):
        F = T.nn.functional
        w = (T.arange(15.0).reshape(5, 3) / 7).requires_grad_()
        i = T.tensor([idx, idx])
        y = F.embedding(i, w, padding_idx=padding)
        (y * y).sum().backward()
        return y, w.grad, F.one_hot(T.tensor(idx), n)
    check(fn)


@spec("nn.functional.sparse")
@given(case=st.sampled_from(["embedding-range", "one-hot-range", "one-hot-float"]))
def test_embedding_one_hot_errors(check, case):
    def fn(T, d):
        F = T.nn.functional
        if case == "embedding-range":
            return F.embedding(T.tensor([5]), T.ones(5, 2))
        if case == "one-hot-range":
            return F.one_hot(T.tensor([1, 3]), 3)
        return F.one_hot(T.tensor([1.0]))
    check(fn)


@spec("nn.functional.distance")
@given(x1=_x((3, 4), -3, 3, "float64"), x2=_x((3, 4), -3, 3, "float64"),
       p=st.sampled_from([1.0, 2.0, 3.0]),
       dim=st.sampled_from([0, 1, -1]), keepdim=st.booleans())
def test_distances(check, x1, x2, p, dim, keepdim):
    def fn(T, d, x1, x2):
        F = T.nn.functional
        return (F.pairwise_distance(x1, x2, p, keepdim=keepdim), F.cosine_similarity(x1, x2, dim),
                F.pdist(x1, p))
    check(fn, x1, x2, grad=True, autograd=True)


@spec("nn.functional.distance")
def test_distances_of_zero_vectors(check):
    def fn(T, d):
        F = T.nn.functional
        z = T.zeros(2, 2)
        return F.pairwise_distance(z, z), F.cosine_similarity(z, z), F.pdist(T.zeros(3, 2))
    check(fn)


@spec("nn.functional.dropout")
@given(seed=st.integers(0, 2**31), p=st.sampled_from([0.0, 0.3, 0.5, 1.0, 1.5]),
       training=st.sampled_from([None, True, False]), x=_x((4, 6), dtype="float32"))
def test_functional_dropout(check, seed, p, training, x):
    def fn(T, d, x):
        T.manual_seed(seed)
        F = T.nn.functional
        kw = {} if training is None else {"training": training}
        return F.dropout(x, p, **kw)
    check(fn, x, grad=True, exact=True)
