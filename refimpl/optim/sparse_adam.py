"""torch.optim.SparseAdam: Adam for sparse gradients (e.g. from nn.Embedding(sparse=True)),
updating only the rows present in the gradient (spec optim.SparseAdam).

refimpl has no sparse tensors yet, so every gradient is dense and step() raises torch's
RuntimeError for a dense gradient; the sparse update waits for the sparse tensor issue.
"""

from .._tensor import Tensor
from ._checks import check_betas
from .optimizer import Optimizer


class SparseAdam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        check_betas(betas)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, maximize=maximize))
        for i, group in enumerate(self.param_groups):
            complex_params = [[i, j] for j, p in enumerate(group["params"])
                              if p.dtype.is_complex]
            if complex_params:
                raise ValueError(f"Complex params at indices {complex_params}: SparseAdam does "
                                 "not support complex parameters")

    def step(self, closure=None):
        """Refuses dense gradients, as torch does (sparse gradients need refimpl.sparse)."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if not getattr(p.grad, "is_sparse", False):
                    raise RuntimeError("SparseAdam does not support dense gradients, please "
                                       "consider Adam instead")
                raise NotImplementedError("refimpl has no sparse gradients yet")
        return loss
