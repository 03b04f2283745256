"""Helpers shared by the DataLoader's iterators and its worker processes."""

import sys
import traceback

# How often (seconds) a waiting loader checks that its workers are alive, and a waiting
# worker that its parent is.
MP_STATUS_CHECK_INTERVAL = 5.0


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process as its type and the text
    of its traceback, and raised there again by `reraise`."""

    def __init__(self, exc_info=None, where="in background"):
        exc_info = exc_info or sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        """Raise the same exception type with the message "Caught X in DataLoader worker
        process N.\\nOriginal Traceback (most recent call last): ..." (the worker's
        traceback); a type that cannot be built from one string becomes RuntimeError."""
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        try:
            exception = self.exc_type(msg)
        except Exception:  # noqa: BLE001 - any constructor failure falls back alike
            raise RuntimeError(msg) from None
        raise exception


class KeyErrorMessage(str):
    """A KeyError's message shown as written (KeyError would show its repr)."""

    def __repr__(self):
        return self


from . import collate, fetch, pin_memory, worker  # noqa: E402, F401, I001  isort: skip
