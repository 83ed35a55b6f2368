"""Ahead-of-time artifacts: load time of a deserialized artifact vs compile time.

    python benchmarks/aot.py [--repeat 5]

For a small elementwise function and an MLP-sized one (2 layers, 784-512-10,
batch 128), prints the median of: trace+compile (``jit(f).lower(...).compile()``,
caches off), ``serialize()``, ``hlox.deserialize()`` in this process ("load") and
in a fresh process ("load(new)": the deserialize call alone, timed inside it,
after ``import hlox``, whose time is shown apart), compile time over each load
time, and one call of the jit-compiled and of the loaded function. Not a
test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import hlox
import hlox.numpy as hnp
from hlox.backends import compile_cache


def small(x, y):
    return hnp.exp(x) * y + 1.0


def mlp(w1, b1, w2, b2, x):
    h = hnp.maximum(x @ w1 + b1, 0.0)
    return hnp.exp(h @ w2 + b2)


def inputs(name):
    rng = np.random.default_rng(0)
    if name == "small":
        return [rng.standard_normal((16, 16), dtype=np.float32) for _ in range(2)]
    shapes = [(784, 512), (512,), (512, 10), (10,), (128, 784)]
    return [rng.standard_normal(s, dtype=np.float32) * 0.05 for s in shapes]


_FRESH = """
import sys, time
t0 = time.perf_counter()
import hlox
t1 = time.perf_counter()
data = open(sys.argv[1], "rb").read()
t2 = time.perf_counter()
fn = hlox.deserialize(data)
t3 = time.perf_counter()
print(t1 - t0, t3 - t2)
"""


def median(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    hlox.config.update("cache_dir", None)
    print(f"{'function':8} {'compile':>9} {'serialize':>9} {'load':>9} {'load(new)':>9} "
          f"{'import':>8} {'ratio':>6} {'ratio(new)':>10} {'call jit':>9} {'call aot':>9} "
          f"{'bytes':>7}")
    for name, fn in (("small", small), ("mlp", mlp)):
        xs = inputs(name)

        def compile_once():
            compile_cache.clear_memory()
            return hlox.jit(fn).lower(*xs).compile()

        t_compile, compiled = median(compile_once, args.repeat)
        t_serialize, data = median(compiled.serialize, args.repeat)
        t_load, loaded = median(lambda: hlox.deserialize(data), args.repeat)
        with tempfile.NamedTemporaryFile(suffix=".hlox", delete=False) as f:
            f.write(data)
        try:
            fresh = [subprocess.run([sys.executable, "-c", _FRESH, f.name], check=True,
                                    capture_output=True, text=True, cwd=tempfile.gettempdir())
                     .stdout.split() for _ in range(args.repeat)]
        finally:
            os.unlink(f.name)
        t_import = statistics.median(float(r[0]) for r in fresh)
        t_fresh = statistics.median(float(r[1]) for r in fresh)
        t_call_jit, want = median(lambda: compiled(*xs), args.repeat)
        t_call_aot, got = median(lambda: loaded(*xs), args.repeat)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
        ms = lambda t: f"{t * 1e3:8.2f}ms"  # noqa: E731
        print(f"{name:8} {ms(t_compile)} {ms(t_serialize)} {ms(t_load)} {ms(t_fresh)} "
              f"{t_import:7.2f}s {t_compile / t_load:5.0f}x {t_compile / t_fresh:9.1f}x "
              f"{ms(t_call_jit)} "
              f"{ms(t_call_aot)} {len(data):7d}")


if __name__ == "__main__":
    main()
