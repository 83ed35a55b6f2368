"""hlox's type promotion against JAX's (the reference)."""

import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
from hlox.frontend.core import dtypes

STRONG = [dtypes.bool_, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
          dtypes.uint16, dtypes.uint32, dtypes.uint64, dtypes.bfloat16, dtypes.float16,
          dtypes.float32, dtypes.float64]
PYTHON = {"int": 1, "float": 1.0}  # weakly typed


def jax_type(spec):
    """As JAX sees an operand of ``spec`` in the current mode (64-bit ones canonicalized)."""
    return PYTHON[spec] if isinstance(spec, str) else jax.dtypes.canonicalize_dtype(spec)


def hlox_type(spec):
    """As hlox sees it: ``scalar_type`` of such a value (the boundary canonicalizes it)."""
    return dtypes.scalar_type(PYTHON[spec] if isinstance(spec, str) else np.zeros((), spec))


@pytest.mark.parametrize("x64", [False, True], ids=["x32", "x64"])
@pytest.mark.parametrize("a,b", list(itertools.combinations_with_replacement(
    STRONG + ["int", "float"], 2)))
def test_promotion_matches_jax(a, b, x64):
    with hlox.enable_x64(x64), jax.enable_x64(x64):
        expected = jnp.result_type(jax_type(a), jax_type(b))
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
    assert dtypes.scalar_type(np.float64(2)) == (dtypes.float32, False)  # x64 off: 32 bits
    with hlox.enable_x64():
        assert dtypes.scalar_type(2.0) == (dtypes.float64, True)
        assert dtypes.scalar_type(2) == (dtypes.int64, True)
        assert dtypes.scalar_type(np.float64(2)) == (dtypes.float64, False)
        assert dtypes.scalar_type(1j) == (dtypes.complex128, True)
    assert dtypes.scalar_type(1j) == (dtypes.complex64, True)
