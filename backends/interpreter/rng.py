"""rng_bit_generator, bit for bit as XLA expands it (RngBitGeneratorExpander
and xla/hlo/builder/lib/prng.cc), so results match jax/XLA.

State layout (u64 elements): state[0] is the key. THREE_FRY: state[1] is a
64-bit counter; Threefry-2x32 (20 rounds) encrypts counter + i (i = row-major
element index; for 32-bit outputs the shape is split in halves that share
counters, the two output words filling the halves). PHILOX: the counter is
the u128 (state[1], state[2]), or (state[1], state[0]) for a 2-element
state; Philox-4x32 (10 rounds) gives 4 words per counter, interleaved.
DEFAULT is PHILOX, XLA's default on CPU. Outputs narrower than 32 bits keep
the low bits of 32-bit words.
"""

from __future__ import annotations

import numpy as np

from . import attributes
from .registry import register

U32, U64 = np.uint32, np.uint64


def _rotl(v, d):
    return (v << U32(d)) | (v >> U32(32 - d))


def threefry2x32(x0, x1, k0, k1):
    rotations = (13, 15, 26, 6, 17, 29, 16, 24)
    ks = (U32(k0), U32(k1), U32(0x1BD11BDA) ^ U32(k0) ^ U32(k1))
    x0, x1 = x0 + ks[0], x1 + ks[1]
    for i in range(5):
        for r in rotations[(i % 2) * 4:(i % 2) * 4 + 4]:
            x0 = x0 + x1
            x1 = _rotl(x1, r) ^ x0
        x0 = x0 + ks[(i + 1) % 3]
        x1 = x1 + ks[(i + 2) % 3] + U32(i + 1)
    return x0, x1


def _split_halves(shape):
    """XLA's SplitShapeIntoHalves: (half shape, split dim)."""
    if not shape:
        return (1,), 0
    split = next((i for i, d in enumerate(shape) if d % 2 == 0), None)
    if split is None:
        split = int(np.argmax(shape))
    half = list(shape)
    half[split] = -(-shape[split] // 2)
    half.insert(split + 1, 1)
    return tuple(half), split


def _counters(start, shape):
    n = int(np.prod(shape, dtype=np.int64))
    c = U64(start) + np.arange(n, dtype=U64)
    return (c & U64(0xFFFFFFFF)).astype(U32).reshape(shape), (c >> U64(32)).astype(U32).reshape(shape)


def threefry_bits(key, counter, shape, bits):
    k0, k1 = U32(int(key) & 0xFFFFFFFF), U32(int(key) >> 32)
    if bits == 64:
        lo, hi = _counters(counter, shape)
        x0, x1 = threefry2x32(lo, hi, k0, k1)
        return x0.astype(U64) | (x1.astype(U64) << U64(32)), int(counter) + int(np.prod(shape, dtype=np.int64))
    half, split = _split_halves(tuple(shape))
    lo, hi = _counters(counter, half)
    x0, x1 = threefry2x32(lo, hi, k0, k1)
    new_counter = int(counter) + int(np.prod(half, dtype=np.int64))
    if not shape:
        return x0.reshape(()), new_counter
    out = np.concatenate([x0, x1], axis=split + 1)
    dims = list(shape)
    dims[split] = 2 * half[split]
    out = out.reshape(dims)[tuple(slice(0, d) for d in shape)]
    return out, new_counter


def philox4x32(x, k0, k1):
    x0, x1, x2, x3 = x
    k0, k1 = U32(k0), U32(k1)
    for _ in range(10):
        p0 = x0.astype(U64) * U64(0xD2511F53)
        p1 = x2.astype(U64) * U64(0xCD9E8D57)
        x0, x1, x2, x3 = ((p1 >> U64(32)).astype(U32) ^ x1 ^ k0, p1.astype(U32),
                          (p0 >> U64(32)).astype(U32) ^ x3 ^ k1, p0.astype(U32))
        k0, k1 = k0 + U32(0x9E3779B9), k1 + U32(0xBB67AE85)
    return x0, x1, x2, x3


def _philox_words(key, low, high, count):
    """Philox over counters (high:low) + 0..count-1: 4 arrays of words."""
    i = np.arange(count, dtype=U64)
    lo = U64(low) + i
    hi = np.where(lo < U64(low), U64(high) + U64(1), U64(high)).astype(U64)
    words = (lo.astype(U32), (lo >> U64(32)).astype(U32), hi.astype(U32), (hi >> U64(32)).astype(U32))
    return philox4x32(words, int(key) & 0xFFFFFFFF, int(key) >> 32)


def philox_bits(key, low, high, shape, bits):
    n = int(np.prod(shape, dtype=np.int64))
    if bits == 64:
        count = -(-2 * n // 4)
        b = _philox_words(key, low, high, count)
        pair = np.stack([b[0].astype(U64) | (b[1].astype(U64) << U64(32)),
                         b[2].astype(U64) | (b[3].astype(U64) << U64(32))], axis=1)
    else:
        count = -(-n // 4)
        pair = np.stack(_philox_words(key, low, high, count), axis=1)
    out = pair.reshape(-1)[:n].reshape(shape)
    new_low = (int(low) + count) & 0xFFFFFFFFFFFFFFFF
    new_high = (int(high) + (1 if new_low < int(low) else 0)) & 0xFFFFFFFFFFFFFFFF
    return out, new_low, new_high


def rng_bit_generator(algorithm, state, shape, dtype):
    state = np.asarray(state)
    if state.dtype != U64:  # e.g. u32[4]: the same bits as u64[2]
        state64 = np.ascontiguousarray(state).view(U64)
    else:
        state64 = state
    bits = np.dtype(dtype).itemsize * 8
    word_bits = 64 if bits == 64 else 32
    key = int(state64[0])
    if algorithm == "THREE_FRY":
        out, counter = threefry_bits(key, int(state64[1]), tuple(shape), word_bits)
        new_state = np.array([key, counter & 0xFFFFFFFFFFFFFFFF], U64)
    else:  # PHILOX, and DEFAULT (XLA's default on CPU)
        if state64.size >= 3:
            low, high = int(state64[1]), int(state64[2])
        else:
            low, high = int(state64[1]), int(state64[0])
        out, new_low, new_high = philox_bits(key, low, high, tuple(shape), word_bits)
        new_state = np.array([key, new_low, new_high][:max(2, min(3, state64.size))], U64)
        if state64.size > 3:
            new_state = np.concatenate([new_state, state64[3:]])
    if bits < 32:
        out = out.astype(np.dtype(f"u{bits // 8}"))
    out = np.ascontiguousarray(out).view(dtype).reshape(shape)
    return new_state.view(state.dtype).reshape(state.shape), out


@register("stablehlo.rng_bit_generator")
def rng_bit_generator_rule(ev, step, env, args):
    algorithm = attributes.enum(step.attr("rng_algorithm")) or "DEFAULT"
    t = step.result_types[1]
    return list(rng_bit_generator(algorithm, args[0], t.shape, t.dtype))
