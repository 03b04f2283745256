"""torch.* indexing ops (see refimpl/_refs/__init__.py)."""

__all__ = []
