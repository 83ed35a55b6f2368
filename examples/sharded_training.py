"""An MLP trained with SGD on a 2x2 mesh: data parallel over "data", tensor parallel
(Megatron: the first layer split by columns, the second by rows) over "model".

The step is one ``hlox.jit(value_and_grad)``; the shardings of the parameters and the
batch go in as sharded Arrays, the compiler propagates them and partitions the step
into one per-device program with collectives. It prints that program's collectives,
then the loss per step next to the same loop on one device, and fails if they differ.

    python examples/sharded_training.py [--devices 4] [--backend cpu|interpreter]
    JAX_NUM_CPU_DEVICES=2 mpiexec -n 2 python examples/sharded_training.py --distributed
        (2 processes x 2 devices: pip install 'hlox[mpi]')
"""

from __future__ import annotations

import argparse
import collections
import re

import numpy as np

import hlox
import hlox.numpy as hnp
from hlox.sharding import NamedSharding, PartitionSpec as P


def loss(params, x, y):
    h = hnp.tanh(x @ params["w1"] + params["b1"])
    pred = h @ params["w2"]
    return hnp.mean((pred - y) ** 2)


def sgd(params, grads, lr=0.1):
    return {k: params[k] - lr * grads[k] for k in params}


def init(seed=0):
    rng = np.random.default_rng(seed)
    params = {"w1": rng.standard_normal((8, 32)) / np.sqrt(8),
              "b1": np.zeros(32), "w2": rng.standard_normal((32, 4)) / np.sqrt(32)}
    x = rng.standard_normal((64, 8))
    y = np.sin(x[:, :4])
    cast = lambda a: np.asarray(a, np.float32)  # noqa: E731
    return {k: cast(v) for k, v in params.items()}, cast(x), cast(y)


def train(params, x, y, steps, step_fn, update_fn):
    losses = []
    for _ in range(steps):
        value, grads = step_fn(params, x, y)
        params = update_fn(params, grads)
        losses.append(float(value))
    return params, losses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=4, help="a (devices/2) x 2 mesh")
    parser.add_argument("--backend", default="cpu")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--distributed", action="store_true",
                        help="under mpiexec: every process's JAX_NUM_CPU_DEVICES devices")
    args = parser.parse_args()
    if args.distributed:
        hlox.distributed.initialize()
        args.devices = len(hlox.devices(args.backend))
    else:
        hlox.config.update("jax_num_cpu_devices", max(args.devices, 1))
    shape = (max(args.devices // 2, 1), 2 if args.devices >= 2 else 1)
    mesh = hlox.make_mesh(shape, ("data", "model"), devices=hlox.devices(args.backend))
    print(f"mesh: {mesh}")

    params, x, y = init()
    placement = {"w1": P(None, "model"), "b1": P("model"), "w2": P("model", None)}
    sharded = {k: hlox.device_put(v, NamedSharding(mesh, placement[k]))
               for k, v in params.items()}
    xs = hlox.device_put(x, NamedSharding(mesh, P("data", None)))
    ys = hlox.device_put(y, NamedSharding(mesh, P("data", None)))

    step = hlox.jit(hlox.value_and_grad(loss))
    update = hlox.jit(sgd)
    compiled = step.lower(sharded, xs, ys).compile()
    per_device = compiled.as_text("hlox-spmd-partition") if args.devices > 1 else ""
    kinds = collections.Counter(re.findall(r'"?stablehlo\.(all_reduce|all_gather|reduce_scatter|'
                                           r'all_to_all|collective_permute)"?', per_device))
    print("collectives of the per-device program:", dict(kinds) or "none")

    _, sharded_losses = train(sharded, xs, ys, args.steps, step, update)
    _, losses = train(params, x, y, args.steps,
                      hlox.jit(hlox.value_and_grad(loss), backend=args.backend),
                      hlox.jit(sgd, backend=args.backend))
    where = f"process {hlox.process_index()}: " if args.distributed else ""
    for i, (a, b) in enumerate(zip(sharded_losses, losses)):
        print(f"{where}step {i:2d}  loss {a:.6f} (sharded)  {b:.6f} (one device)")
    np.testing.assert_allclose(sharded_losses, losses, rtol=1e-5, atol=1e-6)
    if not sharded_losses[-1] < sharded_losses[0]:
        raise SystemExit("the loss did not fall")
    print("the sharded loop gives the one-device numbers")


if __name__ == "__main__":
    main()
