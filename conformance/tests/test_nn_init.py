"""nn.init: in-place fills under no_grad, exact draws after manual_seed, statistics, errors."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec

from .test_examples import EXAMPLES, _run_example

SEEDS = st.integers(0, 2**31)
STAT_SEEDS = st.sampled_from([0, 1, 2])  # statistical tests on large tensors: a few seeds
SHAPES = st.sampled_from([(3, 5), (4, 2), (2, 3, 2), (3, 2, 2, 2)])


@spec("nn.init.module")
def test_init_is_a_module_of_functions(check):
    names = ["uniform_", "normal_", "constant_", "ones_", "zeros_", "eye_", "dirac_",
             "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
             "trunc_normal_", "orthogonal_", "sparse_", "calculate_gain"]
    check(lambda T, d: (type(T.nn.init).__name__, [callable(getattr(T.nn.init, n))
                                                   for n in names]))


@spec("nn.init.same-draws")
@given(seed=SEEDS, shape=SHAPES, which=st.sampled_from([
    ("uniform_", (-0.5, 2.0)), ("normal_", (1.0, 0.3)), ("xavier_uniform_", (1.5,)),
    ("xavier_normal_", ()), ("kaiming_uniform_", (math.sqrt(5),)),
    ("kaiming_normal_", (0, "fan_out", "relu")), ("trunc_normal_", (0.0, 1.0, -0.5, 1.0)),
    ("trunc_normal_", (0.0, 1.0, 1.5, 3.0)),
    ("orthogonal_", (2.0,)), ("sparse_", (0.5,))]), use_generator=st.booleans())
def test_random_initialisers_draw_torchs_values(check, seed, shape, which, use_generator):
    name, args = which
    if name == "sparse_":
        shape = shape[:2]

    def fn(T, d):
        T.manual_seed(123)
        t = T.empty(*shape)
        if use_generator:
            g = T.Generator().manual_seed(seed)
            r = getattr(T.nn.init, name)(t, *args, generator=g)
        else:
            T.manual_seed(seed)
            r = getattr(T.nn.init, name)(t, *args)
        return r is t, t, T.rand(2)
    tol = {} if name != "orthogonal_" else {"rtol": 1e-5, "atol": 1e-6}
    check(fn, exact=not tol, **tol)


@spec("nn.init.in-place-returns-tensor")
@given(name=st.sampled_from(["uniform_", "normal_", "zeros_", "ones_", "kaiming_normal_",
                             "xavier_uniform_"]))
def test_initialisers_work_in_place_on_parameters(check, name):
    def fn(T, d):
        p = T.nn.Parameter(T.empty(3, 4))
        v = p._version
        T.manual_seed(0)
        r = getattr(T.nn.init, name)(p)
        return r is p, p.is_leaf, p.requires_grad, p.grad_fn is None, p._version > v, p
    check(fn, exact=True)


@spec("nn.init.in-place-returns-tensor")
def test_constant_on_parameter(check):
    def fn(T, d):
        p = T.nn.Parameter(T.empty(2, 2))
        r = T.nn.init.constant_(p, 0.3)
        return r is p, p, p.grad_fn is None
    check(fn)


def _stats(t):
    a = np.asarray(t.detach().cpu().numpy(), dtype=np.float64)
    return a.mean(), a.std(), a.min(), a.max()


@spec("nn.init.uniform-normal")
@given(seed=STAT_SEEDS)
def test_uniform_normal_statistics(check, seed):
    def fn(T, d):
        T.manual_seed(seed)
        u = T.nn.init.uniform_(T.empty(100000), -1.0, 3.0)
        n = T.nn.init.normal_(T.empty(100000), 2.0, 0.5)
        um, us, umin, umax = _stats(u)
        nm, ns, _, _ = _stats(n)
        return (abs(um - 1.0) < 0.02, abs(us - 4 / math.sqrt(12)) < 0.01 * 4 / math.sqrt(12),
                umin >= -1.0, umax < 3.0, abs(nm - 2.0) < 0.01, abs(ns - 0.5) < 0.005)
    check(fn)


@spec("nn.init.uniform-normal")
def test_uniform_on_integer_tensor_raises(check):
    check(lambda T, d: T.nn.init.uniform_(T.zeros(3, dtype=T.int64)))


@spec("nn.init.xavier")
@given(seed=STAT_SEEDS, gain=st.sampled_from([1.0, 2.0]))
def test_xavier_statistics(check, seed, gain):
    def fn(T, d):
        T.manual_seed(seed)
        shape = (200, 100, 3, 3)
        fan_in, fan_out = 100 * 9, 200 * 9
        std = gain * math.sqrt(2.0 / (fan_in + fan_out))
        u = _stats(T.nn.init.xavier_uniform_(T.empty(*shape), gain))
        n = _stats(T.nn.init.xavier_normal_(T.empty(*shape), gain))
        return (abs(u[1] - std) < 0.02 * std, u[3] <= math.sqrt(3) * std,
                abs(n[1] - std) < 0.02 * std)
    check(fn)


@spec("nn.init.xavier")
def test_xavier_needs_two_dims(check):
    check(lambda T, d: T.nn.init.xavier_uniform_(T.empty(5)))


@spec("nn.init.kaiming-families")
@given(seed=STAT_SEEDS, a=st.sampled_from([0.0, 0.3]), mode=st.sampled_from(["fan_in", "fan_out"]),
       nl=st.sampled_from(["leaky_relu", "relu", "tanh"]))
def test_kaiming_statistics(check, seed, a, mode, nl):
    def fn(T, d):
        T.manual_seed(seed)
        shape = (300, 200)
        fan = 200 if mode == "fan_in" else 300
        std = T.nn.init.calculate_gain(nl, a) / math.sqrt(fan)
        u = _stats(T.nn.init.kaiming_uniform_(T.empty(*shape), a, mode, nl))
        n = _stats(T.nn.init.kaiming_normal_(T.empty(*shape), a, mode, nl))
        return (abs(u[1] - std) < 0.02 * std, u[3] <= math.sqrt(3) * std,
                abs(n[1] - std) < 0.02 * std, abs(n[0]) < 0.01)
    check(fn)


@spec("nn.init.kaiming-normal")
@given(seed=STAT_SEEDS)
def test_kaiming_normal_default_std(check, seed):
    def fn(T, d):
        T.manual_seed(seed)
        m, s, _, _ = _stats(T.nn.init.kaiming_normal_(T.empty(1000, 500)))
        return abs(s - math.sqrt(2) / math.sqrt(500)) < 0.02 * math.sqrt(2 / 500), abs(m) < 0.01
    check(fn)


@spec("nn.init.kaiming-normal.signature")
@given(seed=SEEDS)
def test_kaiming_normal_defaults_by_position_and_keyword(check, seed):
    def fn(T, d):
        out = []
        for call in (lambda t: T.nn.init.kaiming_normal_(t),
                     lambda t: T.nn.init.kaiming_normal_(t, 0, "fan_in", "leaky_relu"),
                     lambda t: T.nn.init.kaiming_normal_(tensor=t, a=0, mode="fan_in",
                                                         nonlinearity="leaky_relu")):
            T.manual_seed(seed)
            out.append(call(T.empty(3, 4)))
        return out
    check(fn, exact=True)


@spec("nn.init.kaiming-normal.tensor")
@given(case=st.sampled_from(["conv", "1d", "empty"]))
def test_kaiming_normal_dims(check, case):
    def fn(T, d):
        T.manual_seed(0)
        shape = {"conv": (4, 3, 2, 2), "1d": (5,), "empty": (0, 3)}[case]
        return T.nn.init.kaiming_normal_(T.zeros(*shape), mode="fan_out")
    check(fn, warnings=True, exact=True)


@spec("nn.init.kaiming-normal.a")
@given(seed=SEEDS)
def test_kaiming_a_only_matters_for_leaky_relu(check, seed):
    def fn(T, d):
        out = []
        for a, nl in ((0, "relu"), (3, "relu"), (math.sqrt(5), "leaky_relu")):
            T.manual_seed(seed)
            out.append(T.nn.init.kaiming_normal_(T.empty(3, 4), a=a, nonlinearity=nl))
        return out
    check(fn, exact=True)


@spec("nn.init.kaiming-normal.mode")
@given(seed=SEEDS, mode=st.sampled_from(["fan_in", "fan_out", "FAN_OUT", "fan_x"]))
def test_kaiming_mode(check, seed, mode):
    def fn(T, d):
        T.manual_seed(seed)
        return T.nn.init.kaiming_normal_(T.empty(3, 5), mode=mode)
    check(fn, exact=True)


@spec("nn.init.kaiming-normal.nonlinearity")
@given(nl=st.sampled_from(["relu", "leaky_relu", "tanh", "selu", "linear", "sigmoid",
                           "conv2d", "conv_transpose3d", "gelu"]))
def test_kaiming_nonlinearity_selects_gain(check, nl):
    def fn(T, d):
        T.manual_seed(0)
        return T.nn.init.kaiming_normal_(T.empty(2, 3), nonlinearity=nl)
    check(fn, exact=True)


@spec("nn.init.calculate-gain")
@given(nl=st.sampled_from(["linear", "conv1d", "sigmoid", "tanh", "relu", "leaky_relu",
                           "selu", "softmax"]),
       param=st.sampled_from([None, 0.2, 3, True, "x"]))
def test_calculate_gain(check, nl, param):
    check(lambda T, d: T.nn.init.calculate_gain(nl, param))


@spec("nn.init.common-distributions")
@given(dtype=st.sampled_from(["float32", "float64", "int64"]), val=st.sampled_from([2.5, -1]))
def test_constant_fills_in_dtype(check, dtype, val):
    def fn(T, d):
        t = T.empty(2, 3, dtype=getattr(T, dtype))
        return T.nn.init.constant_(t, val)
    check(fn)


@spec("nn.init.special-matrices")
@given(seed=SEEDS, shape=st.sampled_from([(3, 5), (5, 3), (4, 2, 2)]), gain=st.sampled_from(
    [1.0, 2.0]))
def test_orthogonal_eye_sparse_properties(check, seed, shape, gain):
    def fn(T, d):
        T.manual_seed(seed)
        w = T.nn.init.orthogonal_(T.empty(*shape), gain).detach().numpy().reshape(shape[0], -1)
        small = w @ w.T if w.shape[0] <= w.shape[1] else w.T @ w
        ortho = np.allclose(small, gain ** 2 * np.eye(small.shape[0]), atol=1e-5)
        s = T.nn.init.sparse_(T.empty(6, 4), 0.5, std=0.1).detach().numpy()
        return ortho, T.nn.init.eye_(T.empty(2, 3)), [int((s[:, j] == 0).sum()) for j in
                                                       range(4)]
    check(fn)


@spec("nn.init.special-matrices.errors")
@given(case=st.sampled_from(["orthogonal", "eye", "sparse", "dirac", "dirac-groups"]))
def test_special_matrix_errors(check, case):
    def fn(T, d):
        init = T.nn.init
        if case == "orthogonal":
            return init.orthogonal_(T.empty(3))
        if case == "eye":
            return init.eye_(T.empty(2, 2, 2))
        if case == "sparse":
            return init.sparse_(T.empty(3), 0.5)
        if case == "dirac":
            return init.dirac_(T.empty(3, 3))
        return init.dirac_(T.empty(5, 2, 3), groups=2)
    check(fn)


@spec("nn.init.special-matrices")
@given(shape=st.sampled_from([(4, 2, 3), (2, 4, 3, 3), (6, 3, 1, 3, 1)]), groups=st.sampled_from(
    [1, 2]))
def test_dirac(check, shape, groups):
    check(lambda T, d: T.nn.init.dirac_(T.empty(*shape), groups))


@spec("nn.init.zeros")
@given(dtype=st.sampled_from(["float32", "int64", "bool"]))
def test_zeros_fills_through_views(check, dtype):
    def fn(T, d):
        base = T.ones(3, 4, dtype=getattr(T, dtype))
        view = base.t()
        r = T.nn.init.zeros_(view)
        return r is view, base, view.stride()
    check(fn)


@spec("nn.init.ones")
@given(dtype=st.sampled_from(["float32", "int64"]))
def test_ones(check, dtype):
    def fn(T, d):
        t = T.zeros(2, dtype=getattr(T, dtype))
        return T.nn.init.ones_(t) is t, t
    check(fn)


@spec("nn.init.example.kaiming-normal")
def test_kaiming_normal_example(check):
    code = EXAMPLES["nn.init.example.kaiming-normal"].code
    check(lambda T, d: _run_example(T, code))


@spec("nn.init.example.zeros")
def test_zeros_ones_example(check):
    code = EXAMPLES["nn.init.example.zeros"].code
    check(lambda T, d: _run_example(T, code))
