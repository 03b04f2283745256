"""Benchmarks: refimpl (numpy and numba kernel tables) against torch CPU in the same run.

Each case is one torch program timed on every side with `timeit` (best of several repeats);
the table shows microseconds and the ratio refimpl/torch (lower is better; 1.0 = as fast).
`python -m conformance.bench [--quick] [--out docs/benchmarks.md]`. Never part of CI.
"""

import argparse
import pathlib
import platform
import timeit

import numpy as np


def _cases(quick):
    sizes = (100, 10_000, 1_000_000) if quick else (100, 1_000, 100_000, 1_000_000, 10_000_000)
    mats = (256, 512) if quick else (256, 512, 1024, 2048)
    for n in sizes:
        yield f"add {n}", (n,), lambda T, x: T.add(x, x)
        yield f"sigmoid {n}", (n,), lambda T, x: T.sigmoid(x)
        yield f"sum {n}", (n,), lambda T, x: x.sum()
    for n in mats:
        yield f"mm {n}x{n}", (n, n), lambda T, x: T.mm(x, x)
    yield "mlp fwd+bwd 64x256", (64, 256), _mlp_step


def _mlp_step(T, x):
    w = T.ones(256, 256) * 0.01
    w.requires_grad_(True)
    y = x.mm(w).relu().mm(w).sigmoid().sum()
    y.backward()
    return w.grad


def _time(fn, T, x):
    fn(T, x)  # warm up (and compile numba kernels)
    timer = timeit.Timer(lambda: fn(T, x))
    number, _ = timer.autorange()
    return min(timer.repeat(5, number)) / number * 1e6


def run(quick=False):
    import torch

    import refimpl
    rows = []
    for name, shape, fn in _cases(quick):
        data = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
        t_torch = _time(fn, torch, torch.from_numpy(data.copy()))
        row = [name, t_torch]
        for table in ("numpy", "numba"):
            refimpl.kernels.use(table)
            row.append(_time(fn, refimpl, refimpl.from_numpy(data.copy())))
        refimpl.kernels.use("numpy")
        rows.append(row)
        print(f"{name:24} torch {row[1]:10.1f} us   numpy {row[2]:10.1f} us "
              f"({row[2] / row[1]:5.2f}x)   numba {row[3]:10.1f} us ({row[3] / row[1]:5.2f}x)",
              flush=True)
    return rows


def table(rows):
    import torch
    lines = ["| case | torch (us) | refimpl numpy (us) | ratio | refimpl numba (us) | ratio |",
             "|---|---|---|---|---|---|"]
    for name, t, a, b in rows:
        lines.append(f"| {name} | {t:.1f} | {a:.1f} | {a / t:.2f} | {b:.1f} | {b / t:.2f} |")
    lines.append("")
    lines.append(f"Measured with torch {torch.__version__} ({torch.get_num_threads()} threads), "
                 f"NumPy {np.__version__}, Python {platform.python_version()}, "
                 f"{platform.machine()}; float32, best of 5 repeats.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default=None, help="write the Markdown table here")
    args = parser.parse_args()
    md = table(run(args.quick))
    print(md)
    if args.out:
        pathlib.Path(args.out).write_text("# Benchmarks\n\n" + md + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
