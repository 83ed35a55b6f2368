"""Loops whose bodies update a few elements (hlox-cpu-vectorize-small-loop-bodies
makes them vector arithmetic): scans over states of 4 to 64 elements, float32,
float64 and 32/64-bit integers, with comparisons and selects in the body, and a
state of 65 elements (left scalar), each against the same recurrence computed
step by step in numpy in the state's dtype: exactly (the same operations,
rounded the same way, per element).
"""

from __future__ import annotations

import numpy as np
import pytest

import hlox

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402


def step_numpy(h, x):
    two = h.dtype.type(2)
    return np.where(h > x, h // two if h.dtype.kind == "i" else h * h.dtype.type(0.5), h + x) - x


def step_jax(h, x):
    two = jnp.asarray(2, h.dtype)
    half = h // two if jnp.issubdtype(h.dtype, jnp.integer) else h * jnp.asarray(0.5, h.dtype)
    return jnp.where(h > x, half, h + x) - x


def scan(h0, xs):
    def cell(h, x):
        h = step_jax(h, x)
        return h, h.sum()
    return jax.lax.scan(cell, h0, xs)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64])
@pytest.mark.parametrize("width", [4, 8, 24, 64, 65])
def test_small_state_scan_matches_numpy(width, dtype, x64):
    rng = np.random.default_rng(width)
    if np.dtype(dtype).kind == "i":
        h0 = rng.integers(-50, 50, width).astype(dtype)
        xs = rng.integers(-50, 50, (200, width)).astype(dtype)
    else:
        h0 = rng.standard_normal(width).astype(dtype)
        xs = rng.standard_normal((200, width)).astype(dtype)
    text = jax.jit(scan).lower(h0, xs).as_text()
    h, sums = hlox.compile_stablehlo(text)(h0, xs)
    expected = h0.copy()
    for x in xs:
        expected = step_numpy(expected, x)
    np.testing.assert_array_equal(np.asarray(h), expected)
    assert np.asarray(sums).shape == (200,)
