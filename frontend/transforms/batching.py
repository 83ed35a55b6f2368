"""``vmap``: a batching trace and the per-primitive batching rules' driver.

A :class:`BatchTracer` carries a value with the mapped axis in front (dim 0);
values without a mapped axis stay unwrapped. Each primitive's batching rule
(``core.batching_rules``) gets the unwrapped values and their dims (0 or
None) and returns the result and its dim. Like :class:`~hlox.frontend.transforms.ad.JVPTrace`,
a BatchTrace binds its work in its ``parent`` trace, so vmap nests with jit,
grad and itself.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core import tracing as core
from hlox.frontend import lax
from hlox.frontend.core.tracing import Trace, Tracer, current_trace, get_aval, new_trace
from hlox._pytree import tree_flatten, tree_unflatten
from hlox.frontend.transforms.custom_derivatives import custom_call

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

    # Custom derivative rules: hand the parent trace a batched function and
    # batched rules, so that grad(vmap(f)) still uses f's custom rule.
    def _unwrap(self, args):
        vals = [a.val if isinstance(a, BatchTracer) and a._trace is self else a for a in args]
        dims = [0 if isinstance(a, BatchTracer) and a._trace is self else None for a in args]
        return vals, dims

    def _call_batched(self, fun, xs, dims):
        """``fun`` on ``xs`` (batched per ``dims``); outputs batched at 0.

        Runs in a fresh BatchTrace over the trace current at call time (a rule
        may be called where tangents live in a LinearTrace, not our parent).
        """
        trace = BatchTrace(current_trace(), self.axis_size)
        ins = [BatchTracer(trace, x) if d is not None else x for x, d in zip(xs, dims)]
        with new_trace(trace):
            out = fun(*ins)
        leaves, tree = tree_flatten(out)
        vals = []
        for leaf in leaves:
            if isinstance(leaf, BatchTracer) and leaf._trace is trace:
                vals.append(leaf.val)
            else:
                aval = get_aval(leaf)
                vals.append(lax.broadcast_in_dim(leaf, (self.axis_size,) + aval.shape,
                                                 tuple(range(1, aval.ndim + 1))))
        return tree_unflatten(tree, vals)

    def _wrap_out(self, out):
        leaves, tree = tree_flatten(out)
        return tree_unflatten(tree, [BatchTracer(self, v) for v in leaves])

    def process_custom_jvp(self, fun, jvp_rule, args):
        vals, dims = self._unwrap(args)
        if all(d is None for d in dims):
            with new_trace(self.parent):
                return custom_call(self.parent, "process_custom_jvp", fun, jvp_rule, vals)

        def batched_fun(*xs):
            return self._call_batched(fun, xs, dims)

        def batched_jvp(primals, tangents):
            n = len(primals)
            return self._call_batched(lambda *pt: jvp_rule(pt[:n], pt[n:]),
                                      list(primals) + list(tangents), dims + dims)

        with new_trace(self.parent):
            out = custom_call(self.parent, "process_custom_jvp", batched_fun, batched_jvp, vals)
        return self._wrap_out(out)

    def process_custom_vjp(self, fun, fwd, bwd, args):
        vals, dims = self._unwrap(args)
        if all(d is None for d in dims):
            with new_trace(self.parent):
                return custom_call(self.parent, "process_custom_vjp", fun, fwd, bwd, vals)

        def batched_fun(*xs):
            return self._call_batched(fun, xs, dims)

        def batched_fwd(*xs):
            return self._call_batched(fwd, xs, dims)  # residuals batched at 0 too

        def batched_bwd(res, ct):
            res_leaves = tree_flatten(res)[0]
            ct_leaves = tree_flatten(ct)[0]
            res_tree, ct_tree = tree_flatten(res)[1], tree_flatten(ct)[1]
            n = len(res_leaves)
            cts = self._call_batched(
                lambda *xs: bwd(tree_unflatten(res_tree, list(xs[:n])),
                                tree_unflatten(ct_tree, list(xs[n:]))),
                res_leaves + ct_leaves, [0] * (n + len(ct_leaves)))
            # cotangents of unbatched inputs: sum over the batch
            return tuple(c if d is not None else lax.reduce_sum(c, (0,))
                         for c, d in zip(cts, dims))

        with new_trace(self.parent):
            out = custom_call(self.parent, "process_custom_vjp", batched_fun, batched_fwd,
                              batched_bwd, vals)
        return self._wrap_out(out)


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


def _is_key_array(x) -> bool:
    """A typed key array (hlox.random.key), seen by its extended dtype."""
    return isinstance(getattr(x, "dtype", None), dtypes.KeyDType)


def _flat_axes(spec, tree, what: str) -> list:
    """One axis (int or None) per leaf of ``tree``: ``spec`` is a prefix of its structure."""
    if isinstance(spec, int) and spec < 0:
        # A key array's axes are its keys' (its words come last): count from their end;
        # an output gains the mapped axis. (A key array is one leaf of its words.)
        leaves = tree_flatten(tree, _is_key_array)[0]
        return [spec % (x.ndim + (what == "out_axes")) if _is_key_array(x) else spec
                for x in leaves]
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

    def vmapped(*args, **kwargs):
        spec = in_axes if not isinstance(in_axes, tuple) else in_axes
        if isinstance(spec, tuple) and len(spec) != len(args):
            raise ValueError(f"vmap in_axes {in_axes!r} has {len(spec)} entries for "
                             f"{len(args)} positional arguments")
        # As in JAX, keyword arguments are mapped over their leading axis.
        axes = _flat_axes(spec, args, "in_axes") + [0] * len(tree_flatten(kwargs)[0])
        leaves, in_tree = tree_flatten((args, kwargs))
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
            args, kwargs = tree_unflatten(in_tree, ins)
            out = fun(*args, **kwargs)
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
