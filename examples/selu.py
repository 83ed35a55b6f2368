"""SELU under hlox.jit, checked against NumPy (and JAX when installed), with timings.

    python examples/selu.py [--size N] [--repeat R]

The first call traces ``selu`` and compiles it on the CPU backend; later calls
with arrays of the same shape and dtype reuse the compiled code.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import hlox
import hlox.numpy as hnp
from hlox import lax

ALPHA = 1.6732632423543772
SCALE = 1.0507009873554805


def selu(x, alpha=ALPHA, scale=SCALE):
    """scale * (x if x > 0 else alpha * (exp(x) - 1)), elementwise."""
    zero = hnp.broadcast_to(hnp.asarray(0, x.dtype), x.shape)  # lax compares equal shapes
    return scale * lax.select(lax.gt(x, zero), x, alpha * hnp.exp(x) - alpha)


def selu_numpy(x):
    return (SCALE * np.where(x > 0, x, ALPHA * np.exp(x) - ALPHA)).astype(x.dtype)


def best_time(fn, x, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    x = np.random.default_rng(0).standard_normal(args.size).astype(np.float32)
    selu_jit = hlox.jit(selu)
    start = time.perf_counter()
    result = selu_jit(x)
    first = time.perf_counter() - start
    expected = selu_numpy(x)
    error = float(np.max(np.abs(result - expected)))
    print(f"selu on {args.size} float32 values")
    print(f"  max |hlox - numpy| = {error:.3g}")
    print(f"  first call (trace + compile + run): {first * 1e3:.1f} ms")
    print(f"  hlox.jit: {best_time(selu_jit, x, args.repeat) * 1e3:.2f} ms per call")
    print(f"  numpy:    {best_time(selu_numpy, x, args.repeat) * 1e3:.2f} ms per call")
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        jax = None
    if jax is not None:
        selu_jax = jax.jit(lambda v: SCALE * jnp.where(v > 0, v, ALPHA * jnp.exp(v) - ALPHA))
        reference = np.asarray(selu_jax(x))
        print(f"  max |hlox - jax| = {float(np.max(np.abs(result - reference))):.3g}")
        t = best_time(lambda v: selu_jax(v).block_until_ready(), x, args.repeat)
        print(f"  jax.jit:  {t * 1e3:.2f} ms per call")
        if not np.allclose(result, reference, rtol=1e-5, atol=1e-6):
            raise SystemExit("hlox and jax disagree")
    # float32 exp may differ from NumPy's by a few ulps.
    if not np.allclose(result, expected, rtol=1e-5, atol=1e-6):
        raise SystemExit("hlox and numpy disagree")


if __name__ == "__main__":
    main()
