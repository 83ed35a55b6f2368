"""sort (multi-operand) and top_k, one place each (as ``jax.lax``).

``sort`` orders several equally shaped operands together along one
dimension by their first ``num_keys`` operands (lexicographically). Float
keys use JAX's total order: -0.0 equals 0.0 and every NaN sorts after +inf.
Its derivative permutes the tangents the way the primals moved: the tangents
are sorted as payloads with the same keys, which is linear in them; the
transpose sorts the cotangents back with the inverse permutation (keys known).
"""

from __future__ import annotations

import numpy as np
from mlir import ir

from hlox.frontend.core import dtypes
from hlox.frontend.lax import base as lax
from hlox.frontend.core.tracing import (Primitive, ShapedArray, get_aval, is_undefined_primal,
                                        shape_error)
from hlox.frontend.core.emit import dense_attr, require_op, tensor_type
from hlox.frontend.lax.bits import broadcasted_iota

__all__ = ["sort", "sort_key_val", "top_k"]

sort_p = Primitive("sort", multiple_results=True)


@sort_p.def_abstract_eval
def _sort_abstract_eval(*operands: ShapedArray, dimension, is_stable, num_keys):
    if not operands:
        raise shape_error("sort", "needs at least one operand")
    shape = operands[0].shape
    if any(o.shape != shape for o in operands):
        raise shape_error("sort", "all operands must have the same shape", *operands)
    if not 0 <= dimension < len(shape):
        raise shape_error("sort", f"dimension {dimension} out of range for rank {len(shape)}",
                          *operands)
    if not 1 <= num_keys <= len(operands):
        raise shape_error("sort", f"num_keys={num_keys} must be between 1 and the number of "
                          f"operands ({len(operands)})", *operands)
    return list(operands)


def _scalar_op(name, operands, result_type, attributes=None):
    return ir.Operation.create(name, results=[result_type], operands=list(operands),
                               attributes=attributes or {}).result


def _sort_key(x, aval: ShapedArray):
    """``x`` (a scalar in the comparator) canonicalized for JAX's order: -0.0 -> 0.0, NaN -> NaN."""
    if not dtypes.is_float(aval.dtype):
        return x
    scalar = ShapedArray((), aval.dtype)
    ttype = tensor_type(scalar)
    i1 = tensor_type(ShapedArray((), dtypes.bool_))

    def const(v):
        return _scalar_op("stablehlo.constant", [], ttype,
                          {"value": dense_attr(np.array(v, aval.dtype), scalar)})

    def compare(a, b, direction):
        return _scalar_op("stablehlo.compare", [a, b], i1, {
            "comparison_direction": ir.Attribute.parse(
                f"#stablehlo<comparison_direction {direction}>"),
            "compare_type": ir.Attribute.parse("#stablehlo<comparison_type FLOAT>")})

    zero = const(0.0)
    x = _scalar_op("stablehlo.select", [compare(x, zero, "EQ"), zero, x], ttype)
    return _scalar_op("stablehlo.select", [compare(x, x, "NE"), const(np.nan), x], ttype)


def _compare_total(a, b, direction: str, dtype):
    kind = "TOTALORDER" if dtypes.is_float(dtype) else \
        ("UNSIGNED" if np.dtype(dtype).kind in "ub" else "SIGNED")
    i1 = tensor_type(ShapedArray((), dtypes.bool_))
    return _scalar_op("stablehlo.compare", [a, b], i1, {
        "comparison_direction": ir.Attribute.parse(f"#stablehlo<comparison_direction {direction}>"),
        "compare_type": ir.Attribute.parse(f"#stablehlo<comparison_type {kind}>")})


@sort_p.def_lowering
def _sort_lower(ctx, *operands, dimension, is_stable, num_keys):
    require_op("stablehlo.sort", "sort")
    op = ir.Operation.create(
        "stablehlo.sort", results=[tensor_type(a) for a in ctx.avals_out],
        operands=list(operands),
        attributes={"dimension": ir.IntegerAttr.get(ir.IntegerType.get_signless(64), dimension),
                    "is_stable": ir.BoolAttr.get(bool(is_stable))},
        regions=1)
    scalars = [tensor_type(ShapedArray((), a.dtype)) for a in ctx.avals_in]
    block = op.regions[0].blocks.append(*(t for t in scalars for _ in range(2)))
    i1 = tensor_type(ShapedArray((), dtypes.bool_))
    with ir.InsertionPoint(block):
        less = None  # lexicographic "x < y" over the keys, the last key first
        for k in reversed(range(num_keys)):
            aval = ctx.avals_in[k]
            x = _sort_key(block.arguments[2 * k], aval)
            y = _sort_key(block.arguments[2 * k + 1], aval)
            lt = _compare_total(x, y, "LT", aval.dtype)
            if less is not None:
                eq = _compare_total(x, y, "EQ", aval.dtype)
                lt = _scalar_op("stablehlo.or", [lt, _scalar_op("stablehlo.and", [eq, less], i1)],
                                i1)
            less = lt
        ir.Operation.create("stablehlo.return", operands=[less])
    return list(op.results)


@sort_p.def_jvp
def _sort_jvp(primals, tangents, *, dimension, is_stable, num_keys):
    # Both sorts stable (a valid unstable sort), so they permute identically.
    outs = sort_p.bind(*primals, dimension=dimension, is_stable=True, num_keys=num_keys)
    live = [i for i, t in enumerate(tangents) if t is not None]
    if not live:
        return outs, [None] * len(primals)
    moved = sort_p.bind(*primals[:num_keys], *(tangents[i] for i in live),
                        dimension=dimension, is_stable=True, num_keys=num_keys)[num_keys:]
    out_tangents = [None] * len(primals)
    for i, t in zip(live, moved):
        out_tangents[i] = t
    return outs, out_tangents


@sort_p.def_transpose
def _sort_transpose(cts, *operands, dimension, is_stable, num_keys):
    keys = operands[:num_keys]
    if any(is_undefined_primal(k) for k in keys):
        raise TypeError("sort: a sort key is linear (only payload operands can be)")
    shape = get_aval(keys[0]).shape
    # perm[i]: where the element now at position i came from. Sorting the
    # cotangents by perm puts each back where it came from.
    perm = sort_p.bind(*keys, broadcasted_iota(np.int32, shape, dimension),
                       dimension=dimension, is_stable=True, num_keys=num_keys)[-1]
    linear = [i for i, o in enumerate(operands) if is_undefined_primal(o)]
    back = sort_p.bind(perm, *(cts[i] for i in linear), dimension=dimension, is_stable=True,
                       num_keys=1)[1:]
    result = [None] * len(operands)
    for i, ct in zip(linear, back):
        result[i] = ct
    return result


@sort_p.def_batching
def _sort_batching(values, dims, *, dimension, is_stable, num_keys):
    size = lax._batch_size(values, dims)
    values = [lax._bcast_front(v, d, size) for v, d in zip(values, dims)]
    outs = sort_p.bind(*values, dimension=dimension + 1, is_stable=is_stable, num_keys=num_keys)
    return outs, [0] * len(outs)


def _canonical_dimension(name: str, dimension: int, ndim: int) -> int:
    if not -ndim <= dimension < ndim:
        raise ValueError(f"hlox.lax.{name}: dimension {dimension} out of range for rank {ndim}")
    return dimension % ndim


def sort(operand, dimension: int = -1, is_stable: bool = True, num_keys: int = 1):
    """Sorts ``operand`` (an array or a sequence of arrays sorted together) along
    ``dimension`` by the first ``num_keys`` operands (``jax.lax.sort``)."""
    single = not isinstance(operand, (tuple, list))
    operands = [operand] if single else list(operand)
    if not operands:
        raise ValueError("hlox.lax.sort: needs at least one operand")
    dim = _canonical_dimension("sort", int(dimension), get_aval(operands[0]).ndim)
    outs = sort_p.bind(*operands, dimension=dim, is_stable=bool(is_stable),
                       num_keys=int(num_keys))
    return outs[0] if single else tuple(outs)


def sort_key_val(keys, values, dimension: int = -1, is_stable: bool = True):
    """``(keys, values)`` sorted along ``dimension`` by ``keys`` (``jax.lax.sort_key_val``)."""
    k, v = sort((keys, values), dimension, is_stable, num_keys=1)
    return k, v


# ---------------------------------------------------------------------------
# top_k: chlo.top_k along the last dimension
# ---------------------------------------------------------------------------

top_k_p = Primitive("top_k", multiple_results=True)


@top_k_p.def_abstract_eval
def _top_k_abstract_eval(x: ShapedArray, *, k):
    if x.ndim == 0:
        raise shape_error("top_k", "needs an operand of rank >= 1", x)
    if not 0 <= k <= x.shape[-1]:
        raise shape_error("top_k", f"k={k} must be between 0 and the last dimension "
                          f"({x.shape[-1]})", x)
    if x.dtype == dtypes.bool_:
        raise shape_error("top_k", "is not defined on bool", x)
    shape = x.shape[:-1] + (k,)
    return [ShapedArray(shape, x.dtype), ShapedArray(shape, dtypes.int32)]


@top_k_p.def_lowering
def _top_k_lower(ctx, x, *, k):
    return ctx.op("chlo.top_k", [x],
                  {"k": ir.IntegerAttr.get(ir.IntegerType.get_signless(64), k)})


@top_k_p.def_jvp
def _top_k_jvp(primals, tangents, *, k):
    values, indices = top_k_p.bind(primals[0], k=k)
    t = tangents[0]
    if t is None:
        return [values, indices], [None, None]
    # t_out[..., i] = t[..., indices[..., i]], as a one-hot contraction (linear in t)
    aval = get_aval(primals[0])
    n, batch = aval.shape[-1], aval.shape[:-1]
    big = batch + (k, n)
    last = len(big) - 1
    onehot = lax.eq(lax.broadcast_in_dim(indices, big, tuple(range(last))),
                    broadcasted_iota(np.int32, big, last))
    weights = lax.convert_element_type(onehot, aval.dtype)
    spread = lax.broadcast_in_dim(t, big, tuple(range(len(batch))) + (last,))
    return [values, indices], [lax.reduce_sum(lax.mul(weights, spread), (last,)), None]


@top_k_p.def_batching
def _top_k_batching(values, dims, *, k):
    return top_k_p.bind(values[0], k=k), [0, 0]


def top_k(operand, k: int, *, axis: int = -1):
    """The ``k`` largest entries along ``axis`` and their int32 indices, ties to the lower
    index (``jax.lax.top_k``)."""
    ndim = get_aval(operand).ndim
    axis = _canonical_dimension("top_k", int(axis), ndim) if ndim else axis
    if ndim == 0 or axis == ndim - 1:
        return tuple(top_k_p.bind(operand, k=int(k)))
    # chlo.top_k works on the last dimension: move `axis` there and back.
    perm = tuple(d for d in range(ndim) if d != axis) + (axis,)
    back = tuple(int(i) for i in np.argsort(perm))
    outs = top_k_p.bind(lax.transpose(operand, perm), k=int(k))
    return tuple(lax.transpose(o, back) for o in outs)
