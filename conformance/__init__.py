"""conformance: differential tests of a torch-like backend against real torch, per spec clause.

Tests are torch programs `fn(T, device, *inputs)` run on both sides by the `check` fixture;
each cites the spec clauses it checks with `@spec("clause.id", ...)`.
"""

import pytest

spec = pytest.mark.spec

__all__ = ["spec"]
