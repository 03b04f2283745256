"""Grad modes: no_grad, enable_grad, set_grad_enabled, is_grad_enabled.

Spec torch.autograd.no-grad: inside `no_grad` no op records a graph node, so results have
`requires_grad=False` and `grad_fn=None`. Each mode works as a context manager and as a
decorator.
"""

import functools
import threading

_state = threading.local()


def is_grad_enabled():
    return getattr(_state, "enabled", True)


def _set_enabled(mode):
    _state.enabled = bool(mode)


class _GradMode:
    """Base of the grad-mode context managers; subclasses say which mode they enter."""

    mode = True

    def __enter__(self):
        self._prev = is_grad_enabled()
        _set_enabled(self.mode)

    def __exit__(self, *exc):
        _set_enabled(self._prev)
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_GradMode):
    mode = False


class enable_grad(_GradMode):
    mode = True


class set_grad_enabled(_GradMode):
    """Sets the mode at construction (so it works as a plain call too), restores it on exit."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'mode' must be bool, not "
                            f"{type(mode).__name__}")
        self._prev = is_grad_enabled()
        self.mode = mode
        _set_enabled(mode)

    def __enter__(self):
        pass

    def __call__(self, fn):
        _set_enabled(self._prev)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(self.mode):
                return fn(*args, **kwargs)
        return wrapper
