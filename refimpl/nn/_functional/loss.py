"""nn.functional losses.

An elementwise loss is one op (`pointwise_loss` in refimpl/_refs/nnops.py) over a kernel
pair `loss_<name>` / `loss_<name>_grad` (refimpl/kernels/numpy_ref_loss.py); it records the
node torch records for the same call (MseLossBackward0, MeanBackward0 for l1 with 'mean',
...). nll_loss is one op; cross_entropy is log_softmax followed by nll_loss, as in torch.
`reduction` is 'none' (the elementwise losses), 'mean' (their mean) or 'sum'; the deprecated
`size_average`/`reduce` pair maps onto it with a warning.
Specs: nn.functional.losses in specs/torch.nn.functional.toml.
"""

import warnings

from ..._refs import nnops
from ..._tensor import Tensor, scalar_type_name

__all__ = ["l1_loss", "mse_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "nll_loss", "cross_entropy", "kl_div",
           "soft_margin_loss", "poisson_nll_loss"]


def legacy_reduction(size_average, reduce, reduction):
    """The reduction the deprecated size_average/reduce arguments mean (with torch's
    warning), or `reduction` when both are None."""
    if size_average is None and reduce is None:
        return reduction
    warnings.warn("size_average and reduce args will be deprecated, please use "
                  f"reduction='{_legacy(size_average, reduce)}' instead.", UserWarning,
                  stacklevel=3)
    return _legacy(size_average, reduce)


def _legacy(size_average, reduce):
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        return "mean"
    return "sum" if reduce else "none"


def _warn_broadcast(input, target):
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input "
                      f"size ({input.shape}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=3)


def _check_tensor_args(name, **tensors):
    for i, (arg, value) in enumerate(tensors.items()):
        if not isinstance(value, Tensor):
            raise TypeError(f"{name}(): argument '{arg}' (position {i + 1}) must be Tensor, "
                            f"not {type(value).__name__}")


def _by_reduction(reduction, none, mean="MeanBackward0", sum="SumBackward0"):
    return {"none": none, "mean": mean, "sum": sum}.get(reduction, none)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """|input - target|, reduced. Spec nn.functional.l1-loss."""
    _check_tensor_args("l1_loss", input=input, target=target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    _warn_broadcast(input, target)
    return nnops.pointwise_loss(input, target, "l1", reduction, (), weight,
                                _by_reduction(reduction, "AbsBackward0"))


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """(input - target)^2, reduced. Spec nn.functional.mse-loss."""
    _check_tensor_args("mse_loss", input=input, target=target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    _warn_broadcast(input, target)
    return nnops.pointwise_loss(input, target, "mse", reduction, (), weight, "MseLossBackward0")


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta); d = input - target."""
    _check_tensor_args("huber_loss", input=input, target=target)
    _warn_broadcast(input, target)
    return nnops.pointwise_loss(input, target, "huber", reduction, (("delta", delta),), weight,
                                "HuberLossBackward0")


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (beta = 0 gives L1)."""
    _check_tensor_args("smooth_l1_loss", input=input, target=target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:  # torch computes the L1 loss then (and records its nodes)
        return l1_loss(input, target, reduction=reduction)
    _warn_broadcast(input, target)
    return nnops.pointwise_loss(input, target, "smooth_l1", reduction, (("beta", beta),), None,
                                "SmoothL1LossBackward0")


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-(t log x + (1 - t) log(1 - x)), the logs clamped at -100; x must lie in [0, 1].
    Spec nn.functional.binary-cross-entropy."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the same "
                         "size.")
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {scalar_type_name(target.dtype)} but expected "
                           f"{scalar_type_name(input.dtype)}")
    values = input.detach().numpy()
    if ((values < 0) | (values > 1)).any():
        raise RuntimeError("all elements of input should be between 0 and 1")
    if weight is not None:
        weight = weight.expand(input.shape) if weight.shape != input.shape else weight
    return nnops.pointwise_loss(input, target, "bce", reduction, (), weight,
                                "BinaryCrossEntropyBackward0")


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """BCE of sigmoid(input), computed stably as (1 - t) x + lw log(1 + exp(-x)) with
    lw = 1 + (pos_weight - 1) t. Spec nn.functional.bce-with-logits."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    return nnops.pointwise_loss(input, target, "bce_logits", reduction,
                                (("pos_weight", pos_weight),), weight,
                                "BinaryCrossEntropyWithLogitsBackward0")


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """target (log target - input) pointwise (input holds log-probabilities; with
    log_target the target does too). 'batchmean' divides the sum by the batch size; 'mean'
    divides by the number of elements and warns. Spec nn.functional.kl-div."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns "
                      "with the KL div math definition.'mean' will be changed to behave the "
                      "same as 'batchmean' in the next major release.", UserWarning,
                      stacklevel=2)
    if reduction == "batchmean":
        total = nnops.pointwise_loss(input, target, "kl_div", "sum",
                                     (("log_target", log_target),), None, "SumBackward0")
        return total / input.shape[0] if input.dim() != 0 else total
    none_name = "MulBackward0" if log_target else "SubBackward0"
    return nnops.pointwise_loss(input, target, "kl_div", reduction,
                                (("log_target", log_target),), None,
                                _by_reduction(reduction, none_name))


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(-target * input)), reduced."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    return nnops.pointwise_loss(input, target, "soft_margin", reduction, (), None,
                                "SoftMarginLossBackward0")


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """exp(input) - target input (log_input) or input - target log(input + eps); `full`
    adds Stirling's term for targets > 1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    return nnops.pointwise_loss(input, target, "poisson_nll", reduction,
                                (("log_input", log_input), ("full", full), ("eps", eps)), None,
                                _by_reduction(reduction,
                                              "AddBackward0" if full else "SubBackward0"))


def _nll_nd(logp, target, weight, reduction, ignore_index):
    """torch's nll_loss_nd: 1-2 dims use the 1-d kernel, 4 dims the 2-d one; 3 or 5+ dims
    are reshaped onto the 2-d kernel, so an unreduced result comes back through a view
    (grad_fn ViewBackward0)."""
    out = nnops.nll_loss(logp, target, weight, reduction, ignore_index)
    if reduction == "none" and logp.dim() not in (1, 2, 4):
        out = out.view(tuple(target.shape))
    return out


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """-weight[t] input[n, t] per sample (class dim 1), ignoring ignore_index; 'mean'
    divides by the summed weights of the counted samples. Spec nn.functional.nll-loss."""
    _check_tensor_args("nll_loss", input=input, target=target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    return _nll_nd(input, target, weight, reduction, ignore_index)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """nll_loss(log_softmax(input, class dim), target) for class indices; for class
    probabilities (target shaped like input) -sum(target * log_softmax(input)).
    label_smoothing mixes the target with the uniform distribution.
    Spec nn.functional.cross-entropy."""
    _check_tensor_args("cross_entropy", input=input, target=target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    nnops.check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing}")
    class_dim = 1 if input.dim() > 1 else 0
    logp = nnops.log_softmax(input, class_dim)
    if target.shape == input.shape:
        if not target.dtype.is_floating_point:
            raise RuntimeError("Expected floating point type for target with class "
                               "probabilities, got " + str(target.dtype).replace("torch.", ""))
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return nnops.soft_target_cross_entropy(logp, target, weight, reduction, label_smoothing)
    nll = _nll_nd(logp, target, weight, reduction, ignore_index)
    if label_smoothing == 0:
        return nll
    smooth = nnops.label_smoothing_loss(logp, target, weight, reduction, ignore_index)
    classes = input.shape[class_dim]
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / classes)
