"""Compile time of whole training steps: hlox's CPU backend vs XLA, and what outlining buys.

    python benchmarks/compile_time.py [--blocks 2] [--width 128] [--only gpt ...]
                                      [--pipeline-of REV | --no-other] [--run]

Workloads (issue 12, "Compile time"): a GPT-style decoder (Flax NNX: token and
position embeddings, pre-norm blocks of causal multi-head attention and a GELU
MLP, tied logits) as its loss, the loss's value_and_grad, and a full training
step with optax.adamw, plus an MLP training step. Each is lowered by JAX
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
import optax  # noqa: E402
from flax import nnx  # noqa: E402


def gpt_model(blocks: int, width: int, heads: int, vocab: int, seq: int):
    class Block(nnx.Module):
        def __init__(self, rngs):
            self.ln1 = nnx.LayerNorm(width, rngs=rngs)
            self.attn = nnx.MultiHeadAttention(num_heads=heads, in_features=width,
                                               decode=False, rngs=rngs)
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
    workloads = [mlp_step()] + gpt_workloads(args.blocks, args.width)
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
