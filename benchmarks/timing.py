"""Timing shared by the benchmarks: callables timed in turn (interleaved), so a
change in the machine's load affects every column alike."""

from __future__ import annotations

import statistics
import time


def timed(fn):
    """(fn's result, wall seconds of the call)."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def interleaved_medians(fns: dict, rounds: int, budget: float | None = None) -> dict:
    """Median seconds per call of each of ``fns`` (name -> callable), after one
    warm-up call each: every round calls each callable once, in turn. With a
    ``budget`` (seconds per callable) it stops early, once every callable has run at
    least 3 times and the budget is spent."""
    for fn in fns.values():
        fn()
    samples = {name: [] for name in fns}
    deadline = None if budget is None else time.perf_counter() + budget * len(fns)
    for done in range(1, rounds + 1):
        for name, fn in fns.items():
            samples[name].append(timed(fn)[1])
        if deadline is not None and done >= 3 and time.perf_counter() > deadline:
            break
    return {name: statistics.median(s) for name, s in samples.items()}
