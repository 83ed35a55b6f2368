"""Complex numbers' parts: ``real``, ``imag``, ``complex``, ``conj`` and the modulus
``abs`` of complex operands, one place each (as ``jax.lax``).

Their transpose rules are JAX's (linear transposition, no conjugation: the
cotangent of ``real`` is ``complex(ct, 0)``, of ``imag`` ``complex(0, -ct)``), so
gradients of real-valued functions of complex values equal JAX's.
"""

from __future__ import annotations

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import Primitive, ShapedArray, get_aval, is_undefined_primal, shape_error
from hlox.frontend.lax import base as lax
from hlox.frontend.lax.base import _aval, _elementwise_batching

__all__ = ["real", "imag", "complex", "conj"]


def _parts_abstract_eval(name: str):
    def rule(x: ShapedArray) -> ShapedArray:
        if not dtypes.is_complex(x.dtype):
            raise shape_error(name, f"needs a complex operand, got {x.dtype}", x)
        return ShapedArray(x.shape, dtypes.real_dtype(x.dtype), weak_type=x.weak_type)
    return rule


real_p, imag_p = Primitive("real"), Primitive("imag")
real_p.def_abstract_eval(_parts_abstract_eval("real"))
imag_p.def_abstract_eval(_parts_abstract_eval("imag"))
real_p.def_lowering(lambda ctx, x: ctx.op("stablehlo.real", [x]))
imag_p.def_lowering(lambda ctx, x: ctx.op("stablehlo.imag", [x]))

complex_p = Primitive("complex")


@complex_p.def_abstract_eval
def _complex_abstract_eval(x: ShapedArray, y: ShapedArray) -> ShapedArray:
    if x.shape != y.shape or x.dtype != y.dtype or x.dtype not in (dtypes.float32, dtypes.float64):
        raise shape_error("complex", "needs two float32 or float64 operands of one shape and "
                          "dtype", x, y)
    dtype = dtypes.complex64 if x.dtype == dtypes.float32 else dtypes.complex128
    return ShapedArray(x.shape, dtype, weak_type=x.weak_type and y.weak_type)


complex_p.def_lowering(lambda ctx, x, y: ctx.op("stablehlo.complex", [x, y]))

conj_p = Primitive("conj")


@conj_p.def_abstract_eval
def _conj_abstract_eval(x: ShapedArray) -> ShapedArray:
    if not dtypes.is_complex(x.dtype):
        raise shape_error("conj", f"needs a complex operand, got {x.dtype}", x)
    return x


@conj_p.def_lowering
def _conj_lower(ctx, x):
    (aval,) = ctx.avals_in
    part = ShapedArray(aval.shape, dtypes.real_dtype(aval.dtype))
    re = ctx.op("stablehlo.real", [x], result_avals=[part])[0]
    im = ctx.op("stablehlo.imag", [x], result_avals=[part])[0]
    neg_im = ctx.op("stablehlo.negate", [im], result_avals=[part])[0]
    return ctx.op("stablehlo.complex", [re, neg_im])


abs_p = Primitive("complex_abs")  # lax.abs of complex operands (a real result)


@abs_p.def_abstract_eval
def _abs_abstract_eval(x: ShapedArray) -> ShapedArray:
    if not dtypes.is_complex(x.dtype):
        raise shape_error("abs", f"complex_abs needs a complex operand, got {x.dtype}", x)
    return ShapedArray(x.shape, dtypes.real_dtype(x.dtype), weak_type=x.weak_type)


abs_p.def_lowering(lambda ctx, x: ctx.op("stablehlo.abs", [x]))

for _p in (real_p, imag_p, complex_p, conj_p, abs_p):
    _elementwise_batching(_p)


def _zeros(aval: ShapedArray):
    return np.zeros(aval.shape, aval.dtype)


# -- JVPs: the linear ones map tangents through themselves ------------------

def _unary_linear_jvp(prim):
    def rule(primals, tangents):
        out = prim.bind(primals[0])
        return out, None if tangents[0] is None else prim.bind(tangents[0])
    prim.def_jvp(rule)


for _p in (real_p, imag_p, conj_p):
    _unary_linear_jvp(_p)


@complex_p.def_jvp
def _complex_jvp(primals, tangents):
    x, y = primals
    out = complex_p.bind(x, y)
    tx, ty = tangents
    if tx is None and ty is None:
        return out, None
    tx = _zeros(get_aval(x)) if tx is None else tx
    ty = _zeros(get_aval(y)) if ty is None else ty
    return out, complex_p.bind(tx, ty)


@abs_p.def_jvp
def _abs_jvp(primals, tangents):
    # d|x| = real(conj(x) dx) / |x|, with |x| = 0 replaced by 1 (JAX's convention).
    (x,), (t,) = primals, tangents
    ans = abs_p.bind(x)
    if t is None:
        return ans, None
    aval = get_aval(ans)
    safe = lax.select(lax.eq(ans, _zeros(aval)), np.ones(aval.shape, aval.dtype), ans)
    return ans, real_p.bind(lax.div(lax.mul(t, conj_p.bind(x)),
                                    lax.convert_element_type(safe, get_aval(x).dtype)))


# -- transposes (JAX's) -----------------------------------------------------

@real_p.def_transpose
def _real_transpose(ct, x):
    return [complex_p.bind(ct, _zeros(get_aval(ct)))]


@imag_p.def_transpose
def _imag_transpose(ct, x):
    return [complex_p.bind(_zeros(get_aval(ct)), lax.neg(ct))]


@complex_p.def_transpose
def _complex_transpose(ct, x, y):
    return [real_p.bind(ct) if is_undefined_primal(x) else None,
            lax.neg(imag_p.bind(ct)) if is_undefined_primal(y) else None]


conj_p.def_transpose(lambda ct, x: [conj_p.bind(ct)])


def real(x):
    """The real part of a complex ``x`` (``jax.lax.real``)."""
    return real_p.bind(x)


def imag(x):
    """The imaginary part of a complex ``x`` (``jax.lax.imag``)."""
    return imag_p.bind(x)


def complex(x, y):  # noqa: A001  (jax.lax.complex)
    """``x + i y`` of float32/float64 operands (``jax.lax.complex``)."""
    return complex_p.bind(x, y)


def conj(x):
    """The complex conjugate (``jax.lax.conj``: a real operand gives a complex result)."""
    aval = get_aval(x)
    if not dtypes.is_complex(aval.dtype):
        x = lax.convert_element_type(x, dtypes.to_complex(aval.dtype))
    return conj_p.bind(x)


def complex_abs(x):
    """``|x|`` of a complex ``x`` (a real result); ``lax.abs`` dispatches here."""
    return abs_p.bind(x)


del _aval
