"""Deliberately broken backends: each is refimpl with one realistic fault. The suite must fail
every mutant on the clauses named in its `targets`; a mutant that survives means the suite
cannot see that fault. Each mutant runs the test files in SUITE.

Run them all with `python -m conformance.mutants` (what `nox -s mutants` does): each mutant
runs the suite in its own pytest process and its report is checked.
"""

import contextlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

from .backends import RefimplBackend


class Mutant(RefimplBackend):
    """refimpl with `patch()` applied in setup (a context manager undone in teardown)."""

    targets = ()          # clause ids that must fail
    broken = ()           # if set, only clauses whose apis name one of these may fail
    missing = ()          # clause ids that must be reported missing instead

    def __init__(self):
        super().__init__("numpy", name=f"mutant-{type(self).__name__}")
        self._stack = contextlib.ExitStack()

    def setup(self):
        super().setup()
        self._stack.enter_context(self.patch())

    def teardown(self):
        self._stack.close()

    def patch(self):
        raise NotImplementedError


@contextlib.contextmanager
def _replaced(obj, name, value):
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


class numpy_promotion(Mutant):
    """Type promotion by NumPy's rules instead of torch's (int64 tensor + 2.5 -> float64)."""

    targets = ("torch.type-promotion",)

    def patch(self):
        import refimpl._dtype as d

        def numpy_result_type(*operands):
            arrays = [np.asarray(x._array) if hasattr(x, "_array") else np.asarray(x)
                      for x in operands]
            return d.from_numpy_dtype(np.result_type(*arrays))
        return _replaced(d, "result_type", numpy_result_type)


class transpose_strides(Mutant):
    """transpose swaps the sizes but not the strides."""

    targets = ("torch.Tensor.storage-view",)

    def patch(self):
        from refimpl._refs import views
        original = views.transpose.forward

        def wrong(input, dim0, dim1):
            shape, _, offset = original(input, dim0, dim1)
            return shape, input._stride, offset
        return _replaced(views.transpose, "forward", wrong)


class broadcast_grad_unreduced(Mutant):
    """Gradients of broadcast inputs are not summed back to the input's shape."""

    targets = ("torch.add",)

    def patch(self):
        from refimpl._tensor import Tensor

        def unreduced(self, *size):
            return self
        return _replaced(Tensor, "sum_to_size", unreduced)


class no_version_bump(Mutant):
    """In-place ops forget to bump the version counter."""

    targets = ("torch.Tensor.inplace-suffix",)

    def patch(self):
        from refimpl._tensor import Tensor
        return _replaced(Tensor, "_bump_version", lambda self: None)


class inplace_returns_copy(Mutant):
    """add_ computes the sum into a new tensor and returns it, leaving self unchanged."""

    targets = ("torch.Tensor.inplace-suffix",)

    def patch(self):
        from refimpl._tensor import Tensor
        return _replaced(Tensor, "add_", lambda self, other, alpha=1: self.add(other,
                                                                               alpha=alpha))


class sigmoid_last_bits(Mutant):
    """sigmoid off in the last bits (relative error 1e-5): exactly the clauses naming sigmoid
    fail."""

    targets = ("torch.sigmoid",)
    broken = ("sigmoid", "sigmoid_")

    def patch(self):
        from refimpl import kernels
        original = kernels.cpu.sigmoid

        def sloppy(x):
            return original(x) * x.dtype.type(1 + 1e-5)
        return _replaced(kernels.cpu, "sigmoid", sloppy)


class tanh_missing(Mutant):
    """A backend without torch.tanh: the clauses naming it are missing, not failed."""

    missing = ("torch.tanh",)

    def patch(self):
        import refimpl
        stack = contextlib.ExitStack()
        stack.enter_context(_deleted(refimpl, "tanh"))
        return stack


@contextlib.contextmanager
def _deleted(obj, name):
    old = getattr(obj, name)
    delattr(obj, name)
    try:
        yield
    finally:
        setattr(obj, name, old)


MUTANTS = (numpy_promotion, transpose_strides, broadcast_grad_unreduced, no_version_bump,
           inplace_returns_copy, sigmoid_last_bits, tanh_missing)


def verdict(mutant, report):
    """Problems with one mutant's report (empty when the suite caught it as required)."""
    clauses = report["clauses"]
    failed = {c for c, r in clauses.items() if r["status"] in ("failed", "error")}
    problems = [f"{mutant.__name__}: clause {c} did not fail (status "
                f"{clauses.get(c, {}).get('status')})" for c in mutant.targets if c not in failed]
    if mutant.broken:
        from .specs import load_specs
        naming = {cid for cid, c in load_specs().items()
                  if any(api.split(".")[-1] in mutant.broken for api in c.apis)}
        extra = failed - naming
        if extra:
            problems.append(f"{mutant.__name__}: clauses not naming {mutant.broken[0]} failed: "
                            f"{sorted(extra)}")
    for c in mutant.missing:
        if clauses.get(c, {}).get("status") != "missing":
            problems.append(f"{mutant.__name__}: clause {c} is "
                            f"{clauses.get(c, {}).get('status')}, not missing")
    return problems


# The test files a mutant runs: those that check the ops the mutants break (promotion,
# strides, broadcasting gradients, version counters, in-place, sigmoid, tanh). Running the
# whole suite once per mutant would multiply CI time by seven for no extra signal; a mutant's
# `broken` rule (only clauses naming the broken op may fail) is checked over these files.
SUITE = ("test_pointwise.py", "test_tensor.py", "test_autograd.py", "test_reduction_linalg.py",
         "test_creation.py")


def run_all(pytest_args=()):
    """Run the mutants' test files against every mutant; returns the list of problems."""
    problems = []
    root = pathlib.Path(__file__).parent / "tests"
    tests = [str(root / name) for name in SUITE]
    with tempfile.TemporaryDirectory() as tmp:
        for mutant in MUTANTS:
            cmd = [sys.executable, "-m", "pytest", *tests, "-q", "-p", "no:cacheprovider",
                   f"--backend=conformance.mutants:{mutant.__name__}",
                   f"--report-dir={tmp}", *pytest_args]
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  env={**os.environ, "CONFORMANCE_BACKEND": ""})
            path = pathlib.Path(tmp) / f"mutant-{mutant.__name__}" / "conformance.json"
            if not path.exists():
                problems.append(f"{mutant.__name__}: no report ({proc.stdout[-2000:]}"
                                f"{proc.stderr[-2000:]})")
                continue
            found = verdict(mutant, json.loads(path.read_text()))
            status = "caught" if not found else "SURVIVED"
            print(f"{mutant.__name__:28} {status}: {mutant.__doc__.splitlines()[0]}")
            problems += found
    return problems


def main():
    problems = run_all(sys.argv[1:])
    for p in problems:
        print(p)
    print(f"{len(MUTANTS)} mutants, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
