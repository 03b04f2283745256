"""torch.optim: every optimizer's trajectory against torch, state_dict layout and round trips
between the backend and torch, param groups, zero_grad, hooks, closures and option errors.

A trajectory test builds the same parameters on both sides, writes the same fixed sequence of
gradients into `.grad` and steps 50 times; the parameters and the whole state_dict (state
tensors, 'step' counters, param groups) are compared. float64 is compared to 1e-10 relative;
float32 with torch's tolerances, and bit for bit for the rules without square roots (SGD,
ASGD, Rprop, Adamax), whose float32 rounding refimpl reproduces exactly.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import spec

STEPS = 50
DTYPES = st.sampled_from(["float32", "float64"])
PARAM_SHAPES = st.lists(hnp.array_shapes(min_dims=0, max_dims=2, max_side=4), min_size=1,
                        max_size=2)
LRS = st.sampled_from([1e-3, 0.01, 0.1])
DECAYS = st.sampled_from([0, 0.01, 0.1])
BETAS = st.sampled_from([(0.9, 0.999), (0.5, 0.9), (0.0, 0.99)])


@st.composite
def _sgd(draw):
    momentum = draw(st.sampled_from([0, 0.5, 0.9]))
    nesterov = momentum > 0 and draw(st.booleans())
    return dict(lr=draw(LRS), momentum=momentum, weight_decay=draw(DECAYS), nesterov=nesterov,
                dampening=0 if nesterov else draw(st.sampled_from([0, 0.1])),
                maximize=draw(st.booleans()))


def _options(**strategies):
    return st.fixed_dictionaries({}, optional=strategies)


OPTIONS = {
    "SGD": _sgd(),
    "Adam": _options(lr=LRS, betas=BETAS, weight_decay=DECAYS, amsgrad=st.booleans(),
                     maximize=st.booleans(), decoupled_weight_decay=st.booleans(),
                     eps=st.sampled_from([1e-8, 1e-3])),
    "AdamW": _options(lr=LRS, betas=BETAS, weight_decay=DECAYS, amsgrad=st.booleans(),
                      maximize=st.booleans()),
    "Adagrad": _options(lr=LRS, lr_decay=DECAYS, weight_decay=DECAYS, maximize=st.booleans(),
                        initial_accumulator_value=st.sampled_from([0, 0.1])),
    "RMSprop": _options(lr=LRS, alpha=st.sampled_from([0.99, 0.5]), weight_decay=DECAYS,
                        momentum=st.sampled_from([0, 0.5]), centered=st.booleans(),
                        maximize=st.booleans()),
    "Adadelta": _options(lr=st.sampled_from([1.0, 0.1]), rho=st.sampled_from([0.9, 0.5]),
                         weight_decay=DECAYS, maximize=st.booleans()),
    "Adamax": _options(lr=LRS, betas=BETAS, weight_decay=DECAYS, maximize=st.booleans()),
    "ASGD": _options(lr=LRS, lambd=st.sampled_from([1e-4, 0.1]), alpha=st.sampled_from([0.75, 1]),
                     t0=st.sampled_from([1e6, 5.0]), weight_decay=DECAYS,
                     maximize=st.booleans()),
    "Rprop": _options(lr=LRS, etas=st.sampled_from([(0.5, 1.2), (0.3, 2.0)]),
                      step_sizes=st.sampled_from([(1e-6, 50), (1e-3, 0.05)]),
                      maximize=st.booleans()),
    "NAdam": _options(lr=LRS, betas=BETAS, weight_decay=DECAYS,
                      momentum_decay=st.sampled_from([4e-3, 0.1]),
                      decoupled_weight_decay=st.booleans(), maximize=st.booleans()),
    "RAdam": _options(lr=LRS, betas=BETAS, weight_decay=DECAYS,
                      decoupled_weight_decay=st.booleans(), maximize=st.booleans()),
}
BIT_EXACT_FLOAT32 = {"SGD", "ASGD", "Rprop", "Adamax"}


@st.composite
def trajectories(draw, name):
    """(options, initial parameters, per-step gradients) for one optimizer."""
    dtype = draw(DTYPES)
    shapes = draw(PARAM_SHAPES)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    params = [rng.standard_normal(s).astype(dtype) for s in shapes]
    # some steps reuse the previous gradient's signs, so Rprop's step sizes grow as well
    grads = [[rng.standard_normal(s).astype(dtype) for s in shapes] for _ in range(STEPS)]
    return draw(OPTIONS[name]), params, grads


def _params(T, d, arrays):
    return [T.tensor(a.copy(), device=d, requires_grad=True) for a in arrays]


def _steps(T, d, opt, params, grads):
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = T.tensor(g.copy(), device=d)
        opt.step()


def _trajectory(T, d, name, options, arrays, grads):
    params = _params(T, d, arrays)
    opt = getattr(T.optim, name)(params, **options)
    _steps(T, d, opt, params, grads)
    return [p.detach() for p in params], [p._version for p in params], opt.state_dict()


def _check_trajectory(check, name, case):
    options, arrays, grads = case
    exact = arrays[0].dtype == np.float32 and name in BIT_EXACT_FLOAT32
    tol = {} if arrays[0].dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
    check(lambda T, d: _trajectory(T, d, name, options, arrays, grads), exact=exact, **tol)


@spec("optim.SGD", "optim.SGD.momentum")
@given(case=trajectories("SGD"))
def test_sgd_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "SGD", case)


@spec("optim.Adam", "optim.Adam.options")
@given(case=trajectories("Adam"))
def test_adam_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "Adam", case)


@spec("optim.AdamW")
@given(case=trajectories("AdamW"))
def test_adamw_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "AdamW", case)


@spec("optim.Adagrad")
@given(case=trajectories("Adagrad"))
def test_adagrad_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "Adagrad", case)


@spec("optim.RMSprop")
@given(case=trajectories("RMSprop"))
def test_rmsprop_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "RMSprop", case)


@spec("optim.Adadelta")
@given(case=trajectories("Adadelta"))
def test_adadelta_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "Adadelta", case)


@spec("optim.Adamax")
@given(case=trajectories("Adamax"))
def test_adamax_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "Adamax", case)


@spec("optim.ASGD")
@given(case=trajectories("ASGD"))
def test_asgd_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "ASGD", case)


@spec("optim.Rprop")
@given(case=trajectories("Rprop"))
def test_rprop_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "Rprop", case)


@spec("optim.NAdam")
@given(case=trajectories("NAdam"))
def test_nadam_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "NAdam", case)


@spec("optim.RAdam")
@given(case=trajectories("RAdam"))
def test_radam_trajectory_and_state_match_torch(check, case):
    _check_trajectory(check, "RAdam", case)


# -- state_dict: layout and round trips with torch ----------------------------------------------

def _to_library(value, is_tensor, make):
    """A state_dict with every tensor rebuilt by `make` (through NumPy)."""
    if is_tensor(value):
        return make(np.array(value.detach().cpu().numpy(), copy=True))
    if isinstance(value, dict):
        return {k: _to_library(v, is_tensor, make) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_library(v, is_tensor, make) for v in value)
    return value


def _from_torch_midway(T, d, name, options, arrays, grads, k):
    """Torch runs k steps; its state_dict is loaded into T's optimizer, which finishes."""
    import torch
    theirs = _params(torch, "cpu", arrays)
    opt = getattr(torch.optim, name)(theirs, **options)
    _steps(torch, "cpu", opt, theirs, grads[:k])
    saved = _to_library(opt.state_dict(), torch.is_tensor,
                        lambda a: T.tensor(a, device=d))
    ours = _params(T, d, [p.detach().numpy() for p in theirs])
    opt2 = getattr(T.optim, name)(ours, **options)
    opt2.load_state_dict(saved)
    _steps(T, d, opt2, ours, grads[k:])
    return [p.detach() for p in ours], opt2.state_dict()


def _to_torch_midway(T, d, name, options, arrays, grads, k):
    """T runs k steps; its state_dict is loaded into torch's optimizer, which finishes; the
    result is brought back as T tensors."""
    import torch
    ours = _params(T, d, arrays)
    opt = getattr(T.optim, name)(ours, **options)
    _steps(T, d, opt, ours, grads[:k])
    saved = _to_library(opt.state_dict(), T.is_tensor, torch.tensor)
    theirs = _params(torch, "cpu", [p.detach().cpu().numpy() for p in ours])
    opt2 = getattr(torch.optim, name)(theirs, **options)
    opt2.load_state_dict(saved)
    _steps(torch, "cpu", opt2, theirs, grads[k:])
    return [T.tensor(p.detach().numpy(), device=d) for p in theirs]


NAMES = st.sampled_from(sorted(OPTIONS))


@spec("optim.Optimizer.load-state-dict", "optim.Optimizer.state-dict")
@given(data=st.data(), name=NAMES, k=st.integers(1, STEPS - 1))
def test_state_dict_moves_between_torch_and_backend_mid_run(check, data, name, k):
    options, arrays, grads = data.draw(trajectories(name))
    tol = {} if arrays[0].dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
    check(lambda T, d: _from_torch_midway(T, d, name, options, arrays, grads, k), **tol)
    check(lambda T, d: _to_torch_midway(T, d, name, options, arrays, grads, k), **tol)


@spec("optim.Optimizer.state-dict")
@given(name=NAMES, momentum=st.sampled_from([0, 0.9]))
def test_state_dict_layout_before_and_after_a_step(check, name, momentum):
    def program(T, d):
        a, b, c = (T.tensor(np.arange(n, dtype=np.float32), device=d, requires_grad=True)
                   for n in (2, 3, 1))
        extra = {"momentum": momentum} if name == "SGD" else {}
        opt = getattr(T.optim, name)([{"params": [a, b]}, {"params": [c], "lr": 0.5}], **extra)
        before = opt.state_dict()
        a.grad, c.grad = T.ones(2, device=d), T.ones(1, device=d)   # b has no gradient
        opt.step()
        return before, opt.state_dict(), sorted(map(str, opt.state_dict()["state"]))
    check(program)


@spec("optim.Optimizer.load-state-dict")
@given(groups=st.sampled_from([1, 2]), sizes=st.sampled_from([(1, 1), (2, 1)]))
def test_load_state_dict_with_other_groups_raises(check, groups, sizes):
    def program(T, d):
        ps = [T.zeros(2, device=d, requires_grad=True) for _ in range(3)]
        saved = T.optim.SGD([{"params": ps[:sizes[0]]}, {"params": ps[2:]}]).state_dict()
        target = [{"params": ps[:1]}] if groups == 1 else \
            [{"params": ps[:sizes[1]]}, {"params": ps[2:]}]
        T.optim.SGD(target).load_state_dict(saved)
        return True
    check(program)


# -- the protocol -------------------------------------------------------------------------------

@spec("optim.namespace", "optim.ten-optimizers")
def test_optimizers_are_optimizer_subclasses_with_torch_defaults(check):
    names = ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "Adamax", "SparseAdam",
             "ASGD", "Rprop", "LBFGS", "NAdam", "RAdam"]

    def program(T, d):
        p = T.zeros(2, device=d, requires_grad=True)
        return [(issubclass(getattr(T.optim, n), T.optim.Optimizer),
                 getattr(T.optim, n)([p]).defaults) for n in names]
    check(program)


@spec("optim.Optimizer.not-a-module")
def test_optimizer_is_not_a_module(check):
    def program(T, d):
        opt = T.optim.SGD([T.zeros(1, device=d, requires_grad=True)])
        return (isinstance(opt, T.nn.Module), [c.__name__ for c in type(opt).__mro__],
                callable(opt), hasattr(opt, "parameters"), hasattr(opt, "forward"))
    check(program)


@spec("optim.step-follows-gradient")
@given(lr=LRS)
def test_step_updates_parameters_in_place_and_skips_missing_grads(check, lr):
    def program(T, d):
        a = T.tensor([1.0, -2.0], device=d, requires_grad=True)
        b = T.tensor([3.0], device=d, requires_grad=True)
        opt = T.optim.SGD([a, b], lr=lr, momentum=0.9)
        loss = (a * a).sum()
        loss.backward()
        before = a
        out = opt.step()
        after = (a * a).sum()
        return (out, before is a, a.detach(), b.detach(), a._version, b._version,
                sorted(len(s) for s in opt.state.values()), bool(after.item() < loss.item()))
    check(program)


@spec("optim.Optimizer.zero-grad")
def test_zero_grad_sets_grads_to_none_and_backward_starts_fresh(check):
    def program(T, d):
        w = T.tensor([1.0, 2.0], device=d, requires_grad=True)
        opt = T.optim.SGD([w], lr=0.1)
        (w * w).sum().backward()
        opt.zero_grad()
        cleared = w.grad
        (w * 3.0).sum().backward()
        return cleared, w.grad
    check(program)


@spec("optim.Optimizer.zero-grad.set-to-none-false")
def test_zero_grad_set_to_none_false_zeroes_in_place(check):
    def program(T, d):
        w = T.tensor([1.0, 2.0], device=d, requires_grad=True)
        u = T.tensor([1.0], device=d, requires_grad=True)
        opt = T.optim.SGD([w, u], lr=0.1)
        (w * w).sum().backward()
        (w * w).sum().backward()
        accumulated = w.grad.clone()
        g = w.grad
        opt.zero_grad(set_to_none=False)
        return accumulated, w.grad is g, w.grad, u.grad, w.grad.requires_grad
    check(program)


@spec("optim.backward-then-step")
@given(seed=st.integers(0, 2**16), name=st.sampled_from(["SGD", "Adam", "RMSprop"]))
def test_zero_grad_backward_step_uses_the_current_gradient_only(check, seed, name):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((8, 3)).astype(np.float32)
    y = rng.standard_normal((8, 1)).astype(np.float32)
    w0 = rng.standard_normal((3, 1)).astype(np.float32)

    def program(T, d, x, y):
        w = T.tensor(w0.copy(), device=d, requires_grad=True)
        opt = getattr(T.optim, name)([w], lr=0.01)
        losses = []
        for _ in range(3):
            opt.zero_grad()
            r = x.mm(w) - y
            loss = (r * r).sum()
            loss.backward()
            opt.step()
            losses.append(loss.detach())
        return w.detach(), losses
    check(program, x, y)


@spec("optim.Optimizer.closure")
@given(name=NAMES)
def test_step_with_closure_returns_its_loss(check, name):
    def program(T, d):
        w = T.tensor([1.0, -1.0], device=d, requires_grad=True)
        opt = getattr(T.optim, name)([w])
        calls = []

        def closure():
            calls.append(T.is_grad_enabled())
            opt.zero_grad()
            loss = (w * w).sum()
            loss.backward()
            return loss
        loss = opt.step(closure)
        return loss.detach(), calls, w.detach()
    check(program)


@spec("optim.Optimizer.param-groups")
@given(lr=LRS, momentum=st.sampled_from([0, 0.9]))
def test_param_groups_override_defaults_per_group(check, lr, momentum):
    def program(T, d):
        base = T.tensor([1.0, 2.0], device=d, requires_grad=True)
        head = T.tensor([3.0], device=d, requires_grad=True)
        opt = T.optim.SGD([{"params": base}, {"params": [head], "lr": 1e-3}], lr=lr,
                          momentum=momentum)
        for _ in range(3):
            base.grad, head.grad = T.ones(2, device=d), T.ones(1, device=d)
            opt.step()
        groups = [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]
        return groups, [len(g["params"]) for g in opt.param_groups], base.detach(), head.detach()
    check(program)


@spec("optim.Optimizer.add-param-group")
@given(new_lr=LRS)
def test_add_param_group_and_changing_lr_between_steps(check, new_lr):
    def program(T, d):
        a = T.tensor([1.0], device=d, requires_grad=True)
        b = T.tensor([2.0], device=d, requires_grad=True)
        opt = T.optim.SGD([a], lr=0.1, momentum=0.5)
        opt.add_param_group({"params": [b], "weight_decay": 0.1})
        a.grad, b.grad = T.ones(1, device=d), T.ones(1, device=d)
        opt.step()
        opt.param_groups[0]["lr"] = new_lr
        opt.step()
        groups = [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]
        try:
            opt.add_param_group({"params": [a]})
            duplicate = None
        except ValueError as e:
            duplicate = type(e).__name__
        return groups, a.detach(), b.detach(), duplicate
    check(program)


@spec("optim.Optimizer.params-argument")
@given(case=st.sampled_from(["tensor", "empty", "non-leaf", "twice", "set", "not-a-tensor",
                             "group-not-dict"]))
def test_bad_params_argument_raises_like_torch(check, case):
    def program(T, d):
        p = T.zeros(2, device=d, requires_grad=True)
        params = {"tensor": p, "empty": [], "non-leaf": [p * 2],
                  "twice": [{"params": [p]}, {"params": [p]}], "set": [{"params": {p}}],
                  "not-a-tensor": [1.0], "group-not-dict": [{"params": [p]}, [p]]}[case]
        T.optim.SGD(params, lr=0.1)
        return True
    check(program)


BAD_OPTIONS = [
    ("SGD", {"lr": -0.1}), ("SGD", {"momentum": -1}), ("SGD", {"weight_decay": -1}),
    ("SGD", {"nesterov": True}), ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}),
    ("Adam", {"lr": -1}), ("Adam", {"eps": -1}), ("Adam", {"betas": (1.0, 0.9)}),
    ("Adam", {"betas": (0.9, -0.1)}), ("Adam", {"weight_decay": -1}),
    ("Adam", {"fused": True, "foreach": True}), ("Adam", {"fused": True, "differentiable": True}),
    ("AdamW", {"betas": (0.9, 1.5)}), ("Adagrad", {"lr_decay": -1}),
    ("Adagrad", {"initial_accumulator_value": -1}), ("Adagrad", {"eps": -1}),
    ("RMSprop", {"alpha": -1}), ("RMSprop", {"momentum": -1}), ("RMSprop", {"eps": -1}),
    ("Adadelta", {"rho": 1.5}), ("Adadelta", {"eps": -1}), ("Adamax", {"betas": (0.9, 1.0)}),
    ("ASGD", {"weight_decay": -1}), ("Rprop", {"etas": (1.5, 1.2)}),
    ("Rprop", {"etas": (0.5, 0.9)}),
    ("NAdam", {"momentum_decay": -1}), ("RAdam", {"eps": -1}), ("SparseAdam", {"lr": 0.0}),
    ("SparseAdam", {"eps": 0.0}), ("LBFGS", {"lr": -1}),
]


@spec("optim.SGD.errors", "optim.Adam.options", "optim.invalid-options")
@given(case=st.sampled_from(BAD_OPTIONS))
def test_invalid_options_raise_like_torch(check, case):
    name, options = case

    def program(T, d):
        getattr(T.optim, name)([T.zeros(1, device=d, requires_grad=True)], **options)
        return True
    check(program)


@spec("optim.flags")
@given(name=st.sampled_from(["SGD", "Adam", "AdamW", "Adagrad"]),
       flags=st.sampled_from([{"foreach": False}, {"foreach": None}, {"differentiable": False},
                              {"fused": False}]))
def test_foreach_fused_differentiable_flags_are_accepted(check, name, flags):
    def program(T, d):
        p = T.tensor([1.0, 2.0], device=d, requires_grad=True)
        opt = getattr(T.optim, name)([p], **flags)
        for _ in range(3):
            p.grad = T.tensor([0.5, -1.0], device=d)
            opt.step()
        return p.detach(), opt.state_dict()
    check(program)


@spec("optim.Optimizer.hooks")
@given(remove=st.booleans())
def test_step_pre_and_post_hooks_run_around_step(check, remove):
    def program(T, d):
        p = T.tensor([1.0], device=d, requires_grad=True)
        opt = T.optim.SGD([p], lr=0.5)
        log = []

        def pre(o, args, kwargs):
            log.append(("pre", o is opt, float(p.detach().sum())))

        def post(o, args, kwargs):
            log.append(("post", o is opt, float(p.detach().sum())))
        h1 = opt.register_step_pre_hook(pre)
        opt.register_step_post_hook(post)
        p.grad = T.ones(1, device=d)
        opt.step()
        if remove:
            h1.remove()
        opt.step()
        return log
    check(program)


@spec("optim.SparseAdam.dense-gradient")
def test_sparse_adam_refuses_dense_gradients(check):
    def program(T, d):
        p = T.zeros(3, device=d, requires_grad=True)
        opt = T.optim.SparseAdam([p])
        p.grad = T.ones(3, device=d)
        opt.step()
        return True
    check(program)


# -- LBFGS ---------------------------------------------------------------------------------------

@st.composite
def _quadratics(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 4))
    return (rng.standard_normal((n + 2, n)), rng.standard_normal((n + 2, 1)),
            rng.standard_normal((n, 1)))


def _lbfgs_run(T, d, a, b, x0, options, steps):
    x = T.tensor(x0, device=d, requires_grad=True)
    opt = T.optim.LBFGS([x], **options)

    def closure():
        opt.zero_grad()
        r = a.mm(x) - b
        loss = (r * r).sum()
        loss.backward()
        return loss
    losses = [opt.step(closure).detach() for _ in range(steps)]
    state = opt.state[x]
    return x.detach(), losses, state["func_evals"], state["n_iter"]


@spec("optim.LBFGS")
@given(q=_quadratics(), history=st.sampled_from([100, 2]), max_iter=st.sampled_from([20, 3]),
       lr=st.sampled_from([1, 0.5]))
def test_lbfgs_matches_torch_on_least_squares(check, q, history, max_iter, lr):
    a, b, x0 = q
    options = dict(history_size=history, max_iter=max_iter, lr=lr)
    check(lambda T, d, a, b: _lbfgs_run(T, d, a, b, x0, options, 3), a, b,
          rtol=1e-10, atol=1e-10)


@spec("optim.LBFGS.groups")
@given(q=_quadratics(), history=st.sampled_from([100, 3]))
def test_lbfgs_strong_wolfe_matches_torch(check, q, history):
    a, b, x0 = q
    options = dict(history_size=history, line_search_fn="strong_wolfe")
    check(lambda T, d, a, b: _lbfgs_run(T, d, a, b, x0, options, 2), a, b,
          rtol=1e-10, atol=1e-10)


@spec("optim.LBFGS.groups")
def test_lbfgs_refuses_param_groups(check):
    def program(T, d):
        a, b = T.zeros(1, requires_grad=True), T.zeros(1, requires_grad=True)
        T.optim.LBFGS([{"params": [a]}, {"params": [b]}])
        return True
    check(program)


@spec("optim.LBFGS")
def test_lbfgs_step_needs_a_closure(check):
    def program(T, d):
        T.optim.LBFGS([T.zeros(1, device=d, requires_grad=True)]).step()
        return True
    check(program)


# -- the document's training loop ---------------------------------------------------------------

def _linear_regression(T, d, data, target, w0, b0, steps, scheduler=None):
    class LinearModel(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = T.nn.Parameter(T.tensor(w0, device=d))
            self.bias = T.nn.Parameter(T.tensor(b0, device=d))

        def forward(self, x):
            return x.mm(self.weight) + self.bias

    lm = LinearModel()
    criterion = T.nn.MSELoss()
    optim = T.optim.SGD(lm.parameters(), lr=1e-3)
    sched = T.optim.lr_scheduler.StepLR(optim, 3, 0.5) if scheduler else None
    losses = []
    for _ in range(steps):
        loss = criterion(lm(data).squeeze(1), target)
        losses.append(loss.detach())
        optim.zero_grad()
        loss.backward()
        optim.step()
        if sched is not None:
            sched.step()
    return losses, lm.weight.detach(), lm.bias.detach()


@spec("optim.training-loop")
@given(seed=st.integers(0, 2**16), with_scheduler=st.booleans())
def test_linear_model_sgd_mse_training_loop_matches_torch(check, seed, with_scheduler):
    rng = np.random.default_rng(seed)
    data = (rng.random((506, 13)) * 10).astype(np.float32)
    target = rng.standard_normal(506).astype(np.float32)
    w0 = rng.standard_normal((13, 1)).astype(np.float32)
    b0 = rng.standard_normal(1).astype(np.float32)
    check(lambda T, d, x, y: _linear_regression(T, d, x, y, w0, b0, 10, with_scheduler),
          data, target)


@spec("optim.example.sgd-linear-regression")
def test_sgd_linear_regression_example_prints_the_same(check):
    import contextlib
    import io

    from conformance.specs import load_specs
    code = load_specs()["optim.example.sgd-linear-regression"].code

    def program(T, d):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<example>", "exec"), {"torch": T, "nn": T.nn})
        return out.getvalue()
    check(program)
