"""In-place ops under autograd: torch's checks, views of tensors with history (CopySlices),
inference mode, and gradient hooks."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput


def leaf(values, dtype=np.float32):
    return TensorInput(np.asarray(values, dtype), requires_grad=True)


def names(node):
    return None if node is None else (type(node).__name__, tuple(
        (None if n is None else type(n).__name__, nr) for n, nr in node.next_functions))


@spec("torch.autograd.inplace-checks")
@pytest.mark.parametrize("case", ["leaf", "view-of-leaf", "no-grad-view", "no-grad-leaf"])
def test_inplace_checks(check, case):
    def program(T, d, x, w):
        try:
            if case == "leaf":
                x.add_(w)
            elif case == "view-of-leaf":
                x.select(0, 0).mul_(2)
            elif case == "no-grad-view":
                with T.no_grad():
                    v = x.select(0, 0)
                v.add_(w.select(0, 0))
            else:
                with T.no_grad():
                    x.add_(w)
            error = None
        except RuntimeError as e:
            error = type(e).__name__
        return error, x.detach().clone(), x._version
    check(program, leaf([1.0, 2.0]), leaf([3.0, 4.0]))


@spec("torch.autograd.inplace-view")
@given(x=st.lists(st.floats(-2, 2), min_size=3, max_size=3),
       w=st.lists(st.floats(-2, 2), min_size=2, max_size=2))
def test_inplace_on_views_of_non_leaves(check, x, w):
    def program(T, d, x, w):
        b = x * 2
        other = b.view(3)
        v = b.select(0, 0)
        v.mul_(w.select(0, 1))
        s = b.narrow(0, 1, 2)
        s.add_(w)
        return (names(b.grad_fn), names(v.grad_fn), names(s.grad_fn), names(other.grad_fn),
                b, v, other)
    check(program, leaf(x), leaf(w), grad=True)


@spec("torch.autograd.inplace-view")
def test_copy_into_view_of_tensor_without_grad(check):
    def program(T, d, w):
        y = T.zeros(3, device=d)
        y.narrow(0, 1, 2).copy_(w)
        return y.requires_grad, names(y.grad_fn), y * T.tensor([1.0, 2.0, 3.0], device=d)
    check(program, leaf([1.5, -0.5]), grad=True)


@spec("torch.autograd.inplace-view")
def test_inplace_on_base_regenerates_view_nodes(check):
    def program(T, d, x):
        b = x * 1
        c = b.view(3)
        b.add_(1)
        (c * T.arange(3.0, device=d)).sum().backward()
        return names(c.grad_fn), x.grad
    check(program, leaf([1.0, 2.0, 3.0]))


@spec("torch.autograd.inference-mode")
def test_inference_mode(check):
    def program(T, d, x):
        with T.inference_mode():
            t = T.ones(2, device=d)
            y = x * 2
            inside = (T.is_inference_mode_enabled(), T.is_grad_enabled())
            with T.inference_mode(False):
                normal = T.ones(2, device=d)
        view = x.detach().view(2)

        @T.inference_mode
        def bare(a):
            return a * 3

        @T.inference_mode()
        def called(a):
            return a * 3
        return (t.is_inference(), y.requires_grad, y.is_inference(), inside,
                normal.is_inference(), view.is_inference(), x.is_inference(),
                bare(x).is_inference(), called(x).requires_grad, T.is_inference_mode_enabled())
    check(program, leaf([1.0, 2.0]))


@spec("torch.autograd.inference-mode")
@pytest.mark.parametrize("misuse", ["requires-grad", "saved", "inplace", "inside-ok"])
def test_inference_tensor_misuse(check, misuse):
    def program(T, d, x):
        with T.inference_mode():
            t = T.ones(2, device=d)
            if misuse == "inside-ok":
                t.add_(1)
                t.requires_grad_()
                return t.requires_grad, t
        if misuse == "requires-grad":
            t.requires_grad_()
        elif misuse == "saved":
            (t * x).sum()
        else:
            t.add_(1)
    check(program, leaf([1.0, 2.0]))


@spec("torch.autograd.tensor-hooks")
def test_tensor_hooks(check):
    def program(T, d, x):
        calls = []
        h = x * 2
        h.register_hook(lambda g: calls.append(("first", g.clone())))
        h.register_hook(lambda g: g * 3)
        h.register_hook(lambda g: calls.append(("third", g.clone())))
        x.register_post_accumulate_grad_hook(lambda t: calls.append(("post", t.grad.clone())))
        (h * h).sum().backward()
        return calls, x.grad
    check(program, leaf([1.0, -2.0]))
    check(lambda T, d, x: x.register_hook(lambda g: g), np.ones(2, np.float32))
    check(lambda T, d, x: (x * 2).register_post_accumulate_grad_hook(lambda t: None),
          leaf([1.0]))


@spec("torch.autograd.tensor-hooks")
def test_node_hooks(check):
    def program(T, d, x):
        calls = []
        y = x * 3
        y.grad_fn.register_prehook(lambda go: calls.append(("pre", go)))
        y.grad_fn.register_hook(lambda gi, go: calls.append(("post", gi, go)))
        y.sum().backward()
        return calls, x.grad
    check(program, leaf([1.0, -2.0]))
