"""Random sampling: torch.rand, randn, randint, randperm, normal, bernoulli, multinomial, the
`_like` factories, and the in-place Tensor methods uniform_, normal_, random_, bernoulli_,
exponential_.

Spec torch.random.reproducible. Every function draws from a torch.Generator (`generator=`, else
the default one) exactly as torch 2.13's CPU kernels do, so a refimpl program seeded like a
torch program produces the same bits (refimpl._random.sampling holds the kernels). The
factories are torch's composites: `rand(size)` is `empty(size).uniform_(0, 1)`, `randn` is
`normal_(0, 1)`, `randint` is `random_(low, high)`. An in-place method fills the tensor in
memory order; where torch records a derivative it is zero (a sample does not depend
differentiably on its parameters), and a leaf that requires grad may not be filled in place.
"""

import math
import operator
import warnings

import ml_dtypes
import numpy as np

from .. import _dtype, _layout
from .._device import canonical
from .._dispatch import _node_class
from .._random import sampling
from .._random.generator import resolve
from .._tensor import Tensor, scalar_type_name
from ..autograd.grad_mode import is_grad_enabled, no_grad
from ..autograd.graph import gradient_edge
from .creation import _factory, full, zeros

# C++ type names in torch's bounds messages ("from is out of bounds for short int")
_CPP_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char",
              "int16": "short int", "int32": "int", "int64": "long int", "float16": "c10::Half",
              "bfloat16": "c10::BFloat16", "float32": "float", "float64": "double"}
_DIGITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}
_UNSET = object()


# -- shared helpers -----------------------------------------------------------------------------

def _not_implemented(kernel, dtype):
    return NotImplementedError(f'"{kernel}" not implemented for \'{scalar_type_name(dtype)}\'')


def _limits(dtype):
    """(lowest, max) of a real dtype, as Python numbers."""
    if dtype is _dtype.bool:
        return 0, 1
    info = (ml_dtypes.finfo if dtype is _dtype.bfloat16 else
            np.finfo if dtype.is_floating_point else np.iinfo)(dtype.np)
    return (float(info.min), float(info.max)) if dtype.is_floating_point else \
        (int(info.min), int(info.max))


def _cpu(device):
    if device.type != "cpu":
        raise NotImplementedError("refimpl samples random numbers with the CPU generator only")


def _kernel_array(t):
    """The array a kernel fills: t's own; for a complex t its (real, imag) pairs, as
    torch's view_as_real."""
    _cpu(t.device)
    a = t._array
    if not t._dtype.is_complex:
        return a
    return np.lib.stride_tricks.as_strided(a.real, a.shape + (2,), a.strides + (a.itemsize // 2,))


def _zero_grad_history(result, inputs, name):
    """Record torch's derivative of a sampling op: a node named `name` whose gradient for each
    input that requires grad is zero."""
    inputs = [t for t in inputs if isinstance(t, Tensor)]
    if not (is_grad_enabled() and any(t._requires_grad for t in inputs)):
        return result
    node = _node_class(name)([gradient_edge(t) if t._requires_grad else (None, 0)
                              for t in inputs])
    node._vjps = tuple((lambda grad, s=t._shape: zeros(s, dtype=grad.dtype), ())
                       if t._requires_grad else None for t in inputs)
    node._saved, node._metas = {}, tuple((t._shape, t._dtype) for t in inputs)
    result._grad_fn, result._requires_grad, result._output_nr = node, True, 0
    return result


def _fill_(t, name, values_for, *inputs):
    """An in-place sampling op: `values_for(array, contiguous)` gives the values in visiting
    order; they are written into t, its version bumps, and its history becomes a zero-gradient
    node over its old self (and `inputs`)."""
    if is_grad_enabled() and t._requires_grad and t._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    old = t._alias()
    old._grad_fn, old._output_nr, old._requires_grad = t._grad_fn, t._output_nr, t._requires_grad
    array = _kernel_array(t)
    sampling.write_in_order(array, values_for(array, t.is_contiguous()))
    t._bump_version()
    return _zero_grad_history(t, [old, *inputs], name)


def _finish(t, requires_grad):
    """A factory's `requires_grad=`, checked after sampling as torch's factories do."""
    if requires_grad:
        if not (t._dtype.is_floating_point or t._dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t._requires_grad = True
    return t


def _new(name, sizes, size, dtype, device, default=None):
    """The uninitialised output of a factory called as f(*sizes) or f(size=...)."""
    if size is not None:
        if sizes:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        sizes = (size,)
    if not sizes:
        raise TypeError(f"{name}() missing required argument 'size'")
    shape, dtype, device = _factory(sizes, dtype or default, device)
    _cpu(device)
    return Tensor._empty(shape, dtype, device)


def _new_like(input, dtype, device):
    """empty_like(input) with the preserved memory layout."""
    strides = _layout.empty_like_strides(input._shape, input._stride)
    device = input._device if device is None else canonical(device)
    t = Tensor._empty(input._shape, dtype or input._dtype, device, strides)
    _cpu(t.device)
    return t


def _int_arg(fn, name, value, pos):
    """An int argument as torch's binding reads it (0-dim integer tensors allowed)."""
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be int, not "
                        f"{type(value).__name__}")
    value = operator.index(value)
    if not -2**63 <= value < 2**63:
        raise ValueError("Overflow when unpacking long long")
    return value


# -- uniform ----------------------------------------------------------------------------------

def uniform_(self, from_=0.0, to=1.0, *, generator=None):
    """Tensor.uniform_(from=0, to=1): fill with U[from, to) in place. Spec torch.Tensor.uniform,
    torch.Tensor.uniform.errors."""
    gen = resolve(generator)
    dtype = self._dtype.to_real()
    if not dtype.is_floating_point:
        raise _not_implemented("check_uniform_bounds", dtype)
    from_, to = float(from_), float(to)
    lowest, highest = _limits(dtype)
    for name, v in (("from", from_), ("to", to)):
        if not lowest <= v <= highest:
            raise RuntimeError(f"{name} is out of bounds for {_CPP_NAMES[dtype.name]}")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={from_:g} > to={to:g}")
    if to - from_ > highest:
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<"
                           f"{scalar_type_name(dtype)}>::max(), but found to={to:g} and "
                           f"from={from_:g} which result in to-from to exceed the limit")
    return _fill_(self, "UniformBackward0",
                  lambda a, _: sampling.uniform(gen, a.size, a.dtype, from_, to))


def rand(*sizes, size=None, generator=None, dtype=None, layout=None, device=None,
         pin_memory=False, requires_grad=False):
    """torch.rand: U[0, 1) samples, `empty(size).uniform_(0, 1)`."""
    t = _new("rand", sizes, size, dtype, device)
    return _finish(uniform_(t, 0.0, 1.0, generator=generator), requires_grad)


def rand_like(input, *, generator=None, dtype=None, layout=None, device=None, pin_memory=False,
              requires_grad=False, memory_format=None):
    """torch.rand_like: rand with input's shape, dtype and memory layout."""
    t = _new_like(input, dtype, device)
    return _finish(uniform_(t, 0.0, 1.0, generator=generator), requires_grad)


# -- normal -----------------------------------------------------------------------------------

def _check_std(std):
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Tensor.normal_(mean=0, std=1): Box-Muller samples; 16 or more contiguous elements take
    torch's vectorised fill, others the scalar path with the generator's cached sample. A
    complex tensor fills its real and imaginary parts with std / sqrt(2). Spec torch.randn."""
    gen = resolve(generator)
    mean, std = float(mean), float(std)
    _check_std(std)
    if self._dtype.is_complex:
        std = std / math.sqrt(2)
    elif not self._dtype.is_floating_point:
        raise _not_implemented("normal_kernel_cpu", self._dtype)
    return _fill_(self, "NormalBackward0",
                  lambda a, contiguous: sampling.normal(gen, a.size, a.dtype, mean, std,
                                                        contiguous))


def randn(*sizes, size=None, generator=None, dtype=None, layout=None, device=None,
          pin_memory=False, requires_grad=False):
    """torch.randn: standard normal samples, `empty(size).normal_(0, 1)`. Spec torch.randn,
    torch.randn.dtype, torch.randn.size-errors, torch.randn.generator."""
    t = _new("randn", sizes, size, dtype, device)
    return _finish(normal_(t, 0.0, 1.0, generator=generator), requires_grad)


def randn_like(input, *, generator=None, dtype=None, layout=None, device=None,
               pin_memory=False, requires_grad=False, memory_format=None):
    """torch.randn_like: randn with input's shape, dtype and memory layout (a non-contiguous
    layout takes the scalar path)."""
    t = _new_like(input, dtype, device)
    return _finish(normal_(t, 0.0, 1.0, generator=generator), requires_grad)


def _check_std_tensor(std):
    if std._dtype.is_complex:
        raise RuntimeError("normal expects standard deviation to be non-complex")
    if std.numel() and not (std._array >= 0).all():
        raise RuntimeError("normal expects all elements of std >= 0.0")


def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, layout=None,
           device=None, pin_memory=False, requires_grad=False):
    """torch.normal. Floats with a size: `empty(size).normal_(mean, std)`. With tensors, as
    torch composes it: (Tensor, float) is `normal_(0, std)` then `+ mean`; (float, Tensor)
    and (Tensor, Tensor) are `normal_(0, 1)`, then `* std`, then `+ mean`, in the dtype of
    mean (of std for a float mean), over the broadcast shape. Their gradients are zero."""
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not (mean_t or std_t):
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got "
                            "(float, float): a size is needed when mean and std are floats")
        t = _new("normal", (), size, dtype, device)
        return _finish(normal_(t, mean, std, generator=generator), requires_grad)
    if size is not None:
        raise TypeError("normal(): size is only accepted when mean and std are floats")
    if std_t:
        _check_std_tensor(std)
    else:
        _check_std(float(std))
    like = mean if mean_t else std
    shape = _layout.broadcast_shapes(mean._shape, std._shape) if mean_t and std_t else like._shape
    with no_grad():
        t = Tensor._empty(shape, like._dtype, like._device)
        if mean_t and not std_t:
            normal_(t, 0.0, std, generator=generator).add_(mean.detach())
        else:
            m = mean.detach() if mean_t else full((), mean, dtype=t._dtype)
            normal_(t, generator=generator).mul_(std.detach()).add_(m)
    name = "NormalBackward3" if mean_t and std_t else \
        "NormalBackward1" if mean_t else "NormalBackward2"
    return _zero_grad_history(t, [mean, std], name)


# -- integers ---------------------------------------------------------------------------------

def _update_from(from_, dtype):
    """torch's update_from: raise `from` to the first value that survives a round trip through
    the float dtype (int64 -> dtype -> int64)."""
    from_plus_1 = _round_trip(from_ + 1, dtype)
    if from_plus_1 < from_:
        n = abs(from_ + 1).bit_length() - 1
        from_ = from_plus_1 + (1 << (n - _DIGITS[dtype.name] + 1))
    return from_


def _update_to(to, dtype):
    """torch's update_to: lower `to` likewise."""
    to_minus_1 = _round_trip(to - 1, dtype)
    if to_minus_1 >= to:
        n = abs(to - 1).bit_length() - 1
        to = to_minus_1 - (1 << (n - _DIGITS[dtype.name] + 1))
    return to


def _round_trip(value, dtype):
    """static_cast<int64_t>(static_cast<scalar_t>(value)); x86 turns a float outside int64's
    range (here: half's inf) into INT64_MIN."""
    v = float(sampling.cast(np.int64(value), dtype.np).astype(np.float64))
    return int(v) if math.isfinite(v) and -2**63 <= v < 2**63 else -2**63


def _check_from_to_in_range(from_, to_inc, dtype):
    """torch's check_from_to_in_range, with its precision warning for float dtypes."""
    lowest, highest = _limits(dtype)
    cpp = _CPP_NAMES[dtype.name]
    for name, v in (("from", from_), ("to - 1", to_inc)):
        if not lowest <= v <= highest:
            raise RuntimeError(f"{name} is out of bounds for {cpp}")
    if dtype.is_floating_point:
        digits = _DIGITS[dtype.name]
        for name, v in (("from", from_), ("to - 1", to_inc)):
            if not -(1 << digits) <= v <= 1 << digits:
                warnings.warn(
                    f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                    f"limitations {cpp} can support discrete uniform distribution only within "
                    "this range. This warning will become an error in version 1.7 release, "
                    "please fix the code in advance", UserWarning, stacklevel=4)


def _random_range(dtype, from_, to):
    """(base, range) of random_(from, to), or of random_(from) when `to` is None, with torch's
    checks (random_from_to_impl)."""
    floating = dtype.is_floating_point
    if to is not None:
        if not from_ < to:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                               f"from={from_} >= to={to}")
        if floating:
            from_, to = _update_from(from_, dtype), _update_to(to, dtype)
            if not from_ < to:
                raise RuntimeError(f"random_ expects 'from' casted to dtype to be less than "
                                   f"'to' casted to dtype, but got from={from_} >= to={to}")
        _check_from_to_in_range(from_, to - 1, dtype)
        return from_, (to - from_) % 2**64
    if floating:
        to_inc = min(1 << _DIGITS[dtype.name], 2**63 - 1)
        from_ = _update_from(from_, dtype)
        if not from_ < to_inc:
            raise RuntimeError(f"random_ expects 'from' casted to dtype to be less than or "
                               f"equal to 'to_inc' casted to dtype, but got from={from_} > "
                               f"to_inc={to_inc}")
    else:
        to_inc = _limits(dtype)[1]
    _check_from_to_in_range(from_, to_inc, dtype)
    return from_, (to_inc - from_ + 1) % 2**64


def _check_full_range(dtype):
    """random_(-2**63, None) covers every int64: only int64, double, float and bfloat16."""
    if dtype in (_dtype.float16, _dtype.bool):
        raise _not_implemented("random_full_64_bits_range_kernel_cpu", dtype)
    if dtype not in (_dtype.int64, _dtype.float64, _dtype.float32, _dtype.bfloat16):
        raise RuntimeError("random_full_64_bits_range_kernel_cpu handles only int64, double, "
                           "float and bfloat16")


def random_(self, from_=None, to=_UNSET, *, generator=None):
    """Tensor.random_(): random_() draws from [0, 2**mantissa] for floats and [0, max] for
    integers; random_(to) from [0, to); random_(from, to) from [from, to); random_(from, None)
    from [from, max]. Integers are `draw % range + from` (one 32-bit draw, or two when the
    range is 2**28 or more)."""
    gen = resolve(generator)
    dtype = self._dtype
    if dtype.is_complex:
        raise _not_implemented("random_", dtype)
    if from_ is None and to is _UNSET:
        return _fill_(self, "RandomBackward2",
                      lambda a, _: sampling.random_default(gen, a.size, a.dtype))
    name = "RandomBackward0"
    if to is _UNSET or from_ is None:
        from_, to, name = 0, from_ if to is _UNSET else to, "RandomBackward1"
    from_ = _int_arg("random_", "from", from_, 1)
    to = None if to is None else _int_arg("random_", "to", to, 2)
    if to is None and from_ == -2**63:
        _check_full_range(dtype)
        return _fill_(self, name, lambda a, _: sampling.random_full_64(gen, a.size, a.dtype))
    base, range_ = _random_range(dtype, from_, to)
    return _fill_(self, name,
                  lambda a, _: sampling.random_from_to(gen, a.size, a.dtype, base, range_))


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, layout=None,
            device=None, pin_memory=False, requires_grad=False):
    """torch.randint(low=0, high, size): integers in [low, high), int64 unless dtype says
    otherwise; `empty(size).random_(low, high)`."""
    if size is None:
        low, high, size = None, low, high
    elif high is None:
        low, high = None, low
    first = 1 if low is None else 2                       # the position of `high`
    low = 0 if low is None else _int_arg("randint", "low", low, 1)
    high = _int_arg("randint", "high", high, first)
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint(): argument 'size' (position {first + 1}) must be tuple of "
                        f"ints, not {type(size).__name__}")
    t = _new("randint", (), tuple(size), dtype, device, default=_dtype.int64)
    return _finish(random_(t, low, high, generator=generator), requires_grad)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, layout=None,
                 device=None, pin_memory=False, requires_grad=False, memory_format=None):
    """torch.randint_like(input, low=0, high): randint with input's shape, dtype and layout."""
    if high is None:
        low, high = 0, low
    low = _int_arg("randint_like", "low", low, 2)
    high = _int_arg("randint_like", "high", high, 3)
    t = _new_like(input, dtype, device)
    return _finish(random_(t, low, high, generator=generator), requires_grad)


_OVERFLOW_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
                   "int64": "int64_t"}
_PRECISION_LIMITS = {"float16": (2**11 + 1, "2049", "Half"),
                     "float32": (2**24 + 1, "2^24+1", "Float"),
                     "float64": (2**53 + 1, "2^53+1", "Double")}


def randperm(n, *, generator=None, dtype=None, layout=None, device=None,
             pin_memory=False, requires_grad=False):
    """torch.randperm(n): a random permutation of 0..n-1 by torch's Fisher-Yates shuffle,
    int64 unless dtype says otherwise."""
    n = _int_arg("randperm", "n", n, 1)
    dtype = dtype or _dtype.int64
    t = _new("randperm", (n,), None, dtype, device)
    if dtype.name in _OVERFLOW_NAMES and n > 0 and n - 1 > _limits(dtype)[1]:
        raise RuntimeError(f"value cannot be converted to type {_OVERFLOW_NAMES[dtype.name]} "
                           "without overflow")
    if dtype.name in _PRECISION_LIMITS and n > _PRECISION_LIMITS[dtype.name][0]:
        _, limit, name = _PRECISION_LIMITS[dtype.name]
        raise RuntimeError(f"n cannot be greater than {limit} for {name} type.")
    if dtype is _dtype.bool or dtype.is_complex:
        raise _not_implemented("randperm", dtype)
    t._array[...] = sampling.from_int64(sampling.randperm(resolve(generator), n), dtype.np)
    return _finish(t, requires_grad)


# -- bernoulli, exponential, multinomial --------------------------------------------------------

_P_RANGE_MESSAGE = ("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this "
                    "error message be improved?  If so, please report an enhancement request "
                    "to PyTorch.)")


def _expanded(p, shape):
    """p's array broadcast to `shape` (expand_inplace), with torch's error."""
    try:
        return np.broadcast_to(p._array, shape)
    except ValueError:
        lead = len(shape) - len(p._shape)
        dim = next(i for i in range(len(p._shape)) if p._shape[i] not in (1, shape[lead + i]))
        raise RuntimeError(
            f"The expanded size of the tensor ({shape[lead + dim]}) must match the existing "
            f"size ({p._shape[dim]}) at non-singleton dimension {lead + dim}.  Target sizes: "
            f"{list(shape)}.  Tensor sizes: {list(p._shape)}") from None


def bernoulli_(self, p=0.5, *, generator=None):
    """Tensor.bernoulli_(p): 1 with probability p. A float p draws U53 < p per element; a
    tensor p (broadcast to self) draws U53 < p for double p, else U24 < p."""
    gen = resolve(generator)
    if self._dtype.is_complex:
        raise _not_implemented("bernoulli_scalar_cpu_", self._dtype)
    if not isinstance(p, Tensor):
        p = float(p)
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
        return _fill_(self, "BernoulliBackward2",
                      lambda a, _: sampling.bernoulli_scalar(gen, a.size, p))
    if not p._dtype.is_floating_point:
        raise _not_implemented("bernoulli_tensor_cpu_p_", p._dtype)
    p_array = _expanded(p, self._shape)
    if not ((p_array >= 0) & (p_array <= 1)).all():
        raise RuntimeError(_P_RANGE_MESSAGE)

    def values_for(a, _):
        p_in_order = p_array.transpose(sampling.visiting_order(a, p_array)).ravel()
        return sampling.bernoulli_tensor(gen, p_in_order)
    return _fill_(self, "BernoulliBackward1", values_for, p)


def bernoulli(input, p=None, *, generator=None):
    """torch.bernoulli(input): a new contiguous tensor of input's dtype, 1 with probability
    input[i] (`empty_like(input).bernoulli_(input)`); bernoulli(input, p) uses the float p."""
    if not isinstance(input, Tensor):
        raise TypeError(f"bernoulli(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    t = Tensor._empty(input._shape, input._dtype, input._device)
    with no_grad():
        bernoulli_(t, input.detach() if p is None else p, generator=generator)
    return _zero_grad_history(t, [input] if p is None else [], "BernoulliBackward0")


def exponential_(self, lambd=1.0, *, generator=None):
    """Tensor.exponential_(lambd=1): (-1 / lambd) * log1p(-U53), two draws per element."""
    gen = resolve(generator)
    lambd = float(lambd)
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    if not self._dtype.is_floating_point:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           "dtype must be a floating point but you specified "
                           f"{scalar_type_name(self._dtype)}")
    return _fill_(self, "ExponentialBackward0",
                  lambda a, _: sampling.cast(sampling.exponential(gen, a.size, lambd), a.dtype))


def _check_multinomial(input, n_sample, replacement):
    if not 1 <= input.dim() <= 2:
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input._dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{scalar_type_name(input._dtype)}")
    if n_sample <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and n_sample > input._shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if input._shape[-1] > 2**24:
        raise RuntimeError("number of categories cannot exceed 2^24")


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """torch.multinomial: num_samples category indices per row of probabilities (int64).
    Without replacement, or for one sample, the exponential-noise trick (argmax / top-k of
    p / Exp(1)); with replacement, inverse-CDF sampling with one U53 per sample."""
    gen = resolve(generator)
    n_sample = _int_arg("multinomial", "num_samples", num_samples, 2)
    _check_multinomial(input, n_sample, replacement)
    probs = input._array if input.dim() == 2 else input._array[None, :]
    if probs.shape[0] == 0:
        return Tensor._from_array(np.empty(input._shape[:-1] + (n_sample,), np.int64),
                                  _dtype.int64)
    if not replacement or n_sample == 1:
        if not ((probs >= 0) & (probs < np.inf)).all():
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if (probs == 0).all(axis=-1).any():
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    result = sampling.multinomial(gen, probs, n_sample, replacement)
    result = np.ascontiguousarray(result.reshape(input._shape[:-1] + (n_sample,)), np.int64)
    return Tensor._from_array(result, _dtype.int64)


for _name, _fn in [("uniform_", uniform_), ("normal_", normal_), ("random_", random_),
                   ("bernoulli_", bernoulli_), ("exponential_", exponential_),
                   ("bernoulli", bernoulli), ("multinomial", multinomial)]:
    setattr(Tensor, _name, _fn)

__all__ = ["rand", "rand_like", "randn", "randn_like", "randint", "randint_like", "randperm",
           "normal", "bernoulli", "multinomial"]
