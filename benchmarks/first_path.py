"""The first path's seed function: hlox (CPU backend) vs NumPy vs JAX (XLA CPU).

    python benchmarks/first_path.py [--sizes 64 256 512] [--repeat 20]

Prints, per size, the median time per call of each and the ratios. Not a
test: nothing here asserts a time (see DESIGN.md, "Benchmarks, not timed tests").
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import hlox
import hlox.numpy as hnp


def layer(x, w):
    return hnp.exp(x @ w) * 2.0 + x


def numpy_layer(x, w):
    return np.exp(x @ w) * np.float32(2.0) + x


def median_time(fn, repeat: int) -> float:
    fn()  # warm up (and compile)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[64, 256, 512])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    try:
        import jax
        import jax.numpy as jnp

        jax_layer = jax.jit(lambda x, w: jnp.exp(x @ w) * 2.0 + x)
    except ImportError:
        jax_layer = None

    print(f"{'n':>6} {'hlox ms':>10} {'numpy ms':>10} {'jax ms':>10} {'hlox/numpy':>11} {'hlox/jax':>9}")
    for n in args.sizes:
        rng = np.random.default_rng(0)
        x = rng.uniform(-1, 1, size=(n, n)).astype(np.float32)
        w = rng.uniform(-1, 1, size=(n, n)).astype(np.float32) / np.float32(n)
        f = hlox.jit(layer)
        np.testing.assert_allclose(f(x, w), numpy_layer(x, w), rtol=1e-4, atol=1e-4)
        t_hlox = median_time(lambda: f(x, w), args.repeat)
        t_np = median_time(lambda: numpy_layer(x, w), args.repeat)
        t_jax = float("nan")
        if jax_layer is not None:
            t_jax = median_time(lambda: jax_layer(x, w).block_until_ready(), args.repeat)
        print(f"{n:>6} {t_hlox * 1e3:>10.3f} {t_np * 1e3:>10.3f} {t_jax * 1e3:>10.3f} "
              f"{t_hlox / t_np:>11.2f} {t_hlox / t_jax:>9.2f}")


if __name__ == "__main__":
    main()
