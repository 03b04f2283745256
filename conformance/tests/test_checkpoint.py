"""torch.utils.checkpoint: a checkpointed function gives the plain call's results and
gradients, runs again in backward, and replays its random draws."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput

REENTRANT = st.sampled_from([False, True])


@st.composite
def _xw(draw):
    n, k, m = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = draw(st.sampled_from(["float32", "float64"]))
    return (rng.standard_normal((n, k)).astype(dtype), rng.standard_normal((k, m)).astype(dtype))


def _f(T):
    def f(x, w):
        return T.sigmoid(x @ w).sum(1) * x.sum(1)
    return f


@spec("torch.utils.checkpoint.same-result")
@given(xw=_xw(), use_reentrant=REENTRANT)
def test_checkpoint_gives_the_plain_result_and_gradients(check, xw, use_reentrant):
    x, w = xw

    def fn(T, d, x, w):
        # backward(), not autograd.grad: the reentrant variant supports only the former
        y = T.utils.checkpoint.checkpoint(_f(T), x, w, use_reentrant=use_reentrant)
        (y * T.arange(1., y.shape[0] + 1, dtype=y.dtype)).sum().backward()
        grads = x.grad.clone(), w.grad.clone()
        x.grad = w.grad = None
        plain = _f(T)(x, w)
        (plain * T.arange(1., y.shape[0] + 1, dtype=y.dtype)).sum().backward()
        return y, y.dtype, y.requires_grad, grads, plain, (x.grad, w.grad)
    check(fn, TensorInput(x, requires_grad=True), TensorInput(w, requires_grad=True))


@spec("torch.utils.checkpoint.same-result")
@given(xw=_xw(), use_reentrant=REENTRANT)
def test_checkpoint_reaches_parameters_used_inside(check, xw, use_reentrant):
    x, _ = xw

    def fn(T, d, x):
        T.manual_seed(0)
        lin = T.nn.Linear(x.shape[1], 3).to(x.dtype)
        y = T.utils.checkpoint.checkpoint(lambda v: T.tanh(lin(v)), x,
                                          use_reentrant=use_reentrant)
        y.sum().backward()
        grads = (lin.weight.grad.clone(), lin.bias.grad.clone(), x.grad.clone())
        lin.zero_grad()
        x.grad = None
        T.tanh(lin(x)).sum().backward()
        return y, grads, (lin.weight.grad, lin.bias.grad, x.grad)
    check(fn, TensorInput(x, requires_grad=True))


@spec("torch.utils.checkpoint.recompute")
@given(xw=_xw(), use_reentrant=REENTRANT)
def test_checkpointed_function_runs_again_in_backward(check, xw, use_reentrant):
    x, w = xw

    def fn(T, d, x, w):
        calls = []

        def f(x, w):
            calls.append(1)
            return _f(T)(x, w)
        y = T.utils.checkpoint.checkpoint(f, x, w, use_reentrant=use_reentrant)
        after_forward = len(calls)
        y.sum().backward()
        return after_forward, len(calls), x.grad, w.grad
    check(fn, TensorInput(x, requires_grad=True), TensorInput(w, requires_grad=True))


@spec("torch.utils.checkpoint.use-reentrant-default")
@given(use_reentrant=st.sampled_from([None, True, False]))
def test_use_reentrant_default_warns_and_is_reentrant(check, use_reentrant):
    def fn(T, d):
        x = T.ones(3, requires_grad=True)
        kw = {} if use_reentrant is None else {"use_reentrant": use_reentrant}
        y = T.utils.checkpoint.checkpoint(lambda a: (a * 2).sum(), x, **kw)
        seq = T.nn.Sequential(T.nn.Identity(), T.nn.Identity())
        z = T.utils.checkpoint.checkpoint_sequential(seq, 2, x * 1, **kw)
        return type(y.grad_fn).__name__, z
    check(fn, warnings=True)


@spec("torch.utils.checkpoint.rng-state")
@given(seed=st.integers(0, 2**31 - 1), use_reentrant=REENTRANT, p=st.sampled_from([0.2, 0.5]))
def test_recomputation_replays_dropout(check, seed, use_reentrant, p):
    def fn(T, d, x):
        def f(v):
            return T.nn.functional.dropout(v * 3, p=p, training=True)
        T.manual_seed(seed)
        y = T.utils.checkpoint.checkpoint(f, x, use_reentrant=use_reentrant)
        T.randn(5)                      # the generator moves on before backward
        y.sum().backward()
        g = x.grad.clone()
        x.grad = None
        T.manual_seed(seed)
        f(x).sum().backward()
        return y, g, x.grad, (g == 0).equal(y == 0)
    x = np.linspace(0.5, 2.0, 12, dtype=np.float32).reshape(3, 4)
    check(fn, TensorInput(x, requires_grad=True))


@spec("torch.utils.checkpoint.sequential")
@given(segments=st.integers(1, 4), use_reentrant=REENTRANT, xw=_xw())
def test_checkpoint_sequential_equals_the_model(check, segments, use_reentrant, xw):
    x, _ = xw

    def fn(T, d, x):
        T.manual_seed(0)
        nn = T.nn
        k = x.shape[1]
        model = nn.Sequential(nn.Linear(k, 4), nn.Tanh(), nn.Linear(4, 3), nn.Sigmoid()).to(x.dtype)
        y = T.utils.checkpoint.checkpoint_sequential(model, segments, x,
                                                     use_reentrant=use_reentrant)
        y.sum().backward()
        grads = [p.grad.clone() for p in model.parameters()]
        return y, grads, model(x), x.grad
    check(fn, TensorInput(x, requires_grad=True))


@spec("torch.utils.checkpoint.arguments")
@given(case=st.sampled_from(["kwargs-nonreentrant", "kwargs-reentrant", "no-grad-input",
                             "no-grad-mode"]))
def test_checkpoint_arguments(check, case):
    def fn(T, d):
        cp = T.utils.checkpoint.checkpoint
        x = T.ones(2, requires_grad=True)
        if case == "kwargs-nonreentrant":
            return cp(lambda a, b: a * b, x, b=3.0, use_reentrant=False)
        if case == "kwargs-reentrant":
            return cp(lambda a, b: a * b, x, b=3.0, use_reentrant=True)
        if case == "no-grad-input":
            y = cp(lambda a: a * 2, T.ones(2), use_reentrant=True)
            return y, y.requires_grad
        with T.no_grad():
            y = [cp(lambda a: a * 2, x, use_reentrant=r) for r in (True, False)]
        return [(v, v.requires_grad) for v in y]
    check(fn, warnings=True)


@spec("torch.utils.checkpoint.saved-intermediates")
@given(use_checkpoint=st.booleans())
def test_checkpoint_saves_only_the_inputs(check, use_checkpoint):
    def fn(T, d):
        x = T.ones(4, 3, requires_grad=True)
        w = T.ones(3, 5, requires_grad=True)
        packed = []

        def pack(t):
            packed.append(tuple(t.shape))
            return t

        def f(x, w):
            return T.sigmoid(x @ w).sum(1)
        with T.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            y = (T.utils.checkpoint.checkpoint(f, x, w, use_reentrant=False) if use_checkpoint
                 else f(x, w))
        return sorted(packed), y
    check(fn)
