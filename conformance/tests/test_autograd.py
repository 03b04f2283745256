"""The dynamic graph: backward, grad, accumulation, freeing, no_grad, detach."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput


def leaf(values, dtype=np.float32):
    return TensorInput(np.asarray(values, dtype), requires_grad=True)


@spec("torch.autograd.backward")
@given(x=st.lists(st.floats(-3, 3), min_size=1, max_size=5),
       g=st.lists(st.floats(-2, 2), min_size=5, max_size=5))
def test_backward_fills_leaf_grads(check, x, g):
    def program(T, d, x, w):
        y = (x * w) * x + x
        y.backward(T.tensor(g[:len(x)], device=d))
        return x.grad, w.grad
    check(program, leaf(x), leaf(np.linspace(-1, 1, len(x))))


@spec("torch.autograd.backward")
def test_autograd_backward_function_and_grad_tensors(check):
    def program(T, d, x):
        y = x * x
        T.autograd.backward([y.sum(), (y * 3).sum()])
        return x.grad
    check(program, leaf([1.0, -2.0, 0.5]))


@spec("torch.autograd.scalar-root")
def test_scalar_root_needs_no_gradient(check):
    def program(T, d, x):
        (x * x).sum().backward()
        return x.grad
    check(program, leaf([1.0, 2.0]))


@spec("torch.autograd.scalar-root")
def test_non_scalar_root_without_gradient_is_error(check):
    check(lambda T, d, x: (x * 2).backward(), leaf([1.0, 2.0]))


@spec("torch.autograd.graph-freed")
def test_second_backward_raises(check):
    def program(T, d, x):
        y = (x * x * x).sum()
        y.backward()
        y.backward()
    check(program, leaf([0.5, 1.5]))


@spec("torch.autograd.graph-freed")
def test_retain_graph_allows_second_backward(check):
    def program(T, d, x):
        y = (x * x * x).sum()
        y.backward(retain_graph=True)
        first = x.grad.clone()
        y.backward()
        return first, x.grad
    check(program, leaf([0.5, 1.5]))


@spec("torch.autograd.retaingraph-spelling")
def test_retaingraph_keyword_is_type_error(check):
    check(lambda T, d, x: (x * 2).sum().backward(retaingraph=True), leaf([1.0]))


@spec("torch.autograd.requires-grad-propagates")
def test_requires_grad_propagates(check):
    def program(T, d, x, c):
        y = x * c
        z = c * 2
        return (y.requires_grad, y.is_leaf, z.requires_grad, z.is_leaf,
                (y + z).requires_grad, x.relu().t().requires_grad)
    check(program, leaf([[1.0]]), np.ones((1, 1), np.float32))


@spec("torch.autograd.next-functions")
def test_next_functions_structure(check):
    def program(T, d, x, w):
        c = T.ones(2, device=d)
        y = x * w + c
        names = []
        for node, nr in y.grad_fn.next_functions:
            inner = [(type(n).__name__ if n is not None else None, i)
                     for n, i in node.next_functions] if node is not None else None
            names.append((type(node).__name__ if node is not None else None, nr, inner))
        acc = (x * 2).grad_fn.next_functions[0][0]
        return names, acc is (x + 1).grad_fn.next_functions[0][0], acc.variable is x
    check(program, leaf([1.0, 2.0]), leaf([3.0, 4.0]))


@spec("torch.autograd.grad-returns-tuple")
@given(x=st.lists(st.floats(-2, 2), min_size=1, max_size=4))
def test_grad_returns_tuple_and_leaves_grad_alone(check, x):
    def program(T, d, x, w):
        y = (x * w).tanh().sum()
        gx, gw = T.autograd.grad(y, [x, w])
        single = T.autograd.grad((x * x).sum(), x)
        return type(single).__name__, len(single), gx, gw, x.grad, w.grad
    check(program, leaf(x), leaf(np.ones(len(x))))


@spec("torch.autograd.grad-returns-tuple")
def test_grad_of_unused_input(check):
    def program(T, d, x, w):
        y = (x * 2).sum()
        return T.autograd.grad(y, [x, w], allow_unused=True)
    check(program, leaf([1.0]), leaf([2.0]))
    check(lambda T, d, x, w: T.autograd.grad((x * 2).sum(), [x, w]), leaf([1.0]), leaf([2.0]))


@spec("torch.autograd.grad-returns-tuple")
def test_create_graph_gives_second_derivatives(check):
    def program(T, d, x):
        y = (x * x * x).sum()
        (g,) = T.autograd.grad(y, x, create_graph=True)
        (h,) = T.autograd.grad(g.sum(), x)
        return g, h, g.requires_grad
    check(program, leaf([1.0, -2.0, 0.5], np.float64))


@spec("torch.autograd.grad-accumulates")
def test_gradients_accumulate_until_cleared(check):
    def program(T, d, x):
        for _ in range(3):
            (x * x).sum().backward()
        accumulated = x.grad.clone()
        x.grad = None
        (x * 5).sum().backward()
        return accumulated, x.grad
    check(program, leaf([1.0, 2.0]))


@spec("torch.autograd.no-grad")
def test_no_grad_records_nothing(check):
    def program(T, d, x):
        with T.no_grad():
            y = x * 2
            inside = T.is_grad_enabled()

        @T.no_grad()
        def f(t):
            return t * 3
        z = f(x)
        return (y.requires_grad, y.grad_fn, inside, T.is_grad_enabled(), z.requires_grad,
                (x * 2).requires_grad)
    check(program, leaf([1.0]))


@spec("torch.autograd.no-grad")
@pytest.mark.parametrize("mode", [True, False])
def test_set_grad_enabled(check, mode):
    def program(T, d, x):
        with T.set_grad_enabled(mode):
            y = x * 2
        return y.requires_grad, T.is_grad_enabled()
    check(program, leaf([1.0]))


@spec("torch.autograd.detach")
def test_detach_makes_a_new_leaf(check):
    def program(T, d, x):
        y = x * 2
        z = y.detach()
        out = (z * x).sum()
        out.backward()
        return (z.is_leaf, z.requires_grad, z.data_ptr() == y.data_ptr(), z.grad_fn, x.grad,
                z._version == y._version)
    check(program, leaf([1.0, 3.0]))


@spec("torch.autograd.detach")
def test_modifying_a_saved_tensor_breaks_backward(check):
    def program(T, d, x):
        y = x * 2
        s = y * y
        y.add_(1)
        s.sum().backward()
    check(program, leaf([1.0, 3.0]))
