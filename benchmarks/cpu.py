"""hlox's CPU backend vs JAX (XLA CPU) vs numpy, side by side in one process.

    python benchmarks/cpu.py [--only selu matmul ...] [--repeat 20] [--quick]
                             [--pipeline-of GIT_REV] [--peak GFLOPS] [--bandwidth GBS]
                             [--json FILE]

Workloads (issues 4 and 12): selu on 1M float32, a vmap'd squared distance
over 10000x2 points, an MLP training step (value_and_grad + SGD), matmul
256..2048 (float32; bfloat16 accumulating in float32), softmax and layernorm
on 4096x1024, the first path's layer exp(x @ w) * 2 + x, a GELU MLP, causal
attention, a ResNet-style conv block, row sums and maxima, a 512-step RNN
``scan``, a ``scan`` whose body costs next to nothing (ns per iteration) and
a 1M sort, and whole training steps of Flax NNX models with Optax (a
transformer block with AdamW, a residual conv net with SGD + momentum;
benchmarks/training_models.py, whose compile times benchmarks/compile_time.py
details). Each is written once with hlox's frontend
(``hlox.jit``, ``hlox.vmap``, ``hlox.value_and_grad``) where the frontend has
the ops, and otherwise as JAX's own StableHLO run through hlox's passes with
``hlox.compile_stablehlo`` ("jax hlo").

Every hlox result is checked (against numpy, or XLA's result) before it is
timed; hlox, XLA (on device-resident arrays) and numpy are then called in
turn in one loop, and the median time per call of each is printed with the
ratios hlox/jax and hlox/numpy (below 1: hlox is faster), GFLOP/s and the
fraction of the FMA peak for contractions, GB/s and the fraction of the
bandwidth for memory-bound kernels (both measured by benchmarks/peak.py: the
last-level cache's bandwidth for a workload whose bytes fit in it,
"L3", otherwise the memory's, "DRAM"), the compile times and their ratio (both
until the code is ready to run: hlox's includes LLVM's code generation, which
its JIT used to defer to the first call), ``kernels``: the loop nests hlox runs
as kernels of their own / the fusions XLA forms (its optimized HLO's ``fusion``
instructions), and the load average (other processes on the machine skew
everything). ``--json`` also writes every row with XLA's cost analysis (flops,
bytes accessed) and the ceilings, which benchmarks/roofline.py plots.
``--pipeline-of REV`` runs
hlox with the CPU pass pipeline of another git revision (before/after tables:
the passes it names must still exist). Not a test: nothing here asserts a
time (DESIGN.md, "Benchmarks, not timed tests").
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import os
import re
import statistics
import subprocess
from dataclasses import dataclass
from typing import Callable

# NumPy's OpenBLAS threads spin for ~0.1 s after each of its matmuls, on the
# cores the next timed call (hlox's, interleaved right after NumPy's) needs:
# matmul 2048 measured 1.5x XLA that way, 1.03x with them put to sleep at once.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

import numpy as np  # noqa: E402

import ml_dtypes
from mlir import ir

import hlox
import hlox.numpy as hnp
from hlox import lax
from timing import interleaved_medians, timed  # benchmarks/timing.py

try:
    import jax
    import jax.numpy as jnp
except ImportError:  # the JAX column is then empty
    jax = jnp = None

BF16 = ml_dtypes.bfloat16


@dataclass
class Workload:
    name: str
    args: tuple
    numpy_fn: Callable | None
    jax_fn: Callable | None  # plain Python function on jax arrays
    hlox_fn: Callable | None = None  # hlox frontend version; None: JAX's StableHLO
    rtol: float = 1e-4
    atol: float = 1e-4
    flops: float = 0.0  # per call, for contractions (GFLOP/s and fraction of peak)
    traffic: float = 0.0  # bytes read + written per call, for memory-bound kernels
    steps: int = 0  # loop iterations per call, for loops (ns per iteration)


# --------------------------------------------------------------------------
# Workloads
# --------------------------------------------------------------------------

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def selu_hlox(x):
    negative = SELU_ALPHA * (hnp.exp(x) - 1.0)
    return SELU_SCALE * lax.select(lax.gt(x, hnp.zeros_like(x)), x, negative)


def selu_jax(x):
    return SELU_SCALE * jnp.where(x > 0, x, SELU_ALPHA * (jnp.exp(x) - 1.0))


def selu_numpy(x):
    return np.float32(SELU_SCALE) * np.where(x > 0, x, np.float32(SELU_ALPHA) * (np.exp(x) - 1))


def sqdist_hlox(p, c):
    d = p - c
    return hnp.sum(d * d)


def sqdist_jax(p, c):
    d = p - c
    return jnp.sum(d * d)


def mlp_loss(params, x, y, np_mod, relu):
    h = x
    for i, (w, b) in enumerate(params):
        h = np_mod.matmul(h, w) + b
        if i < len(params) - 1:
            h = relu(h)
    d = h - y
    return np_mod.mean(d * d)


def sgd_step(value_and_grad, loss):
    def step(params, x, y):
        value, grads = value_and_grad(loss)(params, x, y)
        new = [(w - 0.01 * gw, b - 0.01 * gb) for (w, b), (gw, gb) in zip(params, grads)]
        return value, new
    return step


def mlp_numpy_step(params, x, y):
    """The same step by hand (the reference the others are checked against)."""
    acts, h = [x], x
    for i, (w, b) in enumerate(params):
        h = h @ w + b
        if i < len(params) - 1:
            h = np.maximum(h, 0)
        acts.append(h)
    d = h - y
    value = np.mean(d * d)
    g = 2 * d / d.size
    new = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        w, b = params[i]
        if i < len(params) - 1:
            g = g * (acts[i + 1] > 0)
        gw, gb = acts[i].T @ g, g.sum(0)
        g = g @ w.T
        new[i] = (w - np.float32(0.01) * gw, b - np.float32(0.01) * gb)
    return value, new


def softmax_numpy(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def layernorm_numpy(x, g, b):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + np.float32(1e-5)) * g + b


def layernorm_jax(x, g, b):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) * jax.lax.rsqrt(var + 1e-5) * g + b


def layer_hlox(x, w):
    return hnp.exp(x @ w) * 2.0 + x


def workloads(quick: bool) -> list[Workload]:
    rng = np.random.default_rng(0)

    def normal(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    out = []
    x = normal(1_000_000)
    out.append(Workload("selu 1M", (x,), selu_numpy, selu_jax, selu_hlox,
                        traffic=2 * x.nbytes))

    points, centre = normal(10000, 2), np.array([0.5, -0.25], np.float32)
    out.append(Workload(
        "vmap sqdist 10000x2", (points, centre),
        lambda p, c: ((p - c) ** 2).sum(axis=1),
        jax and (lambda p, c: jax.vmap(sqdist_jax, in_axes=(0, None))(p, c)),
        hlox.vmap(sqdist_hlox, in_axes=(0, None))))

    width, batch = (256, 64) if quick else (512, 128)
    sizes = [784, width, width, 10]
    params = [(normal(m, n, scale=1 / np.sqrt(m)), np.zeros(n, np.float32))
              for m, n in zip(sizes[:-1], sizes[1:])]
    xb, yb = normal(batch, sizes[0]), normal(batch, sizes[-1])
    out.append(Workload(
        f"mlp step b{batch} w{width}", (params, xb, yb), mlp_numpy_step,
        jax and sgd_step(jax.value_and_grad,
                         lambda p, x, y: mlp_loss(p, x, y, jnp, jax.nn.relu)),
        sgd_step(hlox.value_and_grad,
                 lambda p, x, y: mlp_loss(p, x, y, hnp, lambda h: hnp.maximum(h, 0.0))),
        rtol=1e-3, atol=1e-4,
        flops=3 * 2 * batch * sum(m * n for m, n in zip(sizes[:-1], sizes[1:]))))

    for n in ([256, 512] if quick else [256, 512, 1024, 2048]):
        a, b = normal(n, n), normal(n, n)
        out.append(Workload(f"matmul {n}", (a, b), np.matmul, jax and jnp.matmul,
                            hnp.matmul, rtol=1e-3, atol=1e-3 * np.sqrt(n), flops=2 * n ** 3))

    rows = 1024 if quick else 4096
    x = normal(rows, 1024)
    out.append(Workload(f"softmax {rows}x1024", (x,), softmax_numpy,
                        jax and (lambda x: jax.nn.softmax(x, axis=-1)), None, atol=1e-6,
                        traffic=2 * x.nbytes))
    g, b = normal(1024), normal(1024)
    out.append(Workload(f"layernorm {rows}x1024", (x, g, b), layernorm_numpy,
                        jax and layernorm_jax, None, rtol=1e-3, atol=1e-4,
                        traffic=2 * x.nbytes))

    n = 512
    x, w = rng.uniform(-1, 1, (n, n)).astype(np.float32), normal(n, n, scale=1 / n)
    out.append(Workload(f"first path {n}", (x, w),
                        lambda x, w: np.exp(x @ w) * np.float32(2) + x,
                        jax and (lambda x, w: jnp.exp(x @ w) * 2.0 + x), layer_hlox))
    out.extend(issue12_workloads(rng, normal, quick))
    return out


def gelu_mlp_jax(x, w1, b1, w2, b2):
    return jax.nn.gelu(x @ w1 + b1) @ w2 + b2


def causal_attention_jax(x, wq, wk, wv, wo, heads):
    batch, seq, width = x.shape
    split = lambda t: t.reshape(batch, seq, heads, width // heads)  # noqa: E731
    q, k, v = split(x @ wq), split(x @ wk), split(x @ wv)
    scores = jnp.einsum("bqhd,bkhd->bhqk", q, k) / np.sqrt(width // heads)
    causal = jnp.tril(jnp.ones((seq, seq), bool))
    scores = jnp.where(causal, scores, -1e30)
    out = jnp.einsum("bhqk,bkhd->bqhd", jax.nn.softmax(scores, axis=-1), v)
    return out.reshape(batch, seq, width) @ wo


def conv_block_jax(x, w1, b1, w2, b2):
    conv = lambda h, w: jax.lax.conv_general_dilated(  # noqa: E731
        h, w, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))
    h = jax.nn.relu(conv(x, w1) + b1)
    return jax.nn.relu(conv(h, w2) + b2 + x)


def rnn_scan_jax(h0, xs, w, u):
    def cell(h, x):
        h = jnp.tanh(h @ w + x @ u)
        return h, h.sum()
    return jax.lax.scan(cell, h0, xs)


def tiny_scan_jax(h0, xs):
    def cell(h, x):
        h = h * 0.5 + x
        return h, h[0]
    return jax.lax.scan(cell, h0, xs)


def issue12_workloads(rng, normal, quick: bool) -> list[Workload]:
    """Issue 12's workloads, through JAX's StableHLO (checked against XLA's results)."""
    out = []
    rows, width, hidden = (64, 256, 1024) if quick else (256, 1024, 4096)
    args = (normal(rows, width), normal(width, hidden, scale=width ** -0.5), normal(hidden),
            normal(hidden, width, scale=hidden ** -0.5), normal(width))
    out.append(Workload(f"gelu mlp {rows}x{width}x{hidden}", args, None,
                        jax and gelu_mlp_jax, rtol=1e-3, atol=1e-3,
                        flops=2 * 2 * rows * width * hidden))
    for n in ([512] if quick else [1024, 2048]):
        a, b = normal(n, n).astype(BF16), normal(n, n).astype(BF16)
        out.append(Workload(f"matmul {n} bf16", (a, b), None,
                            jax and (lambda a, b: jnp.matmul(
                                a, b, preferred_element_type=jnp.float32)),
                            rtol=1e-2, atol=1e-2 * np.sqrt(n), flops=2 * n ** 3))
    batch, seq, width, heads = (2, 128, 256, 8) if quick else (4, 256, 512, 8)
    ws = [normal(width, width, scale=width ** -0.5) for _ in range(4)]
    out.append(Workload(f"causal attention {batch}x{seq}x{width} h{heads}",
                        (normal(batch, seq, width), *ws), None,
                        jax and (lambda x, *w: causal_attention_jax(x, *w, heads)),
                        rtol=1e-3, atol=1e-3,
                        flops=2 * batch * seq * width * width * 4
                        + 2 * 2 * batch * seq * seq * width))
    n, hw, c = (2, 16, 32) if quick else (8, 32, 64)
    args = (normal(n, hw, hw, c), normal(3, 3, c, c, scale=(9 * c) ** -0.5), normal(c),
            normal(3, 3, c, c, scale=(9 * c) ** -0.5), normal(c))
    out.append(Workload(f"conv block {n}x{hw}x{hw}x{c}", args, None, jax and conv_block_jax,
                        rtol=1e-3, atol=1e-3, flops=2 * 2 * n * hw * hw * c * c * 9))
    rows = 1024 if quick else 4096
    x = normal(rows, 1024)
    out.append(Workload(f"row sums {rows}x1024", (x,), lambda x: x.sum(axis=1),
                        jax and (lambda x: x.sum(axis=1)), rtol=1e-4, atol=1e-3,
                        traffic=x.nbytes + 4 * rows))
    out.append(Workload(f"row max {rows}x1024", (x,), lambda x: x.max(axis=1),
                        jax and (lambda x: x.max(axis=1)), traffic=x.nbytes + 4 * rows))
    steps, batch, width = (64, 8, 64) if quick else (512, 8, 256)
    args = (normal(batch, width), normal(steps, batch, width),
            normal(width, width, scale=width ** -0.5), normal(width, width, scale=width ** -0.5))
    out.append(Workload(f"rnn scan {steps} steps b{batch} w{width}", args, None,
                        jax and rnn_scan_jax, rtol=1e-3, atol=1e-3,
                        flops=steps * 2 * 2 * batch * width * width))
    # A loop whose body costs next to nothing: what each iteration costs the loop.
    steps = 10_000 if quick else 100_000
    out.append(Workload(f"scan tiny body {steps} steps w8", (normal(8), normal(steps, 8)),
                        None, jax and tiny_scan_jax, rtol=1e-5, atol=1e-5, steps=steps))
    n = 1 << (16 if quick else 20)
    x = normal(n)
    # (No bandwidth for sort: n log n comparisons, not a streaming kernel.)
    out.append(Workload(f"sort {n}", (x,), np.sort, jax and jnp.sort))
    out.extend(training_step_workloads(quick))
    return out


def training_step_workloads(quick: bool) -> list[Workload]:
    """Whole training steps of Flax NNX models with Optax (benchmarks/training_models.py):
    a transformer block with AdamW and a residual conv net with SGD + momentum."""
    try:
        from training_models import convnet_step, gpt_workloads
    except ImportError:  # flax or optax missing: no training steps
        return []
    steps = [gpt_workloads(1, 64 if quick else 128)[-1],
             convnet_step(*((4, 16, 16) if quick else (16, 32, 32)))]
    return [Workload(name, args, None, fn, rtol=2e-3, atol=2e-4) for name, fn, args in steps]


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------


def flat(tree) -> list[np.ndarray]:
    if jax is not None:  # any pytree (a training step's parameters, optimizer state)
        return [np.asarray(leaf) for leaf in jax.tree_util.tree_leaves(tree)]
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in flat(item)]
    return [np.asarray(tree)]


def hlox_kernels(compiled) -> int:
    """The loop nests hlox compiled into kernels of their own (hlox-cpu-outline-loops:
    ``__hlox_parallel_N`` on the thread pool, ``__hlox_loop_N`` serial)."""
    module = compiled.executable._module  # the ExecutionEngine's (LLVM dialect) module
    names = (ir.StringAttr(op.attributes["sym_name"]).value for op in module.body.operations
             if "sym_name" in op.attributes)
    return sum(1 for name in names if re.fullmatch(r"__hlox_(parallel|loop)_\d+", name))


def xla_fusions(compiled) -> int:
    """The fusions XLA forms (``fusion`` instructions in its optimized HLO)."""
    return len(re.findall(r"\bfusion\(", compiled.as_text()))


def compile_hlox(w: Workload):
    """``(callable on w.args, compile seconds, how, kernels)``."""
    if w.hlox_fn is not None:
        lowered, t_trace = timed(lambda: hlox.jit(w.hlox_fn).lower(*w.args))
        compiled, t_compile = timed(lambda: lowered.compile())
        return compiled, t_trace + t_compile, "hlox", hlox_kernels(compiled)
    text = jax.jit(w.jax_fn).lower(*w.args).as_text()
    compiled, t_compile = timed(lambda: hlox.compile_stablehlo(text, backend="cpu"))
    leaves = jax.tree_util.tree_leaves(w.args)
    return (lambda *_: compiled(*leaves)), t_compile, "jax hlo", hlox_kernels(compiled)


def run(w: Workload, repeat: int, budget: float) -> dict:
    """Compiles ``w`` on hlox and XLA, checks hlox's result (against numpy, or XLA's
    where the workload has no numpy version), then times hlox, XLA (on
    device-resident arrays) and numpy interleaved."""
    row = {"name": w.name}
    hlox_fn, row["hlox compile"], row["how"], row["kernels"] = compile_hlox(w)
    fns = {"hlox": lambda: hlox_fn(*w.args)}
    row["jax"] = row["jax compile"] = row["numpy"] = float("nan")
    row["fusions"] = "-"
    if jax is not None:
        jitted, row["jax compile"] = timed(lambda: jax.jit(w.jax_fn).lower(*w.args).compile())
        row["xla cost"] = xla_cost(jitted)
        row["fusions"] = xla_fusions(jitted)
        device_args = jax.device_put(w.args)
        fns["jax"] = lambda: jax.block_until_ready(jitted(*device_args))
    if w.numpy_fn is not None:
        fns["numpy"] = lambda: w.numpy_fn(*w.args)
    expected = flat(w.numpy_fn(*w.args) if w.numpy_fn is not None else fns["jax"]())
    got = flat(hlox_fn(*w.args))
    assert len(got) == len(expected), (w.name, len(got), len(expected))
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.astype(np.float64), np.asarray(e).astype(np.float64),
                                   rtol=w.rtol, atol=w.atol, err_msg=w.name)
    row.update(interleaved_medians(fns, repeat, budget))
    return row


def xla_cost(compiled) -> dict:
    """XLA's own count of ``flops`` and ``bytes accessed`` per call of ``compiled``
    (a list of one dict in older jaxlibs; empty where XLA gives none)."""
    try:
        cost = compiled.cost_analysis()
    except Exception:  # noqa: BLE001  (a cost analysis is optional information)
        return {}
    if isinstance(cost, (list, tuple)):
        cost = cost[0] if cost else {}
    return {key: float(cost[key]) for key in ("flops", "bytes accessed") if key in (cost or {})}


@dataclass
class Ceilings:
    """This machine's ceilings (benchmarks/peak.py): FMA peak in GFLOP/s, memory and
    last-level-cache read bandwidth in GB/s, and that cache's size in bytes."""
    peak: float
    dram: float
    cache: float = 0.0
    cache_bytes: int = 0

    def bandwidth_for(self, traffic: float) -> tuple[float, str]:
        """The bandwidth a kernel moving ``traffic`` bytes per call can reach: the
        cache's when they fit in it (they stay there from one call to the next)."""
        if self.cache and traffic <= self.cache_bytes:
            return self.cache, "L3"
        return self.dram, "DRAM"


def rate(w: Workload, seconds: float, ceilings: Ceilings,
         jax_seconds: float = float("nan")) -> str:
    """GFLOP/s and fraction of peak (contractions), GB/s and fraction of bandwidth
    (memory-bound kernels), or ns per iteration next to XLA's (loops)."""
    if w.steps:
        return (f"{seconds / w.steps * 1e9:7.1f} ns/iter (xla "
                f"{jax_seconds / w.steps * 1e9:.1f})")
    if w.flops:
        gflops = w.flops / seconds / 1e9
        return f"{gflops:7.1f} GF/s {gflops / ceilings.peak:4.0%}"
    if w.traffic:
        gbs = w.traffic / seconds / 1e9
        bandwidth, level = ceilings.bandwidth_for(w.traffic)
        return f"{gbs:7.1f} GB/s {gbs / bandwidth:4.0%} {level}"
    return ""


def use_pipeline_of(rev: str) -> None:
    """Makes the CPU backend run ``PIPELINE`` as backends/cpu/backend.py has it at ``rev``
    (as backends/cpu.py has it for revisions before the cpu package), without
    hlox-fuse in the shared stage if that pipeline does not lower its regions."""
    from hlox.backends.cpu import backend as cpu

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        source = subprocess.check_output(
            ["git", "-C", root, "show", f"{rev}:backends/cpu/backend.py"], text=True,
            stderr=subprocess.DEVNULL)
    except subprocess.CalledProcessError:
        source = subprocess.check_output(["git", "-C", root, "show", f"{rev}:backends/cpu.py"],
                                         text=True)
    start = source.index("= [", source.index("PIPELINE: list[str]")) + 2
    end = source.index("\n]\n", start) + 2
    cpu.PIPELINE[:] = ast.literal_eval(source[start:end])
    if not {"hlox-cpu-fuse-regions", "hlox-inline-fusions"} & set(cpu.PIPELINE):
        # (a pipeline from before hlox-fuse: no regions in the shared stage either)
        from hlox.backends import compiler

        compiler.SHARED_PIPELINE[:] = [p for p in compiler.SHARED_PIPELINE if p != "hlox-fuse"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", help="run workloads whose name contains one of these")
    parser.add_argument("--repeat", type=int, default=20, help="calls timed per workload (max)")
    parser.add_argument("--budget", type=float, default=2.0, help="seconds of timing per column")
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--peak", type=float,
                        help="FMA peak in GFLOP/s (default: measured by benchmarks/peak.py)")
    parser.add_argument("--bandwidth", type=float,
                        help="memory read bandwidth in GB/s (default: measured by "
                        "benchmarks/peak.py, with the last-level cache's)")
    parser.add_argument("--json", metavar="FILE",
                        help="also write the rows, XLA's cost analysis and the ceilings here "
                        "(for benchmarks/roofline.py)")
    parser.add_argument("--pipeline-of", metavar="REV",
                        help="run hlox with the CPU pipeline of this git revision")
    args = parser.parse_args()
    if args.pipeline_of:
        use_pipeline_of(args.pipeline_of)
        print(f"hlox CPU pipeline of {args.pipeline_of}")
    ceilings = measured_ceilings(args.peak, args.bandwidth)
    print(f"load average {os.getloadavg()[0]:.2f}; HLOX_CPU_THREADS="
          f"{os.environ.get('HLOX_CPU_THREADS', '(unset)')}; peak {ceilings.peak} GFLOP/s, "
          f"bandwidth {ceilings.dram} GB/s (DRAM), {ceilings.cache} GB/s "
          f"({ceilings.cache_bytes >> 20} MiB L3)")
    # Warm up both compilers (one-time loading and registration is not compile time).
    if jax is not None:
        warm = jax.jit(lambda x: jnp.tanh(x) @ x).lower(np.ones((64, 64), np.float32))
        warm.compile()
        hlox.compile_stablehlo(warm.as_text(), backend="cpu")
    header = (f"{'workload':<34} {'via':<8} {'hlox ms':>9} {'jax ms':>9} {'numpy ms':>9} "
              f"{'hlox/jax':>9} {'hlox/np':>8} {'compile s':>10} {'jax cmp s':>10} "
              f"{'cmp ratio':>9} {'kernels':>8}  hlox rate")
    print(header)
    print("-" * len(header))
    ratios, rows = [], []
    for w in workloads(args.quick):
        if args.only and not any(s in w.name for s in args.only):
            continue
        r = run(w, args.repeat, args.budget)
        rows.append(dict(r, flops=w.flops, traffic=w.traffic))
        ratios.append(r["hlox"] / r["jax"])
        print(f"{r['name']:<34} {r['how']:<8} {r['hlox'] * 1e3:>9.3f} {r['jax'] * 1e3:>9.3f} "
              f"{r['numpy'] * 1e3:>9.3f} {r['hlox'] / r['jax']:>9.2f} "
              f"{r['hlox'] / r['numpy']:>8.2f} {r['hlox compile']:>10.2f} "
              f"{r['jax compile']:>10.2f} {r['hlox compile'] / r['jax compile']:>9.2f} "
              f"{str(r['kernels']) + '/' + str(r['fusions']):>8}  "
              f"{rate(w, r['hlox'], ceilings, r['jax'])}", flush=True)
    if ratios:
        print(f"geometric mean hlox/jax: {statistics.geometric_mean(ratios):.2f} "
              f"(load average {os.getloadavg()[0]:.2f})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ceilings": dataclasses.asdict(ceilings), "load": os.getloadavg()[0],
                       "rows": rows}, f, indent=1)
        print(f"rows written to {args.json} (plot: python benchmarks/roofline.py {args.json})")


def measured_ceilings(peak_gflops: float | None, dram_gbs: float | None) -> Ceilings:
    """The ceilings given on the command line, the rest measured by benchmarks/peak.py."""
    import peak  # benchmarks/peak.py, next to this file

    measured = peak.measure(len(os.sched_getaffinity(0)), seconds=0.5)
    return Ceilings(peak=peak_gflops or measured["fma"], dram=dram_gbs or measured["read"],
                    cache=measured.get("cache_read", 0.0),
                    cache_bytes=int(measured.get("cache_bytes", 0)))


if __name__ == "__main__":
    main()
