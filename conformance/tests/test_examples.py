"""The documents' code examples, in modern form: each runs on torch and on the backend in a
fresh namespace, and what it prints must agree."""

import contextlib
import io

from conformance import spec
from conformance.specs import load_specs

EXAMPLES = {cid: c for cid, c in load_specs().items() if c.kind == "example" and c.code}


def _run_example(T, code):
    out = io.StringIO()
    namespace = {"torch": T, "nn": getattr(T, "nn", None)}
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<example>", "exec"), namespace)
    return out.getvalue()


@spec("torch.example.dynamic-graph")
def test_dynamic_graph_example_prints_values_at_once(check):
    code = EXAMPLES["torch.example.dynamic-graph"].code
    check(lambda T, d: _run_example(T, code))
