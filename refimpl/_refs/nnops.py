"""torch.* and Tensor methods of the nnops family (the nn.functional forms build on them)."""

__all__ = []
