"""What every benchmark here shares: repeated runs after a warm-up, interleaved where two
things are compared, so that both see the same load on a shared machine."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` runs after one warm-up."""
    fn()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def best_interleaved(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Best (least disturbed) seconds of each function over ``rounds`` rounds in which every
    function runs once, after one warm-up each."""
    for fn in fns.values():
        fn()
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(rounds):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t)
    return best
