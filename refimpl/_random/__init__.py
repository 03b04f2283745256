"""torch's CPU random number generation: the mt19937 engine (`mt19937`), torch.Generator
(`generator`) and the sampling kernels (`sampling`), reproducing torch 2.13's bits on x86-64.
The public functions are in refimpl.random and refimpl._refs.random_ops."""
