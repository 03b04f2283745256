"""torch.* joining ops (see refimpl/_refs/__init__.py)."""

__all__ = []
