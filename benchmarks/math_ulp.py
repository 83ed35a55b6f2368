"""Max ulp error of float32 elementwise math over all float32 inputs: hlox cpu and XLA CPU.

    python benchmarks/math_ulp.py [--stride 1] [--chunk 24] [FUNCTION ...]

Every float32 bit pattern (or every ``--stride``-th one) but NaNs and
subnormals (XLA CPU treats subnormal inputs as zero) is run through each
function on hlox's cpu backend and through JAX (XLA CPU) in chunks of
``2**--chunk`` elements, and compared with a float64 reference (numpy, scipy's
erf), in float32 ulps at the reference value. Columns:

- ``max ulp``: over inputs whose exact result is a normal float32 or zero (XLA
  flushes subnormals, so they are judged apart);
- ``special``: inputs whose result is NaN, +-inf or subnormal and the function's
  answer is not (NaN for NaN, the same infinity; a subnormal result may be off
  by up to the smallest normal, i.e. flushed).

``pow`` takes two operands: x runs over the inputs, y over a fixed set of
exponents (see POW_EXPONENTS). Not a test: tests/python/backends/test_cpu_math_ulp.py
checks a sample against the bounds documented in README.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

TINY = np.float64(2.0 ** -126)  # the smallest normal float32
POW_EXPONENTS = (-2.5, -1.0, 0.5, 1.5, 3.0, 7.25)


def _pow_ref(x):
    return np.power(x[:, None], np.asarray(POW_EXPONENTS)[None, :]).ravel()


def functions():
    """name -> (hlox function, jax function, float64 reference)."""
    import jax
    import jax.numpy as jnp
    import scipy.special

    import hlox.lax as hlax
    import hlox.numpy as hnp
    import hlox.scipy.special as hsp

    ys = np.asarray(POW_EXPONENTS, np.float32)

    def pow_with(m):
        return lambda x: m.power(x[:, None], ys[None, :]).ravel()

    return {
        "exp": (hnp.exp, jnp.exp, np.exp),
        "log": (hnp.log, jnp.log, np.log),
        "log1p": (hnp.log1p, jnp.log1p, np.log1p),
        "expm1": (hnp.expm1, jnp.expm1, np.expm1),
        "tanh": (hnp.tanh, jnp.tanh, np.tanh),
        "logistic": (hlax.logistic, jax.nn.sigmoid, scipy.special.expit),
        "erf": (hsp.erf, jax.scipy.special.erf, scipy.special.erf),
        "sin": (hnp.sin, jnp.sin, np.sin),
        "cos": (hnp.cos, jnp.cos, np.cos),
        "rsqrt": (hlax.rsqrt, jax.lax.rsqrt, lambda x: 1 / np.sqrt(x)),
        "pow": (pow_with(hnp), pow_with(jnp), _pow_ref),
    }


def ulp_errors(y, ref):
    """(max ulp error over normal-or-zero exact results, count of wrong special values).
    Answers equal to the correctly rounded result count as 0.5 ulp (at most that);
    the rest are measured exactly."""
    y = np.asarray(y, np.float32)
    with np.errstate(all="ignore"):
        rounded = ref.astype(np.float32)
        off = np.flatnonzero(y != rounded)
        exact = y.size - off.size
        y, ref, rounded = y[off], ref[off], rounded[off]
        # the ulp of a float32 from its biased exponent e: 2^(e - 150), a subnormal
        # (bits 1 << (e - 1)) for e <= 23, 2^-149 for zero and subnormals
        e = (np.abs(rounded).view(np.uint32) >> np.uint32(23)).astype(np.int64)
        bits = np.where(e > 23, (e - 23) << 23, np.left_shift(1, np.maximum(e - 1, 0)))
        ulp = bits.astype(np.uint32).view(np.float32)
        normal = np.isfinite(rounded) & ((np.abs(ref) >= TINY) | (ref == 0))
        err = np.abs(y.astype(np.float64) - ref) / ulp
        worst = float(np.max(np.where(normal, err, 0.0), initial=0.5 if exact else 0.0))
        ok = np.where(np.isnan(ref), np.isnan(y),
                      np.where(np.isinf(rounded), y == rounded, np.abs(y - ref) <= TINY))
    return worst, int(np.count_nonzero(~(ok | normal)))


def inputs(chunk_bits: int, stride: int):
    """float32 arrays covering every stride-th bit pattern, NaNs and subnormals left out
    (XLA CPU treats subnormal inputs as zero)."""
    step = (1 << chunk_bits) * stride
    for start in range(0, 1 << 32, step):
        bits = np.arange(start, min(start + step, 1 << 32), stride, dtype=np.uint64)
        x = bits.astype(np.uint32).view(np.float32)
        yield x[~np.isnan(x) & ((np.abs(x) >= TINY) | (x == 0))]


def measure(names, chunk_bits: int, stride: int) -> dict:
    import jax

    import hlox

    table = functions()
    results = {}
    for name in names:
        ours_fn, theirs_fn, ref_fn = table[name]
        ours, theirs = hlox.jit(ours_fn), jax.jit(theirs_fn)
        worst = {"hlox": [0.0, 0], "xla": [0.0, 0]}
        start = time.perf_counter()
        for x in inputs(chunk_bits, stride):
            with np.errstate(all="ignore"):
                ref = ref_fn(x.astype(np.float64))
            for who, fn in (("hlox", ours), ("xla", theirs)):
                ulp, special = ulp_errors(np.asarray(fn(x)), ref)
                worst[who][0] = max(worst[who][0], ulp)
                worst[who][1] += special
        results[name] = worst
        print(f"{name:<9} hlox {worst['hlox'][0]:8.2f} ulp {worst['hlox'][1]:>6} special | "
              f"xla {worst['xla'][0]:8.2f} ulp {worst['xla'][1]:>6} special  "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("functions", nargs="*", help="default: all")
    parser.add_argument("--stride", type=int, default=1, help="every stride-th bit pattern")
    parser.add_argument("--chunk", type=int, default=24, help="log2 of the chunk size")
    args = parser.parse_args()
    names = args.functions or list(functions())
    print(f"float32 inputs: every {args.stride}-th bit pattern; load {os.getloadavg()[0]:.1f}")
    measure(names, args.chunk, args.stride)


if __name__ == "__main__":
    main()
