"""torch.nn.Parameter."""

__all__ = []
