"""torch.optim: optimizers (one file each) and lr_scheduler."""
