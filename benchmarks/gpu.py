"""The cuda backend on a GPU: per workload time, GB/s against the device's memory
bandwidth, TFLOP/s against its dense tensor-core peak, and XLA GPU's time where
JAX has a GPU.

    python benchmarks/gpu.py [--repeat 20]               # compile here, run here
    python benchmarks/gpu.py --prepare DIR [--arch sm_90] # compile only (no GPU needed)
    python benchmarks/gpu.py --bundle DIR                  # run DIR's artifacts (no MLIR needed)

Workloads (issue 15): selu and add on 16M float32 (elementwise: memory bound),
row softmax and row sums of 4096x4096 (reductions), matmul 4096 in float32 and
bfloat16. Each runs once to warm up, then ``--repeat`` times, each call waited
for (median). The device's peaks come from its name (:data:`PEAKS`, NVIDIA's
datasheets: the driver does not report them). ``--prepare``/``--bundle`` split
compiling from running, for a GPU machine without hlox's MLIR (tests/gpu/).
Not a test; running needs an NVIDIA GPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

# device name fragment -> (memory GB/s, dense bf16 tensor TFLOP/s, dense f32 TFLOP/s)
PEAKS = {"H200": (4800.0, 989.0, 67.0), "H100": (3350.0, 989.0, 67.0),
         "A100": (2039.0, 312.0, 19.5), "L4": (300.0, 121.0, 30.3)}


def workloads(xp):
    """``(name, fn, input specs, bytes moved, flops, peak kind)``, ``fn`` written with
    ``xp`` (hlox.numpy or jax.numpy)."""
    import ml_dtypes

    n, m = 1 << 24, 4096
    alpha, scale = 1.6732632, 1.0507010

    def selu(v):
        return scale * xp.where(v > 0, v, alpha * (xp.exp(v) - 1))

    def softmax(v):
        e = xp.exp(v - xp.max(v, axis=1, keepdims=True))
        return e / xp.sum(e, axis=1, keepdims=True)

    f32, bf16 = np.dtype(np.float32), np.dtype(ml_dtypes.bfloat16)
    return [
        ("selu_16M", selu, [((n,), f32)], 8 * n, 0, "f32"),
        ("add_16M", lambda u, v: u + v, [((n,), f32)] * 2, 12 * n, 0, "f32"),
        ("softmax_4096x4096", softmax, [((m, m), f32)], 8 * m * m, 0, "f32"),
        ("row_sum_4096x4096", lambda v: xp.sum(v, axis=1), [((m, m), f32)], 4 * m * m, 0,
         "f32"),
        ("matmul_4096_f32", lambda u, v: u @ v, [((m, m), f32)] * 2, 12 * m * m, 2 * m ** 3,
         "f32"),
        ("matmul_4096_bf16", lambda u, v: u @ v, [((m, m), bf16)] * 2, 6 * m * m, 2 * m ** 3,
         "bf16"),
    ]


def inputs_for(specs, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape, dtype=np.float32).astype(dtype) for shape, dtype in specs]


def _median_time(call, repeat: int) -> float:
    call()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _xla_time(name: str, inputs, repeat: int):
    """XLA GPU's median time for the workload written with jax.numpy (None without a
    GPU in JAX)."""
    try:
        import jax
        import jax.numpy as jnp

        gpu = jax.devices("gpu")[0]
    except Exception:  # noqa: BLE001  (no jax with CUDA: no XLA column)
        return None
    fn = next(w[1] for w in workloads(jnp) if w[0] == name)
    args = [jax.device_put(v, gpu) for v in inputs]
    jitted = jax.jit(fn)
    return _median_time(lambda: jax.block_until_ready(jitted(*args)), repeat)


def prepare(folder: str, arch: str) -> None:
    """Compiles every workload for ``arch`` into ``folder/NAME.hlox`` (no GPU needed)."""
    import hlox
    import hlox.numpy as hnp

    os.makedirs(folder, exist_ok=True)
    hlox.config.update("cuda_arch", arch)
    for name, fn, specs, *_ in workloads(hnp):
        shapes = [hlox.ShapeDtypeStruct(s, d) for s, d in specs]
        data = hlox.jit(fn, backend="cuda").lower(*shapes).compile().serialize()
        with open(os.path.join(folder, f"{name}.hlox"), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


def _row(label, seconds, nbytes, flops, kind, peaks, xla) -> str:
    gbs = nbytes / seconds / 1e9
    tflops = flops / seconds / 1e12 if flops else 0.0
    bw = f"{100 * gbs / peaks[0]:4.0f}%" if peaks else "  ?"
    peak = (f"{100 * tflops / peaks[1 if kind == 'bf16' else 2]:5.1f}%"
            if peaks and flops else "")
    return (f"{label:20} {1e3 * seconds:9.3f} {gbs:8.1f} {bw:>5} {tflops:8.2f} {peak:>6}"
            f" {'' if xla is None else f'{1e3 * xla:8.3f}'}")


def run(repeat: int, bundle: str | None) -> None:
    from hlox.backends.cuda import runtime

    driver = runtime.driver()
    name = driver.names[0]
    peaks = next((v for k, v in PEAKS.items() if k in name), None)
    print(f"device: {name} ({driver.archs[0]}); peaks: " + (
        "unknown" if peaks is None else
        f"{peaks[0]:.0f} GB/s, {peaks[1]:.0f} bf16 / {peaks[2]:.0f} f32 TFLOP/s"))
    print(f"{'workload':20} {'hlox ms':>9} {'GB/s':>8} {'%bw':>5} {'TFLOP/s':>8} {'%peak':>6}"
          f" {'XLA ms':>8}")
    for label, _, specs, nbytes, flops, kind in workloads(np):
        inputs = inputs_for(specs)
        try:
            call = _bundle_call(bundle, label, inputs, driver) if bundle else \
                _compiled_call(label, inputs, driver)
            seconds = _median_time(call, repeat)
        except Exception as error:  # noqa: BLE001  (report and go on)
            print(f"{label:20} failed: {type(error).__name__}: {str(error)[:300]}")
            continue
        print(_row(label, seconds, nbytes, flops, kind, peaks, _xla_time(label, inputs, repeat)),
              flush=True)


def _compiled_call(label, inputs, driver):
    import hlox
    import hlox.numpy as hnp

    hlox.config.update("cuda_arch", driver.archs[0])
    fn = next(w[1] for w in workloads(hnp) if w[0] == label)
    device = hlox.devices("cuda")[0]
    args = [hlox.device_put(v, device) for v in inputs]
    jitted = hlox.jit(fn, backend="cuda")
    return lambda: jitted(*args).block_until_ready()


def _bundle_call(folder, label, inputs, driver):
    from hlox.backends import artifact
    from hlox.backends.cuda import aot, runtime

    with open(os.path.join(folder, f"{label}.hlox"), "rb") as f:
        art = artifact.unpack(f.read())
    executable = aot.load(art.header, art.payload)
    device = runtime.devices("cuda")[0]
    args = [driver.to_device(v, device) for v in inputs]

    def call():
        outs = executable.execute(args, device)
        outs[0].block_until_ready()
    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--prepare", metavar="DIR", help="compile the workloads into DIR")
    parser.add_argument("--arch", default="sm_90", help="with --prepare (default sm_90)")
    parser.add_argument("--bundle", metavar="DIR", help="run the artifacts in DIR")
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.arch)
    else:
        run(args.repeat, args.bundle)


if __name__ == "__main__":
    main()
