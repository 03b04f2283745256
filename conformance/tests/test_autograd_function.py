"""Custom autograd Functions (002): static forward/backward with ctx, apply, saved tensors,
needs_input_grad, the legacy instance form, Variable."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput


def leaf(values, dtype=np.float32):
    return TensorInput(np.asarray(values, dtype), requires_grad=True)


def relu_function(T):
    """The ReLUF of 002 in its modern form."""
    class ReLUF(T.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input.clamp(min=0)

        @staticmethod
        def backward(ctx, output_grad):
            input, = ctx.saved_tensors
            return output_grad * (input > 0).to(output_grad.dtype)
    return ReLUF


def linear_function(T, n_grads=None):
    """The LinearF of 002 in its modern form (n_grads: force backward to return that many)."""
    class LinearF(T.autograd.Function):
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = T.mm(input, weight.t())
            if bias is not None:
                output = output + bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = T.mm(grad_output, weight)
            if ctx.needs_input_grad[1]:
                grad_weight = T.mm(grad_output.t(), input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            grads = (grad_input, grad_weight, grad_bias)
            if n_grads is not None:
                return grads[:n_grads]
            return grads if bias is not None else grads[:2]
    return LinearF


@spec("torch.autograd.Function")
@given(x=st.lists(st.floats(-3, 3), min_size=1, max_size=6))
def test_function_apply_records_its_node(check, x):
    def program(T, d, x):
        y = relu_function(T).apply(x)
        return y, type(y.grad_fn).__name__, y.is_leaf, [type(n).__name__ for n, _ in
                                                        y.grad_fn.next_functions]
    check(program, leaf(x), grad=True)


@spec("torch.autograd.Function")
def test_function_with_two_outputs(check):
    def program(T, d, x):
        class Split(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2, x * 3

            @staticmethod
            def backward(ctx, ga, gb):
                return ga * 2 + gb * 3
        a, b = Split.apply(x)
        return a, b, a.grad_fn is b.grad_fn, a.output_nr, b.output_nr
    check(program, leaf([1.0, -2.0]), grad=True)


@spec("torch.autograd.Function.not-implemented")
def test_missing_forward_or_backward(check):
    def no_forward(T, d, x):
        class F(T.autograd.Function):
            pass
        return F.apply(x)

    def no_backward(T, d, x):
        class F(T.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2
        F.apply(x).sum().backward()
    check(no_forward, leaf([1.0]))
    check(no_backward, leaf([1.0]))


@spec("torch.autograd.Function.tensors-in-out")
def test_forward_and_backward_see_tensors(check):
    def program(T, d, x, create_graph):
        seen = {}

        class Scale(T.autograd.Function):
            @staticmethod
            def forward(ctx, t, k):
                seen["forward"] = (t is x, T.is_grad_enabled(), k)
                ctx.k = k
                return t * k

            @staticmethod
            def backward(ctx, g):
                seen["backward"] = (isinstance(g, T.Tensor), T.is_grad_enabled())
                return g * ctx.k, None
        y = Scale.apply(x, 3.0)
        (g,) = T.autograd.grad(y.sum(), x, create_graph=create_graph)
        return seen, g
    check(program, leaf([1.0, 2.0]), False)
    check(program, leaf([1.0, 2.0]), True)


@spec("torch.autograd.Function.legacy-instance-call")
def test_legacy_instance_call(check):
    def program(T, d, x):
        ReLUF = relu_function(T)
        return ReLUF()(x)
    check(program, leaf([1.0]), warnings=True)

    def instantiate(T, d):
        relu_function(T)()
        return True
    check(instantiate, warnings=True)


@spec("torch.autograd.Function.legacy-relu")
def test_legacy_relu_through_apply(check):
    def program(T, d, x):
        class ReLUF(T.autograd.Function):
            def forward(self, input):
                self.save_for_backward(input)
                return input.clamp(min=0)

            def backward(self, output_grad):
                input = self.to_save[0]
                return output_grad * (input > 0).to(output_grad.dtype)
        y = ReLUF.apply(x)
        y.sum().backward()
    check(program, leaf([1.0, -1.0]))


@spec("torch.autograd.Variable-returns-tensor")
def test_variable_returns_tensor(check):
    def program(T, d, a):
        from_namespace = T.autograd.Variable
        va = from_namespace(a, requires_grad=True)
        return (type(va) is T.Tensor, va.requires_grad, va.is_leaf, va.data_ptr() == a.data_ptr(),
                type(va.data) is T.Tensor, from_namespace(a).requires_grad)
    check(program, np.ones(2, np.float32))
    check(lambda T, d: T.autograd.Variable([1.0]))


@spec("torch.autograd.Variable-core")
def test_tensors_carry_autograd_state(check):
    def program(T, d, x):
        y = (x * 2).sum()
        y.backward()
        return (isinstance(x, T.autograd.Variable), x.requires_grad, x.grad, y.grad_fn is not None,
                hasattr(x, "backward"))
    check(program, leaf([1.0, 2.0]))


@spec("torch.autograd.legacy-print-and-nonleaf-grad")
def test_nonleaf_grad_is_none_with_warning(check):
    def program(T, d, x):
        y = x * 2
        y.sum().backward()
        return y.grad, x.grad
    check(program, leaf([1.0, 2.0]), warnings=True)

    def data_of_none(T, d, x):
        y = x * 2
        y.sum().backward()
        return y.grad.data
    check(data_of_none, leaf([1.0, 2.0]))


@spec("torch.autograd.Function.save-for-backward")
def test_saved_tensors(check):
    def program(T, d, x, w):
        class F(T.autograd.Function):
            @staticmethod
            def forward(ctx, x, w):
                ctx.save_for_backward(w, None, x)
                return x * w

            @staticmethod
            def backward(ctx, g):
                w, none, x = ctx.saved_tensors
                return g * w, (g * x) if none is None else None
        y = F.apply(x, w)
        y.sum().backward(retain_graph=True)
        return x.grad, w.grad
    check(program, leaf([1.0, 2.0]), leaf([3.0, -1.0]))

    def modified(T, d, x, w):
        class F(T.autograd.Function):
            @staticmethod
            def forward(ctx, x, w):
                ctx.save_for_backward(w)
                return x * w

            @staticmethod
            def backward(ctx, g):
                (w,) = ctx.saved_tensors
                return g * w, None
        w2 = w * 1
        y = F.apply(x, w2)
        w2.mul_(2)
        y.sum().backward()
    check(modified, leaf([1.0, 2.0]), leaf([3.0, -1.0]))

    def twice(T, d, x):
        y = relu_function(T).apply(x).sum()
        y.backward()
        y.backward()
    check(twice, leaf([1.0, 2.0]))


@spec("torch.autograd.Function.arity")
@pytest.mark.parametrize("returned", ["fewer", "extra-none", "extra-tensor", "bad-shape",
                                      "broadcast"])
def test_backward_result_count_and_shape(check, returned):
    def program(T, d, x, w):
        class F(T.autograd.Function):
            @staticmethod
            def forward(ctx, x, w):
                return x * w

            @staticmethod
            def backward(ctx, g):
                return {"fewer": lambda: (g,), "extra-none": lambda: (g, g, None),
                        "extra-tensor": lambda: (g, g, g),
                        "bad-shape": lambda: (T.ones(3), g),
                        "broadcast": lambda: (g.expand(4, 2), g)}[returned]()
        F.apply(x, w).sum().backward()
        return x.grad, w.grad
    check(program, leaf([1.0, 2.0]), leaf([3.0, -1.0]))


@spec("torch.autograd.Function.no-reuse")
def test_each_apply_has_its_own_node(check):
    def program(T, d, x):
        F = relu_function(T)
        a, b = F.apply(x), F.apply(x * 2)
        a.sum().backward()
        first = x.grad.clone()
        b.sum().backward()
        return a.grad_fn is not b.grad_fn, first, x.grad
    check(program, leaf([1.0, -2.0, 3.0]))


@spec("torch.autograd.Function.needs-input-grad")
def test_needs_input_grad(check):
    def program(T, d, x, w):
        seen = []

        class F(T.autograd.Function):
            @staticmethod
            def forward(ctx, x, w, k=2.0, maybe=None):
                seen.append(ctx.needs_input_grad)
                return x * w * k

            @staticmethod
            def backward(ctx, g):
                seen.append(ctx.needs_input_grad)
                return None, g, None
        F.apply(x, w, 3.0).sum().backward()
        F.apply(w, x).sum().backward()
        return seen, w.grad
    check(program, np.ones(2, np.float32), leaf([3.0, -1.0]))


@spec("torch.autograd.Function.optional-bias-grads")
@pytest.mark.parametrize("call", ["two-args", "three-args-none", "bias"])
def test_linear_function_gradient_counts(check, call):
    def program(T, d, x, w, b):
        if call == "two-args":
            y = linear_function(T, n_grads=2).apply(x, w)
        elif call == "three-args-none":
            y = linear_function(T, n_grads=2).apply(x, w, None)
        else:
            y = linear_function(T).apply(x, w, b)
        y.sum().backward()
        return y, x.grad, w.grad, b.grad
    check(program, leaf(np.arange(6.0).reshape(2, 3) / 4), leaf(np.ones((4, 3)) / 3),
          leaf(np.arange(4.0)))


@spec("torch.autograd.custom-gradients")
def test_hooks_and_custom_backward_change_gradients(check):
    def program(T, d, x):
        handle = x.register_hook(lambda g: g * 10)
        (x * x).sum().backward()
        hooked = x.grad.clone()
        handle.remove()
        x.grad = None
        (x * x).sum().backward()
        plain = x.grad.clone()

        class StraightThrough(T.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                return (t > 0).to(t.dtype)

            @staticmethod
            def backward(ctx, g):
                return g
        x.grad = None
        StraightThrough.apply(x).sum().backward()
        return hooked, plain, x.grad
    check(program, leaf([1.0, -2.0]))


# -- derived: mark_dirty, mark_non_differentiable, materialize, setup_context, once_diff ----------

@spec("torch.autograd.Function.mark-dirty")
def test_mark_dirty(check):
    def program(T, d, x):
        class Double(T.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                t.mul_(2)
                ctx.mark_dirty(t)
                return t

            @staticmethod
            def backward(ctx, g):
                return g * 2
        z = x * 1
        v0 = z._version
        r = Double.apply(z)
        r.sum().backward()
        return r is z, type(z.grad_fn).__name__, z._version - v0, x.grad, z
    check(program, leaf([1.0, -2.0]))
    check(lambda T, d, x: _dirty_on_leaf(T, x), leaf([1.0]))

    def identity(T, d, x):
        class Id(T.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                return t

            @staticmethod
            def backward(ctx, g):
                return g
        y = Id.apply(x)
        return y is x, y._base is x, type(y.grad_fn).__name__, y.is_leaf
    check(identity, leaf([1.0]))


def _dirty_on_leaf(T, x):
    class Double(T.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            t.mul_(2)
            ctx.mark_dirty(t)
            return t

        @staticmethod
        def backward(ctx, g):
            return g * 2
    return Double.apply(x)


@spec("torch.autograd.Function.mark-non-differentiable")
@pytest.mark.parametrize("materialize", [True, False])
def test_mark_non_differentiable_and_materialize(check, materialize):
    def program(T, d, x):
        seen = []

        class SumAndFlag(T.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.set_materialize_grads(materialize)
                flag = (t > 0).sum()
                ctx.mark_non_differentiable(flag)
                return t.sum(), flag, t * 2

            @staticmethod
            def backward(ctx, g_sum, g_flag, g_double):
                seen.extend([g_flag, g_double])
                return g_sum * T.ones_like(x)
        s, flag, double = SumAndFlag.apply(x)
        s.backward()
        return flag.requires_grad, flag.grad_fn, double.requires_grad, seen, x.grad
    check(program, leaf([1.0, -2.0]))


@spec("torch.autograd.Function.setup-context")
def test_setup_context_form(check):
    def program(T, d, x):
        seen = []

        class Mul(T.autograd.Function):
            @staticmethod
            def forward(t, k):
                seen.append(T.is_grad_enabled())
                return t * k

            @staticmethod
            def setup_context(ctx, inputs, output):
                t, k = inputs
                seen.append((len(inputs), k, isinstance(output, T.Tensor)))
                ctx.k = k
                ctx.save_for_backward(t)

            @staticmethod
            def backward(ctx, g):
                (t,) = ctx.saved_tensors
                return g * ctx.k, None
        y = Mul.apply(x, 3.0)
        y.sum().backward()
        return seen, type(y.grad_fn).__name__, x.grad
    check(program, leaf([1.0, -2.0]))


@spec("torch.autograd.Function.once-differentiable")
def test_once_differentiable(check):
    def square(T, seen=None):
        class Square(T.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.save_for_backward(t)
                return t * t

            @staticmethod
            @T.autograd.function.once_differentiable
            def backward(ctx, g):
                (t,) = ctx.saved_tensors
                if seen is not None:
                    seen.append(T.is_grad_enabled())
                return 2 * t * g
        return Square

    def program(T, d, x):
        seen = []
        Square = square(T, seen)

        class Wrap(T.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.save_for_backward(t)
                return t * t

            @staticmethod
            @T.autograd.function.once_differentiable
            def backward(ctx, g):
                (t,) = ctx.saved_tensors
                return 2 * t * g
        (g,) = T.autograd.grad(Wrap.apply(x).sum(), x, create_graph=True)
        y = Square.apply(x)
        (g2,) = T.autograd.grad(y, x, T.ones_like(x, requires_grad=True), create_graph=True)
        return g, g.requires_grad, g2, g2.requires_grad, type(g2.grad_fn).__name__, seen
    check(program, leaf([1.0, -2.0]))

    def twice(T, d, x):
        Square = square(T)
        (g,) = T.autograd.grad(Square.apply(x), x, T.ones_like(x, requires_grad=True),
                               create_graph=True)
        g.sum().backward()
    check(twice, leaf([1.0, -2.0]))
