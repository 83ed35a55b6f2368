"""Run under ``mpiexec -n 2`` by test_distributed_api.py: each process has 2 cpu devices
(4 in all); the API builds global Arrays from process-local data, runs jitted sharded
programs and a shard_map with collectives across the processes, and every process
checks its own shards against NumPy (it holds no other process's data)."""

from __future__ import annotations

import sys

import numpy as np

import hlox
import hlox.numpy as hnp
from hlox.sharding import NamedSharding, PartitionSpec as P


def check(array, expected: np.ndarray, what: str) -> None:
    for shard in array.addressable_shards:
        assert shard.device.process_index == hlox.process_index(), what
        np.testing.assert_allclose(np.asarray(shard.data), expected[shard.index], rtol=1e-5,
                                   atol=1e-5, err_msg=what)


def main() -> int:
    hlox.distributed.initialize()
    rank = hlox.process_index()
    mesh = hlox.make_mesh((2, 2), ("data", "model"))
    assert len(hlox.devices()) == 4 and len(hlox.local_devices()) == 2
    rows = NamedSharding(mesh, P("data", None))
    x = np.arange(32, dtype=np.float32).reshape(8, 4) / 10
    w = np.linspace(-1, 1, 16, dtype=np.float32).reshape(4, 4)

    # The same global value in every process: each keeps its own pieces.
    xs = hlox.device_put(x, rows)
    assert not xs.is_fully_addressable and len(xs.addressable_shards) == 2
    check(xs, x, "device_put")
    try:
        np.asarray(xs)
    except RuntimeError as error:
        assert "non-addressable" in str(error)
    else:
        raise AssertionError("np.asarray of a multi-process Array must fail")

    # Process-local rows: process r holds rows 4r .. 4r+3 (mesh row r is its devices).
    local = hlox.make_array_from_process_local_data(rows, x[4 * rank:4 * rank + 4])
    assert local.shape == (8, 4), local.shape
    check(local, x, "make_array_from_process_local_data")

    f = hlox.jit(lambda a, b: hnp.tanh(a @ b),
                 in_shardings=(rows, NamedSharding(mesh, P(None, "model"))),
                 out_shardings=NamedSharding(mesh, P("data", "model")))
    check(f(xs, w), np.tanh(x @ w), "jit with shardings")

    total = hlox.jit(hlox.shard_map(lambda a: hlox.lax.psum(a.sum(0, keepdims=True), "data"),
                                    mesh=mesh, in_specs=P("data", "model"),
                                    out_specs=P(None, "model")))(xs)
    check(total, x.sum(0, keepdims=True), "shard_map psum")

    grads = hlox.jit(hlox.grad(lambda b, a: (hnp.tanh(a @ b) ** 2).mean()))(w, xs)
    a, b = x.astype(np.float64), w.astype(np.float64)
    t = np.tanh(a @ b)
    expected = a.T @ (2 * t * (1 - t ** 2) / t.size)
    check(grads, expected.astype(np.float32), "grad")
    print(f"process {rank}: API ok on {len(hlox.devices())} devices", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
