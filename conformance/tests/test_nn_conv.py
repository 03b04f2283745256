"""Convolution against torch: F.convNd / conv_transposeNd, Conv modules, unfold/fold."""

from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import FLOAT_DTYPES, tensors

floats = st.sampled_from(FLOAT_DTYPES)
SMALL = {"special": False, "min_value": -2, "max_value": 2}  # finite, sums stay moderate


def _grads(T, m, y):
    (y * y).sum().backward()
    return [p.grad for p in m.parameters()]


@spec("nn.functional.convolution", "nn.ConvNd.groups-dilation-stride")
@given(data=st.data(), nd=st.integers(1, 3), groups=st.sampled_from([1, 2]),
       stride=st.integers(1, 2), dilation=st.integers(1, 2), padding=st.integers(0, 1))
def test_conv_values_and_gradients(check, data, nd, groups, stride, dilation, padding):
    dtype = data.draw(floats)
    x = data.draw(tensors(dtype=dtype, shape=(2, 2 * groups) + (4,) * nd, **SMALL,
                          requires_grad=True, layouts=("contiguous", "transposed")))
    w = data.draw(tensors(dtype=dtype, shape=(2 * groups, 2) + (2,) * nd, **SMALL,
                          requires_grad=True, layouts=("contiguous",)))
    b = data.draw(tensors(dtype=dtype, shape=(2 * groups,), **SMALL, requires_grad=True,
                          layouts=("contiguous",)))
    check(lambda T, d, x, w, b: getattr(T.nn.functional, f"conv{nd}d")(
        x, w, b, stride, padding, dilation, groups), x, w, b, grad=True, autograd=True)


@spec("nn.functional.convolution", "nn.layers.ConvTranspose")
@given(data=st.data(), nd=st.integers(1, 3), stride=st.integers(1, 2),
       padding=st.integers(0, 1))
def test_conv_transpose_values_and_gradients(check, data, nd, stride, padding):
    dtype = data.draw(floats)
    x = data.draw(tensors(dtype=dtype, shape=(1, 2) + (3,) * nd, **SMALL,
                          requires_grad=True, layouts=("contiguous",)))
    w = data.draw(tensors(dtype=dtype, shape=(2, 3) + (2,) * nd, **SMALL,
                          requires_grad=True, layouts=("contiguous",)))
    out_pad = stride - 1
    check(lambda T, d, x, w: getattr(T.nn.functional, f"conv_transpose{nd}d")(
        x, w, None, stride, padding, out_pad), x, w, grad=True)


@spec("nn.ConvNd", "nn.ConvNd.padding-modes", "nn.ConvNd.calls-functional")
@given(data=st.data(), mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]),
       padding=st.sampled_from([1, "same", "valid", (1, 0)]))
def test_conv2d_module_padding_modes_repr_and_parameter_grads(check, data, mode, padding):
    x = data.draw(tensors(dtype="float64", shape=(2, 2, 4, 5), **SMALL,
                          requires_grad=True, layouts=("contiguous",)))

    def program(T, d, x):
        T.manual_seed(0)
        m = T.nn.Conv2d(2, 3, (3, 2), padding=padding, padding_mode=mode).double()
        y = m(x)
        return y, repr(m), list(m.state_dict()), _grads(T, m, y)
    check(program, x, grad=True)


@spec("nn.layers.ConvTranspose")
@given(data=st.data())
def test_conv_transpose_module_output_size(check, data):
    x = data.draw(tensors(dtype="float32", shape=(1, 2, 3, 3), **SMALL,
                          layouts=("contiguous",)))

    def program(T, d, x):
        T.manual_seed(1)
        m = T.nn.ConvTranspose2d(2, 3, 3, stride=2)
        return m(x, output_size=(8, 7)), repr(m)
    check(program, x)


@spec("nn.ConvNd.errors")
@given(case=st.integers(0, 6))
def test_conv_errors(check, case):
    def program(T, d):
        F = T.nn.functional
        x = T.zeros(2, 3, 5, 5)
        return [lambda: F.conv2d(x, T.zeros(4, 2, 3, 3)),
                lambda: F.conv2d(x, T.zeros(4, 3, 7, 7)),
                lambda: F.conv2d(x.select(0, 0).select(0, 0), T.zeros(4, 3, 3, 3)),
                lambda: F.conv2d(x, T.zeros(4, 3, 3, 3), stride=0),
                lambda: F.conv2d(x, T.zeros(4, 3, 3, 3), padding="same", stride=2),
                lambda: T.nn.Conv2d(3, 4, 3, groups=2),
                lambda: T.nn.Conv2d(3, 4, 3, padding_mode="foo")][case]()
    check(program)


@spec("nn.functional.layers.unfold-fold")
@given(data=st.data(), stride=st.integers(1, 2), padding=st.integers(0, 1))
def test_unfold_fold(check, data, stride, padding):
    x = data.draw(tensors(dtype=data.draw(floats), shape=(1, 2, 4, 5), **SMALL,
                          requires_grad=True))

    def program(T, d, x):
        F = T.nn.functional
        cols = F.unfold(x, (2, 3), padding=padding, stride=stride)
        return cols, F.fold(cols, (4, 5), (2, 3), padding=padding, stride=stride)
    check(program, x, grad=True, autograd=True)


@spec("nn.ConvNd.errors")
@given(case=st.integers(0, 3))
def test_conv_module_bad_shapes(check, case):
    # wrong channel count, wrong rank, kernel larger than the padded input: RuntimeError
    def program(T, d):
        nn = T.nn
        return [lambda: nn.Conv2d(3, 4, 3)(T.zeros(2, 2, 5, 5)),
                lambda: nn.Conv2d(3, 4, 3)(T.zeros(2, 3, 5)),
                lambda: nn.Conv2d(3, 4, 7)(T.zeros(1, 3, 5, 5)),
                lambda: nn.ConvTranspose2d(3, 4, 3)(T.zeros(1, 2, 4, 4))][case]()
    check(program)


@spec("nn.functional.convolution")
@given(data=st.data(), nd=st.integers(1, 3), transposed=st.booleans())
def test_conv_grad_fn_names(check, data, nd, transposed):
    # every convolution's grad_fn is ConvolutionBackward0 in torch 2.13
    x = data.draw(tensors(dtype="float32", shape=(1, 2) + (3,) * nd, **SMALL,
                          requires_grad=True, layouts=("contiguous",)))
    w = data.draw(tensors(dtype="float32", shape=(2, 2) + (2,) * nd, **SMALL,
                          requires_grad=True, layouts=("contiguous",)))
    name = f"conv_transpose{nd}d" if transposed else f"conv{nd}d"
    check(lambda T, d, x, w: getattr(T.nn.functional, name)(x, w), x, w, grad=True,
          autograd=True)


@spec("nn.layers.default-init")
@given(seed=st.integers(0, 2**16), which=st.integers(0, 4))
def test_default_init_is_torchs_after_manual_seed(check, seed, which):
    # reset_parameters draws kaiming_uniform_(a=sqrt(5)) for the weight then the bias bound
    # 1/sqrt(fan_in) (conv), or uniform +-1/sqrt(hidden_size) for every recurrent parameter,
    # in registration order: bit-identical to torch after the same manual_seed
    def program(T, d):
        T.manual_seed(seed)
        nn = T.nn
        m = [lambda: nn.Conv1d(2, 3, 3), lambda: nn.Conv2d(2, 4, (2, 3), groups=2),
             lambda: nn.ConvTranspose2d(2, 3, 2), lambda: nn.LSTM(3, 4, num_layers=2),
             lambda: nn.GRUCell(2, 3)][which]()
        return dict(m.state_dict())
    check(program, exact=True)
