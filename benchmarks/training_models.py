"""Training steps of small models, shared by benchmarks/cpu.py (run time) and
benchmarks/compile_time.py (compile time): a GPT-style decoder (Flax NNX, optax.adamw),
a small residual conv net (Flax NNX, optax.sgd with momentum) and an MLP. Each
builder returns ``(name, fn, args)``: a plain JAX function and its arguments
(pytrees of numpy arrays), for ``jax.jit(fn).lower(*args)``."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx


def gpt_model(blocks: int, width: int, heads: int, vocab: int, seq: int):
    class Block(nnx.Module):
        def __init__(self, rngs):
            self.ln1 = nnx.LayerNorm(width, rngs=rngs)
            # No attention biases (as in LLaMA): the key bias' gradient is zero in exact
            # arithmetic (softmax is shift-invariant along each query's row), and AdamW
            # scales its rounding noise to full-size steps of any sign, which no two
            # compilers (not XLA and hlox's interpreter either) agree on.
            self.attn = nnx.MultiHeadAttention(num_heads=heads, in_features=width,
                                               use_bias=False, decode=False, rngs=rngs)
            self.ln2 = nnx.LayerNorm(width, rngs=rngs)
            self.up = nnx.Linear(width, 4 * width, rngs=rngs)
            self.down = nnx.Linear(4 * width, width, rngs=rngs)

        def __call__(self, h, mask):
            h = h + self.attn(self.ln1(h), mask=mask)
            return h + self.down(nnx.gelu(self.up(self.ln2(h))))

    class GPT(nnx.Module):
        def __init__(self, rngs):
            self.embed = nnx.Embed(vocab, width, rngs=rngs)
            self.pos = nnx.Embed(seq, width, rngs=rngs)
            self.blocks = nnx.List([Block(rngs) for _ in range(blocks)]) \
                if hasattr(nnx, "List") else [Block(rngs) for _ in range(blocks)]
            self.ln = nnx.LayerNorm(width, rngs=rngs)

        def __call__(self, tokens):
            h = self.embed(tokens) + self.pos(jnp.arange(tokens.shape[1]))
            mask = nnx.make_causal_mask(tokens)
            for block in self.blocks:
                h = block(h, mask)
            return self.embed.attend(self.ln(h))

    return GPT(nnx.Rngs(0))


def xent(logits, labels):
    return optax.softmax_cross_entropy_with_integer_labels(logits, labels).mean()


def gpt_workloads(blocks: int, width: int) -> list[tuple[str, object, tuple]]:
    heads, vocab, seq, batch = 4, 256, 64, 8
    model = gpt_model(blocks, width, heads, vocab, seq)
    graphdef, params = nnx.split(model, nnx.Param)
    tokens = np.random.default_rng(0).integers(0, vocab, (batch, seq + 1)).astype(np.int32)
    tx = optax.adamw(1e-3)
    opt_state = tx.init(params)

    def loss(params, tokens):
        return xent(nnx.merge(graphdef, params)(tokens[:, :-1]), tokens[:, 1:])

    def step(params, opt_state, tokens):
        value, grads = jax.value_and_grad(loss)(params, tokens)
        updates, opt_state = tx.update(grads, opt_state, params)
        return value, optax.apply_updates(params, updates), opt_state

    name = f"gpt {blocks}x{width}"
    return [(f"{name} loss", loss, (params, tokens)),
            (f"{name} value_and_grad", jax.value_and_grad(loss), (params, tokens)),
            (f"{name} adamw step", step, (params, opt_state, tokens))]


def mlp_step():
    rng = np.random.default_rng(0)
    sizes = [784, 512, 512, 10]
    params = [((rng.standard_normal((m, n)) / np.sqrt(m)).astype(np.float32),
               np.zeros(n, np.float32)) for m, n in zip(sizes[:-1], sizes[1:])]
    x = rng.standard_normal((128, 784)).astype(np.float32)
    y = rng.integers(0, 10, 128).astype(np.int32)

    def loss(params, x, y):
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            h = jax.nn.relu(h) if i < len(params) - 1 else h
        return xent(h, y)

    def step(params, x, y):
        value, grads = jax.value_and_grad(loss)(params, x, y)
        return value, jax.tree_util.tree_map(lambda p, g: p - 0.01 * g, params, grads)

    return ("mlp step 784-512-512-10 b128", step, (params, x, y))


def convnet_step(batch: int = 16, hw: int = 32, channels: int = 32, classes: int = 10):
    """One SGD-with-momentum step of a residual conv net on NHWC images: a 3x3 stem,
    two residual blocks of two 3x3 convolutions (ReLU), global average pooling and a
    dense classifier."""
    class Residual(nnx.Module):
        def __init__(self, rngs):
            self.a = nnx.Conv(channels, channels, (3, 3), padding="SAME", rngs=rngs)
            self.b = nnx.Conv(channels, channels, (3, 3), padding="SAME", rngs=rngs)

        def __call__(self, h):
            return nnx.relu(h + self.b(nnx.relu(self.a(h))))

    class ConvNet(nnx.Module):
        def __init__(self, rngs):
            self.stem = nnx.Conv(3, channels, (3, 3), padding="SAME", rngs=rngs)
            self.blocks = nnx.List([Residual(rngs) for _ in range(2)]) \
                if hasattr(nnx, "List") else [Residual(rngs) for _ in range(2)]
            self.head = nnx.Linear(channels, classes, rngs=rngs)

        def __call__(self, x):
            h = nnx.relu(self.stem(x))
            for block in self.blocks:
                h = block(h)
            return self.head(h.mean(axis=(1, 2)))

    graphdef, params = nnx.split(ConvNet(nnx.Rngs(0)), nnx.Param)
    rng = np.random.default_rng(0)
    images = rng.standard_normal((batch, hw, hw, 3)).astype(np.float32)
    labels = rng.integers(0, classes, batch).astype(np.int32)
    tx = optax.sgd(0.01, momentum=0.9)
    opt_state = tx.init(params)

    def loss(params, images, labels):
        return xent(nnx.merge(graphdef, params)(images), labels)

    def step(params, opt_state, images, labels):
        value, grads = jax.value_and_grad(loss)(params, images, labels)
        updates, opt_state = tx.update(grads, opt_state, params)
        return value, optax.apply_updates(params, updates), opt_state

    return (f"convnet step {batch}x{hw}x{hw}x{channels}", step,
            (params, opt_state, images, labels))
