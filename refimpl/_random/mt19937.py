"""at::mt19937: the Mersenne Twister behind torch's CPU generator (ATen/core/MT19937RNGEngine.h).

It is the standard MT19937 (Matsumoto & Nishimura): seeding is `init_genrand(seed mod 2**32)`,
so only the low 32 bits of a seed matter, and the outputs are the standard MT19937 stream.
torch's bookkeeping is part of the generator's state bytes, so it is kept exactly:

    seed:    state[0] = seed & 0xffffffff; state[j] = 1812433253 * (s ^ (s >> 30)) + j
             left = 1, next = 0
    a draw:  left -= 1; if left == 0: regenerate all 624 words, left = 624, next = 0
             y = state[next]; next += 1; return temper(y)

so after seeding the first draw regenerates, and after k draws into a block left = 625 - k
and next = k. `draw32(n)` returns the next n outputs at once and leaves `left`/`next` exactly
as n single draws would; that is what makes bulk sampling fast.
"""

import numpy as np

from .. import kernels

N = 624          # words of state
M = 397          # the twist's middle offset
MATRIX_A = np.uint32(0x9908B0DF)
UPPER_MASK = np.uint32(0x80000000)
LOWER_MASK = np.uint32(0x7FFFFFFF)


def _twist_words(u, v):
    """MT19937's `twist(u, v)`: the top bit of u and the low 31 bits of v, shifted right once,
    xored with MATRIX_A when v is odd."""
    y = (u & UPPER_MASK) | (v & LOWER_MASK)
    return (y >> np.uint32(1)) ^ (MATRIX_A * (v & np.uint32(1)))


def next_state(old):
    """The 624 words of the next block (torch's `next_state`), vectorised.

    Word i becomes `state[i + 397] ^ twist(state[i], state[i + 1])`, indices mod 624, where
    words below i are already new. Word i + 397 wraps to the *new* word i - 227 for i >= 227,
    so the block is built in four slices, each reading only words that are final.
    """
    new = np.empty_like(old)
    new[:227] = old[397:] ^ _twist_words(old[:227], old[1:228])
    new[227:454] = new[:227] ^ _twist_words(old[227:454], old[228:455])
    new[454:623] = new[227:396] ^ _twist_words(old[454:623], old[455:624])
    new[623:] = new[396:397] ^ _twist_words(old[623:], new[:1])
    return new


def temper(y):
    """MT19937's output tempering of state words (a uint32 array)."""
    y = y ^ (y >> np.uint32(11))
    y = y ^ ((y << np.uint32(7)) & np.uint32(0x9D2C5680))
    y = y ^ ((y << np.uint32(15)) & np.uint32(0xEFC60000))
    return y ^ (y >> np.uint32(18))


def seed_words(seed):
    """`init_with_uint32`: the 624 state words for a seed (only its low 32 bits are used)."""
    state = np.empty(N, np.uint32)
    s = seed & 0xFFFFFFFF
    for j in range(N):
        state[j] = s
        s = (1812433253 * (s ^ (s >> 30)) + j + 1) & 0xFFFFFFFF
    return state


class MT19937:
    """The engine's data as torch keeps it: `seed` (64 bits, what initial_seed() reports),
    `state` (624 uint32 words), `left` and `next`."""

    __slots__ = ("seed", "state", "left", "next")

    def __init__(self, seed):
        self.reseed(seed)

    def reseed(self, seed):
        self.seed = seed
        self.state = seed_words(seed)
        self.left = 1
        self.next = 0

    def copy(self):
        other = MT19937.__new__(MT19937)
        other.seed, other.state = self.seed, self.state.copy()
        other.left, other.next = self.left, self.next
        return other

    def draw32(self, n):
        """The next n 32-bit outputs (uint32 array), as n calls of torch's `random()`."""
        if kernels.current() == "numba":
            from ..kernels.numba.mt19937 import draw32
            out = np.empty(n, np.uint32)
            self.left, self.next = draw32(self.state, self.left, self.next, out)
            return out
        words = np.empty(n, np.uint32)
        take = min(n, self.left - 1)               # words left in the current block
        words[:take] = self.state[self.next:self.next + take]
        self.next += take
        self.left -= take
        done = take
        while done < n:
            self.state = next_state(self.state)
            take = min(n - done, N)
            words[done:done + take] = self.state[:take]
            self.left, self.next = N + 1 - take, take
            done += take
        return temper(words)

    def draw64(self, n):
        """n calls of torch's `random64()`: two draws each, the first one the high word."""
        pairs = self.draw32(2 * n).astype(np.uint64).reshape(n, 2)
        return (pairs[:, 0] << np.uint64(32)) | pairs[:, 1]
