"""torch.cuda: is the GPU there, which device is current, synchronize.

Spec torch.cuda.is-available. refimpl's cuda device runs numba.cuda kernels. `is_available()`
reports a real GPU; the numba CUDA simulator counts only when asked for explicitly with
REFIMPL_CUDA_SIMULATOR=1 (which must be set before numba is first imported: it sets
NUMBA_ENABLE_CUDASIM).
"""

import os

_current = 0


def _simulated():
    return os.environ.get("REFIMPL_CUDA_SIMULATOR") == "1"


if _simulated():
    os.environ["NUMBA_ENABLE_CUDASIM"] = "1"


def is_available():
    """True when refimpl can run cuda tensors here: a real GPU, or the simulator on request."""
    if _simulated():
        return True
    if os.environ.get("NUMBA_ENABLE_CUDASIM") == "1":
        return False
    try:
        from numba import cuda
    except ImportError:
        return False
    try:
        return bool(cuda.is_available())
    except Exception:
        return False


def _check():
    if not is_available():
        raise AssertionError("Torch not compiled with CUDA enabled")


def device_count():
    if not is_available():
        return 0
    if _simulated():
        return 1
    from numba import cuda
    return len(cuda.gpus)


def current_device():
    _check()
    return _current


def set_device(device):
    global _current
    from .._device import device as _dev
    d = _dev(device) if isinstance(device, str) else device
    index = d if isinstance(d, int) else d.index
    if index is not None and index >= 0:
        if index >= device_count():
            raise RuntimeError("CUDA error: invalid device ordinal")
        _current = index


def synchronize(device=None):
    _check()
    from numba import cuda
    cuda.synchronize()


def empty_cache():
    """Frees cached device memory (numba frees on garbage collection; nothing is cached)."""


def manual_seed(seed):
    """Seeding the cuda generator is accepted (torch.manual_seed calls it on every device)."""


def manual_seed_all(seed):
    """See manual_seed."""
