"""stablehlo.rng_bit_generator on the CPU backend, bit-exact with XLA.

Each case lowers ``jax.lax.rng_bit_generator`` with JAX, compiles the
StableHLO text with hlox's CPU backend and compares the new state and the
generated bits with XLA's (JAX on CPU): exactly, since these are bits.
Shapes cover the ways the generators lay out their blocks: rank 0, an even
dimension (halved by THREE_FRY), only odd dimensions (the largest is
halved), sizes not a multiple of Philox's 4 words, size-1 dimensions.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
lax = jax.lax

import hlox  # noqa: E402

ALGORITHMS = {
    "THREE_FRY": lax.RandomAlgorithm.RNG_THREE_FRY,
    "PHILOX": lax.RandomAlgorithm.RNG_PHILOX,
    "DEFAULT": lax.RandomAlgorithm.RNG_DEFAULT,
}
KEY = np.array([0x12345678, 0x9ABCDEF0, 0xFFFFFFFF, 7], dtype=np.uint32)


def check(shape, dtype, algorithm, key=KEY):
    with jax.enable_x64(np.dtype(dtype).itemsize == 8):  # 64-bit outputs need x64
        _check(shape, dtype, algorithm, key)


def _check(shape, dtype, algorithm, key):
    def f(k):
        return lax.rng_bit_generator(k, shape, dtype, ALGORITHMS[algorithm])

    text = jax.jit(f).lower(key).as_text()
    assert "stablehlo.rng_bit_generator" in text
    got = hlox.compile_stablehlo(text, backend="cpu")(key)
    want = jax.jit(f)(key)
    for g, w, what in zip(got, want, ("state", "bits")):
        w = np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype, (what, g.shape, w.shape)
        np.testing.assert_array_equal(g, w, err_msg=f"{algorithm} {shape} {dtype}: {what}")


@pytest.mark.parametrize("algorithm", sorted(ALGORITHMS))
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
def test_every_algorithm_and_width(algorithm, dtype):
    check((3, 5), dtype, algorithm)


@pytest.mark.parametrize("shape", [(), (1,), (7,), (4, 3), (2, 3, 4), (5, 1, 3)])
@pytest.mark.parametrize("algorithm", ["THREE_FRY", "PHILOX"])
def test_block_layout_over_shapes(shape, algorithm):
    check(shape, np.uint32, algorithm)


@pytest.mark.parametrize("algorithm", ["THREE_FRY", "PHILOX"])
def test_counter_carries(algorithm):
    # A counter about to wrap: Philox carries into its high word, Threefry
    # wraps its 64-bit counter.
    key = np.array([1, 2, 0xFFFFFFFF, 0xFFFFFFFF], dtype=np.uint32)
    check((9,), np.uint64, algorithm, key)
