"""Linear algebra: hlox (CPU backend: scipy's LAPACK through libhlox_cpu_runtime.so) vs
JAX (XLA CPU, the same LAPACK through jaxlib), interleaved.

    python benchmarks/linalg.py [--n 512] [--repeat 20]

Each case is written once with hlox.numpy / jax.numpy and run through both jits; rounds
alternate hlox and jax so machine load hits both alike. Prints the median time per call
and hlox/jax. Issue 14's target: Cholesky/solve/QR/SVD of 512x512 within 1.5x of XLA.
Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import hlox
import hlox.numpy as hnp
from timing import interleaved_medians  # benchmarks/timing.py


def cases(n: int):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(np.float32)
    spd = (a @ a.T / n + np.eye(n, dtype=np.float32)).astype(np.float32)
    b = rng.standard_normal((n, 16)).astype(np.float32)
    return [
        ("cholesky", lambda m, x: m.linalg.cholesky(x), (spd,)),
        ("solve (16 rhs)", lambda m, x, y: m.linalg.solve(x, y), (a, b)),
        ("qr", lambda m, x: m.linalg.qr(x), (a,)),
        ("svd", lambda m, x: m.linalg.svd(x), (a,)),
        ("eigh", lambda m, x: m.linalg.eigh(x), (spd,)),
        ("inv", lambda m, x: m.linalg.inv(x), (a,)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=512)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    import jax
    import jax.numpy as jnp

    print(f"n={args.n}, load {os.getloadavg()[0]:.1f} (numbers at load > 2 are not final)")
    print(f"{'case':<16} {'hlox ms':>9} {'jax ms':>9} {'hlox/jax':>9}")
    for name, fn, inputs in cases(args.n):
        ours = hlox.jit(lambda *v: fn(hnp, *v))
        theirs = jax.jit(lambda *v: fn(jnp, *v))
        device_inputs = [jax.device_put(x) for x in inputs]  # XLA on resident arrays
        t = interleaved_medians({  # the warm-up call compiles
            "hlox": lambda: ours(*inputs),
            "jax": lambda: jax.block_until_ready(theirs(*device_inputs)),
        }, rounds=args.repeat)
        t = {k: v * 1e3 for k, v in t.items()}
        print(f"{name:<16} {t['hlox']:>9.3f} {t['jax']:>9.3f} {t['hlox'] / t['jax']:>9.2f}")
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
