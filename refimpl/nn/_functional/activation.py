"""nn.functional activations: elementwise nonlinearities, softmax and its relatives.

Each is one kernel call (refimpl/kernels/numpy_ref_loss.py, `act_<name>`) recorded under the
node name torch gives it (see refimpl/_refs/nnops.py). With `inplace=True` the result is
written back into `input` (Tensor.copy_), so the values and gradients are torch's; the node
name of an in-place call is CopyBackwards rather than torch's.
Specs: nn.functional.activations in specs/torch.nn.functional.toml.
"""

from ..._refs import nnops
from ..._refs.nnops import activation, glu, hardshrink, implicit_softmax_dim, log_softmax
from ..._refs.pointwise import relu as _relu
from ..._refs.pointwise import sigmoid, tanh

__all__ = ["relu", "relu_", "relu6", "elu", "elu_", "selu", "celu", "leaky_relu",
           "leaky_relu_", "prelu", "gelu", "silu", "mish", "softplus", "softsign", "tanh",
           "sigmoid", "hardtanh", "hardtanh_", "hardsigmoid", "hardswish", "logsigmoid",
           "tanhshrink", "softshrink", "hardshrink", "threshold", "threshold_", "softmax",
           "log_softmax", "softmin", "glu"]


def _inplace(input, result, inplace):
    if not inplace:
        return result
    input.copy_(result)
    return input


def relu(input, inplace=False):
    """max(input, 0). Spec nn.functional.relu."""
    return _inplace(input, _relu(input), inplace)


def relu_(input):
    return relu(input, inplace=True)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """input clamped to [min_val, max_val]; gradient 0 at and beyond the bounds."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    y = activation(input, "hardtanh", (("min_val", min_val), ("max_val", max_val)),
                   "HardtanhBackward0")
    return _inplace(input, y, inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    """min(max(input, 0), 6): hardtanh(input, 0, 6), as torch records it."""
    return hardtanh(input, 0.0, 6.0, inplace)


def elu(input, alpha=1.0, inplace=False):
    """input where positive, else alpha * (exp(input) - 1)."""
    y = activation(input, "elu", (("alpha", alpha), ("scale", 1.0), ("input_scale", 1.0)),
                   "EluBackward0")
    return _inplace(input, y, inplace)


def elu_(input, alpha=1.0):
    return elu(input, alpha, inplace=True)


def selu(input, inplace=False):
    """scale * elu(input, alpha) with torch's constants alpha ~ 1.6733, scale ~ 1.0507."""
    return _inplace(input, nnops.selu(input), inplace)


def celu(input, alpha=1.0, inplace=False):
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    return _inplace(input, nnops.celu(input, alpha), inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """input where positive, else negative_slope * input."""
    y = activation(input, "leaky_relu", (("negative_slope", negative_slope),),
                   "LeakyReluBackward0")
    return _inplace(input, y, inplace)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, inplace=True)


def prelu(input, weight):
    """input where positive, else weight * input (weight per channel, dim 1, or single)."""
    return nnops.prelu(input, weight)


def gelu(input, approximate="none"):
    """x * Phi(x) (Phi the standard normal CDF); approximate='tanh' uses
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return activation(input, "gelu", (("approximate", approximate),), "GeluBackward0")


def silu(input, inplace=False):
    """x * sigmoid(x)."""
    return _inplace(input, activation(input, "silu", (), "SiluBackward0"), inplace)


def mish(input, inplace=False):
    """x * tanh(softplus(x))."""
    return _inplace(input, activation(input, "mish", (), "MishBackward0"), inplace)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold."""
    return activation(input, "softplus", (("beta", beta), ("threshold", threshold)),
                      "SoftplusBackward0")


def softsign(input):
    """x / (1 + |x|); torch records its last step, a division (DivBackward0)."""
    return activation(input, "softsign", (), "DivBackward0")


def hardsigmoid(input, inplace=False):
    """0 below -3, 1 above 3, x / 6 + 1/2 between."""
    return _inplace(input, activation(input, "hardsigmoid", (), "HardsigmoidBackward0"),
                    inplace)


def hardswish(input, inplace=False):
    """x * hardsigmoid(x)."""
    return _inplace(input, activation(input, "hardswish", (), "HardswishBackward0"), inplace)


def logsigmoid(input):
    """log(sigmoid(x)), computed stably."""
    return activation(input, "logsigmoid", (), "LogSigmoidBackward0")


def tanhshrink(input):
    """x - tanh(x); torch records a subtraction (SubBackward0)."""
    return activation(input, "tanhshrink", (), "SubBackward0")


def softshrink(input, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    return activation(input, "softshrink", (("lambd", lambd),), "SoftshrinkBackward0")


def threshold(input, threshold, value, inplace=False):
    """input where input > threshold, else value."""
    return _inplace(input, nnops.threshold(input, threshold, value), inplace)


def threshold_(input, threshold, value):
    return _inplace(input, nnops.threshold(input, threshold, value), True)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x) / sum(exp(x)) along dim. Without dim, torch picks one (deprecated, warns).
    Spec nn.functional.softmax."""
    if dim is None:
        dim = implicit_softmax_dim("softmax", input.dim())
    return nnops.softmax(input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-input) along dim."""
    if dim is None:
        dim = implicit_softmax_dim("softmin", input.dim())
    return nnops.softmax(-input, dim, dtype)


_log_softmax = log_softmax


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):  # noqa: F811
    """log(softmax(x)) along dim, computed stably."""
    if dim is None:
        dim = implicit_softmax_dim("log_softmax", input.dim())
    return _log_softmax(input, dim, dtype)

