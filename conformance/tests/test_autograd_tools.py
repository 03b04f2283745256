"""Checking tools: gradcheck, gradgradcheck (000), the functional API, and gradcheck of every
differentiable op the library exports (discovered at run time, so ops added later are
included)."""

import numpy as np
import pytest

import refimpl
from conformance import spec
from conformance.check import TensorInput
from refimpl._dispatch import Op


def leaf(values, dtype=np.float64):
    return TensorInput(np.asarray(values, dtype), requires_grad=True)


def scale_function(T, factor):
    """y = 2x whose backward claims the derivative is `factor`."""
    class Scale(T.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * factor
    return Scale


@spec("torch.autograd.gradcheck")
@pytest.mark.parametrize("factor", [2.0, 3.0])
def test_gradcheck_verdicts(check, factor):
    def program(T, d, x):
        verdict = T.autograd.gradcheck(scale_function(T, factor).apply, (x,),
                                       raise_exception=False)
        return verdict, T.autograd.gradcheck(scale_function(T, factor).apply, x)
    check(program, leaf([0.5, -1.0]))


@spec("torch.autograd.gradcheck")
def test_gradcheck_error_is_runtime_error_naming_the_jacobian(check):
    def program(T, d, x):
        try:
            T.autograd.gradcheck(scale_function(T, 3.0).apply, (x,))
        except RuntimeError as e:
            return type(e).__name__, str(e).splitlines()[0]
    check(program, leaf([0.5, -1.0]))
    check(lambda T, d, x: T.autograd.gradcheck(T.sin, (x,)), np.ones(2))


@spec("torch.autograd.gradcheck")
def test_gradgradcheck(check):
    def program(T, d, x, w):
        class FirstOrderOnly(T.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.save_for_backward(t)
                return t * t

            @staticmethod
            def backward(ctx, g):
                (t,) = ctx.saved_tensors
                return 2 * t.detach() * g
        return (T.autograd.gradgradcheck(lambda a, b: (a * b).sin(), (x, w)),
                T.autograd.gradgradcheck(lambda a: a.exp().sum(), x),
                T.autograd.gradgradcheck(FirstOrderOnly.apply, (x,), raise_exception=False))
    check(program, leaf([0.5, -1.0, 0.25]), leaf([1.5, 0.5, -2.0]))


@spec("torch.autograd.gradcheck.float32")
def test_gradcheck_on_float32_fails(check):
    def program(T, d, x):
        try:
            return T.autograd.gradcheck(T.sin, (x,))
        except RuntimeError as e:
            return type(e).__name__
    check(program, leaf([0.3, -1.2, 2.0], np.float32), warnings=True)


# -- the functional API ---------------------------------------------------------------------------

@spec("torch.autograd.functional")
def test_jacobian_and_hessian(check):
    def program(T, d, x, w):
        F = T.autograd.functional
        jac = F.jacobian(lambda a: a.sin() * 2, x)
        jac_pair = F.jacobian(lambda a, b: (a * b, (a + b).exp()), (x, w))
        hes = F.hessian(lambda a: (a ** 3).sum(), x)
        hes_pair = F.hessian(lambda a, b: (a * a * b).sum(), (x, w))
        return jac, jac_pair, hes, hes_pair, jac.requires_grad
    check(program, leaf([0.5, -1.0, 2.0]), leaf([1.5, 0.25, -0.5]))


@spec("torch.autograd.functional")
def test_vector_products(check):
    def program(T, d, x, v):
        F = T.autograd.functional
        f = lambda a: (a * a).sin()  # noqa: E731
        s = lambda a: (a.exp() * a).sum()  # noqa: E731
        return (F.vjp(f, x, v), F.jvp(f, x, v), F.vhp(s, x, v), F.hvp(s, x, v),
                F.vjp(s, x), F.vjp(lambda a, b: a * 2, (x, v), v))
    check(program, leaf([0.5, -1.0, 2.0]), np.asarray([1.0, 2.0, -1.0]))


@spec("torch.autograd.functional")
def test_functional_unused_input_and_create_graph(check):
    def program(T, d, x, w, strict):
        F = T.autograd.functional
        return F.jacobian(lambda a, b: a * 2, (x, w), strict=strict)
    check(program, leaf([0.5, -1.0]), leaf([1.0, 2.0]), False)
    check(program, leaf([0.5, -1.0]), leaf([1.0, 2.0]), True)

    def with_graph(T, d, x):
        F = T.autograd.functional
        _, g = F.vjp(lambda a: (a ** 3).sum(), x, create_graph=True)
        (h,) = T.autograd.grad(g.sum(), x)
        return g, g.requires_grad, h
    check(with_graph, leaf([0.5, -1.0]))
    check(lambda T, d, x: T.autograd.functional.vjp(lambda a: a * 2, x), leaf([0.5, -1.0]))


# -- gradcheck of every differentiable op ---------------------------------------------------------

RANDOM = ("dropout", "rrelu", "bernoulli", "multinomial", "normal", "rand", "poisson", "gumbel")


def _namespaces():
    yield "", refimpl
    functional = getattr(getattr(refimpl, "nn", None), "functional", None)
    if functional is not None:
        yield "nn.functional.", functional


def differentiable_ops():
    """(qualified name, number of tensor arguments) of every exported op that has a
    derivative and can be called with tensors alone (its other arguments have defaults)."""
    found = {}
    for prefix, namespace in _namespaces():
        for name in sorted(getattr(namespace, "__all__", dir(namespace))):
            fn = getattr(namespace, name, None)
            if not isinstance(fn, Op) or any(r in name for r in RANDOM):
                continue
            if not any(v is not None for v in fn._vjps):
                continue
            if any(p not in fn._tensors and p not in fn._defaults for p in fn._pos):
                continue
            n_tensors = sum(1 for p in fn._tensors if p not in fn._defaults)
            found.setdefault(id(fn), (prefix + name, n_tensors))
    return sorted(found.values())


def _resolve(T, dotted):
    for part in dotted.split("."):
        T = getattr(T, part)
    return T


# ops whose tensor arguments are not all matrices (the default shape is (3, 3))
SHAPES = {"dot": [(3,), (3,)], "vdot": [(3,), (3,)], "mv": [(3, 3), (3,)],
          "addmv": [(3,), (3, 3), (3,)], "bmm": [(2, 3, 3)] * 2,
          "addbmm": [(3, 3), (2, 3, 3), (2, 3, 3)], "baddbmm": [(2, 3, 3)] * 3}


def _op_input(i, shape):
    """A float64 input with distinct values in [0.2, 1.0), away from 0, +-1 and the
    half-integers where rounding and clamping ops have kinks."""
    n = int(np.prod(shape))
    order = np.random.default_rng(i).permutation(n)
    return leaf((0.213 + 0.77 * order / max(n, 9) + 0.011 * i).reshape(shape))


@spec("torch.autograd.gradcheck.ops")
@pytest.mark.parametrize("name,n_tensors", differentiable_ops())
def test_gradcheck_of_each_op(check, name, n_tensors):
    def program(T, d, *xs):
        return T.autograd.gradcheck(_resolve(T, name), xs, raise_exception=False)
    shapes = SHAPES.get(name, [(3, 3)] * n_tensors)
    check(program, *[_op_input(i, shape) for i, shape in enumerate(shapes)])
