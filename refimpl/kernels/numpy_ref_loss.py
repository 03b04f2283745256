"""Reference kernel table, part:
activations, softmax, losses, embedding and dropout kernels.

Plain NumPy; every public callable here joins numpy_ref.TABLE (a name defined twice is an
error). Arrays in, arrays out; dtypes are NumPy dtypes.

Contract of this part:
activations   act_<name>(x, **params) -> y and act_<name>_grad(grad, x, **params) -> dx, for
              hardtanh, elu, leaky_relu, gelu, silu, mish, softplus, hardsigmoid, hardswish,
              logsigmoid, softshrink, hardshrink, threshold, softsign, tanhshrink;
              prelu(x, w) / prelu_grad(grad, x, w) -> (dx, dw); glu / glu_grad
softmax       softmax(x, axis), log_softmax(x, axis) and their *_grad(grad, y, axis)
losses        loss_<name>(input, target, **params) -> elementwise loss and
              loss_<name>_grad(input, target, **params) -> (d/dinput, d/dtarget), for
              l1, mse, huber, smooth_l1, bce, bce_logits, kl_div, soft_margin, poisson_nll;
              nll_loss(input, target, weight, ignore_index) -> (per-sample loss, weights)
embedding     embedding_dense_grad(grad, indices, num_weights, padding_idx)
"""

import math

import numpy as np

_SQRT2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _quiet(fn):
    """torch never warns on overflow or invalid values: NumPy must not either."""
    def quiet(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    quiet.__name__ = fn.__name__
    quiet.__doc__ = fn.__doc__
    return quiet


_erf_scalar = np.frompyfunc(math.erf, 1, 1)


def erf(x):
    """The error function, elementwise (math.erf per element; NumPy has no erf ufunc)."""
    return _erf_scalar(x).astype(x.dtype)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


# -- activations ---------------------------------------------------------------------------------


def act_hardtanh(x, min_val, max_val):
    # NaN stays NaN, as torch's clamp
    return np.where(x < min_val, x.dtype.type(min_val),
                    np.where(x > max_val, x.dtype.type(max_val), x))


def act_hardtanh_grad(grad, x, min_val, max_val):
    # zero at and beyond the bounds
    return np.where((x <= min_val) | (x >= max_val), 0, grad).astype(grad.dtype)


@_quiet
def act_elu(x, alpha, scale, input_scale):
    return np.where(x > 0, x * scale, np.expm1(x * input_scale) * (alpha * scale)).astype(x.dtype)


@_quiet
def act_elu_grad(grad, x, alpha, scale, input_scale):
    neg = grad * (input_scale * alpha * scale) * np.exp(x * input_scale)
    return np.where(x > 0, grad * scale, neg).astype(grad.dtype)


def act_leaky_relu(x, negative_slope):
    return np.where(x > 0, x, x * negative_slope).astype(x.dtype)


def act_leaky_relu_grad(grad, x, negative_slope):
    return np.where(x > 0, grad, grad * negative_slope).astype(grad.dtype)


@_quiet
def act_gelu(x, approximate):
    if approximate == "tanh":
        inner = _SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)
        return (0.5 * x * (1 + np.tanh(inner))).astype(x.dtype)
    return (x * 0.5 * (1 + erf(x / _SQRT2))).astype(x.dtype)


@_quiet
def act_gelu_grad(grad, x, approximate):
    if approximate == "tanh":
        inner = _SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)
        t = np.tanh(inner)
        d_inner = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
        return (grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * d_inner)).astype(grad.dtype)
    cdf = 0.5 * (1 + erf(x / _SQRT2))
    pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    return (grad * (cdf + x * pdf)).astype(grad.dtype)


@_quiet
def act_silu(x):
    return (x * _sigmoid(x)).astype(x.dtype)


@_quiet
def act_silu_grad(grad, x):
    s = _sigmoid(x)
    return (grad * s * (1 + x * (1 - s))).astype(grad.dtype)


@_quiet
def _softplus(x, beta=1.0, threshold=20.0):
    return np.where(x * beta > threshold, x, np.log1p(np.exp(x * beta)) / beta).astype(x.dtype)


@_quiet
def act_mish(x):
    return (x * np.tanh(_softplus(x))).astype(x.dtype)


@_quiet
def act_mish_grad(grad, x):
    t = np.tanh(_softplus(x))
    return (grad * (t + x * _sigmoid(x) * (1 - t * t))).astype(grad.dtype)


def act_softplus(x, beta, threshold):
    return _softplus(x, beta, threshold)


@_quiet
def act_softplus_grad(grad, x, beta, threshold):
    z = np.exp(x * beta)
    return np.where(x * beta > threshold, grad, grad * z / (z + 1)).astype(grad.dtype)


def act_hardsigmoid(x):
    return (act_hardtanh(x + 3, 0.0, 6.0) / 6).astype(x.dtype)


def act_hardsigmoid_grad(grad, x):
    return np.where((x > -3) & (x < 3), grad / 6, 0).astype(grad.dtype)


def act_hardswish(x):
    return (x * act_hardtanh(x + 3, 0.0, 6.0) / 6).astype(x.dtype)


def act_hardswish_grad(grad, x):
    # torch's boundaries: 0 for x <= -3, grad * (x / 3 + 1/2) for -3 < x < 3, grad from 3 on
    return np.where(x <= -3, 0, np.where(x < 3, grad * (x / 3 + 0.5), grad)).astype(grad.dtype)


@_quiet
def act_logsigmoid(x):
    # min(x, 0) - log1p(exp(-|x|)): stable for large |x|
    return (np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))).astype(x.dtype)


@_quiet
def act_logsigmoid_grad(grad, x):
    return (grad * _sigmoid(-x)).astype(grad.dtype)


def act_softshrink(x, lambd):
    return np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, 0)).astype(x.dtype)


def act_softshrink_grad(grad, x, lambd):
    return np.where((x >= -lambd) & (x <= lambd), 0, grad).astype(grad.dtype)


def act_hardshrink(x, lambd):
    return np.where((x >= -lambd) & (x <= lambd), 0, x).astype(x.dtype)


act_hardshrink_grad = act_softshrink_grad


def act_threshold(x, threshold, value):
    return np.where(x > threshold, x, value).astype(x.dtype)


def act_threshold_grad(grad, x, threshold, value):
    return np.where(x <= threshold, 0, grad).astype(grad.dtype)


def act_softsign(x):
    return (x / (1 + np.abs(x))).astype(x.dtype)


def act_softsign_grad(grad, x):
    d = 1 + np.abs(x)
    return (grad / (d * d)).astype(grad.dtype)


def act_tanhshrink(x):
    return (x - np.tanh(x)).astype(x.dtype)


def act_tanhshrink_grad(grad, x):
    t = np.tanh(x)
    return (grad * t * t).astype(grad.dtype)


def _channel_shape(x, w):
    """w broadcast along dim 1 of x (or a single weight)."""
    if w.size == 1 or x.ndim < 2:
        return w.reshape((1,) * x.ndim) if x.ndim else w.reshape(())
    return w.reshape((1, -1) + (1,) * (x.ndim - 2))


def prelu(x, w):
    return np.where(x > 0, x, _channel_shape(x, w) * x).astype(x.dtype)


def prelu_grad(grad, x, w):
    wb = _channel_shape(x, w)
    dx = np.where(x > 0, grad, wb * grad).astype(grad.dtype)
    contrib = np.where(x > 0, 0, x * grad)
    if w.size == 1:
        dw = np.sum(contrib).reshape(w.shape)
    else:
        dw = np.sum(contrib, axis=tuple(i for i in range(x.ndim) if i != 1)).reshape(w.shape)
    return dx, dw.astype(w.dtype)


@_quiet
def glu(x, axis):
    a, b = np.split(x, 2, axis=axis)
    return (a * _sigmoid(b)).astype(x.dtype)


@_quiet
def glu_grad(grad, x, axis):
    a, b = np.split(x, 2, axis=axis)
    s = _sigmoid(b)
    return np.concatenate([grad * s, grad * a * s * (1 - s)], axis=axis).astype(grad.dtype)


# -- softmax ---------------------------------------------------------------------------------------


@_quiet
def softmax(x, axis):
    # shift by the max for stability (an all -inf row gives NaN, as torch)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return (e / np.sum(e, axis=axis, keepdims=True)).astype(x.dtype)


@_quiet
def log_softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return (shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))).astype(x.dtype)


def softmax_grad(grad, y, axis):
    return (y * (grad - np.sum(grad * y, axis=axis, keepdims=True))).astype(grad.dtype)


@_quiet
def log_softmax_grad(grad, y, axis):
    return (grad - np.exp(y) * np.sum(grad, axis=axis, keepdims=True)).astype(grad.dtype)


# -- pointwise losses: elementwise loss and (d/dinput, d/dtarget) -------------------------------


def loss_l1(x, t):
    return np.abs(x - t)


def loss_l1_grad(x, t):
    s = np.sign(x - t)
    return s, -s


def loss_mse(x, t):
    d = x - t
    return d * d


def loss_mse_grad(x, t):
    d = 2 * (x - t)
    return d, -d


def loss_huber(x, t, delta):
    d = np.abs(x - t)
    return np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))


def loss_huber_grad(x, t, delta):
    d = x - t
    g = np.where(d < -delta, -delta, np.where(d > delta, delta, d))
    return g, -g


def loss_smooth_l1(x, t, beta):
    d = np.abs(x - t)
    if beta == 0:
        return d
    return np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta)


def loss_smooth_l1_grad(x, t, beta):
    d = x - t
    if beta == 0:
        g = np.sign(d)
    else:
        g = np.where(d <= -beta, -1, np.where(d >= beta, 1, d / beta))
    return g, -g


@_quiet
def loss_bce(x, t):
    # torch clamps the logs at -100 so that log(0) gives a finite loss
    log_x = np.maximum(np.log(x), -100)
    log_1mx = np.maximum(np.log1p(-x), -100)
    return -(t * log_x + (1 - t) * log_1mx)


@_quiet
def loss_bce_grad(x, t):
    eps = 1e-12
    dx = (x - t) / np.maximum((1 - x) * x, eps)
    dt = np.maximum(np.log1p(-x), -100) - np.maximum(np.log(x), -100)
    return dx, dt


@_quiet
def loss_bce_logits(x, t, pos_weight):
    # (1 - t) * x + (1 + (pw - 1) * t) * log(1 + exp(-x)), with log1p(exp(-x)) written stably
    log_sig_neg = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)
    if pos_weight is None:
        return (1 - t) * x + log_sig_neg
    lw = 1 + (pos_weight - 1) * t
    return (1 - t) * x + lw * log_sig_neg


@_quiet
def loss_bce_logits_grad(x, t, pos_weight):
    # d/dx log(1 + exp(-x)) = sigmoid(x) - 1
    s = _sigmoid(x)
    if pos_weight is None:
        return s - t, -x
    lw = 1 + (pos_weight - 1) * t
    log_sig_neg = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)
    return (1 - t) + lw * (s - 1), -x + (pos_weight - 1) * log_sig_neg


@_quiet
def loss_kl_div(x, t, log_target):
    if log_target:
        return np.exp(t) * (t - x)
    # xlogy: 0 where t == 0
    return np.where(t == 0, 0, t * np.log(np.where(t > 0, t, 1))) - t * x \
        + np.where(t < 0, np.nan, 0)


@_quiet
def loss_kl_div_grad(x, t, log_target):
    if log_target:
        e = np.exp(t)
        return -e, e * (t - x) + e
    return -t, np.where(t == 0, 0, np.log(np.where(t > 0, t, 1)) + 1) - x


@_quiet
def loss_soft_margin(x, t):
    return np.log1p(np.exp(-t * x))


@_quiet
def loss_soft_margin_grad(x, t):
    z = np.exp(-t * x)
    c = z / (1 + z)
    return -t * c, -x * c


@_quiet
def loss_poisson_nll(x, t, log_input, full, eps):
    loss = np.exp(x) - t * x if log_input else x - t * np.log(x + eps)
    if full:
        stirling = t * np.log(np.where(t > 1, t, 1)) - t + 0.5 * np.log(
            2 * np.pi * np.where(t > 1, t, 1))
        loss = loss + np.where(t > 1, stirling, 0)
    return loss


@_quiet
def loss_poisson_nll_grad(x, t, log_input, full, eps):
    if log_input:
        dx, dt = np.exp(x) - t, -x
    else:
        dx, dt = 1 - t / (x + eps), -np.log(x + eps)
    if full:
        dt = dt + np.where(t > 1, np.log(np.where(t > 1, t, 1)) + 0.5 / np.where(t > 1, t, 1), 0)
    return dx, dt


# -- nll_loss and embedding ------------------------------------------------------------------


def nll_loss(x, target, weight, ignore_index):
    """Per-sample -weight[t] * x[n, t] for x of shape (N, C), and the per-sample weights
    (0 where target == ignore_index)."""
    c = x.shape[1]
    ignored = target == ignore_index
    safe = np.where(ignored, 0, target)
    picked = np.take_along_axis(x, safe[:, None], axis=1)[:, 0]
    w = np.ones(c, x.dtype) if weight is None else weight
    sample_w = np.where(ignored, 0, w[safe]).astype(x.dtype)
    return (-sample_w * picked).astype(x.dtype), sample_w


def nll_loss_grad(grad, x, target, weight, ignore_index):
    """d loss / d x (N, C) for per-sample cotangents `grad` (already divided for 'mean')."""
    ignored = target == ignore_index
    safe = np.where(ignored, 0, target)
    w = np.ones(x.shape[1], x.dtype) if weight is None else weight
    sample_w = np.where(ignored, 0, w[safe])
    out = np.zeros_like(x)
    np.put_along_axis(out, safe[:, None], (-sample_w * grad)[:, None].astype(x.dtype), axis=1)
    return out


def embedding_dense_grad(grad, indices, num_weights, padding_idx):
    """Rows of `grad` summed into the rows `indices` name; the padding row gets nothing."""
    flat_idx = indices.reshape(-1)
    flat_grad = grad.reshape(flat_idx.size, -1)
    out = np.zeros((num_weights, flat_grad.shape[1]), grad.dtype)
    keep = flat_idx != padding_idx if padding_idx is not None else np.ones(flat_idx.size, bool)
    np.add.at(out, flat_idx[keep], flat_grad[keep])
    return out
