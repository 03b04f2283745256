"""The autograd examples of the documents (001, 002), in modern form: each runs on torch and
on the backend in a fresh namespace (as `import <backend> as torch` would give it), and what
it prints must agree. The seeded ones need the backend's torch-exact CPU generator."""

import contextlib
import io

import pytest

from conformance import spec
from conformance.specs import load_specs

EXAMPLES = {cid: c for cid, c in load_specs().items()
            if c.kind == "example" and c.code and cid.startswith("torch.autograd.")}


def _run_example(T, code):
    out = io.StringIO()
    namespace = {"torch": T, "nn": getattr(T, "nn", None)}
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<example>", "exec"), namespace)
    return out.getvalue()


@spec("torch.autograd.example.detach")
def test_example_detach(check):
    check(lambda T, d: _run_example(T, EXAMPLES["torch.autograd.example.detach"].code))


@spec("torch.autograd.example.backward")
def test_example_backward_and_accumulation(check):
    check(lambda T, d: _run_example(T, EXAMPLES["torch.autograd.example.backward"].code))


@spec("torch.autograd.example.leaf-grad")
def test_example_leaf_grad(check):
    check(lambda T, d: _run_example(T, EXAMPLES["torch.autograd.example.leaf-grad"].code))


@spec("torch.autograd.example.autograd-grad")
def test_example_autograd_grad_tuple(check):
    check(lambda T, d: _run_example(T, EXAMPLES["torch.autograd.example.autograd-grad"].code))


@spec("torch.autograd.example.relu-function")
def test_example_relu_function(check):
    check(lambda T, d: _run_example(T, EXAMPLES["torch.autograd.example.relu-function"].code))


@spec("torch.autograd.example.linear-function")
def test_example_linear_function(check):
    check(lambda T, d: _run_example(T, EXAMPLES["torch.autograd.example.linear-function"].code))


pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
