"""torch.save / torch.load in torch's zip file format, and pickling of tensors."""

__all__ = []
