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


@spec("torch.autograd.saved-tensor-version")
def test_modifying_a_saved_tensor_breaks_backward(check):
    def program(T, d, x):
        y = x * 2
        s = y * y
        y.add_(1)
        s.sum().backward()
    check(program, leaf([1.0, 3.0]))


# -- the dynamic graph of 001 and 003 ---------------------------------------------------------

def _node_names(node, depth=3):
    """A graph as nested (name, output_nr, children) tuples, for comparing structure."""
    if node is None:
        return None
    if depth == 0:
        return type(node).__name__
    return (type(node).__name__,
            tuple((_node_names(n, depth - 1), nr) for n, nr in node.next_functions))


@spec("torch.autograd.dynamic-graph")
@given(x=st.floats(-2, 2).filter(lambda v: abs(v) > 1e-3))
def test_graph_follows_python_control_flow(check, x):
    def program(T, d, x):
        y = x * 2 if x.item() > 0 else x.exp()
        y.backward()
        return y, type(y.grad_fn).__name__, x.grad
    check(program, TensorInput(np.asarray(x, np.float32), requires_grad=True))


@spec("torch.autograd.dynamic-graph-003")
def test_003_graph_structure(check):
    def program(T, d, x1, x2, w11, w12, w21, w22, w31, w32):
        m1 = T.add(T.mul(x1, w11), T.mul(x2, w12))
        m2 = T.add(T.mul(x1, w21), T.mul(x2, w22))
        y = T.add(T.mul(m1, w31), T.mul(m2, w32))
        return y, _node_names(y.grad_fn), _node_names((y * 2).grad_fn, 1)
    ones = [np.ones(1, np.float32)] * 2
    check(program, *ones, *[leaf([1.0]) for _ in range(6)], autograd=True)


@spec("torch.autograd.graph-helps-gradients")
def test_003_graph_gradients(check):
    def program(T, d, x1, x2, w11, w12, w21, w22, w31, w32):
        m1 = x1 * w11 + x2 * w12
        m2 = x1 * w21 + x2 * w22
        y = m1 * w31 + m2 * w32
        y.backward()
        return w11.grad, w12.grad, w21.grad, w22.grad, w31.grad, w32.grad
    ones = [np.ones(1, np.float32)] * 2
    check(program, *ones, *[leaf([1.0]) for _ in range(6)])


@spec("torch.autograd.one-backward-per-forward")
@pytest.mark.parametrize("kind", ["mul-self", "mul-scalar", "add"])
def test_one_backward_per_forward(check, kind):
    def program(T, d, x):
        y = {"mul-self": lambda: (x * x).sum(), "mul-scalar": lambda: (x * 2).sum(),
             "add": lambda: (x + 1).sum()}[kind]()
        y.backward()
        first = x.grad.clone()
        try:
            y.backward()
            second = ("ok", x.grad)
        except RuntimeError:
            second = ("RuntimeError", x.grad)
        return first, second
    check(program, leaf([1.0, -2.0]))


@spec("torch.autograd.node-gradients")
@given(x=st.lists(st.floats(-3, 3), min_size=1, max_size=4))
def test_gradients_sum_over_paths_and_reach_retained_intermediates(check, x):
    def program(T, d, x):
        h = x * x
        h.retain_grad()
        y = (h + x).sum()
        y.backward()
        return x.grad, h.grad
    check(program, leaf(x))


@spec("torch.autograd.require-grad-spelling")
def test_requires_grad_keyword_spelling(check):
    check(lambda T, d: T.tensor([1.0], requires_grad=True), autograd=True)
    check(lambda T, d: T.tensor([1.0], require_grad=True))


@spec("torch.autograd.leaf-creation")
def test_factories_make_leaves(check):
    def program(T, d):
        made = [T.tensor([1.0, 2.0], requires_grad=True), T.ones(2, requires_grad=True),
                T.randn(2, requires_grad=True), T.zeros(2).requires_grad_()]
        return [(t.is_leaf, t.requires_grad, t.grad_fn, t.grad) for t in made]
    check(program)
    check(lambda T, d: T.tensor([1, 2], requires_grad=True))
    check(lambda T, d: T.ones(2, dtype=T.int64).requires_grad_())


@spec("torch.autograd.grad-fn-nodes")
def test_grad_fn_names_of_common_ops(check):
    def program(T, d, a, b):
        results = [a + 1, a * a, a.sum(), a.pow(2), b.mm(b), a.exp(), a.mean(),
                   a.select(0, 0), a.view(2, 1), T.relu(a), a.sigmoid()]
        return [type(r.grad_fn).__name__ for r in results], a.grad_fn, (a * 2).detach().grad_fn
    check(program, leaf([0.5, -1.0]), leaf([[1.0, 2.0], [3.0, 4.0]]))


@spec("torch.autograd.grad-attribute")
def test_grad_attribute(check):
    def program(T, d, x):
        before = x.grad
        (x * x * 3).sum().backward()
        after = x.grad
        x.grad = T.zeros(2, dtype=T.float64)
        assigned = x.grad
        return before, after, after.requires_grad, assigned
    check(program, leaf([1.0, 2.0], np.float64), autograd=True)
    check(lambda T, d, x: setattr(x, "grad", T.zeros(3, dtype=T.float64)), leaf([1.0, 2.0],
                                                                              np.float64))


@spec("torch.autograd.two-functions")
def test_backward_and_grad_signatures(check):
    def program(T, d, x):
        r = T.autograd.backward(tensors=(x * x).sum(), grad_tensors=None, retain_graph=None,
                                create_graph=False, grad_variables=None, inputs=None)
        g = T.autograd.grad(outputs=(x * 3).sum(), inputs=x, grad_outputs=None,
                            retain_graph=None, create_graph=False, only_inputs=True,
                            allow_unused=None, is_grads_batched=False, materialize_grads=False)
        return r, x.grad, g
    check(program, leaf([1.0, 2.0]))


@spec("torch.autograd.grad.allow-unused")
def test_grad_unused_inputs(check):
    def program(T, d, x, w, mode):
        y = (x * 2).sum()
        if mode == "default":
            return T.autograd.grad(y, [x, w])
        if mode == "allow":
            return T.autograd.grad(y, [x, w], allow_unused=True)
        if mode == "materialize":
            return T.autograd.grad(y, [x, w], materialize_grads=True)
        if mode == "conflict":
            return T.autograd.grad(y, [x, w], allow_unused=False, materialize_grads=True)
        return T.autograd.grad(y, [x, T.ones(1)])
    for mode in ("default", "allow", "materialize", "conflict", "no-grad-input"):
        check(program, leaf([1.0]), leaf([2.0]), mode)


@spec("torch.autograd.creategraph-spelling")
def test_creategraph_keyword_is_type_error(check):
    check(lambda T, d, x: (x * x).sum().backward(creategraph=True), leaf([1.0]))


@spec("torch.autograd.create-graph")
@given(x=st.floats(-3, 3))
def test_create_graph_third_power(check, x):
    def program(T, d, x):
        y = x ** 3
        (g,) = T.autograd.grad(y, x)
        plain = (g.requires_grad, g.grad_fn)
        (g2,) = T.autograd.grad(x ** 3, x, create_graph=True)
        (h,) = T.autograd.grad(g2, x)
        return g, plain, g2, g2.requires_grad, type(g2.grad_fn).__name__ is not None, h
    check(program, TensorInput(np.asarray(x, np.float64), requires_grad=True))


@spec("torch.autograd.create-graph.backward")
def test_backward_create_graph_gives_differentiable_grad(check):
    def program(T, d, x):
        T.autograd.backward(x ** 3, create_graph=True)
        g = x.grad
        (h,) = T.autograd.grad(g, x)
        x.grad = None
        (x ** 3).backward(create_graph=True)
        return g, g.requires_grad, g.grad_fn is not None, h, x.grad
    check(program, TensorInput(np.asarray(2.0, np.float64), requires_grad=True))


@spec("torch.autograd.tensor-backward")
def test_backward_on_tensor_without_grad_is_error(check):
    check(lambda T, d, x: (x * 2).sum().backward(), np.ones(2, np.float32))
    check(lambda T, d, x: (x * 2).sum().backward(None, None, False, None), leaf([1.0, 2.0]))


@spec("torch.autograd.backward-fills-leaves")
def test_backward_fills_only_leaves(check):
    def program(T, d, x):
        h = x * 2
        y = (h * h).sum()
        r = y.backward()
        return r, x.grad, h.grad
    check(program, leaf([1.0, 2.0]), warnings=True)

    def with_grad(T, d, x):
        h = x * 2
        g = T.autograd.grad((h * h).sum(), [x, h])
        return g, x.grad, h.retains_grad
    check(with_grad, leaf([1.0, 2.0]))


@spec("torch.autograd.grad-stored-in-grad-not-grad-fn")
def test_grad_lands_in_grad_attribute(check):
    def program(T, d, x, a):
        y = x ** 2 + a * x
        y.backward()
        return x.grad, a.grad, x.grad_fn, a.grad_fn, type(y.grad_fn).__name__
    check(program, leaf(2.0), leaf(3.0))


@spec("torch.autograd.accumulate-minibatches")
@given(data=st.lists(st.floats(-2, 2), min_size=6, max_size=6))
def test_minibatch_gradients_accumulate_to_the_summed_loss(check, data):
    def program(T, d, w, x):
        for batch in x.split(2):
            ((batch * w).sum() ** 2).backward()
        accumulated = w.grad.clone()
        w.grad = None
        sum(((batch * w).sum() ** 2) for batch in x.split(2)).backward()
        return accumulated, w.grad
    check(program, leaf([0.5, -1.0]), np.asarray(data, np.float32).reshape(3, 2))


@spec("torch.autograd.zero-grad")
def test_zeroing_grad_in_place(check):
    def program(T, d, x):
        (x * x).sum().backward()
        g = x.grad
        z = x.grad.zero_()
        same = z is g and x.grad is g
        (x * 3).sum().backward()
        return same, x.grad
    check(program, leaf([1.0, 2.0]))


@spec("torch.autograd.graph-released-grad")
def test_grad_frees_the_graph(check):
    def program(T, d, x, retain):
        y = (x * x).sum()
        first = T.autograd.grad(y, x, retain_graph=retain)
        second = T.autograd.grad(y, x)
        return first, second
    check(program, leaf([1.0, 2.0]), False)
    check(program, leaf([1.0, 2.0]), True)

    def rebuilt(T, d, x):
        T.autograd.grad((x * x).sum(), x)
        return T.autograd.grad((x * x).sum(), x)
    check(rebuilt, leaf([1.0, 2.0]))


@spec("torch.autograd.leaf-grads-only")
@pytest.mark.parametrize("retain", [False, True])
def test_only_leaf_grads_are_kept(check, retain):
    def program(T, d, x, y, w, b):
        n = x @ w + b
        if retain:
            n.retain_grad()
        loss = ((n - y) ** 2).sum()
        loss.backward()
        return w.grad, b.grad, x.grad, y.grad, n.grad if retain else None
    check(program, np.ones((2, 3), np.float32), np.zeros(2, np.float32),
          leaf([0.5, -1.0, 2.0]), leaf(0.25))


@spec("torch.autograd.backward.tensors")
def test_backward_of_a_sequence_sums(check):
    def program(T, d, x):
        l1, l2 = (x * 2).sum(), (x * x).sum()
        r = T.autograd.backward([l1, l2])
        seq = x.grad.clone()
        x.grad = None
        T.autograd.backward((x * 2).sum() + (x * x).sum())
        return r, seq, x.grad
    check(program, leaf([1.0, -3.0]))


@spec("torch.autograd.backward.retain-graph")
def test_backward_retain_graph(check):
    def program(T, d, x):
        y = (x * x).sum()
        T.autograd.backward(y, retain_graph=True)
        first = x.grad.clone()
        T.autograd.backward(y)
        return first, x.grad
    check(program, leaf([1.0, -3.0]))


@spec("torch.autograd.backward.grad-tensors")
def test_backward_grad_tensors(check):
    def program(T, d, x):
        T.autograd.backward([(2 * x).sum(), (x * x).sum()],
                            grad_tensors=[T.tensor(1.0), T.tensor(0.5)])
        weighted = x.grad.clone()
        x.grad = None
        T.autograd.backward(x * x, grad_tensors=T.tensor([1.0, 2.0, 3.0]))
        return weighted, x.grad
    check(program, leaf([1.0, 1.0, 1.0]))
    check(lambda T, d, x: T.autograd.backward(x * x, grad_tensors=T.ones(2)),
          leaf([1.0, 1.0, 1.0]))


@spec("torch.autograd.tensor-backward-calls-autograd")
def test_tensor_backward_equals_autograd_backward(check):
    def program(T, d, x, w):
        (x * w).sum().backward(None, False, False, inputs=[w])
        restricted = (x.grad, w.grad.clone())
        w.grad = None
        T.autograd.backward((x * w).sum(), None, False, False, inputs=[w])
        h = x * 2
        (h * w).sum().backward(inputs=[h])
        return restricted, x.grad, w.grad, h.grad
    check(program, leaf([1.0, 2.0]), leaf([3.0, -1.0]))


@spec("torch.autograd.backward-after-loss")
def test_backward_after_module_loss(check):
    def program(T, d, x, target):
        T.manual_seed(0)
        model = T.nn.Linear(3, 2)
        loss = T.nn.functional.mse_loss(model(x), target)
        T.autograd.backward(loss)
        return [p.grad for p in model.parameters()], x.grad
    check(program, np.ones((4, 3), np.float32), np.zeros((4, 2), np.float32))


@spec("torch.autograd.grad-scalar-output")
@given(x=st.lists(st.floats(-2, 2), min_size=2, max_size=4))
def test_grad_of_scalar_and_vector_outputs(check, x):
    def program(T, d, x):
        scalar = T.autograd.grad((x.sin() * x).sum(), x)
        vjp = T.autograd.grad(x * x, x, grad_outputs=T.ones(len(x), dtype=x.dtype) * 2)
        return scalar, vjp
    check(program, leaf(x))
    check(lambda T, d, x: T.autograd.grad(x * x, x), leaf(x))


@spec("torch.autograd.grad-modes")
def test_grad_modes_nest_and_restore(check):
    def program(T, d, x):
        out = []
        with T.set_grad_enabled(False):
            out.append((x * 2).requires_grad)
            with T.enable_grad():
                out.append((x * 2).requires_grad)
            out.append(T.is_grad_enabled())
        T.set_grad_enabled(False)
        out.append((x * 2).requires_grad)
        T.set_grad_enabled(True)

        @T.enable_grad()
        def f(t):
            return t * 2
        with T.no_grad():
            out.append(f(x).requires_grad)
        x.requires_grad_(False)
        out.append((x * 2).requires_grad)
        return out, T.is_grad_enabled()
    check(program, leaf([1.0]))


@spec("torch.autograd.chain-rule")
@given(x=st.lists(st.floats(-2, 2), min_size=1, max_size=5))
def test_chain_rule(check, x):
    def program(T, d, x):
        y = T.sin(x.pow(2)).sum()
        y.backward()
        return x.grad
    check(program, leaf(x))
    check(lambda T, d, x: (x.exp().sigmoid().tanh() * 3).sum(), leaf(x), grad=True)


@spec("torch.autograd.ops-recorded")
def test_inplace_ops_are_recorded(check):
    def program(T, d, x):
        a = x * 1
        v0 = a._version
        a.mul_(2)
        b = a.select(0, 1)
        return type(a.grad_fn).__name__, a._version - v0, type(b.grad_fn).__name__, a
    check(program, leaf([1.0, 2.0]), grad=True)


@spec("torch.autograd.saved-tensor-version")
def test_modifying_an_unsaved_tensor_is_fine(check):
    def program(T, d, x):
        y = x + 1
        s = y * 3
        y.add_(1)
        s.sum().backward()
        return x.grad, y._version
    check(program, leaf([1.0, 3.0]))


# -- saved-tensor hooks and gradient stealing -----------------------------------------------------

@spec("torch.autograd.graph.saved-tensors-hooks")
@given(scale=st.sampled_from([1.0, 2.0, -0.5]), nested=st.booleans())
def test_saved_tensors_hooks_pack_and_unpack(check, scale, nested):
    def program(T, d, x, w):
        packed, unpacked = [], []

        def pack(t):
            packed.append(tuple(t.shape))
            return t.detach().clone()

        def unpack(t):
            unpacked.append(tuple(t.shape))
            return t * scale

        with T.autograd.graph.saved_tensors_hooks(pack, unpack):
            if nested:  # the innermost context wins
                with T.autograd.graph.saved_tensors_hooks(lambda t: t * 0, lambda t: t):
                    y = (x * w).sum()
            else:
                y = (x * w).sum()
        y.backward()
        return sorted(packed), sorted(unpacked), x.grad, w.grad
    check(program, TensorInput(np.array([1.0, 2.0, 3.0]), requires_grad=True),
          TensorInput(np.array([0.5, -1.0, 2.0]), requires_grad=True))


@spec("torch.autograd.graph.saved-tensors-hooks")
def test_saved_tensors_hooks_skip_the_version_check(check):
    def program(T, d, x):
        y = x * 1
        with T.autograd.graph.saved_tensors_hooks(lambda t: t.detach().clone(), lambda t: t):
            s = y * y
        y.add_(1)             # would break backward without hooks: the clone was saved
        s.sum().backward()
        return x.grad
    check(program, leaf([1.0, 3.0]))


@spec("torch.autograd.graph.saved-tensors-hooks")
def test_saved_tensors_unpack_must_return_a_tensor(check):
    def program(T, d, x):
        with T.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: 3.0):
            s = (x * x).sum()
        s.backward()
    check(program, leaf([1.0, 3.0]))


@spec("torch.autograd.accumulate-steals")
@given(through=st.sampled_from(["view", "clone", "mul"]))
def test_first_gradient_is_taken_without_a_copy(check, through):
    def program(T, d):
        x = T.ones(3, 4, requires_grad=True)
        v = T.arange(12.0).reshape(3, 4) if through != "view" else T.arange(12.0)
        y = {"view": lambda: x.view(12), "clone": lambda: x.clone(),
             "mul": lambda: x * 1}[through]()
        y.backward(v)
        return x.grad, x.grad.data_ptr() == v.data_ptr(), x.grad.stride()
    check(program)
