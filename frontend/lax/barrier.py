"""``optimization_barrier`` and ``reduce_precision`` (``jax.lax``'s), one place each.

``optimization_barrier`` returns its operands unchanged and keeps the compiler from
moving work across it (StableHLO's op; our CPU lowering forwards the operands).
``reduce_precision`` rounds floats to a narrower format (exponent and mantissa bits)
and back, as XLA does: to nearest even, overflow to infinity, NaN kept.
"""

from __future__ import annotations

from mlir import ir

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import Primitive, ShapedArray, shape_error
from hlox.frontend.lax import base as lax
from hlox._pytree import tree_flatten, tree_unflatten

__all__ = ["optimization_barrier", "reduce_precision"]

optimization_barrier_p = Primitive("optimization_barrier", multiple_results=True)
optimization_barrier_p.def_abstract_eval(lambda *avals: list(avals))


@optimization_barrier_p.def_lowering
def _barrier_lower(ctx, *operands):
    return ctx.op("stablehlo.optimization_barrier", operands)


@optimization_barrier_p.def_jvp
def _barrier_jvp(primals, tangents):
    outs = optimization_barrier_p.bind(*primals)
    live = [i for i, t in enumerate(tangents) if t is not None]
    moved = optimization_barrier_p.bind(*(tangents[i] for i in live)) if live else []
    out_tangents = [None] * len(primals)
    for i, t in zip(live, moved):
        out_tangents[i] = t
    return outs, out_tangents


optimization_barrier_p.def_transpose(lambda cts, *operands: list(cts))
optimization_barrier_p.def_batching(
    lambda values, dims: (optimization_barrier_p.bind(*values), list(dims)))


def optimization_barrier(operand):
    """``operand`` (any pytree of arrays), unchanged; no computation moves across it
    (``jax.lax.optimization_barrier``)."""
    leaves, tree = tree_flatten(operand)
    if not leaves:
        return operand
    return tree_unflatten(tree, optimization_barrier_p.bind(*leaves))


reduce_precision_p = Primitive("reduce_precision")


@reduce_precision_p.def_abstract_eval
def _reduce_precision_abstract_eval(x: ShapedArray, *, exponent_bits, mantissa_bits):
    if not dtypes.is_float(x.dtype):
        raise shape_error("reduce_precision", "takes a float operand", x)
    return x


@reduce_precision_p.def_lowering
def _reduce_precision_lower(ctx, x, *, exponent_bits, mantissa_bits):
    i32 = ir.IntegerType.get_signless(32)
    return ctx.op("stablehlo.reduce_precision", [x], {
        "exponent_bits": ir.IntegerAttr.get(i32, exponent_bits),
        "mantissa_bits": ir.IntegerAttr.get(i32, mantissa_bits)})


# linear: the tangent and the cotangent are rounded the same way (as JAX)
reduce_precision_p.def_jvp(lambda primals, tangents, **params: (
    reduce_precision_p.bind(primals[0], **params),
    None if tangents[0] is None else reduce_precision_p.bind(tangents[0], **params)))
reduce_precision_p.def_transpose(lambda ct, x, **params: [reduce_precision_p.bind(ct, **params)])
lax._elementwise_batching(reduce_precision_p)


def reduce_precision(operand, exponent_bits: int, mantissa_bits: int):
    """``operand`` rounded to a float format with ``exponent_bits`` exponent and
    ``mantissa_bits`` mantissa bits, in its own dtype (``jax.lax.reduce_precision``)."""
    exponent_bits, mantissa_bits = int(exponent_bits), int(mantissa_bits)
    if exponent_bits < 1 or mantissa_bits < 0:
        raise ValueError(f"hlox.lax.reduce_precision: exponent_bits must be >= 1 and "
                         f"mantissa_bits >= 0, got {exponent_bits} and {mantissa_bits}")
    return reduce_precision_p.bind(operand, exponent_bits=exponent_bits,
                                   mantissa_bits=mantissa_bits)
