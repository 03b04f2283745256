"""torch.optim.lr_scheduler: the lr sequences of every scheduler over 200 epochs, the
order-of-calls warning, state_dict round trips, the deprecated epoch argument and
ReduceLROnPlateau's modes, against torch."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec

EPOCHS = 200


def _optimizer(T, d, name="SGD"):
    a = T.zeros(2, device=d, requires_grad=True)
    b = T.zeros(1, device=d, requires_grad=True)
    extra = {"momentum": 0.9} if name == "SGD" else {}
    return getattr(T.optim, name)([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1,
                                  **extra)


def _lr_sequence(T, d, make, epochs=EPOCHS, optimizer="SGD"):
    """get_last_lr() (and the cycled momentum or beta1) after each epoch; the state_dict."""
    opt = _optimizer(T, d, optimizer)
    sched = make(T.optim.lr_scheduler, opt)
    key = "momentum" if "momentum" in opt.defaults else "betas"
    seq = [(list(sched.get_last_lr()), opt.param_groups[0][key])]
    for _ in range(epochs):
        opt.step()
        sched.step()
        seq.append((list(sched.get_last_lr()), opt.param_groups[0][key]))
    state = {k: v for k, v in sched.state_dict().items() if not callable(v)}
    return seq, state


SCHEDULES = {
    "StepLR": st.builds(lambda s, g: lambda L, o: L.StepLR(o, s, g), st.integers(1, 30),
                        st.sampled_from([0.1, 0.5, 0.9])),
    "CosineAnnealingLR": st.builds(lambda t, e: lambda L, o: L.CosineAnnealingLR(o, t, e),
                                   st.integers(1, 60), st.sampled_from([0.0, 1e-3])),
    "MultiStepLR": st.builds(lambda m, g: lambda L, o: L.MultiStepLR(o, m, g),
                             st.lists(st.integers(1, 199), max_size=5),
                             st.sampled_from([0.1, 0.5])),
    "ExponentialLR": st.builds(lambda g: lambda L, o: L.ExponentialLR(o, g),
                               st.sampled_from([0.9, 0.99, 1.01])),
    "CosineAnnealingWarmRestarts": st.builds(
        lambda t0, tm, e: lambda L, o: L.CosineAnnealingWarmRestarts(o, t0, tm, e),
        st.integers(1, 30), st.integers(1, 3), st.sampled_from([0.0, 1e-3])),
    "LambdaLR": st.builds(lambda k: lambda L, o: L.LambdaLR(o, lambda e: 1 / (1 + k * e)),
                          st.sampled_from([0.01, 0.5])),
    "MultiplicativeLR": st.builds(lambda f: lambda L, o: L.MultiplicativeLR(o, lambda e: f),
                                  st.sampled_from([0.95, 0.999])),
    "LinearLR": st.builds(lambda s, e, n: lambda L, o: L.LinearLR(o, s, e, n),
                          st.sampled_from([1 / 3, 0.1, 1.0]), st.sampled_from([1.0, 0.5, 0.0]),
                          st.integers(1, 50)),
    "ConstantLR": st.builds(lambda f, n: lambda L, o: L.ConstantLR(o, f, n),
                            st.sampled_from([1 / 3, 0.5, 1.0]), st.integers(0, 50)),
    "PolynomialLR": st.builds(lambda n, p: lambda L, o: L.PolynomialLR(o, n, p),
                              st.integers(1, 250), st.sampled_from([1.0, 2.0, 0.5])),
    "OneCycleLR": st.builds(
        lambda m, pct, a, three: lambda L, o: L.OneCycleLR(
            o, m, total_steps=EPOCHS, pct_start=pct, anneal_strategy=a, three_phase=three),
        st.sampled_from([1.0, [1.0, 0.3]]), st.sampled_from([0.3, 0.1, 0.5]),
        st.sampled_from(["cos", "linear"]), st.booleans()),
    "CyclicLR": st.builds(
        lambda up, down, mode: lambda L, o: L.CyclicLR(o, 0.01, [0.1, 0.2], up, down, mode,
                                                       gamma=0.99),
        st.integers(1, 40), st.one_of(st.none(), st.integers(1, 40)),
        st.sampled_from(["triangular", "triangular2", "exp_range"])),
}
OPTIMIZERS = st.sampled_from(["SGD", "Adam"])


@spec("optim.lr_scheduler.StepLR")
@given(make=SCHEDULES["StepLR"], optimizer=OPTIMIZERS)
def test_StepLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.CosineAnnealingLR")
@given(make=SCHEDULES["CosineAnnealingLR"], optimizer=OPTIMIZERS)
def test_CosineAnnealingLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.schedules")
@given(make=SCHEDULES["MultiStepLR"], optimizer=OPTIMIZERS)
def test_MultiStepLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.schedules")
@given(make=SCHEDULES["ExponentialLR"], optimizer=OPTIMIZERS)
def test_ExponentialLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.schedules")
@given(make=SCHEDULES["CosineAnnealingWarmRestarts"], optimizer=OPTIMIZERS)
def test_CosineAnnealingWarmRestarts_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.schedules")
@given(make=SCHEDULES["LambdaLR"], optimizer=OPTIMIZERS)
def test_LambdaLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.schedules")
@given(make=SCHEDULES["MultiplicativeLR"], optimizer=OPTIMIZERS)
def test_MultiplicativeLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.schedules")
@given(make=SCHEDULES["LinearLR"], optimizer=OPTIMIZERS)
def test_LinearLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.schedules")
@given(make=SCHEDULES["ConstantLR"], optimizer=OPTIMIZERS)
def test_ConstantLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.schedules")
@given(make=SCHEDULES["PolynomialLR"], optimizer=OPTIMIZERS)
def test_PolynomialLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.schedules")
@given(make=SCHEDULES["OneCycleLR"], optimizer=OPTIMIZERS)
def test_OneCycleLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.schedules")
@given(make=SCHEDULES["CyclicLR"], optimizer=OPTIMIZERS)
def test_CyclicLR_lr_sequence_over_200_epochs(check, make, optimizer):
    check(lambda T, d: _lr_sequence(T, d, make, optimizer=optimizer))


@spec("optim.lr_scheduler.StepLR")
def test_steplr_documented_sequence(check):
    def program(T, d):
        opt = T.optim.SGD([T.zeros(1, device=d, requires_grad=True)], lr=0.1)
        sched = T.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
        out = [(sched.last_epoch, sched.get_last_lr())]
        for _ in range(7):
            opt.step()
            sched.step()
            out.append((sched.last_epoch, sched.get_last_lr()))
        return out
    check(program)


@spec("optim.lr_scheduler.CosineAnnealingLR")
def test_cosine_annealing_documented_sequence(check):
    def program(T, d):
        opt = T.optim.SGD([T.zeros(1, device=d, requires_grad=True)], lr=1.0)
        sched = T.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.1)
        out = []
        for _ in range(9):
            opt.step()
            sched.step()
            out.append(sched.get_last_lr()[0])
        return out
    check(program)


@spec("optim.lr_scheduler.submodule")
def test_schedulers_subclass_lrscheduler_and_write_group_lrs(check):
    def program(T, d):
        L = T.optim.lr_scheduler
        opt = T.optim.SGD([T.zeros(1, device=d, requires_grad=True)], lr=1.0)
        sched = L.StepLR(opt, 1, 0.5)
        opt.step()
        sched.step()
        return (issubclass(L.StepLR, L.LRScheduler), issubclass(L.CosineAnnealingLR,
                                                                 L.LRScheduler),
                opt.param_groups[0]["lr"], opt.param_groups[0]["initial_lr"])
    check(program)


@spec("optim.lr_scheduler.initial-lr")
@given(case=st.sampled_from(["fresh", "resume-without-initial-lr", "not-an-optimizer"]))
def test_initial_lr_and_constructor_errors(check, case):
    def program(T, d):
        opt = T.optim.SGD([T.zeros(1, device=d, requires_grad=True)], lr=0.3)
        if case == "fresh":
            sched = T.optim.lr_scheduler.StepLR(opt, 2)
            return opt.param_groups[0]["initial_lr"], sched.base_lrs, sched.last_epoch
        if case == "resume-without-initial-lr":
            T.optim.lr_scheduler.StepLR(opt, 2, last_epoch=3)
        T.optim.lr_scheduler.StepLR(object(), 2)
    check(program)


@spec("optim.lr_scheduler.step-order-warning")
@given(order=st.sampled_from(["scheduler-first", "optimizer-first", "no-optimizer-step"]))
def test_scheduler_before_optimizer_step_warns(check, order):
    def program(T, d):
        opt = T.optim.SGD([T.zeros(1, device=d, requires_grad=True)], lr=0.1)
        sched = T.optim.lr_scheduler.StepLR(opt, 1, 0.5)
        if order == "optimizer-first":
            opt.step()
        sched.step()
        if order == "scheduler-first":
            opt.step()
        return sched.get_last_lr()
    check(program, warnings=True)


@spec("optim.lr_scheduler.step-order-warning")
@given(order=st.sampled_from(["scheduler-first", "optimizer-first"]))
def test_step_order_warning_message(check, order):
    import warnings

    def program(T, d):
        opt = T.optim.SGD([T.zeros(1, device=d, requires_grad=True)], lr=0.1)
        sched = T.optim.lr_scheduler.ExponentialLR(opt, 0.5)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if order == "optimizer-first":
                opt.step()
            sched.step()
        return [str(w.message)[:60] for w in caught]
    check(program)


@spec("optim.lr_scheduler.state-dict")
@given(name=st.sampled_from(sorted(SCHEDULES)), data=st.data(), k=st.integers(0, 50))
def test_state_dict_round_trip_continues_the_sequence(check, name, data, k):
    make = data.draw(SCHEDULES[name])

    def program(T, d):
        opt = _optimizer(T, d)
        sched = make(T.optim.lr_scheduler, opt)
        for _ in range(k):
            opt.step()
            sched.step()
        saved = sched.state_dict()
        opt2 = _optimizer(T, d)
        opt2.load_state_dict(opt.state_dict())
        sched2 = make(T.optim.lr_scheduler, opt2)
        sched2.load_state_dict(saved)
        out = []
        for _ in range(20):
            opt2.step()
            sched2.step()
            out.append(sched2.get_last_lr())
        return sorted(k for k, v in saved.items() if not callable(v)), out
    check(program)


@spec("optim.lr_scheduler.epoch-argument")
@given(epochs=st.lists(st.integers(0, 40), min_size=1, max_size=6),
       name=st.sampled_from(["StepLR", "MultiStepLR", "CosineAnnealingLR", "ExponentialLR"]))
def test_step_with_epoch_uses_closed_form_and_warns(check, epochs, name):
    def program(T, d):
        L = T.optim.lr_scheduler
        opt = T.optim.SGD([T.zeros(1, device=d, requires_grad=True)], lr=0.1)
        sched = {"StepLR": lambda: L.StepLR(opt, 4, 0.5),
                 "MultiStepLR": lambda: L.MultiStepLR(opt, [3, 9], 0.5),
                 "CosineAnnealingLR": lambda: L.CosineAnnealingLR(opt, 10, 0.01),
                 "ExponentialLR": lambda: L.ExponentialLR(opt, 0.9)}[name]()
        out = []
        for e in epochs:
            opt.step()
            sched.step(e)
            out.append(sched.get_last_lr())
        return out
    check(program, warnings=True)


@spec("optim.lr_scheduler.composition")
@given(first=st.sampled_from([0.5, 0.1]), milestone=st.integers(1, 30),
       chained=st.booleans())
def test_sequential_and_chained_schedulers(check, first, milestone, chained):
    def make(L, o):
        parts = [L.ConstantLR(o, first, 7), L.ExponentialLR(o, 0.95)]
        return L.ChainedScheduler(parts) if chained else L.SequentialLR(o, parts, [milestone])
    check(lambda T, d: _lr_sequence(T, d, make, epochs=60))


@spec("optim.lr_scheduler.composition")
@given(case=st.sampled_from(["milestones", "plateau", "empty"]))
def test_composition_errors(check, case):
    def program(T, d):
        L = T.optim.lr_scheduler
        opt = T.optim.SGD([T.zeros(1, device=d, requires_grad=True)], lr=0.1)
        if case == "milestones":
            L.SequentialLR(opt, [L.ExponentialLR(opt, 0.9), L.ExponentialLR(opt, 0.5)], [])
        elif case == "plateau":
            L.ChainedScheduler([L.ReduceLROnPlateau(opt)])
        else:
            L.SequentialLR(opt, [], [])
    check(program)


@spec("optim.lr_scheduler.ReduceLROnPlateau")
@given(mode=st.sampled_from(["min", "max"]), threshold_mode=st.sampled_from(["rel", "abs"]),
       patience=st.integers(0, 5), cooldown=st.integers(0, 3),
       min_lr=st.sampled_from([0, 1e-3, [1e-3, 0.02]]),
       metrics=st.lists(st.sampled_from([1.0, 0.9, 0.99995, 1.1, 0.5, 2.0]), min_size=1,
                        max_size=60))
def test_reduce_lr_on_plateau(check, mode, threshold_mode, patience, cooldown, min_lr, metrics):
    def program(T, d):
        opt = _optimizer(T, d)
        sched = T.optim.lr_scheduler.ReduceLROnPlateau(
            opt, mode=mode, factor=0.5, patience=patience, threshold_mode=threshold_mode,
            cooldown=cooldown, min_lr=min_lr)
        out = []
        for m in metrics:
            opt.step()
            sched.step(m)
            out.append((sched.get_last_lr(), sched.num_bad_epochs, sched.cooldown_counter))
        return out, sched.state_dict()
    check(program)


@spec("optim.lr_scheduler.ReduceLROnPlateau")
@given(case=st.sampled_from([{"factor": 1.0}, {"mode": "mean"}, {"threshold_mode": "x"},
                             {"min_lr": [0.1]}]))
def test_reduce_lr_on_plateau_errors(check, case):
    def program(T, d):
        T.optim.lr_scheduler.ReduceLROnPlateau(_optimizer(T, d), **case)
    check(program)


@spec("optim.lr_scheduler.training-loop")
@given(seed=st.integers(0, 2**16), step_size=st.integers(1, 4))
def test_training_loop_with_steplr(check, seed, step_size):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((16, 3)).astype(np.float32)
    y = rng.standard_normal((16, 1)).astype(np.float32)
    w0 = rng.standard_normal((3, 1)).astype(np.float32)

    def program(T, d, x, y):
        w = T.tensor(w0.copy(), device=d, requires_grad=True)
        opt = T.optim.SGD([w], lr=0.05, momentum=0.5)
        sched = T.optim.lr_scheduler.StepLR(opt, step_size, 0.5)
        losses = []
        for _ in range(10):
            opt.zero_grad()
            r = x.mm(w) - y
            loss = (r * r).sum()
            loss.backward()
            opt.step()
            sched.step()
            losses.append(loss.detach())
        return losses, w.detach(), sched.get_last_lr()
    check(program, x, y)
