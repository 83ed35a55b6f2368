"""Primitives that are JAX's CPU LAPACK custom calls (``lapack_<p><op>_ffi``), one place each,
plus ``triangular_solve``, the linear one the linear-algebra rules are built from.

Each is emitted as the ``stablehlo.custom_call`` jaxlib's CPU kernels take (the same
target, operand/result layouts: matrices column-major, ``mhlo.backend_config``,
output aliases), so programs traced by hlox and programs lowered by JAX take one path:
the cpu backend runs them through its runtime library (scipy's LAPACK), the
interpreter with scipy, pjrt hands them to XLA. They compute what LAPACK computes
(raw factorizations, info codes); :mod:`hlox.frontend.libraries.linalg` builds JAX's
``lax.linalg`` and its derivative rules on them. All take leading batch dimensions;
their batching rules keep the batch axis in front.
"""

from __future__ import annotations

import numpy as np
from mlir import ir

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import Primitive, ShapedArray, get_aval, is_undefined_primal, shape_error
from hlox.frontend.lax import base as lax
from hlox.frontend.lax import complex_parts
from hlox.frontend.lax.base import _bcast_front, _batch_size
from hlox.frontend.lax.bits import broadcasted_iota

__all__: list[str] = []  # hlox.lax.linalg (frontend/libraries/linalg.py) is the API

_PREFIX = {dtypes.float32: "s", dtypes.float64: "d", dtypes.complex64: "c", dtypes.complex128: "z"}


def _check_matrix(name: str, x: ShapedArray, square: bool = True) -> None:
    if x.ndim < 2:
        raise shape_error(name, f"needs a matrix (rank >= 2) operand, got shape {x.shape}", x)
    if square and x.shape[-1] != x.shape[-2]:
        raise shape_error(name, f"needs square matrices, got shape {x.shape}", x)
    if x.dtype not in _PREFIX:
        raise shape_error(name, f"needs float32, float64, complex64 or complex128 matrices, "
                          f"got {x.dtype}", x)


def _layouts(avals, batch: int) -> ir.Attribute:
    items = []
    for a in avals:
        r = a.ndim
        dims = ([r - 2, r - 1] + list(range(r - 3, -1, -1))) if r == batch + 2 else \
            list(range(r - 1, -1, -1))
        body = ", ".join(map(str, dims))
        items.append(f"dense<[{body}]> : tensor<{r}xindex>" if r else "dense<> : tensor<0xindex>")
    return ir.Attribute.parse("[" + ", ".join(items) + "]")


def _lapack_call(ctx, op: str, operands, config: dict | None = None,
                 aliases: tuple = ((0, 0),)) -> list:
    """``custom_call @lapack_<p><op>_ffi`` as JAX emits it; ``aliases``: (result, operand)."""
    a = ctx.avals_in[0]
    batch = a.ndim - 2
    target = f"lapack_{_PREFIX[a.dtype]}{op}_ffi"
    config_text = "{" + ", ".join(f"{k} = {ord(v)} : ui8" for k, v in (config or {}).items()) + "}"
    tuple_index = "[{}]" if len(ctx.avals_out) > 1 else "[]"
    alias_items = [f"#stablehlo.output_operand_alias<output_tuple_indices = "
                   f"{tuple_index.format(r)}, operand_index = {o}, operand_tuple_indices = []>"
                   for r, o in aliases]
    attributes = {
        "call_target_name": ir.StringAttr.get(target),
        "api_version": ir.IntegerAttr.get(ir.IntegerType.get_signless(32), 1),
        "backend_config": ir.StringAttr.get(""),
        "operand_layouts": _layouts(ctx.avals_in, batch),
        "result_layouts": _layouts(ctx.avals_out, batch),
        "output_operand_aliases": ir.Attribute.parse("[" + ", ".join(alias_items) + "]"),
        "mhlo.backend_config": ir.Attribute.parse(config_text),
        "mhlo.frontend_attributes": ir.Attribute.parse(f'{{num_batch_dims = "{batch}"}}'),
    }
    return ctx.op("stablehlo.custom_call", operands, attributes)


def _front_batching(prim, **extra):
    """Batching of a primitive over leading batch dimensions: every operand batched in
    front (unbatched ones broadcast)."""
    def rule(values, dims, **params):
        size = _batch_size(values, dims)
        outs = prim.bind(*(_bcast_front(v, d, size) for v, d in zip(values, dims)), **params)
        return outs, [0] * len(outs) if prim.multiple_results else 0
    prim.def_batching(rule)


def _int32(shape):
    return ShapedArray(tuple(shape), dtypes.int32)


# -- potrf: (factor in the `uplo` triangle, the other as given; info) ---------

potrf_p = Primitive("lapack_potrf", multiple_results=True)


@potrf_p.def_abstract_eval
def _potrf_abstract_eval(a, *, lower):
    _check_matrix("cholesky", a)
    return [a.update(weak_type=False), _int32(a.shape[:-2])]


potrf_p.def_lowering(lambda ctx, a, *, lower: _lapack_call(
    ctx, "potrf", [a], {"uplo": "L" if lower else "U"}))
_front_batching(potrf_p)

# -- getrf: (LU, 1-based pivots, info) ------------------------------------------

getrf_p = Primitive("lapack_getrf", multiple_results=True)


@getrf_p.def_abstract_eval
def _getrf_abstract_eval(a):
    _check_matrix("lu", a, square=False)
    k = min(a.shape[-2:])
    return [a.update(weak_type=False), _int32(a.shape[:-2] + (k,)), _int32(a.shape[:-2])]


getrf_p.def_lowering(lambda ctx, a: _lapack_call(ctx, "getrf", [a]))
_front_batching(getrf_p)

# -- geqrf: (Householder vectors below R, taus) ----------------------------------

geqrf_p = Primitive("lapack_geqrf", multiple_results=True)


@geqrf_p.def_abstract_eval
def _geqrf_abstract_eval(a):
    _check_matrix("qr", a, square=False)
    return [a.update(weak_type=False), a.update(shape=a.shape[:-2] + (min(a.shape[-2:]),),
                                                weak_type=False)]


geqrf_p.def_lowering(lambda ctx, a: _lapack_call(ctx, "geqrf", [a]))
_front_batching(geqrf_p)

# -- orgqr / ungqr: the first n columns of the product of the reflectors ------

householder_product_p = Primitive("lapack_orgqr")


@householder_product_p.def_abstract_eval
def _orgqr_abstract_eval(a, taus):
    _check_matrix("householder_product", a, square=False)
    m, n = a.shape[-2:]
    if not (taus.ndim == a.ndim - 1 and taus.shape[:-1] == a.shape[:-2]
            and taus.shape[-1] <= n <= m and taus.dtype == a.dtype):
        raise shape_error("householder_product", "needs a (..., m, n) matrix with m >= n and "
                          "(..., k) taus of its dtype, k <= n", a, taus)
    return a.update(weak_type=False)


householder_product_p.def_lowering(lambda ctx, a, taus: _lapack_call(
    ctx, "ungqr" if dtypes.is_complex(ctx.avals_in[0].dtype) else "orgqr", [a, taus]))
_front_batching(householder_product_p)

# -- syevd / heevd: (eigenvectors, ascending eigenvalues, info) -------------------

syevd_p = Primitive("lapack_syevd", multiple_results=True)


@syevd_p.def_abstract_eval
def _syevd_abstract_eval(a, *, lower, vectors):
    _check_matrix("eigh", a)
    return [a.update(weak_type=False),
            ShapedArray(a.shape[:-1], dtypes.real_dtype(a.dtype)), _int32(a.shape[:-2])]


syevd_p.def_lowering(lambda ctx, a, *, lower, vectors: _lapack_call(
    ctx, "heevd" if dtypes.is_complex(ctx.avals_in[0].dtype) else "syevd", [a],
    {"mode": "V" if vectors else "N", "uplo": "L" if lower else "U"}))
_front_batching(syevd_p)

# -- gesdd: (destroyed input, singular values, U, V^H, info) ----------------------

gesdd_p = Primitive("lapack_gesdd", multiple_results=True)


@gesdd_p.def_abstract_eval
def _gesdd_abstract_eval(a, *, mode):
    _check_matrix("svd", a, square=False)
    m, n = a.shape[-2:]
    k, batch = min(m, n), a.shape[:-2]
    u, vt = ((m, k), (k, n)) if mode == "S" else ((m, m), (n, n))
    return [a.update(weak_type=False), ShapedArray(batch + (k,), dtypes.real_dtype(a.dtype)),
            a.update(shape=batch + u, weak_type=False), a.update(shape=batch + vt, weak_type=False),
            _int32(batch)]


gesdd_p.def_lowering(lambda ctx, a, *, mode: _lapack_call(ctx, "gesdd", [a], {"mode": mode}))
_front_batching(gesdd_p)

# ---------------------------------------------------------------------------
# triangular_solve: linear in b (JAX's rules)
# ---------------------------------------------------------------------------

triangular_solve_p = Primitive("triangular_solve")


@triangular_solve_p.def_abstract_eval
def _trsm_abstract_eval(a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    _check_matrix("triangular_solve", a)
    if b.ndim != a.ndim or b.shape[:-2] != a.shape[:-2] or b.dtype != a.dtype:
        raise shape_error("triangular_solve", "a and b need the same batch dimensions and dtype",
                          a, b)
    if b.shape[-2 if left_side else -1] != a.shape[-1]:
        raise shape_error("triangular_solve", f"b's {'rows' if left_side else 'columns'} must "
                          f"match a's size {a.shape[-1]}", a, b)
    return b.update(weak_type=False)


@triangular_solve_p.def_lowering
def _trsm_lower(ctx, a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    trans = ("C" if conjugate_a else "T") if transpose_a else "N"
    return _lapack_call(ctx, "trsm", [a, b], {
        "diag": "U" if unit_diagonal else "N", "side": "L" if left_side else "R",
        "trans_x": trans, "uplo": "L" if lower else "U"}, aliases=((0, 1),))


def _swap_last(x):
    r = get_aval(x).ndim
    return lax.transpose(x, tuple(range(r - 2)) + (r - 1, r - 2))


def _conj(x):
    return complex_parts.conj(x) if dtypes.is_complex(get_aval(x).dtype) else x


def _triangle(x, lower: bool, k: int = 0):
    """tril(x, k) (lower) or triu(x, k) of the last two dimensions."""
    aval = get_aval(x)
    rows = broadcasted_iota(dtypes.int32, aval.shape, aval.ndim - 2)
    cols = broadcasted_iota(dtypes.int32, aval.shape, aval.ndim - 1)
    diff = lax.sub(cols, rows)
    keep = lax.le(diff, np.full(aval.shape, k, np.int32)) if lower else \
        lax.ge(diff, np.full(aval.shape, k, np.int32))
    return lax.select(keep, x, np.zeros(aval.shape, aval.dtype))


def matmul(x, y):
    """Batched matrix product over equal leading dimensions."""
    r = get_aval(x).ndim
    batch = tuple(range(r - 2))
    return lax.dot_general(x, y, (((r - 1,), (r - 2,)), (batch, batch)))


@triangular_solve_p.def_jvp
def _trsm_jvp(primals, tangents, **params):
    a, b = primals
    da, db = tangents
    x = triangular_solve_p.bind(a, b, **params)
    out = None if db is None else triangular_solve(a, db, **params)
    if da is not None:
        k = 1 if params["unit_diagonal"] else 0
        g = lax.neg(_triangle(da, params["lower"], -k if params["lower"] else k))
        g = _swap_last(g) if params["transpose_a"] else g
        g = _conj(g) if params["conjugate_a"] else g
        m, n = get_aval(b).shape[-2:]
        solve = lambda rhs: triangular_solve(a, rhs, **params)  # noqa: E731
        if params["left_side"]:
            term = solve(matmul(g, x)) if m > n else matmul(solve(g), x)
        else:
            term = solve(matmul(x, g)) if m < n else matmul(x, solve(g))
        out = term if out is None else lax.add(out, term)
    return x, out


@triangular_solve_p.def_transpose
def _trsm_transpose(ct, a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    if is_undefined_primal(a) or not is_undefined_primal(b):
        raise TypeError("triangular_solve is linear in b only (the graph is not linear)")
    return [None, triangular_solve(a, ct, left_side=left_side, lower=lower,
                                   transpose_a=not transpose_a, conjugate_a=conjugate_a,
                                   unit_diagonal=unit_diagonal)]


_front_batching(triangular_solve_p)


def triangular_solve(a, b, left_side: bool = False, lower: bool = False,
                     transpose_a: bool = False, conjugate_a: bool = False,
                     unit_diagonal: bool = False):
    """Solves op(a) x = b (``left_side``) or x op(a) = b for triangular ``a``
    (``jax.lax.linalg.triangular_solve``); op transposes and/or conjugates ``a``."""
    if conjugate_a and not transpose_a:  # LAPACK has no "conjugate only": conjugate a
        a, conjugate_a = _conj(a), False
    if not dtypes.is_complex(get_aval(a).dtype):
        conjugate_a = False
    return triangular_solve_p.bind(a, b, left_side=bool(left_side), lower=bool(lower),
                                   transpose_a=bool(transpose_a), conjugate_a=bool(conjugate_a),
                                   unit_diagonal=bool(unit_diagonal))
