"""Run a torch program on refimpl: `python -m refimpl.run script.py [args...]`.

Inside that process `import torch`, `import torch.nn as nn` and `from torch.autograd import
grad` load refimpl and its submodules instead (a meta-path finder maps every `torch.X` to
`refimpl.X`), then the script runs as `__main__`.
"""

import importlib
import importlib.abc
import importlib.util
import runpy
import sys


class TorchAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves `torch` and `torch.*` to the refimpl module of the same path."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "torch" or fullname.startswith("torch."):
            target_name = "refimpl" + fullname[len("torch"):]
            if importlib.util.find_spec(target_name) is None:
                return None
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module("refimpl" + spec.name[len("torch"):])

    def exec_module(self, module):
        """The refimpl module is already executed."""


def install():
    """Map `torch` to refimpl in this process (before torch is imported)."""
    if "torch" in sys.modules and not sys.modules["torch"].__name__.startswith("refimpl"):
        raise RuntimeError("torch is already imported in this process")
    sys.meta_path.insert(0, TorchAlias())


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    install()
    sys.argv = argv
    runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
