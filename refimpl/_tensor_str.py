"""Tensor.__repr__ in torch's print format: `tensor([1.0000, 2.5000], requires_grad=True)`.

Spec torch.Tensor.repr and torch.printing.*. How torch prints a tensor:
- Floats: one format for all elements, chosen from the finite nonzero values: scientific
  (`1.0000e+08`) when the largest / smallest magnitude exceeds 1000, the largest exceeds 1e8
  or the smallest is below 1e-4 (`sci_mode` of set_printoptions overrides this choice);
  else `3.` when all are integers, else `precision` decimals (4 by default). Every element
  is right-aligned to the widest formatted finite nonzero value.
- Integers print as themselves and bool as True/False, right-aligned to the widest.
- Complex: real and imaginary parts get a format each; `1.+2.j`.
- More than `threshold` (1000) elements: only the first and last `edgeitems` (3) of each dim
  print, with `...` between; the formats are chosen from the printed values only.
- Rows wrap at `linewidth` (80) characters; nested dims are separated by as many newlines
  as their depth, and indented under `tensor(`.
- Suffixes, each after ', ' (or on a new line where the line would pass linewidth):
  `size=(...)` for an empty tensor not of shape (0,), `device='cuda:0'` off the cpu,
  `dtype=...` unless the dtype is the default float, its complex counterpart, int64 or bool
  (for an empty tensor: unless it is the default float), then `grad_fn=<Name>` or
  `requires_grad=True`.
"""

import math
from types import SimpleNamespace

import numpy as np

from . import _dtype

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}
PRINT_OPTS = SimpleNamespace(**_PROFILES["default"], sci_mode=None)


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """torch.set_printoptions: a profile ('default', 'short', 'full') sets all four numbers;
    explicit arguments override it; sci_mode (None: torch decides) is always set."""
    if profile is not None:
        for key, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, key, value)
    for key, value in (("precision", precision), ("threshold", threshold),
                       ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            setattr(PRINT_OPTS, key, value)
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """The current print options as a dict."""
    return dict(vars(PRINT_OPTS))


class _Formatter:
    """The common format of a set of values (see the module docstring)."""

    def __init__(self, values, floating):
        self.floating = floating
        self.int_mode, self.sci_mode, self.max_width = True, False, 1
        if not floating:
            self.max_width = max((len(_plain(v)) for v in values), default=1)
            return
        finite = [v for v in values if math.isfinite(v) and v != 0]
        if not finite:
            return
        lo = min(abs(v) for v in finite)
        hi = max(abs(v) for v in finite)
        self.int_mode = all(v == math.ceil(v) for v in finite)
        self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4 \
            if PRINT_OPTS.sci_mode is None else PRINT_OPTS.sci_mode
        if self.sci_mode:
            text = [f"{v:.{PRINT_OPTS.precision}e}" for v in finite]
        elif self.int_mode:
            text = [f"{v:.0f}." for v in finite]
        else:
            text = [f"{v:.{PRINT_OPTS.precision}f}" for v in finite]
        self.max_width = max(len(t) for t in text)

    def format(self, value):
        if not self.floating:
            text = _plain(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{PRINT_OPTS.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{PRINT_OPTS.precision}f}"
        return text.rjust(self.max_width)


def _plain(v):
    return str(v)


def _summarized(a):
    """The values a summarized print shows: the first and last edgeitems along each dim."""
    e = PRINT_OPTS.edgeitems
    if a.ndim == 0:
        return a
    if a.shape[0] > 2 * e:
        a = np.concatenate([a[:e], a[a.shape[0] - e:]])
    if a.ndim == 1:
        return a
    return np.stack([_summarized(x) for x in a]) if len(a) else a


class _Printer:
    def __init__(self, array, summarize):
        self.summarize = summarize
        shown = _summarized(array) if summarize else array
        self.complex = array.dtype.kind == "c"
        floating = array.dtype.kind in "fc"
        if self.complex:
            self.real = _Formatter(shown.real.reshape(-1).tolist(), True)
            self.imag = _Formatter(shown.imag.reshape(-1).tolist(), True)
        else:
            self.real = _Formatter(shown.reshape(-1).tolist(), floating)
            self.imag = None

    def value(self, v):
        if not self.complex:
            return self.real.format(v)
        imag = (self.imag.format(v.imag) + "j").lstrip()
        real = self.real.format(v.real)
        return real + imag if imag[0] in "+-" else real + "+" + imag

    def vector(self, a, indent):
        width = self.real.max_width + 2
        if self.imag is not None:
            width += self.imag.max_width + 1
        per_line = builtins_max(1, int(math.floor((PRINT_OPTS.linewidth - indent) / width)))
        e = PRINT_OPTS.edgeitems
        if self.summarize and not e:
            data = ["..."]
        elif self.summarize and a.shape[0] > 2 * e:
            data = [self.value(v) for v in a[:e].tolist()] + [" ..."] + \
                [self.value(v) for v in a[a.shape[0] - e:].tolist()]
        else:
            data = [self.value(v) for v in a.tolist()]
        lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
        return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"

    def tensor(self, a, indent):
        if a.ndim == 0:
            return self.value(a.item())
        if a.ndim == 1:
            return self.vector(a, indent)
        e = PRINT_OPTS.edgeitems
        if self.summarize and a.shape[0] > 2 * e:
            rows = [self.tensor(a[i], indent + 1) for i in range(e)] + ["..."] + \
                [self.tensor(a[i], indent + 1) for i in range(len(a) - e, len(a))]
        else:
            rows = [self.tensor(a[i], indent + 1) for i in range(a.shape[0])]
        return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


builtins_max = max


def _add_suffixes(text, suffixes, indent):
    parts = [text]
    last_line = len(text) - text.rfind("\n") + 1
    for s in suffixes:
        if last_line + len(s) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + s)
            last_line = indent + len(s)
        else:
            parts.append(", " + s)
            last_line += len(s) + 2
    return "".join(parts) + ")"


def tensor_repr(t):
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if t._device.type != "cpu":
        suffixes.append(f"device='{t._device}'")
    default = _dtype.get_default_dtype()
    default_complex = _dtype.complex128 if default is _dtype.float64 else _dtype.complex64
    if t.numel() == 0:
        if t.dim() != 1:
            suffixes.append(f"size={tuple(t._shape)}")
        if t._dtype is not default:
            suffixes.append(f"dtype={t._dtype}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(t._shape)}")
        if t._dtype not in (default, default_complex, _dtype.int64, _dtype.bool):
            suffixes.append(f"dtype={t._dtype}")
        array = np.asarray(t._host())
        if t._dtype in (_dtype.float16, _dtype.bfloat16):
            array = array.astype(np.float32)
        body = _Printer(array, t.numel() > PRINT_OPTS.threshold).tensor(array, indent)
    if t._grad_fn is not None:
        suffixes.append(f"grad_fn=<{t._grad_fn.name()}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
