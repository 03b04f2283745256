"""The backend contract, the built-in backends, and how a backend is chosen.

A backend is any object with:
- `name`: used in reports (reports/<name>/);
- `torch`: the torch-like namespace under test;
- `device`: where tests create tensors ("cpu", "cuda"); the oracle always runs on CPU;
- `tensor(array, requires_grad=False)`: a *copy* of a NumPy array as a contiguous tensor on
  `device` (never shared memory: an in-place test must not corrupt the other side's input);
- `to_numpy(tensor)`: a detached host copy as a NumPy array;
and optionally `capabilities` (a set of strings such as "float16", "bfloat16", "cuda",
"sparse", "rng-cpu-exact"), `expected_failures` ({clause_id: reason}; strict: an expected
failure that passes is reported) and `setup()` / `teardown()`.

Select one with `--backend NAME`, `--backend module:attribute`, or CONFORMANCE_BACKEND.
Third-party packages register theirs under the entry-point group `conformance.backends`.
"""

import importlib
import os
from importlib import metadata

import numpy as np

try:
    import ml_dtypes
    _BF16 = np.dtype(ml_dtypes.bfloat16)
except ImportError:  # pragma: no cover - ml_dtypes ships with refimpl
    _BF16 = None


class Backend:
    """A base class for backends whose namespace follows torch's tensor API closely."""

    name = "backend"
    device = "cpu"
    capabilities = frozenset()
    expected_failures = {}

    @property
    def torch(self):
        raise NotImplementedError

    def tensor(self, array, requires_grad=False):
        T = self.torch
        array = np.asarray(array)
        if _BF16 is not None and array.dtype == _BF16:
            # from the bits: a float32 -> bfloat16 cast may change a NaN's sign bit (torch's
            # vectorized cast makes every NaN 0xFFFF), and the input must be the same bits
            src = T.tensor(np.ascontiguousarray(array).view(np.int16)).view(T.bfloat16)
        else:
            src = T.tensor(array.copy())
        # torch.tensor(ndarray) keeps NumPy's strides (an empty array can get stride 0);
        # copying into a fresh tensor gives the library's own contiguous strides.
        t = T.empty(tuple(src.shape), dtype=src.dtype, device=self.device)
        t.copy_(src)
        if requires_grad:
            t.requires_grad_(True)
        return t

    def to_numpy(self, tensor):
        T = self.torch
        t = tensor.detach().cpu()
        if t.dtype == T.bfloat16:
            return t.float().numpy().astype(_BF16)
        return np.array(t.numpy(), copy=True)

    def setup(self):
        pass

    def teardown(self):
        pass


class TorchBackend(Backend):
    """Real torch: the suite must pass 100% on it (it proves the suite has no false alarms)."""

    name = "torch"
    capabilities = frozenset({"float16", "bfloat16", "complex", "rng-cpu-exact", "sparse"})

    @property
    def torch(self):
        import torch
        return torch


class RefimplBackend(Backend):
    """refimpl with one CPU kernel table ("numpy", the reference, or "numba"); its CPU
    generator is torch's mt19937 with torch's sampling kernels, so it claims rng-cpu-exact."""

    capabilities = frozenset({"float16", "bfloat16", "complex", "rng-cpu-exact"})

    def __init__(self, kernels="numpy", name=None):
        self.kernels = kernels
        self.name = name or ("refimpl" if kernels == "numpy" else f"refimpl-{kernels}")

    @property
    def torch(self):
        import refimpl
        return refimpl

    def setup(self):
        import refimpl
        refimpl.kernels.use(self.kernels)


class RefimplCudaBackend(RefimplBackend):
    """refimpl on its cuda device: a real GPU when there is one, else numba's CUDA simulator
    (which must be switched on before numba is imported, so run it in its own process)."""

    name = "refimpl-cuda"
    device = "cuda"
    capabilities = frozenset({"cuda"})

    def __init__(self):
        super().__init__("numpy", "refimpl-cuda")

    def setup(self):
        import sys
        if "numba" not in sys.modules and not _real_gpu_expected():
            os.environ.setdefault("REFIMPL_CUDA_SIMULATOR", "1")
        import refimpl
        if not refimpl.cuda.is_available():
            raise RuntimeError("refimpl-cuda needs a GPU or REFIMPL_CUDA_SIMULATOR=1 set before "
                               "numba is imported (run this backend in its own process)")
        super().setup()


def _real_gpu_expected():
    return os.environ.get("REFIMPL_CUDA_SIMULATOR") == "0"


BUILTIN = {
    "torch": TorchBackend,
    "refimpl": lambda: RefimplBackend("numpy"),
    "refimpl-numba": lambda: RefimplBackend("numba"),
    "refimpl-cuda": RefimplCudaBackend,
}


def get_backend(spec=None):
    """The backend named by `spec`: a built-in name, `module:attribute`, or an entry point of
    the group `conformance.backends`. Default: $CONFORMANCE_BACKEND, else "torch"."""
    spec = spec or os.environ.get("CONFORMANCE_BACKEND") or "torch"
    if spec in BUILTIN:
        return BUILTIN[spec]()
    if ":" in spec:
        module, _, attr = spec.partition(":")
        return _instantiate(getattr(importlib.import_module(module), attr))
    for ep in metadata.entry_points(group="conformance.backends"):
        if ep.name == spec:
            return _instantiate(ep.load())
    raise LookupError(f"unknown backend {spec!r}: use one of {sorted(BUILTIN)}, "
                      "module:attribute, or an entry point of the group conformance.backends")


def _instantiate(obj):
    """A backend object from what a spec names: a backend, a class, or a factory."""
    if isinstance(obj, type) or not all(hasattr(obj, a) for a in ("name", "tensor")):
        obj = obj()
    return obj
