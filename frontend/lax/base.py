"""hlox's core primitives, one place each: declaration, shape/dtype rule, emission, rules.

Like ``jax.lax``: these are the operations a graph is made of. Each primitive
is declared once with its abstract evaluation (``core.abstract_eval_rules``)
and its StableHLO emission (``core.lowering_rules``); the JVP, transpose and
batching rules of this file's primitives (used by :mod:`hlox.frontend.transforms.ad` and
:mod:`hlox.frontend.transforms.batching`) are in the "Transformation rules" section,
grouped by primitive. Evaluation is always compiled (eager ops run through the
backend per shape); only stop_gradient has a Python ``impl``. The functions
(``add``, ``dot_general``, ...) are the strict lax-level API: no broadcasting,
no promotion (that is :mod:`hlox.frontend.numpy.base`'s job).

This file holds the primitives everything else is built from (arithmetic,
comparisons, select, convert, broadcast/reshape/transpose, reduce_sum,
dot_general) and the helpers the other primitive modules share
(``_make_elementwise``, ``_elementwise_batching``, ``_bcast_front``, ...).
The families live in their own modules of this package, which re-exports them all:
math (elementwise math), reductions, bits (bits, iota, erf_inv), sorting,
structural (slicing, gather/scatter), convolution (convolution, reduce_window).
Control flow and the generic ``reduce`` take functions, so they sit a layer up
(hlox.frontend.transforms); ``hlox.lax`` adds them.

Adding an elementwise op is one row in a table (``_ELEMENTWISE`` here or
``_ELEMENTWISE_MATH`` in lax/math.py), plus a line in the StableHLO -> linalg
pass's table and a test.
"""

from __future__ import annotations

import builtins
import itertools
from typing import Sequence

import numpy as np
from mlir import ir

from hlox._pytree import tree_flatten, tree_unflatten
from hlox.frontend.core import dtypes
from hlox.frontend.core.emit import (LoweringContext, dense_attr, i64_array_attr, require_op,
                                     tensor_type)
from hlox.frontend.core.tracing import (Primitive, ShapedArray, get_aval, is_undefined_primal,
                                        shape_error)

# ---------------------------------------------------------------------------
# Elementwise primitives: a table
# ---------------------------------------------------------------------------

_FLOAT = "float"  # operands must be floating point
_NUMERIC = "numeric"  # any non-bool dtype
_ANY = "any"
_SIGNED = "signed"  # floating point or signed integers (abs, as in JAX)
_INT = "integer"  # signed or unsigned integers (shifts, population_count)
_INT_OR_BOOL = "integer or bool"  # bitwise and/or/xor/not


def _check_dtype(name: str, kind: str, avals) -> None:
    dtype = avals[0].dtype
    if kind == _FLOAT and not dtypes.is_float(dtype):
        raise shape_error(name, f"needs a floating-point operand, got {dtype}", *avals)
    if kind == _INT and not dtypes.is_int(dtype):
        raise shape_error(name, f"needs integer operands, got {dtype}", *avals)
    if kind == _INT_OR_BOOL and not dtypes.is_int_or_bool(dtype):
        raise shape_error(name, f"needs integer or bool operands, got {dtype}", *avals)
    if kind in (_NUMERIC, _SIGNED) and dtype == dtypes.bool_:
        raise shape_error(name, "is not defined on bool", *avals)
    if kind == _SIGNED and np.dtype(dtype).kind == "u":
        raise shape_error(name, f"is not defined on unsigned {dtype}", *avals)


class _ElementwisePrimitive(Primitive):
    """An elementwise primitive whose operands are made alike first, as jax.lax's functions
    do: Python scalars take the dtype of the typed operands (``lax.add(x_bf16, 2.0)``), and
    rank-0 operands and size-1 dimensions broadcast (``lax.shift_left(x, jnp.uint32(3))``).
    Other shape or dtype differences stay errors of the abstract evaluation."""

    def bind(self, *args, **params):
        if len(args) > 1:
            args = _alike_operands(args)
        return super().bind(*args, **params)


def _alike_operands(args):
    avals = [get_aval(a) for a in args]
    typed = [a.dtype for a in avals if not a.weak_type]
    if typed:
        args = [_typed_scalar(a, typed[0]) for a in args]
        avals = [get_aval(a) for a in args]
    shapes = [a.shape for a in avals]
    if len(set(shapes)) == 1:
        return args
    ranked = {len(s) for s in shapes if s}
    if len(ranked) != 1:
        return args  # a rank mismatch: the abstract evaluation reports it
    rank = ranked.pop()
    out = tuple(builtins.max(s[d] if s else 1 for s in shapes) for d in range(rank))
    if any(s and any(n not in (1, m) for n, m in zip(s, out)) for s in shapes):
        return args
    fixed = []
    for a, aval in zip(args, avals):
        if aval.shape == out:
            fixed.append(a)
        elif not aval.shape:
            fixed.append(broadcast_in_dim(a, out, ()))
        else:
            keep = [d for d in range(rank) if aval.shape[d] == out[d]]
            squeezed = reshape(a, tuple(aval.shape[d] for d in keep))
            fixed.append(broadcast_in_dim(squeezed, out, keep))
    return fixed


def _typed_scalar(x, dtype: np.dtype):
    """A Python scalar as an array of ``dtype`` when its kind fits (bool to bool, int to
    any number, float to floats and complex, complex to complex) and its value does too;
    anything else unchanged."""
    is_int = dtypes.is_int(dtype)
    fits = (dtype == np.bool_ if isinstance(x, bool) else
            is_int or dtypes.is_inexact(dtype) if isinstance(x, int) else
            dtypes.is_inexact(dtype) if isinstance(x, float) else
            dtypes.is_complex(dtype) if isinstance(x, complex) else False)
    if not fits or (is_int and not np.iinfo(dtype).min <= x <= np.iinfo(dtype).max):
        return x
    return np.asarray(x, dtype)


def _make_elementwise(name: str, hlo_op, arity: int, kind: str, result_dtype=None) -> Primitive:
    """An elementwise primitive emitted as ``hlo_op`` (an op name, or a function
    ``(ctx, *operands, **params) -> [ir.Value]`` for ops that need more than one op).
    ``result_dtype`` fixes the result's dtype (bool for predicates like is_finite)."""
    prim = _ElementwisePrimitive(name)

    @prim.def_abstract_eval
    def _abstract_eval(*avals: ShapedArray, **params) -> ShapedArray:
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
        if result_dtype is not None:
            return ShapedArray(first.shape, result_dtype)
        return first.update(weak_type=all(a.weak_type for a in avals))

    @prim.def_lowering
    def _lower(ctx: LoweringContext, *operands, **params):
        if callable(hlo_op):
            return hlo_op(ctx, *operands, **params)
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
    "log": ("stablehlo.log", 1, _FLOAT),
}

add_p, sub_p, mul_p, div_p, max_p, neg_p, exp_p, log_p = (
    _make_elementwise(name, *_ELEMENTWISE[name])
    for name in ("add", "sub", "mul", "div", "max", "neg", "exp", "log"))

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
def log(x): return log_p.bind(x)


def convert_element_type(x, new_dtype, weak_type: bool = False):
    new_dtype = dtypes.user_dtype(new_dtype, "convert_element_type")
    if dtypes.is_complex(get_aval(x).dtype) and not dtypes.is_complex(new_dtype):
        from hlox.frontend.lax import complex_parts  # complex -> real: the real part, as JAX

        x = complex_parts.real(x)
    return convert_element_type_p.bind(x, new_dtype=new_dtype, weak_type=bool(weak_type))


def broadcast_in_dim(x, shape: Sequence[int], broadcast_dimensions: Sequence[int]):
    return broadcast_in_dim_p.bind(x, shape=tuple(int(d) for d in shape),
                                   broadcast_dimensions=tuple(int(d) for d in broadcast_dimensions))


def reshape(x, new_sizes: Sequence[int]):
    return reshape_p.bind(x, new_sizes=tuple(int(d) for d in new_sizes))


def transpose(x, permutation: Sequence[int]):
    return transpose_p.bind(x, permutation=tuple(int(d) for d in permutation))


def dot_general(lhs, rhs, dimension_numbers, precision=None, preferred_element_type=None):
    """``dimension_numbers = ((lhs_contracting, rhs_contracting), (lhs_batch, rhs_batch))``.

    Any dimensions may be batch or contracting ones; the result is (batch, lhs
    free, rhs free), as ``jax.lax.dot_general``. ``preferred_element_type``
    computes in that dtype (the operands are converted to it first, which is
    exact for the widening conversions it is meant for). ``precision`` is
    accepted for JAX compatibility; the CPU backend always computes at full
    precision of the element type.
    """
    (lc, rc), (lb, rb) = dimension_numbers
    if preferred_element_type is not None:
        target = dtypes.canonicalize(preferred_element_type)
        if get_aval(lhs).dtype != target:
            lhs = convert_element_type(lhs, target)
        if get_aval(rhs).dtype != target:
            rhs = convert_element_type(rhs, target)
    canon = ((tuple(map(int, lc)), tuple(map(int, rc))), (tuple(map(int, lb)), tuple(map(int, rb))))
    return dot_general_p.bind(lhs, rhs, dimension_numbers=canon)


def reduce_sum(x, axes: Sequence[int]):
    """Sums ``x`` over ``axes`` (removed from the shape), as ``jax.lax.reduce_sum``."""
    return reduce_sum_p.bind(x, axes=tuple(sorted(int(a) for a in axes)))


def eq(x, y): return eq_p.bind(x, y)
def ne(x, y): return ne_p.bind(x, y)
def lt(x, y): return lt_p.bind(x, y)
def le(x, y): return le_p.bind(x, y)
def gt(x, y): return gt_p.bind(x, y)
def ge(x, y): return ge_p.bind(x, y)


def select(pred, on_true, on_false):
    """``on_true`` where ``pred`` else ``on_false`` (equal shapes), as ``jax.lax.select``."""
    return select_p.bind(pred, on_true, on_false)


def stop_gradient(x):
    """``x`` with a zero derivative (``jax.lax.stop_gradient``); pytrees allowed."""
    leaves, tree = tree_flatten(x)
    return tree_unflatten(tree, [stop_gradient_p.bind(leaf) for leaf in leaves])


# ---------------------------------------------------------------------------
# reduce_sum
# ---------------------------------------------------------------------------

reduce_sum_p = Primitive("reduce_sum")


@reduce_sum_p.def_abstract_eval
def _reduce_sum_abstract_eval(x: ShapedArray, *, axes):
    if any(not 0 <= a < x.ndim for a in axes) or len(set(axes)) != len(axes):
        raise shape_error("reduce_sum", f"axes {tuple(axes)} are not distinct dimensions of "
                          f"a rank-{x.ndim} operand", x)
    if x.dtype == dtypes.bool_:
        raise shape_error("reduce_sum", "is not defined on bool", x)
    return x.update(shape=tuple(d for i, d in enumerate(x.shape) if i not in axes))


@reduce_sum_p.def_lowering
def _reduce_sum_lower(ctx, x, *, axes):
    """stablehlo.reduce over `axes` with an add body, from zero."""
    (aval,) = ctx.avals_in
    if not axes:
        return [x]
    require_op("stablehlo.reduce", "reduce_sum")
    scalar = tensor_type(ShapedArray((), aval.dtype))
    zero = ir.Operation.create(
        "stablehlo.constant", results=[scalar],
        attributes={"value": dense_attr(np.zeros((), aval.dtype), ShapedArray((), aval.dtype))})
    reduce = ir.Operation.create(
        "stablehlo.reduce", results=[tensor_type(a) for a in ctx.avals_out],
        operands=[x, zero.result],
        attributes={"dimensions": ir.DenseI64ArrayAttr.get(sorted(axes))}, regions=1)
    body = reduce.regions[0].blocks.append(scalar, scalar)
    with ir.InsertionPoint(body):
        total = ir.Operation.create("stablehlo.add", results=[scalar],
                                    operands=list(body.arguments))
        ir.Operation.create("stablehlo.return", operands=[total.result])
    return list(reduce.results)


# ---------------------------------------------------------------------------
# Comparisons (stablehlo.compare) and select
# ---------------------------------------------------------------------------

def _compare_type(dtype) -> str:
    """StableHLO's compare_type for a dtype: FLOAT (IEEE, NaN unordered) or integer order."""
    if dtypes.is_inexact(dtype):  # complex: EQ/NE compare both parts as floats
        return "FLOAT"
    return "UNSIGNED" if np.dtype(dtype).kind in "ub" else "SIGNED"


def _make_comparison(name: str, direction: str) -> Primitive:
    prim = Primitive(name)

    @prim.def_abstract_eval
    def _abstract_eval(x: ShapedArray, y: ShapedArray):
        if x.shape != y.shape or x.dtype != y.dtype:
            raise shape_error(name, "operand shapes and dtypes must be equal "
                              "(hlox.numpy broadcasts and promotes; lax does not)", x, y)
        return ShapedArray(x.shape, dtypes.bool_)

    @prim.def_lowering
    def _lower(ctx, x, y):
        kind = _compare_type(ctx.avals_in[0].dtype)
        return ctx.op("stablehlo.compare", [x, y], {
            "comparison_direction":
                ir.Attribute.parse(f"#stablehlo<comparison_direction {direction}>"),
            "compare_type": ir.Attribute.parse(f"#stablehlo<comparison_type {kind}>")})

    return prim


eq_p, ne_p, lt_p, le_p, gt_p, ge_p = (
    _make_comparison(name, name.upper()) for name in ("eq", "ne", "lt", "le", "gt", "ge"))
COMPARISONS = (eq_p, ne_p, lt_p, le_p, gt_p, ge_p)


select_p = Primitive("select")


@select_p.def_abstract_eval
def _select_abstract_eval(pred: ShapedArray, a: ShapedArray, b: ShapedArray):
    if pred.dtype != dtypes.bool_:
        raise shape_error("select", "the predicate must be bool", pred, a, b)
    if not (pred.shape == a.shape == b.shape) or a.dtype != b.dtype:
        raise shape_error("select", "operand shapes (and branch dtypes) must be equal",
                          pred, a, b)
    return a.update(weak_type=a.weak_type and b.weak_type)


@select_p.def_lowering
def _select_lower(ctx, pred, a, b):
    return ctx.op("stablehlo.select", [pred, a, b])


# ---------------------------------------------------------------------------
# stop_gradient: the identity with a zero derivative
# ---------------------------------------------------------------------------

stop_gradient_p = Primitive("stop_gradient")
stop_gradient_p.def_abstract_eval(lambda x: x)
stop_gradient_p.def_lowering(lambda ctx, x: [x])
stop_gradient_p.def_impl(lambda x: x)


# ===========================================================================
# Transformation rules, per primitive (JVP, transpose, batching)
#
# JVP rules take (primals, tangents, **params); a tangent None is a symbolic
# zero. Transpose rules take (ct, *args) where the linear args are
# UndefinedPrimal; they return one cotangent (or None) per arg. Batching rules
# take (values, dims): a dim is 0 (batched along the leading axis) or None.
# ===========================================================================


def _aval(x) -> ShapedArray:
    return x.aval if is_undefined_primal(x) else get_aval(x)


def zeros_like(x):
    aval = _aval(x)
    return np.zeros(aval.shape, aval.dtype)


def _full_like(x, value):
    aval = _aval(x)
    return np.full(aval.shape, value, aval.dtype)


def _instantiate(t, like):
    return zeros_like(like) if t is None else t


def _add_tangents(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return add(a, b)


# -- elementwise: JVP ------------------------------------------------------

@add_p.def_jvp
def _add_jvp(primals, tangents):
    return add(*primals), _add_tangents(*tangents)


@sub_p.def_jvp
def _sub_jvp(primals, tangents):
    tx, ty = tangents
    t = ty if ty is None else neg(ty)
    return sub(*primals), (t if tx is None else (tx if ty is None else sub(tx, ty)))


@mul_p.def_jvp
def _mul_jvp(primals, tangents):
    x, y = primals
    tx, ty = tangents
    return mul(x, y), _add_tangents(None if tx is None else mul(tx, y),
                                    None if ty is None else mul(x, ty))


@div_p.def_jvp
def _div_jvp(primals, tangents):
    x, y = primals
    tx, ty = tangents
    out = div(x, y)
    t = None if tx is None else div(tx, y)
    if ty is not None:  # d(x/y)/dy = -out / y
        tyt = mul(ty, neg(div(out, y)))
        t = tyt if t is None else add(t, tyt)
    return out, t


@neg_p.def_jvp
def _neg_jvp(primals, tangents):
    return neg(primals[0]), None if tangents[0] is None else neg(tangents[0])


@exp_p.def_jvp
def _exp_jvp(primals, tangents):
    out = exp(primals[0])
    return out, mul(tangents[0], out)


@log_p.def_jvp
def _log_jvp(primals, tangents):
    return log(primals[0]), div(tangents[0], primals[0])


@max_p.def_jvp
def _max_jvp(primals, tangents):
    # d max(x, y) = tx where x > y, ty where y > x, (tx + ty) / 2 at ties (as JAX)
    x, y = primals
    out = max(x, y)
    mask_x = select(gt(x, y), _full_like(x, 1), select(gt(y, x), _full_like(x, 0),
                                                      _full_like(x, 0.5)))
    tx, ty = tangents
    t = None if tx is None else mul(tx, mask_x)
    if ty is not None:
        t = _add_tangents(t, mul(ty, sub(_full_like(x, 1), mask_x)))
    return out, t


def _comparison_jvp(prim):
    prim.def_jvp(lambda primals, tangents: (prim.bind(*primals), None))


for _p in COMPARISONS:
    _comparison_jvp(_p)


@select_p.def_jvp
def _select_jvp(primals, tangents):
    pred, a, b = primals
    _, ta, tb = tangents
    out = select(pred, a, b)
    if ta is None and tb is None:
        return out, None
    return out, select(pred, _instantiate(ta, a), _instantiate(tb, b))


@stop_gradient_p.def_jvp
def _stop_gradient_jvp(primals, tangents):
    return primals[0], None


# -- elementwise: transpose (the linear ones) -----------------------------

@add_p.def_transpose
def _add_transpose(ct, x, y):
    return [ct if is_undefined_primal(x) else None, ct if is_undefined_primal(y) else None]


@sub_p.def_transpose
def _sub_transpose(ct, x, y):
    return [ct if is_undefined_primal(x) else None,
            neg(ct) if is_undefined_primal(y) else None]


@mul_p.def_transpose
def _mul_transpose(ct, x, y):
    if is_undefined_primal(x) and is_undefined_primal(y):
        raise TypeError("mul: both operands are linear (the graph is not linear)")
    if is_undefined_primal(x):
        return [mul(ct, y), None]
    return [None, mul(x, ct)]


@div_p.def_transpose
def _div_transpose(ct, x, y):
    if is_undefined_primal(y):
        raise TypeError("div: the divisor is linear (the graph is not linear)")
    return [div(ct, y), None]


@neg_p.def_transpose
def _neg_transpose(ct, x):
    return [neg(ct)]


@select_p.def_transpose
def _select_transpose(ct, pred, a, b):
    zeros = zeros_like(ct)
    return [None, select(pred, ct, zeros) if is_undefined_primal(a) else None,
            select(pred, zeros, ct) if is_undefined_primal(b) else None]


# -- elementwise: batching --------------------------------------------------

def _bcast_front(x, d, size):
    """``x`` with a leading batch axis of ``size`` (broadcast if unbatched)."""
    if d is not None:
        return x
    shape = get_aval(x).shape
    return broadcast_in_dim(x, (size,) + shape, tuple(range(1, len(shape) + 1)))


def _batch_size(values, dims):
    return next(get_aval(v).shape[0] for v, d in zip(values, dims) if d is not None)


def _elementwise_batching(prim):
    def rule(values, dims, **params):
        size = _batch_size(values, dims)
        return prim.bind(*(_bcast_front(v, d, size) for v, d in zip(values, dims)),
                         **params), 0
    prim.def_batching(rule)


for _p in (add_p, sub_p, mul_p, div_p, max_p, neg_p, exp_p, log_p, select_p,
           stop_gradient_p, convert_element_type_p, *COMPARISONS):
    _elementwise_batching(_p)


# -- convert_element_type ---------------------------------------------------

@convert_element_type_p.def_jvp
def _convert_jvp(primals, tangents, *, new_dtype, weak_type=False):
    out = convert_element_type_p.bind(primals[0], new_dtype=new_dtype, weak_type=weak_type)
    t = tangents[0]
    if t is None or not dtypes.is_inexact(new_dtype) or not dtypes.is_inexact(get_aval(t).dtype):
        return out, None
    return out, convert_element_type_p.bind(t, new_dtype=new_dtype, weak_type=weak_type)


@convert_element_type_p.def_transpose
def _convert_transpose(ct, x, *, new_dtype, weak_type=False):
    if dtypes.is_complex(get_aval(ct).dtype) and not dtypes.is_complex(x.aval.dtype):
        # real -> complex: the cotangent's real part (JAX's rule)
        from hlox.frontend.lax import complex_parts

        ct = complex_parts.real(ct)
    return [convert_element_type_p.bind(ct, new_dtype=x.aval.dtype, weak_type=x.aval.weak_type)]


# -- structural primitives: the tangent goes through the same op -----------

def _linear_jvp(prim):
    """JVP of a primitive linear in its first operand; the others (start indices, the
    operand a selection reads) pass along unchanged with the tangent."""
    def rule(primals, tangents, **params):
        out = prim.bind(*primals, **params)
        t = tangents[0]
        return out, None if t is None else prim.bind(t, *primals[1:], **params)
    prim.def_jvp(rule)


for _p in (broadcast_in_dim_p, reshape_p, transpose_p, reduce_sum_p):
    _linear_jvp(_p)


@broadcast_in_dim_p.def_transpose
def _broadcast_in_dim_transpose(ct, x, *, shape, broadcast_dimensions):
    in_shape = x.aval.shape
    summed = [d for d in range(len(shape)) if d not in broadcast_dimensions]
    summed += [d for i, d in enumerate(broadcast_dimensions) if in_shape[i] == 1 and shape[d] != 1]
    out = reduce_sum(ct, summed) if summed else ct
    return [out if get_aval(out).shape == in_shape else reshape(out, in_shape)]


@broadcast_in_dim_p.def_batching
def _broadcast_in_dim_batching(values, dims, *, shape, broadcast_dimensions):
    (x,) = values
    size = get_aval(x).shape[0]
    return broadcast_in_dim(x, (size,) + tuple(shape),
                            (0,) + tuple(d + 1 for d in broadcast_dimensions)), 0


@reshape_p.def_transpose
def _reshape_transpose(ct, x, *, new_sizes):
    return [reshape(ct, x.aval.shape)]


@reshape_p.def_batching
def _reshape_batching(values, dims, *, new_sizes):
    (x,) = values
    return reshape(x, (get_aval(x).shape[0],) + tuple(new_sizes)), 0


@transpose_p.def_transpose
def _transpose_transpose(ct, x, *, permutation):
    return [transpose(ct, tuple(int(i) for i in np.argsort(permutation)))]


@transpose_p.def_batching
def _transpose_batching(values, dims, *, permutation):
    return transpose(values[0], (0,) + tuple(p + 1 for p in permutation)), 0


@reduce_sum_p.def_transpose
def _reduce_sum_transpose(ct, x, *, axes):
    shape = x.aval.shape
    kept = tuple(d for d in range(len(shape)) if d not in axes)
    return [broadcast_in_dim(ct, shape, kept)]


@reduce_sum_p.def_batching
def _reduce_sum_batching(values, dims, *, axes):
    return reduce_sum(values[0], tuple(a + 1 for a in axes)), 0


# -- dot_general -------------------------------------------------------------

@dot_general_p.def_jvp
def _dot_general_jvp(primals, tangents, *, dimension_numbers):
    x, y = primals
    tx, ty = tangents
    out = dot_general(x, y, dimension_numbers)
    return out, _add_tangents(None if tx is None else dot_general(tx, y, dimension_numbers),
                              None if ty is None else dot_general(x, ty, dimension_numbers))


def _ranges_like(*xs):
    start = 0
    for x in xs:
        yield tuple(range(start, start + len(x)))
        start += len(x)


def _remaining(original, *removed):
    removed = set(itertools.chain(*removed))
    return [i for i in original if i not in removed]


def _dot_transpose_lhs(ct, x_aval, y, dimension_numbers, swap_ans=False):
    (xc, yc), (xb, yb) = dimension_numbers
    y_ndim = get_aval(y).ndim
    x_kept = _remaining(range(x_aval.ndim), xc, xb)
    y_kept = _remaining(range(y_ndim), yc, yb)
    if swap_ans:
        ans_batch, ans_y, _ = _ranges_like(xb, y_kept, x_kept)
    else:
        ans_batch, _, ans_y = _ranges_like(xb, x_kept, y_kept)
    dims = ((ans_y, tuple(y_kept)), (ans_batch, tuple(yb)))
    x_contract_sorted_by_y = [xc[i] for i in np.argsort(yc)]
    perm = tuple(int(i) for i in np.argsort(list(xb) + x_kept + x_contract_sorted_by_y))
    out = dot_general(ct, y, dims)
    return out if perm == tuple(range(len(perm))) else transpose(out, perm)


@dot_general_p.def_transpose
def _dot_general_transpose(ct, x, y, *, dimension_numbers):
    (xc, yc), (xb, yb) = dimension_numbers
    if is_undefined_primal(x) and is_undefined_primal(y):
        raise TypeError("dot_general: both operands are linear (the graph is not linear)")
    if is_undefined_primal(x):
        return [_dot_transpose_lhs(ct, x.aval, y, dimension_numbers), None]
    swapped = ((yc, xc), (yb, xb))
    return [None, _dot_transpose_lhs(ct, y.aval, x, swapped, swap_ans=True)]


@dot_general_p.def_batching
def _dot_general_batching(values, dims, *, dimension_numbers):
    (lc, rc), (lb, rb) = dimension_numbers
    x, y = values
    dx, dy = dims
    shift = lambda ds: tuple(d + 1 for d in ds)  # noqa: E731
    if dx is not None and dy is not None:  # a new batch dimension in front
        return dot_general(x, y, ((shift(lc), shift(rc)), ((0,) + shift(lb), (0,) + shift(rb)))), 0
    if dx is not None:  # lhs dim 0 is a free dim: it lands after the batch dims
        out = dot_general(x, y, ((shift(lc), rc), (shift(lb), rb)))
        where = len(lb)
    else:  # rhs dim 0 is free: after the batch and lhs free dims
        out = dot_general(x, y, ((lc, shift(rc)), (lb, shift(rb))))
        where = get_aval(x).ndim - len(lc)
    nd = get_aval(out).ndim
    if where == 0:
        return out, 0
    perm = (where,) + tuple(i for i in range(nd) if i != where)
    return transpose(out, perm), 0


# This module's part of the public API (``hlox.lax``): JAX's names. Its own helpers (zeros_like,
# dot_dimension_numbers_attr, the rule helpers) are for hlox's other modules, not users;
# select_p stays out too (JAX's primitive is select_n_p, with other semantics).
__all__ = sorted(
    ["add", "sub", "mul", "div", "max", "neg", "exp", "log", "eq", "ne", "lt", "le", "gt",
     "ge", "select", "convert_element_type", "broadcast_in_dim", "reshape", "transpose",
     "reduce_sum", "dot_general", "stop_gradient"]
    + [f"{name}_p" for name in ("add", "sub", "mul", "div", "max", "neg", "exp", "log", "eq",
                                "ne", "lt", "le", "gt", "ge", "convert_element_type",
                                "broadcast_in_dim", "reshape", "transpose", "reduce_sum",
                                "dot_general", "stop_gradient")])
