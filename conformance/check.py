"""The differential test kit: run one torch program on the oracle and on the backend, compare.

A test program is a function `fn(T, d, *inputs)`: `T` is the torch-like namespace (real
torch for the oracle, the backend's otherwise), `d` the device to create tensors on, and the
inputs arrive as tensors of that side. `check(fn, *inputs)` runs it on both sides from the
same NumPy data and compares what it returns:

- tensors: dtype, shape and values (torch.testing's default tolerances per dtype; NaNs
  equal), and with `strides=True` their strides, with `autograd=True` requires_grad, is_leaf
  and the grad_fn's name;
- torch.Size, tuples, lists, dicts, dtypes, devices, numbers, strings, None: exactly
  (floats with the tolerance of float64);
- exceptions: when the oracle raises, the backend must raise an instance of the same builtin
  exception class (TypeError, ValueError, RuntimeError, IndexError, ...);
- with `grad=True`: the gradients of the float outputs with respect to the inputs marked
  `requires_grad`, for one cotangent drawn in NumPy and given to both sides, compared in
  float64 (`None` compared exactly);
- with `warnings=True`: the builtin categories of the warnings raised.

Where float32 values disagree, the oracle is recomputed in float64 (float32 inputs cast up)
and the backend passes if its error against that reference is within float32 tolerance of
torch's own float32 error, up to a factor ARBITRATION_FACTOR (counted as float64-arbitrated).
The factor is there because sums and matrix products round differently under different
summation orders (BLAS blocking, pairwise versus sequential): under cancellation both results
can miss the float64 value by amounts of the same order but not the same size, while a wrong
formula misses by far more.
"""

import builtins
import inspect
import textwrap
import warnings as _warnings
from dataclasses import dataclass, field

import numpy as np

# torch.testing.assert_close defaults: (rtol, atol) per dtype name
TOLERANCES = {
    "float16": (1e-3, 1e-5), "bfloat16": (1.6e-2, 1e-5), "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7), "complex64": (1.3e-6, 1e-5), "complex128": (1e-7, 1e-7),
}


ARBITRATION_FACTOR = 2.0


class DifferentialFailure(AssertionError):
    """The backend disagreed with the oracle. Carries a copy-paste reproduction."""

    def __init__(self, message, repro):
        super().__init__(f"{message}\n\nReproduction:\n{repro}")
        self.repro = repro


@dataclass
class TensorInput:
    """A tensor argument: NumPy data for a base tensor, then layout ops applied with each
    side's own functions (so non-contiguous inputs are built the way a user builds them)."""

    base: np.ndarray
    layout: tuple = ()          # ops such as ("t",), ("transpose", 0, 1), ("select", -1, 0)
    requires_grad: bool = False

    def build(self, backend_like, T):
        t = backend_like.tensor(self.base, requires_grad=self.requires_grad)
        return apply_layout(T, t, self.layout)

    def value(self):
        """The logical NumPy value the tensor holds after the layout ops."""
        return apply_layout(_NumpyOps, self.base, self.layout)

    def describe(self):
        ops = "".join(f".{op[0]}({', '.join(map(repr, op[1:]))})" for op in self.layout)
        return f"tensor(np.array({self.base.tolist()!r}, dtype=np.{self.base.dtype}))" + ops + \
            (".requires_grad_()" if self.requires_grad and not self.layout else "")


class _NumpyOps:
    """The layout ops on NumPy arrays, to know an input's logical value."""

    @staticmethod
    def t(a):
        return a.T

    @staticmethod
    def transpose(a, d0, d1):
        return np.swapaxes(a, d0, d1)

    @staticmethod
    def select(a, dim, index):
        return np.take(a, index, axis=dim)

    @staticmethod
    def expand(a, *shape):
        return np.broadcast_to(a, shape)


def apply_layout(T, t, layout):
    for op, *args in layout:
        if T is _NumpyOps:
            t = getattr(_NumpyOps, op)(t, *args)
        else:
            t = getattr(t, op)(*args)
    return t


@dataclass
class Outcome:
    """What one side did: its normalized result or the exception it raised."""

    value: object = None
    error: BaseException = None
    warnings: list = field(default_factory=list)
    grads: tuple = None


@dataclass
class _TensorValue:
    array: np.ndarray
    dtype: str
    shape: tuple
    strides: tuple
    requires_grad: bool
    is_leaf: bool
    grad_fn: str


class Checker:
    """Runs programs on the oracle (real torch, CPU) and on a backend and compares them."""

    def __init__(self, backend, oracle_backend, record=None):
        self.backend = backend
        self.oracle = oracle_backend
        self.record = record or (lambda key, value: None)

    # -- running one side -----------------------------------------------------------------

    def _inputs(self, side, inputs, cast64=False):
        out = []
        for x in inputs:
            if isinstance(x, np.ndarray):
                x = TensorInput(x)
            if isinstance(x, TensorInput):
                if cast64 and x.base.dtype == np.float32:
                    x = TensorInput(x.base.astype(np.float64), x.layout, x.requires_grad)
                out.append(x.build(side, side.torch))
            else:
                out.append(x)
        return out

    def _run(self, side, fn, inputs, grad, cotangent_seed, cast64=False):
        T = side.torch
        args = self._inputs(side, inputs, cast64)
        outcome = Outcome()
        with _warnings.catch_warnings(record=True) as caught:
            _warnings.simplefilter("always")
            try:
                result = fn(T, side.device, *args)
                outcome.value = self._normalize(side, result)
                if grad:
                    outcome.grads = self._grads(side, result, args, inputs, cotangent_seed)
            except Exception as e:  # noqa: BLE001 - any exception is a result to compare
                outcome.error = e
        outcome.warnings = sorted({_builtin_class(w.category).__name__ for w in caught})
        return outcome

    def _grads(self, side, result, args, inputs, seed):
        T = side.torch
        wrt = [a for a, x in zip(args, inputs) if isinstance(x, TensorInput) and x.requires_grad]
        outs = [r for r in _flatten(result) if isinstance(r, T.Tensor) and r.requires_grad]
        if not outs or not wrt:
            return ()
        rng = np.random.default_rng(seed)
        cotangents = [side.tensor(rng.standard_normal(tuple(o.shape)).astype(
            side.to_numpy(o.detach()).dtype)) for o in outs]
        grads = T.autograd.grad(outs, wrt, cotangents, allow_unused=True)
        return tuple(None if g is None else (side.to_numpy(g), str(g.dtype).replace("torch.", ""))
                     for g in grads)

    def _normalize(self, side, value):
        T = side.torch
        if isinstance(value, T.Tensor):
            try:
                strides = tuple(value.stride())
            except RuntimeError:  # sparse tensors have no strides
                strides = None
            return _TensorValue(
                array=side.to_numpy(value), dtype=str(value.dtype).replace("torch.", ""),
                shape=tuple(value.shape), strides=strides,
                requires_grad=bool(value.requires_grad), is_leaf=bool(value.is_leaf),
                grad_fn=None if value.grad_fn is None else type(value.grad_fn).__name__)
        if isinstance(value, T.dtype):
            return ("dtype", str(value).replace("torch.", ""))
        if isinstance(value, T.device):
            return ("device", str(value))
        if isinstance(value, (tuple, list)):
            return tuple(self._normalize(side, v) for v in value)
        if isinstance(value, dict):
            return {k: self._normalize(side, v) for k, v in value.items()}
        if isinstance(value, np.generic):
            return value.item()
        return value

    # -- comparing ----------------------------------------------------------------------------

    def __call__(self, fn, *inputs, grad=False, strides=False, autograd=False, warnings=False,
                 rtol=None, atol=None, equal_nan=True, exact=False):
        """Compare fn on the backend and on torch. `exact=True` asks for bit-identical
        values (random streams: rtol = atol = 0 and no float64 arbitration)."""
        if exact:
            rtol, atol = 0.0, 0.0
        seed = _seed_of(inputs)
        ours = self._run(self.backend, fn, inputs, grad, seed)
        theirs = self._run(self.oracle, fn, inputs, grad, seed)
        repro = self.reproduction(fn, inputs)
        if theirs.error is not None:
            expected = _builtin_class(type(theirs.error))
            if ours.error is None:
                raise DifferentialFailure(
                    f"torch raised {type(theirs.error).__name__}: {theirs.error}\n"
                    f"{self.backend.name} returned normally", repro)
            if not isinstance(ours.error, expected):
                raise DifferentialFailure(
                    f"torch raised {type(theirs.error).__name__} ({theirs.error}); "
                    f"{self.backend.name} raised {type(ours.error).__name__}: {ours.error}",
                    repro) from ours.error
            return
        if ours.error is not None:
            raise DifferentialFailure(
                f"{self.backend.name} raised {type(ours.error).__name__}: {ours.error}\n"
                f"torch returned normally", repro) from ours.error
        opts = dict(strides=strides, autograd=autograd, rtol=rtol, atol=atol,
                    equal_nan=equal_nan)
        problem = self._compare(ours.value, theirs.value, "result", opts)
        if problem and not exact and self._float32_mismatch(ours.value, theirs.value):
            other = self._run(self.oracle, fn, inputs, False, seed, cast64=True)
            if other.error is None and not _closer_or_equal(ours.value, theirs.value,
                                                           other.value):
                problem = None
                self.record("float64_arbitrated", True)
        if problem:
            raise DifferentialFailure(problem, repro)
        if grad:
            for i, (a, b) in enumerate(zip(ours.grads, theirs.grads)):
                if (a is None) != (b is None):
                    raise DifferentialFailure(
                        f"gradient {i}: {self.backend.name} gave {a}, torch gave {b}", repro)
                if a is None:
                    continue
                (ga, da), (gb, db) = a, b
                if da != db or not _allclose(ga, gb, *_tol(db, rtol, atol), equal_nan):
                    raise DifferentialFailure(
                        f"gradient {i} differs (torch dtype {db}, {self.backend.name} {da}):\n"
                        f"{self.backend.name}: {ga!r}\ntorch: {gb!r}", repro)
        if warnings and ours.warnings != theirs.warnings:
            raise DifferentialFailure(f"warnings differ: {self.backend.name} {ours.warnings}, "
                                      f"torch {theirs.warnings}", repro)

    def _compare(self, a, b, where, opts):
        if isinstance(b, _TensorValue):
            if not isinstance(a, _TensorValue):
                return f"{where}: torch returned a tensor, {self.backend.name} returned {a!r}"
            for attr in ("dtype", "shape"):
                if getattr(a, attr) != getattr(b, attr):
                    return (f"{where}: {attr} differs: {self.backend.name} {getattr(a, attr)}, "
                            f"torch {getattr(b, attr)}")
            if opts["strides"] and a.strides != b.strides:
                return (f"{where}: strides differ: {self.backend.name} {a.strides}, torch "
                        f"{b.strides}")
            if opts["autograd"]:
                for attr in ("requires_grad", "is_leaf", "grad_fn"):
                    if getattr(a, attr) != getattr(b, attr):
                        return (f"{where}: {attr} differs: {self.backend.name} "
                                f"{getattr(a, attr)}, torch {getattr(b, attr)}")
            rtol, atol = _tol(b.dtype, opts["rtol"], opts["atol"])
            if not _allclose(a.array, b.array, rtol, atol, opts["equal_nan"]):
                return (f"{where}: values differ (dtype {b.dtype}, rtol={rtol}, atol={atol}):\n"
                        f"{self.backend.name}: {a.array!r}\ntorch: {b.array!r}")
            return None
        if isinstance(b, tuple):
            if not isinstance(a, tuple) or len(a) != len(b):
                return f"{where}: torch returned {b!r}, {self.backend.name} returned {a!r}"
            for i, (x, y) in enumerate(zip(a, b)):
                problem = self._compare(x, y, f"{where}[{i}]", opts)
                if problem:
                    return problem
            return None
        if isinstance(b, dict):
            if not isinstance(a, dict) or a.keys() != b.keys():
                return f"{where}: torch returned {b!r}, {self.backend.name} returned {a!r}"
            for k in b:
                problem = self._compare(a[k], b[k], f"{where}[{k!r}]", opts)
                if problem:
                    return problem
            return None
        if isinstance(b, float) and isinstance(a, (int, float)) and not isinstance(a, bool):
            if _allclose(np.float64(a), np.float64(b), 1e-7, 1e-7, True):
                return None
        elif type(a) is type(b) and a == b:
            return None
        return f"{where}: torch returned {b!r}, {self.backend.name} returned {a!r}"

    def _float32_mismatch(self, a, b):
        return any(isinstance(v, _TensorValue) and v.dtype == "float32" for v in _flatten(b))

    def reproduction(self, fn, inputs):
        """A script that reruns the failing program on torch and on the backend."""
        try:
            src = textwrap.dedent(inspect.getsource(fn)).strip()
        except (OSError, TypeError):
            src = repr(fn)
        names = [f"x{i}" for i in range(len(inputs))]
        lines = ["import numpy as np", "from conformance.backends import get_backend",
                 f"# program (from the test): {src}"]
        for name, x in zip(names, inputs):
            if isinstance(x, np.ndarray):
                x = TensorInput(x)
            lines.append(f"{name} = {x.describe() if isinstance(x, TensorInput) else repr(x)}")
        lines.append(f"for b in (get_backend('torch'), get_backend({self.backend.name!r})):")
        lines.append("    b.setup(); T = b.torch; tensor = b.tensor")
        lines.append(f"    print(b.name, fn(T, b.device, {', '.join(names)}))")
        return "\n".join(lines)


def _flatten(value):
    if isinstance(value, (tuple, list)):
        for v in value:
            yield from _flatten(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _flatten(v)
    else:
        yield value


def _builtin_class(cls):
    """The first builtin class in an exception's (or warning's) MRO."""
    for c in cls.__mro__:
        if getattr(builtins, c.__name__, None) is c:
            return c
    return BaseException


def _tol(dtype, rtol, atol):
    base = TOLERANCES.get(dtype, (0.0, 0.0))
    return (base[0] if rtol is None else rtol, base[1] if atol is None else atol)


def _allclose(a, b, rtol, atol, equal_nan):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "biu" and b.dtype.kind in "biu" or a.dtype.kind == "b":
        return np.array_equal(a, b)
    if a.dtype.kind == "c" or b.dtype.kind == "c":
        return _allclose_complex(a.astype(np.complex128), b.astype(np.complex128), rtol, atol,
                                 equal_nan)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    return bool(np.all(np.isclose(a64, b64, rtol=rtol, atol=atol, equal_nan=equal_nan) |
                       (a64 == b64)))


def _allclose_complex(a, b, rtol, atol, equal_nan):
    """As torch.testing (torch.isclose) where it can judge: finite values by |a - b| against
    atol + rtol * |b|, and a value with a NaN part counts as NaN. Where a part is infinite,
    |a - b| is NaN and torch.isclose demands bit-equality of the other part; here each part
    is compared on its own instead (inf + 2.2661800709j against inf + 2.2661800708j agree)."""
    nan_a = np.isnan(a.real) | np.isnan(a.imag)
    nan_b = np.isnan(b.real) | np.isnan(b.imag)
    finite = np.isfinite(a) & np.isfinite(b)
    with np.errstate(invalid="ignore", over="ignore"):
        ok = (a == b) | (finite & (np.abs(a - b) <= atol + rtol * np.abs(b)))
        if equal_nan:
            ok |= nan_a & nan_b
        parts = ~finite & ~nan_a & ~nan_b
        ok |= parts & np.isclose(a.real, b.real, rtol=rtol, atol=atol) & \
            np.isclose(a.imag, b.imag, rtol=rtol, atol=atol)
    return bool(np.all(ok))


def _closer_or_equal(ours, theirs, ref):
    """Returns a problem (truthy) unless every float32 tensor of `ours` is about as close to the
    float64 reference as torch's float32 result (see ARBITRATION_FACTOR)."""
    for a, b, r in zip(_flatten(ours), _flatten(theirs), _flatten(ref)):
        if isinstance(b, _TensorValue) and b.dtype == "float32":
            if not isinstance(r, _TensorValue) or not isinstance(a, _TensorValue):
                return True
            ref64 = r.array.astype(np.float64)
            err_ours = np.abs(a.array.astype(np.float64) - ref64)
            err_torch = np.abs(b.array.astype(np.float64) - ref64)
            rtol, atol = TOLERANCES["float32"]
            bad = ~(err_ours <= ARBITRATION_FACTOR * err_torch + atol + rtol * np.abs(ref64))
            bad &= ~(np.isnan(a.array) & np.isnan(r.array))
            if bad.any():
                return True
    return False


def _seed_of(inputs):
    h = 0
    for x in inputs:
        base = x.base if isinstance(x, TensorInput) else x
        if isinstance(base, np.ndarray):
            h = (h * 31 + int(np.frombuffer(np.ascontiguousarray(base).tobytes(),
                                            np.uint8).sum())) % (2**32)
    return h
