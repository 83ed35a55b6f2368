"""The JAX corpus as cuda artifacts plus JAX's CPU numbers, for a GPU machine
without hlox's MLIR (the device machines cannot install it).

    python tests/gpu/bundle.py prepare DIR [--arch sm_90]   # here: compile (no GPU)
    python tests/gpu/bundle.py run DIR                      # there: run and compare

``prepare`` writes, per program of tests/python/jax_programs.py that the cuda
backend compiles, ``NAME.hlox`` (``compile_stablehlo(JAX's text).serialize()``) and
``NAME.npz`` (its inputs and ``jax.jit(fn)(*inputs)`` on JAX's CPU). ``run`` loads
each artifact with :func:`hlox.backends.cuda.aot.load` (cubin, PTX and launch plan:
no MLIR), runs it on GPU 0 and compares with test_jax_corpus_cpu.py's tolerances;
it prints one line per program and a summary, and exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCES = {"float16": (1e-3, 1e-3), "bfloat16": (8e-3, 8e-3), "float32": (2e-5, 2e-6),
              "complex64": (2e-5, 2e-6), "float64": (1e-12, 1e-12)}


def prepare(folder: str, arch: str) -> int:
    sys.path.insert(0, os.path.join(HERE, "..", "python"))
    import jax_programs

    import hlox

    os.makedirs(folder, exist_ok=True)
    hlox.config.update("cuda_arch", arch)
    skipped = []
    for program in jax_programs.programs():
        ref = jax_programs.reference(program)
        try:
            data = hlox.compile_stablehlo(ref.lowered.as_text(), backend="cuda").serialize()
        except Exception as error:  # noqa: BLE001  (listed, as the corpus test lists them)
            skipped.append(f"{program.name}: {str(error).splitlines()[0][:120]}")
            continue
        with open(os.path.join(folder, program.name + ".hlox"), "wb") as f:
            f.write(data)
        np.savez(os.path.join(folder, program.name + ".npz"),
                 **{f"in{i}": a for i, a in enumerate(ref.inputs)},
                 **{f"out{i}": a for i, a in enumerate(ref.outputs)})
    print(f"{len(os.listdir(folder)) // 2} programs in {folder}; not compiled: {skipped}")
    return 0


def _compare(got: np.ndarray, want: np.ndarray) -> str | None:
    if got.shape != want.shape or got.dtype != want.dtype:
        return f"{got.dtype}{list(got.shape)} != {want.dtype}{list(want.shape)}"
    if want.dtype.name in TOLERANCES:
        rtol, atol = TOLERANCES[want.dtype.name]
        finite = np.abs(want[np.isfinite(want)])
        scale = max(1.0, float(finite.max())) if finite.size else 1.0
        try:
            np.testing.assert_allclose(got, want, rtol=rtol, atol=atol * scale, equal_nan=True)
        except AssertionError as error:
            return str(error).strip().splitlines()[-3][:200]
        return None
    return None if np.array_equal(got, want) else "values differ"


def run(folder: str) -> int:
    from hlox.backends import artifact
    from hlox.backends.cuda import aot, runtime

    driver = runtime.driver()
    device = runtime.devices("cuda")[0]
    print(f"device: {driver.names[0]} ({driver.archs[0]})")
    names = sorted(f[:-5] for f in os.listdir(folder) if f.endswith(".hlox"))
    failed = []
    for name in names:
        start = time.perf_counter()
        try:
            with open(os.path.join(folder, name + ".hlox"), "rb") as f:
                art = artifact.unpack(f.read())
            data = np.load(os.path.join(folder, name + ".npz"))
            inputs = [data[f"in{i}"] for i in range(len(art.header["inputs"]))]
            wants = [data[f"out{i}"] for i in range(len(art.header["outputs"]))]
            outs = aot.load(art.header, art.payload).execute(
                [driver.to_device(a, device) for a in inputs], device)
            problems = [p for p in (_compare(np.asarray(g), w) for g, w in zip(outs, wants)) if p]
        except Exception as error:  # noqa: BLE001  (one program's failure is reported)
            problems = [f"{type(error).__name__}: {str(error)[:300]}"]
        status = "ok" if not problems else "FAIL " + "; ".join(problems)
        print(f"{name:28} {1e3 * (time.perf_counter() - start):8.1f} ms  {status}", flush=True)
        if problems:
            failed.append(name)
    print(f"corpus on {driver.names[0]}: {len(names) - len(failed)}/{len(names)} equal JAX CPU; "
          f"failed: {failed}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["prepare", "run"])
    parser.add_argument("folder")
    parser.add_argument("--arch", default="sm_90")
    args = parser.parse_args()
    return prepare(args.folder, args.arch) if args.mode == "prepare" else run(args.folder)


if __name__ == "__main__":
    sys.exit(main())
