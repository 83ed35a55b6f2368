"""hlox's primitives, one place each: declaration, shape/dtype rule, emission.

Like ``jax.lax``: these are the operations a graph is made of. Each
primitive is declared once here with its abstract evaluation
(``core.abstract_eval_rules``) and its StableHLO emission
(``core.lowering_rules``); the JVP, transpose and batching registries in
:mod:`hlox.frontend.core` are keyed by the same objects. The functions at the
bottom (``add``, ``dot_general``, ...) are the strict lax-level API: no
broadcasting, no promotion (that is :mod:`hlox.frontend.numpy_api`'s job).

Adding an elementwise op is one line in ``_ELEMENTWISE`` below (plus a line
in the StableHLO -> linalg pass's table and a test).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from mlir import ir

from hlox.frontend import dtypes
from hlox.frontend.core import Primitive, ShapedArray, shape_error
from hlox.frontend.emit import LoweringContext, i64_array_attr

# ---------------------------------------------------------------------------
# Elementwise primitives: a table
# ---------------------------------------------------------------------------

_FLOAT = "float"  # operands must be floating point
_NUMERIC = "numeric"  # any non-bool dtype
_ANY = "any"


def _check_dtype(name: str, kind: str, avals) -> None:
    dtype = avals[0].dtype
    if kind == _FLOAT and not dtypes.is_float(dtype):
        raise shape_error(name, f"needs a floating-point operand, got {dtype}", *avals)
    if kind == _NUMERIC and dtype == dtypes.bool_:
        raise shape_error(name, "is not defined on bool", *avals)


def _make_elementwise(name: str, hlo_op: str, arity: int, kind: str) -> Primitive:
    prim = Primitive(name)

    @prim.def_abstract_eval
    def _abstract_eval(*avals: ShapedArray) -> ShapedArray:
        if len(avals) != arity:
            raise shape_error(name, f"takes {arity} operands, got {len(avals)}", *avals)
        first = avals[0]
        if any(a.shape != first.shape for a in avals[1:]):
            raise shape_error(name, "operand shapes must be equal "
                              "(hlox.numpy broadcasts; lax does not)", *avals)
        if any(a.dtype != first.dtype for a in avals[1:]):
            raise shape_error(name, "operand dtypes must be equal "
                              "(hlox.numpy promotes; lax does not)", *avals)
        _check_dtype(name, kind, avals)
        return first.update(weak_type=all(a.weak_type for a in avals))

    @prim.def_lowering
    def _lower(ctx: LoweringContext, *operands):
        return ctx.op(hlo_op, operands)

    return prim


# name -> (StableHLO op, arity, operand kind)
_ELEMENTWISE = {
    "add": ("stablehlo.add", 2, _ANY),
    "sub": ("stablehlo.subtract", 2, _NUMERIC),
    "mul": ("stablehlo.multiply", 2, _ANY),
    "div": ("stablehlo.divide", 2, _NUMERIC),
    "max": ("stablehlo.maximum", 2, _ANY),
    "neg": ("stablehlo.negate", 1, _NUMERIC),
    "exp": ("stablehlo.exponential", 1, _FLOAT),
}

add_p, sub_p, mul_p, div_p, max_p, neg_p, exp_p = (
    _make_elementwise(name, *_ELEMENTWISE[name])
    for name in ("add", "sub", "mul", "div", "max", "neg", "exp"))

# ---------------------------------------------------------------------------
# convert_element_type
# ---------------------------------------------------------------------------

convert_element_type_p = Primitive("convert_element_type")


@convert_element_type_p.def_abstract_eval
def _convert_abstract_eval(x: ShapedArray, *, new_dtype, weak_type=False) -> ShapedArray:
    return x.update(dtype=dtypes.canonicalize(new_dtype), weak_type=weak_type)


@convert_element_type_p.def_lowering
def _convert_lower(ctx, x, *, new_dtype, weak_type=False):
    return ctx.op("stablehlo.convert", [x])


# ---------------------------------------------------------------------------
# broadcast_in_dim
# ---------------------------------------------------------------------------

broadcast_in_dim_p = Primitive("broadcast_in_dim")


@broadcast_in_dim_p.def_abstract_eval
def _broadcast_in_dim_abstract_eval(x: ShapedArray, *, shape, broadcast_dimensions):
    name = "broadcast_in_dim"
    if len(broadcast_dimensions) != x.ndim:
        raise shape_error(name, f"broadcast_dimensions {tuple(broadcast_dimensions)} must have "
                          f"one entry per operand dimension", x)
    if any(not 0 <= d < len(shape) for d in broadcast_dimensions) or \
            list(broadcast_dimensions) != sorted(set(broadcast_dimensions)):
        raise shape_error(name, f"broadcast_dimensions {tuple(broadcast_dimensions)} must be "
                          f"strictly increasing dimensions of the result shape {tuple(shape)}", x)
    for i, d in enumerate(broadcast_dimensions):
        if x.shape[i] not in (1, shape[d]):
            raise shape_error(name, f"operand dimension {i} (size {x.shape[i]}) cannot "
                              f"broadcast to result dimension {d} (size {shape[d]}) of "
                              f"{tuple(shape)}", x)
    return x.update(shape=tuple(shape))


@broadcast_in_dim_p.def_lowering
def _broadcast_in_dim_lower(ctx, x, *, shape, broadcast_dimensions):
    return ctx.op("stablehlo.broadcast_in_dim", [x],
                  {"broadcast_dimensions": i64_array_attr(broadcast_dimensions)})


# ---------------------------------------------------------------------------
# reshape
# ---------------------------------------------------------------------------

reshape_p = Primitive("reshape")


@reshape_p.def_abstract_eval
def _reshape_abstract_eval(x: ShapedArray, *, new_sizes):
    if any(d < 0 for d in new_sizes) or \
            int(np.prod(new_sizes, dtype=np.int64)) != x.size:
        raise shape_error("reshape", f"cannot reshape {x.size} elements to {tuple(new_sizes)}", x)
    return x.update(shape=tuple(new_sizes))


@reshape_p.def_lowering
def _reshape_lower(ctx, x, *, new_sizes):
    return ctx.op("stablehlo.reshape", [x])


# ---------------------------------------------------------------------------
# transpose
# ---------------------------------------------------------------------------

transpose_p = Primitive("transpose")


@transpose_p.def_abstract_eval
def _transpose_abstract_eval(x: ShapedArray, *, permutation):
    if sorted(permutation) != list(range(x.ndim)):
        raise shape_error("transpose", f"permutation {tuple(permutation)} is not a "
                          f"permutation of the operand's {x.ndim} dimensions", x)
    return x.update(shape=tuple(x.shape[p] for p in permutation))


@transpose_p.def_lowering
def _transpose_lower(ctx, x, *, permutation):
    return ctx.op("stablehlo.transpose", [x], {"permutation": i64_array_attr(permutation)})


# ---------------------------------------------------------------------------
# dot_general
# ---------------------------------------------------------------------------

dot_general_p = Primitive("dot_general")


@dot_general_p.def_abstract_eval
def _dot_general_abstract_eval(lhs: ShapedArray, rhs: ShapedArray, *, dimension_numbers):
    (lc, rc), (lb, rb) = dimension_numbers
    name = "dot_general"
    if lhs.dtype != rhs.dtype:
        raise shape_error(name, "operand dtypes must be equal", lhs, rhs)
    if lhs.dtype == dtypes.bool_:
        raise shape_error(name, "is not defined on bool", lhs, rhs)
    for dims, aval, side in ((lc, lhs, "lhs"), (lb, lhs, "lhs"), (rc, rhs, "rhs"), (rb, rhs, "rhs")):
        if any(not 0 <= d < aval.ndim for d in dims):
            raise shape_error(name, f"{side} dimension numbers {tuple(dims)} out of range for "
                              f"rank {aval.ndim}", lhs, rhs)
    if len(set(lc) | set(lb)) != len(lc) + len(lb) or len(set(rc) | set(rb)) != len(rc) + len(rb):
        raise shape_error(name, "contracting and batch dimensions must be distinct", lhs, rhs)
    if len(lc) != len(rc) or len(lb) != len(rb):
        raise shape_error(name, "lhs and rhs need as many contracting (and batch) dimensions",
                          lhs, rhs)
    for l, r in zip(lc, rc):
        if lhs.shape[l] != rhs.shape[r]:
            raise shape_error(name, f"contracting dimension sizes differ: lhs dimension {l} is "
                              f"{lhs.shape[l]}, rhs dimension {r} is {rhs.shape[r]}", lhs, rhs)
    for l, r in zip(lb, rb):
        if lhs.shape[l] != rhs.shape[r]:
            raise shape_error(name, f"batch dimension sizes differ: lhs dimension {l} is "
                              f"{lhs.shape[l]}, rhs dimension {r} is {rhs.shape[r]}", lhs, rhs)
    batch = [lhs.shape[d] for d in lb]
    lhs_free = [s for d, s in enumerate(lhs.shape) if d not in lc and d not in lb]
    rhs_free = [s for d, s in enumerate(rhs.shape) if d not in rc and d not in rb]
    return ShapedArray(tuple(batch + lhs_free + rhs_free), lhs.dtype,
                       lhs.weak_type and rhs.weak_type)


def dot_dimension_numbers_attr(dimension_numbers) -> ir.Attribute:
    """``#stablehlo.dot<...>`` for ``((lhs_contract, rhs_contract), (lhs_batch, rhs_batch))``."""
    (lc, rc), (lb, rb) = dimension_numbers

    def dims(values):
        return "[" + ", ".join(str(int(v)) for v in values) + "]"

    fields = []
    if lb or rb:
        fields += [f"lhs_batching_dimensions = {dims(lb)}", f"rhs_batching_dimensions = {dims(rb)}"]
    fields += [f"lhs_contracting_dimensions = {dims(lc)}", f"rhs_contracting_dimensions = {dims(rc)}"]
    return ir.Attribute.parse("#stablehlo.dot<" + ", ".join(fields) + ">")


@dot_general_p.def_lowering
def _dot_general_lower(ctx, lhs, rhs, *, dimension_numbers):
    return ctx.op("stablehlo.dot_general", [lhs, rhs],
                  {"dot_dimension_numbers": dot_dimension_numbers_attr(dimension_numbers)})


# ---------------------------------------------------------------------------
# The lax-level API: strict (equal shapes and dtypes), as jax.lax
# ---------------------------------------------------------------------------


def add(x, y): return add_p.bind(x, y)
def sub(x, y): return sub_p.bind(x, y)
def mul(x, y): return mul_p.bind(x, y)
def div(x, y): return div_p.bind(x, y)
def max(x, y): return max_p.bind(x, y)  # noqa: A001  (lax.max, as in JAX)
def neg(x): return neg_p.bind(x)
def exp(x): return exp_p.bind(x)


def convert_element_type(x, new_dtype, weak_type: bool = False):
    return convert_element_type_p.bind(x, new_dtype=dtypes.canonicalize(new_dtype),
                                       weak_type=bool(weak_type))


def broadcast_in_dim(x, shape: Sequence[int], broadcast_dimensions: Sequence[int]):
    return broadcast_in_dim_p.bind(x, shape=tuple(int(d) for d in shape),
                                   broadcast_dimensions=tuple(int(d) for d in broadcast_dimensions))


def reshape(x, new_sizes: Sequence[int]):
    return reshape_p.bind(x, new_sizes=tuple(int(d) for d in new_sizes))


def transpose(x, permutation: Sequence[int]):
    return transpose_p.bind(x, permutation=tuple(int(d) for d in permutation))


def dot_general(lhs, rhs, dimension_numbers):
    """``dimension_numbers = ((lhs_contracting, rhs_contracting), (lhs_batch, rhs_batch))``."""
    (lc, rc), (lb, rb) = dimension_numbers
    canon = ((tuple(map(int, lc)), tuple(map(int, rc))), (tuple(map(int, lb)), tuple(map(int, rb))))
    return dot_general_p.bind(lhs, rhs, dimension_numbers=canon)
