"""More of ``hlox.random``'s samplers: ``gamma``/``loggamma``, ``beta``, ``dirichlet``,
``poisson``, ``laplace``, ``multivariate_normal`` and ``orthogonal``.

Each follows JAX's public algorithm step for step on the same threefry streams
(:mod:`hlox.frontend.libraries.random`), so a key gives JAX's samples up to the last
bits of the math functions: gamma is Marsaglia-Tsang rejection per element with JAX's
key splitting (one key per element, a ``lax.map`` over them), poisson is Knuth's method
below rate 10 and Hormann's transformed rejection above. ``multivariate_normal`` and
``orthogonal`` factor matrices with ``hlox.numpy.linalg`` (Cholesky/eigh/SVD, QR).
"""

from __future__ import annotations

import functools
import math

import ml_dtypes
import numpy as np

from hlox.frontend import lax
from hlox.frontend import numpy as hnp
from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import Tracer, get_aval
from hlox.frontend.libraries import numpy_linalg
from hlox.frontend.libraries.nn import softmax
from hlox.frontend.libraries.random import (_check_key, _float_dtype, _shape, _split, _uniform,
                                            _normal, _exponential)
from hlox.frontend.staging.jit import jit
from hlox.frontend.transforms import control_flow
from hlox.frontend.transforms.custom_derivatives import custom_jvp

__all__ = ["gamma", "loggamma", "beta", "dirichlet", "poisson", "laplace",
           "multivariate_normal", "orthogonal"]


def _keys(key, n):
    """``split(key, n)`` as n raw keys."""
    return _split(key, (n,))


def _gamma_one(key, alpha, log_space):
    """One Marsaglia-Tsang sample of Gamma(alpha) (JAX's ``_gamma_one``): alpha < 1 is
    boosted to alpha + 1 and the sample scaled by ``u ** (1 / alpha)``."""
    dtype = get_aval(alpha).dtype
    c_ = lambda v: np.asarray(v, dtype)  # noqa: E731
    zero, one = c_(0), c_(1)
    boost_mask = lax.ge(alpha, one)
    alpha_orig = alpha
    alpha = lax.select(boost_mask, alpha, lax.add(alpha, one))
    d = lax.sub(alpha, c_(1 / 3))
    c = lax.div(c_(1 / 3), lax.sqrt(d))

    def cond_fn(state):
        _, x, v, u = state
        return lax.bitwise_and(
            lax.ge(u, lax.sub(one, lax.mul(c_(0.0331), lax.mul(x, x)))),
            lax.ge(lax.log(u), lax.add(lax.mul(x, c_(0.5)),
                                       lax.mul(d, lax.add(lax.sub(one, v), lax.log(v))))))

    def next_xv(state):
        k, _, _ = state
        pair = _keys(k, 2)
        x = _normal(pair[1], (), dtype)
        return pair[0], x, lax.add(one, lax.mul(x, c))

    def body_fn(state):
        three = _keys(state[0], 3)
        _, x, v = control_flow.while_loop(lambda s: lax.le(s[2], zero), next_xv,
                                          (three[1], zero, c_(-1)))
        u = _uniform(three[2], (), dtype, 0.0, 1.0)
        return three[0], lax.mul(x, x), lax.mul(lax.mul(v, v), v), u

    pair = _keys(key, 2)
    _, _, v, _ = control_flow.while_loop(cond_fn, body_fn, (pair[0], zero, one, c_(2)))
    if log_space:
        log_samples = lax.neg(_exponential(pair[1], (), dtype))
        log_boost = lax.select(lax.bitwise_or(boost_mask, lax.eq(log_samples, zero)), zero,
                               lax.mul(log_samples, lax.div(one, alpha_orig)))
        return lax.add(lax.add(lax.log(d), lax.log(v)), log_boost)
    samples = lax.sub(one, _uniform(pair[1], (), dtype, 0.0, 1.0))
    boost = lax.select(boost_mask, one, lax.pow(samples, lax.div(one, alpha_orig)))
    return lax.mul(lax.mul(d, v), boost)


def _gamma_samples_impl(key, a, log_space):
    shape = get_aval(a).shape
    keys = _keys(key, math.prod(shape))
    alphas = hnp.reshape(a, (-1,))
    samples = control_flow.map(lambda ka: _gamma_one(ka[0], ka[1], log_space), (keys, alphas))
    return hnp.reshape(samples, shape)


# Differentiating the rejection loop would give a wrong derivative in ``a`` (JAX's is the
# implicit reparameterization one, not implemented here): refuse instead.
_gamma_samples = custom_jvp(_gamma_samples_impl, nondiff_argnums=(2,))


@_gamma_samples.defjvp
def _gamma_samples_jvp(log_space, primals, tangents):
    raise NotImplementedError("hlox.random.gamma/loggamma/beta/dirichlet: the derivative "
                              "of the samples with respect to the shape parameters is not "
                              "implemented yet (JAX's implicit reparameterization gradient)")


@functools.partial(jit, static_argnums=(2, 3, 4))
def _gamma(key, a, shape, dtype, log_space):
    a = hnp.broadcast_to(lax.convert_element_type(a, dtype), shape)
    return _gamma_samples(key, a, log_space)


def _broadcast_shape(name, shape, *param_shapes):
    if shape is None:
        return tuple(np.broadcast_shapes(*param_shapes))
    shape = _shape(name, shape)
    try:
        ok = np.broadcast_shapes(shape, *param_shapes) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"hlox.random.{name}: shape {shape} is not compatible with the "
                         f"parameters' shapes {param_shapes} (they must broadcast to it)")
    return shape


def _pshape(x):
    return tuple(x.shape) if isinstance(x, Tracer) else tuple(np.shape(x))


def gamma(key, a, shape=None, dtype=None):
    """Gamma(a, 1) samples (``jax.random.gamma``; not differentiable in ``a`` yet)."""
    dtype = _float_dtype("gamma", dtype)
    shape = _broadcast_shape("gamma", shape, _pshape(a))
    return _gamma(_check_key("gamma", key), a, shape, dtype, False)


def loggamma(key, a, shape=None, dtype=None):
    """log of Gamma(a, 1) samples, accurate for small ``a`` (``jax.random.loggamma``)."""
    dtype = _float_dtype("loggamma", dtype)
    shape = _broadcast_shape("loggamma", shape, _pshape(a))
    return _gamma(_check_key("loggamma", key), a, shape, dtype, True)


@functools.partial(jit, static_argnums=(3, 4))
def _beta(key, a, b, shape, dtype):
    a = hnp.broadcast_to(lax.convert_element_type(a, dtype), shape)
    b = hnp.broadcast_to(lax.convert_element_type(b, dtype), shape)
    keys = _keys(key, 2)
    log_a = _gamma_samples(keys[0], a, True)
    log_b = _gamma_samples(keys[1], b, True)
    # gamma_a / (gamma_a + gamma_b), scaled by the larger to keep precision
    log_max = lax.max(log_a, log_b)
    ga, gb = hnp.exp(log_a - log_max), hnp.exp(log_b - log_max)
    return ga / (ga + gb)


def beta(key, a, b, shape=None, dtype=None):
    """Beta(a, b) samples, from two log-gamma draws (``jax.random.beta``)."""
    dtype = _float_dtype("beta", dtype)
    shape = _broadcast_shape("beta", shape, _pshape(a), _pshape(b))
    return _beta(_check_key("beta", key), a, b, shape, dtype)


@functools.partial(jit, static_argnums=(2, 3))
def _dirichlet(key, alpha, shape, dtype):
    alpha = lax.convert_element_type(alpha, dtype)
    full = shape + get_aval(alpha).shape[-1:]
    log_gamma = _gamma_samples(key, hnp.broadcast_to(alpha, full), True)
    return softmax(log_gamma, -1)


def dirichlet(key, alpha, shape=None, dtype=None):
    """Dirichlet(alpha) samples over ``alpha``'s last axis (``jax.random.dirichlet``)."""
    dtype = _float_dtype("dirichlet", dtype)
    ashape = _pshape(alpha)
    if len(ashape) < 1:
        raise ValueError(f"hlox.random.dirichlet: alpha must have ndim >= 1, got {ashape}")
    shape = _broadcast_shape("dirichlet", shape, ashape[:-1])
    return _dirichlet(_check_key("dirichlet", key), alpha, shape, dtype)


def _poisson_knuth(key, lam, shape, dtype, max_iters):
    def body(carry):
        i, k, rng, log_prod = carry
        pair = _keys(rng, 2)
        k = lax.select(lax.gt(log_prod, lax.neg(lam)), k + 1, k)
        u = _uniform(pair[1], shape, np.dtype(np.float32), 0.0, 1.0)
        return i + 1, k, pair[0], log_prod + lax.log(u)

    def cond(carry):
        i, log_prod = carry[0], carry[3]
        return hnp.logical_and(hnp.any(lax.gt(log_prod, lax.neg(lam))), i < max_iters)

    init = (np.asarray(0, dtype), np.zeros(shape, dtype), key, np.zeros(shape, np.float32))
    k = control_flow.while_loop(cond, body, init)[1]
    return (k - 1).astype(dtype)


def _poisson_rejection(key, lam, shape, dtype, max_iters):
    log_lam = lax.log(lam)
    b = 0.931 + 2.53 * lax.sqrt(lam)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)

    def body(carry):
        i, k_out, accepted, rng = carry
        three = _keys(rng, 3)
        u = _uniform(three[1], shape, np.dtype(np.float32), 0.0, 1.0) - 0.5
        v = _uniform(three[2], shape, np.dtype(np.float32), 0.0, 1.0)
        u_shifted = 0.5 - hnp.abs(u)
        k = lax.floor((2 * a / u_shifted + b) * u + lam + 0.43)
        s = lax.log(v * inv_alpha / (a / (u_shifted * u_shifted) + b))
        t = -lam + k * log_lam - lax.lgamma(k + 1)
        accept1 = hnp.logical_and(u_shifted >= 0.07, v <= v_r)
        reject = hnp.logical_or(k < 0, hnp.logical_and(u_shifted < 0.013, v > u_shifted))
        accept = hnp.logical_or(accept1, hnp.logical_and(hnp.logical_not(reject), s <= t))
        return i + 1, lax.select(accept, k, k_out), hnp.logical_or(accepted, accept), three[0]

    def cond(carry):
        i, _, accepted, _ = carry
        return hnp.logical_and(hnp.any(hnp.logical_not(accepted)), i < max_iters)

    init = (np.asarray(0, dtype), np.full(shape, -1, np.float32), np.zeros(shape, bool), key)
    k = control_flow.while_loop(cond, body, init)[1]
    return k.astype(dtype)


@functools.partial(jit, static_argnums=(2, 3))
def _poisson(key, lam, shape, dtype):
    lam = lax.convert_element_type(hnp.broadcast_to(lam, shape), np.float32)
    use_knuth = hnp.logical_or(hnp.isnan(lam), lam < 10)
    lam_knuth = lax.select(use_knuth, lam, hnp.zeros_like(lam))
    lam_rejection = lax.select(use_knuth, hnp.full_like(lam, 1e5), lam)
    max_iters = np.asarray(np.iinfo(dtype).max, dtype)
    result = lax.select(use_knuth, _poisson_knuth(key, lam_knuth, shape, dtype, max_iters),
                        _poisson_rejection(key, lam_rejection, shape, dtype, max_iters))
    return lax.select(lam == 0, hnp.zeros_like(result), result)


def poisson(key, lam, shape=None, dtype=None):
    """Poisson(lam) samples as integers (``jax.random.poisson``)."""
    dtype = dtypes.default_int() if dtype is None else dtypes.user_dtype(dtype, "poisson")
    if not dtypes.is_int(dtype):
        raise TypeError(f"hlox.random.poisson: dtype must be an integer type, got {dtype}")
    shape = _pshape(lam) if shape is None else _shape("poisson", shape)
    _broadcast_shape("poisson", shape, _pshape(lam))
    return _poisson(_check_key("poisson", key), lam, shape, dtype)


@functools.partial(jit, static_argnums=(1, 2))
def _laplace(key, shape, dtype):
    lo = -1.0 + float(ml_dtypes.finfo(dtype).epsneg)
    u = _uniform(key, shape, dtype, np.asarray(lo, dtype), np.asarray(1.0, dtype))
    return lax.mul(lax.sign(u), lax.log1p(lax.neg(lax.abs(u))))


def laplace(key, shape=(), dtype=None):
    """Laplace(0, 1) samples (``jax.random.laplace``)."""
    return _laplace(_check_key("laplace", key), _shape("laplace", shape),
                    _float_dtype("laplace", dtype))


@functools.partial(jit, static_argnums=(3, 4, 5))
def _multivariate_normal(key, mean, cov, shape, dtype, method):
    mean = lax.convert_element_type(mean, dtype)
    cov = lax.convert_element_type(cov, dtype)
    if method == "svd":
        u, s, _ = numpy_linalg.svd(cov)
        factor = u * hnp.sqrt(s[..., None, :])
    elif method == "eigh":
        w, v = numpy_linalg.eigh(cov)
        factor = v * hnp.sqrt(w[..., None, :])
    else:
        factor = numpy_linalg.cholesky(cov)
    samples = _normal(key, shape + get_aval(mean).shape[-1:], dtype)
    return mean + hnp.einsum("...ij,...j->...i", factor, samples)


def multivariate_normal(key, mean, cov, shape=None, dtype=None, method: str = "cholesky"):
    """Samples of N(mean, cov) (``jax.random.multivariate_normal``): ``mean + factor @ z``
    with ``factor`` from ``method`` (``cholesky``, ``eigh`` or ``svd``) of ``cov``."""
    if method not in ("svd", "eigh", "cholesky"):
        raise ValueError(f"hlox.random.multivariate_normal: method must be one of 'svd', "
                         f"'eigh', 'cholesky', got {method!r}")
    # As JAX: without a dtype, the samples take mean's and cov's promoted float dtype.
    if dtype is None:
        dtype = hnp.result_type(mean, cov)
        dtype = dtype if dtypes.is_float(dtype) else dtypes.default_float()
    dtype = _float_dtype("multivariate_normal", dtype)
    mshape, cshape = _pshape(mean), _pshape(cov)
    if len(mshape) < 1:
        raise ValueError("hlox.random.multivariate_normal: mean must have ndim >= 1")
    if len(cshape) < 2:
        raise ValueError("hlox.random.multivariate_normal: cov must have ndim >= 2")
    n = mshape[-1]
    if cshape[-2:] != (n, n):
        raise ValueError(f"hlox.random.multivariate_normal: cov.shape must be (..., {n}, {n}) "
                         f"for mean.shape {mshape}, got {cshape}")
    shape = _broadcast_shape("multivariate_normal", shape, mshape[:-1], cshape[:-2])
    return _multivariate_normal(_check_key("multivariate_normal", key), mean, cov, shape,
                                dtype, method)


@functools.partial(jit, static_argnums=(1, 2, 3, 4))
def _orthogonal(key, n, m, shape, dtype):
    z = _normal(key, shape + (max(n, m), min(n, m)), dtype)
    q, r = numpy_linalg.qr(z)
    d = hnp.diagonal(r, 0, -2, -1)
    x = q * hnp.expand_dims(hnp.sign(d), -2)
    return hnp.swapaxes(x, -1, -2) if n < m else x


def orthogonal(key, n: int, shape=(), dtype=None, m: int | None = None):
    """Haar-random ``n x m`` matrices with orthonormal columns (or rows, if n < m)
    (``jax.random.orthogonal``: QR of a normal matrix, signs fixed by R's diagonal)."""
    n = int(n)
    m = n if m is None else int(m)
    return _orthogonal(_check_key("orthogonal", key), n, m, _shape("orthogonal", shape),
                       _float_dtype("orthogonal", dtype))
