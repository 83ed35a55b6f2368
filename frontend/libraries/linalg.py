"""``hlox.lax.linalg``: cholesky, triangular_solve, lu, qr, householder_product, eigh, svd,
as ``jax.lax.linalg`` defines them (results, batching over leading dimensions, JVPs).

Built on the LAPACK-call primitives of :mod:`hlox.frontend.lax.lapack_calls` (the
custom calls JAX emits on CPU): the LAPACK results are post-processed as JAX does
(triangles masked, NaN where LAPACK reports a failure, pivots to permutations), and
each function's derivative is JAX's rule, given with ``custom_jvp``; reverse mode
transposes those rules (they are built from matmuls and ``triangular_solve``, which
is linear in its right-hand side).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from hlox.frontend import numpy as hnp
from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.lax import lapack_calls as calls
from hlox.frontend.lax.lapack_calls import triangular_solve
from hlox.frontend.transforms.control_flow import fori_loop
from hlox.frontend.transforms.custom_derivatives import custom_jvp

__all__ = ["cholesky", "triangular_solve", "lu", "lu_pivots_to_permutation", "qr",
           "householder_product", "eigh", "svd", "EighResult", "SvdResult", "QRResult",
           "LuResult"]


def _H(x):
    return hnp.conj(hnp.swapaxes(x, -1, -2))


def _T(x):
    return hnp.swapaxes(x, -1, -2)


def _eye_like(x, n=None):
    n = get_aval(x).shape[-1] if n is None else n
    return hnp.eye(n, dtype=get_aval(x).dtype)


def _nan_where_failed(info, x):
    """``x`` where LAPACK's ``info`` (per batch element) is 0, NaN elsewhere (as JAX)."""
    ok = (info == 0).reshape(get_aval(info).shape + (1,) * (get_aval(x).ndim - get_aval(info).ndim))
    return hnp.where(ok, x, hnp.asarray(np.nan, get_aval(x).dtype))


def _inexact(x, name):
    x = hnp.asarray(x)
    if not dtypes.is_inexact(x.dtype):
        x = x.astype(dtypes.to_inexact(x.dtype))
    if x.ndim < 2:
        raise ValueError(f"hlox.lax.linalg.{name}: needs a matrix (rank >= 2), got shape "
                         f"{x.shape}")
    return x


# -- cholesky --------------------------------------------------------------------

@custom_jvp
def _cholesky(a):
    factor, info = calls.potrf_p.bind(a, lower=True)
    return _nan_where_failed(info, hnp.tril(factor))


@_cholesky.defjvp
def _cholesky_jvp(primals, tangents):
    (a,), (da,) = primals, tangents
    L = _cholesky(a)
    # Murray 2016 (arXiv:1602.07527), JAX's rule: dL = L phi(L^-1 dA L^-H)
    tmp = triangular_solve(L, da, left_side=False, transpose_a=True, conjugate_a=True, lower=True)
    inner = triangular_solve(L, tmp, left_side=True, transpose_a=False, lower=True)
    n = get_aval(a).shape[-1]
    phi = hnp.tril(inner) / (1 + hnp.eye(n, dtype=get_aval(a).dtype))
    return L, L @ phi


def cholesky(x, *, symmetrize_input: bool = True):
    """The lower Cholesky factor of Hermitian positive-definite ``x`` (NaN where it is not)."""
    x = _inexact(x, "cholesky")
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(f"hlox.lax.linalg.cholesky: needs square matrices, got {x.shape}")
    if symmetrize_input:
        x = (x + _H(x)) / 2
    return _cholesky(x)


# -- lu --------------------------------------------------------------------------

class LuResult(NamedTuple):
    lu: object
    pivots: object
    permutation: object


def lu_pivots_to_permutation(pivots, permutation_size: int):
    """The permutation LAPACK's (0-based) row swaps ``pivots`` apply, of size
    ``permutation_size`` (``jax.lax.linalg.lu_pivots_to_permutation``)."""
    pivots = hnp.asarray(pivots)
    batch = pivots.shape[:-1]
    k = pivots.shape[-1]
    positions = hnp.arange(permutation_size, dtype=pivots.dtype)
    start = hnp.broadcast_to(positions, batch + (permutation_size,))

    def swap(i, perm):
        j = hnp.take(pivots, i, axis=-1)[..., None]
        at_i, at_j = positions == i, positions == j
        p_i = hnp.sum(hnp.where(at_i, perm, 0), axis=-1, keepdims=True)
        p_j = hnp.sum(hnp.where(at_j, perm, 0), axis=-1, keepdims=True)
        return hnp.where(at_i, p_j, hnp.where(at_j, p_i, perm)).astype(perm.dtype)

    return fori_loop(0, k, swap, start) if k else start


def _lu_raw(a):
    factors, ipiv, info = calls.getrf_p.bind(a)
    pivots = ipiv - 1
    factors = hnp.where((info >= 0).reshape(info.shape + (1, 1)), factors,
                        hnp.asarray(np.nan, factors.dtype))
    return factors, pivots, lu_pivots_to_permutation(pivots, a.shape[-2])


@custom_jvp
def _lu(a):
    return _lu_raw(a)


@_lu.defjvp
def _lu_jvp(primals, tangents):
    # JAX's rule ("Differentiation of matrix functionals using triangular factorization").
    (a,), (da,) = primals, tangents
    factors, pivots, permutation = _lu_raw(a)
    m, n = a.shape[-2:]
    k = min(m, n)
    dtype = a.dtype
    x = hnp.asarray(permutation[..., :, None] == hnp.arange(m), dtype) @ da  # rows permuted
    l = hnp.tril(factors[..., :, :k], -1)
    l = hnp.pad(l, [(0, 0)] * (a.ndim - 1) + [(0, m - k)]) + hnp.eye(m, dtype=dtype)
    u = hnp.pad(hnp.triu(factors[..., :k, :]), [(0, 0)] * (a.ndim - 2) + [(0, n - k), (0, 0)])
    u = u + hnp.pad(hnp.eye(n - k, dtype=dtype), [(k, 0), (k, 0)])
    la = triangular_solve(l, x, left_side=True, lower=True, unit_diagonal=True)
    lau = triangular_solve(u, la, left_side=False, lower=False)
    factors_dot = l @ hnp.tril(lau, -1) + hnp.triu(lau) @ u
    # (integer outputs: zero tangents)
    return (factors, pivots, permutation), (factors_dot, hnp.zeros_like(pivots),
                                            hnp.zeros_like(permutation))


def lu(x):
    """LU with partial pivoting: ``(lu, pivots, permutation)`` (``jax.lax.linalg.lu``)."""
    return LuResult(*_lu(_inexact(x, "lu")))


# -- qr ----------------------------------------------------------------------------

class QRResult(NamedTuple):
    Q: object
    R: object


def householder_product(a, taus):
    """The product of the Householder reflectors stored in ``a`` and ``taus`` (LAPACK's
    orgqr/ungqr; ``jax.lax.linalg.householder_product``)."""
    return calls.householder_product_p.bind(hnp.asarray(a), hnp.asarray(taus))


def _qr_raw(x, full_matrices: bool):
    m, n = x.shape[-2:]
    factors, taus = calls.geqrf_p.bind(x)
    if m < n:
        q = householder_product(factors[..., :m, :m], taus)
    elif full_matrices:
        q = householder_product(hnp.pad(factors, [(0, 0)] * (x.ndim - 1) + [(0, m - n)]), taus)
    else:
        q = householder_product(factors, taus)
    r = hnp.triu(factors)
    if not full_matrices:
        r = r[..., :min(m, n), :]
    return q, r


def _qr_with(full_matrices: bool):
    @custom_jvp
    def qr_fn(x):
        return _qr_raw(x, full_matrices)

    @qr_fn.defjvp
    def qr_jvp(primals, tangents):
        # j-towns.github.io/papers/qr-derivative.pdf, JAX's rule
        (x,), (dx,) = primals, tangents
        m, n = x.shape[-2:]
        if m < n or (full_matrices and m != n):
            raise NotImplementedError("hlox.lax.linalg.qr: the derivative needs m >= n "
                                      "(and reduced matrices unless square), as in JAX")
        q, r = _qr_raw(x, False)
        dx_rinv = triangular_solve(r, dx)
        qt_dx_rinv = _H(q) @ dx_rinv
        lower = hnp.tril(qt_dx_rinv, -1)
        do = lower - _H(lower)
        eye = hnp.eye(n, dtype=do.dtype)
        do = do + eye * (qt_dx_rinv - hnp.real(qt_dx_rinv).astype(qt_dx_rinv.dtype))
        dq = q @ (do - qt_dx_rinv) + dx_rinv
        dr = (qt_dx_rinv - do) @ r
        return (q, r), (dq, dr)

    return qr_fn


_QR = {True: _qr_with(True), False: _qr_with(False)}


def qr(x, *, pivoting: bool = False, full_matrices: bool = True):
    """``(q, r)`` with ``x = q r`` (``jax.lax.linalg.qr``; no column pivoting)."""
    if pivoting:
        raise NotImplementedError("hlox.lax.linalg.qr: pivoting=True is not supported")
    x = _inexact(x, "qr")
    return QRResult(*_QR[bool(full_matrices)](x))


# -- eigh ----------------------------------------------------------------------------

class EighResult(NamedTuple):
    eigenvectors: object
    eigenvalues: object


def _eigh_raw(x, lower: bool):
    v, w, info = calls.syevd_p.bind(x, lower=lower, vectors=True)
    return _nan_where_failed(info, v), _nan_where_failed(info, w)


def _eigh_with(lower: bool):
    @custom_jvp
    def eigh_fn(x):
        return _eigh_raw(x, lower)

    @eigh_fn.defjvp
    def eigh_jvp(primals, tangents):
        (x,), (dx,) = primals, tangents
        v, w = _eigh_raw(x, lower)
        n = x.shape[-1]
        eye = hnp.eye(n, dtype=w.dtype)
        f = 1 / (eye + w[..., None, :] - w[..., :, None]) - eye
        vdag_dx_v = _H(v) @ dx @ v
        dv = v @ (f.astype(x.dtype) * vdag_dx_v)
        dw = hnp.real(hnp.diagonal(vdag_dx_v, axis1=-2, axis2=-1))
        return (v, w), (dv, dw)

    return eigh_fn


_EIGH = {True: _eigh_with(True), False: _eigh_with(False)}


def eigh(x, *, lower: bool = True, symmetrize_input: bool = True, sort_eigenvalues: bool = True):
    """``(v, w)``: eigenvectors (columns) and ascending eigenvalues of Hermitian ``x``
    (``jax.lax.linalg.eigh``)."""
    x = _inexact(x, "eigh")
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(f"hlox.lax.linalg.eigh: needs square matrices, got {x.shape}")
    if symmetrize_input:
        x = (x + _H(x)) / 2
    return EighResult(*_EIGH[bool(lower)](x))


# -- svd -------------------------------------------------------------------------------

class SvdResult(NamedTuple):
    u: object
    s: object
    vh: object


def _svd_raw(x, mode: str):
    _, s, u, vt, info = calls.gesdd_p.bind(x, mode=mode)
    return _nan_where_failed(info, s), _nan_where_failed(info, u), _nan_where_failed(info, vt)


@custom_jvp
def _svd_reduced(x):
    return _svd_raw(x, "S")


@custom_jvp
def _singular_values(x):
    return _svd_raw(x, "N")[0]


def _svd_tangents(x, dx, compute_uv: bool):
    # JAX's rule (reduced matrices).
    s, u, vt = _svd_raw(x, "S")
    ut, v = _H(u), _H(vt)
    s_row = s[..., None, :]
    ds_full = ut @ dx @ v
    ds = hnp.real(hnp.diagonal(ds_full, axis1=-2, axis2=-1))
    if not compute_uv:
        return (s, u, vt), (ds, None, None)
    diffs = (s_row + _T(s_row)) * (s_row - _T(s_row))
    zeros = (diffs == 0).astype(s.dtype)
    f = 1 / (diffs + zeros) - zeros
    dss = s_row.astype(x.dtype) * ds_full
    sds = _T(s_row.astype(x.dtype)) * ds_full
    s_zero = (s == 0).astype(s.dtype)
    s_inv = 1 / (s + s_zero) - s_zero
    k = get_aval(s).shape[-1]
    s_inv_mat = s_inv[..., None, :] * hnp.eye(k, dtype=s.dtype)
    du_dv_diag = 0.5 * (ds_full - _H(ds_full)) * s_inv_mat.astype(x.dtype)
    du = u @ (f.astype(x.dtype) * (dss + _H(dss)) + du_dv_diag)
    dv = v @ (f.astype(x.dtype) * (sds + _H(sds)))
    m, n = x.shape[-2:]
    if m > n:
        dav = dx @ v
        du = du + (dav - u @ (ut @ dav)) / s_row.astype(x.dtype)
    if n > m:
        dahu = _H(dx) @ u
        dv = dv + (dahu - v @ (vt @ dahu)) / s_row.astype(x.dtype)
    return (s, u, vt), (ds, du, _H(dv))


@_svd_reduced.defjvp
def _svd_reduced_jvp(primals, tangents):
    return _svd_tangents(primals[0], tangents[0], True)


@_singular_values.defjvp
def _singular_values_jvp(primals, tangents):
    (s, _, _), (ds, _, _) = _svd_tangents(primals[0], tangents[0], False)
    return s, ds


def _svd_full(x):
    s, u, vt = _svd_raw(x, "A")
    return s, u, vt


def svd(x, *, full_matrices: bool = True, compute_uv: bool = True, subset_by_index=None):
    """``(u, s, vh)`` (or ``s`` without ``compute_uv``) with ``x = u diag(s) vh``
    (``jax.lax.linalg.svd``; derivatives for reduced matrices and singular values)."""
    if subset_by_index is not None:
        raise NotImplementedError("hlox.lax.linalg.svd: subset_by_index is not supported")
    x = _inexact(x, "svd")
    if not compute_uv:
        return _singular_values(x)
    if full_matrices and x.shape[-1] != x.shape[-2]:
        s, u, vt = _svd_full(x)
    else:
        s, u, vt = _svd_reduced(x)
    return SvdResult(u, s, vt)
