"""The nn sentences of the documents: modules built in __init__ and chained in forward,
what an optimizer sees (parameters, not buffers or plain tensors), BatchNorm's buffers, the
custom Linear and the hand-written RNN of 002, and torch.nn.functional as the functions
behind the modules.

Weights are set from one NumPy generator on both sides (`_fill`), so the tests do not depend
on the backend reproducing torch's random numbers.
"""

import types

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput
from conformance.strategies import tensors


def _fill(T, module, seed=0):
    """Give every parameter of `module` values from a NumPy generator (same on both sides)."""
    gen = np.random.default_rng(seed)
    with T.no_grad():
        for _, p in module.named_parameters():
            p.copy_(T.tensor((gen.standard_normal(tuple(p.shape)) * 0.3).astype(np.float32)))
    return module


def _x(*shape, requires_grad=False):
    return tensors(dtype="float32", shape=shape, layouts=("contiguous",), special=False,
                   min_value=-3, max_value=3, requires_grad=requires_grad)


def _grads(module):
    return {n: p.grad for n, p in module.named_parameters()}


@spec("nn.Module.build-in-init-compose-in-forward")
@given(seed=st.integers(0, 2**32 - 1))
def test_submodules_built_in_init_and_chained_in_forward(check, seed):
    # continuous inputs: no ties inside the pooling windows (see test_functional_conv_and_pool)
    x = TensorInput(np.random.default_rng(seed).standard_normal((2, 1, 8, 8)).astype(np.float32),
                    requires_grad=True)

    def fn(T, d, x):
        nn = T.nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 3, 3)
                self.relu = nn.ReLU()
                self.pool = nn.MaxPool2d(2)
                self.fc = nn.Linear(3 * 3 * 3, 4)

            def forward(self, x):
                x = self.pool(self.relu(self.conv(x)))
                return self.fc(x.view(x.size(0), -1))

        m = _fill(T, Net())
        y = m(x)
        y.sum().backward()
        return y, _grads(m), repr(m), [n for n, _ in m.named_children()]
    check(fn, x)


@spec("nn.Module.parameters-visible-to-optimizer")
@spec("nn.Module.buffer-not-optimized")
@given(x=_x(4, 3))
def test_optimizer_sees_parameters_only(check, x):
    def fn(T, d, x):
        nn = T.nn

        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.w = nn.Parameter(T.ones(3, 2))
                self.plain = T.ones(2, requires_grad=True)     # not a Parameter
                self.register_buffer("shift", T.full((2,), 0.5))

            def forward(self, x):
                return x @ self.w + self.plain + self.shift

        m = Model()
        opt = T.optim.SGD(m.parameters(), lr=0.1)
        loss = (m(x) ** 2).sum()
        loss.backward()
        opt.step()
        names = [n for n, _ in m.named_parameters()]
        before = m.shift.clone()
        m.shift = T.full((2,), 2.0)          # assignment replaces the buffer, still a buffer
        return (names, m.w, m.plain, m.plain.grad, before, m.shift.grad,
                [n for n, _ in m.named_buffers()], list(m.state_dict()))
    check(fn, x)


@spec("nn.Module.batchnorm-buffers")
@given(track=st.booleans(), c=st.integers(1, 5))
def test_batchnorm_buffers_and_state_dict(check, track, c):
    def fn(T, d):
        bn = T.nn.BatchNorm1d(c, track_running_stats=track)
        return ([(n, b) for n, b in bn.named_buffers()], [n for n, _ in bn.named_parameters()],
                list(bn.state_dict()), bn.running_mean, bn.num_batches_tracked)
    check(fn)


def _linear_function(T):
    class LinearF(T.autograd.Function):
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input.mm(weight.t())
            if bias is not None:
                output = output + bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_output.mm(weight)
            grad_weight = grad_output.t().mm(input)
            grad_bias = grad_output.sum(0) if bias is not None else None
            return grad_input, grad_weight, grad_bias

    class Linear(T.nn.Module):
        def __init__(self, input_features, output_features, bias=True):
            super().__init__()
            self.weight = T.nn.Parameter(T.zeros(output_features, input_features))
            if bias:
                self.bias = T.nn.Parameter(T.zeros(output_features))
            else:
                self.register_parameter("bias", None)

        def forward(self, input):
            return LinearF.apply(input, self.weight, self.bias)

    return Linear


@spec("nn.Module.custom-linear")
@spec("nn.Module.example.custom-linear")
@given(x=_x(3, 4, requires_grad=True), bias=st.booleans())
def test_custom_linear_module(check, x, bias):
    def fn(T, d, x):
        m = _fill(T, _linear_function(T)(4, 2, bias=bias))
        y = m(x)
        y.sum().backward()
        ref = T.nn.functional.linear(x.detach(), m.weight.detach(),
                                     None if m.bias is None else m.bias.detach())
        return (y, x.grad, _grads(m), T.allclose(y, ref), [n for n, _ in m.named_parameters()],
                list(m.state_dict()), m.bias is None)
    check(fn, x)


def _rnn_modules(T):
    import math
    nn = T.nn

    class RNNCell(nn.Module):
        def __init__(self, input_size, hidden_size):
            super().__init__()
            self.weight_ih = nn.Parameter(T.zeros(hidden_size, input_size))
            self.weight_hh = nn.Parameter(T.zeros(hidden_size, hidden_size))
            self.bias_ih = nn.Parameter(T.zeros(hidden_size))
            self.bias_hh = nn.Parameter(T.zeros(hidden_size))
            self.scale = 1.0 / math.sqrt(hidden_size)

        def forward(self, x, h):
            return T.relu(x @ self.weight_ih.t() + self.bias_ih + h @ self.weight_hh.t()
                          + self.bias_hh)

    class RNN(nn.Module):
        def __init__(self, input_size, hidden_size):
            super().__init__()
            self.cell = RNNCell(input_size, hidden_size)
            self.hidden_size = hidden_size

        def forward(self, inputs):
            h = T.zeros(inputs.size(0), self.hidden_size)
            states = []
            for t in range(inputs.size(1)):
                h = self.cell(inputs[:, t, :], h)
                states.append(h)
            return states

    return RNN


@spec("nn.Module.example.rnn")
@spec("nn.Module.rnn-unroll")
@spec("nn.Module.rnn-listing-typos")
@given(x=_x(2, 5, 3, requires_grad=True))
def test_hand_written_rnn_unrolls_like_nn_rnn(check, x):
    def fn(T, d, x):
        m = _fill(T, _rnn_modules(T)(3, 4))
        states = m(x)
        ref = T.nn.RNN(3, 4, nonlinearity="relu", batch_first=True)
        ref.load_state_dict({"weight_ih_l0": m.cell.weight_ih.detach(),
                             "weight_hh_l0": m.cell.weight_hh.detach(),
                             "bias_ih_l0": m.cell.bias_ih.detach(),
                             "bias_hh_l0": m.cell.bias_hh.detach()})
        out, _ = ref(x.detach())
        states[-1].sum().backward()
        return ([n for n, _ in m.named_parameters()], len(states), states[-1].shape,
                T.stack(states, 1), T.allclose(T.stack(states, 1), out, atol=1e-5),
                x.grad, m.cell.weight_hh.grad)
    check(fn, x)


@spec("nn.modules-have-parameters")
@given(x=_x(2, 1, 5, 5))
def test_layers_own_parameters_that_sgd_updates(check, x):
    def fn(T, d, x):
        lin, conv = _fill(T, T.nn.Linear(3, 2)), _fill(T, T.nn.Conv2d(1, 2, 3), seed=1)
        params = list(lin.parameters()) + list(conv.parameters())
        before = [p.detach().clone() for p in params]
        loss = conv(x).sum() + lin(x[:, 0, 0, :3]).sum()
        loss.backward()
        T.optim.SGD(params, lr=0.1).step()
        return ([(p.requires_grad, p.is_leaf, type(p).__name__) for p in params],
                [p - b for p, b in zip(params, before)], [-0.1 * p.grad for p in params])
    check(fn, x)


@spec("nn.Parameter.variable-subclass")
def test_parameter_is_a_tensor_that_requires_grad(check):
    def fn(T, d):
        p = T.nn.Parameter(T.ones(2))
        q = T.nn.Parameter(T.ones(2), requires_grad=False)
        return (p.requires_grad, q.requires_grad, isinstance(p, T.Tensor),
                T.ones(2).requires_grad, p.is_leaf)
    check(fn)


@spec("nn.functional.conv-and-pool")
@given(seed=st.integers(0, 2**32 - 1), stride=st.integers(1, 2), padding=st.integers(0, 1))
def test_functional_conv_and_pool(check, seed, stride, padding):
    # continuous random values: no two conv outputs tie in a pooling window (a tie broken
    # differently by float32 rounding would move max_pool's gradient)
    gen = np.random.default_rng(seed)
    x = TensorInput(gen.standard_normal((2, 2, 6, 6)).astype(np.float32), requires_grad=True)
    w = gen.standard_normal((3, 2, 3, 3)).astype(np.float32)
    b = gen.standard_normal(3).astype(np.float32)

    def fn(T, d, x, w, b):
        F = T.nn.functional
        y = F.conv2d(x, w, b, stride=stride, padding=padding)
        m = F.max_pool2d(y, 2, padding=0)
        a = F.avg_pool2d(x, 2, stride=None, padding=padding)
        (m.sum() + a.sum()).backward()
        return y, m, a, x.grad, w.grad, b.grad
    check(fn, x, TensorInput(w, requires_grad=True), TensorInput(b, requires_grad=True))


@spec("nn.functional.static-functions")
@spec("nn.functional.categories")
def test_functional_is_a_module_of_functions(check):
    def fn(T, d):
        F = T.nn.functional
        names = ["conv2d", "max_pool2d", "relu", "linear", "embedding", "pairwise_distance",
                 "mse_loss", "cross_entropy", "pad", "interpolate", "dropout"]
        return (isinstance(F, types.ModuleType), F is T.nn.functional,
                [callable(getattr(F, n)) for n in names], isinstance(T.nn.Conv2d, type),
                issubclass(T.nn.Conv2d, T.nn.Module), hasattr(F, "Conv2d"))
    check(fn)


@spec("nn.functional.module-calls-function")
@given(x=tensors(dtype="float64", shape=(2, 2, 7, 7), layouts=("contiguous",), special=False,
                 min_value=-3, max_value=3, requires_grad=True),
       stride=st.integers(1, 2), groups=st.sampled_from([1, 2]))
def test_conv2d_module_is_the_function_with_its_parameters(check, x, stride, groups):
    # float64: the claim is about which function runs, not about float32 summation order
    def fn(T, d, x):
        conv = _fill(T, T.nn.Conv2d(2, 4, 3, stride=stride, padding=1, groups=groups)).double()
        a = conv(x)
        b = T.nn.functional.conv2d(x, conv.weight, conv.bias, conv.stride, conv.padding,
                                   conv.dilation, conv.groups)
        (a.sum() + 2 * b.sum()).backward()
        return a, T.equal(a, b), conv.weight.grad, conv.bias.grad, x.grad
    check(fn, x)


@spec("nn.functional.vision")
@given(x=_x(1, 4, 3, 3, requires_grad=True), mode=st.sampled_from(["nearest", "bilinear"]))
def test_vision_pad_interpolate_pixel_shuffle(check, x, mode):
    def fn(T, d, x):
        F = T.nn.functional
        p = F.pad(x, (1, 2, 0, 1), mode="constant", value=0.5)
        i = F.interpolate(x, scale_factor=2, mode=mode)
        u = T.nn.Upsample(scale_factor=2, mode=mode)(x)
        s = F.pixel_shuffle(x, 2)
        (p.sum() + i.pow(2).sum() + s.sum()).backward()
        return p, i, T.equal(i, u), s, x.grad
    check(fn, x)


@spec("nn.functional.vision")
@given(seed=st.integers(0, 2**32 - 1), align=st.booleans(),
       mode=st.sampled_from(["bilinear", "nearest"]),
       padding_mode=st.sampled_from(["zeros", "border", "reflection"]))
def test_vision_affine_grid_and_grid_sample(check, seed, align, mode, padding_mode):
    # continuous float64 values: no sample point falls exactly where nearest rounding or a
    # reflection edge would turn on the last bit
    gen = np.random.default_rng(seed)
    theta = TensorInput(gen.standard_normal((2, 2, 3)) * 0.8, requires_grad=True)
    x = TensorInput(gen.standard_normal((2, 3, 4, 5)), requires_grad=True)

    def fn(T, d, theta, x):
        F = T.nn.functional
        grid = F.affine_grid(theta, (2, 3, 3, 4), align_corners=align)
        y = F.grid_sample(x, grid, mode=mode, padding_mode=padding_mode, align_corners=align)
        (y * y).sum().backward()
        return grid, y, x.grad, theta.grad
    check(fn, theta, x)


@spec("nn.functional.data-parallel")
def test_data_parallel_without_an_accelerator(check):
    def fn(T, d):
        return T.nn.parallel.data_parallel(T.nn.Linear(2, 2), T.ones(3, 2))
    check(fn)


@spec("nn.functional.data-parallel")
@given(x=_x(3, 2))
def test_data_parallel_module_without_an_accelerator(check, x):
    def fn(T, d, x):
        inner = _fill(T, T.nn.Linear(2, 2))
        m = T.nn.DataParallel(inner, device_ids=[0])
        return (m(x), m.device_ids, list(m.state_dict()), m.module is inner, repr(m),
                T.nn.parallel.DataParallel is T.nn.DataParallel)
    check(fn, x)
