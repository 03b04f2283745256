"""Losses: module and functional forms, reductions, weights, ignore_index, label smoothing,
values, gradients (input and target), grad_fn names and errors, against torch."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.check import TensorInput
from conformance.strategies import tensors

REDUCTIONS = st.sampled_from(["none", "mean", "sum"])
FLOATS = st.sampled_from(["float32", "float64"])


def _x(shape, lo=-5, hi=5, dtype="float32", requires_grad=True):
    return tensors(dtype=dtype, shape=shape, layouts=("contiguous", "transposed"),
                   special=False, min_value=lo, max_value=hi, requires_grad=requires_grad)


def _classes(n, c, ignore=False):
    values = st.integers(0, c - 1) if not ignore else st.integers(-1, c - 1)
    return st.lists(values, min_size=n, max_size=n).map(
        lambda v: TensorInput(np.array(v, dtype=np.int64)))


# module name, functional name, input range, target range, extra options
POINTWISE = [
    ("MSELoss", "mse_loss", (-5, 5), (-5, 5), {}),
    ("L1Loss", "l1_loss", (-5, 5), (-5, 5), {}),
    ("HuberLoss", "huber_loss", (-5, 5), (-5, 5), {"delta": 0.7}),
    ("SmoothL1Loss", "smooth_l1_loss", (-5, 5), (-5, 5), {"beta": 0.5}),
    ("SmoothL1Loss", "smooth_l1_loss", (-5, 5), (-5, 5), {"beta": 0.0}),
    ("BCELoss", "binary_cross_entropy", (0.0625, 0.9375), (0, 1), {}),
    ("BCEWithLogitsLoss", "binary_cross_entropy_with_logits", (-20, 20), (0, 1), {}),
    ("KLDivLoss", "kl_div", (-5, 0), (0.0625, 1), {}),
    ("KLDivLoss", "kl_div", (-5, 0), (-5, 0), {"log_target": True}),
    ("SoftMarginLoss", "soft_margin_loss", (-5, 5), (-1, 1), {}),
    ("PoissonNLLLoss", "poisson_nll_loss", (-3, 3), (0, 5), {}),
    ("PoissonNLLLoss", "poisson_nll_loss", (0.125, 5), (0, 5), {"log_input": False,
                                                              "full": True}),
]


@spec("nn.functional.loss")
@given(which=st.sampled_from(POINTWISE), reduction=REDUCTIONS, dtype=FLOATS, data=st.data())
def test_pointwise_losses_module_and_functional(check, which, reduction, dtype, data):
    module, func, (ilo, ihi), (tlo, thi), opts = which
    shape = data.draw(st.sampled_from([(3,), (2, 4), (2, 3, 2)]))
    x = data.draw(_x(shape, ilo, ihi, dtype))
    grad_target = module not in ("BCELoss", "SoftMarginLoss", "PoissonNLLLoss")
    t = data.draw(_x(shape, tlo, thi, dtype, requires_grad=grad_target))

    def fn(T, d, x, t):
        with_module = getattr(T.nn, module)(reduction=reduction, **opts)(x, t)
        return with_module, getattr(T.nn.functional, func)(x, t, reduction=reduction, **opts)
    check(fn, x, t, grad=True, autograd=True)


@spec("nn.loss.two-forms")
@given(reduction=REDUCTIONS, data=st.data())
def test_loss_modules_equal_functional(check, reduction, data):
    x = data.draw(_x((4, 3)))
    y = data.draw(_x((4, 3), 0, 1, requires_grad=False))
    t = data.draw(_classes(4, 3))

    def fn(T, d, x, y, t):
        nn, F = T.nn, T.nn.functional
        p = T.sigmoid(x)
        pairs = [(nn.MSELoss(reduction=reduction)(x, y), F.mse_loss(x, y, reduction=reduction)),
                 (nn.BCELoss(reduction=reduction)(p, y),
                  F.binary_cross_entropy(p, y, reduction=reduction)),
                 (nn.BCEWithLogitsLoss(reduction=reduction)(x, y),
                  F.binary_cross_entropy_with_logits(x, y, reduction=reduction)),
                 (nn.NLLLoss(reduction=reduction)(x, t), F.nll_loss(x, t, reduction=reduction)),
                 (nn.CrossEntropyLoss(reduction=reduction)(x, t),
                  F.cross_entropy(x, t, reduction=reduction))]
        return pairs, [len(list(m.parameters())) for m in (nn.MSELoss(), nn.NLLLoss())]
    check(fn, x, y, t, grad=True, autograd=True)


@spec("nn.loss.scalar-output")
@given(dtype=FLOATS, data=st.data())
def test_default_reduction_is_a_scalar(check, dtype, data):
    x = data.draw(_x((4, 3), dtype=dtype))
    t = data.draw(_classes(4, 3))

    def fn(T, d, x, t):
        nn = T.nn
        y = (x.detach() > 0).to(x.dtype)
        losses = [nn.MSELoss()(x, y), nn.BCELoss()(T.sigmoid(x), y),
                  nn.BCEWithLogitsLoss()(x, y), nn.NLLLoss()(x, t), nn.CrossEntropyLoss()(x, t)]
        total = losses[0] + losses[4]
        total.backward()
        return [(loss.shape, loss.dtype) for loss in losses], losses
    check(fn, x, t)


@spec("nn.loss.reduction")
@given(reduction=REDUCTIONS, data=st.data())
def test_sum_and_none_reductions(check, reduction, data):
    x = data.draw(_x((5, 4)))
    t = data.draw(_classes(5, 4))

    def fn(T, d, x, t):
        nn = T.nn
        y = (x.detach() > 0).to(x.dtype)
        return [nn.MSELoss(reduction=reduction)(x, y),
                nn.BCEWithLogitsLoss(reduction=reduction)(x, y),
                nn.CrossEntropyLoss(reduction=reduction)(x, t)]
    check(fn, x, t, grad=True)


@spec("nn.loss.reduction-mean-default")
@given(data=st.data())
def test_mean_is_default_and_weighted_mean(check, data):
    x = data.draw(_x((6, 3)))
    t = data.draw(_classes(6, 3))

    def fn(T, d, x, t):
        nn = T.nn
        w = T.tensor([0.2, 1.0, 3.0])
        crit = nn.CrossEntropyLoss(weight=w)
        none = nn.CrossEntropyLoss(weight=w, reduction="none")(x, t)
        return (crit.reduction, nn.MSELoss().reduction, crit(x, t), none.sum() / w[t].sum(),
                list(crit.state_dict()))
    check(fn, x, t, grad=True)


@spec("nn.loss.reduction-errors")
@given(case=st.sampled_from(["bad", "size_average", "reduce", "both"]))
def test_reduction_errors_and_legacy_arguments(check, case):
    def fn(T, d):
        nn = T.nn
        x, y = T.arange(4.0), T.ones(4)
        if case == "bad":
            return nn.MSELoss(reduction="foo")(x, y)
        if case == "size_average":
            m = nn.MSELoss(size_average=False)
        elif case == "reduce":
            m = nn.MSELoss(reduce=False)
        else:
            m = nn.MSELoss(size_average=True, reduce=True)
        return m.reduction, m(x, y)
    check(fn, warnings=True)


@spec("nn.MSELoss")
@given(x=_x((3, 4)), t=_x((3, 4)))
def test_mse_loss_value_gradient_and_node(check, x, t):
    check(lambda T, d, x, t: T.nn.MSELoss()(x, t), x, t, grad=True, autograd=True)


@spec("nn.MSELoss.broadcast")
@given(case=st.sampled_from(["broadcast", "mismatch"]))
def test_mse_loss_broadcast_warns(check, case):
    def fn(T, d):
        x = T.arange(3.0, requires_grad=True)
        t = T.ones(3, 1) if case == "broadcast" else T.ones(4)
        return T.nn.MSELoss()(x, t)
    check(fn, warnings=True)


@spec("nn.BCELoss")
@given(case=st.sampled_from(["clamp", "out-of-range", "int-target", "shape"]))
def test_bce_loss_clamp_and_errors(check, case):
    def fn(T, d):
        p = T.tensor([0.0, 1.0, 0.5], requires_grad=True)
        if case == "clamp":
            loss = T.nn.BCELoss(reduction="none")(p, T.tensor([1.0, 0.0, 1.0]))
            return loss
        if case == "out-of-range":
            return T.nn.BCELoss()(T.tensor([1.5]), T.tensor([1.0]))
        if case == "int-target":
            return T.nn.BCELoss()(p, T.tensor([1, 0, 1]))
        return T.nn.BCELoss()(p, T.ones(3, 1))
    check(fn)


@spec("nn.BCELoss.weight")
@given(x=_x((4, 3), 0.0625, 0.9375), t=_x((4, 3), 0, 1, requires_grad=False), reduction=REDUCTIONS)
def test_bce_loss_weight(check, x, t, reduction):
    def fn(T, d, x, t):
        return T.nn.BCELoss(weight=T.tensor([0.5, 2.0, 1.0]), reduction=reduction)(x, t)
    check(fn, x, t, grad=True)


@spec("nn.BCEWithLogitsLoss")
@given(x=_x((4, 3)), t=_x((4, 3), 0, 1, requires_grad=False))
def test_bce_with_logits_equals_bce_of_sigmoid(check, x, t):
    def fn(T, d, x, t):
        return T.nn.BCEWithLogitsLoss()(x, t), T.nn.BCELoss()(T.sigmoid(x), t)
    check(fn, x, t, grad=True, autograd=True)


@spec("nn.BCEWithLogitsLoss.stable")
@given(big=st.sampled_from([200.0, 1e4]))
def test_bce_with_logits_is_stable(check, big):
    def fn(T, d):
        x = T.tensor([-big, big, 0.0], requires_grad=True)
        y = T.tensor([1.0, 0.0, 1.0])
        loss = T.nn.BCEWithLogitsLoss(reduction="none")(x, y)
        loss.sum().backward()
        return loss, x.grad, T.nn.BCELoss(reduction="none")(T.sigmoid(x.detach()), y)
    check(fn)


@spec("nn.BCEWithLogitsLoss.pos-weight")
@given(x=_x((4, 3)), t=_x((4, 3), 0, 1), reduction=REDUCTIONS, weighted=st.booleans())
def test_bce_with_logits_pos_weight(check, x, t, reduction, weighted):
    def fn(T, d, x, t):
        w = T.tensor([1.0, 0.5, 2.0]) if weighted else None
        crit = T.nn.BCEWithLogitsLoss(weight=w, pos_weight=T.tensor([3.0, 1.0, 0.2]),
                                      reduction=reduction)
        return crit(x, t), list(crit.state_dict())
    check(fn, x, t, grad=True)


@spec("nn.NLLLoss")
@given(one_hot=st.booleans(), data=st.data())
def test_nll_loss_picks_target_log_probabilities(check, one_hot, data):
    x = data.draw(_x((5, 4)))
    t = data.draw(_classes(5, 4))

    def fn(T, d, x, t):
        if one_hot:  # a one-hot float target is not accepted
            return T.nn.NLLLoss()(x, T.zeros(5, 4))
        return T.nn.NLLLoss()(x, t), T.nn.NLLLoss(reduction="sum")(x, t) / 5
    check(fn, x, t, grad=True, autograd=True)


@spec("nn.NLLLoss.needs-log-softmax")
@given(data=st.data())
def test_nll_of_log_softmax_is_cross_entropy(check, data):
    x = data.draw(_x((5, 4)))
    t = data.draw(_classes(5, 4))

    def fn(T, d, x, t):
        F = T.nn.functional
        return (T.nn.NLLLoss()(x, t), T.nn.NLLLoss()(F.log_softmax(x, 1), t),
                F.cross_entropy(x, t))
    check(fn, x, t, grad=True)


@spec("nn.NLLLoss.name")
def test_nlloss_misspelling_does_not_exist(check):
    check(lambda T, d: T.nn.NLLoss)


@spec("nn.NLLLoss.options")
@given(reduction=REDUCTIONS, weighted=st.booleans(), kdim=st.booleans(), data=st.data())
def test_nll_loss_weight_ignore_index_kdim(check, reduction, weighted, kdim, data):
    x = data.draw(_x((3, 4, 2) if kdim else (6, 4)))
    t = data.draw(st.lists(st.integers(-1, 3), min_size=6, max_size=6).map(
        lambda v: TensorInput(np.array(v, dtype=np.int64).reshape((3, 2) if kdim else (6,)))))

    def fn(T, d, x, t):
        w = T.tensor([0.3, 1.0, 2.0, 0.5]) if weighted else None
        return T.nn.NLLLoss(weight=w, ignore_index=-1, reduction=reduction)(x, t)
    check(fn, x, t, grad=True)


@spec("nn.NLLLoss.errors")
@given(case=st.sampled_from(["bounds", "int32", "float-target", "batch", "unbatched",
                             "unbatched-bad", "kdim-shape"]))
def test_nll_loss_errors(check, case):
    def fn(T, d):
        x = T.zeros(3, 4)
        F = T.nn.functional
        if case == "bounds":
            return F.nll_loss(x, T.tensor([0, 4, 1]))
        if case == "int32":
            return F.nll_loss(x, T.tensor([0, 1, 1], dtype=T.int32))
        if case == "float-target":
            return F.nll_loss(x, T.zeros(3, 4))
        if case == "batch":
            return F.nll_loss(x, T.tensor([0, 1]))
        if case == "unbatched":
            return F.nll_loss(T.arange(4.0), T.tensor(2))
        if case == "unbatched-bad":
            return F.nll_loss(T.arange(4.0), T.tensor([1, 2]))
        return F.nll_loss(T.zeros(2, 3, 4), T.zeros(2, 3, dtype=T.int64))
    check(fn)


@spec("nn.CrossEntropyLoss")
@given(big=st.booleans(), data=st.data())
def test_cross_entropy_equals_nll_of_log_softmax(check, big, data):
    x = data.draw(_x((5, 4), -1e4 if big else -5, 1e4 if big else 5))
    t = data.draw(_classes(5, 4))

    def fn(T, d, x, t):
        F = T.nn.functional
        return T.nn.CrossEntropyLoss()(x, t), T.nn.NLLLoss()(F.log_softmax(x, 1), t)
    check(fn, x, t, grad=True, autograd=True)


@spec("nn.CrossEntropyLoss.in-torch-nn")
def test_loss_classes_are_keyword_configured(check):
    def fn(T, d):
        ce = T.nn.CrossEntropyLoss(ignore_index=2, label_smoothing=0.1)
        return (repr(T.nn.MSELoss()), repr(ce), ce.ignore_index, ce.label_smoothing,
                ce.reduction, ce.weight)
    check(fn)


@spec("nn.CrossEntropyLoss.options")
@given(reduction=REDUCTIONS, weighted=st.booleans(), smoothing=st.sampled_from([0.0, 0.2]),
       target=st.sampled_from(["index", "ignore", "probs", "kdim", "unbatched"]),
       data=st.data())
def test_cross_entropy_options(check, reduction, weighted, smoothing, target, data):
    shape = {"kdim": (2, 3, 2), "unbatched": (3,)}.get(target, (4, 3))
    x = data.draw(_x(shape))
    if target == "probs":
        t = data.draw(_x(shape, 0, 1))
    elif target == "kdim":
        t = data.draw(st.lists(st.integers(0, 2), min_size=4, max_size=4).map(
            lambda v: TensorInput(np.array(v, dtype=np.int64).reshape(2, 2))))
    elif target == "unbatched":
        t = data.draw(st.integers(0, 2).map(lambda v: TensorInput(np.array(v, np.int64))))
    else:
        t = data.draw(_classes(4, 3, ignore=target == "ignore"))

    def fn(T, d, x, t):
        w = T.tensor([0.5, 1.0, 2.0]) if weighted else None
        return T.nn.CrossEntropyLoss(weight=w, ignore_index=-1, reduction=reduction,
                                     label_smoothing=smoothing)(x, t)
    check(fn, x, t, grad=True, autograd=True)
