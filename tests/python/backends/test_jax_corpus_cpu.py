"""Every program of the JAX corpus (jax_programs.py) on hlox's CPU backend.

Each program is lowered by JAX (``.as_text()``, as a user would hand it
over), compiled with ``hlox.compile_stablehlo(text, backend="cpu")`` and run
on the program's example arguments; the results must match
``jax.jit(fn)(*args)``: integers and booleans exactly, float32 within rtol
2e-5 and atol 2e-6 times the result's largest magnitude (at least 1): XLA
and hlox sum reductions, dot products and convolutions in different orders,
so an element that is a small difference of large terms (a convolution's
gradient) carries the rounding of those terms; libm's transcendentals are
not XLA's either. float64: rtol 1e-12, atol 1e-12 times the same scale;
float16 / bfloat16: one ulp (rtol and atol 2^-10 / 2^-7).

There is no xfail: a program either passes or is listed in REJECTED with the
error the backend must raise for it (a clear compile-time error naming what
is missing), so that a regression or a newly working program shows up here.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest

jax = pytest.importorskip("jax")

import jax_programs  # noqa: E402

import hlox  # noqa: E402
from hlox.backends import BackendError  # noqa: E402

PROGRAMS = {p.name: p for p in jax_programs.programs()}

# Programs the CPU backend cannot run, and the error that says why (none today:
# JAX's LAPACK custom calls run through hlox-cpu-lapack-to-runtime).
REJECTED: dict[str, str] = {}

TOLERANCES = {  # dtype: (rtol, atol per unit of the result's largest magnitude)
    np.dtype(np.float16): (1e-3, 1e-3),  # one ulp (2^-10), as f16 ops round twice
    np.dtype(ml_dtypes.bfloat16): (8e-3, 8e-3),  # one ulp (2^-7)
    np.dtype(np.float32): (2e-5, 2e-6),
    np.dtype(np.complex64): (2e-5, 2e-6),
    np.dtype(np.float64): (1e-12, 1e-12),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_corpus_program_on_cpu(name):
    ref = jax_programs.reference(PROGRAMS[name])
    text = ref.lowered.as_text()
    if name in REJECTED:
        with pytest.raises((BackendError, RuntimeError), match=REJECTED[name]):
            hlox.compile_stablehlo(text, backend="cpu")(*ref.inputs)
        return
    got = hlox.compile_stablehlo(text, backend="cpu")(*ref.inputs)
    assert_matches_reference(name, got, ref.outputs)


def assert_matches_reference(name: str, got, want) -> None:
    """``got`` (a backend's results) equal JAX's ``want``: exact types, values within
    :data:`TOLERANCES` scaled by each result's largest finite magnitude."""
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        g = np.asarray(g)
        assert g.shape == w.shape and g.dtype == w.dtype, (i, g.shape, w.shape, g.dtype, w.dtype)
        if np.issubdtype(w.dtype, np.inexact):
            rtol, atol = TOLERANCES[w.dtype]
            finite = np.abs(w[np.isfinite(w)])
            scale = max(1.0, float(finite.max())) if finite.size else 1.0
            np.testing.assert_allclose(g, w, rtol=rtol, atol=atol * scale, equal_nan=True,
                                       err_msg=f"{name}: result {i}")
        else:
            np.testing.assert_array_equal(g, w, err_msg=f"{name}: result {i}")
