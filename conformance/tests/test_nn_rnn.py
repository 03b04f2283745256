"""Recurrent layers against torch: RNN, LSTM, GRU and their cells (same manual_seed)."""

from hypothesis import given
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import FLOAT_DTYPES, tensors


def _run(T, m, x, h):
    out = m(x) if h is None else m(x, h)
    flat = [out[0], *out[1]] if isinstance(out[1], tuple) else list(out) \
        if isinstance(out, tuple) else [out]
    loss = sum((o * o).sum() for o in flat)
    loss.backward()
    return flat, {n: p.grad for n, p in m.named_parameters()}


@spec("nn.RNN", "nn.layers.LSTM-GRU")
@given(data=st.data(), kind=st.sampled_from(["RNN", "LSTM", "GRU"]),
       layers=st.integers(1, 2), bidirectional=st.booleans(), batch_first=st.booleans(),
       batched=st.booleans())
def test_recurrent_layers(check, data, kind, layers, bidirectional, batch_first, batched):
    dtype = data.draw(st.sampled_from(FLOAT_DTYPES))
    x = data.draw(tensors(dtype=dtype, shape=(2, 3, 3) if batched else (3, 3), special=False,
                          requires_grad=True, min_value=-2, max_value=2))

    def program(T, d, x):
        T.manual_seed(0)
        m = getattr(T.nn, kind)(3, 4, layers, batch_first=batch_first,
                                bidirectional=bidirectional)
        m = m.double() if x.dtype == T.float64 else m
        outs, grads = _run(T, m, x, None)
        return outs, grads, repr(m), [(k, tuple(v.shape)) for k, v in m.state_dict().items()]
    check(program, x, grad=True)


@spec("nn.RNNCell.relu", "nn.RNNCell.parameters", "nn.RNNCell.defaults", "nn.layers.LSTM-GRU")
@given(data=st.data(), kind=st.sampled_from(["RNNCell", "LSTMCell", "GRUCell"]),
       batched=st.booleans(), bias=st.booleans())
def test_cells(check, data, kind, batched, bias):
    x = data.draw(tensors(dtype="float64", shape=(2, 3) if batched else (3,), special=False,
                          requires_grad=True, min_value=-2, max_value=2))

    def program(T, d, x):
        T.manual_seed(0)
        kw = {"nonlinearity": "relu"} if kind == "RNNCell" else {}
        m = getattr(T.nn, kind)(3, 4, bias=bias, **kw).double()
        out = m(x)
        outs = list(out) if isinstance(out, tuple) else [out]
        sum((o * o).sum() for o in outs).backward()
        return outs, {n: p.grad for n, p in m.named_parameters()}, repr(m)
    check(program, x, grad=True)


@spec("nn.RNN")
@given(case=st.integers(0, 2))
def test_rnn_errors(check, case):
    def program(T, d):
        nn = T.nn
        return [lambda: nn.LSTM(3, 4)(T.zeros(5, 2, 4)), lambda: nn.LSTM(3, 4)(T.zeros(2, 3, 4, 3)),
                lambda: nn.RNNCell(3, 4)(T.zeros(2, 4))][case]()
    check(program)


@spec("nn.utils.rnn.pad_sequence")
@given(data=st.data(), lengths=st.lists(st.integers(0, 4), min_size=1, max_size=3),
       batch_first=st.booleans(), side=st.sampled_from(["right", "left"]),
       value=st.sampled_from([0.0, -1.5]))
def test_pad_sequence(check, data, lengths, batch_first, side, value):
    seqs = [data.draw(tensors(dtype="float64", shape=(n, 2), requires_grad=True))
            for n in lengths]
    check(lambda T, d, *s: T.nn.utils.rnn.pad_sequence(list(s), batch_first, value, side),
          *seqs, grad=True)


@spec("nn.utils.rnn.pad_sequence")
@given(case=st.integers(0, 2))
def test_pad_sequence_errors(check, case):
    def program(T, d):
        pad = T.nn.utils.rnn.pad_sequence
        return [lambda: pad([T.ones(2, 3), T.ones(2, 4)]), lambda: pad([]),
                lambda: pad([T.ones(2)], padding_side="mid")][case]()
    check(program)
