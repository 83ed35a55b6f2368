"""Ops that move data without computing: constant, iota, broadcasts,
reshape, transpose, slice, concatenate, pad, reverse, tuples."""

from __future__ import annotations

import numpy as np

from . import attributes
from .registry import TOKEN, register


def _ints(step, name):
    return step.cached(name, lambda: attributes.i64s(step.attr(name)))


@register("stablehlo.constant", "chlo.constant", elementwise=True)
def constant(ev, step, env, args):
    return [step.cached("value", lambda: attributes.dense_to_numpy(step.attr("value")))]


@register("stablehlo.iota")
def iota(ev, step, env, args):
    t = step.result_types[0]
    dim = int(attributes.scalar(step.attr("iota_dimension")))
    shape = [1] * len(t.shape)
    shape[dim] = t.shape[dim]
    values = np.arange(t.shape[dim]).reshape(shape)
    if t.dtype.kind == "c":
        values = values.astype(np.float64)
    return [np.broadcast_to(values, t.shape).astype(t.dtype)]


@register("stablehlo.dynamic_iota")
def dynamic_iota(ev, step, env, args):
    shape = tuple(int(v) for v in np.asarray(args[0]).reshape(-1))
    dim = int(attributes.scalar(step.attr("iota_dimension")))
    values = np.arange(shape[dim]).reshape([shape[dim] if i == dim else 1 for i in range(len(shape))])
    return [np.broadcast_to(values, shape).astype(step.result_types[0].dtype)]


def broadcast_in_dim(x, dims, shape):
    x = np.asarray(x)
    expanded = [1] * len(shape)
    for i, d in enumerate(dims):
        expanded[d] = x.shape[i]
    return np.broadcast_to(x.reshape(expanded), shape).copy()


@register("stablehlo.broadcast_in_dim")
def broadcast_in_dim_rule(ev, step, env, args):
    return [broadcast_in_dim(args[0], _ints(step, "broadcast_dimensions"), step.result_types[0].shape)]


@register("stablehlo.dynamic_broadcast_in_dim")
def dynamic_broadcast_in_dim(ev, step, env, args):
    shape = tuple(int(v) for v in np.asarray(args[1]).reshape(-1))
    return [broadcast_in_dim(args[0], _ints(step, "broadcast_dimensions"), shape)]


@register("stablehlo.broadcast")
def broadcast(ev, step, env, args):
    sizes = _ints(step, "broadcast_sizes")
    return [np.broadcast_to(args[0], tuple(sizes) + args[0].shape).copy()]


@register("stablehlo.reshape")
def reshape(ev, step, env, args):
    return [np.reshape(args[0], step.result_types[0].shape)]


@register("stablehlo.dynamic_reshape")
def dynamic_reshape(ev, step, env, args):
    return [np.reshape(args[0], tuple(int(v) for v in np.asarray(args[1]).reshape(-1)))]


@register("stablehlo.transpose")
def transpose(ev, step, env, args):
    return [np.transpose(args[0], _ints(step, "permutation"))]


@register("stablehlo.slice")
def slice_(ev, step, env, args):
    starts, limits = _ints(step, "start_indices"), _ints(step, "limit_indices")
    strides = _ints(step, "strides") or [1] * len(starts)
    return [args[0][tuple(slice(a, b, s) for a, b, s in zip(starts, limits, strides))]]


@register("stablehlo.real_dynamic_slice")
def real_dynamic_slice(ev, step, env, args):
    x, starts, limits, strides = args
    return [x[tuple(slice(int(a), int(b), int(s)) for a, b, s in zip(starts, limits, strides))]]


@register("stablehlo.concatenate")
def concatenate(ev, step, env, args):
    return [np.concatenate(args, axis=int(attributes.scalar(step.attr("dimension"))))]


def pad(x, value, low, high, interior):
    """Edge padding (negative: cropping) and interior padding."""
    x = np.asarray(x)
    shape = [max(0, (n - 1) * (i + 1) + 1) if n else 0 for n, i in zip(x.shape, interior)]
    inner = np.full(shape, value, x.dtype)
    inner[tuple(slice(None, None, i + 1) for i in interior)] = x
    grown = [n + max(lo, 0) + max(hi, 0) for n, lo, hi in zip(shape, low, high)]
    out = np.full(grown, value, x.dtype)
    out[tuple(slice(max(lo, 0), max(lo, 0) + n) for n, lo in zip(shape, low))] = inner
    crop = tuple(slice(max(-lo, 0), g - max(-hi, 0)) for g, lo, hi in zip(grown, low, high))
    return out[crop]


@register("stablehlo.pad")
def pad_rule(ev, step, env, args):
    return [pad(args[0], args[1], _ints(step, "edge_padding_low"), _ints(step, "edge_padding_high"),
                _ints(step, "interior_padding"))]


@register("stablehlo.dynamic_pad")
def dynamic_pad(ev, step, env, args):
    x, value, low, high, interior = args
    return [pad(x, value, [int(v) for v in low], [int(v) for v in high], [int(v) for v in interior])]


@register("stablehlo.reverse")
def reverse(ev, step, env, args):
    return [np.flip(args[0], axis=tuple(_ints(step, "dimensions")))]


@register("stablehlo.get_dimension_size")
def get_dimension_size(ev, step, env, args):
    return [np.int32(args[0].shape[int(attributes.scalar(step.attr("dimension")))])]


@register("stablehlo.tuple")
def tuple_(ev, step, env, args):
    return [tuple(args)]


@register("stablehlo.get_tuple_element")
def get_tuple_element(ev, step, env, args):
    return [args[0][int(attributes.scalar(step.attr("index")))]]


@register("stablehlo.optimization_barrier")
def optimization_barrier(ev, step, env, args):
    return list(args)


@register("stablehlo.create_token", "stablehlo.after_all")
def token(ev, step, env, args):
    return [TOKEN]
