"""torch.random: the default CPU generator and its seed and state.

Spec torch.random.reproducible: `manual_seed(s)` makes every later draw reproducible; torch
and refimpl seeded alike produce the same bits, and a state from `get_rng_state()` moves
between them.
"""

import contextlib

from ._random.generator import Generator, default_generator

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state", "fork_rng"]


def manual_seed(seed):
    """Seed the default generator with `int(seed)` (so 3.7 seeds 3 and '5' seeds 5) and return
    it. Seeds outside [-2**63, 2**64) raise ValueError; a negative seed is taken modulo 2**64;
    only the low 32 bits reach mt19937. Spec torch.random.manual-seed,
    torch.random.manual-seed.range."""
    seed = int(seed)
    from . import cuda
    cuda.manual_seed_all(seed)
    return default_generator.manual_seed(seed)


def seed():
    """Seed the default generator non-deterministically (64 bits from /dev/urandom); returns
    the seed. Spec torch.random.seed."""
    return default_generator.seed()


def initial_seed():
    """The seed the default generator was last seeded with (64 bits). Spec
    torch.random.initial-seed."""
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state as a 5056-byte uint8 tensor (torch's layout), a copy.
    Spec torch.random.get-rng-state."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restore the default generator from a get_rng_state() tensor (torch's or refimpl's).
    Spec torch.random.set-rng-state, torch.random.set-rng-state.errors."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
             device_type=None):
    """A context in which the default generator may be used freely: its state is saved on
    entry and restored on exit. refimpl has only the CPU generator, so device states (torch
    also saves those of the accelerators in `devices`) are not touched. Spec
    torch.random.fork-rng."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
