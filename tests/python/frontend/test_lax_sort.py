"""sort (multi-operand), top_k and hlox.numpy sort/argsort against JAX/NumPy.

Sorting moves values without arithmetic, so results are compared exactly
(bitwise for floats, so -0.0 vs 0.0 and NaN placement count). Gradients are
checked against finite differences (float64, distinct values) and JAX.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax
from hlox.frontend.libraries.test_util import check_grads


def _special_floats(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(-4, 5, size=shape).astype(np.float32) * 0.5  # many ties
    flat = x.reshape(-1)
    specials = [np.nan, -0.0, 0.0, np.inf, -np.inf, -np.nan]
    idx = rng.choice(flat.size, size=min(len(specials), flat.size), replace=False)
    flat[idx] = specials[:len(idx)]
    return flat.reshape(shape).astype(dtype)


def assert_same_bits(actual, expected):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    if actual.dtype.kind == "f" or actual.dtype == jnp.bfloat16:
        # NaNs compare by position (their sign/payload is canonicalized by neither)
        np.testing.assert_array_equal(np.isnan(actual.astype(np.float32)),
                                      np.isnan(expected.astype(np.float32)))
        actual = np.where(np.isnan(actual.astype(np.float32)), 0, actual)
        expected = np.where(np.isnan(expected.astype(np.float32)), 0, expected)
        np.testing.assert_array_equal(np.signbit(actual.astype(np.float32)),
                                      np.signbit(expected.astype(np.float32)))
    np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float16, jnp.bfloat16, np.float64])
@pytest.mark.parametrize("shape,dim", [((9,), 0), ((4, 6), 0), ((2, 5, 3), 1)])
def test_sort_floats_total_order(dtype, shape, dim, x64):
    x = _special_floats(dtype, shape)
    # Payload: the original positions, to see where ties and -0.0/0.0 went.
    pos = np.arange(x.size, dtype=np.int32).reshape(shape)
    got = hlox.jit(lambda x, p: lax.sort((x, p), dimension=dim))(x, pos)
    with jax.enable_x64(True):
        expected = jax.lax.sort((x, pos), dimension=dim)
    for g, e in zip(got, expected):
        assert_same_bits(g, e)


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.uint8, np.uint32, np.bool_])
def test_sort_integers_and_bool(dtype):
    rng = np.random.default_rng(1)
    x = rng.integers(0, 200, size=(3, 11)).astype(dtype)
    if dtype in (np.int8, np.int32):
        x = (x.astype(np.int32) - 100).astype(dtype)
    got = hlox.jit(lambda x: lax.sort(x))(x)
    assert_same_bits(got, np.sort(x, axis=-1))


def test_sort_multiple_keys_and_stability():
    rng = np.random.default_rng(2)
    k1 = rng.integers(0, 3, size=(20,)).astype(np.int32)
    k2 = rng.integers(0, 2, size=(20,)).astype(np.float32)
    v = np.arange(20, dtype=np.float32)
    f = hlox.jit(lambda a, b, c: (lax.sort((a, b, c), num_keys=2),
                                  lax.sort((a, b, c), num_keys=1),
                                  lax.sort_key_val(b, c)))
    got = f(k1, k2, v)
    expected = (jax.lax.sort((k1, k2, v), num_keys=2), jax.lax.sort((k1, k2, v), num_keys=1),
                jax.lax.sort_key_val(k2, v))
    for g_group, e_group in zip(got, expected):
        for g, e in zip(g_group, e_group):
            assert_same_bits(g, e)
    # stability, independently of JAX: ties keep their original order
    np.testing.assert_array_equal(got[1][2], v[np.argsort(k1, kind="stable")])


@pytest.mark.parametrize("axis", [-1, 0, None])
def test_numpy_sort_and_argsort(axis):
    x = _special_floats(np.float32, (5, 7), seed=3)
    got = hlox.jit(lambda x: (hnp.sort(x, axis=axis), hnp.argsort(x, axis=axis)))(x)
    expected = (jnp.sort(x, axis=axis), jnp.argsort(x, axis=axis))
    for g, e in zip(got, expected):
        assert_same_bits(g, e)


@pytest.mark.parametrize("dtype,shape,axis", [(np.float32, (5, 7), -1), (np.float32, (5, 7), None),
                                              (jnp.bfloat16, (6, 4), 0), (np.int8, (3, 9), 1)],
                         ids=str)
def test_numpy_sort_and_argsort_descending(dtype, shape, axis):
    # NaNs first, ties (and -0.0/0.0) in JAX's order: stable argsort keeps them in input order
    x = _special_floats(np.float32, shape, seed=5).astype(dtype) if np.dtype(dtype).kind != "i" \
        else np.random.default_rng(5).integers(-3, 4, size=shape).astype(dtype)

    def prog(np_, x):
        return (np_.sort(x, axis=axis, descending=True),
                np_.argsort(x, axis=axis, descending=True),
                np_.argsort(x, axis=axis, descending=True, stable=False),
                np_.sort(x, axis=axis, stable=False))
    got = hlox.jit(lambda x: prog(hnp, x))(x)
    expected = jax.jit(lambda x: prog(jnp, x))(x)
    for g, e in zip(got[:2], expected[:2]):
        assert_same_bits(g, e)
    # an unstable sort may order ties (and -0.0/0.0) either way: equal values, and the
    # unstable argsort must still sort descending
    as_f32 = lambda v: np.asarray(v).astype(np.float32)  # noqa: E731  (bfloat16 NaNs compare)
    np.testing.assert_array_equal(as_f32(got[3]), as_f32(expected[3]))
    flat = x.reshape(-1) if axis is None else x
    np.testing.assert_array_equal(
        as_f32(np.take_along_axis(flat, np.asarray(got[2]), axis=-1 if axis is None else axis)),
        as_f32(expected[0]))


def test_descending_sort_gradient_and_vmap():
    x = np.random.default_rng(6).permutation(12).reshape(3, 4).astype(np.float64)
    check_grads(lambda x: hnp.sort(x, axis=0, descending=True), (x,), order=1)
    f = lambda x: (hnp.sort(x, descending=True), hnp.argsort(x, descending=True))  # noqa: E731
    out = hlox.jit(hlox.vmap(f))(x.astype(np.float32))
    loop = [np.stack(c) for c in zip(*(hlox.jit(f)(r) for r in x.astype(np.float32)))]
    for o, r in zip(out, loop):
        np.testing.assert_array_equal(o, r)
    with pytest.raises(TypeError, match="'kind' is not supported"):
        hnp.sort(x, kind="stable")


def test_argsort_is_stable_like_numpy():
    x = np.random.default_rng(4).integers(0, 4, size=(3, 30)).astype(np.int16)
    got = hlox.jit(hnp.argsort)(x)
    np.testing.assert_array_equal(got, np.argsort(x, axis=-1, kind="stable"))


@pytest.mark.parametrize("dtype", [np.float32, np.int32, jnp.bfloat16])
def test_top_k(dtype):
    x = np.random.default_rng(5).integers(-5, 5, size=(3, 9)).astype(dtype)  # ties
    got = hlox.jit(lambda x: lax.top_k(x, 4) + lax.top_k(x, 2, axis=0))(x)
    expected = jax.lax.top_k(x, 4) + jax.lax.top_k(x, 2, axis=0)
    for g, e in zip(got, expected):
        assert_same_bits(g, e)


def test_sort_gradients():
    x = np.random.default_rng(6).permutation(12).reshape(3, 4) * 0.37 - 2.0  # no ties
    y = np.random.default_rng(7).standard_normal((3, 4))
    check_grads(lambda x: lax.sort(x, dimension=0), (x,), order=1)
    check_grads(lambda x, y: lax.sort((x, y), num_keys=1)[1], (x, y), order=1)
    check_grads(lambda x: hnp.sort(x, axis=None), (x,), order=1)
    check_grads(lambda x: lax.top_k(x, 2)[0], (x,), order=1)

    def loss(sort, x, y):
        a, b = sort((x, y), num_keys=1)
        return (a * b * np.arange(4.0)).sum()

    x32, y32 = x.astype(np.float32), y.astype(np.float32)
    got = hlox.grad(lambda x, y: loss(lax.sort, x, y), argnums=(0, 1))(x32, y32)
    expected = jax.grad(lambda x, y: loss(jax.lax.sort, x, y), argnums=(0, 1))(x32, y32)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-6)


def test_sort_and_top_k_under_vmap():
    x = _special_floats(np.float32, (4, 6), seed=8)
    y = np.arange(6, dtype=np.int32)
    f = hlox.jit(hlox.vmap(lambda x, y: (lax.sort((x, y)), hnp.argsort(x),
                                         lax.top_k(x, 3)), (0, None)))
    got = f(x, y)
    expected = jax.vmap(lambda x, y: (jax.lax.sort((x, y)), jnp.argsort(x),
                                      jax.lax.top_k(x, 3)), (0, None))(x, y)
    for g, e in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(expected)):
        assert_same_bits(g, e)


def test_sort_errors_name_the_primitive():
    with pytest.raises(TypeError, match="sort: all operands must have the same shape"):
        hlox.jit(lambda a, b: lax.sort((a, b)))(np.zeros(3, np.float32), np.zeros(4, np.int32))
    with pytest.raises(TypeError, match="top_k: k=5"):
        hlox.jit(lambda a: lax.top_k(a, 5))(np.zeros(3, np.float32))
