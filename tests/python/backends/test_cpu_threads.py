"""The CPU backend's thread pool: parallel kernels give the serial results.

Each program is large enough for hlox-cpu-outline-loops to run its loops on
the pool (libhlox_cpu_runtime's hlox_rt_parallel_for). The pool is made once
per process with HLOX_CPU_THREADS threads, so each thread count runs in a
subprocess; their results must be bitwise equal (chunks split only
independent outputs, no reduction) and match JAX.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import hlox
from hlox.backends.cpu.backend import runtime_libraries

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

PROGRAMS = textwrap.dedent("""
    import sys
    import numpy as np
    import jax, jax.numpy as jnp
    import hlox

    rng = np.random.default_rng(0)
    x = rng.standard_normal((512, 384)).astype(np.float32)
    w = (rng.standard_normal((384, 256)) / 20).astype(np.float32)
    programs = [
        (lambda x: jax.nn.softmax(x, axis=-1), (x,)),
        (lambda x, w: jnp.tanh(x @ w) + 1.0, (x, w)),
        (lambda x: (x.sum(axis=1), x.max(axis=0)), (x,)),
        (lambda x: jnp.einsum("bij,bkj->bik", x.reshape(8, 64, 384), x.reshape(8, 64, 384)),
         (x,)),
    ]
    results = []
    for fn, args in programs:
        text = jax.jit(fn).lower(*args).as_text()
        results += [np.asarray(r) for r in hlox.compile_stablehlo(text, backend="cpu")(*args)]
    np.savez(sys.argv[1], *results)
""")


def run_with_threads(threads: int, out) -> list[np.ndarray]:
    env = dict(os.environ, HLOX_CPU_THREADS=str(threads))
    subprocess.run([sys.executable, "-c", PROGRAMS, str(out)], env=env, check=True,
                   timeout=600)
    with np.load(out) as data:
        return [data[f"arr_{i}"] for i in range(len(data.files))]


def test_results_do_not_depend_on_the_thread_count(tmp_path):
    serial = run_with_threads(1, tmp_path / "one.npz")
    for threads in (2, 3):
        parallel = run_with_threads(threads, tmp_path / f"{threads}.npz")
        assert len(parallel) == len(serial)
        for a, b in zip(parallel, serial):
            np.testing.assert_array_equal(a, b)


def test_parallel_kernels_match_jax():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1024, 512)).astype(np.float32)
    w = (rng.standard_normal((512, 256)) / 20).astype(np.float32)

    def fn(x, w):
        h = jax.nn.gelu(x @ w)
        return jax.nn.softmax(h, axis=-1), h.sum(axis=1)

    text = jax.jit(fn).lower(x, w).as_text()
    ours = hlox.compile_stablehlo(text, backend="cpu")(x, w)
    theirs = jax.jit(fn)(x, w)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-5, atol=2e-5)


def test_concurrent_callers_share_the_pool():
    """Calls from several Python threads at once (the pool runs one kernel at a
    time; the others run on their callers) all give the right results."""
    x = np.random.default_rng(2).standard_normal((2048, 512)).astype(np.float32)
    text = jax.jit(lambda x: jnp.exp(x) * 2.0 + x).lower(x).as_text()
    executable = hlox.compile_stablehlo(text, backend="cpu")
    expected = np.asarray(executable(x)[0])
    failures = []

    def call():
        for _ in range(10):
            got = np.asarray(executable(x)[0])
            if not np.array_equal(got, expected):
                failures.append(got)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    np.testing.assert_allclose(expected, np.exp(x) * 2 + x, rtol=1e-6, atol=1e-6)


def test_thread_count_comes_from_the_environment():
    library = runtime_libraries()[-1]
    script = textwrap.dedent(f"""
        import ctypes
        lib = ctypes.CDLL({library!r})
        lib.hlox_rt_num_threads.restype = ctypes.c_int64
        print(lib.hlox_rt_num_threads())
    """)
    for value, expected in (("3", 3), ("1", 1), ("junk", len(os.sched_getaffinity(0)))):
        env = dict(os.environ, HLOX_CPU_THREADS=value)
        out = subprocess.run([sys.executable, "-c", script], env=env, check=True,
                             capture_output=True, text=True, timeout=60).stdout
        assert int(out) == expected, (value, out)


def test_the_runtime_library_runs_every_iteration_once():
    """hlox_rt_parallel_for covers [0, n) exactly, in chunks of at least min_chunk."""
    lib = ctypes.CDLL(runtime_libraries()[-1])
    body_type = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64)
    lib.hlox_rt_parallel_for.argtypes = [body_type, ctypes.c_void_p, ctypes.c_int64,
                                         ctypes.c_int64]
    for n, min_chunk in ((1, 1), (7, 1), (1000, 3), (1000, 600), (0, 1)):
        counts = np.zeros(n, np.int64)
        chunks = []

        def body(_, begin, end):
            chunks.append((begin, end))
            counts[begin:end] += 1

        lib.hlox_rt_parallel_for(body_type(body), None, n, min_chunk)
        np.testing.assert_array_equal(counts, np.ones(n, np.int64))
        assert all(end - begin >= min(min_chunk, n) for begin, end in chunks), chunks
