"""torch.* and Tensor methods of the nnlayers family (the nn.functional forms build on them)."""

__all__ = []
