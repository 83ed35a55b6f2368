"""reduce, reduce_window, select_and_scatter, batch_norm_*.

Bodies run in the spec's order (a sequential fold from the init value). A
body made only of elementwise ops runs once per reduced position on whole
arrays (all outputs at once); a body of one add/multiply/max/min/and/or/xor
of its two arguments is a numpy ufunc reduction (same result up to float
rounding order, which the spec leaves to the implementation).
"""

from __future__ import annotations

import itertools

import numpy as np

from . import attributes
from .elementwise import wide
from .registry import register
from .shape_ops import pad

_UFUNCS = {"stablehlo.add": np.add, "stablehlo.multiply": np.multiply, "stablehlo.maximum": np.fmax,
           "stablehlo.minimum": np.fmin, "stablehlo.and": np.bitwise_and, "stablehlo.or": np.bitwise_or,
           "stablehlo.xor": np.bitwise_xor}


def body_ufunc(plan, dtype):
    """The numpy ufunc a two-argument body computes, or None."""
    if len(plan.steps) != 1 or len(plan.arguments) != 2 or np.dtype(dtype).kind == "c":
        return None
    step = plan.steps[0]
    if step.name not in _UFUNCS or sorted(step.operands) != sorted(plan.arguments):
        return None
    if plan.terminator.operands != step.results:
        return None
    ufunc = _UFUNCS[step.name]
    if np.dtype(dtype) == np.bool_:
        ufunc = {np.add: np.logical_or, np.multiply: np.logical_and, np.fmax: np.logical_or,
                 np.fmin: np.logical_and}.get(ufunc, ufunc)
    elif ufunc in (np.fmax, np.fmin):  # maximum/minimum propagate NaN
        ufunc = np.maximum if ufunc is np.fmax else np.minimum
    return ufunc


def fold(ev, env, plan, inits, columns, out_shape):
    """Folds ``columns`` (arrays of shape out_shape + (R,)) with the body,
    starting from ``inits``: acc = body(acc..., column[..., k]...) for k in
    0..R-1. Returns the accumulators."""
    r = columns[0].shape[-1]
    if len(inits) == 1:
        ufunc = body_ufunc(plan, inits[0].dtype)
        if ufunc is not None:
            x = wide(columns[0])
            init = wide(np.asarray(inits[0]))
            if r == 0:
                return [np.broadcast_to(init, out_shape).copy()]
            return [ufunc(init, ufunc.reduce(x, axis=-1))]
    accs = [np.broadcast_to(i, out_shape).copy() for i in inits]
    if plan.elementwise:
        for k in range(r):
            accs = ev.run_region(plan, env, accs + [c[..., k] for c in columns], batched=True)
        return [np.broadcast_to(a, out_shape) for a in accs]
    for index in np.ndindex(*out_shape):
        acc = [a[index] for a in accs]
        for k in range(r):
            acc = ev.run_region(plan, env, acc + [c[index + (k,)] for c in columns])
        for a, v in zip(accs, acc):
            a[index] = v
    return accs


@register("stablehlo.reduce")
def reduce(ev, step, env, args):
    n = len(args) // 2
    operands, inits = args[:n], args[n:]
    dims = step.cached("dims", lambda: attributes.i64s(step.attr("dimensions")))
    keep = [d for d in range(operands[0].ndim) if d not in dims]
    out_shape = tuple(operands[0].shape[d] for d in keep)
    size = int(np.prod([operands[0].shape[d] for d in dims], dtype=np.int64))
    columns = [np.transpose(x, keep + list(dims)).reshape(out_shape + (size,)) for x in operands]
    return fold(ev, env, step.regions[0], inits, columns, out_shape)


def windows(x, init, window, strides, base_dilation, window_dilation, padding):
    """Every window of x (padded with init, base-dilated), shape
    out_shape + (window elements,)."""
    x = pad(x, init, [lo for lo, _ in padding], [hi for _, hi in padding], [d - 1 for d in base_dilation])
    extent = [(w - 1) * d + 1 for w, d in zip(window, window_dilation)]
    out = [max(0, (s - e) // st + 1) if s >= e else 0 for s, e, st in zip(x.shape, extent, strides)]
    if not all(out) or x.size == 0:
        return np.zeros(tuple(out) + (int(np.prod(window)),), x.dtype), tuple(out)
    view = np.lib.stride_tricks.sliding_window_view(x, extent)
    view = view[tuple(slice(None, o * st, st) for o, st in zip(out, strides))
                + tuple(slice(None, None, d) for d in window_dilation)]
    return view.reshape(tuple(out) + (-1,)), tuple(out)


@register("stablehlo.reduce_window")
def reduce_window(ev, step, env, args):
    n = len(args) // 2
    operands, inits = args[:n], args[n:]
    rank = operands[0].ndim
    ints = lambda name, default: step.cached(name, lambda: attributes.i64s(step.attr(name))) or [default] * rank
    padding = ints("padding", 0)
    padding = list(zip(padding[0::2], padding[1::2])) if len(padding) == 2 * rank else [(0, 0)] * rank
    cols, out_shape = [], None
    for x, init in zip(operands, inits):
        c, out_shape = windows(x, init, ints("window_dimensions", 1), ints("window_strides", 1),
                               ints("base_dilations", 1), ints("window_dilations", 1), padding)
        cols.append(c)
    return fold(ev, env, step.regions[0], inits, cols, out_shape)


@register("stablehlo.select_and_scatter")
def select_and_scatter(ev, step, env, args):
    """For each source position, its window's element chosen by ``select``
    (padding is never chosen) receives ``scatter(result, source)``, in
    row-major source order."""
    operand, source, init = args
    rank = operand.ndim
    ints = lambda name, default: step.cached(name, lambda: attributes.i64s(step.attr(name))) or [default] * rank
    window, strides = ints("window_dimensions", 1), ints("window_strides", 1)
    padding = ints("padding", 0)
    low = padding[0::2] if len(padding) == 2 * rank else [0] * rank
    select_plan, scatter_plan = step.regions
    src_index = np.indices(source.shape)
    sel_value = np.zeros(source.shape, operand.dtype)
    sel_index = np.zeros((rank,) + source.shape, np.int64)
    have = np.zeros(source.shape, bool)
    for offset in itertools.product(*[range(w) for w in window]):
        idx = np.stack([src_index[d] * strides[d] + offset[d] - low[d] for d in range(rank)])
        valid = np.all([(idx[d] >= 0) & (idx[d] < operand.shape[d]) for d in range(rank)], axis=0)
        cur = operand[tuple(np.clip(idx[d], 0, operand.shape[d] - 1) for d in range(rank))]
        if select_plan.elementwise:
            keep = np.asarray(ev.run_region(select_plan, env, [sel_value, cur], batched=True)[0], bool)
            keep = np.broadcast_to(keep, source.shape)
        else:
            keep = np.array([bool(ev.run_region(select_plan, env, [sel_value[i], cur[i]])[0])
                             for i in np.ndindex(*source.shape)], bool).reshape(source.shape)
        take = valid & (~have | ~keep)
        sel_value = np.where(take, cur, sel_value)
        sel_index = np.where(take, idx, sel_index)
        have |= valid
    result = np.broadcast_to(init, operand.shape).copy()
    ufunc = body_ufunc(scatter_plan, operand.dtype)
    targets = tuple(sel_index[d][have] for d in range(rank))
    if ufunc is not None and operand.dtype.kind != "V" and not str(operand.dtype).startswith(("bfloat", "float8")):
        ufunc.at(result, targets, source[have])
        return [result]
    for i in np.ndindex(*source.shape):
        if have[i]:
            t = tuple(sel_index[(d,) + i] for d in range(rank))
            result[t] = ev.run_region(scatter_plan, env, [result[t], source[i]])[0]
    return [result]


# ---- batch norm ----------------------------------------------------------------


def _bn_shape(x, axis):
    return [x.shape[axis] if d == axis else 1 for d in range(x.ndim)]


@register("stablehlo.batch_norm_inference")
def batch_norm_inference(ev, step, env, args):
    x, scale, offset, mean, var = (wide(a) for a in args)
    eps = float(attributes.scalar(step.attr("epsilon")))
    axis = int(attributes.scalar(step.attr("feature_index")))
    s = _bn_shape(x, axis)
    return [scale.reshape(s) * (x - mean.reshape(s)) / np.sqrt(var.reshape(s) + eps) + offset.reshape(s)]


@register("stablehlo.batch_norm_training")
def batch_norm_training(ev, step, env, args):
    x, scale, offset = (wide(a) for a in args)
    eps = float(attributes.scalar(step.attr("epsilon")))
    axis = int(attributes.scalar(step.attr("feature_index")))
    axes = tuple(d for d in range(x.ndim) if d != axis)
    s = _bn_shape(x, axis)
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    y = scale.reshape(s) * (x - mean.reshape(s)) / np.sqrt(var.reshape(s) + eps) + offset.reshape(s)
    return [y, mean, var]


@register("stablehlo.batch_norm_grad")
def batch_norm_grad(ev, step, env, args):
    x, scale, mean, var, grad = (wide(a) for a in args)
    eps = float(attributes.scalar(step.attr("epsilon")))
    axis = int(attributes.scalar(step.attr("feature_index")))
    axes = tuple(d for d in range(x.ndim) if d != axis)
    s = _bn_shape(x, axis)
    n = x.size / x.shape[axis]
    inv = 1 / np.sqrt(var.reshape(s) + eps)
    xhat = (x - mean.reshape(s)) * inv
    grad_offset = grad.sum(axis=axes)
    grad_scale = (grad * xhat).sum(axis=axes)
    grad_x = scale.reshape(s) * inv / n * (n * grad - grad_offset.reshape(s) - xhat * grad_scale.reshape(s))
    return [grad_x, grad_scale, grad_offset]
