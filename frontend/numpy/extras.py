"""hlox.numpy's constants and a few daily functions built from the others.

``pi``/``inf``/``nan``/``e``/``newaxis`` (NumPy's values, as in
jax.numpy), ``logaddexp``, ``bincount`` and the ``linalg.norm`` namespace.
"""

from __future__ import annotations

import types

import ml_dtypes
import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.dtypes import KeyDType, extended
from hlox.frontend.core.tracing import Tracer
from hlox.frontend.numpy import base, math as nmath, shape_ops
from hlox.frontend.numpy.base import _promote
from hlox.frontend.transforms.custom_derivatives import custom_jvp

__all__ = ["pi", "e", "inf", "nan", "euler_gamma", "newaxis", "logaddexp", "bincount",
           "linalg", "issubdtype", "integer", "floating", "inexact", "number", "signedinteger",
           "unsignedinteger", "dtype", "finfo", "iinfo", "promote_types"]

pi, e, inf, nan, euler_gamma, newaxis = np.pi, np.e, np.inf, np.nan, np.euler_gamma, None

# NumPy's abstract scalar types and dtype helpers (ml_dtypes' bfloat16 is a float for them).
integer, floating, inexact, number = np.integer, np.floating, np.inexact, np.number
signedinteger, unsignedinteger, dtype, iinfo = np.signedinteger, np.unsignedinteger, np.dtype, np.iinfo


def finfo(dt):
    return ml_dtypes.finfo(dt)


def issubdtype(arg1, arg2) -> bool:
    """np.issubdtype, with bfloat16 a floating type and JAX's extended (PRNG key) dtypes
    (as jax.numpy.issubdtype)."""
    if isinstance(arg1, KeyDType) or (isinstance(arg1, type) and issubclass(arg1, extended)):
        scalar = arg1.type if isinstance(arg1, KeyDType) else arg1
        return isinstance(arg2, type) and issubclass(scalar, arg2)
    if isinstance(arg2, KeyDType):
        return False
    if np.dtype(arg1) == np.dtype(ml_dtypes.bfloat16) and isinstance(arg2, type) \
            and issubclass(np.floating, arg2):
        return True
    return bool(np.issubdtype(arg1, arg2))


def promote_types(a, b):
    """The dtype JAX promotes two (strongly typed) dtypes to."""
    return dtypes.promote_types(a, b)


def logaddexp(x1, x2):
    """``log(exp(x1) + exp(x2))`` without overflow (jax.numpy.logaddexp)."""
    x1, x2 = _promote("logaddexp", x1, x2, inexact=True)  # Python scalars stay weak
    return _logaddexp(x1, x2)


def _logaddexp_impl(x1, x2):
    amax = base.maximum(x1, x2)
    # (hlox.numpy functions, not operators: the inputs may be plain NumPy arrays here)
    delta = base.subtract(x1, x2)
    # Equal infinities give delta = nan: the answer is then amax itself (x1 + x2 has its sign).
    return shape_ops.where(nmath.isnan(delta), base.add(x1, x2),
                     base.add(amax, nmath.log1p(base.exp(base.negative(nmath.abs(delta))))))


def _logaddexp_jvp(primals, tangents):
    # d out = t1 * exp(x1 - out) + t2 * exp(x2 - out): sigmoid weights, 1/2 each at ties
    # (the max/abs in the primal would give a one-sided derivative there).
    x1, x2 = primals
    t1, t2 = tangents
    out = _logaddexp(x1, x2)

    def weight(x):
        d = base.subtract(x, out)
        return base.exp(shape_ops.where(nmath.isnan(d), 0.0, d))  # inf - inf: the input is the max
    return out, base.add(base.multiply(t1, weight(x1)), base.multiply(t2, weight(x2)))


def _make_logaddexp():
    f = custom_jvp(_logaddexp_impl)
    f.defjvp(_logaddexp_jvp)
    return f


_logaddexp = _make_logaddexp()


def bincount(x, weights=None, minlength: int = 0, *, length: int | None = None):
    """Counts of each non-negative int in ``x`` (jax.numpy.bincount; ``length`` fixes the size
    under jit, values >= length are dropped)."""
    x = shape_ops.asarray(x)
    if not issubdtype(x.dtype, integer):
        raise TypeError(f"bincount: x must be an integer array, got {x.dtype}")
    if length is None:
        if isinstance(x, Tracer):
            raise TypeError("bincount: under jit/vmap/grad the output size must be static: "
                            "pass length=")
        length = max(int(minlength), int(np.max(np.asarray(x), initial=-1)) + 1)
    length = max(int(length), int(minlength))
    if weights is None:
        return shape_ops.zeros(length, base.int32).at[x].add(1, mode="drop")
    weights = shape_ops.asarray(weights)
    return shape_ops.zeros(length, weights.dtype).at[x].add(weights, mode="drop")


def _norm(x, ord=None, axis=None, keepdims: bool = False):
    """Vector and Frobenius norms (jax.numpy.linalg.norm for ord None/1/2/inf/-inf/'fro')."""
    x = shape_ops.asarray(x)
    if not issubdtype(x.dtype, floating):
        x = x.astype(base.float32)
    if isinstance(axis, int):
        axis = (axis,)
    vector = (axis is not None and len(axis) == 1) or (axis is None and x.ndim == 1)
    if ord is None or (ord == "fro" and not vector) or (ord == 2 and vector):
        return nmath.sqrt(nmath.sum(x * x, axis=axis, keepdims=keepdims))
    if vector and ord == 1:
        return nmath.sum(nmath.abs(x), axis=axis, keepdims=keepdims)
    if vector and ord == np.inf:
        return nmath.max(nmath.abs(x), axis=axis, keepdims=keepdims)
    if vector and ord == -np.inf:
        return nmath.min(nmath.abs(x), axis=axis, keepdims=keepdims)
    if vector and isinstance(ord, (int, float)) and ord not in (0,):
        return nmath.sum(nmath.abs(x) ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)
    raise NotImplementedError(
        f"linalg.norm: ord={ord!r} on {'a vector' if vector else 'a matrix'} is not supported "
        f"(supported: None, 'fro' for matrices; None, 1, 2, inf, -inf, p > 0 for vectors)")


linalg = types.ModuleType("hlox.numpy.linalg", "Norms (the rest of jax.numpy.linalg is not "
                          "implemented yet).")
linalg.norm = _norm
