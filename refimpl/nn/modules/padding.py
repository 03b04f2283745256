"""nn modules: ZeroPad, ConstantPad, ReflectionPad, ReplicationPad, CircularPad 1d/2d/3d.
Each stores `padding` as a 2*nd tuple (last dim first) and calls F.pad."""

from .._functional.padding import pad
from .module import Module

__all__ = [f"{kind}Pad{n}d" for kind in ("Zero", "Constant", "Reflection", "Replication",
                                          "Circular") for n in (1, 2, 3)]


class _PadNd(Module):
    _nd, _mode = 1, "constant"

    def __init__(self, padding, value=0.0):
        super().__init__()
        self.padding = tuple(padding) if isinstance(padding, (list, tuple)) else \
            (padding,) * (2 * self._nd)
        if self._mode == "constant":
            self.value = value

    def forward(self, input):
        if self._mode == "constant":
            return pad(input, self.padding, "constant", self.value)
        return pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding, value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_PadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


def _make(base, kind, nd, mode):
    doc = f"nn.{kind}Pad{nd}d: F.pad(input, padding, mode={mode!r}) on the last {nd} dim(s)."
    return type(f"{kind}Pad{nd}d", (base,), {"_nd": nd, "_mode": mode, "__doc__": doc,
                                              "__module__": __name__})


for _nd in (1, 2, 3):
    for _kind, _base, _mode in (("Zero", _ZeroPadNd, "constant"),
                                ("Constant", _ConstantPadNd, "constant"),
                                ("Reflection", _PadNd, "reflect"),
                                ("Replication", _PadNd, "replicate"),
                                ("Circular", _PadNd, "circular")):
        globals()[f"{_kind}Pad{_nd}d"] = _make(_base, _kind, _nd, _mode)
