"""torch.nn.functional: conv."""

__all__ = []
