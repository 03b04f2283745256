"""torch.save / torch.load and pickling: round trips on each side, and files that cross between
the backend and real torch in both directions.

A cross test saves with one library and loads with the other, then compares the loaded
objects as the `check` kit compares results (values, dtypes, shapes, strides).
"""

import collections
import io
import pickle
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance import spec

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool",
          "complex64"]


@st.composite
def state_dicts(draw):
    """An OrderedDict of named arrays (some entries are views of others: see `views`)."""
    n = draw(st.integers(1, 4))
    out = collections.OrderedDict()
    for i in range(n):
        dtype = draw(st.sampled_from(DTYPES))
        shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
        out[f"layer{i}.weight"] = draw(hnp.arrays(dtype, shape, elements=_elements(dtype)))
    return out


def _elements(dtype):
    if dtype == "bool":
        return st.booleans()
    if dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        return st.integers(int(info.min), int(info.max))
    if dtype.startswith("complex"):
        return st.complex_numbers(max_magnitude=1e3, allow_nan=False, width=64)
    return st.floats(-1e3, 1e3, width=16 if dtype == "float16" else 32)


def contiguous(T, a):
    """A contiguous tensor of T holding a (torch.tensor(ndarray) would keep NumPy's strides)."""
    t = T.empty(a.shape, dtype=getattr(T, a.dtype.name))
    t.copy_(T.tensor(a))
    return t


def build(T, arrays, views):
    """Tensors of T from NumPy arrays, plus views of the first 2-d or larger one."""
    sd = collections.OrderedDict((k, contiguous(T, a)) for k, a in arrays.items())
    if views:
        base = next((t for t in sd.values() if t.dim() >= 2 and t.numel()), None)
        if base is not None:
            sd["view.t"] = base.transpose(0, 1)
            sd["view.row"] = base.select(0, base.shape[0] - 1)
    return sd


def describe(T, obj):
    """What a loaded object is, in plain terms both sides can be compared on."""
    if isinstance(obj, T.Tensor):
        return ("tensor", str(obj.dtype).replace("torch.", ""), tuple(obj.shape), obj.stride(),
                obj.storage_offset(), obj.requires_grad, type(obj).__name__,
                obj.detach().tolist())
    if isinstance(obj, dict):
        return (type(obj).__name__, [(k, describe(T, v)) for k, v in obj.items()])
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, [describe(T, v) for v in obj])
    return obj


@spec("serialization.save-load", "serialization.tensor-contents")
@given(arrays=state_dicts(), views=st.booleans())
def test_round_trip_on_each_side(check, arrays, views):
    def fn(T, d):
        buf = io.BytesIO()
        sd = build(T, arrays, views)
        T.save(sd, buf)
        buf.seek(0)
        return describe(T, T.load(buf)), buf.getvalue()[:4]
    check(fn)


def _cross(src, dst, obj_of, **load_args):
    """Save obj_of(src) with src, load with dst; both descriptions."""
    buf = io.BytesIO()
    src.save(obj_of(src), buf)
    loaded = dst.load(io.BytesIO(buf.getvalue()), **load_args)
    return describe(src, obj_of(src)), describe(dst, loaded)


@spec("serialization.files-cross-libraries")
@given(arrays=state_dicts(), views=st.booleans())
def test_files_cross_between_backend_and_torch(backend, oracle, arrays, views):
    T, O = backend.torch, oracle.torch
    for src, dst in ((T, O), (O, T)):
        saved, loaded = _cross(src, dst, lambda L: build(L, arrays, views))
        assert repr(saved) == repr(loaded), (src.__name__, dst.__name__)


@spec("serialization.tensor-contents")
def test_views_share_storage_after_loading(check):
    def fn(T, d):
        x = T.arange(6.0).view(2, 3)
        buf = io.BytesIO()
        T.save([x, x.select(0, 1), x.t()], buf)
        buf.seek(0)
        a, row, at = T.load(buf)
        row.copy_(T.full((3,), -1.0))
        return a, at, row.storage_offset(), at.stride()
    check(fn)


@spec("serialization.files-cross-libraries")
def test_views_share_storage_across_libraries(backend, oracle):
    for src, dst in ((backend.torch, oracle.torch), (oracle.torch, backend.torch)):
        x = src.arange(6.0).view(2, 3)
        buf = io.BytesIO()
        src.save({"x": x, "row": x.select(0, 1)}, buf)
        loaded = dst.load(io.BytesIO(buf.getvalue()))
        loaded["row"].copy_(dst.full((3,), 7.0))
        assert loaded["x"].tolist() == [[0.0, 1.0, 2.0], [7.0, 7.0, 7.0]]


@spec("serialization.tensor-contents")
def test_non_leaf_loads_as_leaf_with_requires_grad(check):
    def fn(T, d):
        x = T.ones(3, requires_grad=True)
        y = x * 2
        buf = io.BytesIO()
        T.save({"y": y, "x": x}, buf)
        buf.seek(0)
        out = T.load(buf)
        return [(t.requires_grad, t.is_leaf, t.grad_fn is None) for t in out.values()], out
    check(fn)


@spec("serialization.save-load")
def test_paths_and_nested_containers(check, tmp_path):
    def fn(T, d):
        (tmp_path / T.__name__).mkdir(exist_ok=True)
        path = tmp_path / T.__name__ / "model.pt"
        obj = {"n": 3, "f": 2.5, "s": "text", "t": (1, [2, 3]), "none": None,
               "b": b"raw", "tensor": T.ones(2, dtype=T.int16), "size": T.Size([2, 3]),
               "dtype": T.float64, "set": {1, 2}}
        T.save(obj, str(path))
        first = zipfile.ZipFile(path).namelist()[0]
        out = T.load(path)
        return describe(T, {k: v for k, v in out.items() if k not in ("dtype", "size")}), \
            str(out["dtype"]), tuple(out["size"]), first.split("/")[0]
    check(fn)


@spec("serialization.map-location")
@pytest.mark.parametrize("how", ["str", "device", "dict", "callable"])
def test_map_location_to_cpu(check, how):
    def fn(T, d):
        buf = io.BytesIO()
        T.save(T.arange(3.0), buf)
        buf.seek(0)
        where = {"str": "cpu", "device": T.device("cpu"), "dict": {"cpu": "cpu"},
                 "callable": lambda storage, location: storage}[how]
        out = T.load(buf, map_location=where)
        return out, str(out.device)
    check(fn)


def _cuda_file():
    """A torch.save file of a CUDA tensor, written without CUDA: the location field of its
    storage record says 'cuda:0'."""
    import torch
    buf = io.BytesIO()
    torch.save(torch.arange(3.0), buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("data.pkl"):
                data = data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
            dst.writestr(info.filename, data)
    return out.getvalue()


@spec("serialization.map-location")
@pytest.mark.parametrize("map_location", [None, "cpu"])
def test_cuda_file_on_a_machine_without_cuda(check, map_location):
    data = _cuda_file()

    def fn(T, d):
        if T.cuda.is_available():
            return "cuda available"
        return T.load(io.BytesIO(data), map_location=map_location)
    check(fn)


class Evil:
    """Unpickling an Evil calls os.system: a weights-only load must refuse it unrun."""

    def __reduce__(self):
        import os
        return (os.system, ("echo owned > /dev/null",))


def _evil_file(torch_like):
    buf = io.BytesIO()
    torch_like.save({"w": torch_like.ones(1), "x": Evil()}, buf)
    return buf.getvalue()


@spec("serialization.weights-only-default", "serialization.weights-only.allow-list")
def test_malicious_file_is_refused(check, oracle, monkeypatch):
    data = _evil_file(oracle.torch)
    calls = []
    import os
    monkeypatch.setattr(os, "system", lambda cmd: calls.append(cmd))

    def fn(T, d):
        try:
            T.load(io.BytesIO(data))
        except pickle.UnpicklingError as e:
            return "refused", "Weights only load failed" in str(e), "os.system" in str(e) or \
                "posix.system" in str(e), len(calls)
        return "loaded"
    check(fn)
    assert calls == []


@spec("serialization.weights-only.allow-list")
@pytest.mark.parametrize("case", ["stack-global", "unknown-class", "explicit-false",
                                  "safe-globals"])
def test_weights_only_allow_list(check, case):
    def fn(T, d):
        buf = io.BytesIO()
        if case == "stack-global":       # protocol 4 writes STACK_GLOBAL: not interpreted
            with zipfile.ZipFile(buf, "w") as z:
                z.writestr("archive/data.pkl", pickle.dumps(collections.OrderedDict(), 4))
                z.writestr("archive/version", "3\n")
            buf.seek(0)
            return T.load(buf)
        T.save({"c": collections.OrderedDict(a=1), "p": Point(1, 2)}, buf)
        buf.seek(0)
        if case == "unknown-class":
            return T.load(buf)
        if case == "explicit-false":
            return T.load(buf, weights_only=False)
        with T.serialization.safe_globals([Point]):
            return T.load(buf)
    check(fn)


class Point(collections.namedtuple("Point", "x y")):
    __slots__ = ()


@spec("serialization.pickle")
@given(arrays=state_dicts())
def test_pickle_round_trip_copies(check, arrays):
    def fn(T, d):
        sd = build(T, arrays, True)
        sd["grad"] = T.ones(2, requires_grad=True)
        out = pickle.loads(pickle.dumps(sd))
        return describe(T, out)
    check(fn)


@spec("serialization.pickle")
def test_pickled_tensor_does_not_share_memory(check):
    def fn(T, d):
        x = T.arange(4.0)
        y = pickle.loads(pickle.dumps(x))
        y.copy_(T.zeros(4))
        return x, y
    check(fn)


@spec("serialization.tensor-is-function")
@pytest.mark.parametrize("cls", ["tensor", "Tensor"])
def test_tensors_are_instances_of_torch_tensor(check, cls):
    check(lambda T, d: isinstance(T.ones(1), getattr(T, cls)))


def _model(T):
    T.manual_seed(0)
    return T.nn.Sequential(T.nn.Linear(2, 3), T.nn.ReLU(), T.nn.Linear(3, 1))


@spec("serialization.whole-module", "serialization.weights-only-default")
@pytest.mark.parametrize("weights_only", [None, False])
def test_whole_module_round_trip(check, weights_only):
    def fn(T, d):
        model = _model(T).eval()
        buf = io.BytesIO()
        T.save(model, buf)
        buf.seek(0)
        args = {} if weights_only is None else {"weights_only": weights_only}
        loaded = T.load(buf, **args)
        x = T.ones(4, 2)
        return (type(loaded).__name__, loaded.training, list(loaded.state_dict().keys()),
                loaded(x), model(x))
    check(fn)


@spec("serialization.state-dict")
def test_state_dict_names_and_values(check):
    def fn(T, d):
        model = _model(T)
        sd = model.state_dict()
        first = sd["0.weight"]
        return (type(sd).__name__, list(sd.keys()), [v.requires_grad for v in sd.values()],
                first.data_ptr() == model[0].weight.data_ptr(), describe(T, sd))
    check(fn)


@spec("serialization.load-state-dict", "serialization.files-cross-libraries")
def test_state_dict_file_loads_into_the_other_librarys_model(backend, oracle):
    for src, dst in ((backend.torch, oracle.torch), (oracle.torch, backend.torch)):
        buf = io.BytesIO()
        src.save(_model(src).state_dict(), buf)
        buf.seek(0)
        target = dst.nn.Sequential(dst.nn.Linear(2, 3), dst.nn.ReLU(), dst.nn.Linear(3, 1))
        result = target.load_state_dict(dst.load(buf))
        assert (list(result.missing_keys), list(result.unexpected_keys)) == ([], [])
        assert describe(dst, target.state_dict()) == describe(src, _model(src).state_dict())


@spec("serialization.checkpoint-dict")
def test_checkpoint_resumes_training_identically(check):
    def fn(T, d):
        x = T.tensor(np.linspace(-1, 1, 8, dtype=np.float32).reshape(4, 2))
        y = T.tensor(np.arange(4, dtype=np.float32).reshape(4, 1))

        def step(model, opt):
            opt.zero_grad()
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            opt.step()

        model = _model(T)
        opt = T.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        step(model, opt)
        buf = io.BytesIO()
        T.save({"iter_num": 1, "model": model.state_dict(), "optimizer": opt.state_dict()}, buf)
        step(model, opt)
        buf.seek(0)
        ckpt = T.load(buf)
        resumed = T.nn.Sequential(T.nn.Linear(2, 3), T.nn.ReLU(), T.nn.Linear(3, 1))
        resumed.load_state_dict(ckpt["model"])
        ropt = T.optim.SGD(resumed.parameters(), lr=0.1, momentum=0.9)
        ropt.load_state_dict(ckpt["optimizer"])
        step(resumed, ropt)
        return ckpt["iter_num"], list(model.parameters()), list(resumed.parameters())
    check(fn)


@spec("serialization.state-dict.options")
def test_state_dict_prefix_keep_vars_destination(check):
    def fn(T, d):
        model = _model(T)
        dest = collections.OrderedDict(existing=T.zeros(1))
        out = model.state_dict(destination=dest, prefix="net.", keep_vars=True)
        return (out is dest, list(out.keys()),
                [type(v).__name__ for v in out.values()], [v.requires_grad for v in out.values()])
    check(fn)


@spec("serialization.load-state-dict.strict")
@pytest.mark.parametrize("case", ["missing-strict", "missing-lenient", "shape", "assign"])
def test_load_state_dict_strict_and_assign(check, case):
    def fn(T, d):
        model = _model(T)
        sd = _model(T).state_dict()
        for v in sd.values():
            v.mul_(0)
        if case == "missing-strict":
            del sd["2.bias"]
            sd["extra"] = T.ones(1)
            try:
                model.load_state_dict(sd)
            except RuntimeError as e:
                return "raised", "Missing key(s)" in str(e), "Unexpected key(s)" in str(e), \
                    model[0].weight
        if case == "missing-lenient":
            del sd["2.bias"]
            result = model.load_state_dict(sd, strict=False)
            return list(result.missing_keys), list(result.unexpected_keys), model[0].weight
        if case == "shape":
            sd["0.weight"] = T.ones(5, 5)
            return model.load_state_dict(sd, strict=False)
        old = model[0].weight
        model.load_state_dict(sd, assign=True)
        return model[0].weight is old, type(model[0].weight).__name__, model[0].weight
    check(fn)
