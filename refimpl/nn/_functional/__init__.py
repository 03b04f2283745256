"""The families of torch.nn.functional (re-exported by refimpl.nn.functional)."""
