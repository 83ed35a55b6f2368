"""Bit primitives, iota, bitcast_convert_type and erf_inv against NumPy/JAX.

Integer results are compared exactly. erf_inv is compared with JAX at the
float32 tolerance of conftest (a few ulps: the CPU backend's decomposition and
XLA's differ in rounding), and its derivative with finite differences.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax
from hlox.frontend.libraries.test_util import check_grads

from conftest import TOLERANCES, assert_close

INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


def _ints(dtype, shape, seed):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(seed)
    values = rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    values.flat[:4] = [info.min, info.max, 0, 1][:values.size]
    return values


def _shift_amounts(dtype, shape, seed):
    # Includes amounts >= the bit width (StableHLO/JAX: 0, or the sign fill).
    bits = np.dtype(dtype).itemsize * 8
    rng = np.random.default_rng(seed)
    return rng.integers(0, bits + 3, size=shape).astype(dtype)


@pytest.mark.parametrize("dtype", INTS, ids=lambda d: np.dtype(d).name)
def test_bit_ops_all_integer_dtypes(dtype, x64):
    shape = (3, 5)
    x, y = _ints(dtype, shape, 0), _ints(dtype, shape, 1)
    s = _shift_amounts(dtype, shape, 2)

    @hlox.jit
    def f(x, y, s):
        return (lax.bitwise_and(x, y), lax.bitwise_or(x, y), lax.bitwise_xor(x, y),
                lax.bitwise_not(x), lax.population_count(x), lax.clz(x),
                lax.shift_left(x, s), lax.shift_right_logical(x, s),
                lax.shift_right_arithmetic(x, s))

    got = f(x, y, s)
    bits = x.dtype.itemsize * 8
    unsigned = x.view(np.dtype(f"u{x.dtype.itemsize}")).astype(np.uint64)
    popcount = np.array([bin(int(v)).count("1") for v in unsigned.flat]).reshape(shape)
    clz = np.array([bits - int(v).bit_length() for v in unsigned.flat]).reshape(shape)
    # Shifts by >= the bit width: JAX's (XLA's) semantics, so JAX is the reference.
    shifts = [np.asarray(op(x, s)) for op in (  # (in the x64 mode of the fixture)
        jax.lax.shift_left, jax.lax.shift_right_logical, jax.lax.shift_right_arithmetic)]
    expected = (x & y, x | y, x ^ y, ~x, popcount.astype(dtype), clz.astype(dtype), *shifts)
    for g, e in zip(got, expected):
        assert_close(g, e)


def test_bit_ops_match_jax_and_numpy_operators():
    x = _ints(np.int32, (4, 6), 3)
    y = _ints(np.int32, (6,), 4)
    s = _shift_amounts(np.int32, (4, 6), 5) % 32
    u = x.view(np.uint32)

    @hlox.jit
    def f(x, y, s, u):
        return x & y, x | 3, 5 ^ x, ~x, x << s, x >> s, u >> s.astype(np.uint32), \
            hnp.invert(u), hnp.left_shift(x, 2), hnp.right_shift(u, 31)

    got = f(x, y, s, u)
    expected = (x & y, x | 3, 5 ^ x, ~x, jnp.left_shift(x, s), x >> s, u >> s.astype(np.uint32),
                ~u, x << 2, u >> 31)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, np.asarray(e))
        assert g.dtype == np.asarray(e).dtype


def test_bool_bitwise_and_promotion():
    a = np.array([True, False, True, False])
    b = np.array([True, True, False, False])
    got = hlox.jit(lambda a, b: (a & b, a | b, a ^ b, ~a, hnp.bitwise_and(a, np.uint8(3))))(a, b)
    for g, e in zip(got, (a & b, a | b, a ^ b, ~a, jnp.bitwise_and(a, np.uint8(3)))):
        np.testing.assert_array_equal(g, np.asarray(e))
        assert g.dtype == np.asarray(e).dtype


def test_bit_ops_reject_floats_with_the_primitive_name():
    x = np.ones(3, np.float32)
    with pytest.raises(TypeError, match="shift_left"):
        hlox.jit(lambda x: lax.shift_left(x, x))(x)
    with pytest.raises(TypeError, match="bitwise_and"):
        hlox.jit(lambda x: x & x)(x)
    with pytest.raises(TypeError, match="population_count.*f32"):
        hlox.jit(lambda x: lax.population_count(x))(x)


@pytest.mark.parametrize("src,dst,shape", [
    (np.float32, np.int32, (2, 3)), (np.uint32, np.float32, (4,)), (np.float16, np.int16, (3,)),
    (np.float32, np.uint8, (2, 3)), (np.uint8, np.float32, (3, 4)), (np.int16, np.int8, (5,)),
    (np.uint16, np.uint32, (3, 2)), (jnp.bfloat16, np.uint16, (4,)),
])
def test_bitcast_convert_type(src, dst, shape):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32).view(np.uint8)
    x = x.reshape(-1)[:int(np.prod(shape)) * np.dtype(src).itemsize].view(src).reshape(shape)
    got = hlox.jit(lambda x: lax.bitcast_convert_type(x, dst))(x)
    expected = np.asarray(jax.lax.bitcast_convert_type(x, dst))
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_array_equal(got.view(np.uint8), expected.view(np.uint8))


def test_bitcast_convert_type_wider_needs_the_last_dimension():
    with pytest.raises(TypeError, match="bitcast_convert_type.*last dimension of size 4"):
        hlox.jit(lambda x: lax.bitcast_convert_type(x, np.float32))(np.zeros((3, 2), np.uint8))


@pytest.mark.parametrize("dtype", [np.int32, np.uint32, np.int8, np.float32, jnp.bfloat16])
def test_iota(dtype):
    got = hlox.jit(lambda: (lax.iota(dtype, 7), lax.broadcasted_iota(dtype, (2, 3, 4), 1),
                            lax.broadcasted_iota(dtype, (2, 3), -1)))()
    expected = (jax.lax.iota(dtype, 7), jax.lax.broadcasted_iota(dtype, (2, 3, 4), 1),
                jax.lax.broadcasted_iota(dtype, (2, 3), 1))
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, np.asarray(e))
        assert g.dtype == np.asarray(e).dtype


def test_iota_bad_dimension():
    with pytest.raises(TypeError, match="iota: dimension 2 out of range"):
        lax.broadcasted_iota(np.int32, (2, 3), 2)


def test_bit_ops_batch_under_vmap():
    x = _ints(np.uint32, (4, 5), 7)
    y = _ints(np.uint32, (5,), 8)
    f = hlox.jit(hlox.vmap(lambda x, y: (x ^ y, lax.population_count(x),
                                         lax.bitcast_convert_type(x, np.uint8)), (0, None)))
    for g, e in zip(f(x, y), (x ^ y, np.asarray(jax.lax.population_count(x)),
                              np.asarray(jax.lax.bitcast_convert_type(x, np.uint8)))):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("dtype", [np.float32, np.float16, jnp.bfloat16])
def test_erf_inv_matches_jax(dtype):
    x = np.linspace(-0.999, 0.999, 41).astype(dtype)
    got = hlox.jit(lax.erf_inv)(x)
    expected = np.asarray(jax.lax.erf_inv(x))
    assert got.dtype == expected.dtype
    tol = {np.dtype(jnp.bfloat16): dict(rtol=1e-2, atol=1e-2)}.get(np.dtype(dtype),
                                                                   TOLERANCES.get(np.dtype(dtype)))
    np.testing.assert_allclose(got.astype(np.float32), expected.astype(np.float32), **tol)


def test_erf_inv_gradient():
    x = np.array([-0.7, -0.2, 0.0, 0.4, 0.9])
    check_grads(lax.erf_inv, (x,), order=2)
    got = hlox.grad(lambda x: hnp.sum(lax.erf_inv(x)))(x.astype(np.float32))
    expected = jax.grad(lambda x: jnp.sum(jax.lax.erf_inv(x)))(x.astype(np.float32))
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_integer_ops_have_zero_tangents():
    x = np.array([1.5, -2.0, 3.0], np.float32)

    def f(x):
        bits = lax.bitcast_convert_type(x, np.uint32)
        return x * lax.convert_element_type(lax.population_count(bits), np.float32)

    got = hlox.grad(lambda x: hnp.sum(f(x)))(x)
    expected = jax.grad(lambda x: jnp.sum(x * jax.lax.population_count(
        jax.lax.bitcast_convert_type(x, np.uint32)).astype(np.float32)))(x)
    np.testing.assert_array_equal(got, expected)
