"""torch.nn.functional: interpolate."""

__all__ = []
