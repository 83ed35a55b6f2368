"""``vmap``: a batching trace and the per-primitive batching rules' driver.

A :class:`BatchTracer` carries a value with the mapped axis in front (dim 0);
values without a mapped axis stay unwrapped. Each primitive's batching rule
(``core.batching_rules``) gets the unwrapped values and their dims (0 or
None) and returns the result and its dim. Like :class:`~hlox.frontend.ad.JVPTrace`,
a BatchTrace binds its work in its ``parent`` trace, so vmap nests with jit,
grad and itself.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from hlox.frontend import core, lax
from hlox.frontend.core import Trace, Tracer, current_trace, get_aval, new_trace
from hlox.frontend.tree_util import tree_flatten, tree_unflatten

__all__ = ["vmap"]


class BatchTracer(Tracer):
    __slots__ = ("val",)

    def __init__(self, trace: "BatchTrace", val):
        aval = get_aval(val)
        super().__init__(trace, aval.update(shape=aval.shape[1:]))
        self.val = val  # batched along axis 0


class BatchTrace(Trace):
    def __init__(self, parent: Trace, axis_size: int):
        self.parent = parent
        self.axis_size = axis_size

    def process_primitive(self, primitive, args, params):
        values, dims = [], []
        for a in args:
            if isinstance(a, BatchTracer) and a._trace is self:
                values.append(a.val)
                dims.append(0)
            else:
                values.append(a)
                dims.append(None)
        with new_trace(self.parent):
            if all(d is None for d in dims):
                return self.parent.process_primitive(primitive, values, params)
            rule = core.batching_rules.get(primitive)
            if rule is None:
                raise NotImplementedError(f"vmap of primitive {primitive.name} is not "
                                          f"implemented (it has no batching rule)")
            out, out_dim = rule(values, dims, **params)
        if primitive.multiple_results:
            return [BatchTracer(self, o) if d is not None else o for o, d in zip(out, out_dim)]
        return [BatchTracer(self, out) if out_dim is not None else out]


def _moveaxis(x, src: int, dst: int):
    aval = get_aval(x)
    nd = aval.ndim
    src, dst = src % nd, dst % nd
    if src == dst:
        return x
    if not isinstance(x, Tracer):
        return np.moveaxis(np.asarray(x, aval.dtype), src, dst)
    perm = [i for i in range(nd) if i != src]
    perm.insert(dst, src)
    return lax.transpose(x, perm)


def _flat_axes(spec, tree, what: str) -> list:
    """One axis (int or None) per leaf of ``tree``: ``spec`` is a prefix of its structure."""
    if spec is None or isinstance(spec, int):
        return [spec] * len(tree_flatten(tree)[0])
    if isinstance(spec, (tuple, list)) and type(tree) is type(spec) and len(spec) == len(tree):
        return [a for s, t in zip(spec, tree) for a in _flat_axes(s, t, what)]
    if isinstance(spec, dict) and isinstance(tree, dict) and set(spec) == set(tree):
        return [a for k in sorted(tree) for a in _flat_axes(spec[k], tree[k], what)]
    raise ValueError(f"vmap {what} specification {spec!r} does not match the structure of "
                     f"the {what[:-5] or 'value'} {tree_flatten(tree)[1]!r}")


def vmap(fun: Callable, in_axes: Any = 0, out_axes: Any = 0, axis_size: int | None = None):
    """Vectorizes ``fun`` over an axis of its inputs (``jax.vmap``).

    ``in_axes``: an int, None, or a pytree prefix of the arguments (a tuple with
    one entry per positional argument); negative axes count from the end.
    ``out_axes`` likewise for the outputs. ``axis_size`` is needed only when no
    input is mapped.
    """
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)

    def vmapped(*args):
        spec = in_axes if not isinstance(in_axes, tuple) else in_axes
        if isinstance(spec, tuple) and len(spec) != len(args):
            raise ValueError(f"vmap in_axes {in_axes!r} has {len(spec)} entries for "
                             f"{len(args)} positional arguments")
        axes = _flat_axes(spec, args, "in_axes")
        leaves, in_tree = tree_flatten(args)
        sizes = set()
        for leaf, ax in zip(leaves, axes):
            if ax is not None:
                nd = get_aval(leaf).ndim
                if not -nd <= ax < nd:
                    raise ValueError(f"vmap: in_axes {ax} out of range for an argument of "
                                     f"rank {nd}")
                sizes.add(get_aval(leaf).shape[ax])
        if axis_size is not None:
            sizes.add(int(axis_size))
        if len(sizes) != 1:
            raise ValueError("vmap: " + ("mapped axes have different sizes "
                                         f"{sorted(sizes)}" if sizes else
                                         "no mapped input; pass axis_size"))
        size = sizes.pop()
        parent = current_trace()
        trace = BatchTrace(parent, size)
        ins = [BatchTracer(trace, _moveaxis(leaf, ax, 0)) if ax is not None else leaf
               for leaf, ax in zip(leaves, axes)]
        with new_trace(trace):
            out = fun(*tree_unflatten(in_tree, ins))
        out_leaves, out_tree = tree_flatten(out)
        oaxes = _flat_axes(out_axes, out, "out_axes")
        results = []
        for leaf, ax in zip(out_leaves, oaxes):
            batched = isinstance(leaf, BatchTracer) and leaf._trace is trace
            if ax is None:
                if batched:
                    raise ValueError("vmap: out_axes is None for an output that is mapped")
                results.append(leaf)
                continue
            if batched:
                val = leaf.val
            else:  # unmapped output: broadcast along the new axis
                aval = get_aval(leaf)
                if isinstance(leaf, Tracer):
                    val = lax.broadcast_in_dim(leaf, (size,) + aval.shape,
                                               tuple(range(1, aval.ndim + 1)))
                else:
                    val = np.broadcast_to(np.asarray(leaf, aval.dtype), (size,) + aval.shape)
            results.append(_moveaxis(val, 0, ax))
        return tree_unflatten(out_tree, results)

    return vmapped
