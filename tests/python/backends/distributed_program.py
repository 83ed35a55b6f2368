"""Run under ``mpiexec -n P`` by test_distributed.py: every process initializes
hlox.distributed, checks the global device list, and runs its own partitions of
the per-device programs of spmd_programs.py on the cpu backend; the results are
compared (bytes) with the NumPy references. ``die``: process 1 exits before the
first collective; the others must fail with an error, not hang."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import spmd_programs as sp  # noqa: E402

import hlox  # noqa: E402
from hlox.backends.base import parse_module  # noqa: E402
from hlox.backends.cpu.backend import CpuBackend  # noqa: E402
from hlox.backends.cpu.native_runtime import CollectiveError  # noqa: E402


def main(mode: str) -> int:
    hlox.distributed.initialize()
    rank, processes = hlox.process_index(), hlox.process_count()
    local = len(hlox.local_devices())
    n = len(hlox.devices())
    assert n == processes * local, (n, processes, local)
    assert [d.id for d in hlox.local_devices()] == list(range(rank * local, (rank + 1) * local))
    assert {d.process_index for d in hlox.devices()} == set(range(processes))
    first = rank * local
    cases = [sp.all_reduce(n, "f32"), sp.all_reduce(n, "bf16", "maximum", groups=sp.halves(n)),
             sp.all_reduce_any_body(n), sp.all_gather(n, "i64"), sp.reduce_scatter(n, "f64"),
             sp.all_to_all(n, "ui32"), sp.collective_permute(n, "i1"), sp.partition_id(n),
             sp.all_reduce_variadic(n)]
    if mode == "die":
        cases = cases[:1]
        if rank == 1:
            print(f"process {rank}: exiting", flush=True)
            os._exit(0)  # gone without a word, before any collective
    for case in cases:
        run = CpuBackend().compile(parse_module(case.text))
        try:
            got = run.execute_sharded(case.inputs[first:first + local])
        except CollectiveError as error:
            print(f"process {rank}: CollectiveError: {error}", flush=True)
            return 3
        for p, (results, wanted) in enumerate(zip(got, case.expected[first:first + local])):
            for g, w in zip(results, wanted):
                if g.tobytes() != np.asarray(w).tobytes():
                    print(f"process {rank}: partition {first + p} differs", flush=True)
                    return 2
    print(f"process {rank}: {len(cases)} programs ok on {n} devices", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "run"))
