"""Compile time of whole training steps: hlox's CPU backend vs XLA, and what outlining buys.

    python benchmarks/compile_time.py [--blocks 2] [--width 128] [--only gpt ...]
                                      [--pipeline-of REV | --no-other] [--run]

Workloads (issue 12, "Compile time"): a GPT-style decoder (Flax NNX: token and
position embeddings, pre-norm blocks of causal multi-head attention and a GELU
MLP, tied logits) as its loss, the loss's value_and_grad, and a full training
step with optax.adamw, plus an MLP and a residual conv net training step
(benchmarks/training_models.py). Each is lowered by JAX
(``jax.jit(f).lower(...)``), and the same StableHLO is compiled by XLA
(``.compile()``) and by hlox (``hlox.compile_stablehlo``) twice: with the CPU
pipeline as it is (loop nests outlined into functions by hlox-cpu-outline-loops)
and with another one: serial outlining off (``min-outline-ops=0``: every
serial loop nest stays in its caller) or, with ``--pipeline-of REV``, the
pipeline of another git revision (before/after). Prints wall-clock and CPU
seconds (this process's: on a loaded machine CPU time still compares the
compilers) and CPU-time ratios to XLA; ``--run`` also checks hlox's results against XLA's and times one call of
each. Nothing is cached (fresh compilations); both compilers' times run until
the code is ready to call. ``HLOX_TIMINGS=1`` also prints where each hlox
compilation's time went (every pass, LLVM). Not a test.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ["HLOX_CACHE_DIR"] = ""  # fresh compilations (before hlox reads its config)

import numpy as np  # noqa: E402

import hlox  # noqa: E402
from hlox.backends import compiler  # noqa: E402
from hlox.backends.cpu import backend as cpu  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from training_models import convnet_step, gpt_workloads, mlp_step  # noqa: E402  (benchmarks/)


def without_serial_outlining(pipeline: list[str]) -> list[str]:
    return [p + "{min-outline-ops=0}" if compiler.pass_name(p) == "hlox-cpu-outline-loops"
            else p for p in pipeline]


def pipeline_of(rev: str) -> list[str]:
    """The CPU pipeline as backends/cpu/backend.py has it at git revision ``rev``."""
    import cpu as cpu_benchmark  # benchmarks/cpu.py, next to this file

    saved = list(cpu.PIPELINE)
    cpu_benchmark.use_pipeline_of(rev)
    other, cpu.PIPELINE[:] = list(cpu.PIPELINE), saved
    return other


def hlox_compile(text: str, pipeline: list[str]):
    """(executable, compile seconds) with ``pipeline`` as the CPU backend's."""
    saved = list(cpu.PIPELINE)
    cpu.PIPELINE[:] = pipeline
    try:
        executable, seconds = timed(lambda: hlox.compile_stablehlo(text, backend="cpu"))
    finally:
        cpu.PIPELINE[:] = saved
    return executable, seconds


def timed(fn):
    """(result, (wall seconds, CPU seconds of this process)): on a loaded machine the
    CPU time still compares compilers (XLA's compiler threads included)."""
    wall, cpu_time = time.perf_counter(), time.process_time()
    result = fn()
    return result, (time.perf_counter() - wall, time.process_time() - cpu_time)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--blocks", type=int, default=2)
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--only", nargs="+", help="workloads whose name contains one of these")
    parser.add_argument("--pipeline-of", metavar="REV",
                        help="compare with the CPU pipeline of this git revision")
    parser.add_argument("--no-other", action="store_true",
                        help="skip the second hlox compilation")
    parser.add_argument("--run", action="store_true", help="check and time one call each")
    args = parser.parse_args()
    other = (pipeline_of(args.pipeline_of) if args.pipeline_of
             else without_serial_outlining(cpu.PIPELINE))
    other_name = args.pipeline_of or "no-outline"
    workloads = [mlp_step(), convnet_step()] + gpt_workloads(args.blocks, args.width)
    # Warm up both compilers (one-time loading and registration is not compile time).
    warm = jax.jit(lambda x: jnp.tanh(x) @ x).lower(np.ones((64, 64), np.float32))
    warm.compile()
    for pipeline in (list(cpu.PIPELINE), other):
        hlox_compile(warm.as_text(), pipeline)
    print(f"load average {os.getloadavg()[0]:.2f}")
    other_name = other_name[:10]
    header = (f"{'workload':<34} {'xla wall':>8} {'cpu s':>7} {'hlox wall':>9} {'cpu s':>7} "
              f"{'ratio':>6} {other_name + ' wall':>14} {'cpu s':>7} {'ratio':>6}"
              + ("  run hlox/xla" if args.run else ""))
    print("seconds of wall-clock and of CPU (this process); ratios: CPU time / XLA's")
    print(header)
    print("-" * len(header))
    for name, fn, fn_args in workloads:
        if args.only and not any(s in name for s in args.only):
            continue
        lowered = jax.jit(fn).lower(*fn_args)
        text = lowered.as_text()
        xla, xla_s = timed(lowered.compile)
        executable, hlox_s = hlox_compile(text, list(cpu.PIPELINE))
        line = f"{name:<34} {xla_s[0]:>8.2f} {xla_s[1]:>7.2f} {hlox_s[0]:>9.2f} " \
               f"{hlox_s[1]:>7.2f} {hlox_s[1] / xla_s[1]:>6.2f}"
        if not args.no_other:
            _, other_s = hlox_compile(text, other)
            line += f" {other_s[0]:>14.2f} {other_s[1]:>7.2f} {other_s[1] / xla_s[1]:>6.2f}"
        if args.run:
            leaves = jax.tree_util.tree_leaves(fn_args)
            ours = [np.asarray(r) for r in executable(*leaves)]
            theirs = [np.asarray(r) for r in jax.tree_util.tree_leaves(xla(*fn_args))]
            for a, b in zip(ours, theirs):
                np.testing.assert_allclose(a, b, rtol=2e-3, atol=2e-4, err_msg=name)
            start = time.perf_counter()
            executable(*leaves)
            t_hlox = time.perf_counter() - start
            device_args = jax.device_put(fn_args)
            jax.block_until_ready(xla(*device_args))
            start = time.perf_counter()
            jax.block_until_ready(xla(*device_args))
            t_xla = time.perf_counter() - start
            line += f"  {t_hlox / t_xla:>6.2f}"
        print(line + f"   (load {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
