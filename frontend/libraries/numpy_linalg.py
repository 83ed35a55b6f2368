"""``hlox.numpy.linalg``: jax.numpy.linalg's functions on :mod:`hlox.lax.linalg
<hlox.frontend.libraries.linalg>` (cholesky, solve, inv, det, slogdet, qr, eigh,
eigvalsh, svd, lstsq, pinv, matrix_power, matrix_rank) plus ``norm``, with JAX's
semantics: leading batch dimensions, results in JAX's dtypes and named tuples, errors
for non-square or rank < 2 operands. Derivatives come from lax.linalg's rules.
"""

from __future__ import annotations

import operator
from typing import NamedTuple

import numpy as np

from hlox.frontend import numpy as hnp
from hlox.frontend.core import dtypes
from hlox.frontend.libraries import linalg as lax_linalg
from hlox.frontend.numpy.extras import _norm as norm

__all__ = ["cholesky", "solve", "inv", "det", "slogdet", "qr", "eigh", "eigvalsh", "svd",
           "lstsq", "pinv", "matrix_power", "matrix_rank", "norm", "EighResult", "SVDResult",
           "SlogdetResult", "QRResult"]


class EighResult(NamedTuple):
    eigenvalues: object
    eigenvectors: object


class SVDResult(NamedTuple):
    U: object
    S: object
    Vh: object


class SlogdetResult(NamedTuple):
    sign: object
    logabsdet: object


class QRResult(NamedTuple):
    Q: object
    R: object


def _matrices(name: str, *arrays, square: bool = True):
    """The operands as arrays of one inexact dtype (JAX's promotion), checked to be
    (square) matrices."""
    arrays = [hnp.asarray(a) for a in arrays]
    dtype = dtypes.to_inexact(hnp.result_type(*arrays))
    arrays = [a.astype(dtype) if a.dtype != dtype else a for a in arrays]
    a = arrays[0]
    if a.ndim < 2:
        raise ValueError(f"hlox.numpy.linalg.{name}: needs an array of rank >= 2, got shape "
                         f"{a.shape}")
    if square and a.shape[-1] != a.shape[-2]:
        raise ValueError(f"hlox.numpy.linalg.{name}: needs square matrices in the last two "
                         f"dimensions, got shape {a.shape}")
    return arrays


def _H(x):
    return hnp.conj(hnp.swapaxes(x, -1, -2))


def cholesky(a, *, upper: bool = False, symmetrize_input: bool = True):
    (a,) = _matrices("cholesky", a)
    lower = lax_linalg.cholesky(a, symmetrize_input=symmetrize_input)
    return _H(lower) if upper else lower


def _permutation_matrix(permutation, dtype):
    """P with (P x)[i] = x[permutation[i]]."""
    m = permutation.shape[-1]
    return (permutation[..., :, None] == hnp.arange(m)).astype(dtype)


def _permute_rows(permutation, b):
    """``b[..., permutation, :]`` per batch element: one gather of whole rows of the
    batch flattened into one matrix (an element-wise take_along_axis gathers each
    element by its own index, ~20x slower at 512x512)."""
    *batch, n, k = b.shape
    count = int(np.prod(batch, dtype=np.int64))
    offsets = (hnp.arange(count, dtype=permutation.dtype) * n)[:, None]
    rows = (permutation.reshape(count, n) + offsets).reshape(count * n)
    return hnp.take(b.reshape(count * n, k), rows, axis=0, mode="clip").reshape(b.shape)


def _lu_solve(factors, permutation, b):
    pb = _permute_rows(permutation, b)
    y = lax_linalg.triangular_solve(factors, pb, left_side=True, lower=True, unit_diagonal=True)
    return lax_linalg.triangular_solve(factors, y, left_side=True, lower=False)


def solve(a, b):
    """``x`` with ``a @ x = b``: b a vector (n,) or a (..., n, k) batch (JAX's rule)."""
    a, b = _matrices("solve", a, b)
    n = a.shape[-1]
    vector = b.ndim == 1
    if vector:
        b = b[:, None]
    if b.ndim < 2 or b.shape[-2] != n:
        raise ValueError(f"hlox.numpy.linalg.solve: b of shape {b.shape if not vector else (n,)} "
                         f"does not fit a of shape {a.shape}")
    batch = hnp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = hnp.broadcast_to(a, batch + a.shape[-2:])
    b = hnp.broadcast_to(b, batch + b.shape[-2:])
    factors, _, permutation = lax_linalg.lu(a)
    x = _lu_solve(factors, permutation, b)
    return x[..., 0] if vector else x


def inv(a):
    (a,) = _matrices("inv", a)
    eye = hnp.broadcast_to(hnp.eye(a.shape[-1], dtype=a.dtype), a.shape)
    return solve(a, eye)


def _lu_parts(a):
    factors, pivots, _ = lax_linalg.lu(a)
    diag = hnp.diagonal(factors, axis1=-2, axis2=-1)
    swaps = hnp.sum(pivots != hnp.arange(a.shape[-1], dtype=pivots.dtype), axis=-1)
    parity = hnp.where(swaps % 2 == 1, -1, 1).astype(a.dtype)
    return diag, parity


def det(a):
    (a,) = _matrices("det", a)
    diag, parity = _lu_parts(a)
    return parity * hnp.prod(diag, axis=-1)


def slogdet(a, *, method=None):
    if method not in (None, "lu"):
        raise ValueError(f"hlox.numpy.linalg.slogdet: method {method!r} is not supported "
                         f"(None or 'lu')")
    (a,) = _matrices("slogdet", a)
    diag, parity = _lu_parts(a)
    magnitude = hnp.abs(diag)
    logabsdet = hnp.sum(hnp.log(magnitude), axis=-1)
    if dtypes.is_complex(a.dtype):
        phase = diag / hnp.where(magnitude == 0, 1, magnitude).astype(a.dtype)
        sign = parity * hnp.prod(phase, axis=-1)
    else:
        sign = parity * hnp.prod(hnp.sign(diag), axis=-1)
    singular = hnp.any(magnitude == 0, axis=-1)
    sign = hnp.where(singular, hnp.zeros((), sign.dtype), sign)
    logabsdet = hnp.where(singular, -np.inf, logabsdet)
    return SlogdetResult(sign, logabsdet)


def qr(a, mode: str = "reduced"):
    (a,) = _matrices("qr", a, square=False)
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"hlox.numpy.linalg.qr: unsupported mode {mode!r} (reduced, "
                         f"complete, r)")
    q, r = lax_linalg.qr(a, full_matrices=mode == "complete")
    return r if mode == "r" else QRResult(q, r)


def eigh(a, UPLO: str | None = None, symmetrize_input: bool = True):  # noqa: N803  (numpy's name)
    if UPLO not in (None, "L", "U"):
        raise ValueError(f"hlox.numpy.linalg.eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    (a,) = _matrices("eigh", a)
    v, w = lax_linalg.eigh(a, lower=UPLO != "U", symmetrize_input=symmetrize_input)
    return EighResult(w, v)


def eigvalsh(a, UPLO: str | None = "L", *, symmetrize_input: bool = True):  # noqa: N803
    return eigh(a, UPLO, symmetrize_input).eigenvalues


def svd(a, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False,
        subset_by_index=None):
    (a,) = _matrices("svd", a, square=False)
    if not compute_uv:
        return lax_linalg.svd(a, compute_uv=False, subset_by_index=subset_by_index)
    u, s, vh = lax_linalg.svd(a, full_matrices=full_matrices, subset_by_index=subset_by_index)
    return SVDResult(u, s, vh)


def _eps(dtype):
    return float(np.finfo(dtypes.real_dtype(dtype)).eps)


def pinv(a, rtol=None, hermitian: bool = False, *, rcond=None):
    (a,) = _matrices("pinv", a, square=False)
    m, n = a.shape[-2:]
    if rtol is None:
        rtol = rcond if rcond is not None else 10.0 * max(m, n) * _eps(a.dtype)
    u, s, vh = lax_linalg.svd(a, full_matrices=False)
    cutoff = hnp.asarray(rtol, s.dtype)[..., None] * hnp.max(s, axis=-1, keepdims=True)
    s_inv = hnp.where(s > cutoff, 1 / hnp.where(s > cutoff, s, 1), 0).astype(s.dtype)
    return _H(vh) @ (s_inv[..., :, None].astype(a.dtype) * _H(u))


def lstsq(a, b, rcond=None, *, numpy_resid: bool = False):
    """Least squares ``(x, residuals, rank, s)`` through the SVD, as ``jax.numpy.linalg.lstsq``."""
    a, b = _matrices("lstsq", a, b, square=False)
    if a.ndim != 2:
        raise ValueError(f"hlox.numpy.linalg.lstsq: a must be 2-D, got shape {a.shape}")
    vector = b.ndim == 1
    if vector:
        b = b[:, None]
    if b.ndim != 2 or b.shape[0] != a.shape[0]:
        raise ValueError(f"hlox.numpy.linalg.lstsq: b's leading dimension must be a's rows "
                         f"{a.shape[0]}, got shape {b.shape}")
    m, n = a.shape
    if rcond is None:
        rcond = _eps(a.dtype) * max(n, m)
    u, s, vt = lax_linalg.svd(a, full_matrices=False)
    mask = s >= hnp.asarray(rcond, s.dtype) * s[0]
    rank = hnp.sum(mask)
    s_inv = hnp.where(mask, 1 / hnp.where(mask, s, 1), 0)[:, None].astype(a.dtype)
    x = _H(vt) @ (s_inv * (_H(u) @ b))
    if numpy_resid and (int(rank) < n or m <= n):
        resid = hnp.zeros((0,), s.dtype)
    else:
        resid = hnp.sum(hnp.abs(b - a @ x) ** 2, axis=0)
    return (x.ravel() if vector else x), resid, rank, s


def matrix_power(a, n):
    (a,) = _matrices("matrix_power", a)
    n = operator.index(n)
    if n == 0:
        return hnp.broadcast_to(hnp.eye(a.shape[-1], dtype=a.dtype), a.shape)
    if n < 0:
        a, n = inv(a), -n
    result, power = None, a
    while n:
        if n & 1:
            result = power if result is None else result @ power
        n >>= 1
        if n:
            power = power @ power
    return result


def matrix_rank(M, rtol=None, *, tol=None):  # noqa: N803  (numpy's name)
    M = hnp.asarray(M)
    if M.ndim < 2:
        return hnp.any(M != 0).astype(hnp.int32)
    (M,) = _matrices("matrix_rank", M, square=False)
    s = lax_linalg.svd(M, compute_uv=False)
    if tol is None:
        if rtol is None:
            rtol = max(M.shape[-2:]) * _eps(M.dtype)
        tol = hnp.max(s, axis=-1, keepdims=True) * hnp.asarray(rtol, s.dtype)[..., None]
    else:
        tol = hnp.asarray(tol, s.dtype)[..., None]
    return hnp.sum(s > tol, axis=-1)
