"""FFTs: hlox (CPU backend: hlox_rt_fft_* in libhlox_cpu_runtime.so) vs JAX (XLA CPU,
DUCC) vs NumPy (pocketfft), interleaved.

    python benchmarks/fft.py [--repeat 30]

Each case is written once with hlox.numpy / jax.numpy and run through both jits;
rounds alternate hlox, jax, numpy so machine load hits all alike. Prints the median
time per call and hlox/jax. Issue 14's target: rfft+irfft of 4x16384 within 2x of XLA.
Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse

import numpy as np

import hlox
import hlox.numpy as hnp
from timing import interleaved_medians  # benchmarks/timing.py


def cases():
    rng = np.random.default_rng(0)
    real = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
    cplx = lambda *s: (rng.standard_normal(s) + 1j * rng.standard_normal(s)).astype(np.complex64)  # noqa: E731
    return [
        ("rfft+irfft 4x16384", lambda m, x: m.fft.irfft(m.fft.rfft(x), n=x.shape[-1]),
         real(4, 16384)),
        ("fft 64x4096 c64", lambda m, x: m.fft.fft(x), cplx(64, 4096)),
        ("fft 16x4099 (prime)", lambda m, x: m.fft.fft(x), cplx(16, 4099)),
        ("fft 16x3000 (2^3 3 5^3)", lambda m, x: m.fft.fft(x), cplx(16, 3000)),
        ("rfft2 512x512", lambda m, x: m.fft.rfft2(x), real(512, 512)),
        ("fftn 64x64x64 c64", lambda m, x: m.fft.fftn(x), cplx(64, 64, 64)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    import jax
    import jax.numpy as jnp

    print(f"{'case':<26} {'hlox ms':>9} {'jax ms':>9} {'numpy ms':>9} {'hlox/jax':>9}")
    for name, fn, x in cases():
        ours = hlox.jit(lambda v: fn(hnp, v))
        theirs = jax.jit(lambda v: fn(jnp, v))
        want = np.asarray(theirs(x))
        got = np.asarray(ours(x))
        scale = np.abs(want).max()
        assert np.abs(got - want).max() <= 1e-5 * scale, name
        device_x = jax.device_put(x)  # XLA on a resident array
        t = interleaved_medians({
            "hlox": lambda: ours(x),
            "jax": lambda: theirs(device_x).block_until_ready(),
            "numpy": lambda: fn(np, x),
        }, rounds=args.repeat)
        t = {k: v * 1e3 for k, v in t.items()}
        print(f"{name:<26} {t['hlox']:>9.3f} {t['jax']:>9.3f} {t['numpy']:>9.3f} "
              f"{t['hlox'] / t['jax']:>9.2f}")


if __name__ == "__main__":
    main()
