"""The frontend's costs (issue 3), hlox vs JAX in one run.

    python benchmarks/frontend.py [--repeat 5] [--calls 20000]

1. Tracing + compile time of a 3-layer MLP training step (``value_and_grad``
   of a mean-squared-error loss and an SGD update of the parameter pytree,
   under ``jit``): "trace+lower" is ``jit(step).lower(...)`` (tracing and
   StableHLO emission), "compile" is ``.compile()`` (hlox: our pass pipeline
   and LLVM; JAX: XLA). A new function object per repetition and hlox's
   in-memory compile cache emptied before each (the module text repeats), so
   that no cache helps; the best of ``--repeat``.
2. Per-call overhead of a cached ``jit`` call on small arrays: the time of one
   call of an already-compiled function (best mean over ``--calls`` calls), for
   one and three NumPy array arguments, three arguments that are the library's own
   arrays (results of a previous jitted call) and the MLP step (pytree arguments).

Prints a table with ratios (hlox / JAX; < 1 means hlox is faster). Not a test:
nothing here asserts a time (see DESIGN.md, "Benchmarks, not timed tests").
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import hlox
import hlox.numpy as hnp
from hlox.backends import compile_cache

SIZES = (32, 64, 64, 10)  # input, hidden, hidden, output of the MLP
BATCH = 16
LEARNING_RATE = 0.01


def make_step(np_module, value_and_grad, tree_map):
    """A new MLP training step function (a new object each call: no cache hits)."""

    def predict(params, x):
        for i, (w, b) in enumerate(params):
            x = np_module.matmul(x, w) + b
            if i < len(params) - 1:
                x = np_module.maximum(x, 0.0)
        return x

    def loss(params, x, y):
        err = predict(params, x) - y
        return np_module.mean(err * err)

    def step(params, x, y):
        value, grads = value_and_grad(loss)(params, x, y)
        return value, tree_map(lambda p, g: p - LEARNING_RATE * g, params, grads)

    return step


def init(seed=0):
    rng = np.random.default_rng(seed)
    params = [(rng.standard_normal((m, n)).astype(np.float32) / np.float32(np.sqrt(m)),
               np.zeros(n, np.float32)) for m, n in zip(SIZES[:-1], SIZES[1:])]
    x = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    y = rng.standard_normal((BATCH, SIZES[-1])).astype(np.float32)
    return params, x, y


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def per_call(fn, args, calls: int, repeat: int) -> float:
    for _ in range(min(calls, 1000)):  # warm up
        fn(*args)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(calls):
            fn(*args)
        times.append((time.perf_counter() - start) / calls)
    return min(times)


def compile_times(jit, step_factory, args, repeat, before_compile=lambda: None):
    lower_t, compile_t = [], []
    for _ in range(repeat):
        before_compile()
        jitted = jit(step_factory())
        start = time.perf_counter()
        lowered = jitted.lower(*args)
        if hasattr(lowered, "as_text"):
            lowered.as_text()  # hlox emits StableHLO lazily; JAX already has it
        mid = time.perf_counter()
        lowered.compile()
        end = time.perf_counter()
        lower_t.append(mid - start)
        compile_t.append(end - mid)
    return min(lower_t), min(compile_t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--calls", type=int, default=20000)
    args = parser.parse_args()

    import jax
    import jax.numpy as jnp

    params, x, y = init()
    rows = []

    # 1. Tracing + compile of the MLP training step.
    def hlox_factory():
        return make_step(hnp, hlox.value_and_grad, hlox.tree_util.tree_map)

    def jax_factory():
        return make_step(jnp, jax.value_and_grad, jax.tree_util.tree_map)

    h_lower, h_compile = compile_times(hlox.jit, hlox_factory, (params, x, y), args.repeat,
                                       before_compile=compile_cache.clear_memory)
    j_lower, j_compile = compile_times(jax.jit, jax_factory, (params, x, y), args.repeat)
    rows.append(("MLP step: trace + lower", h_lower * 1e3, j_lower * 1e3, "ms"))
    rows.append(("MLP step: compile", h_compile * 1e3, j_compile * 1e3, "ms"))
    rows.append(("MLP step: total", (h_lower + h_compile) * 1e3, (j_lower + j_compile) * 1e3,
                 "ms"))

    # The two agree (so that the timings compare the same program).
    h_step, j_step = hlox.jit(hlox_factory()), jax.jit(jax_factory())
    h_value, h_params = h_step(params, x, y)
    j_value, j_params = j_step(params, x, y)
    np.testing.assert_allclose(h_value, j_value, rtol=1e-4)
    for a, b in zip(hlox.tree_util.tree_leaves(h_params), jax.tree_util.tree_leaves(j_params)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)

    # 2. Per-call overhead of cached calls.
    small = np.ones((3, 4), np.float32)
    cases = [
        ("call: a + 1, f32[3,4]", lambda a: a + 1, (small,)),
        ("call: a * b + c, 3 x f32[3,4]", lambda a, b, c: a * b + c, (small, small, small)),
    ]
    for name, fn, fargs in cases:
        h, j = hlox.jit(fn), jax.jit(fn)
        t_h = per_call(h, fargs, args.calls, args.repeat)
        t_j = per_call(lambda *a: j(*a).block_until_ready(), fargs, args.calls, args.repeat)
        rows.append((name, t_h * 1e6, t_j * 1e6, "us"))
    # Arguments that are each library's own arrays, results of a previous call (on the
    # device: the call hands their buffers over, nothing goes through the host).
    fn = lambda a, b, c: a * b + c  # noqa: E731
    h, j = hlox.jit(fn), jax.jit(fn)
    h_args = tuple(hlox.jit(lambda a: a + 0)(small) for _ in range(3))
    j_args = tuple(jax.jit(lambda a: a + 0)(small) for _ in range(3))
    t_h = per_call(h, h_args, args.calls, args.repeat)
    t_j = per_call(lambda *a: j(*a).block_until_ready(), j_args, args.calls, args.repeat)
    rows.append(("call: a * b + c, 3 x Array args", t_h * 1e6, t_j * 1e6, "us"))
    calls = max(args.calls // 10, 100)
    t_h = per_call(h_step, (params, x, y), calls, args.repeat)
    t_j = per_call(lambda *a: jax.block_until_ready(j_step(*a)), (params, x, y), calls,
                   args.repeat)
    rows.append(("call: MLP step (pytree args)", t_h * 1e6, t_j * 1e6, "us"))

    print(f"hlox {hlox.__version__} vs jax {jax.__version__} (XLA CPU); MLP {SIZES}, "
          f"batch {BATCH}; best of {args.repeat}")
    print(f"{'':34} {'hlox':>10} {'jax':>10} {'hlox/jax':>9}")
    for name, t_h, t_j, unit in rows:
        print(f"{name:34} {t_h:8.2f}{unit:>2} {t_j:8.2f}{unit:>2} {t_h / t_j:9.2f}")


if __name__ == "__main__":
    main()
