"""Reductions and cumulative reductions (``jax.lax.reduce_max``, ``argmax``, ``cumsum``, ...).

Each primitive is declared here with its shape/dtype rule, its StableHLO
emission (``stablehlo.reduce``; variadic for argmax/argmin; cumulative ones as a
log-step scan of slice/pad/combine ops) and its JVP, transpose and batching rules.
``reduce_sum`` is in :mod:`hlox.frontend.lax.base`, the generic ``reduce`` (over a
traced computation) in :mod:`hlox.frontend.transforms.reduce`.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from mlir import ir

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import Primitive, ShapedArray, get_aval, shape_error
from hlox.frontend.core.emit import dense_attr, tensor_type
from hlox.frontend.lax.base import (_compare_type, _full_like, add, broadcast_in_dim,
                                    convert_element_type, div, eq, mul, reduce_sum, select,
                                    transpose, zeros_like)

__all__ = ["reduce_max", "reduce_min", "reduce_prod", "reduce_and", "reduce_or", "argmax",
           "argmin", "cumsum", "cumprod", "cummax", "cummin"]

# ---------------------------------------------------------------------------
# Emission helpers
# ---------------------------------------------------------------------------


def _scalar_constant(value, dtype) -> ir.Value:
    aval = ShapedArray((), dtype)
    return ir.Operation.create("stablehlo.constant", results=[tensor_type(aval)], attributes={
        "value": dense_attr(np.asarray(value, dtype), aval)}).result


def _compare(x, y, direction: str, dtype) -> ir.Value:
    pred = tensor_type(ShapedArray((), dtypes.bool_))
    return ir.Operation.create("stablehlo.compare", results=[pred], operands=[x, y], attributes={
        "comparison_direction": ir.Attribute.parse(f"#stablehlo<comparison_direction {direction}>"),
        "compare_type": ir.Attribute.parse(f"#stablehlo<comparison_type {_compare_type(dtype)}>"),
    }).result


def _scalar_op(name: str, *operands) -> ir.Value:
    return ir.Operation.create(name, results=[operands[-1].type], operands=list(operands)).result


def _emit_reduction(op_name: str, operands, init_values, dtypes_, result_avals, build_body,
                    attributes) -> list[ir.Value]:
    """``op_name`` (stablehlo.reduce) with a body from ``build_body``.

    ``build_body(lhs_args, rhs_args)`` returns the body's results (scalar ir.Values).
    """
    inits = [_scalar_constant(v, d) for v, d in zip(init_values, dtypes_)]
    op = ir.Operation.create(op_name, results=[tensor_type(a) for a in result_avals],
                             operands=list(operands) + inits, attributes=attributes, regions=1)
    scalars = [tensor_type(ShapedArray((), d)) for d in dtypes_]
    body = op.regions[0].blocks.append(*(scalars + scalars))
    n = len(scalars)
    with ir.InsertionPoint(body):
        args = list(body.arguments)
        ir.Operation.create("stablehlo.return", operands=build_body(args[:n], args[n:]))
    return list(op.results)


# monoid name -> (StableHLO body op, identity for a dtype)
def _lowest(dtype):
    return -np.inf if dtypes.is_float(dtype) else (
        False if dtype == dtypes.bool_ else np.iinfo(dtype).min)


def _highest(dtype):
    return np.inf if dtypes.is_float(dtype) else (
        True if dtype == dtypes.bool_ else np.iinfo(dtype).max)


_MONOIDS = {
    "max": ("stablehlo.maximum", _lowest),
    "min": ("stablehlo.minimum", _highest),
    "prod": ("stablehlo.multiply", lambda d: 1),
    "sum": ("stablehlo.add", lambda d: 0),
    "and": ("stablehlo.and", lambda d: _highest(d) if np.dtype(d).kind in "bu" else -1),
    "or": ("stablehlo.or", lambda d: 0),
}

# ---------------------------------------------------------------------------
# reduce_max / reduce_min / reduce_prod / reduce_and / reduce_or
# ---------------------------------------------------------------------------


def _check_axes(name: str, x: ShapedArray, axes) -> None:
    if any(not 0 <= a < x.ndim for a in axes) or len(set(axes)) != len(axes):
        raise shape_error(name, f"axes {tuple(axes)} are not distinct dimensions of a "
                          f"rank-{x.ndim} operand", x)


def _make_reduction(monoid: str, allowed: Callable[[np.dtype], bool], what: str) -> Primitive:
    name = f"reduce_{monoid}"
    prim = Primitive(name)
    body_op, identity = _MONOIDS[monoid]

    @prim.def_abstract_eval
    def _abstract_eval(x: ShapedArray, *, axes):
        _check_axes(name, x, axes)
        if not allowed(x.dtype):
            raise shape_error(name, f"needs {what} operand, got {x.dtype}", x)
        return x.update(shape=tuple(d for i, d in enumerate(x.shape) if i not in axes))

    @prim.def_lowering
    def _lower(ctx, x, *, axes):
        if not axes:
            return [x]
        dtype = ctx.avals_in[0].dtype
        return _emit_reduction(
            "stablehlo.reduce", [x], [identity(dtype)], [dtype], ctx.avals_out,
            lambda a, b: [_scalar_op(body_op, a[0], b[0])],
            {"dimensions": ir.DenseI64ArrayAttr.get(sorted(axes))})

    @prim.def_batching
    def _batching(values, dims, *, axes):
        return prim.bind(values[0], axes=tuple(a + 1 for a in axes)), 0

    return prim


reduce_max_p = _make_reduction("max", lambda d: True, "any")
reduce_min_p = _make_reduction("min", lambda d: True, "any")
reduce_prod_p = _make_reduction("prod", lambda d: d != dtypes.bool_, "a numeric (non-bool)")
reduce_and_p = _make_reduction("and", dtypes.is_int_or_bool, "a bool or integer")
reduce_or_p = _make_reduction("or", dtypes.is_int_or_bool, "a bool or integer")


def _canonical_axes(axes) -> tuple[int, ...]:
    return tuple(sorted(int(a) for a in axes))


def reduce_max(operand, axes: Sequence[int]):
    return reduce_max_p.bind(operand, axes=_canonical_axes(axes))


def reduce_min(operand, axes: Sequence[int]):
    return reduce_min_p.bind(operand, axes=_canonical_axes(axes))


def reduce_prod(operand, axes: Sequence[int]):
    return reduce_prod_p.bind(operand, axes=_canonical_axes(axes))


def reduce_and(operand, axes: Sequence[int]):
    return reduce_and_p.bind(operand, axes=_canonical_axes(axes))


def reduce_or(operand, axes: Sequence[int]):
    return reduce_or_p.bind(operand, axes=_canonical_axes(axes))


def _kept(shape, axes):
    return tuple(d for d in range(len(shape)) if d not in axes)


def _location_jvp(prim):
    """JAX's rule for max/min: the tangent averaged over the positions that attain the result."""
    def rule(primals, tangents, *, axes):
        (x,), (t,) = primals, tangents
        ans = prim.bind(x, axes=axes)
        shape, dtype = get_aval(x).shape, get_aval(x).dtype
        at = convert_element_type(eq(x, broadcast_in_dim(ans, shape, _kept(shape, axes))), dtype)
        counts = reduce_sum(at, axes)
        return ans, div(reduce_sum(mul(t, at), axes), counts)
    prim.def_jvp(rule)


_location_jvp(reduce_max_p)
_location_jvp(reduce_min_p)


def _product_jvp(x, t, accumulate_sum, accumulate_prod):
    """Tangent of a product (total or cumulative) that is exact where x has zeros.

    d prod = sum_i t_i * prod_{j != i} x_j. With no zero: prod * sum(t / x). With
    one zero at k: t_k * (product of the others). With two or more: 0.
    """
    zero = zeros_like(x)
    is_zero = eq(x, zero)
    dtype = get_aval(x).dtype
    one = _full_like(x, 1)
    nonzero_prod = accumulate_prod(select(is_zero, one, x))
    zeros = accumulate_sum(convert_element_type(is_zero, dtype))
    out_zero = zeros_like(nonzero_prod)
    coef_none = select(eq(zeros, out_zero), nonzero_prod, out_zero)
    coef_one = select(eq(zeros, _full_like(zeros, 1)), nonzero_prod, out_zero)
    return add(mul(coef_none, accumulate_sum(div(t, select(is_zero, one, x)))),
               mul(coef_one, accumulate_sum(select(is_zero, t, zero))))


@reduce_prod_p.def_jvp
def _reduce_prod_jvp(primals, tangents, *, axes):
    (x,), (t,) = primals, tangents
    ans = reduce_prod_p.bind(x, axes=axes)
    return ans, _product_jvp(x, t, lambda v: reduce_sum(v, axes),
                             lambda v: reduce_prod_p.bind(v, axes=axes))


for _p in (reduce_and_p, reduce_or_p):
    _p.def_jvp(lambda primals, tangents, *, axes, _p=_p: (_p.bind(primals[0], axes=axes), None))

# ---------------------------------------------------------------------------
# argmax / argmin: a variadic reduce over (value, index) pairs
# ---------------------------------------------------------------------------


def _make_arg_reduction(name: str, direction: str) -> Primitive:
    prim = Primitive(name)

    @prim.def_abstract_eval
    def _abstract_eval(x: ShapedArray, *, axes, index_dtype):
        _check_axes(name, x, axes)
        if len(axes) != 1:
            raise shape_error(name, f"reduces exactly one axis, got {tuple(axes)}", x)
        if not dtypes.is_int(index_dtype):
            raise shape_error(name, f"index_dtype must be an integer type, got {index_dtype}", x)
        if x.shape[axes[0]] == 0:
            raise shape_error(name, f"axis {axes[0]} has size 0", x)
        return ShapedArray(tuple(d for i, d in enumerate(x.shape) if i != axes[0]), index_dtype)

    @prim.def_lowering
    def _lower(ctx, x, *, axes, index_dtype):
        aval = ctx.avals_in[0]
        dtype = aval.dtype
        iota = ir.Operation.create(
            "stablehlo.iota", results=[tensor_type(aval.update(dtype=index_dtype))],
            attributes={"iota_dimension": ir.IntegerAttr.get(
                ir.IntegerType.get_signless(64), axes[0])}).result

        def body(a, b):
            # Pick a when it is strictly better, or a NaN facing a number (NaN wins, as JAX),
            # or on a tie (equal, or both NaN) when its index is smaller: the first occurrence.
            (av, ai), (bv, bi) = a, b
            better = _compare(av, bv, direction, dtype)
            if dtypes.is_float(dtype):
                a_nan, b_nan = _compare(av, av, "NE", dtype), _compare(bv, bv, "NE", dtype)
                not_b_nan = _compare(bv, bv, "EQ", dtype)
                better = _scalar_op("stablehlo.or", better,
                                    _scalar_op("stablehlo.and", a_nan, not_b_nan))
                tie = _scalar_op("stablehlo.or", _compare(av, bv, "EQ", dtype),
                                 _scalar_op("stablehlo.and", a_nan, b_nan))
            else:
                tie = _compare(av, bv, "EQ", dtype)
            first = _scalar_op("stablehlo.and", tie, _compare(ai, bi, "LT", index_dtype))
            pick_a = _scalar_op("stablehlo.or", better, first)
            return [_scalar_op("stablehlo.select", pick_a, av, bv),
                    _scalar_op("stablehlo.select", pick_a, ai, bi)]

        init = _lowest(dtype) if direction == "GT" else _highest(dtype)
        out_aval = ctx.avals_out[0]
        results = _emit_reduction(
            "stablehlo.reduce", [x, iota], [init, 0], [dtype, index_dtype],
            [out_aval.update(dtype=dtype), out_aval], body,
            {"dimensions": ir.DenseI64ArrayAttr.get(list(axes))})
        return [results[1]]

    prim.def_jvp(lambda primals, tangents, **params: (prim.bind(primals[0], **params), None))

    @prim.def_batching
    def _batching(values, dims, *, axes, index_dtype):
        return prim.bind(values[0], axes=(axes[0] + 1,), index_dtype=index_dtype), 0

    return prim


argmax_p = _make_arg_reduction("argmax", "GT")
argmin_p = _make_arg_reduction("argmin", "LT")


def argmax(operand, axis: int, index_dtype):
    """Index of the first maximum along ``axis`` (a NaN counts as the maximum), as JAX."""
    return argmax_p.bind(operand, axes=(int(axis),), index_dtype=dtypes.canonicalize(index_dtype))


def argmin(operand, axis: int, index_dtype):
    """Index of the first minimum along ``axis`` (a NaN counts as the minimum), as JAX."""
    return argmin_p.bind(operand, axes=(int(axis),), index_dtype=dtypes.canonicalize(index_dtype))


# ---------------------------------------------------------------------------
# cumsum / cumprod / cummax / cummin
# ---------------------------------------------------------------------------


def _make_cumulative(monoid: str) -> Primitive:
    name = f"cum{monoid}"
    prim = Primitive(name)
    body_op, identity = _MONOIDS[monoid]

    @prim.def_abstract_eval
    def _abstract_eval(x: ShapedArray, *, axis, reverse):
        if not 0 <= axis < x.ndim:
            raise shape_error(name, f"axis {axis} is out of range for a rank-{x.ndim} operand", x)
        if x.dtype == dtypes.bool_:  # as jax.lax: numbers only
            raise shape_error(name, "is not defined on bool", x)
        return x

    @prim.def_lowering
    def _lower(ctx, x, *, axis, reverse):
        """A log-step (Hillis-Steele) scan: y = y op shift(y, k) for k = 1, 2, 4, ...

        ceil(log2 n) slice/pad/op steps, O(n log n) work. (JAX emits one reduce_window
        with a window as long as the axis, which is O(n^2) unless the backend
        recognizes it as a scan; ours lowers it literally.)
        """
        aval = ctx.avals_in[0]
        n, rank = aval.shape[axis], aval.ndim
        init = _scalar_constant(identity(aval.dtype), aval.dtype)
        y, k = x, 1
        while k < n:
            start, limit, low, high = [0] * rank, list(aval.shape), [0] * rank, [0] * rank
            if reverse:  # shifted[i] = y[i + k], identity past the end
                start[axis], high[axis] = k, k
            else:  # shifted[i] = y[i - k], identity before the start
                limit[axis], low[axis] = n - k, k
            part = aval.update(shape=tuple(limit[d] - start[d] for d in range(rank)))
            sliced = ctx.op("stablehlo.slice", [y], {
                "start_indices": ir.DenseI64ArrayAttr.get(start),
                "limit_indices": ir.DenseI64ArrayAttr.get(limit),
                "strides": ir.DenseI64ArrayAttr.get([1] * rank)}, result_avals=[part])[0]
            shifted = ctx.op("stablehlo.pad", [sliced, init], {
                "edge_padding_low": ir.DenseI64ArrayAttr.get(low),
                "edge_padding_high": ir.DenseI64ArrayAttr.get(high),
                "interior_padding": ir.DenseI64ArrayAttr.get([0] * rank)})[0]
            y = ctx.op(body_op, [y, shifted])[0]
            k *= 2
        return [y]

    @prim.def_batching
    def _batching(values, dims, *, axis, reverse):
        return prim.bind(values[0], axis=axis + 1, reverse=reverse), 0

    return prim


cumsum_p, cumprod_p, cummax_p, cummin_p = (
    _make_cumulative(m) for m in ("sum", "prod", "max", "min"))


def _cumulative(prim, operand, axis, reverse):
    ndim = get_aval(operand).ndim
    if not -ndim <= int(axis) < max(ndim, 1):
        raise shape_error(prim.name, f"axis {axis} is out of range for a rank-{ndim} operand",
                          get_aval(operand))
    return prim.bind(operand, axis=int(axis) % max(ndim, 1), reverse=bool(reverse))


def cumsum(operand, axis: int = 0, reverse: bool = False):
    """Cumulative sum along ``axis`` (from the end if ``reverse``), as ``jax.lax.cumsum``."""
    return _cumulative(cumsum_p, operand, axis, reverse)


def cumprod(operand, axis: int = 0, reverse: bool = False):
    return _cumulative(cumprod_p, operand, axis, reverse)


def cummax(operand, axis: int = 0, reverse: bool = False):
    return _cumulative(cummax_p, operand, axis, reverse)


def cummin(operand, axis: int = 0, reverse: bool = False):
    return _cumulative(cummin_p, operand, axis, reverse)


@cumsum_p.def_jvp
def _cumsum_jvp(primals, tangents, *, axis, reverse):
    return cumsum(primals[0], axis, reverse), cumsum(tangents[0], axis, reverse)


@cumsum_p.def_transpose
def _cumsum_transpose(ct, x, *, axis, reverse):
    return [cumsum(ct, axis, not reverse)]


@cumprod_p.def_jvp
def _cumprod_jvp(primals, tangents, *, axis, reverse):
    (x,), (t,) = primals, tangents
    return cumprod(x, axis, reverse), _product_jvp(
        x, t, lambda v: cumsum(v, axis, reverse), lambda v: cumprod(v, axis, reverse))


def _cumulative_extremum_jvp(prim):
    """Each output is the max (min) of a prefix: reduce_max's location rule on every prefix.

    The prefixes are compared at once on an (..., i, j) grid along the axis
    (quadratic in the axis length, which is what cumulative extrema usually see).
    """
    def rule(primals, tangents, *, axis, reverse):
        (x,), (t,) = primals, tangents
        ans = prim.bind(x, axis=axis, reverse=reverse)
        shape, dtype = get_aval(x).shape, get_aval(x).dtype
        nd, n = len(shape), shape[axis]
        # move the axis last, then grid[..., i, j] compares x_j with ans_i for j in prefix i
        perm = tuple(d for d in range(nd) if d != axis) + (axis,)
        inverse = tuple(int(i) for i in np.argsort(perm))
        xl, al, tl = (transpose(v, perm) for v in (x, ans, t))
        lead = tuple(shape[d] for d in perm[:-1])
        grid = lead + (n, n)
        lead_dims = tuple(range(nd - 1))
        x_j = broadcast_in_dim(xl, grid, lead_dims + (nd,))
        a_i = broadcast_in_dim(al, grid, lead_dims + (nd - 1,))
        t_j = broadcast_in_dim(tl, grid, lead_dims + (nd,))
        prefix = np.tri(n, dtype=np.bool_)  # j <= i
        prefix = prefix.T if reverse else prefix
        in_prefix = np.broadcast_to(prefix, grid).copy()
        at = select(eq(x_j, a_i), in_prefix, np.zeros(grid, np.bool_))
        weights = convert_element_type(at, dtype)
        weights = div(weights, broadcast_in_dim(reduce_sum(weights, (nd,)), grid,
                                                tuple(range(nd))))
        out_t = reduce_sum(mul(t_j, weights), (nd,))
        return ans, transpose(out_t, inverse)
    prim.def_jvp(rule)


_cumulative_extremum_jvp(cummax_p)
_cumulative_extremum_jvp(cummin_p)
