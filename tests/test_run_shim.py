"""`python -m refimpl.run` runs a torch program on refimpl and prints what torch prints."""

import subprocess
import sys
import textwrap

PROGRAM = textwrap.dedent("""
    import torch
    from torch.autograd import grad
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    y = (x.t() * 2 + 1).sigmoid().sum()
    (g,) = grad(y, x)
    print(torch.__name__.split(".")[0] in ("torch", "refimpl"))
    print(y)
    print(g)
    print(torch.add(1, 2), x.t().stride(), x.dtype)
""")


def _run(tmp_path, *prefix):
    script = tmp_path / "prog.py"
    script.write_text(PROGRAM)
    out = subprocess.run([sys.executable, *prefix, str(script)], capture_output=True, text=True,
                         check=True)
    return out.stdout


def test_shim_runs_torch_program_like_torch(tmp_path):
    on_refimpl = _run(tmp_path, "-m", "refimpl.run")
    on_torch = _run(tmp_path)
    assert on_refimpl == on_torch


def test_shim_really_uses_refimpl(tmp_path):
    script = tmp_path / "which.py"
    script.write_text("import torch, torch.autograd\nprint(torch.__name__, "
                      "torch.autograd.__name__)\n")
    out = subprocess.run([sys.executable, "-m", "refimpl.run", str(script)],
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["refimpl", "refimpl.autograd"]
