"""The mt19937 engine and the Fisher-Yates shuffle of randperm (Numba, CPU).

Optimises: one compiled loop per bulk draw instead of a NumPy pass per 624-word block, and a
compiled swap loop for randperm (inherently sequential: each swap reads the previous ones).
The readable references are refimpl/_random/mt19937.py and refimpl/_random/sampling.py;
these kernels produce the same words and leave `left`/`next` exactly as they do.
"""

import numba
import numpy as np

_N, _M = 624, 397


@numba.njit(cache=True)
def _next_state(state):
    for i in range(_N):
        y = (state[i] & np.uint32(0x80000000)) | (state[(i + 1) % _N] & np.uint32(0x7FFFFFFF))
        mag = np.uint32(0x9908B0DF) if y & np.uint32(1) else np.uint32(0)
        state[i] = state[(i + _M) % _N] ^ (y >> np.uint32(1)) ^ mag


@numba.njit(cache=True)
def draw32(state, left, next_, out):
    """Fill `out` with the next out.size outputs; returns the new (left, next)."""
    for k in range(out.size):
        left -= 1
        if left == 0:
            _next_state(state)
            left, next_ = _N, 0
        y = state[next_]
        next_ += 1
        y ^= y >> np.uint32(11)
        y ^= (y << np.uint32(7)) & np.uint32(0x9D2C5680)
        y ^= (y << np.uint32(15)) & np.uint32(0xEFC60000)
        y ^= y >> np.uint32(18)
        out[k] = y
    return left, next_


@numba.njit(cache=True)
def swap_forward(perm, offsets):
    """randperm's shuffle: for i in order, swap perm[i] with perm[i + offsets[i]]."""
    for i in range(offsets.size):
        j = i + offsets[i]
        perm[i], perm[j] = perm[j], perm[i]
