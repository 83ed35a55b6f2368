"""Bit-level primitives, iota and erf_inv, one place each (as ``jax.lax``).

shift_left, shift_right_logical, shift_right_arithmetic, and/or/xor/not,
population_count, clz, bitcast_convert_type, iota and erf_inv: declaration,
shape/dtype rule, StableHLO emission, JVP and batching rule together. The
integer ops have no derivative (their JVP is a symbolic zero, as in JAX);
erf_inv is differentiable. These are what :mod:`hlox.frontend.libraries.random` builds
threefry and the samplers from.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from mlir import ir

from hlox.frontend.core import dtypes
from hlox.frontend.lax import base as lax
from hlox.frontend.core.tracing import Primitive, ShapedArray, get_aval, shape_error

__all__ = ["shift_left", "shift_right_logical", "shift_right_arithmetic", "bitwise_and",
           "bitwise_or", "bitwise_xor", "bitwise_not", "population_count", "clz",
           "bitcast_convert_type", "iota", "broadcasted_iota", "erf_inv"]

# Which operand dtypes each op takes (checked by lax's elementwise rule).
_INT, _INT_OR_BOOL, _FLOAT = lax._INT, lax._INT_OR_BOOL, lax._FLOAT


def _make_elementwise(name: str, hlo_op: str, arity: int, kind: str) -> Primitive:
    """lax's elementwise primitive (equal shapes and dtypes, batched in front); the integer
    ops get a zero derivative, as in JAX."""
    prim = lax._make_elementwise(name, hlo_op, arity, kind)
    lax._elementwise_batching(prim)
    if kind != lax._FLOAT:  # integer results: no tangent
        prim.def_jvp(lambda primals, tangents, **params: (prim.bind(*primals, **params), None))
    return prim


shift_left_p = _make_elementwise("shift_left", "stablehlo.shift_left", 2, _INT)
shift_right_logical_p = _make_elementwise("shift_right_logical",
                                          "stablehlo.shift_right_logical", 2, _INT)
shift_right_arithmetic_p = _make_elementwise("shift_right_arithmetic",
                                             "stablehlo.shift_right_arithmetic", 2, _INT)
and_p = _make_elementwise("and", "stablehlo.and", 2, _INT_OR_BOOL)
or_p = _make_elementwise("or", "stablehlo.or", 2, _INT_OR_BOOL)
xor_p = _make_elementwise("xor", "stablehlo.xor", 2, _INT_OR_BOOL)
not_p = _make_elementwise("not", "stablehlo.not", 1, _INT_OR_BOOL)
population_count_p = _make_elementwise("population_count", "stablehlo.popcnt", 1, _INT)
clz_p = _make_elementwise("clz", "stablehlo.count_leading_zeros", 1, _INT)


def shift_left(x, y): return shift_left_p.bind(x, y)
def shift_right_logical(x, y): return shift_right_logical_p.bind(x, y)
def shift_right_arithmetic(x, y): return shift_right_arithmetic_p.bind(x, y)
def bitwise_and(x, y): return and_p.bind(x, y)
def bitwise_or(x, y): return or_p.bind(x, y)
def bitwise_xor(x, y): return xor_p.bind(x, y)
def bitwise_not(x): return not_p.bind(x)
def population_count(x): return population_count_p.bind(x)
def clz(x): return clz_p.bind(x)


# ---------------------------------------------------------------------------
# erf_inv: chlo.erf_inv (the backend decomposes CHLO)
# ---------------------------------------------------------------------------

erf_inv_p = _make_elementwise("erf_inv", "chlo.erf_inv", 1, _FLOAT)


@erf_inv_p.def_jvp
def _erf_inv_jvp(primals, tangents):
    # d/dx erfinv(x) = sqrt(pi)/2 * exp(erfinv(x)^2)
    out = erf_inv(primals[0])
    aval = get_aval(out)
    scale = np.full(aval.shape, np.sqrt(np.pi) / 2, aval.dtype)
    return out, lax.mul(tangents[0], lax.mul(scale, lax.exp(lax.mul(out, out))))


def erf_inv(x): return erf_inv_p.bind(x)


# ---------------------------------------------------------------------------
# bitcast_convert_type: same bits, another dtype (the last dimension absorbs
# a width change, as in StableHLO and JAX)
# ---------------------------------------------------------------------------

bitcast_convert_type_p = Primitive("bitcast_convert_type")


@bitcast_convert_type_p.def_abstract_eval
def _bitcast_abstract_eval(x: ShapedArray, *, new_dtype):
    name = "bitcast_convert_type"
    if x.dtype == dtypes.bool_ or new_dtype == dtypes.bool_:
        raise shape_error(name, f"bool cannot be bitcast (to {new_dtype})", x)
    old_bits, new_bits = x.dtype.itemsize, new_dtype.itemsize
    if old_bits == new_bits:
        return ShapedArray(x.shape, new_dtype)
    if old_bits > new_bits:  # each element becomes a trailing dimension of parts
        return ShapedArray(x.shape + (old_bits // new_bits,), new_dtype)
    ratio = new_bits // old_bits
    if not x.shape or x.shape[-1] != ratio:
        raise shape_error(name, f"bitcasting {x.dtype} to the wider {new_dtype} needs a last "
                          f"dimension of size {ratio}", x)
    return ShapedArray(x.shape[:-1], new_dtype)


@bitcast_convert_type_p.def_lowering
def _bitcast_lower(ctx, x, *, new_dtype):
    return ctx.op("stablehlo.bitcast_convert", [x])


@bitcast_convert_type_p.def_jvp
def _bitcast_jvp(primals, tangents, *, new_dtype):
    return bitcast_convert_type_p.bind(primals[0], new_dtype=new_dtype), None


@bitcast_convert_type_p.def_batching
def _bitcast_batching(values, dims, *, new_dtype):
    # Only the trailing dimension changes: a leading batch axis rides along.
    return bitcast_convert_type_p.bind(values[0], new_dtype=new_dtype), 0


def bitcast_convert_type(x, new_dtype):
    """``x``'s bits as ``new_dtype`` (``jax.lax.bitcast_convert_type``).

    A narrower ``new_dtype`` adds a trailing dimension; a wider one consumes it.
    """
    return bitcast_convert_type_p.bind(x, new_dtype=dtypes.canonicalize(new_dtype))


# ---------------------------------------------------------------------------
# iota
# ---------------------------------------------------------------------------

iota_p = Primitive("iota")


@iota_p.def_abstract_eval
def _iota_abstract_eval(*, dtype, shape, dimension):
    if not 0 <= dimension < len(shape):
        raise shape_error("iota", f"dimension {dimension} out of range for shape {shape}")
    if any(d < 0 for d in shape):
        raise shape_error("iota", f"negative dimension in shape {shape}")
    if dtype == dtypes.bool_:
        raise shape_error("iota", "is not defined on bool")
    return ShapedArray(shape, dtype)


@iota_p.def_lowering
def _iota_lower(ctx, *, dtype, shape, dimension):
    return ctx.op("stablehlo.iota", [], {
        "iota_dimension": ir.IntegerAttr.get(ir.IntegerType.get_signless(64), dimension)})


def broadcasted_iota(dtype, shape: Sequence[int], dimension: int):
    """Counts 0, 1, ... along ``dimension`` of ``shape`` (``jax.lax.broadcasted_iota``)."""
    shape = tuple(int(d) for d in shape)
    dimension = int(dimension)
    if -len(shape) <= dimension < 0:
        dimension += len(shape)
    return iota_p.bind(dtype=dtypes.user_dtype(dtype, "broadcasted_iota"), shape=shape,
                       dimension=dimension)


def iota(dtype, size: int):
    """``[0, 1, ..., size - 1]`` of ``dtype`` (``jax.lax.iota``)."""
    return broadcasted_iota(dtype, (int(size),), 0)
