"""JAX's LAPACK custom calls (lapack_*_ffi) on the cpu backend (hlox_rt_lapack_* over
scipy's LAPACK) and the interpreter, against JAX: programs of jax.numpy.linalg and
jax.scipy.linalg, lowered by JAX as a user hands them over, over float32/64,
complex64/128, batch dimensions and non-square shapes.

Tolerance: max |hlox - jax| <= tol * max(1, max |jax|), tol 2e-4 (32-bit) / 1e-10
(64-bit): the same LAPACK routines, but on matrices we transpose for them and
through JAX's own post-processing, so results agree to a few ulps of the
condition-scaled error.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

jax = pytest.importorskip("jax")
pytest.importorskip("scipy")
import jax.numpy as jnp  # noqa: E402
import jax.scipy.linalg as jsl  # noqa: E402

import hlox  # noqa: E402
from hlox.backends.compiler import CompilationError  # noqa: E402

RNG = np.random.default_rng(0)
DTYPES = [np.float32, np.float64, np.complex64, np.complex128]


def sample(shape, dtype):
    x = RNG.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * RNG.standard_normal(shape)
    return x.astype(dtype)


def spd(batch, n, dtype):
    a = sample(batch + (n, n), dtype)
    return (a @ np.conj(np.swapaxes(a, -1, -2)) + n * np.eye(n)).astype(dtype)


def programs(dtype):
    A, G, R = spd((2,), 5, dtype), sample((2, 5, 3), dtype), sample((2, 4, 6), dtype)
    A1, R1 = spd((), 4, dtype), sample((6, 4), dtype)
    mag = lambda f: lambda *a: jnp.abs(f(*a))  # noqa: E731  (vectors are defined up to a phase)
    return {
        "cholesky": (jnp.linalg.cholesky, (A,)),
        "cholesky_unbatched_upper": (lambda a: jsl.cholesky(a, lower=False), (A1,)),
        "solve": (jnp.linalg.solve, (A, G)), "inv": (jnp.linalg.inv, (A,)),
        "det": (jnp.linalg.det, (A,)), "slogdet": (lambda a: jnp.linalg.slogdet(a)[1], (A,)),
        "qr_r": (lambda r: jnp.linalg.qr(r)[1], (R,)), "qr_q": (mag(lambda r: jnp.linalg.qr(r)[0]), (R,)),
        "qr_tall_complete": (mag(lambda r: jnp.linalg.qr(r, mode="complete")[0]), (R1,)),
        "eigvalsh": (jnp.linalg.eigvalsh, (A,)), "eigh_vectors": (mag(lambda a: jnp.linalg.eigh(a)[1]), (A,)),
        "eigh_upper": (lambda a: jnp.linalg.eigh(a, UPLO="U")[0], (A1,)),
        "svdvals": (lambda r: jnp.linalg.svd(r, compute_uv=False), (R,)),
        "svd_full": (lambda r: (lambda u, s, vt: (u[..., :4] * s[..., None, :]) @ vt[..., :4, :])(
            *jnp.linalg.svd(r)), (R,)),
        "svd_reduced_tall": (lambda r: (lambda u, s, vt: (u * s) @ vt)(
            *jnp.linalg.svd(r, full_matrices=False)), (R1,)),
        "pinv": (jnp.linalg.pinv, (R,)), "lstsq": (lambda r, g: jnp.linalg.lstsq(r, g[0, :, 0])[0],
                                                  (R1.T[:5].T[:5], G)),
        "cho_solve": (lambda a, g: jsl.cho_solve(jsl.cho_factor(a[0]), g[0]), (A, G)),
        "solve_triangular": (lambda a, g: jsl.solve_triangular(a, g, lower=True, trans=1), (A, G)),
        "solve_triangular_right": (lambda a, g: jax.lax.linalg.triangular_solve(
            a, jnp.swapaxes(g, -1, -2), left_side=False, lower=False, transpose_a=True,
            conjugate_a=True, unit_diagonal=True), (A, G)),
        "lu": (lambda r: jax.lax.linalg.lu(r)[0], (R,)), "lu_pivots": (lambda r: jax.lax.linalg.lu(r)[1:], (R1,)),
        "lu_solve": (lambda a, g: jsl.lu_solve(jsl.lu_factor(a), g), (A1, G[0, :4])),
        "expm": (lambda a: jsl.expm(a / 10), (A1,)),
        # Two solves with one matrix and work in between: the matrix's buffer must
        # not be reused before the second solve reads it.
        "solve_triangular_grad": (jax.grad(lambda b, a: jnp.real(jsl.solve_triangular(
            a[0] + b[0, 0], b, lower=True) * b).sum()), (G[0, :, :].real.copy(), A.real.copy())),
    }


def check(name, fn, args, backend, dtype):
    lowered = jax.jit(fn).lower(*args)
    want = jax.tree_util.tree_leaves(jax.jit(fn)(*args))
    got = hlox.compile_stablehlo(lowered.as_text(), backend=backend)(*args)
    tol = 2e-4 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-10
    assert len(got) == len(want)
    for g, w in zip(got, want):
        g, w = np.asarray(g), np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype, (name, g.dtype, w.dtype)
        if w.dtype.kind in "iub":
            np.testing.assert_array_equal(g, w, err_msg=name)
        else:
            np.testing.assert_array_equal(np.isnan(g), np.isnan(w), err_msg=name)
            g, w = np.nan_to_num(g), np.nan_to_num(w)
            scale = max(1.0, float(np.abs(w).max(initial=0.0)))
            assert np.abs(g - w).max(initial=0.0) <= tol * scale, (name, backend)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("backend", ["cpu", "interpreter"])
def test_linalg_programs_match_jax(backend, dtype):
    wide = np.dtype(dtype) in (np.float64, np.complex128)
    with jax.enable_x64(wide):
        for name, (fn, args) in programs(dtype).items():
            check(name, fn, args, backend, dtype)


def test_not_positive_definite_gives_jax_nans():
    with jax.enable_x64(True):
        a = -spd((3,), 4, np.float64)
        a[1] = spd((), 4, np.float64)
        assert np.isfinite(np.asarray(jnp.linalg.cholesky(a))[1]).all()
        check("cholesky_failure", jnp.linalg.cholesky, (a,), "cpu", np.float64)


def test_empty_and_one_by_one():
    with jax.enable_x64(True):
        for n in (0, 1):
            a = spd((2,), n, np.float64)
            for name, fn in [("cholesky", jnp.linalg.cholesky), ("inv", jnp.linalg.inv),
                             ("eigvalsh", jnp.linalg.eigvalsh), ("det", jnp.linalg.det)]:
                check(f"{name}_{n}", fn, (a,), "cpu", np.float64)


def test_lapack_call_in_an_artifact(tmp_path):
    # A fresh process: loading the artifact hands scipy's LAPACK to the runtime library.
    with jax.enable_x64(True):
        a = spd((2,), 5, np.float64)
        text = jax.jit(jnp.linalg.inv).lower(a).as_text()
    (tmp_path / "inv.hlox").write_bytes(hlox.compile_stablehlo(text, backend="cpu").serialize())
    np.save(tmp_path / "a.npy", a)
    script = ("import sys, numpy as np, hlox; g = hlox.deserialize(open(sys.argv[1], 'rb').read()); "
              "np.save(sys.argv[3], np.asarray(g(np.load(sys.argv[2]))[0]))")
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "inv.hlox"),
                    str(tmp_path / "a.npy"), str(tmp_path / "out.npy")], check=True)
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), np.linalg.inv(a), rtol=1e-10,
                               atol=1e-12)


ROW_MAJOR_POTRF = """
func.func @main(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0:2 = stablehlo.custom_call @lapack_spotrf_ffi(%a) {mhlo.backend_config = {uplo = 76 : ui8},
    operand_layouts = [dense<[1, 0]> : tensor<2xindex>],
    result_layouts = [dense<[1, 0]> : tensor<2xindex>, dense<> : tensor<0xindex>]}
    : (tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<i32>)
  return %0#0 : tensor<4x4xf32>
}
"""


def test_other_layouts_are_refused_by_name():
    with pytest.raises(CompilationError, match=r"lapack_spotrf_ffi needs JAX's layouts"):
        hlox.compile_stablehlo(ROW_MAJOR_POTRF, backend="cpu")
    one_result = """
func.func @main(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = stablehlo.custom_call @lapack_spotrf_ffi(%a) {mhlo.backend_config = {uplo = 76 : ui8},
    operand_layouts = [dense<[0, 1]> : tensor<2xindex>],
    result_layouts = [dense<[0, 1]> : tensor<2xindex>]} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
"""
    with pytest.raises(CompilationError, match=r"takes 1 operands and gives 2 results"):
        hlox.compile_stablehlo(one_result, backend="cpu")
