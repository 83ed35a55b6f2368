"""SPMD on the cpu backend: what sharding buys and costs, measured (issue 11).

For an MLP training step (value_and_grad of a 4-layer MLP) it prints, per mesh size N:

- per-device parameter memory under FSDP (parameters split by rows over the mesh),
  read from the Arrays' device buffers, next to the unsharded size / N;
- the step's time: data-parallel (replicated parameters) and FSDP, against the
  unsharded step on one device, interleaved in one loop (the partitions run on
  their own threads: on a 2-core machine only N <= 2 can be faster);
- the bytes the per-device program's collectives move per step
  (``Compiled.cost_analysis()``), next to the ideal: a ring all-reduce of the
  gradients moves 2(N-1)/N x their bytes per device (data parallel); FSDP gathers
  the parameters ((N-1)/N x their bytes, once per use) and reduce-scatters the
  gradients ((N-1)/N x their bytes).

    python benchmarks/spmd.py [--devices 1 2 4 8] [--width 1024] [--batch 256] [--budget 1.0]

Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from timing import interleaved_medians  # benchmarks/timing.py


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--budget", type=float, default=1.0, help="seconds per measurement")
    return parser.parse_args()


def init(width: int, layers: int, batch: int):
    rng = np.random.default_rng(0)
    params = {f"w{i}": (rng.standard_normal((width, width)) / np.sqrt(width)).astype(np.float32)
              for i in range(layers)}
    x = rng.standard_normal((batch, width)).astype(np.float32)
    y = rng.standard_normal((batch, width)).astype(np.float32)
    return params, x, y


def make_loss(hnp, layers: int):
    def loss(params, x, y):
        h = x
        for i in range(layers):
            h = hnp.tanh(h @ params[f"w{i}"])
        return hnp.mean((h - y) ** 2)
    return loss


def per_device_bytes(tree) -> int:
    """Bytes of the parameters' buffers on the first device."""
    total = 0
    for leaf in tree.values():
        shard = leaf.addressable_shards[0]
        total += np.asarray(shard.data).nbytes
    return total


def main():
    args = parse()
    os.environ.setdefault("JAX_NUM_CPU_DEVICES", str(max(args.devices)))
    import hlox
    import hlox.numpy as hnp
    from hlox.sharding import NamedSharding, PartitionSpec as P

    hlox.config.update("jax_num_cpu_devices", max(args.devices))
    params, x, y = init(args.width, args.layers, args.batch)
    step = hlox.jit(hlox.value_and_grad(make_loss(hnp, args.layers)))
    param_bytes = sum(p.nbytes for p in params.values())
    print(f"MLP {args.layers}x{args.width}x{args.width}, batch {args.batch}; parameters "
          f"{param_bytes / 2**20:.1f} MiB; load {os.getloadavg()[0]:.1f}; "
          f"HLOX_CPU_THREADS={os.environ.get('HLOX_CPU_THREADS', 'default')}")
    print(f"{'N':>2} {'FSDP param MiB/dev':>19} {'ideal':>7} | {'step ms: 1 dev':>14} "
          f"{'DP':>8} {'FSDP':>8} | {'DP coll MiB':>11} {'ideal':>7} | "
          f"{'FSDP coll MiB':>13} {'ideal':>7}")
    for n in args.devices:
        mesh = hlox.make_mesh((n,), ("data",), devices=hlox.devices()[:n])

        def put(value, spec):
            return hlox.device_put(value, NamedSharding(mesh, spec))

        batch = (put(x, P("data", None)), put(y, P("data", None)))
        replicated = {k: put(v, P()) for k, v in params.items()}
        fsdp = {k: put(v, P("data", None)) for k, v in params.items()}
        dp_cost = step.lower(replicated, *batch).compile().cost_analysis()
        fsdp_cost = step.lower(fsdp, *batch).compile().cost_analysis()
        times = interleaved_medians({
            "one": lambda: hlox.block_until_ready(step(params, x, y)),
            "dp": lambda: hlox.block_until_ready(step(replicated, *batch)),
            "fsdp": lambda: hlox.block_until_ready(step(fsdp, *batch)),
        }, rounds=1000, budget=args.budget)
        mib = 2.0 ** 20
        dp_ideal = 2 * (n - 1) / n * param_bytes  # the gradients' ring all-reduce
        # gather each parameter for the forward and again for the backward pass, and
        # reduce-scatter its gradient
        fsdp_ideal = 3 * (n - 1) / n * param_bytes
        print(f"{n:>2} {per_device_bytes(fsdp) / mib:>19.2f} {param_bytes / n / mib:>7.2f} | "
              f"{times['one'] * 1e3:>14.2f} {times['dp'] * 1e3:>8.2f} {times['fsdp'] * 1e3:>8.2f} | "
              f"{dp_cost.get('collective bytes', 0.0) / mib:>11.2f} {dp_ideal / mib:>7.2f} | "
              f"{fsdp_cost.get('collective bytes', 0.0) / mib:>13.2f} {fsdp_ideal / mib:>7.2f}")


if __name__ == "__main__":
    main()
