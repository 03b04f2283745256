"""Tensor.__repr__ in torch's print format: `tensor([1.0000, 2.5000], requires_grad=True)`.

Spec torch.Tensor.repr. Floats print with 4 decimals, or with a trailing '.' when every value
is an integer, or in scientific notation when the magnitudes span more than 1000x (or exceed
1e8, or go below 1e-4); all elements share one width. The suffix names a non-default dtype,
a non-cpu device, and the autograd state.
"""

import math

import numpy as np

from . import _dtype

PRECISION = 4
THRESHOLD = 1000
EDGEITEMS = 3


def _float_formatter(values):
    finite = [abs(v) for v in values if math.isfinite(v) and v != 0]
    if not finite:
        int_mode, sci = True, False
    else:
        int_mode = all(v == math.ceil(v) for v in finite)
        lo, hi = min(finite), max(finite)
        sci = hi / lo > 1000 or hi > 1e8 or (not int_mode and lo < 1e-4)

    def fmt(v):
        if not math.isfinite(v):
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        if sci:
            return f"{v:.{PRECISION}e}"
        if int_mode:
            return f"{v:.0f}."
        return f"{v:.{PRECISION}f}"
    return fmt


def _formatter(dtype, values):
    if dtype is _dtype.bool:
        return lambda v: "True" if v else "False"
    if dtype.is_floating_point:
        return _float_formatter(values)
    if dtype.is_complex:
        real = _float_formatter([v.real for v in values])
        imag = _float_formatter([v.imag for v in values])
        return lambda v: f"{real(v.real)}{'+' if v.imag >= 0 else '-'}{imag(abs(v.imag))}j"
    return str


def _body(arr, fmt, width, indent, summarize):
    if arr.ndim == 0:
        return fmt(arr.item()).rjust(width)
    if arr.ndim == 1:
        items = [fmt(v).rjust(width) for v in arr.tolist()] if not summarize or \
            len(arr) <= 2 * EDGEITEMS else \
            [fmt(v).rjust(width) for v in arr[:EDGEITEMS].tolist()] + ["..."] + \
            [fmt(v).rjust(width) for v in arr[-EDGEITEMS:].tolist()]
        return "[" + ", ".join(items) + "]"
    sep = "," + "\n" * (arr.ndim - 1) + " " * (indent + 1)
    rows = range(len(arr))
    if summarize and len(arr) > 2 * EDGEITEMS:
        rows = list(range(EDGEITEMS)) + [None] + list(range(len(arr) - EDGEITEMS, len(arr)))
    parts = ["..." if i is None else _body(arr[i], fmt, width, indent + 1, summarize)
             for i in rows]
    return "[" + sep.join(parts) + "]"


def tensor_repr(t):
    arr = np.asarray(t._host()) if t.numel() else np.zeros(t._shape)
    if t._dtype in (_dtype.float16, _dtype.bfloat16):
        arr = arr.astype(np.float32)
    summarize = t.numel() > THRESHOLD
    flat = arr.reshape(-1).tolist() if not summarize else _edges(arr)
    fmt = _formatter(t._dtype, flat)
    width = max((len(fmt(v)) for v in flat), default=0)
    prefix = "tensor("
    body = _body(arr, fmt, width, len(prefix), summarize) if t.numel() else "[]"
    suffix = []
    if t.numel() == 0 and t.dim() != 1:
        suffix.append(f"size={tuple(t._shape)}")
    if t._device.type != "cpu":
        suffix.append(f"device='{t._device}'")
    default = _dtype.get_default_dtype()
    if t._dtype not in (default, _dtype.int64, _dtype.bool) or \
            (t._dtype is _dtype.bool and t.numel() == 0):
        suffix.append(f"dtype={t._dtype}")
    if t._grad_fn is not None:
        suffix.append(f"grad_fn=<{t._grad_fn.name()}>")
    elif t._requires_grad:
        suffix.append("requires_grad=True")
    return prefix + body + "".join(", " + s for s in suffix) + ")"


def _edges(arr):
    """The values a summarized print shows (the first and last EDGEITEMS along each dim)."""
    if arr.ndim == 0:
        return [arr.item()]
    if len(arr) > 2 * EDGEITEMS:
        arr = np.concatenate([arr[:EDGEITEMS], arr[-EDGEITEMS:]])
    return [v for sub in arr for v in (_edges(sub) if arr.ndim > 1 else [sub.item()])]
