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

SEEDS = [0, 42, 2**31 - 1, -1, 2**32 - 1]
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


def test_raw_keys_from_jax_are_accepted():
    # JAX's raw keys are accepted as they are (they convert to uint32[2] arrays)
    np.testing.assert_array_equal(hr.split(jr.PRNGKey(7)), jr.split(jr.PRNGKey(7)))
    with pytest.raises(TypeError, match="split: expected a key .*PRNGKeyArray"):
        hr.split(jr.key(7))  # JAX's own typed keys: pass jax.random.key_data(k)


def _both(fn, *args):
    """``fn(hlox.random)`` under hlox.jit and ``fn(jax.random)`` under jax.jit, on ``args``."""
    return hlox.jit(lambda *a: fn(hr, *a))(*args), jax.jit(lambda *a: fn(jr, *a))(*args)


def _assert_all_equal(got, expected):
    assert len(got) == len(expected)
    for i, (g, e) in enumerate(zip(got, expected)):
        e = np.asarray(e)
        assert g.dtype == e.dtype, (i, g.dtype, e.dtype)
        np.testing.assert_array_equal(g, e, err_msg=f"output {i}")


@pytest.mark.parametrize("dtype", [np.uint32, np.uint16, np.uint8])
def test_bits(dtype):
    shapes = [(), (5,), (3, 4), (2, 0, 3)]
    np.testing.assert_array_equal(hr.bits(hr.PRNGKey(3), (5,), dtype),  # eagerly
                                  jr.bits(jr.PRNGKey(3), (5,), dtype))
    _assert_all_equal(*_both(lambda mod, key: tuple(mod.bits(key, s, dtype) for s in shapes),
                             np.asarray(jr.PRNGKey(4))))


def _affine_references(unit, lo, hi, dtype):
    """``max(lo, unit * (hi - lo) + lo)`` rounded after each step, and with a fused multiply-add.

    XLA's CPU backend contracts the multiply-add into an FMA where the machine has one, so
    JAX's own bits for bounds other than [0, 1) depend on the machine; hlox may round
    either way, but must match one of the two exactly.
    """
    lo = np.broadcast_to(np.asarray(lo, dtype), unit.shape)
    hi = np.broadcast_to(np.asarray(hi, dtype), unit.shape)
    span = (hi - lo).astype(dtype)
    separate = ((unit * span).astype(dtype) + lo).astype(dtype)
    fused = (unit.astype(np.float64) * span.astype(np.float64) + lo).astype(dtype)
    return np.maximum(lo, separate), np.maximum(lo, fused)


@pytest.mark.parametrize("dtype", [np.float32, np.float16, jnp.bfloat16])
def test_uniform(dtype):
    cases = [((7,), 0.0, 1.0), ((3, 5), -2.0, 3.0), ((4,), np.float32(0.5), 1.0),
             ((2, 3), np.array([0.0, 10.0, -5.0], np.float32), 20.0)]

    def sample(mod, key):
        return tuple(mod.uniform(key, shape, dtype, lo, hi) for shape, lo, hi in cases)

    seed = 17
    got = hlox.jit(lambda k: sample(hr, k))(np.asarray(jr.PRNGKey(seed)))
    # [0, 1): exactly JAX's bits (no arithmetic after the bit trick but "- 1")
    np.testing.assert_array_equal(got[0], jr.uniform(jr.PRNGKey(seed), (7,), dtype))
    for (shape, lo, hi), g in zip(cases, got):
        assert g.dtype == np.dtype(dtype)
        unit = np.asarray(jr.uniform(jr.PRNGKey(seed), shape, dtype))
        separate, fused = _affine_references(unit, lo, hi, dtype)
        assert np.all((g == separate) | (g == fused)), (shape, lo, hi, g, separate, fused)
    # eagerly too (one jitted call per signature)
    np.testing.assert_array_equal(hr.uniform(hr.PRNGKey(3), (5,), dtype),
                                  jr.uniform(jr.PRNGKey(3), (5,), dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float16, jnp.bfloat16])
def test_normal(dtype):
    for seed in (0, 5):
        got = hr.normal(hr.PRNGKey(seed), (4, 25), dtype)
        expected = np.asarray(jr.normal(jr.PRNGKey(seed), (4, 25), dtype))
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(got.astype(np.float32), expected.astype(np.float32),
                                   **TRANSCENDENTAL_TOLS[np.dtype(dtype)])


# Ranges that exercise each branch: small, full int32, empty/reversed (always minval),
# maxval past a narrow dtype's max, and the int32 sampling of narrow dtypes.
RANDINT_CASES = [
    (np.int32, -1000, 1000), (np.int32, -2**31, 2**31 - 1), (np.int32, 7, 3),
    (np.uint8, 0, 256), (np.int8, -128, 127), (np.uint32, 0, 2**31 - 1),
]


def test_randint():
    def sample(mod, key):
        return tuple(mod.randint(key, (3, 7), lo, hi, dtype) for dtype, lo, hi in RANDINT_CASES)

    _assert_all_equal(*_both(sample, np.asarray(jr.PRNGKey(9))))


def test_randint_array_bounds():
    lo = np.array([0, 10, -5], np.int32)
    hi = np.array([[3], [100]], np.int32)
    np.testing.assert_array_equal(hr.randint(hr.PRNGKey(1), (2, 3), lo, hi),
                                  jr.randint(jr.PRNGKey(1), (2, 3), lo, hi))
    # float bounds are truncated to int32, as in JAX
    np.testing.assert_array_equal(hr.randint(hr.PRNGKey(1), (4,), 0.0, 9.7),
                                  jr.randint(jr.PRNGKey(1), (4,), 0.0, 9.7))


def test_bernoulli():
    p = np.linspace(0, 1, 12).astype(np.float32).reshape(3, 4)
    _assert_all_equal(*_both(lambda mod, key, p: (mod.bernoulli(key, 0.3, (50,)),
                                                  mod.bernoulli(key, p), mod.bernoulli(key),
                                                  mod.bernoulli(key, p, mode="high")),
                             np.asarray(jr.PRNGKey(11)), p))


def test_permutation():
    x = np.arange(24, dtype=np.float32).reshape(4, 6)
    v = np.arange(9, dtype=np.int32) * 3

    def sample(mod, key, x, v):
        return (mod.permutation(key, 1), mod.permutation(key, 37), mod.permutation(key, x, axis=1),
                mod.permutation(key, x, axis=1, independent=True), mod.permutation(key, v))

    _assert_all_equal(*_both(sample, np.asarray(jr.PRNGKey(4)), x, v))
    np.testing.assert_array_equal(hr.permutation(hr.PRNGKey(2), 5),  # eagerly
                                  jr.permutation(jr.PRNGKey(2), 5))


def test_gumbel_and_categorical():
    key, jkey = hr.PRNGKey(21), jr.PRNGKey(21)
    np.testing.assert_allclose(hr.gumbel(key, (3, 8)), jr.gumbel(jkey, (3, 8)),
                               **TRANSCENDENTAL_TOLS[np.dtype(np.float32)])
    logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], np.float32))
    _assert_all_equal(*_both(lambda mod, key, logits: (
        mod.categorical(key, logits), mod.categorical(key, logits, shape=(6, 2)),
        mod.categorical(key, logits.T, axis=0)), np.asarray(jkey), logits))


def test_choice():
    p = np.array([0.1, 0.2, 0.3, 0.4], np.float32)
    _assert_all_equal(*_both(lambda mod, key, p: (
        mod.choice(key, 10, (5,)), mod.choice(key, 10, (2, 3), replace=False),
        mod.choice(key, 4, (3,), replace=False, p=p), mod.choice(key, 4, (2, 6), p=p),
        mod.choice(key, np.arange(12, dtype=np.float32).reshape(3, 4), (5,), axis=1),
        mod.choice(key, np.arange(6, dtype=np.float32), (4,), replace=False)), np.asarray(jr.PRNGKey(3)), p))


@pytest.mark.skipif(not (hasattr(hlox.lax, "erf") and hasattr(hlox.lax, "log1p")),
                    reason="needs hlox.lax.erf and log1p (the lax_math primitives)")
def test_truncated_normal_and_exponential():
    lower = np.array([-1.0, 0.0, 2.0], np.float32)
    for dtype in (np.float32, np.float16):
        got = hlox.jit(lambda k, lo: (hr.truncated_normal(k, -2.0, 0.5, (2, 3), dtype),
                                      hr.truncated_normal(k, lo, 5.0, (4, 3), dtype),
                                      hr.exponential(k, (7,), dtype)))(hr.PRNGKey(1), lower)
        expected = (jr.truncated_normal(jr.PRNGKey(1), -2.0, 0.5, (2, 3), dtype),
                    jr.truncated_normal(jr.PRNGKey(1), lower, 5.0, (4, 3), dtype),
                    jr.exponential(jr.PRNGKey(1), (7,), dtype))
        for g, e in zip(got, expected):
            assert g.dtype == np.dtype(dtype)
            np.testing.assert_allclose(g.astype(np.float32), np.asarray(e, np.float32),
                                       **TRANSCENDENTAL_TOLS[np.dtype(dtype)])
        assert np.all((got[0] > -2.0) & (got[0] < 0.5)) and np.all(got[1] > lower)


def test_nextafter_from_bits():
    from hlox.frontend.libraries.random import _next_toward
    x = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45, 3.4e38],
                 np.float32)
    up, down = hlox.jit(lambda x: (_next_toward(x, True), _next_toward(x, False)))(x)
    np.testing.assert_array_equal(up, np.nextafter(x, np.float32(np.inf)))
    np.testing.assert_array_equal(down, np.nextafter(x, np.float32(-np.inf)))


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
        return mod.uniform(key, (3,)), mod.split(key, 3)

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
