"""torch.random: seeding, the generator state, and same-seed-same-bits draws against torch.

Clauses with rng = "exact" run only on backends that claim the capability rng-cpu-exact; the
comparisons here are bit for bit (`check(..., exact=True)`).
"""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec

from .test_examples import EXAMPLES, _run_example

SEEDS = st.integers(0, 2**63 - 1)
SIZES = st.integers(1, 40)


@spec("torch.random.get-rng-state")
@given(seed=SEEDS, n=SIZES)
def test_get_rng_state_is_a_5056_byte_copy(check, seed, n):
    def fn(T, d):
        T.manual_seed(seed)
        state = T.random.get_rng_state()
        snapshot = state.clone()
        T.rand(n)                       # drawing does not change the copy taken before
        kept = state.clone()
        state.zero_()                   # changing the copy does not change the generator
        after = T.get_rng_state()
        return snapshot, kept, after, (state.dtype, tuple(state.shape), state.device.type)
    check(fn, exact=True)


@spec("torch.random.set-rng-state")
@given(seed=SEEDS, n=SIZES, m=SIZES)
def test_set_rng_state_replays_the_draws(check, seed, n, m):
    def fn(T, d):
        T.manual_seed(seed)
        T.rand(n)
        state = T.random.get_rng_state()
        first = (T.rand(m), T.randn(m), T.randint(0, 1000, (m,)), T.randperm(m))
        returned = T.random.set_rng_state(new_state=state)
        again = (T.rand(m), T.randn(m), T.randint(0, 1000, (m,)), T.randperm(m))
        return first, again, returned, T.initial_seed()
    check(fn, exact=True)


@spec("torch.random.set-rng-state")
@given(seed=SEEDS, n=SIZES)
def test_a_state_taken_from_torch_continues_torch_stream(check, oracle, seed, n):
    O = oracle.torch
    O.manual_seed(seed)
    O.randn(n)
    torch_state = O.get_rng_state().numpy().copy()

    def fn(T, d):
        T.set_rng_state(T.tensor(torch_state))
        return T.randn(n), T.rand(n), T.get_rng_state()
    check(fn, exact=True)


@spec("torch.random.set-rng-state.errors")
@pytest.mark.parametrize("bad", ["list", "float32", "short"])
def test_set_rng_state_rejects_bad_states(check, bad):
    def fn(T, d):
        good = T.get_rng_state()
        state = {"list": lambda: [0] * 5056, "float32": lambda: good.float(),
                 "short": lambda: good[:100] if hasattr(T.Tensor, "__getitem__") else
                 T.zeros(100, dtype=T.uint8)}[bad]()
        T.set_rng_state(state)
    check(fn)


@spec("torch.random.manual-seed")
@given(seed=SEEDS, n=SIZES)
def test_manual_seed_returns_the_default_generator_and_fixes_the_draws(check, seed, n):
    def fn(T, d):
        g = T.random.manual_seed(seed=seed)
        kind = (isinstance(g, T.Generator), g is T.default_generator)
        a = T.randn(n)
        T.manual_seed(seed)
        return kind, a, T.randn(n), T.rand(2)
    check(fn, exact=True)


@spec("torch.random.manual-seed")
def test_manual_seed_zero_gives_the_documented_numbers(check):
    def fn(T, d):
        T.manual_seed(0)
        a = T.randn(3)
        T.manual_seed(0)
        return a, T.rand(2)
    check(fn, exact=True)


@spec("torch.random.manual-seed.range")
@pytest.mark.parametrize("seed", [-1, -(2**63), 2**64 - 1, 2**64, -(2**63) - 1, 1.5, "3", True])
def test_manual_seed_range_and_conversion(check, seed):
    def fn(T, d):
        T.manual_seed(seed)
        return T.initial_seed(), T.rand(3)
    check(fn, exact=True)


@spec("torch.random.initial-seed")
@given(seed=SEEDS, n=SIZES)
def test_initial_seed_is_the_last_seed_and_drawing_keeps_it(check, seed, n):
    def fn(T, d):
        T.manual_seed(seed)
        before = T.random.initial_seed()
        T.rand(n)
        return before, T.initial_seed(), type(before).__name__
    check(fn)


@spec("torch.random.initial-seed")
def test_initial_seed_of_a_fresh_process_reproduces_its_first_draws(backend):
    # A fresh interpreter: the seed torch starts with differs per process, so the check is
    # the property itself, run once per side in its own process.
    module = backend.torch.__name__
    code = textwrap.dedent(f"""
        import {module} as torch
        s = torch.initial_seed()
        a = torch.rand(5)
        torch.manual_seed(s)
        b = torch.rand(5)
        print(isinstance(s, int), 0 <= s < 2**64, a.tolist() == b.tolist())
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True", "True"]


@spec("torch.random.seed")
def test_seed_returns_a_64_bit_int_that_initial_seed_reports(check):
    def fn(T, d):
        s = T.random.seed()
        return isinstance(s, int), 0 <= s < 2**64, T.initial_seed() == s
    check(fn)


@spec("torch.random.fork-rng")
@given(seed=SEEDS, inner=SEEDS, n=SIZES)
def test_fork_rng_restores_the_state_on_exit(check, seed, inner, n):
    def fn(T, d):
        T.manual_seed(seed)
        with T.random.fork_rng():
            T.manual_seed(inner)
            inside = T.rand(n)
        after = (T.initial_seed(), T.rand(n))
        T.manual_seed(seed)
        with T.random.fork_rng(enabled=False):
            T.rand(n)
        return inside, after, T.rand(n)
    check(fn, exact=True)


def _program(T, seed, n, probs):
    """A fixed sequence of every sampling function, after one manual_seed."""
    T.manual_seed(seed)
    out = [T.rand(n), T.randn(n, dtype=T.float64), T.randint(-5, 17, (n,)), T.randperm(n),
           T.empty(n).normal_(2.0, 3.0), T.empty(n, dtype=T.float64).uniform_(-1, 4),
           T.multinomial(T.tensor(probs), n, replacement=True),
           T.bernoulli(T.full((n,), 0.3)), T.randn(n, dtype=T.float16), T.rand(n)]
    return out, T.get_rng_state()


@spec("torch.random.reproducible")
@given(seed=SEEDS, n=SIZES,
       probs=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=8))
def test_same_seed_same_program_same_numbers(check, seed, n, probs):
    check(lambda T, d: _program(T, seed, n, probs), exact=True)


@spec("torch.random.reproducible")
def test_seed_zero_sequence_matches_the_statement(check):
    def fn(T, d):
        T.manual_seed(0)
        return T.rand(2), T.randn(2), T.randint(0, 100, (2,)), T.randperm(4)
    check(fn, exact=True)


@spec("torch.random.training-randomness")
def test_initialisation_and_shuffling_draw_from_the_global_generator(check):
    def fn(T, d):
        T.manual_seed(0)
        weight = T.nn.Linear(2, 2).weight.detach()
        T.manual_seed(0)
        loader = T.utils.data.DataLoader(list(range(10)), batch_size=10, shuffle=True)
        return weight, next(iter(loader))
    check(fn, exact=True)


@spec("torch.random.example-seeded-relu")
def test_seeded_relu_example(check):
    code = EXAMPLES["torch.random.example-seeded-relu"].code
    check(lambda T, d: _run_example(T, code))


@spec("torch.random.reproducible")
def test_program_is_deterministic_on_this_side(backend):
    """Guard for the exact tests: two runs of the program on the backend agree with each
    other (a backend with a nondeterministic generator fails here as well as against torch)."""
    T = backend.torch
    a, sa = _program(T, 7, 9, [0.2, 0.8])
    b, sb = _program(T, 7, 9, [0.2, 0.8])
    for x, y in zip(a + [sa], b + [sb]):
        np.testing.assert_array_equal(backend.to_numpy(x), backend.to_numpy(y))


FLOATS = ("float16", "bfloat16", "float32", "float64")
INTS = ("uint8", "int8", "int16", "int32", "int64")
# Sizes around torch's 16-wide normal path and its vectorised uniform blocks.
ODD_SIZES = st.one_of(st.integers(1, 17), st.integers(18, 70))


@spec("torch.random.generator")
@given(seed=SEEDS, other=SEEDS, n=ODD_SIZES)
def test_generator_objects_have_their_own_stream(check, seed, other, n):
    def fn(T, d):
        T.manual_seed(other)
        default_before = T.get_rng_state()
        g = T.Generator()
        same = g.manual_seed(seed) is g
        a = T.randn(n, generator=g)
        state = g.get_state()
        b = T.rand(n, generator=g)
        g.set_state(state)
        b_again = T.rand(n, generator=g)
        g.set_state(T.get_rng_state())     # the default generator's state is accepted
        c = T.randint(0, 50, (n,), generator=g)
        return same, g.initial_seed(), a, b, b_again, c, default_before, T.get_rng_state()
    check(fn, exact=True)


@spec("torch.random.uniform-exact")
@given(seed=SEEDS, n=ODD_SIZES, dtype=st.sampled_from(FLOATS),
       bounds=st.tuples(st.floats(-1e3, 1e3), st.floats(0.0, 1e3)))
def test_uniform_draws_are_torchs(check, seed, n, dtype, bounds):
    lo, width = bounds

    def fn(T, d):
        dt = getattr(T, dtype)
        T.manual_seed(seed)
        a = T.rand(n, dtype=dt)
        b = T.rand_like(a)
        c = T.empty(n, 3, dtype=dt).t().uniform_(lo, lo + width)   # non-contiguous
        return a, b, c, T.get_rng_state()
    check(fn, exact=True)


@spec("torch.random.normal-exact")
@given(seed=SEEDS, n=ODD_SIZES, dtype=st.sampled_from(FLOATS),
       mean=st.floats(-10, 10), std=st.floats(0.0, 10))
def test_normal_draws_are_torchs(check, seed, n, dtype, mean, std):
    def fn(T, d):
        dt = getattr(T, dtype)
        T.manual_seed(seed)
        a = T.randn(n, dtype=dt)
        b = T.randn_like(a)
        c = T.empty(n, dtype=dt).normal_(mean, std)
        e = T.normal(mean, std, size=(n,))
        f = T.normal(T.arange(n, dtype=T.float64), std)
        g = T.normal(mean, T.full((n,), std + 1.0))
        return a, b, c, e, f, g, T.get_rng_state()
    check(fn, exact=True)


@spec("torch.random.integer-exact")
@given(seed=SEEDS, n=ODD_SIZES, dtype=st.sampled_from(INTS + ("float32", "float64")),
       data=st.data())
def test_integer_draws_are_torchs(check, seed, n, dtype, data):
    hi_limit = {"uint8": 256, "int8": 128, "int16": 2**15, "int32": 2**31}.get(dtype, 2**40)
    lo_limit = 0 if dtype == "uint8" else -min(hi_limit, 2**24 if "float" in dtype else 2**40)
    if "float" in dtype:
        hi_limit = 2**24
    low = data.draw(st.integers(lo_limit, hi_limit - 1), label="low")
    high = data.draw(st.integers(low + 1, hi_limit), label="high")

    def fn(T, d):
        dt = getattr(T, dtype)
        T.manual_seed(seed)
        a = T.randint(low, high, (n,), dtype=dt)
        b = T.randint_like(a, low, high)
        c = T.empty(n, dtype=dt).random_(low, high)
        e = T.randint(high, (n,))
        return a, b, c, e, T.get_rng_state()
    check(fn, exact=True)


@spec("torch.random.randperm-exact")
@given(seed=SEEDS, n=st.one_of(st.integers(0, 70), st.integers(1000, 5000)),
       dtype=st.sampled_from(("int64", "int32", "int16", "float32", "float64")))
def test_randperm_is_torchs(check, seed, n, dtype):
    def fn(T, d):
        T.manual_seed(seed)
        return T.randperm(n), T.randperm(min(n, 100), dtype=getattr(T, dtype)), \
            T.get_rng_state()
    check(fn, exact=True)


@spec("torch.random.bernoulli-exponential-exact")
@given(seed=SEEDS, n=ODD_SIZES, dtype=st.sampled_from(FLOATS), p=st.floats(0.0, 1.0),
       lambd=st.floats(0.1, 10.0))
def test_bernoulli_and_exponential_draws_are_torchs(check, seed, n, dtype, p, lambd):
    def fn(T, d):
        dt = getattr(T, dtype)
        T.manual_seed(seed)
        probs = T.rand(n, dtype=T.float64)
        a = T.bernoulli(probs.to(dt))
        b = T.empty(n, dtype=dt).bernoulli_(p)
        c = T.empty(n, dtype=dt).exponential_(lambd)
        return a, b, c, T.get_rng_state()
    check(fn, exact=True)


@spec("torch.random.multinomial-exact")
@given(seed=SEEDS, rows=st.integers(1, 3),
       weights=st.lists(st.floats(0.01, 10.0), min_size=2, max_size=12, unique=True),
       replacement=st.booleans(), data=st.data())
def test_multinomial_draws_are_torchs(check, seed, rows, weights, replacement, data):
    k = len(weights)
    num = data.draw(st.integers(1, 3 * k if replacement else k), label="num_samples")
    w = np.array([np.roll(weights, r) for r in range(rows)])

    def fn(T, d):
        T.manual_seed(seed)
        one = T.multinomial(T.tensor(w[0]), num, replacement)
        two = T.multinomial(T.tensor(w, dtype=T.float32), num, replacement=replacement)
        return one, two, T.get_rng_state()
    check(fn, exact=True)


# -- torch.randn ---------------------------------------------------------------------------------

@spec("torch.randn")
@given(seed=SEEDS, n=SIZES, form=st.sampled_from(["ints", "tuple", "list", "size"]))
def test_randn_shapes_dtype_and_torchs_values(check, seed, n, form):
    def fn(T, d):
        T.manual_seed(seed)
        shape = {"ints": (2, n), "tuple": ((2, n),), "list": ([2, n],),
                 "size": (T.Size([2, n]),)}[form]
        x = T.randn(*shape)
        T.manual_seed(0)
        documented = T.randn(3)
        return x, x.dtype, x.is_contiguous(), documented
    check(fn, exact=True)


def _standard_normal_checks(values):
    """Sample mean and standard deviation near 0 and 1, and the Kolmogorov-Smirnov statistic
    against N(0, 1) under its 0.001-level critical value (1.95 / sqrt(n))."""
    import math
    v = np.sort(np.asarray(values, np.float64))
    n = v.size
    cdf = 0.5 * (1.0 + np.array([math.erf(t / math.sqrt(2.0)) for t in v.tolist()]))
    d = max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(n) / n))
    return abs(v.mean()) < 0.02, abs(v.std() - 1.0) < 0.02, d < 1.95 / math.sqrt(n)


@spec("torch.randn.statistics")
@given(seed=SEEDS)
def test_randn_is_standard_normal(check, seed):
    def fn(T, d):
        T.manual_seed(seed)
        return _standard_normal_checks(T.randn(100_000).numpy())
    check(fn)


@spec("torch.randn.dtype")
@given(dtype=st.sampled_from(["float16", "bfloat16", "float32", "float64", "complex64",
                              "complex128", "int64", "int32", "bool"]))
def test_randn_dtypes(check, dtype):
    def fn(T, d):
        T.manual_seed(1)
        x = T.randn(4000, dtype=getattr(T, dtype), requires_grad=False)
        out = [x.dtype, tuple(x.shape)]
        if x.is_complex():   # real and imaginary parts each of variance 1/2
            a = x.numpy()
            out.append((abs(a.real.var() - 0.5) < 0.05, abs(a.imag.var() - 0.5) < 0.05))
        return out
    check(fn)


@spec("torch.randn.dtype")
def test_randn_follows_the_default_dtype_and_requires_grad(check):
    def fn(T, d):
        before = T.get_default_dtype()
        T.set_default_dtype(T.float64)
        try:
            x = T.randn(3)
        finally:
            T.set_default_dtype(before)
        y = T.randn(2, requires_grad=True)
        return x.dtype, T.randn(3).dtype, y.requires_grad, y.is_leaf, y.grad_fn is None
    check(fn)


@spec("torch.randn.size-errors")
@given(size=st.sampled_from([(0,), (0, 3), (-1,), (2.5,), (), ((2, -3),)]))
def test_randn_sizes(check, size):
    def fn(T, d):
        x = T.randn(*size)
        return x.shape, x.numel()
    check(fn)


@spec("torch.randn.generator")
@given(seed=SEEDS, other=SEEDS, n=SIZES)
def test_randn_with_a_generator_leaves_the_global_one_alone(check, seed, other, n):
    def fn(T, d):
        T.manual_seed(other)
        before = T.get_rng_state()
        g = T.Generator().manual_seed(seed)
        drawn = T.randn(n, generator=g)
        after = T.get_rng_state()
        T.manual_seed(seed)
        return drawn, T.randn(n), T.equal(before, after), g.get_state()
    check(fn, exact=True)


@spec("torch.randn.parameter-init")
@given(seed=SEEDS, n=st.integers(1, 13))
def test_parameters_initialised_with_randn(check, seed, n):
    def fn(T, d):
        T.manual_seed(seed)
        w = T.nn.Parameter(T.randn(n, 1))
        b = T.nn.Parameter(T.randn(1))
        return w, b, w.shape, w.dtype, w.requires_grad, b.requires_grad, w.is_leaf
    check(fn, exact=True)
