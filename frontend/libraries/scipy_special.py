"""``jax.scipy.special``'s functions on hlox arrays (erf, gammaln, logsumexp, ...)."""

from __future__ import annotations

import numpy as np

from hlox.frontend import lax
from hlox.frontend.lax.base import _full_like
from hlox.frontend import numpy as hnp
from hlox.frontend.numpy import base as numpy_api
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.numpy.base import _elementwise

__all__ = ["erf", "erfc", "gammaln", "digamma", "expit", "logit", "ndtr", "logsumexp"]


def erf(x): return _elementwise("erf", lax.erf, x, inexact=True)
def erfc(x): return _elementwise("erfc", lax.erfc, x, inexact=True)
def gammaln(x): return _elementwise("gammaln", lax.lgamma, x, inexact=True)
def digamma(x): return _elementwise("digamma", lax.digamma, x, inexact=True)
def expit(x): return _elementwise("expit", lax.logistic, x, inexact=True)


def logit(x):
    """log(x / (1 - x)), the inverse of expit."""
    return _elementwise("logit", lambda p: lax.log(lax.div(p, lax.sub(_full_like(p, 1), p))),
                        x, inexact=True)


def ndtr(x):
    """The standard normal CDF, erfc(-x / sqrt 2) / 2 (accurate in the lower tail)."""
    def fn(v):
        return lax.mul(_full_like(v, 0.5),
                       lax.erfc(lax.mul(v, _full_like(v, -1 / np.sqrt(2)))))
    return _elementwise("ndtr", fn, x, inexact=True)


def logsumexp(a, axis=None, b=None, keepdims: bool = False, return_sign: bool = False):
    """log(sum(b * exp(a))) over ``axis``, shifted by the max so that it does not overflow.

    The shift is a constant for differentiation (stop_gradient), as in JAX; an
    infinite max is replaced by 0 so that all -inf inputs give -inf, not NaN.
    """
    (a,) = numpy_api._promote("logsumexp", a, inexact=True)
    if b is not None:
        a, b = numpy_api._promote("logsumexp", a, b, inexact=True)
        shape = numpy_api._broadcast_shapes("logsumexp", get_aval(a), get_aval(b))
        a, b = numpy_api._broadcast_to(a, shape), numpy_api._broadcast_to(b, shape)
        # entries with b == 0 do not take part in the max (they contribute nothing)
        a_for_max = hnp.where(hnp.equal(b, 0), -np.inf, a)
    else:
        a_for_max = a
    amax = hnp.max(a_for_max, axis=axis, keepdims=True)
    amax = lax.stop_gradient(hnp.where(hnp.isfinite(amax), amax, 0))
    exp_a = hnp.exp(hnp.subtract(a, amax))
    if b is not None:
        exp_a = hnp.multiply(b, exp_a)
    total = hnp.sum(exp_a, axis=axis, keepdims=keepdims)
    sign = hnp.sign(total)
    out = hnp.add(hnp.log(hnp.abs(total) if return_sign or b is not None else total),
                  amax if keepdims else hnp.reshape(amax, get_aval(total).shape))
    if return_sign:
        return out, sign
    return out
