"""Where batches run: this process, local worker processes, or a Dask cluster — one interface.

The pipeline has one code path: a pure function ``fn(batch, shared)`` maps a batch of file
paths to result rows. An :class:`Executor` runs it over many batches and yields the results
*in submission order* (a bounded reorder window), so the on-disk tables come out the same
whichever executor ran them, and memory stays flat: at most ``window`` batches are in flight
or waiting to be written.

- :class:`Sequential` — in this process (tiny inputs, tests, debugging);
- :class:`Local` — ``concurrent.futures.ProcessPoolExecutor``; ``shared`` is sent once per
  worker process through the pool initializer;
- :class:`DaskExecutor` — a ``dask.distributed.Client`` (given, or connected to
  ``tcp://scheduler:8786``); ``shared`` is scattered once to every worker (broadcast) and
  batches are submitted with ``Client.submit``. Workers must see the same file paths (a shared
  folder or network drive).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol, TypeVar

from parxl.errors import EngineError

B = TypeVar("B")
S = TypeVar("S")
R = TypeVar("R")
Fn = Callable[[Any, Any], Any]


class Executor(Protocol):
    name: str
    workers: int

    def run(self, fn: Fn, batches: Iterable[Any], shared: Any) -> Iterator[Any]:
        """``fn(batch, shared)`` for every batch; results in the order of ``batches``."""
        ...

    def close(self) -> None: ...


class Sequential:
    name = "sequential"
    workers = 1

    def run(self, fn: Fn, batches: Iterable[Any], shared: Any) -> Iterator[Any]:
        for batch in batches:
            yield fn(batch, shared)

    def close(self) -> None:
        return None


# ---------------------------------------------------------------- local processes

_SHARED: Any = None


# a worker allocates millions of short-lived objects (cells, rows, scores) and keeps few: the
# cyclic collector runs 70x less often (~2 % of a worker's CPU)
WORKER_GC_THRESHOLDS = (50_000, 20, 100)


def _init_shared(shared: Any) -> None:
    global _SHARED
    _SHARED = shared
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


def _call_with_shared(fn: Fn, batch: Any) -> Any:
    return fn(batch, _SHARED)


def _ordered(submit: Callable[[Any], Any], done_of: Callable[[list[Any]], list[Any]],
             result_of: Callable[[Any], Any], batches: Iterable[Any], window: int) -> Iterator[Any]:
    """Submit with at most ``window`` batches pending; yield results in submission order."""
    pending: dict[int, Any] = {}  # index -> future
    ready: dict[int, Any] = {}  # index -> result, finished out of order
    index_of: dict[int, int] = {}  # id(future) -> index
    it = iter(batches)
    next_in, next_out = 0, 0
    exhausted = False
    while True:
        while not exhausted and len(pending) + len(ready) < window:
            try:
                batch = next(it)
            except StopIteration:
                exhausted = True
                break
            fut = submit(batch)
            pending[next_in] = fut
            index_of[id(fut)] = next_in
            next_in += 1
        if next_out in ready:
            yield ready.pop(next_out)
            next_out += 1
            continue
        if not pending:
            return
        for fut in done_of(list(pending.values())):
            i = index_of.pop(id(fut))
            del pending[i]
            ready[i] = result_of(fut)


class Local:
    """Worker processes on this machine (``workers`` defaults to the number of CPUs)."""

    name = "local"

    def __init__(self, workers: int | None = None, window: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.window = window or 2 * self.workers + 1
        self._pool: ProcessPoolExecutor | None = None

    def run(self, fn: Fn, batches: Iterable[Any], shared: Any) -> Iterator[Any]:
        import functools

        pool = ProcessPoolExecutor(self.workers, initializer=_init_shared, initargs=(shared,))
        self._pool = pool
        try:
            call = functools.partial(_call_with_shared, fn)

            def done_of(futs: list[Future[Any]]) -> list[Future[Any]]:
                return list(wait(futs, return_when=FIRST_COMPLETED).done)

            yield from _ordered(lambda b: pool.submit(call, b), done_of, lambda f: f.result(),
                                batches, self.window)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- dask.distributed

class DaskExecutor:
    """A Dask cluster: ``DaskExecutor(client)`` or ``DaskExecutor.connect("tcp://host:8786")``."""

    name = "dask"

    def __init__(self, client: Any, window: int | None = None, own: bool = False) -> None:
        self.client = client
        try:
            n = sum(w.get("nthreads", 1) for w in client.scheduler_info(n_workers=-1)["workers"].values())
        except TypeError:  # older distributed: no n_workers argument
            n = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        except Exception:
            n = 1
        self.workers = max(1, n)
        self.window = window or 2 * self.workers + 2
        self.own = own

    @classmethod
    def connect(cls, address: str, window: int | None = None) -> DaskExecutor:
        try:
            from dask.distributed import Client
        except ImportError:
            raise EngineError("chạy trên cụm Dask cần cài gói: pip install 'dask[distributed]'") from None
        try:
            client = Client(address, timeout=30)  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise EngineError(f"không kết nối được bộ điều phối Dask '{address}' ({exc})") from None
        return cls(client, window, own=True)

    def run(self, fn: Fn, batches: Iterable[Any], shared: Any) -> Iterator[Any]:
        from dask.distributed import wait as dask_wait

        client = self.client
        shared_f = client.scatter(shared, broadcast=True, hash=False)

        def done_of(futs: list[Any]) -> list[Any]:
            return list(dask_wait(futs, return_when="FIRST_COMPLETED").done)  # type: ignore[no-untyped-call]

        yield from _ordered(lambda b: client.submit(fn, b, shared_f, pure=False), done_of,
                            lambda f: f.result(), batches, self.window)

    def close(self) -> None:
        if self.own:
            self.client.close()


def make_executor(n_files: int, *, workers: int | None = None, scheduler: str | None = None,
                  client: Any = None, sequential_below: int = 48) -> Executor:
    """The executor for a run: Dask if asked, this process for tiny inputs, else local processes."""
    if client is not None:
        return DaskExecutor(client)
    if scheduler:
        return DaskExecutor.connect(scheduler)
    procs = workers if workers is not None else (os.cpu_count() or 1)
    if procs <= 1 or n_files < sequential_below:
        return Sequential()
    return Local(procs)
