"""The CUDA kernel table against the NumPy reference, under numba's CUDA simulator.

numba reads NUMBA_ENABLE_CUDASIM once, when it is first imported, and other tests in this
directory import numba for the CPU. So each check runs in a fresh `python` subprocess with
REFIMPL_CUDA_SIMULATOR=1: a `test_*` function starts `python tests/test_cuda_kernels.py
_check_*`, and the `_check_*` function of the same name runs there. Shapes stay tiny (numel
<= 16): the simulator runs one Python thread per CUDA thread.
"""

import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _in_simulator(check, kernels="numpy"):
    env = dict(os.environ, REFIMPL_CUDA_SIMULATOR="1", REFIMPL_KERNELS=kernels,
               PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])))
    env.pop("NUMBA_ENABLE_CUDASIM", None)  # REFIMPL_CUDA_SIMULATOR alone must be enough
    run = subprocess.run([sys.executable, os.path.abspath(__file__), check.__name__], env=env,
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"{check.__name__} failed:\n{run.stdout}\n{run.stderr}"


def test_cuda_table_has_every_reference_entry():
    _in_simulator(_check_table_names)


def test_cuda_kernels_match_the_numpy_reference():
    _in_simulator(_check_pure_entries)


def test_nn_kernels_match_the_numpy_reference():
    _in_simulator(_check_nn_entries)


def test_nn_layers_on_cuda_match_cpu():
    _in_simulator(_check_nn_layers_end_to_end)


def test_views_and_strided_copies_match_the_numpy_reference():
    _in_simulator(_check_views_and_copies)


def test_transfers_and_adopt_keep_values_and_ownership():
    _in_simulator(_check_transfers_and_adopt)


def test_tensors_on_cuda_behave_as_on_cpu():
    _in_simulator(_check_tensors_end_to_end)


def test_simulator_is_used_when_the_numba_cpu_kernels_import_numba_first():
    _in_simulator(_check_tensors_end_to_end, kernels="numba")


# -- run in the subprocess ------------------------------------------------------------------

def _tables():
    """(numpy_ref, cuda table), the cuda table as the kernels module hands it to ops."""
    import refimpl.kernels as kernels
    from refimpl.kernels import numpy_ref
    return numpy_ref, kernels.cuda_table()


def _device(cuda, host):
    """host (a NumPy array, possibly a strided or broadcast view) as a device array with the
    same shape, element strides and offset over a device copy of its base buffer, the way
    a cuda Tensor's `_array` views its storage."""
    if not isinstance(host, np.ndarray):
        return host
    root = host
    while isinstance(root.base, np.ndarray):
        root = root.base
    start = host.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    itemsize = host.dtype.itemsize
    return cuda.view(cuda.to_device(root.reshape(-1).view(np.uint8)), host.dtype, host.shape,
                     tuple(s // itemsize for s in host.strides), start // itemsize)


def _assert_same(got, want, what):
    want = np.asarray(want)
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype} != {want.dtype}"
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    if want.dtype.kind in "fc":
        np.testing.assert_allclose(got.astype(want.dtype), want, rtol=2e-6, atol=1e-7,
                                   equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(got, want, err_msg=what)


def _pure_cases():
    """name -> argument tuples (host values) for the table entries that return a new array."""
    f32 = np.array([[0.5, -1.5, 2.0, 0.0], [3.0, -0.25, 1.0, -2.0], [0.75, 4.0, -3.0, 1.5]],
                   np.float32)
    special = np.array([0.0, -0.0, 1.0, -1.0, 100.0, -100.0, np.inf, -np.inf, np.nan], np.float32)
    f64 = f32.astype(np.float64)
    i64 = np.array([[3, -2, 0], [7, 1, -5]], np.int64)
    mask = np.array([[True, False, True, False]] * 3)
    scalar = np.asarray(2.0, np.float32)
    f16 = f32.astype(np.float16)
    binary = [(f32.T, f32[:, 1]), (f32, scalar), (i64, np.asarray(4, np.int64)),
              (f32[:, ::2], f32[:, 1::2]), (f64.T, f64.T), (special, np.roll(special, 1))]
    return {
        "add": binary + [(f32, 2.5), (mask, mask), (i64, f32[:2, :3]), (f16, f16)],
        "subtract": binary,
        "multiply": binary + [(i64, 3), (mask, mask)],
        "divide": binary + [(i64, np.asarray(0, np.int64)), (f32, f32 * 0)],
        "negative": [(f32.T,), (i64,), (special,)],
        "exp": [(f32.T,), (special,), (i64,)],
        "log": [(f32.T,), (special,), (f64,)],
        "tanh": [(f32[::2],), (special,)],
        "sigmoid": [(f32.T,), (special,), (f64,)],
        "relu": [(f32.T,), (special,), (i64,)],
        "maximum": binary,
        "greater": binary + [(i64, f32[:2, :3])],
        "less_equal": binary,
        "where": [(mask, f32, scalar), (mask.T, f32.T, f64.T), (f32[:2, :3], i64[:1, :1], i64[0]),
                  (mask[0], np.asarray(1, np.int64), np.asarray(0, np.int64))],
        "sum": [(f32, None, None, False), (f32.T, 0, None, True), (f32, (0, 1), np.float64, False),
                (mask, 1, None, False), (scalar, None, None, False), (i64, -1, None, True),
                (np.zeros((0, 3), np.float32), 0, None, False), (f16, 1, None, False),
                (i64.astype(np.int32), None, None, False)],
        "matmul": [(f32, f32.T), (f64.T, f64), (i64, i64.T), (f16, f16.T)],
        "astype": [(f32, np.dtype(np.int64)), (special, np.dtype(np.bool_)), (f32.T, np.float64),
                   (i64, np.dtype(np.float16)), (f16, np.dtype(np.float32)),
                   (mask, np.dtype(np.float32)), (f32, np.dtype(np.float32)),
                   (np.arange(8).reshape(2, 2, 2).transpose(0, 2, 1), np.dtype(np.int8))],
        "asarray": [(300, np.dtype(np.uint8)), (2.5, np.dtype(np.float32)),
                    (True, np.dtype(np.int64)), (-1, np.dtype(np.uint8)),
                    (1.5, np.dtype(np.float16))],
        "full": [((2, 3), 1.5, np.dtype(np.float32)), ((), 7, np.dtype(np.int64)),
                 ((2, 2), 1.0, np.dtype(np.float16)), ((2,), 1 + 2j, np.dtype(np.complex128)),
                 ((0, 3), 1, np.dtype(np.float32)), ((3,), True, np.dtype(np.bool_))],
        "arange": [(0, 1, 5, np.dtype(np.int64)), (0.5, 0.1, 7, np.dtype(np.float32)),
                   (10, -3, 4, np.dtype(np.int32)), (0, 0.5, 3, np.dtype(np.float16)),
                   (0, 1, 0, np.dtype(np.float64))],
    }


# entries whose effect is on memory (views, writes, transfers), checked by _check_views_and_copies
# and _check_transfers_and_adopt
_MEMORY_ENTRIES = {"alloc", "view", "select", "copy_", "to_device", "to_host", "adopt"}


def _check_table_names():
    numpy_ref, cuda = _tables()
    missing = set(numpy_ref.TABLE) - set(vars(cuda))
    assert not missing, f"cuda table lacks {sorted(missing)}"
    assert callable(cuda.data_ptr)
    fallbacks = {n for n in numpy_ref.TABLE if getattr(vars(cuda)[n], "host_fallback", False)}
    untested = set(numpy_ref.TABLE) - set(_pure_cases()) - set(_nn_cases()) - _MEMORY_ENTRIES \
        - fallbacks
    assert not untested, f"no check covers {sorted(untested)}"
    # A host fallback is the reference itself on host copies: check that the round trip keeps
    # values, dtypes and tuples of results.
    x = np.arange(-3, 3, dtype=np.float32).reshape(2, 3)
    for name, args in (("abs", (x,)), ("flip", (x, (0,))), ("sort_indices", (x, -1, True))):
        if name not in fallbacks:
            continue
        want = numpy_ref.TABLE[name](*args)
        got = vars(cuda)[name](*(_device(cuda, a) if isinstance(a, np.ndarray) else
                                 [_device(cuda, v) for v in a] if isinstance(a, list) else a
                                 for a in args))
        for w, g in zip(want if isinstance(want, tuple) else (want,),
                        got if isinstance(got, tuple) else (got,)):
            np.testing.assert_array_equal(cuda.to_host(g), w)


def _check_pure_entries():
    numpy_ref, cuda = _tables()
    np.seterr(all="ignore")  # inf - inf and friends: the reference's own warnings
    for name, cases in _pure_cases().items():
        for args in cases:
            want = numpy_ref.TABLE[name](*args)
            got = getattr(cuda, name)(*(_device(cuda, a) for a in args))
            _assert_same(cuda.to_host(got), want, f"{name}{tuple(np.shape(a) for a in args)}")


def _nn_cases():
    """Tiny inputs for each kernels/cuda/nn.py entry (reference signatures): NaN and ties in
    the pooling input, a strided softmax input, and float64 next to float32."""
    gen = np.random.default_rng(0)
    x4 = gen.standard_normal((1, 2, 3, 3)).astype(np.float32)
    x4[0, 0, 1, 1] = np.nan
    x4[0, 1] = 0.5                                        # ties: the first maximum
    rows = gen.standard_normal((3, 4)).astype(np.float32)
    w, b = gen.standard_normal(4).astype(np.float32), gen.standard_normal(4).astype(np.float32)
    x3 = gen.standard_normal((2, 2, 3))
    mean, var = x3.mean((0, 2)), x3.var((0, 2))
    rstd = 1 / np.sqrt(var + 1e-5)
    wc = gen.standard_normal(2)
    g3 = gen.standard_normal((2, 2, 3))
    from refimpl.kernels import numpy_ref
    values, indices = numpy_ref.TABLE["max_pool"](x4, (2, 2), (1, 1), (1, 0), (1, 1), (3, 2))
    cases = {
        "softmax": [(rows, 1), (rows.T, 1), (x3, 2)],
        "log_softmax": [(rows, 1), (x3, 2)],
        "softmax_grad": [(rows, rows * 0.1, 1)],
        "log_softmax_grad": [(rows, -np.abs(rows), 1)],
        "max_pool": [(x4, (2, 2), (1, 1), (1, 0), (1, 1), (3, 2)),
                     (x4.reshape(1, 2, 9), (3,), (2,), (1,), (2,), (4,))],
        "scatter_flat": [(values * 0 + 1, indices, (3, 3))],
        "norm_rows": [(rows, w, b, 1e-5), (rows, None, None, 1e-5)],
        "norm_rows_grad": [(rows, rows[::-1].copy(), rows.mean(1), rows.std(1) + 1, w,
                            (True, True, True)),
                           (rows, rows, rows.mean(1), rows.std(1) + 1, None,
                            (True, False, False))],
        "channel_moments": [(x3,)],
        "norm_channels": [(x3, mean, rstd, wc, wc * 2), (x3, mean, rstd, None, None)],
        "norm_channels_grad": [(g3, x3, mean, rstd, wc, True, (True, True, True)),
                               (g3, x3, mean, rstd, None, False, (True, False, True))],
    }
    return cases


def _check_nn_entries():
    numpy_ref, cuda = _tables()
    for name, cases in _nn_cases().items():
        assert not getattr(getattr(cuda, name), "host_fallback", False), name
        for args in cases:
            want = numpy_ref.TABLE[name](*args)
            got = getattr(cuda, name)(*(_device(cuda, a) for a in args))
            if not isinstance(want, tuple):
                want, got = (want,), (got,)
            for i, (g, w) in enumerate(zip(got, want, strict=True)):
                assert (g is None) == (w is None), f"{name} output {i}"
                if w is not None:
                    _assert_same(cuda.to_host(g), w, f"{name} output {i}")


def _check_nn_layers_end_to_end():
    """Layers whose kernels run on the device give the CPU's outputs and gradients."""
    import refimpl as T
    F = T.nn.functional

    def run(device):
        T.manual_seed(0)
        x = T.randn(2, 3, 4, 4).to(device).requires_grad_()
        bn, ln = T.nn.BatchNorm2d(3).to(device), T.nn.LayerNorm(4).to(device)
        results = []
        for f in (lambda x: F.max_pool2d(x, 2), bn, ln,
                  lambda x: F.log_softmax(x, -1) * T.arange(4.0).to(device),
                  lambda x: F.cross_entropy(x.reshape(8, 12), T.arange(8).to(device))):
            y = f(x)
            weights = T.linspace(-1, 2, y.numel()).reshape(y.shape).to(device)
            (y * weights).sum().backward()                # no cancellation to exact zeros
            results += [y.detach().cpu().numpy(), x.grad.cpu().numpy()]
            x.grad = None
        results += [bn.running_mean.cpu().numpy(), bn.running_var.cpu().numpy()]
        return results

    for got, want in zip(run("cuda"), run("cpu"), strict=True):
        # float32 sums in another order: torch.testing's float32 tolerances
        np.testing.assert_allclose(got, want, rtol=1.3e-6, atol=1e-5, err_msg="cuda vs cpu")


def _check_views_and_copies():
    numpy_ref, cuda = _tables()
    root = np.arange(24, dtype=np.float32)
    droot = cuda.to_device(root)
    layouts = [((3, 4), (4, 1), 0), ((4, 3), (1, 4), 0), ((2, 3), (8, 2), 1), ((3,), (0,), 5),
               ((), (), 7), ((2, 0), (3, 1), 2), ((0,), (1,), 24)]
    for shape, strides, offset in layouts:
        want = numpy_ref.view(root, root.dtype, shape, strides, offset)
        got = cuda.view(droot, root.dtype, shape, strides, offset)
        _assert_same(cuda.to_host(got), want, f"view{shape, strides, offset}")
        if want.ndim and want.shape[-1]:
            _assert_same(cuda.to_host(cuda.select(got, want.ndim - 1, 0)),
                         numpy_ref.select(want, want.ndim - 1, 0), f"select of {shape}")

    # a byte buffer from alloc viewed as another dtype at an element offset
    buffer = cuda.alloc(16)
    assert (buffer.shape, buffer.dtype) == ((16,), np.uint8)
    cuda.copy_(buffer, cuda.to_device(np.arange(16, dtype=np.uint8)))
    _assert_same(cuda.to_host(cuda.view(buffer, np.dtype(np.float32), (2,), (1,), 1)),
                 np.arange(16, dtype=np.uint8).view(np.float32)[1:3], "view of alloc as float32")

    # copy_ writes a strided destination (broadcasting, casting) and leaves the rest alone
    sources = [np.array([[1.5, -2.7, 3.2]]), np.asarray(-9.9, np.float32),
               np.array([127, 128, -129], np.int64), np.array([255, 256, -1], np.int32),
               np.array([np.nan, 0.0, -0.0], np.float32), np.array([[True, False, True]] * 2),
               np.arange(6, dtype=np.int64).reshape(3, 2).T, np.arange(6.0).reshape(3, 2).T]
    for dtype in (np.float32, np.int64, np.bool_, np.float16, np.complex128, np.uint8):
        for src in sources:
            if np.isnan(src).any() and np.dtype(dtype).kind in "iu":
                continue  # NaN -> int is undefined behaviour in torch and C
            base = np.zeros(16, dtype)
            dbase = cuda.to_device(base)
            numpy_ref.copy_(numpy_ref.view(base, base.dtype, (2, 3), (8, 2), 1), src)
            cuda.copy_(cuda.view(dbase, base.dtype, (2, 3), (8, 2), 1), _device(cuda, src))
            _assert_same(cuda.to_host(dbase), base, f"copy_ {src.dtype}{src.shape} -> {dtype}")

    # a write through select reaches the base buffer
    dbase = cuda.to_device(np.zeros(6, np.int64))
    cuda.copy_(cuda.select(cuda.view(dbase, np.dtype(np.int64), (2, 3), (3, 1), 0), 0, 1), 7)
    _assert_same(cuda.to_host(dbase), [0, 0, 0, 7, 7, 7], "copy_ into select")

    for bad in (np.zeros(4, np.float32), np.zeros((3, 3), np.float32)):
        try:
            cuda.copy_(cuda.full((2, 3), 0, np.dtype(np.float32)), cuda.to_device(bad))
        except ValueError:
            continue
        raise AssertionError(f"copy_ of shape {bad.shape} into (2, 3) did not raise")


def _check_transfers_and_adopt():
    import ml_dtypes
    numpy_ref, cuda = _tables()
    host = np.array([[1.0, -2.5, 3.25], [0.0, 5.5, -6.0]])
    for dtype in (np.float32, np.float64, np.int32, np.bool_, np.float16, ml_dtypes.bfloat16,
                  np.complex64, np.complex128):
        a = host.astype(dtype)
        for h in (a, a.T, a[:, ::2], np.asarray(a[1, 2]), a[:0]):
            _assert_same(cuda.to_host(cuda.to_device(h)), h, f"to_device {h.dtype}{h.shape}")
            _assert_same(cuda.to_host(_device(cuda, h)), h, f"to_host {h.dtype}{h.strides}")

    fresh = cuda.add(cuda.to_device(host), 1.0)
    assert cuda.adopt(fresh, fresh.dtype) is fresh, "adopt copied an array it could own"
    base = cuda.to_device(host)
    row = cuda.select(base, 0, 1)
    adopted = cuda.adopt(row, row.dtype)
    assert adopted is not row and cuda.data_ptr(adopted) != cuda.data_ptr(base)
    cuda.copy_(adopted, 0.0)
    _assert_same(cuda.to_host(base), host, "adopt of a view must copy")
    zero_d = cuda.asarray(2, np.dtype(np.int64))
    for result, dtype, shape in [(row, np.float32, None), (zero_d, np.float64, (2, 3)),
                                 (3.5, np.int64, None)]:
        want = numpy_ref.adopt(cuda.to_host(result) if not np.isscalar(result) else result,
                               np.dtype(dtype), shape)
        _assert_same(cuda.to_host(cuda.adopt(result, np.dtype(dtype), shape)), want, "adopt")

    buffer = cuda.alloc(8)
    assert isinstance(cuda.data_ptr(buffer), int)
    assert cuda.data_ptr(cuda.view(buffer, np.dtype(np.int16), (2,), (1,), 2)) == \
        cuda.data_ptr(buffer) + 4


def _check_tensors_end_to_end():
    import refimpl as torch

    def run(device):
        x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], device=device, requires_grad=True)
        y = (x.t() * 2 + 1).sigmoid().sum()
        y.backward()
        w = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]], device=device, requires_grad=True)
        z = torch.where(x.mm(w) > 2, x.mm(w), -x.mm(w).relu()).tanh().exp() / 3
        z.sum(1, keepdim=True).sum().backward()
        mixed = (torch.arange(4, device=device) + torch.tensor(0.5)).reshape(2, 2) <= 2
        return {"y": y, "x.grad": x.grad, "w.grad": w.grad, "z": z, "mixed": mixed,
                "t": x.t() + 1, "neg": -x.detach().select(1, 0), "long": (x * 2.7).long(),
                "half": (x.to(torch.float16) * 3).float(),
                "full": torch.full((2, 2), 7, device=device),
                "zeros": torch.zeros(3, dtype=torch.int32, device=device)}

    cpu, cuda = run("cpu"), run("cuda")
    for key, c in cpu.items():
        g = cuda[key]
        assert g.device == torch.device("cuda", 0), key
        assert g.dtype == c.dtype and g.shape == c.shape and g.stride() == c.stride(), key
        np.testing.assert_allclose(g.cpu().detach().numpy(), c.detach().numpy(), rtol=2e-6,
                                   err_msg=key)

    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    xc = x.cuda()
    assert xc.is_cuda and str(xc.device) == "cuda:0" and "device='cuda:0'" in repr(xc)
    assert x.to("cuda").device == xc.device
    np.testing.assert_array_equal(xc.cpu().numpy(), x.numpy())
    for view in (lambda t: t.t(), lambda t: t.select(1, 2), lambda t: t.select(0, 1).unsqueeze(1),
                 lambda t: t.unsqueeze(0).expand(2, 2, 3), lambda t: (t.t() + 1)):
        assert view(xc).stride() == view(x).stride()
        assert view(xc).storage_offset() == view(x).storage_offset()
        np.testing.assert_array_equal(view(xc).cpu().numpy(), view(x).numpy())
    v = xc.select(0, 1).select(0, 2)
    assert v.data_ptr() - xc.data_ptr() == v.storage_offset() * v.element_size()
    assert xc.untyped_storage().data_ptr() == xc.data_ptr()
    xc.select(0, 1).add_(10)
    np.testing.assert_array_equal(xc.cpu().numpy(), [[1, 2, 3], [14, 15, 16]])


if __name__ == "__main__":
    globals()[sys.argv[1]]()
