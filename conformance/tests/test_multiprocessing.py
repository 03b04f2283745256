"""torch.multiprocessing: Python's multiprocessing API under torch's names, spawn, and the
sharing strategies. Process tests start few, short-lived forked processes."""

import multiprocessing
import os

from hypothesis import given
from hypothesis import strategies as st

from conformance import spec

SAME_API = ["Lock", "Queue", "SimpleQueue", "JoinableQueue", "Process", "Pool", "Event",
            "Semaphore", "Manager", "Value", "Array", "cpu_count", "get_context",
            "get_start_method", "set_start_method"]


@spec("torch.multiprocessing.same-api")
def test_the_multiprocessing_api_is_reexported(check):
    def fn(T, d):
        mp = T.multiprocessing
        lock = mp.Lock()
        first = lock.acquire(block=False)
        second = lock.acquire(block=False)
        lock.release()
        return ([hasattr(mp, n) for n in SAME_API],
                [getattr(mp, n) is getattr(multiprocessing, n)
                 for n in ("Lock", "Queue", "Process", "Pool", "get_context")],
                first, second)
    check(fn)


@spec("torch.multiprocessing.sharing-strategy")
@given(strategy=st.sampled_from(["file_system", "file_descriptor", "bogus"]))
def test_sharing_strategies(check, strategy):
    def fn(T, d):
        mp = T.multiprocessing
        default = mp.get_sharing_strategy()
        try:
            mp.set_sharing_strategy(strategy)
            return default, sorted(mp.get_all_sharing_strategies()), mp.get_sharing_strategy()
        finally:
            mp.set_sharing_strategy(default)
    check(fn)


def _write_rank(i, path):
    with open(os.path.join(path, f"rank{i}"), "w") as f:
        f.write(str(i))


def _fail_on_one(i):
    if i == 1:
        raise ValueError("rank one fails")


@spec("torch.multiprocessing.process")
def test_process_and_spawn_run_the_function(check, tmp_path):
    def fn(T, d):
        mp = T.multiprocessing
        out = tmp_path / T.__name__
        out.mkdir(exist_ok=True)
        p = mp.get_context("fork").Process(target=_write_rank, args=(7, str(out)))
        p.start()
        p.join()
        # spawn(fn, ...) is start_processes(fn, ..., start_method="spawn"); fork is faster here
        returned = mp.start_processes(_write_rank, args=(str(out),), nprocs=2,
                                      start_method="fork")
        return p.exitcode, returned, sorted(f.name for f in out.iterdir())
    check(fn)


@spec("torch.multiprocessing.spawn-errors")
def test_spawn_reports_a_failed_process(check):
    def fn(T, d):
        mp = T.multiprocessing
        try:
            mp.start_processes(_fail_on_one, nprocs=2, start_method="fork")
        except mp.ProcessRaisedException as e:
            msg = str(e)
            raised = (type(e).__mro__[1].__name__ == "ProcessException",
                      "Process 1 terminated with the following error" in msg,
                      "rank one fails" in msg, e.error_index)
        context = mp.start_processes(_fail_on_one, nprocs=1, join=False, start_method="fork")
        kind = type(context).__name__
        while not context.join():
            pass
        return raised, kind
    check(fn)
