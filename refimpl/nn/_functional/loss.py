"""torch.nn.functional: loss."""

__all__ = []
