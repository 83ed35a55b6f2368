"""Typed PRNG keys (hlox.random.key) against jax.random.key: same words, same bits from
every sampler as the raw-key path, and key arrays through indexing, jit, vmap and scan."""

import jax
import jax.random as jr
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
import hlox.random as hr
from hlox.frontend.libraries.key_array import PRNGKeyArray

from test_random import TRANSCENDENTAL_TOLS

EXACT = ["bits", "uniform", "randint", "bernoulli", "permutation", "categorical", "choice",
         "split", "fold_in"]
INEXACT = ["normal", "gumbel", "truncated_normal", "exponential"]  # through erf_inv/log


def samples(mod, key):
    """One draw from every hlox.random function that takes a key."""
    logits = np.log(np.array([0.2, 0.3, 0.5], np.float32))
    out = {"bits": mod.bits(key, (3,)), "uniform": mod.uniform(key, (2, 3)),
           "randint": mod.randint(key, (4,), -5, 9), "bernoulli": mod.bernoulli(key, 0.3, (5,)),
           "permutation": mod.permutation(key, 7), "categorical": mod.categorical(key, logits),
           "choice": mod.choice(key, 10, (3,), replace=False),
           "split": mod.key_data(mod.split(key, 3)), "fold_in": mod.key_data(mod.fold_in(key, 5)),
           "normal": mod.normal(key, (4,)), "gumbel": mod.gumbel(key, (3,)),
           "truncated_normal": mod.truncated_normal(key, -1.0, 2.0, (3,)),
           "exponential": mod.exponential(key, (3,))}
    assert sorted(out) == sorted(EXACT + INEXACT)
    return out


@pytest.mark.parametrize("seed", [0, 2**31 - 1, -1])
def test_key_words_dtype_and_split_chain(seed):
    key, jkey = hr.key(seed), jr.key(seed)
    assert key.shape == () and str(key.dtype) == "key<fry>" == str(jkey.dtype)
    assert hnp.issubdtype(key.dtype, hlox.dtypes.prng_key)
    assert hnp.issubdtype(key.dtype, hlox.dtypes.extended)
    assert not hnp.issubdtype(np.float32, hlox.dtypes.prng_key)
    assert not hnp.issubdtype(key.dtype, np.integer)
    np.testing.assert_array_equal(hr.key_data(key), jr.key_data(jkey))
    np.testing.assert_array_equal(hr.key_data(key), hr.PRNGKey(seed))
    for step in range(2):
        key, sub = hr.split(key)
        jkey, jsub = jr.split(jkey)
        key, jkey = hr.fold_in(key, step), jr.fold_in(jkey, step)
        assert isinstance(key, PRNGKeyArray) and sub.shape == ()
        np.testing.assert_array_equal(hr.key_data(sub), jr.key_data(jsub))
    grid = hr.split(key, (2, 3))
    assert grid.shape == (2, 3) and grid[1].shape == (3,) and grid[..., 2].shape == (2,)
    np.testing.assert_array_equal(hr.key_data(grid[1, 2]),
                                  jr.key_data(jr.split(jkey, (2, 3))[1, 2]))
    wrapped = hr.wrap_key_data(hr.key_data(grid))
    np.testing.assert_array_equal(hr.key_data(wrapped), hr.key_data(grid))


def test_every_function_gives_the_raw_key_bits_and_jax_typed_keys():
    # Exact samplers must equal JAX's typed-key bits; the inexact ones (erf_inv/log) must
    # equal hlox's raw-key path bit for bit and JAX's within the stated tolerance.
    def run(k, r):
        raw = samples(hr, r)
        return samples(hr, k), {name: raw[name] for name in INEXACT}
    typed, raw = hlox.jit(run)(hr.key(11), hr.PRNGKey(11))
    reference = jax.jit(lambda k: samples(jr, k))(jr.key(11))
    for name in EXACT:
        np.testing.assert_array_equal(typed[name], reference[name], err_msg=name)
    for name in INEXACT:
        np.testing.assert_array_equal(typed[name], raw[name], err_msg=name)
        np.testing.assert_allclose(typed[name], reference[name], err_msg=name,
                                   **TRANSCENDENTAL_TOLS[np.dtype(np.float32)])
    eager = hr.uniform(hr.key(11), (2, 3))  # outside jit too
    np.testing.assert_array_equal(eager, typed["uniform"])


def test_key_arrays_are_leaves_and_cross_jit_vmap_scan():
    keys, jkeys = hr.split(hr.key(3), 4), jr.split(jr.key(3), 4)
    leaves = hlox.tree_util.tree_leaves({"k": keys, "x": 1.0})
    assert len(leaves) == 2 and leaves[0] is keys
    assert hlox.tree.map(lambda k: k.shape, [keys]) == [(4,)]

    def step(mod, total, key):
        new, sub = mod.split(key)
        return total + mod.normal(sub), (mod.uniform(new), new)

    def run(mod, lax, keys):
        total, (us, news) = lax.scan(lambda c, k: step(mod, c, k), np.float32(0), keys)
        mapped = jax.vmap(lambda k: mod.bits(k, (2,))) if mod is jr else \
            hlox.vmap(lambda k: hr.bits(k, (2,)))
        return total, us, mod.key_data(news), mapped(keys)

    got = hlox.jit(lambda k: run(hr, hlox.lax, k))(keys)
    want = jax.jit(lambda k: run(jr, jax.lax, k))(jkeys)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, **TRANSCENDENTAL_TOLS[np.dtype(np.float32)])
    # vmap over a key array against a loop over its keys; keys as a vmap output
    out = hlox.vmap(lambda k: (hr.bits(k, (3,)), hr.fold_in(k, 1)))(keys)
    assert isinstance(out[1], PRNGKeyArray) and out[1].shape == (4,)
    for i, k in enumerate(keys):
        np.testing.assert_array_equal(out[0][i], hr.bits(k, (3,)))
        np.testing.assert_array_equal(hr.key_data(out[1][i]), hr.key_data(hr.fold_in(k, 1)))
    grid = hr.split(hr.key(0), (2, 3))
    for axis in (1, -1):  # the key axes: -1 is the last of them, never the key words
        by_column = hlox.vmap(lambda k: hr.key_data(k), in_axes=axis)(grid)
        np.testing.assert_array_equal(by_column, np.swapaxes(hr.key_data(grid), 0, 1))
        moved = hlox.vmap(lambda k: k, in_axes=0, out_axes=axis)(grid)
        assert moved.shape == (3, 2)
        np.testing.assert_array_equal(hr.key_data(moved), np.swapaxes(hr.key_data(grid), 0, 1))


def test_key_errors_are_jax_kinds():
    keys = hr.split(hr.key(0), 3)
    with pytest.raises(ValueError, match="normal accepts a single key, but was given a key "
                                         r"array of shape \(3,\)"):
        hr.normal(keys, (2,))
    with pytest.raises(TypeError, match="wrap_key_data: invalid PRNG key data"):
        hr.wrap_key_data(np.zeros((3,), np.uint32))
    with pytest.raises(TypeError, match="wrap_key_data: invalid PRNG key data"):
        hr.wrap_key_data(np.zeros((2,), np.int32))
    with pytest.raises(NotImplementedError, match="only the threefry2x32 PRNG"):
        hr.key(0, impl="rbg")
    assert hr.key_impl(keys) == "threefry2x32"
