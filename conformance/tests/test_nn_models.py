"""The documents' kinds of models on both sides: LeNet-style CNN, a residual block with
BatchNorm, an LSTM language-model step; outputs and parameter gradients agree."""

from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import spec
from conformance.strategies import tensors


def _models(T):
    nn, F = T.nn, T.nn.functional

    class LeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.conv2 = nn.Conv2d(1, 3, 3), nn.Conv2d(3, 4, 3, padding=1)
            self.pool = nn.MaxPool2d(2)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            return F.adaptive_avg_pool2d(F.relu(self.conv2(x)), 1)

    class ResBlock(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 1, 3, padding=1, bias=False)
            self.bn = nn.BatchNorm2d(1)

        def forward(self, x):
            return F.relu(self.bn(self.conv(x)) + x)

    class LanguageModelStep(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(6, 5, batch_first=True)

        def forward(self, x):
            out, (h, c) = self.lstm(x.reshape(2, 3, 6))
            return out

    return LeNet, ResBlock, LanguageModelStep


@spec("nn.layers.models")
@settings(max_examples=5)
@given(data=st.data(), which=st.integers(0, 2))
def test_models_outputs_and_gradients(check, data, which):
    x = data.draw(tensors(dtype="float64", shape=(2, 1, 6, 6), special=False,
                          requires_grad=True, min_value=-2, max_value=2))

    def program(T, d, x):
        T.manual_seed(0)
        m = _models(T)[which]().double()
        y = m(x)
        (y * y).sum().backward()
        return y, {n: p.grad for n, p in m.named_parameters()}, list(m.state_dict())
    check(program, x, grad=True)
