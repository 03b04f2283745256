"""Neural-network kernels (numba.cuda): softmax, max pooling, layer and batch norm.

The same entries as the Numba CPU ones (kernels/numba/nn.py), with the reference's
signatures and results. One thread per independent piece of work, so no thread ever adds
into another's output (no atomics, results do not depend on scheduling):

- softmax / log_softmax and their gradients over the last dim: a thread per row;
- max pooling (1- to 3-D, as 3-D): a thread per output element scans its window; its
  backward a thread per (sample, channel) plane adds that plane's gradients at their indices;
- layer norm: a thread per row for the statistics, the output and the input's gradient, a
  thread per column for the weight and bias gradients;
- batch norm: a thread per channel for the statistics and all three gradients, a thread per
  element for the output.

Sums run in order in the input's dtype, so float32 results may differ from the reference's
pairwise sums in the last bits. Inputs are made dense first (memory.dense: a view when they
already are). Other dtypes, other layouts (softmax over a dim that is not the last) and the
LSTM step run the NumPy reference on the host.
"""

import math

import numpy as np

from .. import numpy_ref
from . import _runtime as runtime
from ._runtime import cuda, exp, jit, launch, log
from .memory import dense, flat, on_host

__all__ = ["softmax", "log_softmax", "softmax_grad", "log_softmax_grad", "max_pool",
           "scatter_flat", "norm_rows", "norm_rows_grad", "channel_moments", "norm_channels",
           "norm_channels_grad"]

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _floats(*arrays):
    return all(a is None or a.dtype == arrays[0].dtype for a in arrays) and \
        arrays[0].dtype in _FLOATS


def _d(x):
    """x as a flat dense array of its own dtype and shape."""
    return dense(x, x.dtype, x.shape)


def _or_empty(x, dtype):
    return runtime.empty((1,), dtype) if x is None else _d(x)


# -- softmax over the last dim -----------------------------------------------------------------


@jit
def _softmax_rows_kernel(out, x, rows, m, log_form, zero):
    r = cuda.grid(1)
    if r < rows:
        base = r * m
        best = x[base]
        for j in range(1, m):
            v = x[base + j]
            if v > best or v != v:
                best = v
                if v != v:
                    break
        s = zero
        for j in range(m):
            s += exp(x[base + j] - best)
        if log_form:
            shift = best + log(s)
            for j in range(m):
                out[base + j] = x[base + j] - shift
        else:
            for j in range(m):
                out[base + j] = exp(x[base + j] - best) / s


@jit
def _softmax_grad_rows_kernel(out, g, y, rows, m, log_form, zero):
    r = cuda.grid(1)
    if r < rows:
        base = r * m
        s = zero
        for j in range(m):
            s += g[base + j] if log_form else g[base + j] * y[base + j]
        for j in range(m):
            if log_form:
                out[base + j] = g[base + j] - exp(y[base + j]) * s
            else:
                out[base + j] = y[base + j] * (g[base + j] - s)


def _softmax(reference, log_form):
    def kernel(x, axis):
        if not _floats(x) or x.ndim == 0 or axis != x.ndim - 1 or x.size == 0:
            return on_host(reference, x, axis)
        out = runtime.empty(x.shape, x.dtype)
        m = x.shape[x.ndim - 1]
        launch(_softmax_rows_kernel, x.size // m, flat(out), _d(x), x.size // m, m, log_form,
               x.dtype.type(0))
        return out
    kernel.__name__ = reference.__name__
    return kernel


def _softmax_grad(reference, log_form):
    def kernel(grad, y, axis):
        if not _floats(grad, y) or y.ndim == 0 or axis != y.ndim - 1 or y.size == 0 or \
                tuple(grad.shape) != tuple(y.shape):
            return on_host(reference, grad, y, axis)
        out = runtime.empty(y.shape, y.dtype)
        m = y.shape[y.ndim - 1]
        launch(_softmax_grad_rows_kernel, y.size // m, flat(out), _d(grad), _d(y),
               y.size // m, m, log_form, y.dtype.type(0))
        return out
    kernel.__name__ = reference.__name__
    return kernel


softmax = _softmax(numpy_ref.TABLE["softmax"], False)
log_softmax = _softmax(numpy_ref.TABLE["log_softmax"], True)
softmax_grad = _softmax_grad(numpy_ref.TABLE["softmax_grad"], False)
log_softmax_grad = _softmax_grad(numpy_ref.TABLE["log_softmax_grad"], True)


# -- max pooling -------------------------------------------------------------------------------


@jit
def _max_pool_kernel(values, indices, x, n_out, size, out, kernel, stride, padding, dilation):
    """size = (D, H, W) of the input planes, out = (od, oh, ow); one output element each."""
    t = cuda.grid(1)
    if t < n_out:
        c = t % out[2]
        b = (t // out[2]) % out[1]
        a = (t // (out[2] * out[1])) % out[0]
        p = t // (out[2] * out[1] * out[0])
        plane = p * size[0] * size[1] * size[2]
        best = -math.inf
        at = -1
        for i in range(kernel[0]):
            z = a * stride[0] - padding[0] + i * dilation[0]
            if z < 0 or z >= size[0]:
                continue
            for j in range(kernel[1]):
                y = b * stride[1] - padding[1] + j * dilation[1]
                if y < 0 or y >= size[1]:
                    continue
                for k in range(kernel[2]):
                    w = c * stride[2] - padding[2] + k * dilation[2]
                    if w < 0 or w >= size[2]:
                        continue
                    index = (z * size[1] + y) * size[2] + w
                    v = x[plane + index]
                    if at < 0 or v > best or v != v:
                        best, at = v, index
        values[t] = best
        indices[t] = at


def _as3(values, fill=1):
    return (fill,) * (3 - len(values)) + tuple(values)


def max_pool(x, kernel, stride, padding, dilation, out):
    if not _floats(x) or len(kernel) > 3 or x.size == 0:
        return on_host(numpy_ref.TABLE["max_pool"], x, kernel, stride, padding, dilation, out)
    shape = tuple(x.shape[:2]) + tuple(out)
    values = runtime.empty(shape, x.dtype)
    indices = runtime.empty(shape, np.int64)
    n_out = math.prod(shape)
    launch(_max_pool_kernel, n_out, flat(values), flat(indices), _d(x), n_out,
           _as3(x.shape[2:]), _as3(out), _as3(kernel), _as3(stride), _as3(padding, 0),
           _as3(dilation))
    return values, indices


@jit
def _scatter_planes_kernel(out, g, indices, planes, per_out, per_in):
    p = cuda.grid(1)
    if p < planes:
        for o in range(per_out):
            out[p * per_in + indices[p * per_out + o]] += g[p * per_out + o]


@jit
def _fill_kernel(out, value):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = value


def scatter_flat(g, indices, spatial):
    if not _floats(g) or g.ndim < 2 or tuple(g.shape) != tuple(indices.shape) or \
            indices.dtype != np.int64:
        return on_host(numpy_ref.TABLE["scatter_flat"], g, indices, spatial)
    planes = g.shape[0] * g.shape[1]
    shape = tuple(g.shape[:2]) + tuple(spatial)
    out = runtime.empty(shape, g.dtype)
    out_flat = flat(out)
    launch(_fill_kernel, out.size, out_flat, g.dtype.type(0))
    if planes:
        launch(_scatter_planes_kernel, planes, out_flat, _d(g), _d(indices), planes,
               g.size // planes, math.prod(spatial))
    return out


# -- layer norm: a row per thread --------------------------------------------------------------


@jit
def _norm_rows_kernel(y, mean, rstd, x, w, b, rows, m, eps, has_w, has_b, zero):
    r = cuda.grid(1)
    if r < rows:
        base = r * m
        s = zero
        for j in range(m):
            s += x[base + j]
        mu = s / m
        q = zero
        for j in range(m):
            q += (x[base + j] - mu) * (x[base + j] - mu)
        rs = 1 / math.sqrt(q / m + eps)
        mean[r], rstd[r] = mu, rs
        for j in range(m):
            v = (x[base + j] - mu) * rs
            if has_w:
                v = v * w[j]
            if has_b:
                v = v + b[j]
            y[base + j] = v


@jit
def _norm_rows_gx_kernel(gx, g, x, mean, rstd, w, rows, m, has_w, zero):
    r = cuda.grid(1)
    if r < rows:
        base = r * m
        mu, rs = mean[r], rstd[r]
        s_g = zero
        s_gx = zero
        for j in range(m):
            gh = g[base + j] * w[j] if has_w else g[base + j]
            s_g += gh
            s_gx += gh * (x[base + j] - mu) * rs
        for j in range(m):
            gh = g[base + j] * w[j] if has_w else g[base + j]
            gx[base + j] = rs * (gh - s_g / m - (x[base + j] - mu) * rs * s_gx / m)


@jit
def _norm_rows_gwb_kernel(gw, gb, g, x, mean, rstd, rows, m, zero):
    j = cuda.grid(1)
    if j < m:
        s_w = zero
        s_b = zero
        for r in range(rows):
            s_w += g[r * m + j] * (x[r * m + j] - mean[r]) * rstd[r]
            s_b += g[r * m + j]
        gw[j], gb[j] = s_w, s_b


def norm_rows(x, w, b, eps):
    if not _floats(x, w, b) or x.size == 0:
        return on_host(numpy_ref.TABLE["norm_rows"], x, w, b, eps)
    rows, m = x.shape
    y = runtime.empty(x.shape, x.dtype)
    mean, rstd = runtime.empty((rows,), x.dtype), runtime.empty((rows,), x.dtype)
    launch(_norm_rows_kernel, rows, flat(y), mean, rstd, _d(x), _or_empty(w, x.dtype),
           _or_empty(b, x.dtype), rows, m, eps, w is not None, b is not None, x.dtype.type(0))
    return y, mean, rstd


def norm_rows_grad(g, x, mean, rstd, w, needs):
    if not _floats(g, x, mean, rstd, w) or x.size == 0:
        return on_host(numpy_ref.TABLE["norm_rows_grad"], g, x, mean, rstd, w, needs)
    rows, m = x.shape
    zero = x.dtype.type(0)
    gx = gw = gb = None
    if needs[0]:
        gx = runtime.empty(x.shape, x.dtype)
        launch(_norm_rows_gx_kernel, rows, flat(gx), _d(g), _d(x), mean, rstd,
               _or_empty(w, x.dtype), rows, m, w is not None, zero)
    if needs[1] or needs[2]:
        gw, gb = runtime.empty((m,), x.dtype), runtime.empty((m,), x.dtype)
        launch(_norm_rows_gwb_kernel, m, gw, gb, _d(g), _d(x), mean, rstd, rows, m, zero)
    return gx, gw if needs[1] else None, gb if needs[2] else None


# -- batch norm: a channel per thread ----------------------------------------------------------


@jit
def _channel_moments_kernel(mean, var, x, n, channels, s, zero):
    c = cuda.grid(1)
    if c < channels:
        total = zero
        for i in range(n):
            for j in range(s):
                total += x[(i * channels + c) * s + j]
        mu = total / (n * s)
        q = zero
        for i in range(n):
            for j in range(s):
                d = x[(i * channels + c) * s + j] - mu
                q += d * d
        mean[c], var[c] = mu, q / (n * s)


@jit
def _norm_channels_kernel(y, x, mean, rstd, w, b, channels, s, has_w, has_b):
    t = cuda.grid(1)
    if t < y.size:
        c = (t // s) % channels
        v = (x[t] - mean[c]) * rstd[c]
        if has_w:
            v = v * w[c]
        if has_b:
            v = v + b[c]
        y[t] = v


@jit
def _norm_channels_grad_kernel(gx, gw, gb, g, x, mean, rstd, w, n, channels, s, has_w,
                               through_stats, need_x, zero):
    c = cuda.grid(1)
    if c < channels:
        mu, rs = mean[c], rstd[c]
        s_g = zero
        s_gx = zero
        for i in range(n):
            for j in range(s):
                t = (i * channels + c) * s + j
                s_g += g[t]
                s_gx += g[t] * (x[t] - mu) * rs
        gw[c], gb[c] = s_gx, s_g
        if need_x:
            scale = rs * w[c] if has_w else rs
            for i in range(n):
                for j in range(s):
                    t = (i * channels + c) * s + j
                    if through_stats:
                        gx[t] = scale * (g[t] - s_g / (n * s) - (x[t] - mu) * rs * s_gx / (n * s))
                    else:
                        gx[t] = scale * g[t]


def channel_moments(x):
    if not _floats(x) or x.size == 0:
        return on_host(numpy_ref.TABLE["channel_moments"], x)
    n, channels, s = x.shape
    mean, var = runtime.empty((channels,), x.dtype), runtime.empty((channels,), x.dtype)
    launch(_channel_moments_kernel, channels, mean, var, _d(x), n, channels, s,
           x.dtype.type(0))
    return mean, var


def norm_channels(x, mean, rstd, w, b):
    if not _floats(x, mean, rstd, w, b) or x.size == 0:
        return on_host(numpy_ref.TABLE["norm_channels"], x, mean, rstd, w, b)
    y = runtime.empty(x.shape, x.dtype)
    launch(_norm_channels_kernel, x.size, flat(y), _d(x), _d(mean), _d(rstd),
           _or_empty(w, x.dtype), _or_empty(b, x.dtype), x.shape[1], x.shape[2],
           w is not None, b is not None)
    return y


def norm_channels_grad(g, x, mean, rstd, w, through_stats, needs):
    if not _floats(g, x, mean, rstd, w) or x.size == 0:
        return on_host(numpy_ref.TABLE["norm_channels_grad"], g, x, mean, rstd, w,
                       through_stats, needs)
    n, channels, s = x.shape
    gx = runtime.empty(x.shape, x.dtype) if needs[0] else runtime.empty((1,), x.dtype)
    gw, gb = runtime.empty((channels,), x.dtype), runtime.empty((channels,), x.dtype)
    launch(_norm_channels_grad_kernel, channels, flat(gx), gw, gb, _d(g), _d(x), _d(mean),
           _d(rstd), _or_empty(w, x.dtype), n, channels, s, w is not None, through_stats,
           needs[0], x.dtype.type(0))
    return gx if needs[0] else None, gw if needs[1] else None, gb if needs[2] else None
