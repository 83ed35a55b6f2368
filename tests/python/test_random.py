"""hlox.random against jax.random, bit for bit.

The same seed must give JAX's numbers exactly (``assert_array_equal``) for
keys, split/fold_in chains, bits, uniform, randint, bernoulli, permutation and
categorical. Samplers that go through transcendental functions (normal uses
erf_inv, gumbel uses log) are compared at a stated tolerance: they are exact
whenever the backend's erf_inv/log round like XLA's, but that is the
backend's business, not the PRNG's. JAX runs with its default
``jax_threefry_partitionable=True``, which hlox implements.
"""

import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np
import pytest

import hlox
import hlox.random as hr

SEEDS = [0, 1, 42, 2**31 - 1, -1, 123456789]
# erf_inv/log: a few float32 ulps (backend libm vs XLA's); 16-bit floats: 1 ulp of their own.
TRANSCENDENTAL_TOLS = {np.dtype(np.float32): dict(rtol=4e-6, atol=4e-6),
                       np.dtype(np.float16): dict(rtol=1e-3, atol=1e-3),
                       np.dtype(jnp.bfloat16): dict(rtol=8e-3, atol=8e-3)}


def test_jax_default_is_partitionable_threefry():
    assert jax.config.jax_threefry_partitionable
    assert jax.config.jax_default_prng_impl == "threefry2x32"


@pytest.mark.parametrize("seed", SEEDS)
def test_keys_split_fold_in_chains(seed):
    key, jkey = hr.PRNGKey(seed), jr.PRNGKey(seed)
    np.testing.assert_array_equal(key, jr.key_data(jkey))
    assert key.dtype == np.uint32
    for step in range(3):
        key, sub = hr.split(key)
        jkey, jsub = jr.split(jkey)
        key = hr.fold_in(key, step * 1000 + 7)
        jkey = jr.fold_in(jkey, step * 1000 + 7)
        np.testing.assert_array_equal(sub, jsub)
        np.testing.assert_array_equal(key, jkey)
    np.testing.assert_array_equal(hr.split(key, 5), jr.split(jkey, 5))
    np.testing.assert_array_equal(hr.split(key, (2, 3)), jr.split(jkey, (2, 3)))


def test_key_is_raw_prngkey():
    np.testing.assert_array_equal(hr.key(7), jr.key_data(jr.key(7)))


@pytest.mark.parametrize("dtype", [np.uint32, np.uint16, np.uint8])
@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 0, 3)])
def test_bits(dtype, shape):
    key = hr.PRNGKey(3)
    np.testing.assert_array_equal(hr.bits(key, shape, dtype), jr.bits(jr.PRNGKey(3), shape, dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float16, jnp.bfloat16])
@pytest.mark.parametrize("seed", [0, 17])
def test_uniform(dtype, seed):
    key, jkey = hr.PRNGKey(seed), jr.PRNGKey(seed)
    for shape, lo, hi in [((7,), 0.0, 1.0), ((3, 5), -2.0, 3.0), ((4,), np.float32(0.5), 1.0)]:
        got = hr.uniform(key, shape, dtype, lo, hi)
        expected = np.asarray(jr.uniform(jkey, shape, dtype, lo, hi))
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
    bounds = np.array([0.0, 10.0, -5.0], np.float32)
    np.testing.assert_array_equal(hr.uniform(key, (2, 3), dtype, bounds, 20.0),
                                  jr.uniform(jkey, (2, 3), dtype, bounds, 20.0))


@pytest.mark.parametrize("dtype", [np.float32, np.float16, jnp.bfloat16])
def test_normal(dtype):
    for seed in (0, 5):
        got = hr.normal(hr.PRNGKey(seed), (4, 25), dtype)
        expected = np.asarray(jr.normal(jr.PRNGKey(seed), (4, 25), dtype))
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(got.astype(np.float32), expected.astype(np.float32),
                                   **TRANSCENDENTAL_TOLS[np.dtype(dtype)])


@pytest.mark.parametrize("dtype,lo,hi", [
    (np.int32, 0, 10), (np.int32, -1000, 1000), (np.int32, -2**31, 2**31 - 1),
    (np.int32, 5, 5), (np.int32, 7, 3), (np.uint8, 0, 256), (np.int8, -128, 127),
    (np.uint32, 0, 2**31 - 1), (np.int16, -3, 3),
])
def test_randint(dtype, lo, hi):
    for seed in (0, 9):
        got = hr.randint(hr.PRNGKey(seed), (3, 7), lo, hi, dtype)
        expected = np.asarray(jr.randint(jr.PRNGKey(seed), (3, 7), lo, hi, dtype))
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


def test_randint_array_bounds():
    lo = np.array([0, 10, -5], np.int32)
    hi = np.array([[3], [100]], np.int32)
    np.testing.assert_array_equal(hr.randint(hr.PRNGKey(1), (2, 3), lo, hi),
                                  jr.randint(jr.PRNGKey(1), (2, 3), lo, hi))


def test_bernoulli():
    key, jkey = hr.PRNGKey(11), jr.PRNGKey(11)
    np.testing.assert_array_equal(hr.bernoulli(key, 0.3, (50,)), jr.bernoulli(jkey, 0.3, (50,)))
    p = np.linspace(0, 1, 12).astype(np.float32).reshape(3, 4)
    np.testing.assert_array_equal(hr.bernoulli(key, p), jr.bernoulli(jkey, p))
    np.testing.assert_array_equal(hr.bernoulli(key), jr.bernoulli(jkey))


@pytest.mark.parametrize("n", [1, 10, 37])
def test_permutation_of_range(n):
    for seed in (0, 3):
        np.testing.assert_array_equal(hr.permutation(hr.PRNGKey(seed), n),
                                      jr.permutation(jr.PRNGKey(seed), n))


def test_permutation_of_arrays():
    key, jkey = hr.PRNGKey(4), jr.PRNGKey(4)
    x = np.arange(24, dtype=np.float32).reshape(4, 6)
    np.testing.assert_array_equal(hr.permutation(key, x), jr.permutation(jkey, x))
    np.testing.assert_array_equal(hr.permutation(key, x, axis=1), jr.permutation(jkey, x, axis=1))
    np.testing.assert_array_equal(hr.permutation(key, x, axis=1, independent=True),
                                  jr.permutation(jkey, x, axis=1, independent=True))
    v = np.arange(9, dtype=np.int32) * 3
    np.testing.assert_array_equal(hr.permutation(key, v), jr.permutation(jkey, v))


def test_gumbel_and_categorical():
    key, jkey = hr.PRNGKey(21), jr.PRNGKey(21)
    np.testing.assert_allclose(hr.gumbel(key, (3, 8)), jr.gumbel(jkey, (3, 8)),
                               **TRANSCENDENTAL_TOLS[np.dtype(np.float32)])
    logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], np.float32))
    np.testing.assert_array_equal(hr.categorical(key, logits), jr.categorical(jkey, logits))
    np.testing.assert_array_equal(hr.categorical(key, logits, shape=(6, 2)),
                                  jr.categorical(jkey, logits, shape=(6, 2)))
    np.testing.assert_array_equal(hr.categorical(key, logits.T, axis=0),
                                  jr.categorical(jkey, logits.T, axis=0))


def test_under_jit_with_traced_keys_and_seeds():
    def sample(hr_or_jr, seed, step):
        key = hr_or_jr.PRNGKey(seed)
        key = hr_or_jr.fold_in(key, step)
        k1, k2 = hr_or_jr.fold_in(key, 1), hr_or_jr.fold_in(key, 2)
        return (hr_or_jr.uniform(k1, (2, 3)), hr_or_jr.randint(k2, (4,), 0, 100),
                hr_or_jr.bits(k2, (3,)), hr_or_jr.permutation(k1, 6), hr_or_jr.split(k2, 3))

    got = hlox.jit(lambda s, t: sample(hr, s, t))(np.int32(77), np.int32(5))
    expected = jax.jit(lambda s, t: sample(jr, s, t))(np.int32(77), np.int32(5))
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


def test_under_vmap_over_keys():
    keys = hr.split(hr.PRNGKey(8), 4)
    jkeys = jr.split(jr.PRNGKey(8), 4)

    def sample(mod, key):
        return mod.uniform(key, (3,)), mod.randint(key, (2,), -5, 5), mod.split(key, 3)

    got = hlox.jit(hlox.vmap(lambda k: sample(hr, k)))(keys)
    expected = jax.vmap(lambda k: sample(jr, k))(jkeys)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)
    np.testing.assert_array_equal(hlox.vmap(hr.fold_in, (None, 0))(hr.PRNGKey(2), np.arange(3)),
                                  jax.vmap(jr.fold_in, (None, 0))(jr.PRNGKey(2), np.arange(3)))


def test_gradient_flows_through_uniform_bounds():
    # uniform is affine in (minval, maxval): d/dmaxval sum(u) = sum of the [0,1) draws
    key = hr.PRNGKey(0)
    grad = hlox.grad(lambda hi: hr.uniform(key, (5,), minval=0.0, maxval=hi).sum())(
        np.float32(2.0))
    np.testing.assert_allclose(grad, np.asarray(jr.uniform(jr.PRNGKey(0), (5,))).sum(),
                               rtol=1e-6)


def test_statistics_are_sane():
    key = hr.PRNGKey(1234)
    u = hr.uniform(key, (20000,))
    n = hr.normal(key, (20000,))
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    assert abs(n.mean()) < 0.03 and abs(n.std() - 1) < 0.03


def test_bad_keys_and_arguments():
    with pytest.raises(TypeError, match="hlox.random.normal: expected a key .*f32\\[2\\]"):
        hr.normal(np.zeros(2, np.float32), (3,))
    with pytest.raises(TypeError, match="hlox.random.uniform: expected a key .*u32\\[4,2\\]"):
        hr.uniform(hr.split(hr.PRNGKey(0), 4), (3,))
    with pytest.raises(TypeError, match="PRNGKey: the seed must be an integer"):
        hr.PRNGKey(1.5)
    with pytest.raises(TypeError, match="randint: dtype"):
        hr.randint(hr.PRNGKey(0), (3,), 0, 5, np.float32)
    with pytest.raises(ValueError, match="uniform: an argument of shape \\(4,\\)"):
        hr.uniform(hr.PRNGKey(0), (3,), minval=np.zeros(4, np.float32))
