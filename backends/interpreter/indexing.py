"""gather, scatter, dynamic_slice and dynamic_update_slice (spec index
arithmetic: start indices clamped for gather and dynamic slices; scatter
updates that fall outside the operand are skipped)."""

from __future__ import annotations

import numpy as np

from . import attributes
from .reductions import body_ufunc
from .registry import register


def _clamp_starts(starts, operand_shape, sizes):
    return [int(np.clip(int(np.asarray(s)), 0, max(n - k, 0))) for s, n, k in zip(starts, operand_shape, sizes)]


@register("stablehlo.dynamic_slice")
def dynamic_slice(ev, step, env, args):
    x, starts = args[0], args[1:]
    sizes = step.cached("sizes", lambda: attributes.i64s(step.attr("slice_sizes")))
    starts = _clamp_starts(starts, x.shape, sizes)
    return [x[tuple(slice(s, s + k) for s, k in zip(starts, sizes))]]


@register("stablehlo.dynamic_update_slice")
def dynamic_update_slice(ev, step, env, args):
    x, update, starts = args[0], args[1], args[2:]
    starts = _clamp_starts(starts, x.shape, update.shape)
    out = x.copy()
    out[tuple(slice(s, s + k) for s, k in zip(starts, update.shape))] = update
    return [out]


def _start_vectors(indices, index_vector_dim):
    """indices -> (batch shape, array [batch..., K]) with the index vector
    last (a trailing dimension of 1 when index_vector_dim == rank)."""
    indices = np.asarray(indices).astype(np.int64)
    if index_vector_dim == indices.ndim:
        indices = indices[..., None]
    else:
        indices = np.moveaxis(indices, index_vector_dim, -1)
    return indices


def gather(operand, indices, dn, slice_sizes, result_shape):
    offset_dims = dn.get("offset_dims", [])
    collapsed = dn.get("collapsed_slice_dims", [])
    operand_batching = dn.get("operand_batching_dims", [])
    indices_batching = dn.get("start_indices_batching_dims", [])
    start_index_map = dn.get("start_index_map", [])
    ivd = dn.get("index_vector_dim", 0)
    rank = len(result_shape)
    batch_dims = [d for d in range(rank) if d not in offset_dims]
    starts = _start_vectors(indices, ivd)
    r = np.indices(result_shape, dtype=np.int64) if rank else np.zeros((0,), np.int64)
    batch_index = tuple(r[d] for d in batch_dims)
    start = starts[batch_index] if batch_dims else np.broadcast_to(starts, tuple(result_shape) + starts.shape[-1:])
    full = [np.zeros(result_shape, np.int64) for _ in range(operand.ndim)]
    for k, d in enumerate(start_index_map):
        full[d] = np.clip(start[..., k], 0, operand.shape[d] - slice_sizes[d])
    for d_operand, d_start in zip(operand_batching, indices_batching):
        full[d_operand] = batch_index[d_start - (0 if d_start < ivd else 1)]
    offset_operand_dims = [d for d in range(operand.ndim) if d not in collapsed and d not in operand_batching]
    for d_result, d_operand in zip(offset_dims, offset_operand_dims):
        full[d_operand] = full[d_operand] + r[d_result]
    return operand[tuple(full)]


@register("stablehlo.gather")
def gather_rule(ev, step, env, args):
    dn = step.cached("dn", lambda: attributes.struct(step.attr("dimension_numbers")))
    sizes = step.cached("sizes", lambda: attributes.i64s(step.attr("slice_sizes")))
    return [gather(args[0], args[1], dn, sizes, step.result_types[0].shape)]


@register("stablehlo.dynamic_gather")
def dynamic_gather(ev, step, env, args):
    dn = step.cached("dn", lambda: attributes.struct(step.attr("dimension_numbers")))
    sizes = [int(v) for v in np.asarray(args[2]).reshape(-1)]
    return [gather(args[0], args[1], dn, sizes, step.result_types[0].shape)]


@register("stablehlo.scatter")
def scatter(ev, step, env, args):
    n = (len(args) - 1) // 2
    operands, indices, updates = args[:n], args[n], args[n + 1:]
    dn = step.cached("dn", lambda: attributes.struct(step.attr("scatter_dimension_numbers")))
    window_dims = dn.get("update_window_dims", [])
    inserted = dn.get("inserted_window_dims", [])
    input_batching = dn.get("input_batching_dims", [])
    indices_batching = dn.get("scatter_indices_batching_dims", [])
    to_operand = dn.get("scatter_dims_to_operand_dims", [])
    ivd = dn.get("index_vector_dim", 0)
    shape = updates[0].shape
    rank = operands[0].ndim
    # (not reshape(len, -1): rank-0 updates, as JAX's expm scatters, give (0, 1))
    u = np.indices(shape, dtype=np.int64).reshape(len(shape), int(np.prod(shape)))
    scatter_dims = [d for d in range(len(shape)) if d not in window_dims]
    starts = _start_vectors(indices, ivd)
    scatter_index = tuple(u[d] for d in scatter_dims)
    start = starts[scatter_index] if scatter_dims else np.broadcast_to(starts, (u.shape[1],) + starts.shape[-1:])
    full = [np.zeros(u.shape[1], np.int64) for _ in range(rank)]
    for k, d in enumerate(to_operand):
        full[d] = full[d] + start[..., k]
    for d_operand, d_start in zip(input_batching, indices_batching):
        full[d_operand] = full[d_operand] + scatter_index[d_start - (0 if d_start < ivd else 1)]
    window_operand_dims = [d for d in range(rank) if d not in inserted and d not in input_batching]
    for d_update, d_operand in zip(window_dims, window_operand_dims):
        full[d_operand] = full[d_operand] + u[d_update]
    inside = np.all([(full[d] >= 0) & (full[d] < operands[0].shape[d]) for d in range(rank)], axis=0) \
        if rank else np.ones(u.shape[1], bool)
    targets = tuple(f[inside] for f in full)
    values = [x.reshape(-1)[inside] for x in updates]
    results = [x.copy() for x in operands]
    plan = step.regions[0]
    if n == 1:
        ufunc = body_ufunc(plan, operands[0].dtype)
        dtype = operands[0].dtype
        if ufunc is not None and dtype.type.__module__ == "numpy":
            ufunc.at(results[0], targets, values[0])
            return results
        if not plan.steps and plan.terminator.operands == [plan.arguments[1]]:  # replace
            for k in range(len(values[0])):
                results[0][tuple(t[k] for t in targets)] = values[0][k]
            return results
    for k in range(len(values[0])):
        where = tuple(t[k] for t in targets)
        new = ev.run_region(plan, env, [r[where] for r in results] + [v[k] for v in values])
        for r, v in zip(results, new):
            r[where] = v
    return results
