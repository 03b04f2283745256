"""torch.* and Tensor methods of the nnops family: activations, softmax and the loss
primitives that nn.functional builds on.

Each op computes in NumPy through the kernel table (refimpl/kernels/numpy_ref_loss.py) and
records one autograd node named as torch names it (EluBackward0, SoftmaxBackward0,
MseLossBackward0, NllLossBackward0, ...). The derivatives of activations and losses are
kernels too (one `*_grad` kernel beside each forward kernel), so they have no double
backward; softmax and log_softmax write theirs with refimpl ops, so create_graph works.
"""

import warnings

from .. import _dtype
from .._dispatch import op
from .._layout import broadcast_shapes
from .._tensor import Tensor, scalar_type_name, wrap_dim
from ..autograd.grad_mode import is_grad_enabled

__all__ = ["softmax", "log_softmax", "selu", "celu", "threshold", "prelu", "hardshrink"]


def _check_floating(name, input):
    """torch has no integer kernel for most activations: NotImplementedError."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{name}_cpu" not implemented for '
                                  f"'{scalar_type_name(input.dtype)}'")


# activations defined on integers too (they keep the dtype), and those whose integer input
# computes in the default float dtype, as in torch
_INTEGER_KERNELS = ("hardtanh", "threshold")
_INT_TO_FLOAT_KERNELS = ("softsign", "tanhshrink")
_BOOL_ERRORS = {
    "hardtanh": RuntimeError("Bool inputs not supported for hardtanh"),
    "tanhshrink": RuntimeError("Subtraction, the `-` operator, with a bool tensor is not "
                               "supported. If you are trying to invert a mask, use the `~` or "
                               "`logical_not()` operator instead."),
    "softsign": NotImplementedError("\"abs_cpu\" not implemented for 'Bool'"),
}


def _compute_array(xp, t):
    """t's values in its computation dtype (float16/bfloat16 compute in float32)."""
    return xp.astype(t._array, _dtype.opmath(t.dtype).np)


# -- activations ------------------------------------------------------------------------------


@op(tensors=("input",), method=False, grad_fn=lambda input, kernel, params, grad_fn: grad_fn)
def activation(xp, input, kernel, params, grad_fn):
    """An elementwise activation: kernel `act_<kernel>` with keyword `params` (a tuple of
    (name, value) pairs); `grad_fn` is the node name torch records."""
    dtype = input.dtype
    if dtype is _dtype.bool and kernel in _BOOL_ERRORS:
        raise _BOOL_ERRORS[kernel]
    if not dtype.is_floating_point:
        if kernel in _INT_TO_FLOAT_KERNELS:
            dtype = _dtype.get_default_dtype()
        elif kernel not in _INTEGER_KERNELS or dtype is _dtype.bool:
            _check_floating(kernel, input)
    x = xp.astype(input._array, _dtype.opmath(dtype).np)
    y = getattr(xp, "act_" + kernel)(x, **dict(params))
    return xp.astype(y, dtype.np), dtype


@op(tensors=("grad", "input"), method=False, name="activation_backward",
    grad_fn=lambda grad, input, kernel, params: kernel.capitalize() + "BackwardBackward0")
def _activation_grad(xp, grad, input, kernel, params):
    dx = getattr(xp, "act_" + kernel + "_grad")(_compute_array(xp, grad),
                                                _compute_array(xp, input), **dict(params))
    return xp.astype(dx, input.dtype.np), input.dtype


activation.defvjp(lambda grad, input, kernel, params: _activation_grad(grad, input, kernel,
                                                                       params))

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input):
    """torch.selu: scale * elu(input, alpha) with torch's fixed alpha and scale; grad_fn
    EluBackward0 as torch."""
    return activation(input, "elu", (("alpha", _SELU_ALPHA), ("scale", _SELU_SCALE),
                                     ("input_scale", 1.0)), "EluBackward0")


def celu(input, alpha=1.0):
    """torch.celu: max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    return activation(input, "elu", (("alpha", alpha), ("scale", 1.0),
                                     ("input_scale", 1.0 / alpha)), "CeluBackward0")


def threshold(input, threshold, value):
    """torch.threshold: input where input > threshold, else value."""
    return activation(input, "threshold", (("threshold", threshold), ("value", value)),
                      "ThresholdBackward0")


def hardshrink(input, lambd=0.5):
    """torch.hardshrink: 0 where |input| <= lambd, else input."""
    return activation(input, "hardshrink", (("lambd", lambd),), "HardshrinkBackward0")


Tensor.hardshrink = hardshrink


@op(grad_fn="PreluKernelBackward0")
def prelu(xp, input, weight):
    """torch.prelu: input where positive, else weight * input; weight has one element or one
    per channel (dim 1)."""
    _check_floating("prelu", input)
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got "
                           f"{scalar_type_name(input.dtype)} and {scalar_type_name(weight.dtype)}")
    channels = input.shape[1] if input.dim() >= 2 else 1
    if weight.numel() != 1 and weight.numel() != channels:
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                           f"parameter numbers = {weight.numel()} and channel size = "
                           f"{channels}.")
    return xp.prelu(input._array, weight._array), input.dtype


@op(tensors=("grad", "input", "weight"), method=False, name="prelu_backward")
def _prelu_grad(xp, grad, input, weight, which):
    return xp.prelu_grad(grad._array, input._array, weight._array)[which], input.dtype


prelu.defvjp(lambda grad, input, weight: _prelu_grad(grad, input, weight, 0),
             lambda grad, input, weight: _prelu_grad(grad, input, weight, 1))


@op(tensors=("input",), grad_fn="GluBackward0", method=False)
def glu(xp, input, dim=-1):
    """nn.functional.glu: a * sigmoid(b), a and b the halves of input along dim."""
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = wrap_dim(dim, input.dim())
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size "
                           f"{input.shape[d]}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"glu_cpu" not implemented for '
                                  f"'{scalar_type_name(input.dtype)}'")
    return xp.glu(input._array, d), input.dtype


@op(tensors=("grad", "input"), method=False, name="glu_backward")
def _glu_grad(xp, grad, input, dim):
    return xp.glu_grad(grad._array, input._array, wrap_dim(dim, input.dim())), input.dtype


glu.defvjp(lambda grad, input, dim: _glu_grad(grad, input, dim))


# -- softmax ------------------------------------------------------------------------------------


def implicit_softmax_dim(name, ndim):
    """The dim softmax used when none was given (deprecated): 0 for 0-, 1- and 3-dim
    input, else 1."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  "to include dim=X as an argument.", UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def _softmax_op(kernel, grad_fn):
    def forward(xp, input, dim):
        if not input.dtype.is_floating_point:
            raise NotImplementedError(f'"{kernel}_lastdim_kernel_impl" not implemented for '
                                      f"'{scalar_type_name(input.dtype)}'")
        d = wrap_dim(dim, input.dim())
        y = getattr(xp, kernel)(_compute_array(xp, input), d if input.dim() else None)
        return xp.astype(y, input.dtype.np), input.dtype
    forward.__name__ = "_" + kernel
    return op(tensors=("input",), method=False, grad_fn=grad_fn)(forward)


_softmax = _softmax_op("softmax", "SoftmaxBackward0")
_log_softmax = _softmax_op("log_softmax", "LogSoftmaxBackward0")


def _softmax_vjp(kernel, differentiable):
    """A softmax derivative: in refimpl ops while grad mode is on (create_graph), so the
    backward records a graph; otherwise one kernel call (the same formula, fused)."""
    def vjp(grad, result, dim):
        if is_grad_enabled() or grad.dtype != result.dtype or grad.shape != result.shape:
            return differentiable(grad, result, dim)
        xp = result._xp
        d = wrap_dim(dim, result.dim())
        g = getattr(xp, kernel)(grad._array, result._array, d if result.dim() else None)
        return Tensor._from_array(g, result.dtype, result.device)
    return vjp


#   softmax:     y * (g - sum(g * y, dim))
#   log_softmax: g - exp(y) * sum(g, dim)
_softmax.defvjp(_softmax_vjp("softmax_grad", lambda grad, result, dim:
                             result * (grad - (grad * result).sum(dim, True))))
_log_softmax.defvjp(_softmax_vjp("log_softmax_grad", lambda grad, result, dim:
                                 grad - result.exp() * grad.sum(dim, True)))


def softmax(input, dim, dtype=None):
    """torch.softmax: exp(x) / sum(exp(x)) along dim (computed with the max subtracted);
    with dtype, input is cast first. Spec nn.functional.softmax."""
    if dtype is not None:
        input = input.to(dtype)
    return _softmax(input, dim)


def log_softmax(input, dim, dtype=None):
    """torch.log_softmax: x - log(sum(exp(x))) along dim, computed stably."""
    if dtype is not None:
        input = input.to(dtype)
    return _log_softmax(input, dim)


Tensor.softmax = lambda self, dim, dtype=None: softmax(self, dim, dtype)
Tensor.log_softmax = lambda self, dim, dtype=None: log_softmax(self, dim, dtype)


# -- loss primitives --------------------------------------------------------------------------

REDUCTIONS = ("none", "mean", "sum")


def check_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _reduce(xp, loss, reduction):
    if reduction == "none":
        return loss
    total = xp.sum(loss, None, loss.dtype, False)
    if reduction == "mean":
        return xp.divide(total, loss.size) if loss.size else xp.divide(total, 0.0)
    return total


def _grad_scale(xp, grad, shape, reduction):
    """The cotangent of each element of an elementwise loss of `shape`."""
    g = grad._array
    if reduction == "mean":
        n = 1
        for s in shape:
            n *= s
        g = xp.divide(g, n)
    return g


@op(tensors=("input", "target"), method=False,
    grad_fn=lambda input, target, kernel, reduction, params, weight, grad_fn: grad_fn)
def pointwise_loss(xp, input, target, kernel, reduction, params, weight, grad_fn):
    """An elementwise loss `loss_<kernel>(input, target, **params)`, times `weight` (a
    tensor broadcast against it, not differentiated), reduced by `reduction`."""
    check_reduction(reduction)
    dtype = _dtype.result_type(input, target)
    shape = broadcast_shapes(input._shape, target._shape)
    np_dtype = _dtype.opmath(dtype).np
    x = xp.astype(input._array, np_dtype)
    t = xp.astype(target._array, np_dtype)
    loss = getattr(xp, "loss_" + kernel)(x, t, **_array_params(xp, params, np_dtype))
    loss = xp.astype(loss, np_dtype) + xp.full(shape, 0, np_dtype)
    if weight is not None:
        loss = loss * xp.astype(weight._array, np_dtype)
    return xp.astype(_reduce(xp, loss, reduction), dtype.np), dtype


def _array_params(xp, params, np_dtype):
    return {k: (xp.astype(v._array, np_dtype) if isinstance(v, Tensor) else v)
            for k, v in params}


@op(tensors=("grad", "input", "target"), method=False, name="pointwise_loss_backward")
def _pointwise_loss_grad(xp, grad, input, target, kernel, reduction, params, weight, which):
    dtype = _dtype.result_type(input, target)
    np_dtype = _dtype.opmath(dtype).np
    shape = broadcast_shapes(input._shape, target._shape)
    x = xp.astype(input._array, np_dtype)
    t = xp.astype(target._array, np_dtype)
    d = getattr(xp, "loss_" + kernel + "_grad")(x, t, **_array_params(xp, params, np_dtype))
    g = xp.astype(_grad_scale(xp, grad, shape, reduction), np_dtype) * d[which]
    if weight is not None:
        g = g * xp.astype(weight._array, np_dtype)
    g = g + xp.full(shape, 0, np_dtype)
    return xp.astype(g, dtype.np), dtype


pointwise_loss.defvjp(
    lambda grad, input, target, kernel, reduction, params, weight:
        _pointwise_loss_grad(grad, input, target, kernel, reduction, params, weight, 0),
    lambda grad, input, target, kernel, reduction, params, weight:
        _pointwise_loss_grad(grad, input, target, kernel, reduction, params, weight, 1))


def _classes_last(input, target):
    """(N*, C) logits-like values with the class dim (1, or 0 when unbatched) last, and
    the flat targets."""
    import numpy as np
    x = input._array
    if input.dim() == 1:
        return x[None], target._array.reshape(1)
    if input.dim() > 2:
        x = np.moveaxis(x, 1, -1).reshape(-1, input.shape[1])
    return x, target._array.reshape(-1)


def check_nll_shapes(input, target):
    """torch's argument checks of nll_loss: class dim 1 (0 for 1-D input), one integer target
    per sample."""
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() != 1 and target.dim() >= 1 and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({target.shape[0]}).")
    if input.dim() <= 2 and target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.dim() == 1 and target.dim() == 1 and target.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                         f"{target.shape[0]}")
    if input.dim() == 2 and target.dim() == 0:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.dim() > 2 and tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {[input.shape[0], *input.shape[2:]]}, got "
                           f"{list(target.shape)}")
    if target.dtype not in (_dtype.int64, _dtype.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{scalar_type_name(target.dtype)}")


def _check_targets(flat_target, classes, ignore_index):
    import numpy as np
    bad = (flat_target != ignore_index) & ((flat_target < 0) | (flat_target >= classes))
    if np.any(bad):
        raise IndexError(f"Target {int(flat_target[bad][0])} is out of bounds.")


@op(tensors=("input", "target"), method=False,
    grad_fn=lambda input, *_, **__: "NllLossBackward0" if input.dim() <= 2
    else "NllLoss2DBackward0")
def nll_loss(xp, input, target, weight, reduction, ignore_index):
    """-weight[t] * input[n, t] per sample (class dim 1), ignoring target == ignore_index;
    'mean' divides by the sum of the weights of the samples not ignored."""
    check_reduction(reduction)
    check_nll_shapes(input, target)
    x, t = _classes_last(input, target)
    _check_targets(xp.to_host(t), x.shape[1], ignore_index)
    w = None if weight is None else weight._array
    losses, sample_w = xp.nll_loss(x, t, w, ignore_index)
    if reduction == "none":
        return losses.reshape(target.shape), input.dtype
    total = xp.sum(losses, None, None, False)
    if reduction == "mean":
        total = xp.divide(total, xp.sum(sample_w, None, None, False))
    return xp.astype(total, input.dtype.np), input.dtype


@op(tensors=("grad", "input", "target"), method=False, name="nll_loss_backward")
def _nll_loss_grad(xp, grad, input, target, weight, reduction, ignore_index):
    import numpy as np
    x, t = _classes_last(input, target)
    w = None if weight is None else weight._array
    g = grad._array
    if reduction == "none":
        g = g.reshape(-1)
    else:
        if reduction == "mean":
            _, sample_w = xp.nll_loss(x, t, w, ignore_index)
            g = xp.divide(g, xp.sum(sample_w, None, None, False))
        per_sample = xp.full(t.shape, 0, x.dtype)
        xp.copy_(per_sample, g)
        g = per_sample
    dx = xp.nll_loss_grad(xp.astype(g, x.dtype), x, t, w, ignore_index)
    if input.dim() == 1:
        dx = dx[0]
    elif input.dim() == 2:
        return xp.astype(dx, input.dtype.np), input.dtype
    else:
        shape = (input.shape[0], *input.shape[2:], input.shape[1])
        dx = np.moveaxis(dx.reshape(shape), -1, 1)
    return np.ascontiguousarray(dx, input.dtype.np), input.dtype


nll_loss.defvjp(lambda grad, input, target, weight, reduction, ignore_index:
                _nll_loss_grad(grad, input, target, weight, reduction, ignore_index),
                None)


def _class_weights(weight, logp):
    """The class weights shaped to broadcast along the class dim of logp (or 1)."""
    import numpy as np
    if weight is None:
        return 1
    shape = [1] * logp.dim()
    shape[1 if logp.dim() > 1 else 0] = -1
    return np.reshape(weight._array, shape)


def _class_dim(logp):
    return 1 if logp.dim() > 1 else 0


@op(tensors=("logp", "target"), method=False, grad_fn="SumBackward1")
def label_smoothing_loss(xp, logp, target, weight, reduction, ignore_index):
    """The smoothing term of cross_entropy with class indices: -sum_c weight[c] logp[n, c]
    per sample, 0 where the target is ignored; 'mean' divides by the weights of the targets
    not ignored (their count without weights)."""
    import numpy as np
    w = _class_weights(weight, logp)
    keep = target._array != ignore_index
    per = -np.sum(logp._array * w, axis=_class_dim(logp)) * keep
    if reduction == "none":
        return per.astype(logp.dtype.np), logp.dtype
    total = np.sum(per)
    if reduction == "mean":
        safe = np.where(keep, target._array, 0)
        total = total / (np.sum(weight._array[safe] * keep) if weight is not None
                         else np.sum(keep))
    return np.asarray(total, logp.dtype.np), logp.dtype


@op(tensors=("grad", "logp", "target"), method=False, name="label_smoothing_loss_backward")
def _label_smoothing_grad(xp, grad, logp, target, weight, reduction, ignore_index):
    import numpy as np
    w = _class_weights(weight, logp)
    keep = target._array != ignore_index
    g = grad._array
    if reduction == "mean":
        safe = np.where(keep, target._array, 0)
        g = g / (np.sum(weight._array[safe] * keep) if weight is not None else np.sum(keep))
    g = np.expand_dims(np.broadcast_to(g, keep.shape) * keep, _class_dim(logp))
    dx = -g * w * np.ones_like(logp._array)
    return dx.astype(logp.dtype.np), logp.dtype


label_smoothing_loss.defvjp(
    lambda grad, logp, target, weight, reduction, ignore_index:
        _label_smoothing_grad(grad, logp, target, weight, reduction, ignore_index), None)


@op(tensors=("logp", "target"), method=False,
    grad_fn=lambda logp, target, weight, reduction, label_smoothing:
        "DivBackward1" if reduction == "mean" else "NegBackward0")
def soft_target_cross_entropy(xp, logp, target, weight, reduction, label_smoothing):
    """cross_entropy with class probabilities: -sum_c weight[c] t[n, c] logp[n, c] per
    sample, t smoothed to t (1 - s) + s / C; 'mean' divides by the number of samples."""
    import numpy as np
    classes = logp.shape[_class_dim(logp)]
    t = target._array * (1 - label_smoothing) + label_smoothing / classes
    per = -np.sum(logp._array * t * _class_weights(weight, logp), axis=_class_dim(logp))
    if reduction == "none":
        return per.astype(logp.dtype.np), logp.dtype
    total = np.sum(per)
    if reduction == "mean":
        total = total / (logp.numel() / classes)
    return np.asarray(total, logp.dtype.np), logp.dtype


@op(tensors=("grad", "logp", "target"), method=False,
    name="soft_target_cross_entropy_backward")
def _soft_target_grad(xp, grad, logp, target, weight, reduction, label_smoothing, which):
    import numpy as np
    classes = logp.shape[_class_dim(logp)]
    g = grad._array
    if reduction == "mean":
        g = g / (logp.numel() / classes)
    g = np.expand_dims(g, _class_dim(logp)) if reduction == "none" else g
    w = _class_weights(weight, logp)
    if which == 0:
        t = target._array * (1 - label_smoothing) + label_smoothing / classes
        d = -g * t * w
    else:
        d = -g * logp._array * w * (1 - label_smoothing)
    return (d * np.ones_like(logp._array)).astype(logp.dtype.np), logp.dtype


soft_target_cross_entropy.defvjp(
    lambda grad, logp, target, weight, reduction, label_smoothing:
        _soft_target_grad(grad, logp, target, weight, reduction, label_smoothing, 0),
    lambda grad, logp, target, weight, reduction, label_smoothing:
        _soft_target_grad(grad, logp, target, weight, reduction, label_smoothing, 1))
