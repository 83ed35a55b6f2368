"""``jax.lax.reduce``: a reduction over a user's computation.

Monoids (lax.add, mul, max, min, bitwise_and/or with their identity) go to the
dedicated primitives of :mod:`hlox.frontend.lax.reductions`; any other computation
is traced to a closed graph and becomes the body of one variadic
``stablehlo.reduce``. Its rules need the transformations (vmap, jvp, subgraphs),
so it sits in their layer, as control flow does.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from mlir import ir

from hlox._pytree import tree_flatten, tree_unflatten
from hlox.frontend.core import dtypes
from hlox.frontend.core.emit import emit_graph, tensor_type
from hlox.frontend.core.tracing import Graph, Primitive, ShapedArray, Tracer, get_aval, shape_error
from hlox.frontend.lax.base import (add, broadcast_in_dim, convert_element_type, mul, reduce_sum,
                                    reshape, transpose)
from hlox.frontend.lax.base import max as lax_max
from hlox.frontend.lax.base import _batch_size
from hlox.frontend.lax.bits import bitwise_and, bitwise_or
from hlox.frontend.lax.math import min as lax_min
from hlox.frontend.lax.reductions import (_MONOIDS, _check_axes, _kept, reduce_and, reduce_max,
                                          reduce_min, reduce_or, reduce_prod)
from hlox.frontend.lax.structural import pad, slice_in_dim
from hlox.frontend.transforms.ad import _jvp_flat
from hlox.frontend.transforms.batching import vmap
from hlox.frontend.transforms.control_flow import impl_by_jit
from hlox.frontend.transforms.closed_graphs import eval_graph, trace_closed
from hlox.frontend.transforms.subgraphs import bcast_front

__all__ = ["reduce"]


reduce_p = Primitive("reduce", multiple_results=True)


@reduce_p.def_abstract_eval
def _reduce_abstract_eval(*avals: ShapedArray, computation: Graph, dimensions):
    n = len(avals) // 2
    operands, inits = avals[:n], avals[n:]
    if any(i.shape != () for i in inits):
        raise shape_error("reduce", "init values must be scalars", *avals)
    if any(o.dtype != i.dtype for o, i in zip(operands, inits)):
        raise shape_error("reduce", "each operand's dtype must be its init value's", *avals)
    if any(o.shape != operands[0].shape for o in operands):
        raise shape_error("reduce", "operands must have the same shape", *avals)
    _check_axes("reduce", operands[0], dimensions)
    scalars = [ShapedArray((), i.dtype) for i in inits]
    body = [a.update(weak_type=False) for a in computation.out_avals]
    if [a.update(weak_type=False) for a in computation.in_avals] != scalars + scalars or \
            body != scalars:
        raise shape_error("reduce", f"the computation must map two sets of scalars like the "
                          f"init values to one, but it takes {computation.in_avals} and returns "
                          f"{computation.out_avals}", *avals)
    return [o.update(shape=tuple(d for k, d in enumerate(o.shape) if k not in dimensions),
                     weak_type=o.weak_type and i.weak_type) for o, i in zip(operands, inits)]


@reduce_p.def_lowering
def _reduce_lower(ctx, *values, computation, dimensions):
    n = len(values) // 2
    op = ir.Operation.create("stablehlo.reduce", results=[tensor_type(a) for a in ctx.avals_out],
                             operands=list(values), regions=1, attributes={
                                 "dimensions": ir.DenseI64ArrayAttr.get(list(dimensions))})
    scalars = [tensor_type(ShapedArray((), a.dtype)) for a in ctx.avals_in[n:]]
    body = op.regions[0].blocks.append(*(scalars + scalars))
    with ir.InsertionPoint(body):
        ir.Operation.create("stablehlo.return",
                            operands=emit_graph(computation, list(body.arguments)))
    return list(op.results)


impl_by_jit(reduce_p)  # eager: compiled alone, cached by the computation's structure


@reduce_p.def_batching
def _reduce_batching(values, dims, *, computation, dimensions):
    n = len(values) // 2
    if any(d is not None for d in dims[n:]):
        raise NotImplementedError("lax.reduce: vmap over the init values of a generic "
                                  "reduction is not supported (as in JAX); map the operands only")
    size = _batch_size(values, dims)
    operands = [x if d is not None else bcast_front(x, size) for x, d in zip(values[:n], dims)]
    return reduce_p.bind(*operands, *values[n:], computation=computation,
                         dimensions=tuple(d + 1 for d in dimensions)), [0] * n


@reduce_p.def_jvp
def _reduce_jvp(primals, tangents, *, computation, dimensions):
    """JAX's rule: a pairwise tree of the computation (vmapped), differentiated by JVP.

    The reduced axes are flattened into one leading axis that is halved per step
    (an odd half padded with the init values), so only the computation's own
    derivative is needed. Tangents of the init values are not supported (nor in JAX).
    """
    n = len(primals) // 2
    if any(t is not None for t in tangents[n:]):
        raise NotImplementedError("Gradient of general lax.reduce with non-zero tangents for "
                                  "initial values to reduction not implemented")
    xs, inits = primals[:n], primals[n:]
    shape = get_aval(xs[0]).shape
    kept = _kept(shape, dimensions)
    flat_shape = (int(np.prod([shape[d] for d in dimensions], dtype=np.int64)),) + \
        tuple(shape[d] for d in kept)
    perm = tuple(dimensions) + kept

    def flatten(v):
        return reshape(transpose(v, perm), flat_shape)

    reducer = lambda *a: eval_graph(computation, a)  # noqa: E731
    for _ in flat_shape:
        reducer = vmap(reducer)

    def tree(*vs):
        while get_aval(vs[0]).shape[0] > 1:
            m = get_aval(vs[0]).shape[0]
            half = (m + 1) // 2
            first = [slice_in_dim(v, 0, half) for v in vs]
            second = [slice_in_dim(v, half, m) for v in vs]
            if m % 2:
                config = [(0, 1, 0)] + [(0, 0, 0)] * len(kept)
                second = [pad(v, i, config) for v, i in zip(second, inits)]
            vs = reducer(*first, *second)
        if get_aval(vs[0]).shape[0] == 0:
            return [broadcast_in_dim(i, flat_shape[1:], ()) for i in inits]
        return [reshape(v, flat_shape[1:]) for v in vs]

    xs_t = [None if t is None else flatten(t) for t in tangents[:n]]
    out, out_t, _ = _jvp_flat(tree, [flatten(x) for x in xs], xs_t)
    return out, out_t


# lax function -> (its reduction, its identity for a dtype)
_MONOID_REDUCERS = {fn: (reducer, _MONOIDS[monoid][1]) for fn, reducer, monoid in (
    (add, reduce_sum, "sum"), (mul, reduce_prod, "prod"), (lax_max, reduce_max, "max"),
    (lax_min, reduce_min, "min"), (bitwise_and, reduce_and, "and"),
    (bitwise_or, reduce_or, "or"))}


def _monoid_reducer(computation, inits):
    """The dedicated reduction when ``computation`` is lax.add/mul/max/min/bitwise_and/or
    and the (single, concrete) init value is its identity: JAX's rule, by identity of
    the function, so a lambda doing the same goes the generic way."""
    if len(inits) != 1 or isinstance(inits[0], Tracer):
        return None
    try:
        reducer, identity = _MONOID_REDUCERS[computation]
    except (KeyError, TypeError):  # unknown or unhashable computation
        return None
    aval = get_aval(inits[0])
    if aval.shape != () or (computation in (bitwise_and, bitwise_or)
                            and not dtypes.is_int_or_bool(aval.dtype)):
        return None
    value = np.asarray(inits[0], aval.dtype)
    return reducer if value == np.asarray(identity(aval.dtype), aval.dtype) else None


def reduce(operands, init_values, computation: Callable, dimensions: Sequence[int]):
    """``jax.lax.reduce``: reduces ``operands`` (a pytree of equally shaped arrays) over
    ``dimensions`` with ``computation(accumulated, next) -> accumulated`` (pytrees like
    ``init_values``, of scalars). As in JAX, ``init_values`` and ``computation`` must form
    a monoid (identity and associativity); the grouping of the reduction is unspecified.
    """
    flat_ops, tree = tree_flatten(operands)
    flat_inits, init_tree = tree_flatten(init_values)
    if tree != init_tree:
        raise ValueError(f"lax.reduce: operands must have the same tree structure as "
                         f"init_values: {tree} vs. {init_tree}")
    if not flat_ops:
        raise ValueError("lax.reduce: needs at least one operand")
    dims = tuple(sorted(int(d) for d in dimensions))
    reducer = _monoid_reducer(computation, flat_inits)
    if reducer is not None:
        out = reducer(flat_ops[0], dims)
        weak = get_aval(flat_ops[0]).weak_type and get_aval(flat_inits[0]).weak_type
        if get_aval(out).weak_type != weak:
            out = convert_element_type(out, get_aval(out).dtype, weak_type=weak)
        return out
    n = len(flat_inits)
    scalars = [ShapedArray((), get_aval(i).dtype) for i in flat_inits]

    def flat_computation(*args):
        result = computation(tree_unflatten(tree, args[:n]), tree_unflatten(tree, args[n:]))
        flat, out_tree = tree_flatten(result)
        if out_tree != tree:
            raise TypeError(f"lax.reduce: the computation must return the structure of "
                            f"init_values {tree}, got {out_tree}")
        return flat

    graph, captured, _ = trace_closed(flat_computation, scalars + scalars)
    if captured:
        raise NotImplementedError("lax.reduce: the computation closes over traced values "
                                  f"{[get_aval(c).str_short() for c in captured]}; pass them "
                                  f"as operands or use constants")
    out = reduce_p.bind(*flat_ops, *flat_inits, computation=graph, dimensions=dims)
    return tree_unflatten(tree, out)
