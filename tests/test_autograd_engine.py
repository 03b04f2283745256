"""Internal checks of refimpl's autograd engine and op dispatch that a differential test does
not reach: the pointwise fast path gives exactly what the general path gives, the graph is
freed, the examples run through the `python -m refimpl.run` import shim."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import refimpl
from refimpl._dispatch import Pointwise
from refimpl._refs import pointwise

CASES = [
    ((4, 3), (4, 3)), ((1, 3), (3,)), ((4, 1), (1, 3)), ((), (2,)), ((0, 2), (0, 2)),
]


def _general(op, *args):
    """The op through the general path only."""
    nfast, op._nfast = op._nfast, -1
    try:
        return op(*args)
    finally:
        op._nfast = nfast


@pytest.mark.parametrize("name", ["add", "mul", "sub", "maximum", "gt", "relu", "sigmoid"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "float16"])
@pytest.mark.parametrize("shapes", CASES)
def test_fast_path_matches_general_path(name, dtype, shapes):
    op = getattr(pointwise, name, None) or getattr(refimpl, name)
    assert isinstance(op, Pointwise)
    rng = np.random.default_rng(0)
    tensors = [refimpl.tensor(rng.uniform(1, 3, s).astype(dtype)) for s in shapes]
    args = tensors[:1] if op._nfast == 1 else tensors
    for extra in ([], [2], [2.5]):
        call = args if not extra else args[:1] + extra
        if len(call) != max(op._nfast, 1):
            continue
        try:
            expected = _general(op, *call)
        except (RuntimeError, TypeError) as e:
            with pytest.raises(type(e)):
                op(*call)
            continue
        got = op(*call)
        assert got.dtype is expected.dtype and got.shape == expected.shape
        assert got.stride() == expected.stride()
        np.testing.assert_array_equal(got.numpy(), expected.numpy())


def test_fast_path_records_autograd():
    x = refimpl.ones(3, requires_grad=True)
    y = x * x + x
    assert type(y.grad_fn).__name__ == "AddBackward0"
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0, 3.0])


def test_backward_frees_saved_tensors():
    x = refimpl.ones(3, requires_grad=True)
    y = (x * x).sum()
    node = y.grad_fn.next_functions[0][0]
    y.backward()
    assert all(v._tensor is None for v in node._saved.values())


def test_gradcheck_and_functional_agree_with_closed_forms():
    x = refimpl.tensor([0.5, -1.0, 2.0], dtype=refimpl.float64, requires_grad=True)
    assert refimpl.autograd.gradcheck(lambda a: (a * a).sin(), (x,))
    hess = refimpl.autograd.functional.hessian(lambda a: (a ** 3).sum(), x)
    np.testing.assert_allclose(hess.numpy(), np.diag(6 * x.detach().numpy()))


def test_examples_run_through_the_import_shim(tmp_path):
    from conformance.specs import load_specs
    for cid, clause in load_specs().items():
        if clause.kind != "example" or not cid.startswith("torch.autograd.") or not clause.code:
            continue
        if any(not _resolves(api) for api in clause.apis):
            continue
        script = tmp_path / "example.py"
        script.write_text("import torch\n" + textwrap.dedent(clause.code))
        ours = subprocess.run([sys.executable, "-m", "refimpl.run", str(script)],
                              capture_output=True, text=True, timeout=120)
        theirs = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                                timeout=120)
        assert ours.returncode == 0, (cid, ours.stderr[-2000:])
        assert _tokens(ours.stdout) == _tokens(theirs.stdout), cid


def _resolves(api):
    obj = refimpl
    for part in api.split("."):
        obj = getattr(obj, part, None)
    return obj is not None


def _tokens(text):
    """Printed output as words, with the module name of reprs made the same."""
    return text.replace("refimpl", "torch").split()
