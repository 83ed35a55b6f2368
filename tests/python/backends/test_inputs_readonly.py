"""Compiled code never writes into the caller's input arrays.

Inputs reach the CPU backend without a copy; an op that could update its
operand in place (sort, scatter, dynamic_update_slice) must not update the
caller's array (hlox-readonly-arguments makes bufferization copy instead).
"""

import numpy as np
import pytest

import hlox

jax = pytest.importorskip("jax")
jnp = jax.numpy

PROGRAMS = {
    "sort": lambda x: jnp.sort(x, axis=0),
    "scatter_add": lambda x: x.at[jnp.array([0, 2])].add(1.0),
    "dynamic_update_slice": lambda x: jax.lax.dynamic_update_slice(x, jnp.zeros((1, 3), x.dtype), (1, 0)),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_cpu_backend_leaves_inputs_alone(name):
    fn = PROGRAMS[name]
    x = np.random.default_rng(0).uniform(-1, 1, (4, 3)).astype(np.float32)
    before = x.copy()
    run = hlox.compile_stablehlo(jax.jit(fn).lower(x).as_text(), backend="cpu")
    (got,) = run(x)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(got, np.asarray(jax.jit(fn)(before)), rtol=1e-6)
