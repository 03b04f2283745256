"""Normalization against torch: batch/layer/group/instance norm, buffers, F.normalize."""

from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import FLOAT_DTYPES, tensors

floats = st.sampled_from(FLOAT_DTYPES)
SMALL = {"special": False, "min_value": -2, "max_value": 2}  # finite, sums stay moderate


@spec("nn.BatchNorm", "nn.layers.BatchNorm.buffers")
@given(data=st.data(), momentum=st.sampled_from([0.1, None]), affine=st.booleans(),
       track=st.booleans())
def test_batchnorm_train_eval_buffers_grads(check, data, momentum, affine, track):
    x = data.draw(tensors(dtype="float64", shape=(3, 2, 2, 2), **SMALL,
                          requires_grad=True))

    def program(T, d, x):
        m = T.nn.BatchNorm2d(2, momentum=momentum, affine=affine,
                             track_running_stats=track).double()
        y1 = m(x)
        y2 = m(x * 2)
        m.eval()
        y3 = m(x)
        return y1, y2, y3, repr(m), {k: v for k, v in m.state_dict().items()}
    check(program, x, grad=True)


@spec("nn.BatchNorm")
@given(data=st.data())
def test_batchnorm_functional(check, data):
    x = data.draw(tensors(dtype="float64", shape=(4, 3), **SMALL, requires_grad=True))
    # weight contiguous: torch 2.13's CPU batch_norm backward gives wrong input gradients for
    # channels 1.. when the weight is expanded (stride 0); see nn.layers.BatchNorm.strided-weight
    w = data.draw(tensors(dtype="float64", shape=(3,), **SMALL, requires_grad=True,
                          layouts=("contiguous",)))
    check(lambda T, d, x, w: T.nn.functional.batch_norm(x, None, None, w, None, True),
          x, w, grad=True, autograd=True)


@spec("nn.layers.BatchNorm.strided-weight")
@given(data=st.data())
def test_batchnorm_functional_any_weight_layout(check, data):
    # the input does not require grad: torch's input gradient is wrong for a stride-0 weight
    # (the clause's errata); output and weight gradient are right for every layout
    x = data.draw(tensors(dtype="float64", shape=(4, 3), **SMALL))
    w = data.draw(tensors(dtype="float64", shape=(3,), **SMALL, requires_grad=True))
    check(lambda T, d, x, w: T.nn.functional.batch_norm(x, None, None, w, None, True),
          x, w, grad=True)


@spec("nn.layers.LayerNorm-GroupNorm-InstanceNorm")
@given(data=st.data())
def test_layer_group_instance_norm(check, data):
    # float64: float32 gradients of near-constant groups amplify rounding (1/std)
    dtype = "float64"
    x = data.draw(tensors(dtype=dtype, shape=(2, 4, 3), **SMALL, requires_grad=True))
    w = data.draw(tensors(dtype=dtype, shape=(4,), **SMALL, requires_grad=True))
    b = data.draw(tensors(dtype=dtype, shape=(4,), **SMALL, requires_grad=True))

    def program(T, d, x, w, b):
        F = T.nn.functional
        return (F.layer_norm(x, (4, 3)), F.group_norm(x, 2, w, b),
                F.instance_norm(x, weight=w, bias=b))
    check(program, x, w, b, grad=True)


@spec("nn.layers.LayerNorm-GroupNorm-InstanceNorm")
@given(data=st.data())
def test_norm_modules_state(check, data):
    x = data.draw(tensors(dtype="float64", shape=(2, 4, 3), **SMALL))

    def program(T, d, x):
        nn = T.nn
        mods = [nn.LayerNorm(3), nn.LayerNorm((4, 3), elementwise_affine=False),
                nn.GroupNorm(2, 4), nn.InstanceNorm1d(4, affine=True, track_running_stats=True)]
        outs = [m.double()(x) for m in mods]
        return outs, [repr(m) for m in mods], [dict(m.state_dict()) for m in mods]
    check(program, x)


@spec("nn.BatchNorm")
@given(case=st.integers(0, 3))
def test_norm_errors(check, case):
    def program(T, d):
        F, nn = T.nn.functional, T.nn
        x = T.zeros(2, 3, 5, 5)
        return [lambda: F.batch_norm(x, T.zeros(4), T.ones(4)),
                lambda: F.batch_norm(T.zeros(1, 3), None, None, training=True),
                lambda: F.layer_norm(x, (4,)), lambda: nn.BatchNorm2d(3)(T.zeros(2, 3, 4))][case]()
    check(program)


@spec("nn.functional.layers.normalize")
@given(data=st.data(), p=st.sampled_from([1.0, 2.0, 3.0, float("inf")]), dim=st.integers(-2, 1))
def test_normalize(check, data, p, dim):
    # gradients in float64 only: with tiny inputs (|x| ~ 1e-7) the gradient is a difference of
    # two ~1e7 terms, and float32 rounding alone decides between 0 and 1 there
    dtype = data.draw(floats)
    x = data.draw(tensors(dtype=dtype, shape=(3, 4), **SMALL,
                          requires_grad=dtype == "float64"))
    check(lambda T, d, x: T.nn.functional.normalize(x, p, dim), x, grad=dtype == "float64")
