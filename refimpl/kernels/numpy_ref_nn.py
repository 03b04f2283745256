"""Reference kernel table, part:
Neural-network kernels: convolution, pooling, normalization, interpolation, losses.

Plain NumPy; every public callable here joins numpy_ref.TABLE (a name defined twice is an
error). Arrays in, arrays out; dtypes are NumPy dtypes. Spatial arguments (kernel, stride,
dilation) are tuples with one entry per spatial dim; `padding` is a tuple of (low, high) pairs.
Inputs are (N, C, *spatial).

convolution   conv(x, w, stride, padding, dilation, groups) -> y;
              conv_input_grad(g, w, in_spatial, stride, padding, dilation, groups) -> gx;
              conv_weight_grad(x, g, kernel, stride, padding, dilation, groups) -> gw;
              im2col(x, kernel, stride, padding, dilation) / col2im(...): torch's unfold/fold
pooling       max_pool(x, kernel, stride, padding, dilation, out) -> (values, flat indices);
              scatter_flat(g, indices, spatial_numel) / gather_flat(x, indices);
              adaptive_max_pool(x, out) -> (values, flat indices)
linear maps   apply_taps(x, taps) / apply_taps_grad(g, taps, in_sizes): a sparse linear map per
              trailing dim (interpolation, padding, average and adaptive average pooling)
normalize     moments(x, axes) -> (mean, biased var); normalize_grad(gxhat, xhat, rstd, axes);
              the fused forms of the two common layouts:
              norm_rows(x, w, b, eps) -> (y, mean, rstd) and its norm_rows_grad (layer norm);
              channel_moments(x) / norm_channels(x, mean, rstd, w, b) and norm_channels_grad
              (batch norm, x viewed as (N, C, S))
recurrent     rnn_layer(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh) -> (out, h_n, c_n, cache);
              rnn_layer_grad(cache, g_out, g_h, g_c) -> grads; the LSTM step's pointwise part
              lstm_gates(pre, c) / lstm_gates_grad(gh, gc, act, c, tc)
"""

import itertools
import math

import numpy as np
from numpy.lib.stride_tricks import as_strided as _as_strided

# -- convolution -------------------------------------------------------------------------------


def _windows(xpad, kernel, stride, dilation):
    """(N, C, *out, *kernel): a read-only view of every window of a padded input."""
    nd = len(kernel)
    spatial = xpad.shape[2:]
    out = tuple((spatial[i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1
                for i in range(nd))
    st = xpad.strides
    return _as_strided(xpad, xpad.shape[:2] + out + tuple(kernel),
                      st[:2] + tuple(st[2 + i] * stride[i] for i in range(nd)) +
                      tuple(st[2 + i] * dilation[i] for i in range(nd)), writeable=False)


def _pad(x, padding, value=0):
    if not any(lo or hi for lo, hi in padding):
        return x
    return np.pad(x, ((0, 0), (0, 0)) + tuple(padding), constant_values=value)


def _grouped_cols(x, kernel, stride, padding, dilation, groups):
    """im2col for a grouped convolution: (N, G, C/G * K, L) (torch's unfold layout split by
    group: channels come first in it, so a group is a block of rows) and the output size."""
    win = _windows(_pad(x, padding), kernel, stride, dilation)
    out = win.shape[2:2 + len(kernel)]
    cols = im2col(x, kernel, stride, padding, dilation)
    return cols.reshape(x.shape[0], groups, -1, cols.shape[-1]), out


def _conv_out(spatial, kernel, stride, padding, dilation):
    """The output spatial size of a convolution."""
    return tuple((spatial[i] + padding[i][0] + padding[i][1] - dilation[i] * (kernel[i] - 1) - 1)
                 // stride[i] + 1 for i in range(len(kernel)))


def conv_cols(x, kernel, stride, padding, dilation, groups):
    """conv's im2col matrix (N, G, C/G * K, L), computed once when the forward keeps it for the
    weight gradient (the same matrix, so the backward need not build it again)."""
    return _grouped_cols(x, kernel, stride, padding, dilation, groups)[0]


def conv(x, w, stride, padding, dilation, groups, cols=None):
    """Cross-correlation of x (N, C, *S) with w (O, C/G, *k): im2col, then per sample and
    group one GEMM (O/G, C/G * K) @ (C/G * K, L), which lands in the output layout directly.
    `cols`: conv_cols of the same arguments, if already computed."""
    n, o = x.shape[0], w.shape[0]
    if cols is None:
        cols, out = _grouped_cols(x, w.shape[2:], stride, padding, dilation, groups)
    else:
        out = _conv_out(x.shape[2:], w.shape[2:], stride, padding, dilation)
    wm = w.reshape(groups, o // groups, -1)
    y = np.matmul(wm, cols)                                    # (N, G, O/G, L)
    return y.reshape((n, o) + out)


def _add_windows(target, cols, kernel, stride, dilation, out):
    """col2im: adds cols (N, C, *out, *kernel) into every window of target (N, C, *padded)."""
    nd = len(kernel)
    for k in itertools.product(*(range(s) for s in kernel)):
        where = tuple(slice(k[i] * dilation[i], k[i] * dilation[i] + stride[i] * (out[i] - 1) + 1,
                            stride[i]) for i in range(nd))
        target[(Ellipsis,) + where] += cols[(Ellipsis,) + k]


def _crop(xpad, padding, spatial):
    return xpad[(Ellipsis,) + tuple(slice(lo, lo + s) for (lo, _), s in zip(padding, spatial))]


def conv_input_grad(g, w, in_spatial, stride, padding, dilation, groups):
    """The gradient of conv with respect to x (also the forward of conv_transpose): per sample
    and group w^T (C/G * K, O/G) @ grad_out (O/G, L), the columns then summed back into their
    windows (col2im)."""
    n, o = g.shape[:2]
    c = w.shape[1] * groups
    wm = w.reshape(groups, o // groups, -1)
    dcols = np.matmul(wm.transpose(0, 2, 1), g.reshape(n, groups, o // groups, -1))
    return col2im(dcols.reshape(n, c * math.prod(w.shape[2:]), -1), tuple(in_spatial),
                  tuple(w.shape[2:]), stride, padding, dilation)


def conv_weight_grad(x, g, kernel, stride, padding, dilation, groups, cols=None):
    """The gradient of conv with respect to w: per group, the sum over samples of
    grad_out (O/G, L) @ im2col(x)^T (L, C/G * K) (`cols`: conv_cols of the forward, if kept)."""
    o = g.shape[1]
    if cols is None:
        cols = _grouped_cols(x, kernel, stride, padding, dilation, groups)[0]
    n = x.shape[0]
    gm = g.reshape(n, groups, o // groups, -1)                           # (N, G, O/G, L)
    gw = np.matmul(gm, cols.transpose(0, 1, 3, 2)).sum(axis=0)           # (G, O/G, C/G*K)
    return gw.reshape((o, x.shape[1] // groups) + tuple(kernel))


def im2col(x, kernel, stride, padding, dilation):
    """torch's unfold: (N, C*K, L), channel-major then kernel offsets, windows in row order."""
    win = _windows(_pad(x, padding), kernel, stride, dilation)
    nd = len(kernel)
    n, c = x.shape[:2]
    order = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    return np.ascontiguousarray(win.transpose(order)).reshape(n, c * math.prod(kernel), -1)


def col2im(cols, out_spatial, kernel, stride, padding, dilation):
    """torch's fold: sums (N, C*K, L) blocks back into (N, C, *out_spatial)."""
    nd = len(kernel)
    n = cols.shape[0]
    c = cols.shape[1] // math.prod(kernel)
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(out_spatial, padding))
    blocks = tuple((padded[i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1
                   for i in range(nd))
    win = cols.reshape((n, c) + tuple(kernel) + blocks)
    win = win.transpose((0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd)))
    target = np.zeros((n, c) + padded, cols.dtype)
    _add_windows(target, win, kernel, stride, dilation, blocks)
    return np.ascontiguousarray(_crop(target, padding, out_spatial))


# -- pooling -----------------------------------------------------------------------------------


def _flat_index(positions, spatial):
    return np.ravel_multi_index(positions, spatial, mode="clip") if positions else \
        np.zeros((), np.int64)


def _argmax_last_nan(flat, valid=None):
    """The position of the max along the last axis as torch's pooling loop finds it (a value
    replaces the max when it is greater or NaN): the first among equal maxima, the last NaN if
    there is one. `valid` marks the positions that are in the input (not padding)."""
    if valid is None:
        valid = np.ones(flat.shape, bool)
    if flat.dtype.kind == "f":
        low = -np.inf
        nan = np.isnan(flat) & valid
    else:
        low = np.iinfo(flat.dtype).min
        nan = np.zeros(flat.shape, bool)
    top = np.where(valid, flat, low).max(-1, keepdims=True)
    first_top = (valid & (flat == top)).argmax(-1)
    last_nan = flat.shape[-1] - 1 - nan[..., ::-1].argmax(-1)
    return np.where(nan.any(-1), last_nan, first_top)


def max_pool(x, kernel, stride, padding, dilation, out):
    """Max over each window (padding is never chosen) and the flat index of the max in
    the input's spatial dims (the first one among equal maxima; the last NaN wins)."""
    nd = len(kernel)
    spatial = x.shape[2:]
    # pad high enough that `out` windows fit (ceil_mode windows may run past the padding)
    pads = tuple((p, max(p, (out[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1
                         - spatial[i] - p)) for i, p in enumerate(padding))
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    trim = (Ellipsis,) + tuple(slice(0, o) for o in out) + (slice(None),) * nd
    win = _windows(_pad(x, pads, fill), kernel, stride, dilation)[trim]
    inside = _windows(_pad(np.ones((1, 1) + spatial, bool), pads, False), kernel, stride,
                      dilation)[trim]
    flat = win.reshape(win.shape[:2 + nd] + (-1,))
    arg = _argmax_last_nan(flat, inside.reshape(inside.shape[:2 + nd] + (-1,)))
    values = np.take_along_axis(flat, arg[..., None], -1)[..., 0]
    offsets = np.unravel_index(arg, tuple(kernel))
    grid = np.meshgrid(*(np.arange(o) for o in out), indexing="ij")
    positions = tuple(grid[i] * stride[i] - padding[i] + offsets[i] * dilation[i]
                      for i in range(nd))
    return values, _flat_index(positions, spatial).astype(np.int64)


def adaptive_max_pool(x, out):
    """Max over torch's adaptive windows [floor(i*S/out), ceil((i+1)*S/out)) per dim."""
    spatial = x.shape[2:]
    bounds = [[(i * s // o, -(-(i + 1) * s // o)) for i in range(o)] for s, o in zip(spatial, out)]
    values = np.empty(x.shape[:2] + tuple(out), x.dtype)
    indices = np.empty(x.shape[:2] + tuple(out), np.int64)
    for pos in itertools.product(*(range(o) for o in out)):
        box = [bounds[d][p] for d, p in enumerate(pos)]
        win = x[(Ellipsis,) + tuple(slice(a, b) for a, b in box)]
        flat = win.reshape(win.shape[:2] + (-1,))
        arg = _argmax_last_nan(flat)
        values[(Ellipsis,) + pos] = np.take_along_axis(flat, arg[..., None], -1)[..., 0]
        local = np.unravel_index(arg, win.shape[2:])
        indices[(Ellipsis,) + pos] = _flat_index(
            tuple(local[d] + box[d][0] for d in range(len(out))), spatial)
    return values, indices


def scatter_flat(g, indices, spatial):
    """Adds g (N, C, *out) into zeros (N, C, *spatial) at the flat spatial `indices`."""
    n, c = g.shape[:2]
    size = math.prod(spatial)
    rows = np.arange(n * c).reshape(n, c, *([1] * (g.ndim - 2))) * size
    total = np.bincount((indices + rows).ravel(), weights=g.ravel().astype(np.float64),
                        minlength=n * c * size)
    return total.astype(g.dtype).reshape((n, c) + tuple(spatial))


def gather_flat(x, indices):
    """x (N, C, *spatial) read at flat spatial `indices` (N, C, *out)."""
    n, c = x.shape[:2]
    flat = x.reshape(n, c, -1)
    return np.take_along_axis(flat, indices.reshape(n, c, -1), -1).reshape(indices.shape)


def apply_taps(x, taps):
    """A separable linear map of the last len(taps) dims: per dim, output o is
    sum_t weight[o, t] * x[index[o, t]] (taps = (index, weight) arrays of shape (out, T)).
    Unused taps point at a zero appended to the axis, so they never touch real values
    (0 * inf would be NaN). Interpolation, padding and average pooling are such maps."""
    nd = len(taps)
    for i, (index, weight) in enumerate(taps):
        axis = x.ndim - nd + i
        widths = [(0, 0)] * x.ndim
        widths[axis] = (0, 1)
        xz = np.moveaxis(np.pad(x, widths), axis, -1)
        y = np.zeros(xz.shape[:-1] + (index.shape[0],), x.dtype)
        for t in range(index.shape[1]):
            y += weight[:, t].astype(x.dtype) * xz[..., index[:, t]]
        x = np.moveaxis(y, -1, axis)
    return np.ascontiguousarray(x)


def apply_taps_grad(g, taps, in_sizes):
    """The transpose of apply_taps: each output's gradient is added back to its taps."""
    nd = len(taps)
    for i, (index, weight) in enumerate(taps):
        axis = g.ndim - nd + i
        m = np.zeros((index.shape[0], in_sizes[i] + 1), g.dtype)
        np.add.at(m, (np.arange(index.shape[0])[:, None], index), weight)
        g = np.moveaxis(np.tensordot(m[:, :-1].T, g, axes=([1], [axis])), 0, axis)
    return np.ascontiguousarray(g)


# -- normalization -----------------------------------------------------------------------------


def moments(x, axes):
    """Mean and biased variance over `axes` (kept as size-1 dims)."""
    mean = np.mean(x, axis=axes, keepdims=True)
    var = np.mean(np.square(x - mean), axis=axes, keepdims=True)
    return mean, var


def normalize_grad(gxhat, xhat, rstd, axes):
    """The gradient of xhat = (x - mean(x)) * rstd through the statistics:
    rstd * (g - mean(g) - xhat * mean(g * xhat)) over `axes`."""
    return rstd * (gxhat - np.mean(gxhat, axis=axes, keepdims=True)
                   - xhat * np.mean(gxhat * xhat, axis=axes, keepdims=True))


def norm_rows(x, w, b, eps):
    """Layer norm of each row of x (R, M): xhat = (x - mean) / sqrt(var + eps) with the row's
    mean and biased variance, then y = xhat * w + b (w, b of shape (M,), or None).
    Returns y and the per-row mean and rstd (R,) for the backward pass."""
    mean, var = moments(x, (1,))
    rstd = 1 / (var + eps) ** 0.5
    xhat = (x - mean) * rstd
    y = xhat if w is None else xhat * w
    if b is not None:
        y = y + b
    return y, mean[:, 0], rstd[:, 0]


def norm_rows_grad(g, x, mean, rstd, w, needs):
    """The gradients (gx, gw, gb) of norm_rows' y; an entry is None where `needs` (three
    booleans) says it is not wanted. gx goes through the row statistics."""
    xhat = (x - mean[:, None]) * rstd[:, None]
    gx = gw = gb = None
    if needs[0]:
        gx = normalize_grad(g if w is None else g * w, xhat, rstd[:, None], (1,))
    if needs[1]:
        gw = np.sum(g * xhat, axis=0)
    if needs[2]:
        gb = np.sum(g, axis=0)
    return gx, gw, gb


def channel_moments(x):
    """Per-channel mean and biased variance (C,) of x (N, C, S) over N and S."""
    mean, var = moments(x, (0, 2))
    return mean.reshape(-1), var.reshape(-1)


def norm_channels(x, mean, rstd, w, b):
    """Batch norm's affine normalization of x (N, C, S) with per-channel statistics and
    parameters (C,) (w, b may be None): y = (x - mean) * rstd * w + b."""
    y = (x - mean[:, None]) * rstd[:, None]
    if w is not None:
        y = y * w[:, None]
    if b is not None:
        y = y + b[:, None]
    return y


def norm_channels_grad(g, x, mean, rstd, w, through_stats, needs):
    """The gradients (gx, gw, gb) of norm_channels' y (None where `needs` says no). When the
    statistics were computed from x itself (`through_stats`, training) gx goes through them;
    with running statistics they are constants and gx = g * w * rstd."""
    xhat = (x - mean[:, None]) * rstd[:, None]
    gx = gw = gb = None
    if needs[0]:
        gxhat = g if w is None else g * w[:, None]
        gx = normalize_grad(gxhat, xhat, rstd[:, None], (0, 2)) if through_stats else \
            gxhat * rstd[:, None]
    if needs[1]:
        gw = np.sum(g * xhat, axis=(0, 2))
    if needs[2]:
        gb = np.sum(g, axis=(0, 2))
    return gx, gw, gb


# -- recurrent ---------------------------------------------------------------------------------


def _sigmoid(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def lstm_gates(pre, c):
    """The pointwise part of an LSTM step: pre (B, 4H) = x W_ih^T + b_ih + h W_hh^T + b_hh holds
    the gates in torch's order i, f, g, o. Returns h', c' = f * c + i * g, the activated gates
    (B, 4H) and tanh(c') (the last two for lstm_gates_grad)."""
    i, f, g, o = np.split(pre, 4, axis=-1)
    act = np.concatenate([_sigmoid(i), _sigmoid(f), np.tanh(g), _sigmoid(o)], axis=-1)
    i, f, g, o = np.split(act, 4, axis=-1)
    c_new = f * c + i * g
    tc = np.tanh(c_new)
    return o * tc, c_new, act, tc


def lstm_gates_grad(gh, gc, act, c, tc):
    """lstm_gates backwards: from the gradients of h' and c' (gh, gc) to the gradient of the
    pre-activations (B, 4H) and of the previous cell state c."""
    i, f, g, o = np.split(act, 4, axis=-1)
    go = gh * tc
    gc = gc + gh * o * (1 - tc * tc)
    gi, gf, gg = gc * g, gc * c, gc * i
    gates = np.concatenate([gi * i * (1 - i), gf * f * (1 - f), gg * (1 - g * g),
                            go * o * (1 - o)], axis=-1)
    return gates, gc * f


def rnn_layer(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh, lstm=(lstm_gates, lstm_gates_grad)):
    """One direction of one layer over a (T, B, I) sequence; gates in torch's order
    (LSTM: i, f, g, o; GRU: r, z, n). Returns the outputs, final states, and a cache for the
    backward pass. `lstm`: the LSTM step's pointwise functions (a kernel table may pass
    compiled ones; the cache keeps them for the backward)."""
    steps = x.shape[0]
    xw = np.matmul(x, w_ih.T) + (0 if b_ih is None else b_ih)       # all input products at once
    h, c = h0, c0
    hs, cache = [], []
    for t in range(steps):
        hw = h @ w_hh.T + (0 if b_hh is None else b_hh)
        if mode == "LSTM":
            h_new, c_new, act, tc = lstm[0](xw[t] + hw, c)
            cache.append((h, c, act, tc))
            h, c = h_new, c_new
        elif mode == "GRU":
            xr, xz, xn = np.split(xw[t], 3, axis=-1)
            hr, hz, hn = np.split(hw, 3, axis=-1)
            r, z = _sigmoid(xr + hr), _sigmoid(xz + hz)
            n = np.tanh(xn + r * hn)
            cache.append((h, r, z, n, hn))
            h = (1 - z) * n + z * h
        else:
            a = xw[t] + hw
            h_new = np.tanh(a) if mode == "RNN_TANH" else np.maximum(a, 0)
            cache.append((h, h_new))
            h = h_new
        hs.append(h)
    out = np.stack(hs) if hs else np.zeros(x.shape[:2] + h0.shape[-1:], x.dtype)
    return out, h, c, (mode, x, w_ih, w_hh, cache, lstm[1])


def rnn_layer_grad(cache, g_out, g_h, g_c):
    """Backpropagation through time for rnn_layer: grads of (x, h0, c0, w_ih, w_hh, b_ih, b_hh)."""
    mode, x, w_ih, w_hh, steps, lstm_grad = cache
    gh = g_h.copy()
    gc = None if g_c is None else g_c.copy()
    g_pre_x = np.zeros(x.shape[:2] + (w_ih.shape[0],), x.dtype)   # d(loss)/d(x W_ih^T + b_ih)
    g_pre_h = np.zeros_like(g_pre_x)                              # d(loss)/d(h W_hh^T + b_hh)
    h_prev = [s[0] for s in steps]
    for t in range(len(steps) - 1, -1, -1):
        gh = gh + g_out[t]
        if mode == "LSTM":
            h, c, act, tc = steps[t]
            gates, gc = lstm_grad(gh, gc, act, c, tc)
            g_pre_x[t] = g_pre_h[t] = gates
            gh = gates @ w_hh
        elif mode == "GRU":
            h, r, z, n, hn = steps[t]
            gn = gh * (1 - z) * (1 - n * n)
            gz = gh * (h - n) * z * (1 - z)
            gr = gn * hn * r * (1 - r)
            g_pre_x[t] = np.concatenate([gr, gz, gn], axis=-1)
            g_pre_h[t] = np.concatenate([gr, gz, gn * r], axis=-1)
            gh = gh * z + g_pre_h[t] @ w_hh
        else:
            h, h_new = steps[t]
            ga = gh * (1 - h_new * h_new) if mode == "RNN_TANH" else gh * (h_new > 0)
            g_pre_x[t] = g_pre_h[t] = ga
            gh = ga @ w_hh
    gx = np.matmul(g_pre_x, w_ih)
    # sum over steps and batch of outer products: one matrix product each (BLAS)
    g_w_ih = g_pre_x.reshape(-1, g_pre_x.shape[-1]).T @ x.reshape(-1, x.shape[-1])
    hp = np.stack(h_prev) if h_prev else np.zeros(x.shape[:2] + (w_hh.shape[1],), x.dtype)
    g_w_hh = g_pre_h.reshape(-1, g_pre_h.shape[-1]).T @ hp.reshape(-1, hp.shape[-1])
    return gx, gh, gc, g_w_ih, g_w_hh, g_pre_x.sum((0, 1)), g_pre_h.sum((0, 1))
