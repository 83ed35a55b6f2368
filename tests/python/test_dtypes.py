"""hlox's type promotion against JAX's (the reference)."""

import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from hlox.frontend import dtypes

# 64-bit types are left out: JAX without x64 canonicalizes them away.
STRONG = [dtypes.bool_, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.uint8, dtypes.uint16,
          dtypes.uint32, dtypes.bfloat16, dtypes.float16, dtypes.float32]
WEAK = {"int": (dtypes.int32, True, 1), "float": (dtypes.float32, True, 1.0)}


def jax_type(spec):
    if isinstance(spec, str):
        return WEAK[spec][2]
    return np.dtype(spec)


def hlox_type(spec):
    if isinstance(spec, str):
        return WEAK[spec][:2]
    return (np.dtype(spec), False)


@pytest.mark.parametrize("a,b", list(itertools.combinations_with_replacement(
    STRONG + ["int", "float"], 2)))
def test_promotion_matches_jax(a, b):
    if isinstance(a, str) or isinstance(b, str):
        expected = jnp.result_type(jax_type(a), jax_type(b))
    else:  # strong pairs: the lattice with 64-bit results kept (JAX's x64 mode)
        with jax.enable_x64(True):
            expected = jnp.promote_types(jax_type(a), jax_type(b))
    dtype, _ = dtypes.result_type(hlox_type(a), hlox_type(b))
    assert dtype == expected, f"{a} + {b}: hlox {dtype}, jax {expected}"


def test_weak_flags():
    f32 = (dtypes.float32, False)
    weak_f = (dtypes.float32, True)
    weak_i = (dtypes.int32, True)
    assert dtypes.result_type(f32, weak_f) == (dtypes.float32, False)
    assert dtypes.result_type(weak_f, weak_i) == (dtypes.float32, True)
    assert dtypes.result_type((dtypes.int32, False), weak_f) == (dtypes.float32, True)
    assert dtypes.result_type((dtypes.float16, False), weak_f) == (dtypes.float16, False)


def test_python_scalar_types():
    assert dtypes.scalar_type(2.0) == (dtypes.float32, True)
    assert dtypes.scalar_type(2) == (dtypes.int32, True)
    assert dtypes.scalar_type(True) == (dtypes.bool_, False)
    assert dtypes.scalar_type(np.float64(2)) == (dtypes.float64, False)
    with pytest.raises(TypeError, match="complex"):
        dtypes.scalar_type(1j)
