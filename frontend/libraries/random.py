"""``hlox.random``: JAX's counter-based PRNG (threefry2x32), bit for bit.

Keys are raw ``uint32[2]`` arrays (``PRNGKey``) or typed key arrays
(``key``, :mod:`hlox.frontend.libraries.key_array`); every function takes either,
works on the raw words, and returns keys of the kind it was given. Everything
follows JAX's derivation with ``jax_threefry_partitionable=True`` (the
default since JAX 0.5): the element at flat index ``i`` of a sample of any
shape comes from ``threefry2x32(key, (hi32(i), lo32(i)))``, ``split`` and
``fold_in`` hash a counter the same way, and the samplers turn bits into
numbers with the same float/integer tricks, so a seed gives JAX's numbers.

Each public function runs as one ``hlox.jit`` (shape and dtype static), so
eager calls compile once per signature instead of once per primitive, and
inside ``jit``/``vmap``/``grad`` they trace inline.
"""

from __future__ import annotations

import math
from typing import Sequence

import ml_dtypes
import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend import lax
from hlox.frontend.core.array import Array
from hlox.frontend.numpy import base as hnp
from hlox.frontend.numpy import shape_ops
from hlox.frontend.core.tracing import Tracer, get_aval
from hlox.frontend.staging.jit import jit
from hlox.frontend.libraries.key_array import PRNGKeyArray, check_key_data

__all__ = ["PRNGKey", "key", "key_data", "wrap_key_data", "key_impl", "split", "fold_in", "bits",
           "uniform", "normal", "randint", "bernoulli", "categorical", "gumbel", "permutation",
           "shuffle", "choice", "truncated_normal", "exponential", "threefry2x32"]

_U32 = dtypes.uint32
_UINT_OF_BITS = {8: dtypes.uint8, 16: dtypes.uint16, 32: dtypes.uint32, 64: dtypes.uint64}


# ---------------------------------------------------------------------------
# threefry2x32 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
# SC'11): 20 rounds of add/rotate/xor on two 32-bit words, with the key
# schedule injected every 4 rounds.
# ---------------------------------------------------------------------------

_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
_KEY_PARITY = 0x1BD11BDA  # Threefish's C240 constant, truncated to 32 bits


def _u32(value):
    return np.uint32(value)


def _rotate_left(x, r: int):
    return (x << _u32(r)) | (x >> _u32(32 - r))  # >> is logical on unsigned


def _threefry2x32(k0, k1, x0, x1):
    """Encrypts the counter words ``(x0, x1)`` (uint32 arrays) under the key ``(k0, k1)``."""
    schedule = (k0, k1, k0 ^ k1 ^ _u32(_KEY_PARITY))
    x0 = x0 + k0
    x1 = x1 + k1
    for group in range(5):
        for r in _ROTATIONS[group % 2]:
            x0 = x0 + x1
            x1 = _rotate_left(x1, r) ^ x0
        x0 = x0 + schedule[(group + 1) % 3]
        x1 = x1 + schedule[(group + 2) % 3] + _u32(group + 1)
    return x0, x1


threefry2x32_jit = jit(_threefry2x32)


def threefry2x32(key_words, counts):
    """The threefry2x32 hash of ``counts = (x0, x1)`` under ``key_words = (k0, k1)``."""
    k0, k1 = key_words
    x0, x1 = counts
    return threefry2x32_jit(*(hnp.asarray(v, _U32) for v in (k0, k1, x0, x1)))


# ---------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------


def _check_key(name: str, key):
    """The raw ``uint32[2]`` words of one key, raw or typed."""
    if isinstance(key, PRNGKeyArray):
        if key.shape != ():
            raise ValueError(f"hlox.random.{name} accepts a single key, but was given a key "
                             f"array of shape {key.shape} != (). Use hlox.vmap for batching.")
        return key._base
    if not isinstance(key, (Tracer, np.ndarray, Array)):  # lists, or another library's arrays
        try:
            key = np.asarray(key)
        except Exception:
            raise TypeError(f"hlox.random.{name}: expected a key (uint32[2], from "
                            f"hlox.random.PRNGKey), got {type(key).__name__}") from None
    aval = get_aval(key)
    if aval.dtype != _U32 or aval.shape != (2,):
        raise TypeError(f"hlox.random.{name}: expected a key (uint32[2], from "
                        f"hlox.random.PRNGKey), got {aval.str_short()}; for a batch of keys "
                        f"use hlox.vmap")
    return key


def _index0(x, i: int):
    """``x[i]`` along the leading axis, as a masked sum (no slicing primitive needed).

    Exact where it is used: on integers, and on non-negative floats (no -0.0 to lose).
    """
    aval = get_aval(x)
    mask = lax.eq(lax.broadcasted_iota(np.int32, aval.shape, 0), np.full(aval.shape, i, np.int32))
    return lax.reduce_sum(lax.select(mask, x, np.zeros(aval.shape, aval.dtype)), (0,))


def _key_words(key):
    """``key[0], key[1]``: the key's two uint32 words, as scalars."""
    return _index0(key, 0), _index0(key, 1)


def _stack_words(a, b):
    """``stack([a, b], axis=-1)`` of two equally shaped uint32 arrays."""
    shape = get_aval(a).shape
    out = shape + (2,)
    dims = tuple(range(len(shape)))
    first = lax.eq(lax.broadcasted_iota(np.int32, out, len(shape)), np.zeros(out, np.int32))
    return lax.select(first, lax.broadcast_in_dim(a, out, dims), lax.broadcast_in_dim(b, out, dims))


def _seed_to_key(seed):
    seed = hnp.asarray(seed)
    high = lax.shift_right_logical(seed, np.full((), 32, get_aval(seed).dtype))
    return _stack_words(lax.convert_element_type(high, _U32),
                        lax.convert_element_type(seed, _U32))


_seed_to_key_jit = jit(_seed_to_key)


def PRNGKey(seed) -> np.ndarray:
    """A raw key (``uint32[2]``) from an integer seed (``jax.random.PRNGKey``).

    As in JAX without x64: a 32-bit seed ``s`` gives ``[0, s mod 2**32]``.
    """
    if isinstance(seed, Tracer):
        aval = get_aval(seed)
        if aval.shape or not dtypes.is_int(aval.dtype):
            raise TypeError(f"hlox.random.PRNGKey: the seed must be an integer scalar, got "
                            f"{aval.str_short()}")
        return _seed_to_key_jit(seed)
    if type(seed) is Array:
        seed = np.asarray(seed)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer, np.ndarray)):
        raise TypeError(f"hlox.random.PRNGKey: the seed must be an integer, got {seed!r}")
    if isinstance(seed, np.ndarray) and (seed.shape or not dtypes.is_int(seed.dtype)):
        raise TypeError(f"hlox.random.PRNGKey: the seed must be an integer scalar, got "
                        f"{seed.dtype}{list(seed.shape)}")
    value = int(seed)
    if not -2**31 <= value < 2**32:
        raise OverflowError(f"hlox.random.PRNGKey: seed {value} does not fit in 32 bits "
                            f"(64-bit seeds need x64, which hlox does not enable)")
    return np.array([0, value & 0xFFFFFFFF], _U32)


def key(seed, *, impl=None) -> PRNGKeyArray:
    """A typed key (a key array of shape ``()``) from an integer seed (``jax.random.key``);
    its words are ``PRNGKey(seed)``'s, so both give the same numbers."""
    _check_impl(impl)
    return PRNGKeyArray(PRNGKey(seed))


def _check_impl(impl) -> None:
    if impl not in (None, "threefry2x32"):
        raise NotImplementedError(f"hlox.random: only the threefry2x32 PRNG exists, not {impl!r}")


def key_data(keys):
    """The ``uint32[..., 2]`` words of typed keys; raw keys are their own words."""
    if isinstance(keys, PRNGKeyArray):
        return keys._base
    return _check_raw_keys("key_data", keys)


def _check_raw_keys(name: str, keys):
    if not isinstance(keys, Tracer):
        keys = np.asarray(keys)
    check_key_data(name, keys)
    return keys


def wrap_key_data(key_bits_array, *, impl=None) -> PRNGKeyArray:
    """Typed keys over ``uint32[..., 2]`` words (``jax.random.wrap_key_data``)."""
    _check_impl(impl)
    if isinstance(key_bits_array, PRNGKeyArray):
        raise TypeError("hlox.random.wrap_key_data: the argument is already a key array; "
                        "pass its words (key_data)")
    return PRNGKeyArray(_check_raw_keys("wrap_key_data", key_bits_array))


def key_impl(keys) -> str:
    """The name of the PRNG behind ``keys``: always threefry2x32 in hlox."""
    if not isinstance(keys, PRNGKeyArray):
        _check_raw_keys("key_impl", keys)
    return "threefry2x32"


def _like(key, raw):
    """``raw`` key words, typed if ``key`` (what the caller passed) was typed."""
    return PRNGKeyArray(raw) if isinstance(key, PRNGKeyArray) else raw


def _shape(name: str, shape) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        shape = tuple(int(d) for d in shape)
    except TypeError:
        raise TypeError(f"hlox.random.{name}: shape must be a sequence of ints, got "
                        f"{shape!r}") from None
    if any(d < 0 for d in shape):
        raise ValueError(f"hlox.random.{name}: negative dimension in shape {shape}")
    return shape


def _counter_bits(key, shape):
    """threefry of the flat index of each element of ``shape``: two uint32 arrays."""
    k0, k1 = _key_words(key)
    size = math.prod(shape)
    if size >= 2**32:
        raise NotImplementedError("hlox.random: samples of 2**32 or more elements")
    low = lax.reshape(lax.iota(_U32, size), shape)
    high = np.zeros(shape, _U32)  # the high word of indices below 2**32
    spread = lambda k: lax.broadcast_in_dim(k, shape, ())  # noqa: E731
    return _threefry2x32(spread(k0), spread(k1), high, low)


def _split(key, shape):
    return _stack_words(*_counter_bits(key, shape))


def _split_two(key):
    """``k1, k2 = split(key)``, as two keys."""
    w0, w1 = _counter_bits(key, (2,))
    return tuple(_stack_words(_index0(w0, i), _index0(w1, i)) for i in (0, 1))


_split_jit = jit(_split, static_argnums=(1,))


def split(key, num: int | Sequence[int] = 2):
    """``num`` new keys from ``key`` (``jax.random.split``): a key array of shape ``num``
    for a typed key, a ``(*num, 2)`` array for a raw one."""
    return _like(key, _split_jit(_check_key("split", key), _shape("split", num)))


def _fold_in(key, data):
    k0, k1 = _key_words(key)
    y0, y1 = _threefry2x32(k0, k1, np.zeros((), _U32), data)
    return _stack_words(y0, y1)


_fold_in_jit = jit(_fold_in)


def fold_in(key, data):
    """A new key from ``key`` and an integer ``data`` (``jax.random.fold_in``)."""
    given, key = key, _check_key("fold_in", key)
    if isinstance(data, Tracer):
        aval = get_aval(data)
        if aval.shape or not dtypes.is_int(aval.dtype):
            raise TypeError(f"hlox.random.fold_in: data must be an integer scalar, got "
                            f"{aval.str_short()}")
        data = lax.convert_element_type(data, _U32)
    else:
        if isinstance(data, (float, np.floating)) or np.ndim(data):
            raise TypeError(f"hlox.random.fold_in: data must be an integer scalar, got {data!r}")
        data = np.asarray(data).astype(_U32)
    return _like(given, _fold_in_jit(key, data))


# ---------------------------------------------------------------------------
# Bits and the samplers built on them
# ---------------------------------------------------------------------------


def _random_bits(key, bit_width: int, shape):
    b0, b1 = _counter_bits(key, shape)
    if bit_width == 64:  # (x64 only) the two words side by side, high one first, as JAX
        u64 = _UINT_OF_BITS[64]
        high, low = (lax.convert_element_type(b, u64) for b in (b0, b1))
        return lax.bitwise_or(lax.shift_left(high, np.full(shape, 32, u64)), low)
    mixed = b0 ^ b1
    if bit_width == 32:
        return mixed
    return lax.convert_element_type(mixed, _UINT_OF_BITS[bit_width])


_bits_jit = jit(_random_bits, static_argnums=(1, 2))


def bits(key, shape: Sequence[int] = (), dtype=None):
    """Uniform random bits of an unsigned ``dtype`` (default uint32, uint64 with x64)
    (``jax.random.bits``)."""
    dtype = dtypes.default_uint() if dtype is None else dtypes.user_dtype(dtype, "bits")
    width = dtype.itemsize * 8
    if dtype.kind != "u" or width not in _UINT_OF_BITS:
        raise TypeError(f"hlox.random.bits: dtype must be uint8, uint16, uint32 or (with x64) "
                        f"uint64, got {dtype}")
    return _bits_jit(_check_key("bits", key), width, _shape("bits", shape))


def _float_dtype(name: str, dtype) -> np.dtype:
    dtype = dtypes.default_float() if dtype is None else dtypes.user_dtype(dtype, name)
    if not dtypes.is_float(dtype):
        raise TypeError(f"hlox.random.{name}: dtype must be a float type, got {dtype}")
    return dtype


def _uniform(key, shape, dtype, minval, maxval):
    info = _finfo(dtype)
    nbits, nmant = info.bits, info.nmant
    rng_bits = nbits if nmant >= 8 else 8  # bfloat16 draws 8 random bits, as JAX does
    uint = _UINT_OF_BITS[nbits]
    raw = _random_bits(key, rng_bits, shape)
    if rng_bits != nbits:
        raw = lax.convert_element_type(raw, uint)
    # Random mantissa bits under the exponent of 1.0: a float in [1, 2).
    mantissa = lax.shift_right_logical(raw, np.full(shape, rng_bits - nmant, uint))
    one_bits = np.full(shape, np.array(1.0, dtype).view(uint), uint)
    floats = lax.bitcast_convert_type(lax.bitwise_or(mantissa, one_bits), dtype)
    floats = lax.sub(floats, np.ones(shape, dtype))
    minval = hnp.broadcast_to(hnp.asarray(minval, dtype), shape)
    maxval = hnp.broadcast_to(hnp.asarray(maxval, dtype), shape)
    return lax.max(minval, lax.add(lax.mul(floats, lax.sub(maxval, minval)), minval))


def _finfo(dtype):
    return ml_dtypes.finfo(dtype)  # numpy's finfo does not know bfloat16


_uniform_jit = jit(_uniform, static_argnums=(1, 2))


def _check_bounds(name: str, shape, *values):
    for v in values:
        vshape = np.shape(v) if not isinstance(v, Tracer) else v.shape
        try:
            out = np.broadcast_shapes(vshape, shape)
        except ValueError:
            out = None
        if out != tuple(shape):
            raise ValueError(f"hlox.random.{name}: an argument of shape {tuple(vshape)} does "
                             f"not broadcast to the sample shape {tuple(shape)}")


def uniform(key, shape: Sequence[int] = (), dtype=None, minval=0.0, maxval=1.0):
    """Uniform floats in ``[minval, maxval)`` (``jax.random.uniform``)."""
    dtype = _float_dtype("uniform", dtype)
    shape = _shape("uniform", shape)
    _check_bounds("uniform", shape, minval, maxval)
    return _uniform_jit(_check_key("uniform", key), shape, dtype, minval, maxval)


def _normal(key, shape, dtype):
    lo = np.nextafter(np.array(-1.0, dtype), np.array(0.0, dtype))
    u = _uniform(key, shape, dtype, lo, np.array(1.0, dtype))
    return lax.mul(np.full(shape, np.sqrt(2), dtype), lax.erf_inv(u))


_normal_jit = jit(_normal, static_argnums=(1, 2))


def normal(key, shape: Sequence[int] = (), dtype=None):
    """Standard normal samples (``jax.random.normal``): ``sqrt(2) * erf_inv(u)``, u uniform
    in (-1, 1)."""
    return _normal_jit(_check_key("normal", key), _shape("normal", shape),
                       _float_dtype("normal", dtype))


def _gumbel(key, shape, dtype):
    tiny = np.array(_finfo(dtype).tiny, dtype)
    u = _uniform(key, shape, dtype, tiny, np.array(1.0, dtype))
    return lax.neg(lax.log(lax.neg(lax.log(u))))


_gumbel_jit = jit(_gumbel, static_argnums=(1, 2))


def gumbel(key, shape: Sequence[int] = (), dtype=None, mode: str | None = None):
    """Standard Gumbel samples, ``-log(-log(u))`` (``jax.random.gumbel``, mode="low")."""
    if mode not in (None, "low"):
        raise NotImplementedError(f"hlox.random.gumbel: mode={mode!r} is not supported yet "
                                  f"(only 'low', JAX's default)")
    return _gumbel_jit(_check_key("gumbel", key), _shape("gumbel", shape),
                       _float_dtype("gumbel", dtype))


def _bernoulli(key, p, shape, mode):
    p = hnp.asarray(p)
    dtype = get_aval(p).dtype
    p = hnp.broadcast_to(p, shape)
    if mode == "low":
        return lax.lt(_uniform(key, shape, dtype, 0.0, 1.0), p)
    # "high": twice the random bits, u1 + u2 * 2**-nmant < p (as JAX)
    pair = _uniform(key, (2,) + shape, dtype, 0.0, 1.0)
    u1, u2 = _index0(pair, 0), _index0(pair, 1)
    u2 = lax.mul(u2, np.full(shape, 2.0 ** -_finfo(dtype).nmant, dtype))
    return lax.lt(u2, lax.sub(p, u1))


_bernoulli_jit = jit(_bernoulli, static_argnums=(2, 3))


def bernoulli(key, p=0.5, shape: Sequence[int] | None = None, mode: str = "low"):
    """``True`` with probability ``p`` (``jax.random.bernoulli``): ``uniform < p``; with
    ``mode="high"``, twice the random bits (for tiny ``p``)."""
    if mode not in ("low", "high"):
        raise ValueError(f"hlox.random.bernoulli: got mode={mode!r}, expected 'high' or 'low'")
    p_aval = get_aval(p)
    if not dtypes.is_float(p_aval.dtype):
        p = hnp.asarray(p, dtypes.float32)
        p_aval = get_aval(p)
    _float_dtype("bernoulli", p_aval.dtype)
    shape = p_aval.shape if shape is None else _shape("bernoulli", shape)
    _check_bounds("bernoulli", shape, p)
    return _bernoulli_jit(_check_key("bernoulli", key), p, shape, mode)


# -- randint -----------------------------------------------------------------


def _minimum(a, b):
    return lax.select(lax.lt(a, b), a, b)


def _rem(a, b):
    """``a % b`` for unsigned ``a, b`` (integer division truncates)."""
    return lax.sub(a, lax.mul(lax.div(a, b), b))


def _clip_to(value, dtype):
    """``value`` (an integer array) clipped into ``dtype``'s range, then converted."""
    info, src = np.iinfo(dtype), get_aval(value).dtype
    src_info = np.iinfo(src)
    shape = get_aval(value).shape
    lo, hi = max(info.min, src_info.min), min(info.max, src_info.max)
    value = lax.max(value, np.full(shape, lo, src))
    value = _minimum(value, np.full(shape, hi, src))
    return lax.convert_element_type(value, dtype)


def _randint(key, shape, dtype, minval, maxval):
    minval, maxval = hnp.asarray(minval), hnp.asarray(maxval)
    wide = get_aval(maxval).dtype
    minval = hnp.broadcast_to(minval, shape)
    maxval = hnp.broadcast_to(maxval, shape)
    info = np.iinfo(dtype)
    # maxval above dtype's range (randint(key, s, 0, 256, uint8)): the span is one larger.
    if info.max < np.iinfo(wide).max:
        too_big = lax.gt(maxval, np.full(shape, info.max, wide))
    else:
        too_big = np.zeros(shape, bool)
    lo, hi = _clip_to(minval, dtype), _clip_to(maxval, dtype)
    nbits = info.bits
    uint = _UINT_OF_BITS[nbits]
    key1, key2 = _split_two(key)
    high_bits = _random_bits(key1, nbits, shape)
    low_bits = _random_bits(key2, nbits, shape)
    ones = np.ones(shape, uint)
    span = lax.convert_element_type(lax.sub(hi, lo), uint)
    span = lax.select(lax.le(hi, lo), ones, span)  # maxval <= minval: always minval
    span = lax.select(lax.bitwise_and(too_big, lax.gt(hi, lo)), lax.add(span, ones), span)
    # (high * 2**nbits + low) % span, with 2**nbits % span computed without overflow
    multiplier = _rem(np.full(shape, 2 ** (nbits // 2), uint), span)
    multiplier = _rem(lax.mul(multiplier, multiplier), span)
    offset = lax.add(lax.mul(_rem(high_bits, span), multiplier), _rem(low_bits, span))
    offset = _rem(offset, span)
    return lax.add(lo, lax.convert_element_type(offset, dtype))


def _randint_any_width(key, shape, dtype, minval, maxval):
    info = np.iinfo(dtype)
    if info.bits >= 32:
        return _randint(key, shape, dtype, minval, maxval)
    # As JAX: narrow dtypes are sampled as int32 (less modulo bias), bounds clipped to
    # [min, max] and [min, max + 1], then cast.
    bounds = []
    for value, top in ((minval, info.max), (maxval, info.max + 1)):
        value = hnp.asarray(value, dtypes.int32)
        shape_v = get_aval(value).shape
        value = lax.max(value, np.full(shape_v, info.min, np.int32))
        bounds.append(_minimum(value, np.full(shape_v, top, np.int32)))
    sample = _randint(key, shape, dtypes.int32, *bounds)
    return lax.convert_element_type(sample, dtype)


_randint_jit = jit(_randint_any_width, static_argnums=(1, 2))


def randint(key, shape: Sequence[int], minval, maxval, dtype=None):
    """Integers in ``[minval, maxval)`` (``jax.random.randint``; default dtype: the default
    int, int32 or, with x64, int64)."""
    dtype = dtypes.default_int() if dtype is None else dtypes.user_dtype(dtype, "randint")
    if not dtypes.is_int(dtype):
        raise TypeError(f"hlox.random.randint: dtype must be an integer type, got {dtype}")
    shape = _shape("randint", shape)
    _check_bounds("randint", shape, minval, maxval)
    minval, maxval = (_as_integer(v) for v in (minval, maxval))
    return _randint_jit(_check_key("randint", key), shape, dtype, minval, maxval)


def _as_integer(value):
    """Float bounds are truncated to integers, as ``jax.random.randint`` does."""
    aval = get_aval(value)
    if dtypes.is_int(aval.dtype):
        return value
    if isinstance(value, Tracer):
        return lax.convert_element_type(value, dtypes.int32)
    return np.asarray(value).astype(np.int32)


# -- permutation and categorical (sorting random keys) ----------------------


def _shuffle(key, x, axis):
    """JAX's shuffle: sort by fresh random 32-bit keys, enough rounds to make ties unlikely."""
    size = get_aval(x).size
    rounds = int(np.ceil(3 * np.log(max(1, size)) / np.log(np.iinfo(np.uint32).max)))
    for _ in range(rounds):
        key, subkey = _split_two(key)
        sort_keys = _random_bits(subkey, 32, get_aval(x).shape)
        x = lax.sort_key_val(sort_keys, x, axis)[1]
    return x


def _permutation(key, x, axis, independent):
    x = hnp.asarray(x)
    aval = get_aval(x)
    if independent or aval.ndim == 1:
        return _shuffle(key, x, axis)
    # Permute slices along `axis` together: shuffle their indices, then sort x by the
    # inverse permutation (broadcast along the other axes).
    n = aval.shape[axis]
    order = _shuffle(key, lax.iota(np.int32, n), 0)
    inverse = lax.sort_key_val(order, lax.iota(np.int32, n), 0)[1]
    keys = lax.broadcast_in_dim(inverse, aval.shape, (axis,))
    return lax.sort_key_val(keys, x, axis)[1]


_permutation_jit = jit(_permutation, static_argnums=(2, 3))


def permutation(key, x, axis: int = 0, independent: bool = False):
    """A random permutation of ``range(x)`` (int ``x``) or of ``x`` along ``axis``
    (``jax.random.permutation``)."""
    key = _check_key("permutation", key)
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        if x < 0:
            raise ValueError(f"hlox.random.permutation: x must be non-negative, got {x}")
        return _permutation_jit(key, np.arange(int(x), dtype=dtypes.default_int()), 0, False)
    aval = get_aval(x)
    if aval.ndim == 0:
        raise TypeError("hlox.random.permutation: x must be an integer or an array of rank >= 1")
    if not -aval.ndim <= axis < aval.ndim:
        raise ValueError(f"hlox.random.permutation: axis {axis} out of range for rank "
                         f"{aval.ndim}")
    return _permutation_jit(key, x, axis % aval.ndim, bool(independent))


def shuffle(key, x, axis: int = 0):
    """``x`` shuffled along ``axis`` (JAX's deprecated ``jax.random.shuffle``)."""
    return permutation(key, x, axis, independent=True)


def _argmax(x, axis: int):
    """Index of the first maximum along ``axis`` (NaN counts as the maximum, as in JAX)."""
    aval = get_aval(x)
    n, int_ = aval.shape[axis], dtypes.default_int()
    index = lax.broadcasted_iota(int_, aval.shape, axis)
    # Ascending by (x, -index): the last entry is the largest x with the smallest index.
    order = lax.sort((x, lax.neg(index), index), dimension=axis, num_keys=2)[2]
    last = lax.eq(index, np.full(aval.shape, n - 1, int_))
    return lax.reduce_sum(lax.select(last, order, np.zeros(aval.shape, int_)), (axis,))


def _categorical(key, logits, axis, shape):
    logits = hnp.asarray(logits)
    aval = get_aval(logits)
    batch = aval.shape[:axis] + aval.shape[axis + 1:]
    prefix = shape[:len(shape) - len(batch)]
    full = prefix + batch[:axis] + (aval.shape[axis],) + batch[axis:]
    noise = _gumbel(key, full, aval.dtype)
    spread = lax.broadcast_in_dim(logits, full, tuple(range(len(prefix), len(full))))
    return _argmax(lax.add(noise, spread), len(prefix) + axis)


_categorical_jit = jit(_categorical, static_argnums=(2, 3))


def categorical(key, logits, axis: int = -1, shape: Sequence[int] | None = None,
                replace: bool = True, mode: str | None = None):
    """Samples of category indices with unnormalized log-probabilities ``logits`` along
    ``axis`` (``jax.random.categorical``, Gumbel-max)."""
    if not replace:
        raise NotImplementedError("hlox.random.categorical: replace=False is not supported yet")
    if mode not in (None, "low"):
        raise NotImplementedError(f"hlox.random.categorical: mode={mode!r} is not supported "
                                  f"yet (only 'low', JAX's default)")
    aval = get_aval(logits)
    if not dtypes.is_float(aval.dtype):
        logits = hnp.asarray(logits, dtypes.float32)
        aval = get_aval(logits)
    _float_dtype("categorical", aval.dtype)
    if not -aval.ndim <= axis < aval.ndim:
        raise ValueError(f"hlox.random.categorical: axis {axis} out of range for logits of "
                         f"rank {aval.ndim}")
    axis %= aval.ndim
    batch = aval.shape[:axis] + aval.shape[axis + 1:]
    shape = batch if shape is None else _shape("categorical", shape)
    if shape[len(shape) - len(batch):] != batch or len(shape) < len(batch):
        raise ValueError(f"hlox.random.categorical: shape {shape} must end with the logits' "
                         f"batch shape {batch}")
    return _categorical_jit(_check_key("categorical", key), logits, axis, shape)


def _prefix(x, k: int):
    """The first ``k`` entries of a 1-D integer array (a one-hot masked sum: exact)."""
    n = get_aval(x).shape[0]
    rows = lax.broadcasted_iota(np.int32, (k, n), 0)
    cols = lax.broadcasted_iota(np.int32, (k, n), 1)
    spread = lax.broadcast_in_dim(x, (k, n), (1,))
    zeros = np.zeros((k, n), get_aval(x).dtype)
    return lax.reduce_sum(lax.select(lax.eq(rows, cols), spread, zeros), (1,))


def _choice(key, p, n, shape, replace):
    draws = math.prod(shape)
    if p is None:
        if replace:
            return _randint(key, shape, dtypes.default_int(), 0, n)
        order = _shuffle(key, lax.iota(dtypes.default_int(), n), 0)
        return lax.reshape(_prefix(order, draws), shape)
    p = hnp.asarray(p)
    if replace:
        # Weighted with replacement (as JAX): invert the CDF at uniform draws; the index is
        # how many cumulative weights lie below the draw (searchsorted, side='left').
        cdf = lax.cumsum(p, axis=0)
        dtype = get_aval(cdf).dtype
        u = _uniform(key, shape, dtype, np.zeros((), dtype), np.ones((), dtype))
        total = lax.reshape(lax.slice(cdf, (n - 1,), (n,)), ())
        r = lax.mul(lax.sub(np.ones(shape, dtype), u), lax.broadcast_in_dim(total, shape, ()))
        below = lax.lt(lax.broadcast_in_dim(cdf, shape + (n,), (len(shape),)),
                       lax.broadcast_in_dim(r, shape + (n,), tuple(range(len(shape)))))
        return lax.reduce_sum(lax.convert_element_type(below, np.int32), (len(shape),))
    # Without replacement, weighted: the Gumbel top-k trick (as JAX).
    g = lax.add(_gumbel(key, (n,), get_aval(p).dtype), lax.log(p))
    indices = lax.convert_element_type(lax.top_k(g, draws)[1], dtypes.default_int())
    return lax.reshape(indices, shape)


_choice_jit = jit(_choice, static_argnums=(2, 3, 4))


def choice(key, a, shape: Sequence[int] = (), replace: bool = True, p=None, axis: int = 0,
           mode: str | None = None):
    """Random draws from ``range(a)``, or from ``a``'s entries along ``axis`` for an array
    ``a`` (``jax.random.choice``): uniform or weighted by ``p``, with or without
    replacement, the same numbers as JAX for the same key."""
    key = _check_key("choice", key)
    if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
        arr = hnp.asarray(a)
        if arr.ndim == 0:
            raise ValueError("hlox.random.choice: a must be an integer or an array with at "
                             "least one dimension")
        axis = axis % arr.ndim
        idx = choice(key, arr.shape[axis], shape, replace, p, axis, mode)
        return shape_ops.take(arr, idx, axis=axis)
    if not isinstance(shape, (tuple, list)):
        raise TypeError(f"hlox.random.choice: shape must be a sequence, got {shape!r}")
    if mode not in (None, "low"):
        raise NotImplementedError(f"hlox.random.choice: mode={mode!r} is not supported yet")
    shape, n = _shape("choice", shape), int(a)
    draws = math.prod(shape)
    if draws == 0:
        return np.zeros(shape, dtypes.default_int())
    if n <= 0:
        raise ValueError("hlox.random.choice: a must be greater than 0 unless no samples are "
                         "taken")
    if not replace and draws > n:
        raise ValueError(f"hlox.random.choice: cannot take a larger sample (size {draws}) "
                         f"than the population (size {n}) when replace=False")
    if p is not None:
        if get_aval(p).shape != (n,):
            raise ValueError(f"hlox.random.choice: p must have shape ({n},), got "
                             f"{get_aval(p).shape}")
        if not dtypes.is_float(get_aval(p).dtype):
            p = hnp.asarray(p, dtypes.float32)
    return _choice_jit(key, p, n, shape, bool(replace))


# -- samplers that need math primitives from hlox.frontend.lax.math ---------


def _lax_math(name: str, sampler: str):
    """``lax.<name>`` (a math primitive from lax_math), or a clear error if absent."""
    fn = getattr(lax, name, None)
    if fn is None:
        raise NotImplementedError(f"hlox.random.{sampler} needs hlox.lax.{name}, which this "
                                  f"build of hlox does not have")
    return fn


def _next_toward(x, up: bool):
    """``nextafter(x, +inf if up else -inf)``, from the bits (no nextafter primitive needed)."""
    aval = get_aval(x)
    shape, nbits = aval.shape, aval.dtype.itemsize * 8
    uint = _UINT_OF_BITS[nbits]
    bits_ = lax.bitcast_convert_type(x, uint)
    full = lambda v, dt=uint: np.full(shape, v, dt)  # noqa: E731
    sign_mask = 1 << (nbits - 1)
    negative = lax.ne(lax.bitwise_and(bits_, full(sign_mask)), full(0))
    zero = lax.eq(lax.bitwise_and(bits_, full(sign_mask - 1)), full(0))
    away_from_zero = lax.bitwise_xor(negative, full(up, bool))  # magnitude grows
    step = lax.select(away_from_zero, lax.add(bits_, full(1)), lax.sub(bits_, full(1)))
    step = lax.select(zero, full(1 if up else sign_mask | 1), step)
    out = lax.bitcast_convert_type(step, aval.dtype)
    stays = lax.bitwise_or(lax.ne(x, x), lax.eq(x, full(np.inf if up else -np.inf, aval.dtype)))
    return lax.select(stays, x, out)


def _truncated_normal(key, lower, upper, shape, dtype):
    erf = _lax_math("erf", "truncated_normal")
    root2 = np.full(shape, np.sqrt(2), dtype)
    lower = hnp.broadcast_to(hnp.asarray(lower, dtype), shape)
    upper = hnp.broadcast_to(hnp.asarray(upper, dtype), shape)
    a = erf(lax.div(lower, root2))
    b = erf(lax.div(upper, root2))
    u = _uniform(key, shape, dtype, a, b)
    out = lax.mul(root2, lax.erf_inv(u))
    # Keep rounding (or u == a) from landing on or outside the bounds (as JAX).
    low = _next_toward(lax.stop_gradient(lower), up=True)
    high = _next_toward(lax.stop_gradient(upper), up=False)
    return _minimum(lax.max(out, low), high)


_truncated_normal_jit = jit(_truncated_normal, static_argnums=(3, 4))


def truncated_normal(key, lower, upper, shape: Sequence[int] | None = None, dtype=None):
    """Standard normal samples truncated to ``(lower, upper)`` (``jax.random.truncated_normal``)."""
    dtype = _float_dtype("truncated_normal", dtype)
    shapes = [np.shape(v) if not isinstance(v, Tracer) else v.shape for v in (lower, upper)]
    shape = np.broadcast_shapes(*shapes) if shape is None else _shape("truncated_normal", shape)
    _check_bounds("truncated_normal", shape, lower, upper)
    return _truncated_normal_jit(_check_key("truncated_normal", key), lower, upper,
                                 tuple(shape), dtype)


def _exponential(key, shape, dtype):
    log1p = _lax_math("log1p", "exponential")
    u = _uniform(key, shape, dtype, 0.0, 1.0)
    return lax.neg(log1p(lax.neg(u)))  # log1p(-u): the domain (0, 1], never log(0)


_exponential_jit = jit(_exponential, static_argnums=(1, 2))


def exponential(key, shape: Sequence[int] = (), dtype=None):
    """Standard exponential samples, ``-log1p(-u)`` (``jax.random.exponential``)."""
    return _exponential_jit(_check_key("exponential", key), _shape("exponential", shape),
                            _float_dtype("exponential", dtype))
