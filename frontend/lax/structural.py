"""Structural primitives: slicing, padding, concatenation, reversal, gather, scatter.

Each primitive is declared once here with its abstract evaluation, its
StableHLO emission and its JVP, transpose and batching rules (DESIGN.md: one
place per primitive). They are re-exported by :mod:`hlox.frontend.lax.base`, so
users write ``hlox.lax.slice``, ``hlox.lax.gather``, ... as in ``jax.lax``.

Batching rules follow :mod:`hlox.frontend.transforms.batching`'s convention: a value is
batched along axis 0 or not at all. Gather and scatter batch by broadcasting
every operand and prepending an ``iota`` coordinate to the indices, which any
backend lowering of the plain ops handles.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np
from mlir import ir

from hlox.frontend.core import tracing as _core
from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import (Primitive, ShapedArray, get_aval, is_undefined_primal,
                                        shape_error)
from hlox.frontend.core.emit import i64_array_attr, require_op, tensor_type
from hlox.frontend.lax import base as lax
from hlox.frontend.lax.base import _aval, _batch_size, _bcast_front, _linear_jvp

__all__ = ["slice", "slice_in_dim", "index_in_dim", "dynamic_slice", "dynamic_slice_in_dim",
           "dynamic_index_in_dim", "dynamic_update_slice", "dynamic_update_slice_in_dim",
           "concatenate", "pad", "rev", "squeeze", "expand_dims", "gather", "scatter",
           "scatter_add", "scatter_mul", "scatter_min", "scatter_max", "GatherDimensionNumbers",
           "ScatterDimensionNumbers", "GatherScatterMode"]


def _zeros(aval: ShapedArray) -> np.ndarray:
    return np.zeros(aval.shape, aval.dtype)


def _ints(values) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


def _create(name: str, prim_name: str, operands, result_avals, attributes, regions: int = 0):
    require_op(name, prim_name)
    return ir.Operation.create(name, results=[tensor_type(a) for a in result_avals],
                               operands=list(operands), attributes=attributes, regions=regions)


def _scalar_region(op, dtype, body_op: str | None, nargs: int = 2) -> None:
    """Fills region 0 of ``op`` with ``return body_op(a, b)`` on scalars (None: return b)."""
    scalar = tensor_type(ShapedArray((), dtype))
    block = op.regions[0].blocks.append(*([scalar] * nargs))
    with ir.InsertionPoint(block):
        if body_op is None:
            ir.Operation.create("stablehlo.return", operands=[block.arguments[1]])
        else:
            out = ir.Operation.create(body_op, results=[scalar], operands=list(block.arguments))
            ir.Operation.create("stablehlo.return", operands=[out.result])


# ---------------------------------------------------------------------------
# slice
# ---------------------------------------------------------------------------

slice_p = Primitive("slice")


def _slice_out_shape(shape, start, limit, strides):
    return tuple(max(0, -(-(hi - lo) // st)) for lo, hi, st in zip(start, limit, strides))


@slice_p.def_abstract_eval
def _slice_abstract_eval(x, *, start_indices, limit_indices, strides):
    n = x.ndim
    if not (len(start_indices) == len(limit_indices) == len(strides) == n):
        raise shape_error("slice", f"start_indices {start_indices}, limit_indices "
                          f"{limit_indices} and strides {strides} need one entry per "
                          f"dimension ({n})", x)
    for d, (lo, hi, st) in enumerate(zip(start_indices, limit_indices, strides)):
        if st <= 0:
            raise shape_error("slice", f"stride {st} of dimension {d} must be positive", x)
        if not 0 <= lo <= hi <= x.shape[d]:
            raise shape_error("slice", f"[{lo}:{hi}] is out of bounds (or reversed) for "
                              f"dimension {d} of size {x.shape[d]}", x)
    return x.update(shape=_slice_out_shape(x.shape, start_indices, limit_indices, strides))


@slice_p.def_lowering
def _slice_lower(ctx, x, *, start_indices, limit_indices, strides):
    return ctx.op("stablehlo.slice", [x], {"start_indices": i64_array_attr(start_indices),
                                           "limit_indices": i64_array_attr(limit_indices),
                                           "strides": i64_array_attr(strides)})


_linear_jvp(slice_p)


@slice_p.def_transpose
def _slice_transpose(ct, x, *, start_indices, limit_indices, strides):
    shape = x.aval.shape
    out_shape = get_aval(ct).shape
    config = []
    for lo, n, st, size in zip(start_indices, out_shape, strides, shape):
        used = lo + (n - 1) * st + 1 if n else lo
        config.append((lo, size - used, st - 1 if n else 0))
    zero = np.zeros((), x.aval.dtype)
    return [pad(ct, zero, config)]


@slice_p.def_batching
def _slice_batching(values, dims, *, start_indices, limit_indices, strides):
    (x,) = values
    b = get_aval(x).shape[0]
    return slice_p.bind(x, start_indices=(0,) + start_indices, limit_indices=(b,) + limit_indices,
                        strides=(1,) + strides), 0


def slice(operand, start_indices: Sequence[int], limit_indices: Sequence[int],  # noqa: A001
          strides: Sequence[int] | None = None):
    """``operand[start:limit:strides]`` per dimension (static bounds), as ``jax.lax.slice``."""
    start, limit = _ints(start_indices), _ints(limit_indices)
    strides = (1,) * len(start) if strides is None else _ints(strides)
    aval = get_aval(operand)
    if (start, limit, strides) == ((0,) * aval.ndim, aval.shape, (1,) * aval.ndim):
        return operand
    if len(start) == len(limit) and any(lo >= hi for lo, hi in zip(start, limit)):
        # an empty result: bounds [0:0] (the CPU backend rejects an empty slice at the end)
        empty = [lo >= hi for lo, hi in zip(start, limit)]
        start = tuple(0 if e else lo for e, lo in zip(empty, start))
        limit = tuple(0 if e else hi for e, hi in zip(empty, limit))
    return slice_p.bind(operand, start_indices=start, limit_indices=limit, strides=strides)


def slice_in_dim(operand, start_index, limit_index, stride: int = 1, axis: int = 0):
    """``slice`` along one ``axis``; ``None`` bounds and negative indices as in Python."""
    shape = get_aval(operand).shape
    axis = int(axis) % len(shape)
    size = shape[axis]
    start = 0 if start_index is None else int(start_index)
    limit = size if limit_index is None else int(limit_index)
    start, limit = start + size if start < 0 else start, limit + size if limit < 0 else limit
    starts, limits, strides = [0] * len(shape), list(shape), [1] * len(shape)
    starts[axis], limits[axis], strides[axis] = start, limit, int(stride)
    return slice(operand, starts, limits, strides)


def index_in_dim(operand, index: int, axis: int = 0, keepdims: bool = True):
    shape = get_aval(operand).shape
    axis = int(axis) % len(shape)
    index = int(index) + shape[axis] if int(index) < 0 else int(index)
    out = slice_in_dim(operand, index, index + 1, 1, axis)
    return out if keepdims else squeeze(out, (axis,))


# ---------------------------------------------------------------------------
# pad (negative edge padding crops; interior padding goes between elements)
# ---------------------------------------------------------------------------

pad_p = Primitive("pad")


@pad_p.def_abstract_eval
def _pad_abstract_eval(x, padding_value, *, padding_config):
    if padding_value.shape != () or padding_value.dtype != x.dtype:
        raise shape_error("pad", "the padding value must be a scalar of the operand's dtype",
                          x, padding_value)
    if len(padding_config) != x.ndim:
        raise shape_error("pad", f"padding_config {padding_config} needs one (low, high, "
                          f"interior) per dimension ({x.ndim})", x, padding_value)
    shape = []
    for d, ((lo, hi, interior), size) in enumerate(zip(padding_config, x.shape)):
        if interior < 0:
            raise shape_error("pad", f"interior padding {interior} of dimension {d} must be "
                              f">= 0", x, padding_value)
        out = lo + hi + size + max(size - 1, 0) * interior
        if out < 0:
            raise shape_error("pad", f"padding {(lo, hi, interior)} leaves dimension {d} with "
                              f"negative size {out}", x, padding_value)
        shape.append(out)
    return x.update(shape=tuple(shape), weak_type=x.weak_type and padding_value.weak_type)


@pad_p.def_lowering
def _pad_lower(ctx, x, value, *, padding_config):
    lo, hi, interior = zip(*padding_config) if padding_config else ((), (), ())
    return ctx.op("stablehlo.pad", [x, value], {"edge_padding_low": i64_array_attr(lo),
                                                "edge_padding_high": i64_array_attr(hi),
                                                "interior_padding": i64_array_attr(interior)})


@pad_p.def_jvp
def _pad_jvp(primals, tangents, *, padding_config):
    x, v = primals
    tx, tv = tangents
    out = pad_p.bind(x, v, padding_config=padding_config)
    if tx is None and tv is None:
        return out, None
    tx = _zeros(get_aval(x)) if tx is None else tx
    tv = _zeros(get_aval(v)) if tv is None else tv
    return out, pad_p.bind(tx, tv, padding_config=padding_config)


@pad_p.def_transpose
def _pad_transpose(ct, x, v, *, padding_config):
    ct_x = ct_v = None
    aval = _aval(x)
    # Undo the edges (negating them: a negative pad crops), then drop the interior.
    unpad = [(-lo, -hi, 0) for lo, hi, _ in padding_config]
    zero = np.zeros((), get_aval(ct).dtype)
    unpadded = pad_p.bind(ct, zero, padding_config=tuple(unpad))
    ct_x_val = slice(unpadded, (0,) * aval.ndim, get_aval(unpadded).shape,
                     tuple(i + 1 for _, _, i in padding_config))
    if is_undefined_primal(x):
        ct_x = ct_x_val
    if is_undefined_primal(v):
        total = lax.reduce_sum(ct, tuple(range(aval.ndim)))
        inner = lax.reduce_sum(ct_x_val, tuple(range(aval.ndim)))
        ct_v = lax.sub(total, inner)
    return [ct_x, ct_v]


@pad_p.def_batching
def _pad_batching(values, dims, *, padding_config):
    x, v = values
    dx, dv = dims
    size = _batch_size(values, dims)
    x = _bcast_front(x, dx, size)
    config = ((0, 0, 0),) + tuple(padding_config)
    if dv is None:
        return pad_p.bind(x, v, padding_config=config), 0
    # A batched padding value: pad with zero, then select the padding positions.
    aval = get_aval(x)
    zero = np.zeros((), aval.dtype)
    padded = pad_p.bind(x, zero, padding_config=config)
    out_shape = get_aval(padded).shape
    ones = np.ones(aval.shape, np.int32)
    mask = pad_p.bind(ones, np.zeros((), np.int32), padding_config=config)
    mask = lax.ne(mask, np.zeros(out_shape, np.int32))
    fill = lax.broadcast_in_dim(v, out_shape, (0,))
    return lax.select(mask, padded, fill), 0


def pad(operand, padding_value, padding_config: Sequence[tuple[int, int, int]]):
    """Pads with ``padding_value``: ``(low, high, interior)`` per dimension, as ``jax.lax.pad``."""
    config = tuple((int(lo), int(hi), int(i)) for lo, hi, i in padding_config)
    dtype = get_aval(operand).dtype
    if isinstance(padding_value, (bool, int, float, np.generic)):
        padding_value = np.asarray(padding_value, dtype)
    return pad_p.bind(operand, padding_value, padding_config=config)


# ---------------------------------------------------------------------------
# concatenate
# ---------------------------------------------------------------------------

concatenate_p = Primitive("concatenate")


@concatenate_p.def_abstract_eval
def _concatenate_abstract_eval(*xs, dimension):
    if not xs:
        raise shape_error("concatenate", "needs at least one operand")
    first = xs[0]
    if not 0 <= dimension < first.ndim:
        raise shape_error("concatenate", f"dimension {dimension} out of range for rank "
                          f"{first.ndim}", *xs)
    for x in xs[1:]:
        if x.dtype != first.dtype:
            raise shape_error("concatenate", "operand dtypes must be equal", *xs)
        if x.ndim != first.ndim or any(a != b for i, (a, b) in enumerate(zip(x.shape, first.shape))
                                       if i != dimension):
            raise shape_error("concatenate", f"operand shapes must agree except in dimension "
                              f"{dimension}", *xs)
    shape = list(first.shape)
    shape[dimension] = sum(x.shape[dimension] for x in xs)
    return first.update(shape=tuple(shape), weak_type=all(x.weak_type for x in xs))


@concatenate_p.def_lowering
def _concatenate_lower(ctx, *xs, dimension):
    return ctx.op("stablehlo.concatenate", xs,
                  {"dimension": ir.IntegerAttr.get(ir.IntegerType.get_signless(64), dimension)})


@concatenate_p.def_jvp
def _concatenate_jvp(primals, tangents, *, dimension):
    out = concatenate_p.bind(*primals, dimension=dimension)
    if all(t is None for t in tangents):
        return out, None
    ts = [_zeros(get_aval(p)) if t is None else t for p, t in zip(primals, tangents)]
    return out, concatenate_p.bind(*ts, dimension=dimension)


@concatenate_p.def_transpose
def _concatenate_transpose(ct, *xs, dimension):
    out, start = [], 0
    for x in xs:
        size = _aval(x).shape[dimension]
        if is_undefined_primal(x):
            out.append(slice_in_dim(ct, start, start + size, 1, dimension))
        else:
            out.append(None)
        start += size
    return out


@concatenate_p.def_batching
def _concatenate_batching(values, dims, *, dimension):
    size = _batch_size(values, dims)
    xs = [_bcast_front(v, d, size) for v, d in zip(values, dims)]
    return concatenate_p.bind(*xs, dimension=dimension + 1), 0


def concatenate(operands: Sequence, dimension: int):
    """Joins ``operands`` (equal dtypes) along ``dimension``, as ``jax.lax.concatenate``."""
    operands = list(operands)
    if len(operands) == 1:
        return operands[0]
    return concatenate_p.bind(*operands, dimension=int(dimension))


# ---------------------------------------------------------------------------
# rev (stablehlo.reverse)
# ---------------------------------------------------------------------------

rev_p = Primitive("rev")


@rev_p.def_abstract_eval
def _rev_abstract_eval(x, *, dimensions):
    if any(not 0 <= d < x.ndim for d in dimensions) or len(set(dimensions)) != len(dimensions):
        raise shape_error("rev", f"dimensions {dimensions} are not distinct dimensions of a "
                          f"rank-{x.ndim} operand", x)
    return x


@rev_p.def_lowering
def _rev_lower(ctx, x, *, dimensions):
    return ctx.op("stablehlo.reverse", [x], {"dimensions": i64_array_attr(dimensions)})


_linear_jvp(rev_p)


rev_p.def_transpose(lambda ct, x, *, dimensions: [rev_p.bind(ct, dimensions=dimensions)])
rev_p.def_batching(lambda values, dims, *, dimensions: (
    rev_p.bind(values[0], dimensions=tuple(d + 1 for d in dimensions)), 0))


def rev(operand, dimensions: Sequence[int]):
    """Reverses ``operand`` along ``dimensions``, as ``jax.lax.rev``."""
    dims = tuple(sorted(_ints(dimensions)))
    return operand if not dims else rev_p.bind(operand, dimensions=dims)


# ---------------------------------------------------------------------------
# squeeze / expand_dims: reshapes (their rules are reshape's)
# ---------------------------------------------------------------------------

def squeeze(array, dimensions: Sequence[int]):
    """Removes size-1 ``dimensions``, as ``jax.lax.squeeze``."""
    aval = get_aval(array)
    dims = {int(d) % aval.ndim for d in dimensions} if aval.ndim else set()
    for d in dims:
        if aval.shape[d] != 1:
            raise shape_error("squeeze", f"dimension {d} has size {aval.shape[d]}, not 1", aval)
    shape = tuple(s for i, s in enumerate(aval.shape) if i not in dims)
    return array if shape == aval.shape else lax.reshape(array, shape)


def expand_dims(array, dimensions: Sequence[int]):
    """Inserts size-1 dimensions at ``dimensions`` (of the result), as ``jax.lax.expand_dims``."""
    aval = get_aval(array)
    ndim = aval.ndim + len(dimensions)
    dims = sorted(int(d) % ndim for d in dimensions)
    if len(set(dims)) != len(dims):
        raise shape_error("expand_dims", f"repeated dimensions {tuple(dimensions)}", aval)
    shape = list(aval.shape)
    for d in dims:
        shape.insert(d, 1)
    return lax.reshape(array, shape)


# ---------------------------------------------------------------------------
# gather
# ---------------------------------------------------------------------------

class GatherDimensionNumbers(NamedTuple):
    """As ``jax.lax.GatherDimensionNumbers`` (the index vector is the indices' last axis)."""

    offset_dims: tuple[int, ...]
    collapsed_slice_dims: tuple[int, ...]
    start_index_map: tuple[int, ...]
    operand_batching_dims: tuple[int, ...] = ()
    start_indices_batching_dims: tuple[int, ...] = ()


class ScatterDimensionNumbers(NamedTuple):
    """As ``jax.lax.ScatterDimensionNumbers`` (the index vector is the indices' last axis)."""

    update_window_dims: tuple[int, ...]
    inserted_window_dims: tuple[int, ...]
    scatter_dims_to_operand_dims: tuple[int, ...]
    operand_batching_dims: tuple[int, ...] = ()
    scatter_indices_batching_dims: tuple[int, ...] = ()


class GatherScatterMode:
    """Out-of-bounds behaviour, as ``jax.lax.GatherScatterMode`` (as strings here).

    ``clip``: clamp the start indices (gather's native semantics);
    ``fill``/``drop`` (the default): a gather returns ``fill_value`` (NaN for
    floats) for out-of-bounds slices, a scatter skips out-of-bounds updates;
    ``promise_in_bounds``: the user promises; implemented as ``clip`` for gathers.
    """

    CLIP = "clip"
    FILL_OR_DROP = "fill"
    PROMISE_IN_BOUNDS = "promise_in_bounds"

    @staticmethod
    def from_any(mode) -> str:
        if mode is None or mode in ("fill", "drop"):
            return GatherScatterMode.FILL_OR_DROP
        if mode in ("clip", "promise_in_bounds"):
            return str(mode)
        raise ValueError(f"unknown gather/scatter mode {mode!r} (use 'clip', 'fill', 'drop' or "
                         f"'promise_in_bounds')")


def _canon_gather_dnums(d) -> GatherDimensionNumbers:
    return GatherDimensionNumbers(*(tuple(_ints(f)) for f in d))


def _canon_scatter_dnums(d) -> ScatterDimensionNumbers:
    return ScatterDimensionNumbers(*(tuple(_ints(f)) for f in d))


def _dnums_attr(kind: str, index_vector_dim: int, **dims: Sequence[int]) -> ir.Attribute:
    """``#stablehlo.<kind><name = [...], ..., index_vector_dim = n>``. Every list field is
    optional in the syntax (the printer leaves empty ones out), so empty lists are fine."""
    fields = [f"{name} = [{', '.join(str(int(v)) for v in values)}]"
              for name, values in dims.items()]
    fields.append(f"index_vector_dim = {index_vector_dim}")
    return ir.Attribute.parse(f"#stablehlo.{kind}<{', '.join(fields)}>")


gather_p = Primitive("gather")


def _gather_shape(name, operand, indices, dnums: GatherDimensionNumbers, slice_sizes):
    offset, collapsed, start_map, op_batch, idx_batch = dnums
    if not dtypes.is_int(indices.dtype):
        raise shape_error(name, "indices must be integers", operand, indices)
    if indices.ndim < 1:
        raise shape_error(name, "indices need a last axis holding the index vectors",
                          operand, indices)
    if len(slice_sizes) != operand.ndim:
        raise shape_error(name, f"slice_sizes {slice_sizes} needs one entry per operand "
                          f"dimension ({operand.ndim})", operand, indices)
    if len(start_map) != indices.shape[-1]:
        raise shape_error(name, f"start_index_map {start_map} needs one entry per index "
                          f"vector component ({indices.shape[-1]})", operand, indices)
    for d, (s, size) in enumerate(zip(slice_sizes, operand.shape)):
        if not 0 <= s <= size:
            raise shape_error(name, f"slice size {s} of dimension {d} exceeds its size {size}",
                              operand, indices)
    for d in collapsed + op_batch:
        if not 0 <= d < operand.ndim or slice_sizes[d] != 1:
            raise shape_error(name, f"collapsed/batching dimension {d} must be an operand "
                              f"dimension with slice size 1", operand, indices)
    if any(not 0 <= d < operand.ndim for d in start_map):
        raise shape_error(name, f"start_index_map {start_map} out of range", operand, indices)
    if len(op_batch) != len(idx_batch):
        raise shape_error(name, "operand_batching_dims and start_indices_batching_dims need "
                          "the same length", operand, indices)
    batch_shape = indices.shape[:-1]
    for od, idd in zip(op_batch, idx_batch):
        if operand.shape[od] != batch_shape[idd]:
            raise shape_error(name, f"operand batching dimension {od} and indices batching "
                              f"dimension {idd} differ in size", operand, indices)
    offset_sizes = [s for d, s in enumerate(slice_sizes) if d not in collapsed and d not in op_batch]
    rank = len(batch_shape) + len(offset_sizes)
    if len(offset) != len(offset_sizes) or any(not 0 <= d < rank for d in offset) or \
            list(offset) != sorted(set(offset)):
        raise shape_error(name, f"offset_dims {offset} must be {len(offset_sizes)} increasing "
                          f"dimensions of the rank-{rank} result", operand, indices)
    out, bi, oi = [], iter(batch_shape), iter(offset_sizes)
    for d in range(rank):
        out.append(next(oi) if d in offset else next(bi))
    return tuple(out)


@gather_p.def_abstract_eval
def _gather_abstract_eval(operand, indices, *, dimension_numbers, slice_sizes, mode, fill_value):
    shape = _gather_shape("gather", operand, indices, dimension_numbers, slice_sizes)
    return operand.update(shape=shape)


def _gather_dnums_attr(d: GatherDimensionNumbers, index_vector_dim: int) -> ir.Attribute:
    return _dnums_attr("gather", index_vector_dim, offset_dims=d.offset_dims,
                       collapsed_slice_dims=d.collapsed_slice_dims,
                       operand_batching_dims=d.operand_batching_dims,
                       start_indices_batching_dims=d.start_indices_batching_dims,
                       start_index_map=d.start_index_map)


@gather_p.def_lowering
def _gather_lower(ctx, operand, indices, *, dimension_numbers, slice_sizes, mode, fill_value):
    _, idx = ctx.avals_in
    return ctx.op("stablehlo.gather", [operand, indices], {
        "dimension_numbers": _gather_dnums_attr(dimension_numbers, idx.ndim - 1),
        "slice_sizes": i64_array_attr(slice_sizes),
        "indices_are_sorted": ir.BoolAttr.get(False)})


def _clamp(x, lo, hi):
    x = lax.max(x, lo)
    return lax.select(lax.lt(x, hi), x, hi)


def _in_bounds_mask(indices, dims_in_operand, operand_shape, window_sizes):
    """Per index vector: whether the whole window ``[i, i + size)`` is in bounds (bool)."""
    iaval = get_aval(indices)
    limits = np.array([operand_shape[d] - window_sizes[d] for d in dims_in_operand],
                      dtype=iaval.dtype)
    zero = np.zeros(iaval.shape, iaval.dtype)
    ok = lax.select(lax.ge(indices, zero), lax.le(indices, np.broadcast_to(limits, iaval.shape)
                                                  .copy()), np.zeros(iaval.shape, np.bool_))
    # all() over the index vector axis: count the in-bounds components
    count = lax.reduce_sum(lax.convert_element_type(ok, np.int32), (iaval.ndim - 1,))
    return lax.eq(count, np.full(iaval.shape[:-1], iaval.shape[-1], np.int32))


def _clip_indices(indices, dims_in_operand, operand_shape, window_sizes):
    iaval = get_aval(indices)
    limits = np.array([operand_shape[d] - window_sizes[d] for d in dims_in_operand],
                      dtype=iaval.dtype)
    return _clamp(indices, np.zeros(iaval.shape, iaval.dtype),
                  np.broadcast_to(limits, iaval.shape).copy())


def gather(operand, start_indices, dimension_numbers, slice_sizes: Sequence[int], *,
           unique_indices: bool = False, indices_are_sorted: bool = False, mode=None,
           fill_value=None):
    """XLA's gather, as ``jax.lax.gather``; ``start_indices``' last axis holds index vectors.

    ``mode`` (default ``'fill'``): out-of-bounds slices give ``fill_value``
    (NaN for floats, the dtype's minimum for signed ints, max for unsigned, True
    for bool); ``'clip'``/``'promise_in_bounds'`` clamp the start indices.
    """
    dnums = _canon_gather_dnums(dimension_numbers)
    mode = GatherScatterMode.from_any(mode)
    sizes = _ints(slice_sizes)
    if mode != GatherScatterMode.FILL_OR_DROP:
        return gather_p.bind(operand, start_indices, dimension_numbers=dnums, slice_sizes=sizes,
                             mode=GatherScatterMode.CLIP, fill_value=None)
    aval = get_aval(operand)
    out = gather_p.bind(operand, start_indices, dimension_numbers=dnums, slice_sizes=sizes,
                        mode=GatherScatterMode.CLIP, fill_value=None)
    oaval = get_aval(out)
    mask = _in_bounds_mask(start_indices, dnums.start_index_map, aval.shape, sizes)
    batch_dims = tuple(d for d in range(oaval.ndim) if d not in dnums.offset_dims)
    mask = lax.broadcast_in_dim(mask, oaval.shape, batch_dims)
    if fill_value is None:
        if dtypes.is_float(aval.dtype) or aval.dtype.kind == "c":  # JAX: NaN for inexact
            fill_value = np.nan
        elif aval.dtype == np.bool_:
            fill_value = True
        else:
            info = np.iinfo(aval.dtype)
            fill_value = info.min if aval.dtype.kind == "i" else info.max
    return lax.select(mask, out, np.full(oaval.shape, fill_value, aval.dtype))


_linear_jvp(gather_p)


@gather_p.def_transpose
def _gather_transpose(ct, operand, indices, *, dimension_numbers, slice_sizes, mode, fill_value):
    aval = operand.aval
    d = dimension_numbers
    # gather clamps start indices; scatter would drop them: clamp explicitly.
    indices = _clip_indices(indices, d.start_index_map, aval.shape, slice_sizes)
    sd = ScatterDimensionNumbers(d.offset_dims, d.collapsed_slice_dims, d.start_index_map,
                                 d.operand_batching_dims, d.start_indices_batching_dims)
    return [scatter_add_p.bind(_zeros(aval), indices, ct, dimension_numbers=sd,
                               unique_indices=False), None]


def _iota_indices(indices, size: int):
    """``indices`` (batched in front) with the batch position prepended to each index vector."""
    iaval = get_aval(indices)
    iota = np.arange(size, dtype=iaval.dtype)
    coord = lax.broadcast_in_dim(iota, iaval.shape[:-1] + (1,), (0,))
    return concatenate([coord, indices], iaval.ndim - 1)


@gather_p.def_batching
def _gather_batching(values, dims, *, dimension_numbers, slice_sizes, mode, fill_value):
    operand, indices = values
    od, idd = dims
    size = _batch_size(values, dims)
    d = dimension_numbers
    sh = lambda ds: tuple(x + 1 for x in ds)  # noqa: E731
    if idd is None:  # only the operand: its batch axis is one more window (offset) dimension
        dn = GatherDimensionNumbers((0,) + sh(d.offset_dims), sh(d.collapsed_slice_dims),
                                    sh(d.start_index_map), sh(d.operand_batching_dims),
                                    d.start_indices_batching_dims)
        return gather_p.bind(operand, indices, dimension_numbers=dn,
                             slice_sizes=(size,) + slice_sizes, mode=mode,
                             fill_value=fill_value), 0
    if od is None:  # only the indices: one more batch dimension, in front of the result
        dn = GatherDimensionNumbers(sh(d.offset_dims), d.collapsed_slice_dims, d.start_index_map,
                                    d.operand_batching_dims, sh(d.start_indices_batching_dims))
        return gather_p.bind(operand, indices, dimension_numbers=dn, slice_sizes=slice_sizes,
                             mode=mode, fill_value=fill_value), 0
    # both: index the batch axis with an iota coordinate
    dn = GatherDimensionNumbers(sh(d.offset_dims), (0,) + sh(d.collapsed_slice_dims),
                                (0,) + sh(d.start_index_map), sh(d.operand_batching_dims),
                                sh(d.start_indices_batching_dims))
    return gather_p.bind(operand, _iota_indices(indices, size), dimension_numbers=dn,
                         slice_sizes=(1,) + slice_sizes, mode=mode, fill_value=fill_value), 0


# ---------------------------------------------------------------------------
# scatter, scatter_add, scatter_mul, scatter_min, scatter_max
# ---------------------------------------------------------------------------

def _scatter_shape_check(name, operand, indices, updates, d: ScatterDimensionNumbers):
    window, inserted, to_operand, op_batch, idx_batch = d
    if not dtypes.is_int(indices.dtype):
        raise shape_error(name, "indices must be integers", operand, indices, updates)
    if updates.dtype != operand.dtype:
        raise shape_error(name, "updates must have the operand's dtype", operand, indices,
                          updates)
    if indices.ndim < 1 or len(to_operand) != indices.shape[-1]:
        raise shape_error(name, f"scatter_dims_to_operand_dims {to_operand} needs one entry "
                          f"per index vector component (the indices' last axis)",
                          operand, indices, updates)
    batch_shape = indices.shape[:-1]
    if updates.ndim != len(batch_shape) + len(window):
        raise shape_error(name, f"updates must have rank {len(batch_shape) + len(window)} "
                          f"(index batch dims + update_window_dims {window})",
                          operand, indices, updates)
    window_operand_dims = [k for k in range(operand.ndim) if k not in inserted and k not in op_batch]
    if len(window_operand_dims) != len(window):
        raise shape_error(name, f"update_window_dims {window} must cover the operand dimensions "
                          f"not in inserted_window_dims {inserted} / operand_batching_dims",
                          operand, indices, updates)
    scatter_dims = [k for k in range(updates.ndim) if k not in window]
    for k, b in zip(scatter_dims, batch_shape):
        if updates.shape[k] != b:
            raise shape_error(name, f"updates dimension {k} must match the indices' batch "
                              f"dimensions {batch_shape}", operand, indices, updates)
    for k, od in zip(window, window_operand_dims):
        if updates.shape[k] > operand.shape[od]:
            raise shape_error(name, f"update window dimension {k} is larger than operand "
                              f"dimension {od}", operand, indices, updates)


def _scatter_window_sizes(operand_ndim, updates_shape, d: ScatterDimensionNumbers):
    sizes, it = [], iter(d.update_window_dims)
    for k in range(operand_ndim):
        if k in d.inserted_window_dims or k in d.operand_batching_dims:
            sizes.append(1)
        else:
            sizes.append(updates_shape[next(it)])
    return tuple(sizes)


def _scatter_dnums_attr(d: ScatterDimensionNumbers, index_vector_dim: int) -> ir.Attribute:
    return _dnums_attr("scatter", index_vector_dim, update_window_dims=d.update_window_dims,
                       inserted_window_dims=d.inserted_window_dims,
                       input_batching_dims=d.operand_batching_dims,
                       scatter_indices_batching_dims=d.scatter_indices_batching_dims,
                       scatter_dims_to_operand_dims=d.scatter_dims_to_operand_dims)


def _gather_for_scatter(x, indices, updates_shape, d: ScatterDimensionNumbers):
    """The windows of ``x`` a scatter with these numbers writes (clamped indices)."""
    aval = get_aval(x)
    sizes = _scatter_window_sizes(aval.ndim, updates_shape, d)
    gd = GatherDimensionNumbers(d.update_window_dims, d.inserted_window_dims,
                                d.scatter_dims_to_operand_dims, d.operand_batching_dims,
                                d.scatter_indices_batching_dims)
    return gather_p.bind(x, indices, dimension_numbers=gd, slice_sizes=sizes,
                         mode=GatherScatterMode.CLIP, fill_value=None)


def _make_scatter(name: str, body_op: str | None) -> Primitive:
    prim = Primitive(name)

    @prim.def_abstract_eval
    def _abstract_eval(operand, indices, updates, *, dimension_numbers, unique_indices):
        _scatter_shape_check(name, operand, indices, updates, dimension_numbers)
        return operand.update(weak_type=operand.weak_type and updates.weak_type)

    @prim.def_lowering
    def _lower(ctx, operand, indices, updates, *, dimension_numbers, unique_indices):
        aval, idx, _ = ctx.avals_in
        op = _create("stablehlo.scatter", name, [operand, indices, updates], ctx.avals_out, {
            "scatter_dimension_numbers": _scatter_dnums_attr(dimension_numbers, idx.ndim - 1),
            "indices_are_sorted": ir.BoolAttr.get(False),
            "unique_indices": ir.BoolAttr.get(bool(unique_indices))}, regions=1)
        _scalar_region(op, aval.dtype, body_op)
        return list(op.results)

    @prim.def_batching
    def _batching(values, dims, *, dimension_numbers, unique_indices):
        operand, indices, updates = values
        size = _batch_size(values, dims)
        d = dimension_numbers
        sh = lambda ds: tuple(x + 1 for x in ds)  # noqa: E731
        operand = _bcast_front(operand, dims[0], size)
        updates = _bcast_front(updates, dims[2], size)
        indices = _bcast_front(indices, dims[1], size)
        dn = ScatterDimensionNumbers(sh(d.update_window_dims), (0,) + sh(d.inserted_window_dims),
                                     (0,) + sh(d.scatter_dims_to_operand_dims),
                                     sh(d.operand_batching_dims),
                                     sh(d.scatter_indices_batching_dims))
        return prim.bind(operand, _iota_indices(indices, size), updates, dimension_numbers=dn,
                         unique_indices=unique_indices), 0

    return prim


scatter_p = _make_scatter("scatter", None)
scatter_add_p = _make_scatter("scatter_add", "stablehlo.add")
scatter_mul_p = _make_scatter("scatter_mul", "stablehlo.multiply")
scatter_min_p = _make_scatter("scatter_min", "stablehlo.minimum")
scatter_max_p = _make_scatter("scatter_max", "stablehlo.maximum")


def _def_scatter_jvp_through_same_op(prim: Primitive) -> None:
    """scatter_add and scatter are linear in (operand, updates) together: the tangent
    is the same scatter of the tangents. (For scatter this is exact when indices are
    unique; with duplicates the tangent follows the same implementation-defined winner
    as long as the backend is deterministic.)"""
    def jvp(primals, tangents, *, dimension_numbers, unique_indices):
        operand, indices, updates = primals
        to, _, tu = tangents
        out = prim.bind(operand, indices, updates, dimension_numbers=dimension_numbers,
                        unique_indices=unique_indices)
        if to is None and tu is None:
            return out, None
        to = _zeros(get_aval(operand)) if to is None else to
        tu = _zeros(get_aval(updates)) if tu is None else tu
        return out, prim.bind(to, indices, tu, dimension_numbers=dimension_numbers,
                              unique_indices=unique_indices)

    prim.def_jvp(jvp)


_def_scatter_jvp_through_same_op(scatter_add_p)


@scatter_add_p.def_transpose
def _scatter_add_transpose(ct, operand, indices, updates, *, dimension_numbers, unique_indices):
    ct_op = ct if is_undefined_primal(operand) else None
    ct_up = None
    if is_undefined_primal(updates):
        ct_up = _gather_for_scatter(ct, indices, updates.aval.shape, dimension_numbers)
        # an out-of-bounds update was dropped: its cotangent is zero
        uaval = updates.aval
        sizes = _scatter_window_sizes(get_aval(ct).ndim, uaval.shape, dimension_numbers)
        mask = _in_bounds_mask(indices, dimension_numbers.scatter_dims_to_operand_dims,
                               get_aval(ct).shape, sizes)
        scatter_dims = tuple(k for k in range(uaval.ndim)
                             if k not in dimension_numbers.update_window_dims)
        mask = lax.broadcast_in_dim(mask, uaval.shape, scatter_dims)
        ct_up = lax.select(mask, ct_up, _zeros(uaval))
    return [ct_op, None, ct_up]


_def_scatter_jvp_through_same_op(scatter_p)


@scatter_p.def_transpose
def _scatter_transpose(ct, operand, indices, updates, *, dimension_numbers, unique_indices):
    uaval = _aval(updates)
    ct_op = ct_up = None
    if is_undefined_primal(operand):  # overwritten positions get no cotangent
        ct_op = scatter_p.bind(ct, indices, _zeros(uaval), dimension_numbers=dimension_numbers,
                               unique_indices=unique_indices)
    if is_undefined_primal(updates):
        ct_up = _scatter_add_transpose(ct, _core.UndefinedPrimal(get_aval(ct)), indices, updates,
                                       dimension_numbers=dimension_numbers,
                                       unique_indices=unique_indices)[2]
    return [ct_op, None, ct_up]


@scatter_mul_p.def_jvp
def _scatter_mul_jvp(primals, tangents, *, dimension_numbers, unique_indices):
    operand, indices, updates = primals
    to, _, tu = tangents
    kw = dict(dimension_numbers=dimension_numbers, unique_indices=unique_indices)
    out = scatter_mul_p.bind(operand, indices, updates, **kw)
    t = None if to is None else scatter_mul_p.bind(to, indices, updates, **kw)
    if tu is not None:
        if not unique_indices:
            raise NotImplementedError("scatter_mul: the derivative with respect to the updates "
                                      "needs unique_indices=True (as in JAX)")
        part = lax.mul(operand, scatter_p.bind(_zeros(get_aval(operand)), indices, tu, **kw))
        t = part if t is None else lax.add(t, part)
    return out, t


@scatter_mul_p.def_transpose
def _scatter_mul_transpose(ct, operand, indices, updates, *, dimension_numbers, unique_indices):
    if is_undefined_primal(updates):
        raise NotImplementedError("scatter_mul: transposing with respect to the updates")
    ones = np.ones(get_aval(ct).shape, get_aval(ct).dtype)
    factor = scatter_mul_p.bind(ones, indices, updates, dimension_numbers=dimension_numbers,
                                unique_indices=unique_indices)
    return [lax.mul(ct, factor), None, None]


def _scatter_extremum_jvp(prim):
    def rule(primals, tangents, *, dimension_numbers, unique_indices):
        # Ties share the derivative equally (as JAX): each candidate equal to the
        # result contributes its tangent, divided by the number of candidates.
        operand, indices, updates = primals
        to, _, tu = tangents
        kw = dict(dimension_numbers=dimension_numbers, unique_indices=unique_indices)
        out = prim.bind(operand, indices, updates, **kw)
        oaval, uaval = get_aval(operand), get_aval(updates)
        to = _zeros(oaval) if to is None else to
        tu = _zeros(uaval) if tu is None else tu
        dtype = oaval.dtype
        one_o, zero_o = np.ones(oaval.shape, dtype), _zeros(oaval)
        zero_u = _zeros(uaval)
        from_op = lax.eq(out, operand)
        won = lax.eq(updates, _gather_for_scatter(out, indices, uaval.shape, dimension_numbers))
        count = lax.add(lax.select(from_op, one_o, zero_o),
                        scatter_add_p.bind(zero_o, indices,
                                           lax.select(won, np.ones(uaval.shape, dtype), zero_u),
                                           **kw))
        total = lax.add(lax.select(from_op, to, zero_o),
                        scatter_add_p.bind(zero_o, indices, lax.select(won, tu, zero_u), **kw))
        return out, lax.div(total, count)

    prim.def_jvp(rule)


_scatter_extremum_jvp(scatter_min_p)
_scatter_extremum_jvp(scatter_max_p)


def _scatter_api(prim):
    def fn(operand, scatter_indices, updates, dimension_numbers, *,
           indices_are_sorted: bool = False, unique_indices: bool = False, mode=None):
        dnums = _canon_scatter_dnums(dimension_numbers)
        mode = GatherScatterMode.from_any(mode)
        if mode == GatherScatterMode.CLIP:
            oaval = get_aval(operand)
            sizes = _scatter_window_sizes(oaval.ndim, get_aval(updates).shape, dnums)
            scatter_indices = _clip_indices(scatter_indices, dnums.scatter_dims_to_operand_dims,
                                            oaval.shape, sizes)
        return prim.bind(operand, scatter_indices, updates, dimension_numbers=dnums,
                         unique_indices=bool(unique_indices))
    fn.__name__ = prim.name
    fn.__doc__ = (f"XLA's scatter with a {prim.name} combiner, as ``jax.lax.{prim.name}``; "
                  f"out-of-bounds updates are dropped (``mode='clip'`` clamps them instead).")
    return fn


scatter = _scatter_api(scatter_p)
scatter_add = _scatter_api(scatter_add_p)
scatter_mul = _scatter_api(scatter_mul_p)
scatter_min = _scatter_api(scatter_min_p)
scatter_max = _scatter_api(scatter_max_p)


# ---------------------------------------------------------------------------
# dynamic_slice / dynamic_update_slice (start indices clamped, as XLA)
# ---------------------------------------------------------------------------

dynamic_slice_p = Primitive("dynamic_slice")


@dynamic_slice_p.def_abstract_eval
def _dynamic_slice_abstract_eval(x, *idx, slice_sizes):
    if len(idx) != x.ndim or len(slice_sizes) != x.ndim:
        raise shape_error("dynamic_slice", f"needs one start index and one slice size per "
                          f"dimension ({x.ndim})", x, *idx)
    if any(i.shape != () or not dtypes.is_int(i.dtype) for i in idx):
        raise shape_error("dynamic_slice", "start indices must be integer scalars", x, *idx)
    if any(not 0 <= s <= n for s, n in zip(slice_sizes, x.shape)):
        raise shape_error("dynamic_slice", f"slice_sizes {slice_sizes} exceed the operand "
                          f"shape", x, *idx)
    return x.update(shape=tuple(slice_sizes))


@dynamic_slice_p.def_lowering
def _dynamic_slice_lower(ctx, x, *idx, slice_sizes):
    return ctx.op("stablehlo.dynamic_slice", [x, *idx], {"slice_sizes": i64_array_attr(slice_sizes)})


_linear_jvp(dynamic_slice_p)


@dynamic_slice_p.def_transpose
def _dynamic_slice_transpose(ct, x, *idx, slice_sizes):
    zeros = _zeros(x.aval)
    return [dynamic_update_slice_p.bind(zeros, ct, *idx)] + [None] * len(idx)


def _stack_indices(idx, size):
    """Scalar start indices (each batched in front or not) as a ``[B, n]`` index array."""
    cols = []
    for i in idx:
        aval = get_aval(i)
        col = i if aval.ndim == 1 else lax.broadcast_in_dim(i, (size,), ())
        cols.append(lax.reshape(lax.convert_element_type(col, np.int32), (size, 1)))
    return concatenate(cols, 1)


@dynamic_slice_p.def_batching
def _dynamic_slice_batching(values, dims, *, slice_sizes):
    x, *idx = values
    dx, *didx = dims
    size = _batch_size(values, dims)
    if all(d is None for d in didx):  # same window for all: keep the batch axis whole
        zero = np.zeros((), get_aval(idx[0]).dtype if idx else np.int32)
        return dynamic_slice_p.bind(x, zero, *idx, slice_sizes=(size,) + slice_sizes), 0
    # batched starts: a gather with one index vector per batch element
    nd = len(slice_sizes)
    dn = GatherDimensionNumbers(tuple(range(nd)), (), tuple(range(nd)))  # per element
    indices = _stack_indices(idx, size)
    return _gather_batching([x, indices], [dx, 0], dimension_numbers=dn,
                            slice_sizes=slice_sizes, mode=GatherScatterMode.CLIP,
                            fill_value=None)


dynamic_update_slice_p = Primitive("dynamic_update_slice")


@dynamic_update_slice_p.def_abstract_eval
def _dus_abstract_eval(x, update, *idx):
    if update.ndim != x.ndim or len(idx) != x.ndim:
        raise shape_error("dynamic_update_slice", "update must have the operand's rank and "
                          "there must be one start index per dimension", x, update, *idx)
    if update.dtype != x.dtype:
        raise shape_error("dynamic_update_slice", "update must have the operand's dtype",
                          x, update)
    if any(u > n for u, n in zip(update.shape, x.shape)):
        raise shape_error("dynamic_update_slice", "update is larger than the operand", x, update)
    if any(i.shape != () or not dtypes.is_int(i.dtype) for i in idx):
        raise shape_error("dynamic_update_slice", "start indices must be integer scalars",
                          x, update, *idx)
    return x


@dynamic_update_slice_p.def_lowering
def _dus_lower(ctx, x, update, *idx):
    return ctx.op("stablehlo.dynamic_update_slice", [x, update, *idx])


@dynamic_update_slice_p.def_jvp
def _dus_jvp(primals, tangents):
    x, update, *idx = primals
    tx, tu = tangents[:2]
    out = dynamic_update_slice_p.bind(x, update, *idx)
    if tx is None and tu is None:
        return out, None
    tx = _zeros(get_aval(x)) if tx is None else tx
    tu = _zeros(get_aval(update)) if tu is None else tu
    return out, dynamic_update_slice_p.bind(tx, tu, *idx)


@dynamic_update_slice_p.def_transpose
def _dus_transpose(ct, x, update, *idx):
    uaval = _aval(update)
    ct_x = ct_u = None
    if is_undefined_primal(x):
        ct_x = dynamic_update_slice_p.bind(ct, _zeros(uaval), *idx)
    if is_undefined_primal(update):
        ct_u = dynamic_slice_p.bind(ct, *idx, slice_sizes=uaval.shape)
    return [ct_x, ct_u] + [None] * len(idx)


@dynamic_update_slice_p.def_batching
def _dus_batching(values, dims):
    x, update, *idx = values
    size = _batch_size(values, dims)
    x = _bcast_front(x, dims[0], size)
    update = _bcast_front(update, dims[1], size)
    if all(d is None for d in dims[2:]):
        zero = np.zeros((), get_aval(idx[0]).dtype if idx else np.int32)
        return dynamic_update_slice_p.bind(x, update, zero, *idx), 0
    # batched starts: a scatter of each batch element's whole window (starts clamped first)
    xaval, uaval = get_aval(x), get_aval(update)
    nd = xaval.ndim - 1
    indices = _stack_indices(idx, size)
    limits = np.array([xaval.shape[k + 1] - uaval.shape[k + 1] for k in range(nd)], np.int32)
    indices = _clamp(indices, np.zeros((size, nd), np.int32),
                     np.broadcast_to(limits, (size, nd)).copy())
    dn = ScatterDimensionNumbers(tuple(range(1, nd + 1)), (0,), tuple(range(nd + 1)))
    return scatter_p.bind(x, _iota_indices(indices, size), update, dimension_numbers=dn,
                          unique_indices=True), 0


def _index_dtype(indices):
    avals = [get_aval(i) for i in indices]
    if any(not dtypes.is_int(a.dtype) for a in avals):
        raise TypeError("dynamic_slice: start indices must be integers, got "
                        + ", ".join(a.str_short() for a in avals))
    return np.int64 if any(a.dtype == np.int64 for a in avals) else np.int32


def _start_indices(operand, start_indices):
    """Scalar int start indices of one dtype; negative ones count from the end (as JAX)."""
    aval = get_aval(operand)
    start_indices = list(start_indices)
    if len(start_indices) != aval.ndim:
        raise shape_error("dynamic_slice", f"needs {aval.ndim} start indices, got "
                          f"{len(start_indices)}", aval)
    dtype = _index_dtype(start_indices) if start_indices else np.int32
    out = []
    for i, n in zip(start_indices, aval.shape):
        if isinstance(i, (int, np.integer)):
            i = int(i)
            out.append(np.asarray(i + n if i < 0 else i, dtype))
            continue
        if get_aval(i).dtype != dtype:
            i = lax.convert_element_type(i, dtype)
        zero = np.zeros((), dtype)
        out.append(lax.select(lax.lt(i, zero), lax.add(i, np.asarray(n, dtype)), i))
    return out


def dynamic_slice(operand, start_indices: Sequence, slice_sizes: Sequence[int]):
    """A ``slice_sizes`` window at traced ``start_indices`` (clamped in bounds), as ``jax.lax``."""
    return dynamic_slice_p.bind(operand, *_start_indices(operand, start_indices),
                                slice_sizes=_ints(slice_sizes))


def dynamic_slice_in_dim(operand, start_index, slice_size: int, axis: int = 0):
    aval = get_aval(operand)
    axis = int(axis) % aval.ndim
    starts = [0] * aval.ndim
    starts[axis] = start_index
    sizes = list(aval.shape)
    sizes[axis] = int(slice_size)
    return dynamic_slice(operand, starts, sizes)


def dynamic_index_in_dim(operand, index, axis: int = 0, keepdims: bool = True):
    out = dynamic_slice_in_dim(operand, index, 1, axis)
    return out if keepdims else squeeze(out, (int(axis),))


def dynamic_update_slice(operand, update, start_indices: Sequence):
    """``operand`` with ``update`` written at ``start_indices`` (clamped), as ``jax.lax``."""
    return dynamic_update_slice_p.bind(operand, update, *_start_indices(operand, start_indices))


def dynamic_update_slice_in_dim(operand, update, start_index, axis: int):
    aval = get_aval(operand)
    axis = int(axis) % aval.ndim
    starts = [0] * aval.ndim
    starts[axis] = start_index
    return dynamic_update_slice(operand, update, starts)
