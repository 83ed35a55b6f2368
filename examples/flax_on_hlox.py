"""Train a Flax NNX model with Optax on hlox, checkpoint it with Orbax, and resume.

JAX traces the training step once (``jax.jit(train_step).lower(state, batch)``); hlox
compiles JAX's StableHLO for its CPU backend and runs it with JAX's pytrees:

    step = hlox.compile_stablehlo(jax.jit(train_step).lower(state, batch))
    state, loss = step(state, batch)

The script checks itself: the first steps give JAX's losses, and a run that saves a
checkpoint halfway, restores it and finishes gives exactly the losses of a run that never
stopped. It exits non-zero otherwise.

    python examples/flax_on_hlox.py [--steps 40] [--checkpoint-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

import jax
import jax.numpy as jnp
import numpy as np
import optax
import orbax.checkpoint as ocp
from flax import nnx

import hlox


class MLP(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.l1 = nnx.Linear(8, 32, rngs=rngs)
        self.l2 = nnx.Linear(32, 1, rngs=rngs)

    def __call__(self, x):
        return self.l2(nnx.gelu(self.l1(x)))


def make_state():
    model = MLP(nnx.Rngs(0))
    optimizer = nnx.Optimizer(model, optax.adamw(3e-3), wrt=nnx.Param)
    return nnx.split((model, optimizer))


GRAPHDEF, _ = make_state()


def train_step(state, batch):
    """One AdamW step on the mean squared error; returns the new state and the loss."""
    model, optimizer = nnx.merge(GRAPHDEF, state)
    x, y = batch

    def loss_fn(model):
        return jnp.mean((model(x)[:, 0] - y) ** 2)

    loss, grads = nnx.value_and_grad(loss_fn)(model)
    optimizer.update(model, grads)
    return nnx.split((model, optimizer))[1], loss


def batches(steps: int):
    """A fixed synthetic regression task: y = sin(x . w)."""
    rng = np.random.default_rng(0)
    w = rng.normal(size=8).astype(np.float32)
    for _ in range(steps):
        x = rng.normal(size=(64, 8)).astype(np.float32)
        yield x, np.sin(x @ w).astype(np.float32)


def to_host(state):
    """The state's leaves as NumPy arrays, what Orbax writes (hlox returns hlox.Arrays)."""
    return jax.tree.map(np.asarray, state)


def train(step, state, data):
    losses = []
    for batch in data:
        state, loss = step(state, batch)
        losses.append(float(loss))
    return state, losses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--checkpoint-dir", default=None)
    args = parser.parse_args()
    data = list(batches(args.steps))
    half = args.steps // 2

    _, state = make_state()
    step = hlox.compile_stablehlo(jax.jit(train_step).lower(state, data[0]))

    # 1. hlox's first steps against JAX's own compiled step.
    jax_step = jax.jit(train_step)
    _, jax_losses = train(jax_step, state, data[:5])
    _, hlox_losses = train(step, state, data[:5])
    np.testing.assert_allclose(hlox_losses, jax_losses, rtol=1e-4, atol=1e-6)
    print(f"first 5 losses, hlox: {np.round(hlox_losses, 5).tolist()}")
    print(f"first 5 losses, JAX:  {np.round(jax_losses, 5).tolist()}")

    # 2. An uninterrupted run.
    _, straight = train(step, state, data)

    # 3. Half the run, an Orbax checkpoint, a restore into a fresh state, the other half.
    with tempfile.TemporaryDirectory(prefix="flax_on_hlox_") as scratch:
        root = args.checkpoint_dir or scratch
        path = os.path.join(os.path.abspath(root), f"step_{half}")
        resumed = checkpoint_and_resume(step, state, data, half, path)
    print(f"final loss: {straight[-1]:.6f} (uninterrupted), {resumed[-1]:.6f} (resumed)")
    if resumed != straight:
        print("FAIL: the resumed run differs from the uninterrupted one", file=sys.stderr)
        return 1
    if not straight[-1] < 0.5 * straight[0]:
        print(f"FAIL: the loss did not fall ({straight[0]} -> {straight[-1]})", file=sys.stderr)
        return 1
    return 0


def checkpoint_and_resume(step, state, data, half, path):
    """Trains ``half`` steps, saves an Orbax checkpoint at ``path``, restores it into a
    fresh state and trains the rest; returns all the losses."""
    mid_state, first = train(step, state, data[:half])
    checkpointer = ocp.StandardCheckpointer()
    checkpointer.save(path, to_host(mid_state))
    checkpointer.wait_until_finished()
    print(f"checkpoint at step {half}: {path}")
    _, fresh = make_state()  # a new process would start here
    restored = checkpointer.restore(path, jax.tree.map(ocp.utils.to_shape_dtype_struct, fresh))
    _, second = train(step, restored, data[half:])
    return first + second


if __name__ == "__main__":
    sys.exit(main())
