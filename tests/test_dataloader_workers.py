"""Process-level behaviour of refimpl's DataLoader workers: a dead worker is an error, not a
hang; no worker outlives its iterator; workers run Numba kernels after the parent has.

Each scenario runs in a fresh interpreter (bounded by a timeout) so that a hang fails the
test instead of blocking the run, and so Numba's threading layer starts from scratch.
"""

import subprocess
import sys
import textwrap

import pytest

PRELUDE = """
import multiprocessing, os, signal, time
import numpy as np
import refimpl as torch
from refimpl.utils.data import DataLoader, Dataset, get_worker_info
"""


def run(code, timeout=20, env=None, top=""):
    """Run the scenario as a script (a file, so forkserver workers can import its classes)."""
    import os
    import tempfile
    body = textwrap.indent(textwrap.dedent(code), "    ")
    script = (PRELUDE + textwrap.dedent(top) + "\n\ndef main():\n" + body
              + "\n\nif __name__ == '__main__':\n    main()\n")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "scenario.py")
        with open(path, "w") as f:
            f.write(script)
        proc = subprocess.run([sys.executable, path], capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()


def test_killed_worker_raises_instead_of_hanging():
    out = run("""
        class Suicide(Dataset):
            def __getitem__(self, i):
                if i == 3:
                    os.kill(os.getpid(), signal.SIGKILL)
                return i
            def __len__(self):
                return 8
        try:
            list(DataLoader(Suicide(), num_workers=2))
        except RuntimeError as e:
            print(str(e).startswith("DataLoader worker (pid(s)"), "exited unexpectedly" in str(e))
    """)
    assert out == ["True True"]


def test_no_worker_outlives_its_iterator():
    out = run("""
        loader = DataLoader(range(10), batch_size=2, num_workers=2)
        list(loader)
        print(len(multiprocessing.active_children()))
        it = iter(loader); next(it)            # abandoned half way
        print(len(multiprocessing.active_children()))
        del it
        print(len(multiprocessing.active_children()))
        persistent = DataLoader(range(4), num_workers=2, persistent_workers=True)
        list(persistent); list(persistent)
        print(len(multiprocessing.active_children()))
        del persistent
        import gc; gc.collect()
        print(len(multiprocessing.active_children()))
    """)
    assert out == ["0", "2", "0", "2", "0"]


NUMBA_DATASET = """
    def signal_x():
        return torch.tensor(np.linspace(-3, 3, 4_500_000).astype(np.float32))

    class Sig(Dataset):
        def __getitem__(self, i):
            torch.kernels.use("numba")
            return float(torch.sigmoid(signal_x()).sum())
        def __len__(self):
            return 2
"""


def test_forked_workers_run_numba_parallel_kernels():
    """The first multi-process iterator pins Numba's fork-safe workqueue layer; afterwards
    parent and forked workers both run parallel kernels."""
    out = run("""
        torch.kernels.use("numba")
        first = list(DataLoader(Sig(), batch_size=None, num_workers=2))
        expected = float(torch.sigmoid(signal_x()).sum())
        again = list(DataLoader(Sig(), batch_size=None, num_workers=2))
        import numba
        print(numba.threading_layer())
        print(all(abs(g - expected) < 1e-3 for g in first + again))
    """, top=NUMBA_DATASET)
    assert out == ["workqueue", "True"]


def test_workers_start_with_forkserver_once_an_openmp_pool_runs():
    """With OpenMP already running in the parent (forked children would abort), the workers
    start with forkserver and still compute."""
    out = run("""
        torch.kernels.use("numba")
        expected = float(torch.sigmoid(signal_x()).sum())
        got = list(DataLoader(Sig(), batch_size=None, num_workers=2))
        import numba
        print(numba.threading_layer())
        print(all(abs(g - expected) < 1e-3 for g in got))
    """, env={"NUMBA_THREADING_LAYER": "omp"}, top=NUMBA_DATASET, timeout=60)
    assert out == ["omp", "True"]


def test_worker_numpy_seed_matches_torch():
    torch = pytest.importorskip("torch")
    from torch.utils.data._utils.worker import _generate_state as torch_state

    from refimpl.utils.data._utils.worker import _generate_state
    for base_seed in (0, 1, 2**32 + 5, 2**63 - 1):
        for worker_id in range(3):
            assert _generate_state(base_seed, worker_id) == torch_state(base_seed, worker_id)
    del torch


def test_workers_under_the_import_shim(tmp_path):
    """`python -m refimpl.run`: forked workers keep the torch -> refimpl alias."""
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent("""
        import torch
        from torch.utils.data import DataLoader, Dataset, get_worker_info

        class D(Dataset):
            def __getitem__(self, i):
                return torch.tensor([i, get_worker_info().id])
            def __len__(self):
                return 4

        print(torch.__name__, [b.tolist() for b in DataLoader(D(), batch_size=2,
                                                              num_workers=2)])
    """))
    proc = subprocess.run([sys.executable, "-m", "refimpl.run", str(script)],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "refimpl [[[0, 0], [1, 0]], [[2, 1], [3, 1]]]"
