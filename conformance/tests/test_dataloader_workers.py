"""DataLoader with worker processes (num_workers > 0), compared with torch's.

Few and small: every loader here starts two worker processes on each side.
"""

import math
import os
import random

import numpy as np
import pytest

from conformance import spec

from .test_data import items_dataset


def worker_view(T, n):
    """A dataset whose samples say which worker made them and what its RNGs give."""
    class Probe(T.utils.data.Dataset):
        def __getitem__(self, i):
            info = T.utils.data.get_worker_info()
            return {"i": i, "worker": info.id, "num_workers": info.num_workers,
                    "seed": info.seed, "initial_seed": T.initial_seed(),
                    "torch_rand": float(T.rand(1).item()),
                    "numpy": int(np.random.randint(0, 2**31)), "random": random.random(),
                    "same_dataset": info.dataset is self}

        def __len__(self):
            return n
    return Probe()


@spec("utils.data.map-style.workers-independent", "utils.data.DataLoader.num-workers")
@pytest.mark.parametrize("n,b", [(10, 3), (7, 2)])
def test_workers_yield_the_same_batches_in_order(check, n, b):
    def fn(T, d):
        ds = items_dataset(T, [np.arange(3) * i for i in range(n)])
        return [list(T.utils.data.DataLoader(ds, batch_size=b, num_workers=w)) for w in (0, 2)]
    check(fn)


@spec("utils.data.DataLoader.custom-order", "utils.data.worker-seeding")
def test_shuffled_workers_seed_like_torch(check):
    def fn(T, d):
        T.manual_seed(123)
        loader = T.utils.data.DataLoader(worker_view(T, 6), batch_size=2, shuffle=True,
                                         num_workers=2)
        return list(loader), T.get_rng_state()
    check(fn, exact=True)


@spec("utils.data.IterableDataset.split-per-worker")
def test_iterable_dataset_split_by_worker_id(check):
    def fn(T, d):
        class Split(T.utils.data.IterableDataset):
            def __iter__(self):
                info = T.utils.data.get_worker_info()
                start, end = 3, 7
                if info is not None:
                    per = int(math.ceil((end - start) / info.num_workers))
                    start = start + info.id * per
                    end = min(start + per, end)
                return iter(range(start, end))
        return [list(T.utils.data.DataLoader(Split(), num_workers=w)) for w in (0, 2)]
    check(fn)


@spec("utils.data.IterableDataset.replicated-per-worker")
def test_iterable_dataset_is_replicated_per_worker(check):
    def fn(T, d):
        class Same(T.utils.data.IterableDataset):
            def __iter__(self):
                return iter(range(3))
        return list(T.utils.data.DataLoader(Same(), num_workers=2))
    check(fn)


@spec("utils.data.DataLoader.worker-init-fn")
def test_worker_init_fn_runs_once_per_worker(check):
    def fn(T, d):
        def init(worker_id):
            T.utils.data.get_worker_info().dataset.init = (
                worker_id, T.utils.data.get_worker_info().id)

        class Ask(T.utils.data.Dataset):
            init = None

            def __getitem__(self, i):
                return self.init

            def __len__(self):
                return 4
        with_workers = list(T.utils.data.DataLoader(Ask(), batch_size=None, num_workers=2,
                                                    worker_init_fn=init))
        without = list(T.utils.data.DataLoader(Ask(), batch_size=None, worker_init_fn=init))
        return with_workers, without
    check(fn)


@spec("utils.data.DataLoader.persistent-workers")
@pytest.mark.parametrize("persistent", [False, True])
def test_persistent_workers_live_across_epochs(check, persistent):
    def fn(T, d):
        class Pid(T.utils.data.Dataset):
            def __getitem__(self, i):
                return os.getpid()

            def __len__(self):
                return 4
        loader = T.utils.data.DataLoader(Pid(), batch_size=None, num_workers=2,
                                         persistent_workers=persistent)
        first, second = list(loader), list(loader)
        return set(first) == set(second), len(set(first)), len(second)
    check(fn)


@spec("utils.data.DataLoader.timeout")
def test_timeout_raises_runtime_error(check):
    def fn(T, d):
        import time

        class Slow(T.utils.data.Dataset):
            def __getitem__(self, i):
                time.sleep(0.8)
                return i

            def __len__(self):
                return 1
        return list(T.utils.data.DataLoader(Slow(), num_workers=1, timeout=0.2))
    check(fn)


@spec("utils.data.worker-error")
def test_worker_exception_is_reraised_with_worker_traceback(check):
    def fn(T, d):
        class Bad(T.utils.data.Dataset):
            def __getitem__(self, i):
                if i == 2:
                    raise KeyError("missing sample")
                return i

            def __len__(self):
                return 4
        # The error arrives in place of its batch; iteration can go on to the end (which
        # also shuts the workers down at once).
        it = iter(T.utils.data.DataLoader(Bad(), num_workers=2))
        out = []
        while True:
            try:
                out.append(next(it))
            except KeyError as e:
                text = str(e)
                out.append((text.startswith("Caught KeyError in DataLoader worker process 0."),
                            "Original Traceback (most recent call last):" in text,
                            "missing sample" in text))
            except StopIteration:
                return out
    check(fn)


@spec("utils.data.DataLoader.pin-memory-device-and-in-order")
def test_in_order_false_yields_the_same_batches(check):
    def fn(T, d):
        loader = T.utils.data.DataLoader(range(9), batch_size=2, num_workers=2, in_order=False)
        return sorted(b.tolist() for b in loader)
    check(fn)
