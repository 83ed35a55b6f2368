"""sort: stable, multi-operand, any comparator.

An elementwise comparator is evaluated once on all pairs (i, j) along the
sort dimension (all rows at once); the stable rank of element i is the count
of elements that compare less than it plus the equivalent ones before it.
Other comparators run through Python's stable sort, one comparison at a time.
"""

from __future__ import annotations

import functools

import numpy as np

from . import attributes
from .registry import register


# Above this many elements along the sort dimension, the n x n comparison
# table would be too large: compare one pair at a time instead.
PAIRWISE_LIMIT = 2048


@register("stablehlo.sort")
def sort(ev, step, env, args):
    dim = int(attributes.scalar(step.attr("dimension")) or 0)
    if dim < 0:
        dim += args[0].ndim
    plan = step.regions[0]
    moved = [np.moveaxis(a, dim, -1) for a in args]
    n = moved[0].shape[-1] if moved[0].ndim else 1
    if moved[0].ndim == 0 or n <= 1:
        return list(args)
    if plan.elementwise and n <= PAIRWISE_LIMIT:
        pair = []
        for a in moved:
            pair += [a[..., :, None], a[..., None, :]]  # (lhs = element i, rhs = element j)
        less = np.asarray(ev.run_region(plan, env, pair, batched=True)[0], bool)
        less = np.broadcast_to(less, moved[0].shape + (n,))  # less[..., i, j] = cmp(x_i, x_j)
        greater = np.swapaxes(less, -1, -2)  # cmp(x_j, x_i)
        before = np.tril(np.ones((n, n), bool), -1)  # j < i
        equiv = ~less & ~greater
        rank = greater.sum(-1) + (equiv & before).sum(-1)  # count of j: x_j < x_i, or equal and earlier
        order = np.argsort(rank, axis=-1, kind="stable")
    else:
        order = np.empty(moved[0].shape, np.int64)
        for row in np.ndindex(*moved[0].shape[:-1]):
            def cmp(i, j, row=row):
                args_ij = []
                for a in moved:
                    args_ij += [a[row + (i,)], a[row + (j,)]]
                if bool(ev.run_region(plan, env, args_ij)[0]):
                    return -1
                args_ji = []
                for a in moved:
                    args_ji += [a[row + (j,)], a[row + (i,)]]
                return 1 if bool(ev.run_region(plan, env, args_ji)[0]) else 0
            order[row] = sorted(range(n), key=functools.cmp_to_key(cmp))
    return [np.moveaxis(np.take_along_axis(a, order, axis=-1), -1, dim) for a in moved]
