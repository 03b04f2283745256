"""Benchmarks: refimpl (numpy and numba kernel tables) against torch CPU in the same run.

Each case is one torch program timed on every side with `timeit` (best of several repeats);
the table shows microseconds and the ratio refimpl/torch (lower is better; 1.0 = as fast).
`python -m conformance.bench [--quick] [--only TEXT] [--out docs/benchmarks.md]`. Never part of CI.
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
        yield f"mul scalar {n}", (n,), lambda T, x: x * 2.0
        yield f"div {n}", (n,), lambda T, x: T.div(x, x)
        yield f"exp {n}", (n,), lambda T, x: T.exp(x)
        yield f"tanh {n}", (n,), lambda T, x: T.tanh(x)
        yield f"relu {n}", (n,), lambda T, x: T.relu(x)
        yield f"pow {n}", (n,), lambda T, x: T.pow(x, x)
        yield f"maximum {n}", (n,), lambda T, x: T.maximum(x, x)
        yield f"gt {n}", (n,), lambda T, x: T.gt(x, x)
        yield f"where {n}", (n,), lambda T, x: T.where(x > 0, x, x)
        yield f"sum {n}", (n,), lambda T, x: x.sum()
        yield f"mean {n}", (n,), lambda T, x: x.mean()
        yield f"amax {n}", (n,), lambda T, x: x.amax()
        yield f"argmax {n}", (n,), lambda T, x: x.argmax()
        yield f"sum(-1) {max(n // 100, 1)}x100", (max(n // 100, 1), 100), lambda T, x: x.sum(-1)
    for n in mats:
        yield f"mm {n}x{n}", (n, n), lambda T, x: T.mm(x, x)
        yield f"matmul {n}x{n}", (n, n), lambda T, x: x @ x
        yield f"bmm 8x{n // 4}x{n // 4}", (8, n // 4, n // 4), lambda T, x: T.bmm(x, x)
    yield "mlp fwd+bwd 64x256", (64, 256), _mlp_step
    for batch in (1, 256):
        yield f"mlp10 fwd+bwd batch {batch}", (batch, 256), _mlp10_step
    yield "Adam step 1M params", (1_000_000,), _adam_step
    for workers in (0, 2):
        yield f"DataLoader 100k x 8, batch 64, workers {workers}", (100_000, 8), \
            lambda T, x, w=workers: _loader_epoch(T, x, w)
    yield "save+load 100 MB state_dict", (25_000_000,), _save_load
    yield "randn 10**7 (seeded)", (1,), lambda T, x: (T.manual_seed(0), T.randn(10**7))
    yield "randperm 10**6 (seeded)", (1,), lambda T, x: (T.manual_seed(0), T.randperm(10**6))
    yield "conv2d fwd+bwd 32x3x32x32, 64 3x3", (32, 3, 32, 32), _conv2d_step
    yield "LSTM fwd+bwd seq 35 batch 20 200->200", (35, 20, 200), _lstm_step
    yield "max_pool2d fwd+bwd 32x64x32x32, 2x2", (32, 64, 32, 32), _max_pool_step
    yield "batch_norm fwd+bwd 32x64x32x32", (32, 64, 32, 32), \
        lambda T, x: _norm_step(T, x, lambda T: T.nn.BatchNorm2d(64))
    yield "layer_norm fwd+bwd 4096x256", (4096, 256), \
        lambda T, x: _norm_step(T, x, lambda T: T.nn.LayerNorm(256))
    yield "cross_entropy fwd+bwd 1024x1000", (1024, 1000), _cross_entropy_step


def _mlp_step(T, x):
    w = T.ones(256, 256) * 0.01
    w.requires_grad_(True)
    y = x.mm(w).relu().mm(w).sigmoid().sum()
    y.backward()
    return w.grad


_MLP10 = {}


def _mlp10_step(T, x):
    """Forward and backward of a 10-layer MLP (256 wide, ReLU): autograd overhead per layer
    at batch 1, kernel time at batch 256. The parameters persist across calls."""
    if id(x) not in _MLP10:
        gen = np.random.default_rng(1)
        params = []
        for _ in range(10):
            w = T.from_numpy((gen.standard_normal((256, 256)) / 16).astype(np.float32))
            b = T.from_numpy(np.zeros(256, np.float32))
            params += [w.requires_grad_(True), b.requires_grad_(True)]
        _MLP10[id(x)] = (x, params)
    params = _MLP10[id(x)][1]
    h = x
    for i in range(0, 20, 2):
        h = (h.mm(params[i]) + params[i + 1]).relu()
    h.sum().backward()
    for p in params:
        p.grad = None


_OPTIMIZERS = {}


def _adam_step(T, x):
    """One Adam step of a 1M-parameter tensor (the optimizer persists across calls)."""
    if id(x) not in _OPTIMIZERS:
        p = x.clone().requires_grad_(True)
        p.grad = x.clone()
        _OPTIMIZERS[id(x)] = (x, T.optim.Adam([p], lr=1e-3))
    _OPTIMIZERS[id(x)][1].step()


def _loader_epoch(T, x, num_workers):
    """One epoch over a TensorDataset of 100k samples in batches of 64."""
    loader = T.utils.data.DataLoader(T.utils.data.TensorDataset(x), batch_size=64,
                                     num_workers=num_workers)
    for _ in loader:
        pass


def _save_load(T, x):
    """torch.save of a 100 MB state_dict to memory, then torch.load of it."""
    import collections
    import io
    buf = io.BytesIO()
    T.save(collections.OrderedDict(weight=x), buf)
    buf.seek(0)
    return T.load(buf)


_LAYERS = {}


def _layer(T, x, make):
    """One layer per (backend, input), built after manual_seed(0) and kept across calls."""
    if id(x) not in _LAYERS:
        T.manual_seed(0)
        _LAYERS[id(x)] = (x, make(T))
    return _LAYERS[id(x)][1]


def _conv2d_step(T, x):
    """Forward and backward of nn.Conv2d(3, 64, 3, padding=1) on a 32x3x32x32 batch."""
    m = _layer(T, x, lambda T: T.nn.Conv2d(3, 64, 3, padding=1))
    m(x).sum().backward()
    m.zero_grad()


def _lstm_step(T, x):
    """Forward and backward of a one-layer nn.LSTM(200, 200) over 35 steps of batch 20."""
    m = _layer(T, x, lambda T: T.nn.LSTM(200, 200))
    m(x)[0].sum().backward()
    m.zero_grad()


def _max_pool_step(T, x):
    """Forward and backward of F.max_pool2d(x, 2) (the input requires grad)."""
    x.requires_grad_(True)
    T.nn.functional.max_pool2d(x, 2).sum().backward()
    x.grad = None


def _norm_step(T, x, make):
    """Forward and backward of the norm layer make(T) in training mode, the input requiring
    grad."""
    m = _layer(T, x, make)
    x.requires_grad_(True)
    m(x).sum().backward()
    m.zero_grad()
    x.grad = None


def _cross_entropy_step(T, x):
    """Forward and backward of F.cross_entropy over 1024 rows of 1000 classes."""
    target = T.arange(x.shape[0]) % x.shape[1]
    x.requires_grad_(True)
    T.nn.functional.cross_entropy(x, target).backward()
    x.grad = None


def _time(fn, T, x):
    fn(T, x)  # warm up (and compile numba kernels)
    timer = timeit.Timer(lambda: fn(T, x))
    number, _ = timer.autorange()
    return min(timer.repeat(5, number)) / number * 1e6


def run(quick=False, only=()):
    import torch

    import refimpl
    rows = []
    for name, shape, fn in _cases(quick):
        if only and not any(word in name for word in only):
            continue
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
    parser.add_argument("--only", action="append", default=[],
                        help="run only the cases whose name contains this text (repeatable)")
    args = parser.parse_args()
    md = table(run(args.quick, args.only))
    print(md)
    if args.out:
        pathlib.Path(args.out).write_text("# Benchmarks\n\n" + md + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
