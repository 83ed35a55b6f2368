"""hlox's first path, end to end.

    python examples/demo.py [--dump-dir DIR]

Traces a small NumPy-style function with ``hlox.jit``, prints its graph and
its StableHLO, compiles it through linalg to LLVM on the CPU backend, runs it
on NumPy arrays and compares with NumPy. The IR after every compiler stage is
written to the dump folder (default: ./hlox-dumps, or $HLOX_DUMP_DIR).
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import hlox
import hlox.numpy as hnp


def layer(x, w):
    return hnp.exp(x @ w) * 2.0 + x


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump-dir", default=os.environ.get("HLOX_DUMP_DIR", "hlox-dumps"),
                        help="where to write the IR of every stage (default: %(default)s)")
    args = parser.parse_args()
    hlox.config.dump_dir = os.path.abspath(args.dump_dir)

    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(4, 8)).astype(np.float32)
    w = rng.uniform(-0.5, 0.5, size=(8, 8)).astype(np.float32)

    jitted = hlox.jit(layer)
    lowered = jitted.lower(x, w)
    print("== hlox graph ==")
    print(lowered.as_text("graph"))
    print("\n== StableHLO ==")
    print(lowered.as_text())

    result = jitted(x, w)  # traces (cached from .lower), compiles, runs
    expected = np.exp(x @ w) * np.float32(2.0) + x
    error = float(np.max(np.abs(result - expected)))
    print("== result (hlox, CPU backend) ==")
    print(result)
    print(f"\ndtype {result.dtype}, shape {result.shape}")
    print(f"max |hlox - numpy| = {error:.3g}")
    print(f"IR of every stage: {os.path.join(hlox.config.dump_dir, 'layer')}/")
    for name in sorted(os.listdir(os.path.join(hlox.config.dump_dir, "layer"))):
        print(f"  {name}")
    if not np.allclose(result, expected, rtol=1e-5, atol=1e-5):
        raise SystemExit("hlox and numpy disagree")


if __name__ == "__main__":
    main()
