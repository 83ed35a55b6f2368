"""Temporary memory per workload: hlox's cpu backend next to XLA CPU.

    python benchmarks/memory.py [--only selu matmul ...] [--quick]

For each workload of benchmarks/cpu.py, both compilers' own accounts of the
bytes a call needs besides its arguments and results
(``Compiled.memory_analysis().temp_size_in_bytes`` on each): hlox's is its
arenas (temporaries placed by liveness, hlox-cpu-pack-allocations) plus the
temporaries left outside them, counted as if all were live at once, so an
upper bound; XLA's is its buffer assignment's. Arguments and results are
printed for scale. Not a test.
"""

from __future__ import annotations

import argparse

import cpu  # benchmarks/cpu.py, next to this file
import jax

import hlox

MIB = 1 << 20


def hlox_compiled(w: cpu.Workload):
    if w.hlox_fn is not None:
        return hlox.jit(w.hlox_fn).lower(*w.args).compile()
    return hlox.compile_stablehlo(jax.jit(w.jax_fn).lower(*w.args).as_text(), backend="cpu")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", help="workloads whose name contains one of these")
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()
    print(f"{'workload':<34} {'hlox temp MiB':>13} {'xla temp MiB':>13} {'hlox/xla':>9} "
          f"{'args MiB':>9} {'results MiB':>11}")
    for w in cpu.workloads(args.quick):
        if args.only and not any(s in w.name for s in args.only):
            continue
        ours = hlox_compiled(w).memory_analysis()
        theirs = jax.jit(w.jax_fn).lower(*w.args).compile().memory_analysis()
        dynamic = f" (+{ours.dynamic_temporaries} sized at run time)" \
            if ours.dynamic_temporaries else ""
        ratio = ours.temp_size_in_bytes / theirs.temp_size_in_bytes \
            if theirs.temp_size_in_bytes else float("nan")
        print(f"{w.name:<34} {ours.temp_size_in_bytes / MIB:>13.2f} "
              f"{theirs.temp_size_in_bytes / MIB:>13.2f} {ratio:>9.2f} "
              f"{ours.argument_size_in_bytes / MIB:>9.2f} "
              f"{ours.output_size_in_bytes / MIB:>11.2f}{dynamic}", flush=True)


if __name__ == "__main__":
    main()
