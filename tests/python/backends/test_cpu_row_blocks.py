"""Row reductions and their readers as one loop over row blocks (hlox-cpu-fuse-regions,
passes/native/CpuRowBlocks.cpp), with the codegen behind them: exp's FMAs
(hlox-cpu-math-approximations), a row's divisor inverted once
(hlox-cpu-reciprocal-divisors), 512-bit loops (hlox-cpu-vector-width).

Against JAX (XLA) on shapes the blocks do not divide (one row, odd row lengths,
a prime number of rows, a batch dimension) and every float dtype; the NaN and
signed-zero semantics of a row maximum; results equal bit for bit on 1, 2 and
7 threads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import hlox

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
import ml_dtypes  # noqa: E402

SHAPES = [(1, 7), (1, 1024), (3, 5), (7, 1000), (13, 129), (257, 64), (2, 3, 17), (5, 2048)]


def layernorm(x):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) * jax.lax.rsqrt(var + 1e-5) * 1.5 + 0.25


PROGRAMS = {
    "softmax": lambda x: jax.nn.softmax(x, axis=-1),
    "log_softmax": lambda x: jax.nn.log_softmax(x, axis=-1),
    "layernorm": layernorm,
    "row sum": lambda x: x.sum(axis=-1),
    "row max": lambda x: x.max(axis=-1),
    "row min": lambda x: x.min(axis=-1),
    "divide by row sum": lambda x: x / jnp.abs(x).sum(axis=-1, keepdims=True),
}

# float32 results within a few ulps of XLA's (exp polynomials and sums in
# another order); the narrow types within a rounding of theirs.
TOLERANCE = {np.float32: 2e-5, np.float64: 1e-12, np.float16: 4e-3,
             ml_dtypes.bfloat16: 2e-2}


def run_both(fn, x):
    text = jax.jit(fn).lower(x).as_text()
    ours = hlox.compile_stablehlo(text, backend="cpu")(x)[0]
    return np.asarray(ours), np.asarray(jax.jit(fn)(x))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_row_programs_match_xla_float32(name, shape):
    x = np.random.default_rng(len(shape) + shape[-1]).standard_normal(shape).astype(np.float32)
    ours, theirs = run_both(PROGRAMS[name], x)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=TOLERANCE[np.float32],
                               atol=TOLERANCE[np.float32])


@pytest.mark.parametrize("dtype", [np.float16, ml_dtypes.bfloat16, np.float64],
                         ids=["f16", "bf16", "f64"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_row_programs_match_xla_other_floats(name, dtype, x64):
    x = np.random.default_rng(5).standard_normal((37, 300)).astype(dtype)
    ours, theirs = run_both(PROGRAMS[name], x)
    assert ours.dtype == theirs.dtype
    tol = TOLERANCE[dtype]
    np.testing.assert_allclose(ours.astype(np.float64), theirs.astype(np.float64),
                               rtol=tol, atol=tol)


def special_rows(dtype):
    """Rows whose maximum and minimum are NaN (at the start, the middle, the
    end; a negative NaN too), a signed zero, or an infinity."""
    n = 67
    rows = np.random.default_rng(0).standard_normal((12, n)).astype(dtype)
    rows[0, 0] = rows[1, n // 2] = rows[2, n - 1] = np.nan
    rows[3, 5] = -np.abs(np.array(np.nan, dtype))  # sign bit set
    rows[4] = -0.0
    rows[5] = -0.0
    rows[5, 40] = 0.0
    rows[6] = 0.0
    rows[6, 3] = -0.0
    rows[7] = -np.inf
    rows[8, 9] = np.inf
    rows[9] = -rows[9] ** 2 - 1  # all negative
    rows[10, 1] = np.inf
    rows[10, 2] = np.nan
    return rows


@pytest.mark.parametrize("dtype", [np.float32, np.float16, ml_dtypes.bfloat16])
@pytest.mark.parametrize("name", ["row max", "row min", "softmax"])
def test_nan_and_signed_zero_rows_as_xla(name, dtype):
    x = special_rows(dtype)
    ours, theirs = run_both(PROGRAMS[name], x)
    ours, theirs = ours.astype(np.float64), theirs.astype(np.float64)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    if name != "softmax":  # exact, zeros' signs included
        np.testing.assert_array_equal(ours, theirs)
        np.testing.assert_array_equal(np.signbit(ours[~np.isnan(ours)]),
                                      np.signbit(theirs[~np.isnan(theirs)]))
    else:
        np.testing.assert_allclose(ours, theirs, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


THREADED = textwrap.dedent("""
    import sys
    import numpy as np
    import jax, jax.numpy as jnp
    import hlox

    def layernorm(x):
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) * jax.lax.rsqrt(var + 1e-5)

    results = []
    for rows, n in ((1031, 700), (64, 4099)):  # rows not divisible by the block
        x = np.random.default_rng(rows).standard_normal((rows, n)).astype(np.float32)
        for fn in (lambda x: jax.nn.softmax(x, axis=-1), layernorm,
                   lambda x: (x.sum(axis=-1), x.max(axis=-1))):
            text = jax.jit(fn).lower(x).as_text()
            results += [np.asarray(r) for r in hlox.compile_stablehlo(text, backend="cpu")(x)]
    np.savez(sys.argv[1], *results)
""")


def test_row_blocks_do_not_depend_on_the_thread_count(tmp_path):
    outputs = []
    for threads in (1, 2, 7):
        out = tmp_path / f"{threads}.npz"
        subprocess.run([sys.executable, "-c", THREADED, str(out)], check=True, timeout=600,
                       env=dict(os.environ, HLOX_CPU_THREADS=str(threads)))
        with np.load(out) as data:
            outputs.append([data[f"arr_{i}"] for i in range(len(data.files))])
    for parallel in outputs[1:]:
        assert len(parallel) == len(outputs[0])
        for a, b in zip(parallel, outputs[0]):
            np.testing.assert_array_equal(a, b)
