"""hlox.numpy's constants and a few daily functions built from the others.

``jnp.pi``/``jnp.inf``/``jnp.nan``/``jnp.e``/``jnp.newaxis`` (NumPy's values, as in
jax.numpy), ``logaddexp``, ``bincount`` and the ``jnp.linalg.norm`` namespace.
"""

from __future__ import annotations

import types

import numpy as np

__all__ = ["pi", "e", "inf", "nan", "euler_gamma", "newaxis", "logaddexp", "bincount",
           "linalg", "issubdtype", "integer", "floating", "inexact", "number", "signedinteger",
           "unsignedinteger", "dtype", "finfo", "iinfo", "promote_types"]

pi, e, inf, nan, euler_gamma, newaxis = np.pi, np.e, np.inf, np.nan, np.euler_gamma, None

# NumPy's abstract scalar types and dtype helpers (ml_dtypes' bfloat16 is a float for them).
integer, floating, inexact, number = np.integer, np.floating, np.inexact, np.number
signedinteger, unsignedinteger, dtype, iinfo = np.signedinteger, np.unsignedinteger, np.dtype, np.iinfo


def finfo(dt):
    import ml_dtypes
    return ml_dtypes.finfo(dt)


def issubdtype(arg1, arg2) -> bool:
    """np.issubdtype, with bfloat16 a floating type and JAX's extended (PRNG key) dtypes
    (as jax.numpy.issubdtype)."""
    import ml_dtypes

    from hlox.frontend.libraries.key_array import KeyDType, extended
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
    from hlox.frontend.core import dtypes
    return dtypes.promote_types(a, b)


def _jnp():
    import hlox.numpy
    return hlox.numpy


def logaddexp(x1, x2):
    """``log(exp(x1) + exp(x2))`` without overflow (jax.numpy.logaddexp)."""
    from hlox.frontend.numpy.base import _promote
    x1, x2 = _promote("logaddexp", x1, x2, inexact=True)  # Python scalars stay weak
    return _logaddexp(x1, x2)


def _logaddexp_impl(x1, x2):
    jnp = _jnp()
    amax = jnp.maximum(x1, x2)
    # (hlox.numpy functions, not operators: the inputs may be plain NumPy arrays here)
    delta = jnp.subtract(x1, x2)
    # Equal infinities give delta = nan: the answer is then amax itself (x1 + x2 has its sign).
    return jnp.where(jnp.isnan(delta), jnp.add(x1, x2),
                     jnp.add(amax, jnp.log1p(jnp.exp(jnp.negative(jnp.abs(delta))))))


def _logaddexp_jvp(primals, tangents):
    # d out = t1 * exp(x1 - out) + t2 * exp(x2 - out): sigmoid weights, 1/2 each at ties
    # (the max/abs in the primal would give a one-sided derivative there).
    jnp = _jnp()
    x1, x2 = primals
    t1, t2 = tangents
    out = _logaddexp(x1, x2)

    def weight(x):
        d = jnp.subtract(x, out)
        return jnp.exp(jnp.where(jnp.isnan(d), 0.0, d))  # inf - inf: the input is the max
    return out, jnp.add(jnp.multiply(t1, weight(x1)), jnp.multiply(t2, weight(x2)))


def _make_logaddexp():
    from hlox.frontend.transforms.custom_derivatives import custom_jvp
    f = custom_jvp(_logaddexp_impl)
    f.defjvp(_logaddexp_jvp)
    return f


_logaddexp = _make_logaddexp()


def bincount(x, weights=None, minlength: int = 0, *, length: int | None = None):
    """Counts of each non-negative int in ``x`` (jax.numpy.bincount; ``length`` fixes the size
    under jit, values >= length are dropped)."""
    jnp = _jnp()
    from hlox.frontend.core.tracing import Tracer
    x = jnp.asarray(x)
    if not jnp.issubdtype(x.dtype, jnp.integer):
        raise TypeError(f"bincount: x must be an integer array, got {x.dtype}")
    if length is None:
        if isinstance(x, Tracer):
            raise TypeError("bincount: under jit/vmap/grad the output size must be static: "
                            "pass length=")
        length = max(int(minlength), int(np.max(np.asarray(x), initial=-1)) + 1)
    length = max(int(length), int(minlength))
    if weights is None:
        return jnp.zeros(length, jnp.int32).at[x].add(1, mode="drop")
    weights = jnp.asarray(weights)
    return jnp.zeros(length, weights.dtype).at[x].add(weights, mode="drop")


def _norm(x, ord=None, axis=None, keepdims: bool = False):
    """Vector and Frobenius norms (jax.numpy.linalg.norm for ord None/1/2/inf/-inf/'fro')."""
    jnp = _jnp()
    x = jnp.asarray(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(jnp.float32)
    if isinstance(axis, int):
        axis = (axis,)
    vector = (axis is not None and len(axis) == 1) or (axis is None and x.ndim == 1)
    if ord is None or (ord == "fro" and not vector) or (ord == 2 and vector):
        return jnp.sqrt(jnp.sum(x * x, axis=axis, keepdims=keepdims))
    if vector and ord == 1:
        return jnp.sum(jnp.abs(x), axis=axis, keepdims=keepdims)
    if vector and ord == np.inf:
        return jnp.max(jnp.abs(x), axis=axis, keepdims=keepdims)
    if vector and ord == -np.inf:
        return jnp.min(jnp.abs(x), axis=axis, keepdims=keepdims)
    if vector and isinstance(ord, (int, float)) and ord not in (0,):
        return jnp.sum(jnp.abs(x) ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)
    raise NotImplementedError(
        f"linalg.norm: ord={ord!r} on {'a vector' if vector else 'a matrix'} is not supported "
        f"(supported: None, 'fro' for matrices; None, 1, 2, inf, -inf, p > 0 for vectors)")


linalg = types.ModuleType("hlox.numpy.linalg", "Norms (the rest of jax.numpy.linalg is not "
                          "implemented yet).")
linalg.norm = _norm
