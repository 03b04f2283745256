"""The documents' nn examples (LinearModel of 001, MyModel of 004 written two ways, the
subclassing template, the loss example) run on both sides and print the same, plus the
clauses about LinearModel and parameters they illustrate."""

from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import tensors

from .test_examples import EXAMPLES, _run_example


def _example(check, cid):
    code = EXAMPLES[cid].code
    check(lambda T, d: _run_example(T, code))


@spec("nn.Module.example.template")
def test_subclassing_template_example(check):
    _example(check, "nn.Module.example.template")


@spec("nn.Module.example.linear-model")
def test_linear_model_example(check):
    _example(check, "nn.Module.example.linear-model")


@spec("nn.Module.example.methods")
def test_module_methods_example(check):
    _example(check, "nn.Module.example.methods")


@spec("nn.example.losses")
def test_losses_example(check):
    _example(check, "nn.example.losses")


@spec("nn.Module.example.forward-call")
def test_mymodel_functional_conv_example(check):
    _example(check, "nn.Module.example.forward-call")


@spec("nn.functional.example.conv2d-equivalence")
def test_mymodel_two_ways_are_equivalent(check):
    _example(check, "nn.functional.example.conv2d-equivalence")


def _linear_model(T, ndim):
    class LinearModel(T.nn.Module):
        def __init__(self, ndim):
            super().__init__()
            self.ndim = ndim
            self.weight = T.nn.Parameter(T.randn(ndim, 1))
            self.bias = T.nn.Parameter(T.randn(1))

        def forward(self, x):
            return x.mm(self.weight) + self.bias
    return LinearModel(ndim)


@spec("nn.Module.linear-model-forward")
@given(x=tensors(dtype="float32", shape=st.sampled_from([(4, 5), (1, 5), (5,), (2, 4, 5)]),
                 layouts=("contiguous", "transposed"), special=False, min_value=-10,
                 max_value=10))
def test_linear_model_forward_and_gradients(check, x):
    def fn(T, d, x):
        T.manual_seed(0)
        lm = _linear_model(T, 5)
        y = lm(x)
        y.sum().backward()
        return y, x.mm(lm.weight) + lm.bias, lm.weight.grad, lm.bias.grad
    check(fn, x)


@spec("nn.Module.parameter-attributes-initialised")
@given(seed=st.integers(0, 2**31))
def test_linear_model_parameters_are_the_drawn_values(check, seed):
    def fn(T, d):
        T.manual_seed(seed)
        a = _linear_model(T, 3)
        T.manual_seed(seed)
        b = _linear_model(T, 3)
        return list(a.parameters()), list(b.parameters())
    check(fn, exact=True)


@spec("nn.Module.parameters-are-not-submodules")
def test_linear_model_has_parameters_not_children(check):
    def fn(T, d):
        lm = _linear_model(T, 2)
        return (list(lm.named_children()), list(lm.children()),
                [n for n, _ in lm.named_modules()], list(lm._parameters), list(lm._modules))
    check(fn)


@spec("nn.Module.buffer-hyperparameters")
def test_buffer_constant_saved_restored_and_cast(check):
    def fn(T, d):
        class Scaled(T.nn.Module):
            def __init__(self):
                super().__init__()
                self.register_buffer("scale", T.tensor([2.0, 3.0]))

            def forward(self, x):
                return x * self.scale
        a, b = Scaled(), Scaled()
        a.scale.mul_(5)
        buf = b.scale
        b.load_state_dict(a.state_dict())
        same_object = b.scale is buf
        b.to(T.float64)
        return list(a.state_dict()), same_object, b.scale, b(T.ones(2, dtype=T.float64))
    check(fn)


@spec("nn.Module.modify-parameters")
@given(op=st.sampled_from(["copy_", "fill_", "mul_"]), no_grad=st.booleans())
def test_parameters_change_in_place_under_no_grad(check, op, no_grad):
    def fn(T, d):
        T.manual_seed(0)
        lin = T.nn.Linear(2, 2)
        w = lin.weight
        v = w._version
        arg = T.ones(2, 2) if op == "copy_" else 0.5
        if no_grad:
            with T.no_grad():
                getattr(w, op)(arg)
        else:
            getattr(w, op)(arg)
        return (lin.weight is w, w.requires_grad, w.is_leaf, w._version > v,
                lin(T.ones(1, 2)))
    check(fn)


@spec("nn.Module.layers-are-modules")
def test_layers_and_losses_are_modules(check):
    def fn(T, d):
        nn = T.nn
        return [isinstance(m, nn.Module) for m in (
            nn.Conv2d(1, 1, 1), nn.MaxPool2d(2), nn.Linear(1, 1), nn.BatchNorm2d(1), nn.ReLU(),
            nn.MSELoss(), nn.CrossEntropyLoss())]
    check(fn)


@spec("nn.namespace")
def test_nn_namespace_has_the_tools(check):
    def fn(T, d):
        nn = T.nn
        return (isinstance(nn.Parameter, type), type(nn.init).__name__,
                type(nn.functional).__name__, isinstance(nn.Module, type),
                issubclass(nn.Linear, nn.Module), issubclass(nn.Conv2d, nn.Module))
    check(fn)


@spec("nn.Parameter.requires-grad-default")
def test_layer_parameters_require_grad(check):
    def fn(T, d):
        nn = T.nn
        plain = [t.requires_grad for t in (T.tensor([1.0]), T.ones(2), T.randn(2))]
        layers = [p.requires_grad for m in (nn.Linear(2, 2), nn.Conv2d(1, 1, 2),
                                            nn.BatchNorm2d(2)) for p in m.parameters()]
        return plain, layers, nn.Parameter(T.ones(1)).requires_grad
    check(fn)


@spec("nn.builtin-layers-own-weights")
@given(x=tensors(dtype="float32", shape=(1, 1, 4, 4), layouts=("contiguous",), special=False,
                 min_value=-4, max_value=4))
def test_builtin_layers_own_their_weights(check, x):
    def fn(T, d, x):
        nn, F = T.nn, T.nn.functional
        T.manual_seed(0)
        conv, lin = nn.Conv2d(1, 2, 3), nn.Linear(3, 2)
        shapes = [tuple(p.shape) for m in (conv, lin) for p in m.parameters()]
        y = conv(x)
        z = lin(x[0, 0, :3, :3].reshape(3, 3))
        return (shapes, y, F.conv2d(x, conv.weight, conv.bias), z,
                F.linear(x[0, 0, :3, :3].reshape(3, 3), lin.weight, lin.bias))
    check(fn)


@spec("nn.Module.train-eval.layers-differ")
@given(seed=st.integers(0, 2**31), x=tensors(dtype="float32", shape=(4, 3),
                                             layouts=("contiguous",), special=False,
                                             min_value=-4, max_value=4))
def test_dropout_and_batchnorm_differ_between_modes(check, seed, x):
    def fn(T, d, x):
        nn = T.nn
        T.manual_seed(seed)
        m = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3), nn.Dropout(0.5))
        train_out = m(x)
        stats_after_train = m[1].running_mean.clone(), m[1].running_var.clone()
        m.eval()
        a, b = m(x), m(x)
        return train_out, stats_after_train, a, b, m[1].running_mean, m[1].running_var
    check(fn, exact=True)


@spec("nn.Module._buffers")
def test_batchnorm_buffers_dict(check):
    def fn(T, d):
        bn = T.nn.BatchNorm2d(3)
        return list(bn._buffers), "std" in bn._buffers, dict(bn._buffers)
    check(fn)


@spec("nn.Module.cuda")
def test_cuda_without_cuda_raises(check):
    def fn(T, d):
        if T.cuda.is_available():   # a CUDA backend: the parameters move and keep identity
            lin = T.nn.Linear(2, 2)
            w = lin.weight
            return lin.cuda() is lin, lin.weight is w, lin.weight.device.type
        return T.nn.Linear(2, 2).cuda()
    check(fn)


@spec("nn.Module.rnn-reset-parameters")
@given(seed=st.integers(0, 2**31), hidden=st.integers(1, 5))
def test_reset_parameters_through_data_uniform(check, seed, hidden):
    def fn(T, d):
        import math
        T.manual_seed(0)
        cell = T.nn.RNNCell(3, hidden)
        stdv = 1.0 / math.sqrt(hidden)
        T.manual_seed(seed)
        for p in cell.parameters():
            p.data.uniform_(-stdv, stdv)
        return [(p, p.is_leaf, p.requires_grad, p.grad_fn is None) for p in cell.parameters()]
    check(fn, exact=True)
