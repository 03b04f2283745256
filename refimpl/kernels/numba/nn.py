"""Neural-network kernels (Numba, CPU): one pass where NumPy makes several.

The NumPy references (numpy_ref_nn, numpy_ref_loss) build each layer out of whole-array
operations: a layer norm's forward is a mean, a variance, a subtraction, a product, a scaled
sum, each a pass over memory with a temporary; its backward five more. These kernels walk
the data once per statistic instead:

- softmax / log_softmax and their gradients over the last dim, one row at a time;
- max pooling (1-, 2- and 3-D, as 3-D with unit leading dims): each window scanned in place,
  no strided window copy, no argmax over a padded array; its backward adds each gradient at
  its index;
- layer norm (norm_rows) and batch norm (channel_moments, norm_channels): statistics, the
  normalization and the affine map, and in the backward all three gradients, per row or per
  channel;
- the backward of the LSTM step's pointwise part (lstm_gates_grad): the gradients of the four
  gates and of the previous cell in one loop over (B, H); BLAS still does the products;
- convolution's im2col matrix and its output layout (conv_cols, conv).

Each kernel takes C-contiguous float32/float64 arrays; anything else goes to the reference.
Statistics accumulate in float64 (the reference's are float32 pairwise sums for float32), so
results agree with the reference within float32 rounding, not to the bit. NaN follows the
reference: a NaN row or window gives NaN, and pooling takes the last NaN of a window.
Loops are serial: on a small machine Numba's threads compete with BLAS's (see elementwise.py).
"""

import math

import numba
import numpy as np

from .. import numpy_ref

_REF = numpy_ref.TABLE   # every reference kernel by name

_FAST = (np.dtype(np.float32), np.dtype(np.float64))


def _dense(a):
    """A gradient as a C-contiguous array (gradients often arrive expanded from a sum)."""
    if isinstance(a, np.ndarray) and not a.flags.c_contiguous:
        return np.ascontiguousarray(a)
    return a


def _fast(*arrays):
    """All arrays (None allowed) C-contiguous float32/float64 of one dtype."""
    dtype = None
    for a in arrays:
        if a is None:
            continue
        if not isinstance(a, np.ndarray) or a.dtype not in _FAST or not a.flags.c_contiguous:
            return False
        if dtype is not None and a.dtype != dtype:
            return False
        dtype = a.dtype
    return True


# -- softmax over the last dim -----------------------------------------------------------------


# exp runs as NumPy's SIMD ufunc: a scalar loop calling exp (C library or Numba) is several
# times slower. The kernels do the rest: row maxima, sums and the final combination.


@numba.njit(cache=True)
def _shift_rows(x, out):
    """out = x - max(row) (NaN rows stay NaN); returns the row maxima."""
    m = np.empty(x.shape[0], x.dtype)
    for r in range(x.shape[0]):
        best = -np.inf
        for j in range(x.shape[1]):
            v = x[r, j]
            if v > best or v != v:
                best = v
                if v != v:
                    break
        m[r] = best
        for j in range(x.shape[1]):
            out[r, j] = x[r, j] - best
    return m


@numba.njit(cache=True, fastmath={"reassoc"})
def _finish_softmax_rows(shifted, e, out, log):
    """From shifted = x - max and e = exp(shifted): softmax e / sum(e), or log_softmax
    shifted - log(sum(e))."""
    for r in range(e.shape[0]):
        s = 0.0
        for j in range(e.shape[1]):
            s += e[r, j]
        if log:
            ls = math.log(s)
            for j in range(e.shape[1]):
                out[r, j] = shifted[r, j] - ls
        else:
            for j in range(e.shape[1]):
                out[r, j] = e[r, j] / s


@numba.njit(cache=True, fastmath={"reassoc"})
def _softmax_grad_rows(g, y, out):
    """softmax: out = y * (g - sum(g * y))."""
    for r in range(g.shape[0]):
        s = 0.0
        for j in range(g.shape[1]):
            s += g[r, j] * y[r, j]
        for j in range(g.shape[1]):
            out[r, j] = y[r, j] * (g[r, j] - s)


@numba.njit(cache=True, fastmath={"reassoc"})
def _log_softmax_grad_rows(g, e, out):
    """log_softmax, with e = exp(y): out = g - e * sum(g)."""
    for r in range(g.shape[0]):
        s = 0.0
        for j in range(g.shape[1]):
            s += g[r, j]
        for j in range(g.shape[1]):
            out[r, j] = g[r, j] - e[r, j] * s


def _rows(x):
    return x.reshape(-1, x.shape[-1]) if x.ndim else x.reshape(1, 1)


def _softmax_kernel(reference, log):
    def kernel(x, axis):
        if not _fast(x) or x.size == 0 or x.ndim == 0 or axis != x.ndim - 1:
            return reference(x, axis)
        shifted = np.empty_like(x)
        _shift_rows(_rows(x), _rows(shifted))
        with np.errstate(all="ignore"):
            e = np.exp(shifted)
        out = np.empty_like(x)
        _finish_softmax_rows(_rows(shifted), _rows(e), _rows(out), log)
        return out
    kernel.__name__ = reference.__name__
    return kernel


def _softmax_grad_kernel(reference, log):
    def kernel(grad, y, axis):
        grad = _dense(grad)
        if not _fast(grad, y) or grad.shape != y.shape or grad.size == 0 or y.ndim == 0 or \
                axis != y.ndim - 1:
            return reference(grad, y, axis)
        out = np.empty_like(y)
        if log:
            with np.errstate(all="ignore"):
                e = np.exp(y)
            _log_softmax_grad_rows(_rows(grad), _rows(e), _rows(out))
        else:
            _softmax_grad_rows(_rows(grad), _rows(y), _rows(out))
        return out
    kernel.__name__ = reference.__name__
    return kernel


softmax = _softmax_kernel(_REF["softmax"], False)
log_softmax = _softmax_kernel(_REF["log_softmax"], True)
softmax_grad = _softmax_grad_kernel(_REF["softmax_grad"], False)
log_softmax_grad = _softmax_grad_kernel(_REF["log_softmax_grad"], True)


# -- max pooling -------------------------------------------------------------------------------


@numba.njit(cache=True)
def _max_pool3(x, kernel, stride, padding, dilation, values, indices):
    """x (P, D, H, W); values and indices (P, *out): the max of each window and its flat
    index in the (D, H, W) plane. As torch's loop: a value replaces the max when it is
    greater or NaN, so equal maxima keep the first and the last NaN wins."""
    planes, depth, height, width = x.shape
    for p in range(planes):
        for a in range(values.shape[1]):
            for b in range(values.shape[2]):
                for c in range(values.shape[3]):
                    best = -np.inf
                    at = -1
                    for i in range(kernel[0]):
                        z = a * stride[0] - padding[0] + i * dilation[0]
                        if z < 0 or z >= depth:
                            continue
                        for j in range(kernel[1]):
                            y = b * stride[1] - padding[1] + j * dilation[1]
                            if y < 0 or y >= height:
                                continue
                            for k in range(kernel[2]):
                                w = c * stride[2] - padding[2] + k * dilation[2]
                                if w < 0 or w >= width:
                                    continue
                                v = x[p, z, y, w]
                                if at < 0 or v > best or v != v:
                                    best, at = v, (z * height + y) * width + w
                    values[p, a, b, c] = best
                    indices[p, a, b, c] = at


def _as3(values, fill=1):
    """Per-dim values of 1 to 3 spatial dims as 3 dims (`fill` in front: unit sizes, or no
    padding)."""
    return (fill,) * (3 - len(values)) + tuple(values)


def max_pool(x, kernel, stride, padding, dilation, out):
    nd = len(kernel)
    if not _fast(x) or nd > 3 or x.size == 0:
        return _REF["max_pool"](x, kernel, stride, padding, dilation, out)
    planes = x.shape[0] * x.shape[1]
    values = np.empty((planes,) + _as3(out), x.dtype)
    indices = np.empty((planes,) + _as3(out), np.int64)
    _max_pool3(x.reshape((planes,) + _as3(x.shape[2:])), np.array(_as3(kernel), np.int64),
               np.array(_as3(stride), np.int64), np.array(_as3(padding, 0), np.int64),
               np.array(_as3(dilation), np.int64), values, indices)
    shape = x.shape[:2] + tuple(out)
    return values.reshape(shape), indices.reshape(shape)


@numba.njit(cache=True)
def _scatter_rows(g, indices, out):
    for p in range(g.shape[0]):
        for o in range(g.shape[1]):
            out[p, indices[p, o]] += g[p, o]


def scatter_flat(g, indices, spatial):
    g = _dense(g)
    if not _fast(g) or g.ndim < 2 or indices.dtype != np.int64 or \
            not indices.flags.c_contiguous or g.shape != indices.shape:
        return _REF["scatter_flat"](g, indices, spatial)
    planes = g.shape[0] * g.shape[1]
    out = np.zeros((planes, math.prod(spatial)), g.dtype)
    _scatter_rows(g.reshape(planes, -1), indices.reshape(planes, -1), out)
    return out.reshape(g.shape[:2] + tuple(spatial))


# -- layer norm: statistics per row ------------------------------------------------------------


@numba.njit(cache=True, fastmath={"reassoc"})
def _norm_rows(x, w, b, eps, has_w, has_b, y, mean, rstd):
    rows, m = x.shape
    for r in range(rows):
        s = 0.0
        for j in range(m):
            s += x[r, j]
        mu = s / m
        q = 0.0
        for j in range(m):
            d = x[r, j] - mu
            q += d * d
        rs = 1 / math.sqrt(q / m + eps)
        mean[r], rstd[r] = mu, rs
        for j in range(m):
            v = (x[r, j] - mu) * rs
            if has_w:
                v = v * w[j]
            if has_b:
                v = v + b[j]
            y[r, j] = v


@numba.njit(cache=True, fastmath={"reassoc"})
def _norm_rows_grad(g, x, mean, rstd, w, has_w, need_x, gx, gw, gb):
    rows, m = x.shape
    for r in range(rows):
        mu, rs = mean[r], rstd[r]
        s_g = 0.0
        s_gx = 0.0
        for j in range(m):
            xhat = (x[r, j] - mu) * rs
            gw[j] += g[r, j] * xhat
            gb[j] += g[r, j]
            gh = g[r, j] * w[j] if has_w else g[r, j]
            s_g += gh
            s_gx += gh * xhat
        if need_x:
            s_g /= m
            s_gx /= m
            for j in range(m):
                xhat = (x[r, j] - mu) * rs
                gh = g[r, j] * w[j] if has_w else g[r, j]
                gx[r, j] = rs * (gh - s_g - xhat * s_gx)


def _or_empty(a, dtype):
    return np.empty(0, dtype) if a is None else a


def norm_rows(x, w, b, eps):
    if not _fast(x, w, b) or x.size == 0:
        return _REF["norm_rows"](x, w, b, eps)
    rows = x.shape[0]
    y = np.empty_like(x)
    mean = np.empty(rows, x.dtype)
    rstd = np.empty(rows, x.dtype)
    _norm_rows(x, _or_empty(w, x.dtype), _or_empty(b, x.dtype), eps, w is not None,
               b is not None, y, mean, rstd)
    return y, mean, rstd


def norm_rows_grad(g, x, mean, rstd, w, needs):
    g = _dense(g)
    if not _fast(g, x, mean, rstd, w) or x.size == 0:
        return _REF["norm_rows_grad"](g, x, mean, rstd, w, needs)
    gx = np.empty_like(x) if needs[0] else np.empty((0, 0), x.dtype)
    gw = np.zeros(x.shape[1], np.float64)          # sums over rows, accumulated in float64
    gb = np.zeros(x.shape[1], np.float64)
    _norm_rows_grad(g, x, mean, rstd, _or_empty(w, x.dtype), w is not None, needs[0],
                    gx, gw, gb)
    return (gx if needs[0] else None, gw.astype(x.dtype) if needs[1] else None,
            gb.astype(x.dtype) if needs[2] else None)


# -- batch norm: statistics per channel of (N, C, S) -------------------------------------------


@numba.njit(cache=True, fastmath={"reassoc"})
def _channel_moments(x, mean, var):
    n, channels, s = x.shape
    count = n * s
    for c in range(channels):
        total = 0.0
        for i in range(n):
            for j in range(s):
                total += x[i, c, j]
        mu = total / count
        q = 0.0
        for i in range(n):
            for j in range(s):
                d = x[i, c, j] - mu
                q += d * d
        mean[c], var[c] = mu, q / count


@numba.njit(cache=True)
def _norm_channels(x, mean, rstd, w, b, has_w, has_b, y):
    n, channels, s = x.shape
    for i in range(n):
        for c in range(channels):
            scale = rstd[c] * w[c] if has_w else rstd[c]
            shift = b[c] if has_b else 0.0
            mu = mean[c]
            for j in range(s):
                y[i, c, j] = (x[i, c, j] - mu) * scale + shift


@numba.njit(cache=True, fastmath={"reassoc"})
def _norm_channels_grad(g, x, mean, rstd, w, has_w, through_stats, need_x, gx, gw, gb):
    n, channels, s = x.shape
    count = n * s
    for c in range(channels):
        mu, rs = mean[c], rstd[c]
        s_g = 0.0
        s_gx = 0.0
        for i in range(n):
            for j in range(s):
                s_g += g[i, c, j]
                s_gx += g[i, c, j] * (x[i, c, j] - mu) * rs
        gw[c], gb[c] = s_gx, s_g
        if need_x:
            scale = rs * w[c] if has_w else rs
            m_g = s_g / count
            m_gx = s_gx / count
            for i in range(n):
                for j in range(s):
                    if through_stats:
                        xhat = (x[i, c, j] - mu) * rs
                        gx[i, c, j] = scale * (g[i, c, j] - m_g - xhat * m_gx)
                    else:
                        gx[i, c, j] = scale * g[i, c, j]


def channel_moments(x):
    if not _fast(x) or x.size == 0:
        return _REF["channel_moments"](x)
    mean = np.empty(x.shape[1], np.float64)
    var = np.empty(x.shape[1], np.float64)
    _channel_moments(x, mean, var)
    return mean.astype(x.dtype), var.astype(x.dtype)


def norm_channels(x, mean, rstd, w, b):
    if not _fast(x, mean, rstd, w, b) or x.size == 0:
        return _REF["norm_channels"](x, mean, rstd, w, b)
    y = np.empty_like(x)
    _norm_channels(x, mean, rstd, _or_empty(w, x.dtype), _or_empty(b, x.dtype),
                   w is not None, b is not None, y)
    return y


def norm_channels_grad(g, x, mean, rstd, w, through_stats, needs):
    g = _dense(g)
    if not _fast(g, x, mean, rstd, w) or x.size == 0:
        return _REF["norm_channels_grad"](g, x, mean, rstd, w, through_stats, needs)
    gx = np.empty_like(x) if needs[0] else np.empty((0, 0, 0), x.dtype)
    gw = np.empty(x.shape[1], np.float64)
    gb = np.empty(x.shape[1], np.float64)
    _norm_channels_grad(g, x, mean, rstd, _or_empty(w, x.dtype), w is not None, through_stats,
                        needs[0], gx, gw, gb)
    return (gx if needs[0] else None, gw.astype(x.dtype) if needs[1] else None,
            gb.astype(x.dtype) if needs[2] else None)


# -- the LSTM step -----------------------------------------------------------------------------


@numba.njit(cache=True)
def _lstm_gates_grad(gh, gc, act, c, tc, gates, gc_prev):
    batch, hidden = c.shape
    for r in range(batch):
        for j in range(hidden):
            i, f = act[r, j], act[r, hidden + j]
            g, o = act[r, 2 * hidden + j], act[r, 3 * hidden + j]
            t = tc[r, j]
            gcell = gc[r, j] + gh[r, j] * o * (1 - t * t)
            gates[r, j] = gcell * g * i * (1 - i)
            gates[r, hidden + j] = gcell * c[r, j] * f * (1 - f)
            gates[r, 2 * hidden + j] = gcell * i * (1 - g * g)
            gates[r, 3 * hidden + j] = gh[r, j] * t * o * (1 - o)
            gc_prev[r, j] = gcell * f


def lstm_gates_grad(gh, gc, act, c, tc):
    gh, gc = _dense(gh), _dense(gc)
    if not _fast(gh, gc, act, c, tc) or gh.shape != c.shape or gc.shape != c.shape:
        return _REF["lstm_gates_grad"](gh, gc, act, c, tc)
    gates, gc_prev = np.empty_like(act), np.empty_like(c)
    _lstm_gates_grad(gh, gc, act, c, tc, gates, gc_prev)
    return gates, gc_prev


def rnn_layer(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh):
    """The reference's loop over time with the compiled backward of the LSTM step. The
    forward step stays NumPy's: its five transcendental functions per cell run as NumPy's
    SIMD exp and tanh, which a scalar loop calling the C library's (or Numba's) functions
    does not beat (measured: 139 us against 109 us per step of 20 x 200 cells)."""
    return _REF["rnn_layer"](mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh,
                             lstm=(_REF["lstm_gates"], lstm_gates_grad))


KERNELS = {
    "softmax": softmax, "log_softmax": log_softmax, "softmax_grad": softmax_grad,
    "log_softmax_grad": log_softmax_grad, "max_pool": max_pool, "scatter_flat": scatter_flat,
    "norm_rows": norm_rows, "norm_rows_grad": norm_rows_grad,
    "channel_moments": channel_moments, "norm_channels": norm_channels,
    "norm_channels_grad": norm_channels_grad, "lstm_gates_grad": lstm_gates_grad,
    "rnn_layer": rnn_layer,
}
