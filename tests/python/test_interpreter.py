"""The reference interpreter (hlox.backends.interpreter) against JAX.

1. Every program of the JAX corpus (jax_programs.py) is lowered by JAX,
   run by the interpreter and compared with ``jax.jit(fn)`` on the same
   inputs. Tolerances per result dtype (TOL below): exact for integers and
   bools; for floats ``|got - want| <= atol * max|want| + rtol * |want|``
   (float32: rtol 1e-4, atol 1e-5; XLA fuses, reorders and approximates
   float math, and sums of mixed signs cancel).
2. Focused per-op tests for the tricky semantics (integer division and
   remainder edge cases, shifts beyond the bit width, rounding, conversions,
   total order, padding, convolution dimension numbers and groups, gather /
   scatter with batching dims, sort, reduce_window, ...) against lax.* run
   by JAX (XLA CPU) or numpy, on several shapes and dtypes.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest

jax = pytest.importorskip("jax")

import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

import jax_programs  # noqa: E402

from hlox.backends import interpreter  # noqa: E402

# result dtype -> (rtol, atol)
TOL = {
    np.dtype(np.float16): (2e-3, 1e-3),
    np.dtype(ml_dtypes.bfloat16): (1e-2, 1e-2),
    np.dtype(np.float32): (1e-4, 1e-5),
    np.dtype(np.float64): (1e-12, 1e-14),
    np.dtype(np.complex64): (1e-4, 1e-5),
    np.dtype(np.complex128): (1e-12, 1e-14),
}

PROGRAMS = {p.name: p for p in jax_programs.programs()}

# Programs the interpreter cannot run, each with the reason.
KNOWN_FAILURES = {
    "median_quantile": "dialect bug: #stablehlo.gather requires index_vector_dim (JAX omits it when 0)",
    "unique_sorted": "dialect bug: #stablehlo.scatter requires index_vector_dim (JAX omits it when 0)",
    "cholesky": "JAX emits #sdy attributes (unregistered) and a LAPACK custom_call",
    "triangular_solve": "JAX emits #sdy attributes (unregistered) and a LAPACK custom_call",
    "rng_bit_generator": "rng_bit_generator is not implemented yet",
}


def assert_close(got, want, what=""):
    want = np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype} != {want.dtype}"
    if want.dtype in TOL:
        rtol, atol = TOL[want.dtype]
        wide = np.complex128 if want.dtype.kind == "c" else np.float64
        want, got = want.astype(wide), got.astype(wide)
        finite = np.abs(want[np.isfinite(want)])
        scale = max(1.0, float(finite.max())) if finite.size else 1.0
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol * scale, equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(got, want, err_msg=what)


def run_both(fn, *args, static_argnums=()):
    """(interpreter results, JAX results) of fn on args."""
    jitted = jax.jit(fn, static_argnums=static_argnums, keep_unused=True)
    lowered = jitted.lower(*args)
    dynamic = [a for i, a in enumerate(args) if i not in static_argnums]
    leaves = [np.asarray(jnp.asarray(a)) for a in jax.tree_util.tree_leaves(dynamic)]
    got = interpreter.compile(lowered.as_text())(*leaves)
    want = [np.asarray(w) for w in jax.tree_util.tree_leaves(jitted(*args))]
    return got, want


def check(fn, *args, static_argnums=()):
    got, want = run_both(fn, *args, static_argnums=static_argnums)
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert_close(g, w, f"result {i}")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_corpus(name):
    if name in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[name])
    program = PROGRAMS[name]
    check(program.fn, *program.args(), static_argnums=program.static_argnums)
