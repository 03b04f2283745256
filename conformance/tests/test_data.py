"""torch.utils.data: datasets, samplers, collation and the DataLoader in the main process.

Every program builds its dataset with the side's own classes (`T.utils.data.Dataset`), so a
sample, a batch and an error are each side's own; lists and tuples are compared through
`type(...).__name__` where the container type is the behaviour under test.
"""

import collections
import inspect
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance import spec


def items_dataset(T, items, record=None):
    """A map-style dataset over a Python list; `record` collects the indices asked for."""
    class Items(T.utils.data.Dataset):
        def __getitem__(self, index):
            if record is not None:
                record.append(index)
            return items[index]

        def __len__(self):
            return len(items)
    return Items()


def stream(T, items):
    """An IterableDataset yielding `items`."""
    class Stream(T.utils.data.IterableDataset):
        def __iter__(self):
            return iter(items)
    return Stream()


def kinds(value):
    """The container types of a (nested) result, to compare list versus tuple exactly."""
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [kinds(v) for v in value]]
    if isinstance(value, dict):
        return [type(value).__name__, {k: kinds(v) for k, v in value.items()}]
    return type(value).__name__ if not hasattr(value, "dtype") else "tensor"


SIZES = st.integers(1, 23)
BATCH = st.integers(1, 7)


# ---------------------------------------------------------------- order and shuffling


@spec("utils.data.dataset-and-loader")
@given(n=SIZES, b=BATCH, seed=st.integers(0, 2**32 - 1), drop_last=st.booleans())
def test_shuffle_order_equals_torch_for_three_epochs(check, n, b, seed, drop_last):
    def fn(T, d):
        T.manual_seed(seed)
        loader = T.utils.data.DataLoader(list(range(n)), batch_size=b, shuffle=True,
                                         drop_last=drop_last)
        epochs = [[batch.tolist() for batch in loader] for _ in range(3)]
        return epochs, T.get_rng_state()
    check(fn, exact=True)


@spec("utils.data.DataLoader.generator")
@given(n=SIZES, b=BATCH, seed=st.integers(0, 2**63 - 1))
def test_shuffle_with_generator_equals_torch_and_leaves_global_rng(check, n, b, seed):
    def fn(T, d):
        T.manual_seed(0)
        before = T.get_rng_state()
        g = T.Generator().manual_seed(seed)
        loader = T.utils.data.DataLoader(range(n), batch_size=b, shuffle=True, generator=g)
        epochs = [[batch.tolist() for batch in loader] for _ in range(3)]
        return epochs, T.equal(before, T.get_rng_state()), g.get_state()
    check(fn, exact=True)


@spec("utils.data.DataLoader.generator")
def test_documented_generator_order(check):
    def fn(T, d):
        g = T.Generator().manual_seed(0)
        return [b.tolist() for b in T.utils.data.DataLoader(range(6), batch_size=2,
                                                            shuffle=True, generator=g)]
    check(fn, exact=True)


@spec("utils.data.RandomSampler-and-BatchSampler")
@given(n=SIZES, seed=st.integers(0, 2**32 - 1), replacement=st.booleans(),
       num_samples=st.none() | st.integers(1, 80), with_generator=st.booleans())
def test_random_sampler_draws_like_torch(check, n, seed, replacement, num_samples,
                                         with_generator):
    def fn(T, d):
        T.manual_seed(seed)
        g = T.Generator().manual_seed(seed + 1) if with_generator else None
        sampler = T.utils.data.RandomSampler(range(n), replacement=replacement,
                                             num_samples=num_samples, generator=g)
        return [list(sampler), list(sampler)], len(sampler), T.get_rng_state()
    check(fn, exact=True)


@spec("utils.data.RandomSampler-and-BatchSampler")
@given(n=st.integers(0, 12), b=st.integers(-1, 5), drop_last=st.booleans())
def test_batch_sampler_groups_consecutive_indices(check, n, b, drop_last):
    def fn(T, d):
        bs = T.utils.data.BatchSampler(T.utils.data.SequentialSampler(range(n)), b, drop_last)
        return list(bs), len(bs)
    check(fn)


@spec("utils.data.RandomSampler-and-BatchSampler")
@pytest.mark.parametrize("bad", ["replacement", "num_samples", "drop_last"])
def test_sampler_argument_errors(check, bad):
    def fn(T, d):
        D = T.utils.data
        {"replacement": lambda: D.RandomSampler(range(3), replacement=1),
         "num_samples": lambda: D.RandomSampler(range(3), num_samples=0),
         "drop_last": lambda: D.BatchSampler(range(3), 2, drop_last=1)}[bad]()
    check(fn)


@spec("utils.data.SubsetRandomSampler-WeightedRandomSampler")
@given(seed=st.integers(0, 2**32 - 1), n=SIZES, replacement=st.booleans())
def test_subset_and_weighted_samplers_draw_like_torch(check, seed, n, replacement):
    weights = np.random.default_rng(seed).random(n) + 0.1

    def fn(T, d):
        T.manual_seed(seed)
        D = T.utils.data
        subset = list(D.SubsetRandomSampler(list(range(100, 100 + n))))
        weighted = list(D.WeightedRandomSampler(weights.tolist(), n, replacement=replacement))
        return subset, weighted, T.get_rng_state()
    check(fn, exact=True)


@spec("utils.data.random_split")
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 30), frac=st.booleans())
def test_random_split_draws_like_torch(check, seed, n, frac):
    def fn(T, d):
        T.manual_seed(seed)
        lengths = [0.5, 0.3, 0.2] if frac else [n // 2, n - n // 2]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parts = T.utils.data.random_split(range(n), lengths)
        return [list(p) for p in parts], [p.indices for p in parts]
    check(fn, exact=True)


@spec("utils.data.DistributedSampler")
@given(n=SIZES, replicas=st.integers(1, 4), shuffle=st.booleans(), drop_last=st.booleans(),
       epoch=st.integers(0, 3))
def test_distributed_sampler_partitions_like_torch(check, n, replicas, shuffle, drop_last,
                                                   epoch):
    def fn(T, d):
        out = []
        for rank in range(replicas):
            s = T.utils.data.DistributedSampler(range(n), num_replicas=replicas, rank=rank,
                                                shuffle=shuffle, seed=7, drop_last=drop_last)
            s.set_epoch(epoch)
            out.append((list(s), len(s)))
        return out
    check(fn, exact=True)


# ---------------------------------------------------------------- datasets


@spec("utils.data.loader-needs-dataset")
@given(n=SIZES)
def test_loader_batches_samples_of_a_dataset(check, n):
    def fn(T, d):
        class Pairs(T.utils.data.Dataset):
            def __getitem__(self, i):
                return T.tensor([float(i), float(i * i)])

            def __len__(self):
                return n
        ds = Pairs()
        loader = T.utils.data.DataLoader(ds, batch_size=2)
        return list(loader), loader.dataset is ds
    check(fn)


@spec("utils.data.map-style")
@given(n=SIZES, b=BATCH)
def test_default_sampler_asks_each_index_once_in_order(check, n, b):
    def fn(T, d):
        asked = []
        list(T.utils.data.DataLoader(items_dataset(T, list(range(n)), asked), batch_size=b))
        return asked
    check(fn)


@spec("utils.data.Dataset.no-default-len")
@pytest.mark.parametrize("what", ["len-base", "len-subclass", "getitem"])
def test_dataset_has_no_default_len(check, what):
    def fn(T, d):
        class NoLen(T.utils.data.Dataset):
            def __getitem__(self, i):
                return i
        return {"len-base": lambda: len(T.utils.data.Dataset()),
                "len-subclass": lambda: len(NoLen()),
                "getitem": lambda: T.utils.data.Dataset()[0]}[what]()
    check(fn)


@spec("utils.data.Dataset.add")
@given(n1=SIZES, n2=SIZES, data=st.data())
def test_dataset_add_concatenates(check, n1, n2, data):
    i = data.draw(st.integers(-(n1 + n2) - 1, n1 + n2 - 1))

    def fn(T, d):
        both = items_dataset(T, list(range(n1))) + items_dataset(T, list(range(100, 100 + n2)))
        return type(both).__name__, len(both), both.cumulative_sizes, both[i]
    check(fn)


@spec("utils.data.Dataset.add")
@pytest.mark.parametrize("mix", ["iterable+iterable", "map+iterable"])
def test_dataset_add_with_iterables(check, mix):
    def fn(T, d):
        a = stream(T, [1, 2])
        b = stream(T, [3]) if mix == "iterable+iterable" else items_dataset(T, [3])
        first = a if mix == "iterable+iterable" else b
        both = first + (b if mix == "iterable+iterable" else a)
        return type(both).__name__, list(both)
    check(fn)


@spec("utils.data.Dataset.getitem-len")
@given(n=SIZES, b=BATCH, drop_last=st.booleans())
def test_loader_len_and_indices_follow_dataset_len(check, n, b, drop_last):
    def fn(T, d):
        asked = []
        loader = T.utils.data.DataLoader(items_dataset(T, list(range(n)), asked), batch_size=b,
                                         drop_last=drop_last)
        batches = list(loader)
        return len(loader), len(batches), max(asked)
    check(fn)


@spec("utils.data.IterableDataset")
@pytest.mark.parametrize("what", ["batches", "len", "abstract"])
def test_iterable_dataset_is_iterated(check, what):
    def fn(T, d):
        ds = stream(T, [5, 6, 7])
        return {"batches": lambda: [b.tolist() for b in T.utils.data.DataLoader(ds)],
                "len": lambda: len(T.utils.data.DataLoader(ds)),
                "abstract": lambda: T.utils.data.IterableDataset()}[what]()
    check(fn)


@spec("utils.data.TensorDataset")
@given(n=SIZES, k=st.integers(1, 3))
def test_tensor_dataset_items_are_tuples_of_rows(check, n, k):
    x = np.arange(n * k, dtype=np.float32).reshape(n, k)
    y = np.arange(n, dtype=np.int64)

    def fn(T, d, x, y):
        ds = T.utils.data.TensorDataset(x, y)
        return len(ds), [ds[i] for i in range(n)], [type(ds[0]).__name__]
    check(fn, x, y)


@spec("utils.data.TensorDataset")
def test_tensor_dataset_size_mismatch(check):
    check(lambda T, d: T.utils.data.TensorDataset(T.zeros(2, 3), T.zeros(3)))


@spec("utils.data.Subset-StackDataset")
@given(n=st.integers(2, 12))
def test_subset_and_stack_dataset(check, n):
    def fn(T, d):
        D = T.utils.data
        base = items_dataset(T, list(range(10, 10 + n)))
        sub = D.Subset(base, [n - 1, 0, 1])
        stacked = D.StackDataset(base, items_dataset(T, list(range(n))))
        named = D.StackDataset(a=base, b=base)
        return (len(sub), [sub[i] for i in range(3)], sub.__getitems__([0, 2]), len(stacked),
                stacked[1], named[0], named.__getitems__([0, 1]))
    check(fn)


# ---------------------------------------------------------------- the DataLoader's arguments


@spec("utils.data.DataLoader.signature")
def test_signature_is_torch_2_13s(check):
    def fn(T, d):
        sig = inspect.signature(T.utils.data.DataLoader.__init__)
        return [(p.name, repr(p.default), p.kind.name) for p in sig.parameters.values()]
    check(fn)


@spec("utils.data.DataLoader.features")
@given(n=SIZES)
def test_each_iter_is_a_new_epoch_over_map_and_iterable_datasets(check, n):
    def fn(T, d):
        loader = T.utils.data.DataLoader(range(n), batch_size=3)
        it1, it2 = iter(loader), iter(loader)
        first = next(it1)
        rest = list(it2)
        chained = list(T.utils.data.DataLoader(stream(T, list(range(n))), batch_size=3))
        return it1 is not it2, first, rest, chained
    check(fn)


@spec("utils.data.DataLoader.dataset-argument")
def test_dataset_is_required(check):
    check(lambda T, d: T.utils.data.DataLoader())


@spec("utils.data.DataLoader.map-style-protocol")
def test_keys_need_not_be_integers(check):
    def fn(T, d):
        loader = T.utils.data.DataLoader({"a": 1, "b": 2}, sampler=["b", "a"], batch_size=None)
        return list(loader)
    check(fn)


@spec("utils.data.DataLoader.iterable-protocol")
@pytest.mark.parametrize("kind", ["iterable", "duck"])
def test_only_iterable_dataset_instances_are_iterable_style(check, kind):
    def fn(T, d):
        class Duck:
            def __iter__(self):
                return iter([1, 2])
        ds = stream(T, [1, 2]) if kind == "iterable" else Duck()
        loader = T.utils.data.DataLoader(ds)
        name = type(loader.sampler).__name__
        return name, [b.tolist() for b in loader]
    check(fn)


@spec("utils.data.IterableDataset.split-per-worker")
def test_get_worker_info_is_none_in_main_process(check):
    check(lambda T, d: T.utils.data.get_worker_info() is None)


@spec("utils.data.DataLoader.iterable-order")
@given(items=st.lists(st.integers(-50, 50), max_size=20), b=BATCH)
def test_iterable_order_is_the_iterator_order(check, items, b):
    def fn(T, d):
        return [x.tolist() for x in T.utils.data.DataLoader(stream(T, items), batch_size=b)]
    check(fn)


@spec("utils.data.DataLoader.iterable-dynamic-batches")
@given(sizes=st.lists(st.integers(1, 4), min_size=1, max_size=4))
def test_iterable_dataset_yielding_whole_batches(check, sizes):
    def fn(T, d):
        chunks = [np.arange(s * 2.0).reshape(s, 2) for s in sizes]
        return list(T.utils.data.DataLoader(stream(T, chunks), batch_size=None))
    check(fn)


@spec("utils.data.Sampler")
@pytest.mark.parametrize("what", ["sequential", "base", "order"])
def test_samplers_are_iterables_of_indices(check, what):
    def fn(T, d):
        D = T.utils.data
        return {"sequential": lambda: (list(D.SequentialSampler(range(4))),
                                       len(D.SequentialSampler(range(4)))),
                "base": lambda: iter(D.Sampler()),
                "order": lambda: [b.tolist() for b in D.DataLoader(
                    range(10, 15), sampler=[4, 0, 2], batch_size=2)]}[what]()
    check(fn)


@spec("utils.data.DataLoader.shuffle-builds-sampler",
      "utils.data.DataLoader.batch-sampler-from-sampler")
@pytest.mark.parametrize("shuffle", [None, False, True])
@pytest.mark.parametrize("drop_last", [False, True])
def test_default_samplers(check, shuffle, drop_last):
    def fn(T, d):
        loader = T.utils.data.DataLoader(range(5), batch_size=2, shuffle=shuffle,
                                         drop_last=drop_last)
        bs = loader.batch_sampler
        return (type(loader.sampler).__name__, type(bs).__name__, bs.sampler is loader.sampler,
                bs.batch_size, bs.drop_last, loader.batch_size, loader.drop_last)
    check(fn)


@spec("utils.data.DataLoader.batch-sampler-from-sampler")
def test_iterable_loader_has_batch_sampler_over_infinite_sampler(check):
    def fn(T, d):
        loader = T.utils.data.DataLoader(stream(T, range(5)), batch_size=2)
        return (type(loader.sampler).__name__, type(loader.batch_sampler).__name__,
                loader.batch_sampler.batch_size)
    check(fn)


@spec("utils.data.DataLoader.sampler")
@pytest.mark.parametrize("shuffle", [False, True])
def test_sampler_argument(check, shuffle):
    def fn(T, d):
        sampler = [3, 2, 1, 0]
        loader = T.utils.data.DataLoader(range(4), batch_size=2, sampler=sampler,
                                         shuffle=shuffle)
        return list(loader), loader.sampler is sampler
    check(fn)


@spec("utils.data.DataLoader.batch-sampler")
def test_batch_sampler_argument(check):
    def fn(T, d):
        bs = [[4, 0], [1]]
        loader = T.utils.data.DataLoader(range(5), batch_sampler=bs)
        return list(loader), loader.batch_size, loader.drop_last, len(loader)
    check(fn)


@spec("utils.data.DataLoader.batch-sampler.exclusive")
@pytest.mark.parametrize("other", [{"batch_size": 2}, {"shuffle": True}, {"sampler": [0]},
                                   {"drop_last": True}])
def test_batch_sampler_is_exclusive(check, other):
    check(lambda T, d: T.utils.data.DataLoader(range(5), batch_sampler=[[0]], **other))


@spec("utils.data.DataLoader.drop-last")
@given(n=st.integers(0, 15), b=BATCH, drop_last=st.booleans(), iterable=st.booleans())
def test_drop_last(check, n, b, drop_last, iterable):
    def fn(T, d):
        ds = stream(T, list(range(n))) if iterable else list(range(n))
        return [x.tolist() for x in T.utils.data.DataLoader(ds, batch_size=b,
                                                            drop_last=drop_last)]
    check(fn)


@spec("utils.data.DataLoader.iterable-no-sampler")
@pytest.mark.parametrize("arg", [{"sampler": [0]}, {"batch_sampler": [[0]]}, {"shuffle": True}])
def test_iterable_dataset_refuses_samplers(check, arg):
    check(lambda T, d: T.utils.data.DataLoader(stream(T, [1]), **arg))


@spec("utils.data.DataLoader.automatic-batching")
@given(n=SIZES, b=BATCH, k=st.integers(1, 4))
def test_automatic_batching_stacks_samples(check, n, b, k):
    rows = np.arange(n * k, dtype=np.float32).reshape(n, k)

    def fn(T, d):
        ds = items_dataset(T, [T.tensor(r) for r in rows])
        return list(T.utils.data.DataLoader(ds, batch_size=b))
    check(fn)


@spec("utils.data.DataLoader.batch-size-default")
def test_batch_size_defaults_to_one(check):
    check(lambda T, d: list(T.utils.data.DataLoader(range(3))))


@spec("utils.data.DataLoader.map-style-equivalent")
@given(n=SIZES, b=BATCH)
def test_collate_fn_receives_lists_of_samples(check, n, b):
    def fn(T, d):
        seen = []

        def collate(samples):
            seen.append(samples)
            return ("batch", len(samples))
        out = list(T.utils.data.DataLoader(list(range(n)), batch_size=b, collate_fn=collate))
        return out, [type(s).__name__ for s in seen], seen
    check(fn)


@spec("utils.data.DataLoader.custom-collate")
def test_custom_collate_pads_sequences(check):
    def fn(T, d):
        samples = [T.ones(2), T.ones(4) * 2, T.ones(3) * 3]

        def pad(batch):
            return T.nn.utils.rnn.pad_sequence(batch, batch_first=True)
        return list(T.utils.data.DataLoader(samples, batch_size=3, collate_fn=pad))
    check(fn)


@spec("utils.data.DataLoader.no-batching")
@pytest.mark.parametrize("drop_last", [False, True])
def test_batch_size_none_disables_batching(check, drop_last):
    def fn(T, d):
        loader = T.utils.data.DataLoader(range(5), batch_size=None, drop_last=drop_last)
        out = list(loader)
        return out, [type(x).__name__ for x in out], loader.batch_sampler, len(loader)
    check(fn)


@spec("utils.data.DataLoader.no-batching.collate")
def test_collate_fn_called_per_sample_without_batching(check):
    check(lambda T, d: list(T.utils.data.DataLoader(range(3), batch_size=None,
                                                    collate_fn=lambda s: s * 10)))


# ---------------------------------------------------------------- default_collate / convert


@spec("utils.data.default-convert")
@given(dtype=st.sampled_from(["float64", "float32", "int32", "uint8", "bool"]))
def test_default_convert(check, dtype):
    a = np.arange(4).astype(dtype)

    def fn(T, d):
        out = T.utils.data.default_convert([a, 3, "x", (a[0], 1.5), {"k": a}, np.array(["s"])])
        return out, kinds(out)
    check(fn)


@spec("utils.data.default-convert")
def test_batch_size_none_uses_default_convert(check):
    def fn(T, d):
        loader = T.utils.data.DataLoader([np.ones(2), "s"], batch_size=None)
        return loader.collate_fn is T.utils.data.default_convert, list(loader)
    check(fn)


@spec("utils.data.default-fn-name")
def test_no_default_fn(check):
    check(lambda T, d: (hasattr(T.utils.data, "default_fn"),
                        callable(T.utils.data.default_convert)))


@spec("utils.data.DataLoader.batched-collate")
def test_default_collate_is_the_batched_default(check):
    def fn(T, d):
        D = T.utils.data
        loader = D.DataLoader(range(3), batch_size=2)
        return (loader.collate_fn is D.default_collate,
                D.dataloader.default_collate is D.default_collate)
    check(fn)


@spec("utils.data.default-collate.tuple")
@given(b=st.integers(1, 4), h=st.integers(1, 3))
def test_collate_image_label_tuples(check, b, h):
    images = np.arange(b * 3 * h * h, dtype=np.float32).reshape(b, 3, h, h)

    def fn(T, d):
        samples = [(T.tensor(images[i]), i) for i in range(b)]
        out = T.utils.data.default_collate(samples)
        return out, kinds(out)
    check(fn)


@spec("utils.data.default-collate.new-dimension")
@given(dtype=st.sampled_from(["float32", "float64", "int64", "bool"]),
       shape=st.sampled_from([(), (3,), (2, 2)]), b=st.integers(1, 4))
def test_collate_stacks_along_new_dimension(check, dtype, shape, b):
    arrays = [np.full(shape, i).astype(dtype) for i in range(b)]

    def fn(T, d):
        return T.utils.data.default_collate([T.tensor(a) for a in arrays])
    check(fn)


@spec("utils.data.default-collate.new-dimension")
def test_collate_unequal_tensors_raise(check):
    check(lambda T, d: T.utils.data.default_collate([T.zeros(2), T.zeros(3)]))


@spec("utils.data.default-collate.numbers-and-numpy")
@pytest.mark.parametrize("kind", ["int", "float", "bool", "np-array", "np-scalar", "np-int8",
                                  "np-bool-array", "str-array", "object"])
def test_collate_numbers_and_numpy(check, kind):
    batch = {"int": [1, 2, 3], "float": [0.5, 1.5], "bool": [True, False],
             "np-array": [np.arange(3.0), np.ones(3)], "np-scalar": [np.float32(1), np.float32(2)],
             "np-int8": [np.int8(1), np.int8(-2)],
             "np-bool-array": [np.array([True]), np.array([False])],
             "str-array": [np.array(["a"]), np.array(["b"])], "object": [object(), object()]}[kind]

    def fn(T, d):
        return T.utils.data.default_collate(batch)
    check(fn)


Point = collections.namedtuple("Point", ["x", "y"])


@spec("utils.data.default-collate.structure")
@pytest.mark.parametrize("kind", ["dict", "namedtuple", "list", "tuple", "nested", "str",
                                  "unequal"])
def test_collate_keeps_structure(check, kind):
    batch = {"dict": [{"x": 1, "y": "s"}, {"x": 2, "y": "t"}],
             "namedtuple": [Point(1, 2.0), Point(3, 4.0)],
             "list": [[1, 2.0], [3, 4.0]],
             "tuple": [(1, "a"), (2, "b")],
             "nested": [{"a": [np.zeros(2), (1, 2)]}, {"a": [np.ones(2), (3, 4)]}],
             "str": ["a", "b"],
             "unequal": [[1, 2], [3]]}[kind]

    def fn(T, d):
        out = T.utils.data.default_collate(batch)
        return out, kinds(out)
    check(fn)


# ---------------------------------------------------------------- memory pinning (no CUDA)


@spec("utils.data.DataLoader.pin-memory")
@pytest.mark.parametrize("num_workers", [0])
def test_pin_memory_without_accelerator_warns_and_yields_values(check, num_workers):
    def fn(T, d):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = list(T.utils.data.DataLoader([{"a": np.ones(2)}, {"a": np.zeros(2)}],
                                               batch_size=2, pin_memory=True))
        pinned = [out[0]["a"].is_pinned()] if not T.cuda.is_available() else [True]
        return out, pinned, [str(w.message) for w in caught]
    check(fn)


@spec("utils.data.DataLoader.pin-memory.custom-type")
def test_tensor_pin_memory_needs_an_accelerator(check):
    def fn(T, d):
        if T.cuda.is_available():
            return "accelerator"
        return T.ones(2).pin_memory()
    check(fn)


@spec("utils.data.DataLoader.pin-memory-device-and-in-order")
def test_pin_memory_device_is_stored(check):
    def fn(T, d):
        loader = T.utils.data.DataLoader(range(2), pin_memory_device="cpu")
        return loader.pin_memory_device, loader.in_order
    check(fn)


# ---------------------------------------------------------------- argument errors


@spec("utils.data.DataLoader.num-workers")
def test_negative_num_workers(check):
    check(lambda T, d: T.utils.data.DataLoader(range(2), num_workers=-1))


@spec("utils.data.DataLoader.timeout")
def test_negative_timeout(check):
    check(lambda T, d: T.utils.data.DataLoader(range(2), timeout=-1))


@spec("utils.data.DataLoader.prefetch-factor")
@pytest.mark.parametrize("case", ["default0", "default2", "explicit0", "negative"])
def test_prefetch_factor(check, case):
    def fn(T, d):
        DL = T.utils.data.DataLoader
        return {"default0": lambda: DL(range(2)).prefetch_factor,
                "default2": lambda: DL(range(2), num_workers=1).prefetch_factor,
                "explicit0": lambda: DL(range(2), prefetch_factor=2),
                "negative": lambda: DL(range(2), num_workers=1, prefetch_factor=-1)}[case]()
    check(fn)


@spec("utils.data.DataLoader.persistent-workers")
def test_persistent_workers_need_workers(check):
    check(lambda T, d: T.utils.data.DataLoader(range(2), persistent_workers=True))


@spec("utils.data.DataLoader.multiprocessing-context")
@pytest.mark.parametrize("case", ["no-workers", "unknown", "not-a-context", "spawn"])
def test_multiprocessing_context_argument(check, case):
    def fn(T, d):
        DL = T.utils.data.DataLoader
        loader = {"no-workers": lambda: DL(range(2), multiprocessing_context="spawn"),
                  "unknown": lambda: DL(range(2), num_workers=1, multiprocessing_context="x"),
                  "not-a-context": lambda: DL(range(2), num_workers=1,
                                              multiprocessing_context=3),
                  "spawn": lambda: DL(range(2), num_workers=1,
                                      multiprocessing_context="spawn")}[case]()
        return loader.multiprocessing_context.get_start_method()
    check(fn)


@spec("utils.data.DataLoader.frozen-attributes")
@pytest.mark.parametrize("attr", ["batch_size", "sampler", "dataset", "num_workers"])
def test_attributes_are_frozen_after_init(check, attr):
    def fn(T, d):
        loader = T.utils.data.DataLoader(range(4))
        setattr(loader, attr, 2 if attr != "sampler" else [0])
        return getattr(loader, attr)
    check(fn)
