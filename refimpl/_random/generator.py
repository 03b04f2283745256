"""torch.Generator for the CPU (at::CPUGeneratorImpl) and the default generator.

A generator is an mt19937 engine plus the cached second sample of the scalar Box-Muller
normal (`next_double_normal_sample_`). `get_state()` serialises both into torch's 5056-byte
`CPUGeneratorImplState`, so states move between torch and refimpl in both directions.
"""

import operator
import os

import numpy as np

from .. import _dtype
from .._device import canonical
from .._tensor import Tensor
from .mt19937 import MT19937, N

DEFAULT_RNG_SEED = 67280421310721   # default_rng_seed_val: what torch.Generator() starts from

# sizeof(CPUGeneratorImplState), little-endian x86-64, with its padding.
STATE_LAYOUT = np.dtype([
    ("the_initial_seed", "<u8"),
    ("left", "<i4"),
    ("seeded", "<i4"),
    ("next", "<u8"),
    ("state", "<u8", (N,)),                   # one 32-bit word per uint64
    ("normal_x", "<f8"),                      # always 0
    ("normal_y", "<f8"),                      # the cached double normal sample
    ("normal_rho", "<f8"),                    # always 0
    ("normal_is_valid", "<i4"),
    ("pad0", "V4"),
    ("next_float_normal_sample", "<f4"),      # kept for round trips; CPU kernels never use it
    ("is_next_float_normal_sample_valid", "u1"),
    ("pad1", "V3"),
])
assert STATE_LAYOUT.itemsize == 5056


def nondeterministic_seed():
    """c10's getNonDeterministicRandom on the CPU: 64 bits from /dev/urandom."""
    return int.from_bytes(os.urandom(8), "little")


def _unpack_seed(seed):
    """The seed as torch's `manual_seed` reads it: an int in [-2**63, 2**64); a negative one is
    taken as its 64-bit two's complement."""
    if isinstance(seed, bool) or not hasattr(seed, "__index__"):
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    seed = operator.index(seed)
    if not -2**63 <= seed < 2**64:
        raise ValueError("Overflow when unpacking long long")
    return seed % 2**64


class Generator:
    """torch.Generator(device='cpu'): an mt19937 stream, seeded with 67280421310721."""

    def __init__(self, device="cpu"):
        device = canonical(device)
        if device.type != "cpu":
            raise RuntimeError("Cannot access accelerator device when none is available.")
        self.device = device
        self._engine = MT19937(DEFAULT_RNG_SEED)
        self._next_double_normal = None
        self._next_float_normal = None

    def _set_current_seed(self, seed):
        self._next_float_normal = self._next_double_normal = None
        self._engine.reseed(seed)

    def manual_seed(self, seed):
        """Seed the generator; returns it. Only the low 32 bits reach the engine, but
        initial_seed() reports all 64."""
        self._set_current_seed(_unpack_seed(seed))
        return self

    def seed(self):
        """Seed from a non-deterministic source; returns the seed."""
        seed = nondeterministic_seed()
        self._set_current_seed(seed)
        return seed

    def initial_seed(self):
        return self._engine.seed

    def get_state(self):
        """The state as a uint8 tensor of torch's 5056-byte layout (see STATE_LAYOUT)."""
        pod = np.zeros((), STATE_LAYOUT)
        engine = self._engine
        pod["the_initial_seed"], pod["left"], pod["seeded"] = engine.seed, engine.left, 1
        pod["next"], pod["state"] = engine.next, engine.state
        if self._next_double_normal is not None:
            pod["normal_is_valid"], pod["normal_y"] = 1, self._next_double_normal
        if self._next_float_normal is not None:
            pod["is_next_float_normal_sample_valid"] = 1
            pod["next_float_normal_sample"] = self._next_float_normal
        return Tensor._from_array(np.frombuffer(pod.tobytes(), np.uint8).copy(), _dtype.uint8)

    def set_state(self, new_state):
        """Restore a state from get_state() (of torch or refimpl), with torch's checks."""
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state.dtype is not _dtype.uint8 or new_state.device.type != "cpu":
            raise TypeError("RNG state must be a torch.ByteTensor")
        if not new_state.is_contiguous():
            raise RuntimeError("RNG state must be contiguous")
        if new_state.numel() != STATE_LAYOUT.itemsize:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_LAYOUT.itemsize}"
                               f" but found the input RNG state size to be {new_state.numel()}")
        pod = np.frombuffer(new_state._array.tobytes(), STATE_LAYOUT)[0]
        left, next_ = int(pod["left"]), int(pod["next"]) & 0xFFFFFFFF   # next_ is a uint32
        if not (pod["seeded"] != 0 and 0 < left <= N and next_ <= N):
            raise RuntimeError("Invalid mt19937 state")
        engine = self._engine = MT19937.__new__(MT19937)
        engine.seed, engine.left, engine.next = int(pod["the_initial_seed"]), left, next_
        engine.state = pod["state"].astype(np.uint32)      # the low 32 bits of each word
        self._next_double_normal = float(pod["normal_y"]) if pod["normal_is_valid"] else None
        self._next_float_normal = (float(pod["next_float_normal_sample"])
                                   if pod["is_next_float_normal_sample_valid"] else None)
        return self

    def clone_state(self):
        """A new generator with a copy of this one's state."""
        other = Generator(self.device)
        other._engine = self._engine.copy()
        other._next_double_normal = self._next_double_normal
        other._next_float_normal = self._next_float_normal
        return other

    def get_offset(self):
        raise RuntimeError("CPU Generator does not use offset")

    def set_offset(self, offset):
        raise RuntimeError("CPU Generator does not use offset")

    def __repr__(self):
        return f"<refimpl.Generator object at {hex(id(self))}>"


# The global CPU generator, seeded non-deterministically at start-up as torch's is.
default_generator = Generator().manual_seed(nondeterministic_seed())


def resolve(generator):
    """The generator an op uses: the one given, or the default one."""
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a torch.Generator for argument 'generator', but got "
                        f"{type(generator).__name__}")
    return generator
