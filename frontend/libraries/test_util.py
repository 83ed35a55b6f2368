"""``check_grads``: derivatives against central finite differences (``jax.test_util``).

Forward mode: ``jvp(f, x, t)`` against ``(f(x + eps t) - f(x - eps t)) / 2 eps``
for a random tangent ``t``. Reverse mode: the identity
``<ct, J t> == <vjp(ct), t>`` with the finite-difference ``J t``. Higher orders
apply the same checks to the JVP / VJP functions themselves. Use float64
inputs: float32 finite differences are too noisy for tight tolerances. Given
float64 (or int64) arguments, the checks run in JAX's 64-bit mode (as JAX's own
test suite runs its float64 checks with x64 on): without it those arguments
would become float32 and the float64 tolerances would not hold.
"""

from __future__ import annotations

import contextlib
from typing import Callable, Sequence

import numpy as np

from hlox.config import enable_x64
from hlox.frontend.transforms.ad import jvp, vjp
from hlox.frontend.staging.jit import jit
from hlox._pytree import tree_flatten, tree_map, tree_unflatten

# Stated tolerances for the finite-difference checks, per dtype.
DEFAULT_TOLS = {np.dtype(np.float64): dict(atol=1e-5, rtol=1e-5),
                np.dtype(np.float32): dict(atol=2e-2, rtol=2e-2)}
DEFAULT_EPS = {np.dtype(np.float64): 1e-4, np.dtype(np.float32): 1e-2}


def _np(x):
    return np.asarray(x)


def _random_like(rng, x):
    x = _np(x)
    return rng.standard_normal(x.shape).astype(x.dtype)


def _vdot(a, b) -> float:
    la, lb = tree_flatten(a)[0], tree_flatten(b)[0]
    return float(sum(np.vdot(_np(u).astype(np.float64), _np(v).astype(np.float64))
                     for u, v in zip(la, lb)))


def _add(a, b, scale):
    return tree_map(lambda u, v: (_np(u) + scale * _np(v)).astype(_np(u).dtype), a, b)


def _check_close(name, actual, expected, tol):
    for u, v in zip(tree_flatten(actual)[0], tree_flatten(expected)[0]):
        np.testing.assert_allclose(_np(u).astype(np.float64), _np(v).astype(np.float64),
                                   err_msg=name, **tol)


def _dtype_of(args):
    return _np(tree_flatten(args)[0][0]).dtype


def check_jvp(f: Callable, args: Sequence, rng, eps=None, tol=None) -> None:
    dtype = _dtype_of(args)
    eps = eps or DEFAULT_EPS[dtype]
    tol = tol or DEFAULT_TOLS[dtype]
    tangents = tree_map(lambda x: _random_like(rng, x), tuple(args))
    # one compiled program for the whole JVP (eagerly, every primitive would compile alone)
    _, out_t = jit(lambda xs, ts: jvp(f, xs, ts))(tuple(args), tangents)
    plus = f(*_add(tuple(args), tangents, eps))
    minus = f(*_add(tuple(args), tangents, -eps))
    fd = tree_map(lambda p, m: (_np(p).astype(np.float64) - _np(m)) / (2 * eps), plus, minus)
    _check_close("jvp vs finite differences", out_t, fd, tol)


def check_vjp(f: Callable, args: Sequence, rng, eps=None, tol=None) -> None:
    dtype = _dtype_of(args)
    eps = eps or DEFAULT_EPS[dtype]
    tol = tol or DEFAULT_TOLS[dtype]
    out = f(*args)
    ct = tree_map(lambda y: _random_like(rng, y), out)
    ct_in = jit(lambda xs, c: vjp(f, *xs)[1](c))(tuple(args), ct)
    tangents = tree_map(lambda x: _random_like(rng, x), tuple(args))
    plus = f(*_add(tuple(args), tangents, eps))
    minus = f(*_add(tuple(args), tangents, -eps))
    fd = tree_map(lambda p, m: (_np(p).astype(np.float64) - _np(m)) / (2 * eps), plus, minus)
    lhs, rhs = _vdot(ct, fd), _vdot(ct_in, tangents)
    scale = max(1.0, abs(lhs))
    np.testing.assert_allclose(rhs / scale, lhs / scale, err_msg="vjp vs finite differences",
                               **tol)


def check_grads(f: Callable, args: Sequence, order: int, modes=("fwd", "rev"),
                eps=None, tol=None, seed: int = 0) -> None:
    """Checks ``f``'s derivatives up to ``order`` in ``modes`` against finite differences."""
    rng = np.random.default_rng(seed)
    args = tuple(args)
    wide = any(np.asarray(x).dtype in (np.float64, np.int64) for x in tree_flatten(args)[0])
    with enable_x64(True) if wide else contextlib.nullcontext():
        _check_grads(f, args, order, modes, eps, tol, rng)


def _check_grads(f, args, order, modes, eps, tol, rng) -> None:
    def check(fun, order):
        if "fwd" in modes:
            check_jvp(fun, args, rng, eps, tol)
            if order > 1:
                tangents = tree_map(lambda x: _random_like(rng, x), args)
                check(lambda *xs: jvp(fun, xs, tangents)[1], order - 1)
        if "rev" in modes:
            check_vjp(fun, args, rng, eps, tol)
            if order > 1:
                out = fun(*args)
                ct = tree_map(lambda y: _random_like(rng, y), out)
                check(lambda *xs: vjp(fun, *xs)[1](ct), order - 1)

    check(f, order)
