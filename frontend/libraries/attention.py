"""``hlox.nn.dot_product_attention``: scaled dot-product attention as JAX's reference
("xla") implementation computes it: logits in at least float32, masks as a large
negative number, softmax in float32, grouped-query heads (N query heads over K key/value
heads, N % K == 0)."""

from __future__ import annotations

import functools

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend import numpy as hnp
from hlox.frontend.libraries.nn import softmax
from hlox.frontend.staging.jit import jit

__all__ = ["dot_product_attention"]


def _as_4d(t):
    t = hnp.asarray(t)
    return t if t.ndim >= 4 else hnp.reshape(t, (1,) * (4 - t.ndim) + t.shape)


def _check(t, shape, dtype, name):
    if t is None:
        return
    if t.ndim != len(shape):
        raise ValueError(f"hlox.nn.dot_product_attention: {name} ndim should be {len(shape)}, "
                         f"but got {t.ndim}")
    if dtype is not None and t.dtype != dtype:
        raise ValueError(f"hlox.nn.dot_product_attention: {name} dtype should be {dtype}, but "
                         f"got {t.dtype}")
    if any(s != -1 and d != s for d, s in zip(t.shape, shape)):
        raise ValueError(f"hlox.nn.dot_product_attention: {name} shape should be "
                         f"{tuple(shape)}, but got {t.shape}")


def _grouped(t, K, G):
    """A (B|1, N|1, T, S) bias or mask as (B|1, K, G, T, S) (broadcast if it had 1 head)."""
    if t is None:
        return None
    b, n, tt, ss = t.shape
    if n == 1:
        return hnp.reshape(t, (b, 1, 1, tt, ss))
    return hnp.reshape(t, (b, K, G, tt, ss))


def dot_product_attention(query, key, value, bias=None, mask=None, *, scale=None,
                          is_causal: bool = False, query_seq_lengths=None,
                          key_value_seq_lengths=None, local_window_size=None,
                          implementation=None, return_residual: bool = False):
    """``softmax(scale * Q K^T + bias, masked) V`` over ``[B, T, N, H]`` queries and
    ``[B, S, K, H]`` keys/values (or without the batch axis), as ``jax.nn.dot_product_attention``."""
    if implementation not in (None, "xla"):
        raise NotImplementedError(f"hlox.nn.dot_product_attention: implementation="
                                  f"{implementation!r} is not available (only 'xla')")
    if return_residual:
        raise NotImplementedError("hlox.nn.dot_product_attention: return_residual=True")
    out_shape = hnp.asarray(query).shape
    q, k, v = _as_4d(query), _as_4d(key), _as_4d(value)
    bias = None if bias is None else _as_4d(bias)
    mask = None if mask is None else _as_4d(mask)
    q_len = None if query_seq_lengths is None else hnp.asarray(query_seq_lengths)
    kv_len = None if key_value_seq_lengths is None else hnp.asarray(key_value_seq_lengths)
    if isinstance(local_window_size, int):
        local_window_size = (local_window_size, local_window_size)
    B, S, K, H = k.shape
    _check(v, [B, S, K, H], k.dtype, "value")
    _check(q, [B, -1, -1, H], k.dtype, "query")
    _check(mask, [-1] * 4, np.dtype(bool), "mask")
    _check(bias, [-1] * 4, None, "bias")
    _check(q_len, [B], np.dtype(np.int32), "query_seq_lengths")
    _check(kv_len, [B], np.dtype(np.int32), "key_value_seq_lengths")
    T, N = q.shape[1], q.shape[2]
    if N % K:
        raise ValueError(f"hlox.nn.dot_product_attention: the number of query heads must be "
                         f"a multiple of key/value heads, but got {N} vs {K}")
    scale = float(1.0 / np.sqrt(H) if scale is None else scale)
    window = None if local_window_size is None else tuple(int(w) for w in local_window_size)
    return _attention(q, k, v, bias, mask, q_len, kv_len, scale=scale,
                      is_causal=bool(is_causal), window=window, out_shape=tuple(out_shape))


@functools.partial(jit, static_argnames=("scale", "is_causal", "window", "out_shape"))
def _attention(q, k, v, bias, mask, q_len, kv_len, scale, is_causal, window, out_shape):
    B, S, K, H = k.shape
    T, N = q.shape[1], q.shape[2]
    G = N // K
    logits_dtype = dtypes.promote_types(q.dtype, np.float32)
    q = hnp.reshape(q, (B, T, K, G, H))
    logits = hnp.einsum("BTKGH,BSKH->BKGTS", q, k, preferred_element_type=logits_dtype)
    logits = logits * hnp.asarray(scale, logits_dtype)
    if bias is not None:
        logits = (logits + _grouped(bias, K, G)).astype(logits_dtype)
    keep = None

    def both(m):
        return m if keep is None else hnp.logical_and(keep, m)
    if mask is not None:
        keep = both(_grouped(mask, K, G))
    rows, cols = np.arange(T)[:, None], np.arange(S)[None, :]
    if is_causal:
        keep = both(np.tril(np.ones((T, S), bool)))
    if window is not None:
        left, right = window
        keep = both((rows <= cols + left) & (rows >= cols - right))
    if q_len is not None or kv_len is not None:
        valid = np.ones((1, T, S), bool)
        if q_len is not None:
            valid = hnp.logical_and(valid, q_len[:, None, None] > np.arange(T)[None, :, None])
        if kv_len is not None:
            valid = hnp.logical_and(valid, kv_len[:, None, None] > np.arange(S)[None, None, :])
        keep = both(hnp.reshape(valid, (-1, 1, 1, T, S)))
    if keep is not None:
        info_max = min(float(hnp.finfo(logits_dtype).max), float(np.finfo(np.float32).max))
        logits = hnp.where(keep, logits, hnp.asarray(-0.7 * info_max, logits_dtype))
    probs = softmax(logits.astype(np.float32), axis=-1).astype(k.dtype)
    encoded = hnp.einsum("BKGTS,BSKH->BTKGH", probs, v)
    encoded = hnp.reshape(encoded, (B, T, N, H))
    if q_len is not None:
        encoded = encoded * (q_len[:, None] > np.arange(T)[None, :])[:, :, None, None] \
            .astype(encoded.dtype)
    return hnp.reshape(encoded, out_shape)
