"""``hlox.scipy.linalg``: jax.scipy.linalg's cholesky, cho_factor, cho_solve,
solve_triangular, lu, lu_factor, lu_solve and expm, on :mod:`hlox.lax.linalg
<hlox.frontend.libraries.linalg>`, with SciPy's conventions (upper factors by default,
``trans`` 0/1/2 or 'N'/'T'/'C') as JAX has them."""

from __future__ import annotations

import numpy as np

from hlox.frontend import numpy as hnp
from hlox.frontend.core import dtypes
from hlox.frontend.libraries import linalg as lax_linalg
from hlox.frontend.libraries import numpy_linalg
from hlox.frontend.transforms.control_flow import fori_loop

__all__ = ["cholesky", "cho_factor", "cho_solve", "solve_triangular", "lu", "lu_factor",
           "lu_solve", "expm"]


def _H(x):
    return hnp.conj(hnp.swapaxes(x, -1, -2))


def cholesky(a, lower: bool = False, overwrite_a: bool = False, check_finite: bool = True):
    # As JAX: the input is not symmetrized; only its `lower` triangle is read.
    (a,) = numpy_linalg._matrices("cholesky", a)
    factor = lax_linalg.cholesky(a if lower else _H(a), symmetrize_input=False)
    return factor if lower else _H(factor)


def cho_factor(a, lower: bool = False, overwrite_a: bool = False, check_finite: bool = True):
    return cholesky(a, lower=lower), lower


def _as_matrix_rhs(b):
    b = hnp.asarray(b)
    return (b[..., None], True) if b.ndim == 1 else (b, False)


def cho_solve(c_and_lower, b, overwrite_b: bool = False, check_finite: bool = True):
    c, lower = c_and_lower
    c, b = numpy_linalg._matrices("cho_solve", c, b, square=True)
    rhs, vector = _as_matrix_rhs(b)
    # A = L L^H (lower) or U^H U: two triangular solves.
    y = lax_linalg.triangular_solve(c, rhs, left_side=True, lower=lower,
                                    transpose_a=not lower, conjugate_a=not lower)
    x = lax_linalg.triangular_solve(c, y, left_side=True, lower=lower, transpose_a=lower,
                                    conjugate_a=lower)
    return x[..., 0] if vector else x


_TRANS = {0: (False, False), "N": (False, False), 1: (True, False), "T": (True, False),
          2: (True, True), "C": (True, True)}


def solve_triangular(a, b, trans=0, lower: bool = False, unit_diagonal: bool = False,
                     overwrite_b: bool = False, debug=None, check_finite: bool = True):
    if trans not in _TRANS:
        raise ValueError(f"hlox.scipy.linalg.solve_triangular: trans must be 0, 1, 2, 'N', "
                         f"'T' or 'C', got {trans!r}")
    transpose, conjugate = _TRANS[trans]
    a, b = numpy_linalg._matrices("solve_triangular", a, b)
    rhs, vector = _as_matrix_rhs(b)
    x = lax_linalg.triangular_solve(a, rhs, left_side=True, lower=lower, transpose_a=transpose,
                                    conjugate_a=conjugate, unit_diagonal=unit_diagonal)
    return x[..., 0] if vector else x


def lu(a, permute_l: bool = False, overwrite_a: bool = False, check_finite: bool = True):
    """``(p, l, u)`` with ``a = p @ l @ u`` (or ``(p @ l, u)`` with ``permute_l``)."""
    (a,) = numpy_linalg._matrices("lu", a, square=False)
    factors, _, permutation = lax_linalg.lu(a)
    m, n = a.shape[-2:]
    k = min(m, n)
    l = hnp.tril(factors[..., :, :k], -1) + hnp.eye(m, k, dtype=a.dtype)
    u = hnp.triu(factors[..., :k, :])
    # p in the real dtype, as JAX gives it
    p = hnp.swapaxes(numpy_linalg._permutation_matrix(permutation, dtypes.real_dtype(a.dtype)),
                     -1, -2)
    return (p.astype(a.dtype) @ l, u) if permute_l else (p, l, u)


def lu_factor(a, overwrite_a: bool = False, check_finite: bool = True):
    (a,) = numpy_linalg._matrices("lu_factor", a, square=False)
    factors, pivots, _ = lax_linalg.lu(a)
    return factors, pivots


def lu_solve(lu_and_piv, b, trans=0, overwrite_b: bool = False, check_finite: bool = True):
    factors, pivots = lu_and_piv
    if trans not in _TRANS:
        raise ValueError(f"hlox.scipy.linalg.lu_solve: trans must be 0, 1 or 2, got {trans!r}")
    transpose, conjugate = _TRANS[trans]
    factors, b = numpy_linalg._matrices("lu_solve", factors, b)
    rhs, vector = _as_matrix_rhs(b)
    permutation = lax_linalg.lu_pivots_to_permutation(pivots, factors.shape[-1])
    p = numpy_linalg._permutation_matrix(permutation, factors.dtype)
    if not transpose:
        x = numpy_linalg._lu_solve(factors, permutation, rhs)
    else:  # A^T = U^T L^T P: solve U^T, then L^T, then undo P
        y = lax_linalg.triangular_solve(factors, rhs, left_side=True, lower=False,
                                        transpose_a=True, conjugate_a=conjugate)
        z = lax_linalg.triangular_solve(factors, y, left_side=True, lower=True,
                                        transpose_a=True, conjugate_a=conjugate,
                                        unit_diagonal=True)
        x = hnp.swapaxes(p, -1, -2) @ z
    return x[..., 0] if vector else x


# Pade coefficients and the 1-norm bounds up to which they are accurate (Higham 2005,
# as JAX and SciPy use them): degree 13 for 64-bit types, degree 7 for 32-bit ones.
_PADE = {
    13: ((64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800.,
          129060195264000., 10559470521600., 670442572800., 33522128640., 1323241920.,
          40840800., 960960., 16380., 182., 1.), 5.371920351148152),
    7: ((17297280., 8648640., 1995840., 277200., 25200., 1512., 56., 1.), 3.925724783138660),
}


def expm(A, *, upper_triangular: bool = False, max_squarings: int = 16):  # noqa: N803
    """The matrix exponential by scaling and squaring with a Pade approximant."""
    (A,) = numpy_linalg._matrices("expm", A)
    degree = 13 if np.dtype(dtypes.real_dtype(A.dtype)).itemsize == 8 else 7
    b, theta = _PADE[degree]
    norm1 = hnp.max(hnp.sum(hnp.abs(A), axis=-2), axis=-1)
    squarings = hnp.clip(hnp.ceil(hnp.log2(hnp.maximum(norm1, 1e-300) / theta)), 0,
                         max_squarings)
    scale = hnp.exp2(-squarings).astype(A.dtype)[..., None, None]
    A = A * scale
    eye = hnp.broadcast_to(hnp.eye(A.shape[-1], dtype=A.dtype), A.shape)
    A2 = A @ A
    A4 = A2 @ A2
    A6 = A4 @ A2
    if degree == 13:
        U = A @ (A6 @ (b[13] * A6 + b[11] * A4 + b[9] * A2) + b[7] * A6 + b[5] * A4
                 + b[3] * A2 + b[1] * eye)
        V = A6 @ (b[12] * A6 + b[10] * A4 + b[8] * A2) + b[6] * A6 + b[4] * A4 + b[2] * A2 \
            + b[0] * eye
    else:
        U = A @ (b[7] * A6 + b[5] * A4 + b[3] * A2 + b[1] * eye)
        V = b[6] * A6 + b[4] * A4 + b[2] * A2 + b[0] * eye
    R = numpy_linalg.solve(V - U, V + U)
    count = squarings[..., None, None]

    def square(i, R):
        return hnp.where(i < count, R @ R, R)

    return fori_loop(0, max_squarings, square, R)
