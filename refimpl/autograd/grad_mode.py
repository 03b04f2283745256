"""Grad modes: no_grad, enable_grad, set_grad_enabled, inference_mode.

Spec torch.autograd.no-grad and torch.autograd.grad-modes: inside `no_grad` no op records a
graph node, so results have `requires_grad=False` and `grad_fn=None`; `enable_grad` turns
recording back on inside it; the previous mode is restored on exit. Each mode works as a
context manager and as a decorator (`no_grad`, `enable_grad` and `inference_mode` also bare,
without parentheses).

`inference_mode` is no_grad plus a mark on every tensor created inside it
(`Tensor.is_inference()`): such tensors cannot be saved for backward, updated in place or
made to require grad outside inference mode (torch.autograd.inference-mode).
"""

import functools
import inspect
import threading
import weakref

_state = threading.local()


def is_grad_enabled():
    """True unless a no_grad / set_grad_enabled(False) / inference_mode block is active."""
    return getattr(_state, "enabled", True)


def _set_enabled(mode):
    _state.enabled = bool(mode)


def is_inference_mode_enabled():
    return getattr(_state, "inference", False)


def _set_inference(mode):
    _state.inference = bool(mode)


class _GradMode:
    """Base of the context managers; a subclass says which grad mode it enters."""

    mode = True

    def __new__(cls, *args, **kwargs):
        # bare decorator use: @no_grad on a function
        if len(args) == 1 and not kwargs and callable(args[0]) and \
                not isinstance(args[0], bool) and cls in (no_grad, enable_grad, inference_mode):
            self = object.__new__(cls)
            self.__init__()
            return self._decorate(args[0])
        return object.__new__(cls)

    def __enter__(self):
        self._prev = is_grad_enabled()
        _set_enabled(self.mode)

    def __exit__(self, *exc):
        _set_enabled(self._prev)
        return False

    def clone(self):
        return self.__class__()

    def __call__(self, fn):
        return self._decorate(fn)

    def _decorate(self, fn):
        """fn run inside a fresh copy of this context on every call."""
        if inspect.isclass(fn):
            raise RuntimeError("Decorating classes is not supported")

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_GradMode):
    """Disable gradient recording. Spec torch.autograd.no-grad."""

    mode = False

    def __init__(self, *args):
        pass


class enable_grad(_GradMode):
    """Enable gradient recording (inside no_grad too). Spec torch.autograd.grad-modes."""

    mode = True

    def __init__(self, *args):
        pass


class set_grad_enabled(_GradMode):
    """Sets the mode at construction (so a plain call works too), restores it on exit."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'mode' must be bool, not "
                            f"{type(mode).__name__}")
        self._prev = is_grad_enabled()
        self.mode = mode
        _set_enabled(mode)

    def __enter__(self):
        pass

    def clone(self):
        return set_grad_enabled(self.mode)

    def __call__(self, fn):
        _set_enabled(self._prev)
        return self._decorate(fn)


class inference_mode(_GradMode):
    """no_grad that also marks new tensors as inference tensors (mode=False: a no-op block
    inside inference mode, where new tensors are normal)."""

    def __init__(self, mode=True):
        self.mode = not bool(mode)
        self.inference = bool(mode)

    def __enter__(self):
        global inference_blocks
        self._prev = is_grad_enabled()
        self._prev_inference = is_inference_mode_enabled()
        if self.inference:
            _set_enabled(False)
        _set_inference(self.inference)
        inference_blocks += 1

    def __exit__(self, *exc):
        global inference_blocks
        inference_blocks -= 1
        _set_enabled(self._prev)
        _set_inference(self._prev_inference)
        return False

    def clone(self):
        return inference_mode(self.inference)


def _enter_inference_mode(mode):
    ctx = inference_mode(mode)
    ctx.__enter__()
    return ctx


def _exit_inference_mode(ctx):
    ctx.__exit__(None, None, None)


__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled"]


# -- inference tensors: the storages allocated inside inference mode -------------------------

inference_blocks = 0   # inference_mode blocks active in any thread (a cheap first check)
_inference_storages = weakref.WeakSet()


def mark_inference(storage):
    if is_inference_mode_enabled():
        _inference_storages.add(storage)


def is_inference_storage(storage):
    return bool(_inference_storages) and storage in _inference_storages
