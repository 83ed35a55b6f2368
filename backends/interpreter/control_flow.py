"""while, if, case, map, func.call, composite."""

from __future__ import annotations

import numpy as np

from . import attributes
from .registry import register


@register("stablehlo.while")
def while_(ev, step, env, args):
    cond, body = step.regions
    values = list(args)
    while bool(np.asarray(ev.run_region(cond, env, values)[0])):
        values = ev.run_region(body, env, values)
    return values


@register("stablehlo.if")
def if_(ev, step, env, args):
    branch = step.regions[0] if bool(np.asarray(args[0])) else step.regions[1]
    return ev.run_region(branch, env, [])


@register("stablehlo.case")
def case(ev, step, env, args):
    index = int(np.asarray(args[0]))
    if index < 0 or index >= len(step.regions):  # out of range: the last branch
        index = len(step.regions) - 1
    return ev.run_region(step.regions[index], env, [])


@register("stablehlo.map")
def map_(ev, step, env, args):
    plan = step.regions[0]
    if plan.elementwise:
        return ev.run_region(plan, env, list(args), batched=True)
    shape = step.result_types[0].shape
    out = np.zeros(shape, step.result_types[0].dtype)
    for i in np.ndindex(*shape):
        out[i] = ev.run_region(plan, env, [a[i] for a in args])[0]
    return [out]


@register("func.call")
def call(ev, step, env, args):
    callee = step.cached("callee", lambda: attributes.scalar(step.attr("callee")))
    return ev.call(callee, list(args))


@register("stablehlo.composite")
def composite(ev, step, env, args):
    """Runs the composite's decomposition function."""
    callee = step.cached("callee", lambda: attributes.scalar(step.attr("decomposition")))
    return ev.call(callee, list(args))
