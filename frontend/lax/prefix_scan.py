"""``associative_scan`` (a parallel prefix scan for any associative function, as
``jax.lax.associative_scan``) and ``cumlogsumexp`` built on it.

The scan is the classic odd/even recursion (Blelloch; Ladner-Fischer): combine
neighbouring pairs, scan the half-length result, then fill in the even positions, so
``fn`` runs O(log n) times on slices of the input. It is made of slices, concatenations,
pads and selects, whose derivative and batching rules give those of the scan.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from hlox._pytree import tree_flatten, tree_unflatten
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.lax import base as lax
from hlox.frontend.lax.math import is_finite, log1p
from hlox.frontend.lax.structural import concatenate, pad, rev, slice_in_dim

__all__ = ["associative_scan", "cumlogsumexp"]


def _interleave(even, odd, axis: int):
    """``out[2i] = even[i]``, ``out[2i + 1] = odd[i]`` along ``axis``."""
    aval = get_aval(even)
    n_even, n_odd = aval.shape[axis], get_aval(odd).shape[axis]
    n = n_even + n_odd
    zero = np.zeros((), aval.dtype)

    def spread(x, low):
        config = [(0, 0, 0)] * aval.ndim
        size = get_aval(x).shape[axis]
        config[axis] = (low, n - low - (2 * size - 1), 1)
        return pad(x, zero, config)

    shape = aval.shape[:axis] + (n,) + aval.shape[axis + 1:]
    is_even = lax.broadcast_in_dim(np.arange(n) % 2 == 0, shape, (axis,))
    return lax.select(is_even, spread(even, 0), spread(odd, 1))


def associative_scan(fn: Callable, elems, reverse: bool = False, axis: int = 0):
    """All prefix combinations ``fn(...fn(fn(x0, x1), x2)..., xi)`` along ``axis`` of the
    pytree ``elems`` (from the end if ``reverse``), for an associative ``fn`` that maps two
    pytrees of slices to one (``jax.lax.associative_scan``)."""
    leaves, tree = tree_flatten(elems)
    if not leaves:
        raise ValueError("hlox.lax.associative_scan: elems has no arrays")
    ndim = get_aval(leaves[0]).ndim
    if not -ndim <= axis < ndim:
        raise ValueError(f"hlox.lax.associative_scan: axis {axis} is out of range for "
                         f"rank-{ndim} elems")
    axis %= ndim
    sizes = {get_aval(x).shape[axis] for x in leaves}
    if len(sizes) != 1:
        raise ValueError(f"hlox.lax.associative_scan: the elems have different sizes along "
                         f"axis {axis}: {sorted(sizes)}")
    if reverse:
        leaves = [rev(x, (axis,)) for x in leaves]

    def combine(a, b):
        out = fn(tree_unflatten(tree, a), tree_unflatten(tree, b))
        out_leaves, out_tree = tree_flatten(out)
        if out_tree != tree:
            raise TypeError(f"hlox.lax.associative_scan: fn must return the structure of "
                            f"its arguments {tree}, got {out_tree}")
        return out_leaves

    def part(xs, start, stop=None, step=1):
        return [slice_in_dim(x, start, get_aval(x).shape[axis] if stop is None else stop,
                             step, axis) for x in xs]

    def scan(xs):
        n = get_aval(xs[0]).shape[axis]
        if n < 2:
            return xs
        odd = scan(combine(part(xs, 0, n - 1, 2), part(xs, 1, None, 2)))
        m = get_aval(odd[0]).shape[axis]
        if n % 2 == 0:
            even = combine(part(odd, 0, m - 1), part(xs, 2, None, 2))
        else:
            even = combine(odd, part(xs, 2, None, 2))
        even = [concatenate([x0, e], axis) for x0, e in zip(part(xs, 0, 1), even)]
        return [_interleave(e, o, axis) for e, o in zip(even, odd)]

    out = scan(leaves)
    if reverse:
        out = [rev(x, (axis,)) for x in out]
    return tree_unflatten(tree, out)


def _logaddexp(x, y):
    """``log(exp(x) + exp(y))`` as ``m + log1p(exp(x - m) + exp(y - m) - 1)``, ``m`` the
    larger (a constant for differentiation): its derivative is the softmax weight
    ``exp(x - out)`` on both sides, ties included, where ``max``'s would pick a side.
    (One of the two exponentials is exactly 1, so the ``- 1`` is exact.)"""
    m = lax.stop_gradient(lax.max(x, y))
    zeros = np.zeros(get_aval(m).shape, get_aval(m).dtype)
    m = lax.select(is_finite(m), m, zeros)  # infinities come out of the exponentials
    total = lax.add(lax.exp(lax.sub(x, m)), lax.exp(lax.sub(y, m)))
    return lax.add(m, log1p(lax.sub(total, np.ones_like(zeros))))


def cumlogsumexp(operand, axis: int = 0, reverse: bool = False):
    """``log(cumsum(exp(operand)))`` along ``axis`` without overflow (``jax.lax.cumlogsumexp``)."""
    return associative_scan(_logaddexp, operand, reverse=reverse, axis=axis)
