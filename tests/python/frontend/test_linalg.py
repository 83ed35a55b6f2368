"""hlox.lax.linalg, hlox.numpy.linalg and hlox.scipy.linalg against JAX: values (float32/64,
complex64/128, batch dimensions, non-square shapes; eager, jit on cpu, the interpreter),
gradients against JAX and finite differences, vmap, and errors for bad operands.

Tolerances: max |hlox - jax| <= tol * max(1, max |jax|), tol 1e-4 (32-bit) / 1e-9
(64-bit): the same LAPACK routines, with post-processing in possibly another order.
Eigen- and singular vectors are compared through quantities that do not depend on
their phase (|v|, u diag(s) vh).
"""

import subprocess
import sys

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl
import numpy as np
import pytest
from scipy.linalg import expm as scipy_expm

import hlox
import hlox.numpy as hnp
import hlox.scipy.linalg as hsl
from hlox import lax
from hlox.frontend.libraries.test_util import check_grads

RNG = np.random.default_rng(0)
DTYPES = [np.float32, np.float64, np.complex64, np.complex128]


def sample(shape, dtype):
    x = RNG.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * RNG.standard_normal(shape)
    return x.astype(dtype)


def spd(shape, dtype):
    """Hermitian positive-definite matrices: shape = batch + (n,)."""
    n = shape[-1]
    a = sample(shape + (n,), dtype)
    return (a @ np.conj(np.swapaxes(a, -1, -2)) + n * np.eye(n)).astype(dtype)


def leaves(x):
    return [np.asarray(v) for v in jax.tree_util.tree_leaves(x)]


def close(got, want, dtype, what):
    got, want = leaves(got), leaves(want)
    assert len(got) == len(want), what
    tol = 1e-4 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-9
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == w.dtype, (what, g.shape, w.shape, g.dtype, w.dtype)
        if w.dtype.kind in "iub":
            np.testing.assert_array_equal(g, w, err_msg=what)
        elif w.size:
            scale = max(1.0, float(np.abs(w).max()))
            assert float(np.abs(g - w).max()) <= tol * scale, (what, float(np.abs(g - w).max()))


def svd_product(mod, full):
    def f(x):
        u, s, vh = mod.linalg.svd(x, full_matrices=full)
        k = s.shape[-1]
        return (u[..., :, :k] * s[..., None, :].astype(x.dtype)) @ vh[..., :k, :]
    return f


def cases(dtype, batch):
    """name -> (hlox function, jax function, arguments)."""
    S, G, R = spd(batch + (4,), dtype), sample(batch + (4, 3), dtype), sample(batch + (5, 3), dtype)
    W = sample(batch + (3, 5), dtype)
    mag = lambda f: lambda *a: abs(f(*a))  # noqa: E731
    both = lambda f: (f(hnp, hsl, hlox.lax.linalg), f(jnp, jsl, jax.lax.linalg))  # noqa: E731
    out = {
        "cholesky": (*both(lambda n, s, l: n.linalg.cholesky), (S,)),
        "cholesky_upper": (*both(lambda n, s, l: lambda a: n.linalg.cholesky(a, upper=True)), (S,)),
        "solve": (*both(lambda n, s, l: n.linalg.solve), (S, G)),
        "inv": (*both(lambda n, s, l: n.linalg.inv), (S,)),
        "det": (*both(lambda n, s, l: n.linalg.det), (S,)),
        "slogdet": (*both(lambda n, s, l: n.linalg.slogdet), (S,)),
        "qr": (*both(lambda n, s, l: lambda a: mag(lambda b: n.linalg.qr(b)[0])(a)), (R,)),
        "qr_r": (*both(lambda n, s, l: lambda a: n.linalg.qr(a, mode="r")), (R,)),
        "qr_complete_wide": (*both(lambda n, s, l: lambda a: mag(lambda b: n.linalg.qr(b, mode="complete")[1])(a)), (W,)),
        "eigh": (*both(lambda n, s, l: lambda a: (n.linalg.eigh(a)[0], abs(n.linalg.eigh(a)[1]))), (S,)),
        "eigvalsh_upper": (*both(lambda n, s, l: lambda a: n.linalg.eigvalsh(a, UPLO="U")), (S,)),
        "svd_full": (svd_product(hnp, True), svd_product(jnp, True), (R,)),
        "svd_reduced": (svd_product(hnp, False), svd_product(jnp, False), (W,)),
        "svdvals": (*both(lambda n, s, l: lambda a: n.linalg.svd(a, compute_uv=False)), (R,)),
        "pinv": (*both(lambda n, s, l: n.linalg.pinv), (R,)),
        "matrix_power": (*both(lambda n, s, l: lambda a: n.linalg.matrix_power(a, 3)), (S,)),
        "matrix_power_neg": (*both(lambda n, s, l: lambda a: n.linalg.matrix_power(a, -2)), (S,)),
        "matrix_rank": (*both(lambda n, s, l: n.linalg.matrix_rank), (R,)),
        "sp_cholesky": (*both(lambda n, s, l: s.cholesky), (S,)),
        "cho_solve": (*both(lambda n, s, l: lambda a, b: s.cho_solve(s.cho_factor(a), b)), (S, G)),
        "cho_solve_lower": (*both(lambda n, s, l: lambda a, b: s.cho_solve(s.cho_factor(a, lower=True), b)), (S, G)),
        "solve_triangular": (*both(lambda n, s, l: lambda a, b: s.solve_triangular(a, b, trans="C", unit_diagonal=True)), (S, G)),
        "lax_lu": (*both(lambda n, s, l: l.lu), (W,)),
        "lax_triangular_solve": (*both(lambda n, s, l: lambda a, b: l.triangular_solve(
            a, b, left_side=False, lower=True, transpose_a=True, conjugate_a=True)), (S, np.swapaxes(G, -1, -2))),
    }
    if not batch:  # scipy's lu/lu_factor/lu_solve and lstsq take single matrices in JAX
        out.update({
            "lu": (*both(lambda n, s, l: s.lu), (R,)),
            "lu_permute_l": (*both(lambda n, s, l: lambda a: s.lu(a, permute_l=True)), (W,)),

            "lu_solve": (*both(lambda n, s, l: lambda a, b: s.lu_solve(s.lu_factor(a), b)), (S, G)),
            "lu_solve_trans": (*both(lambda n, s, l: lambda a, b: s.lu_solve(s.lu_factor(a), b, trans=2)), (S, G)),
            "lstsq": (*both(lambda n, s, l: lambda a, b: n.linalg.lstsq(a, b)[:3]), (R, R[:, 0])),
            "solve_vector": (*both(lambda n, s, l: n.linalg.solve), (S, G[:, 0])),
            # expm against SciPy in 64-bit (JAX's complex64 expm is the less accurate one)
            "expm": (lambda a: hsl.expm(a / 4), lambda a: np.asarray(scipy_expm(
                np.asarray(a).astype(np.complex128) / 4), a.dtype) if np.iscomplexobj(a) else
                scipy_expm(np.asarray(a, np.float64) / 4).astype(a.dtype), (S,)),
        })
    return out


@pytest.mark.parametrize("batch", [(), (2, 1)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_values_match_jax(dtype, batch):
    wide = np.dtype(dtype) in (np.float64, np.complex128)
    with jax.enable_x64(wide), hlox.enable_x64(wide):
        for name, (ours, theirs, args) in cases(dtype, batch).items():
            close(hlox.jit(ours)(*args), theirs(*args), dtype, f"{name} jit")


def test_eager_values_match_jax():
    for name, (ours, theirs, args) in cases(np.float32, (2,)).items():
        close(ours(*args), theirs(*args), np.float32, f"{name} eager")


def test_values_on_the_interpreter():
    with jax.enable_x64(True), hlox.enable_x64(True):
        for name, (ours, theirs, args) in cases(np.float64, (2,)).items():
            close(hlox.jit(ours, backend="interpreter")(*args), theirs(*args), np.float64, name)


def grad_cases():
    S, G, R = spd((2, 4), np.float64), sample((2, 4, 3), np.float64), sample((5, 3), np.float64)
    w4, w3 = sample((2, 4, 4), np.float64), sample((2, 4, 3), np.float64)
    def both(f):
        return f(hnp, hsl, hlox.lax.linalg), f(jnp, jsl, jax.lax.linalg)
    return {
        "cholesky": (*both(lambda n, s, l: lambda a: (n.linalg.cholesky(a) * w4).sum()), (S,)),
        "solve": (*both(lambda n, s, l: lambda a, b: (n.linalg.solve(a, b) * w3).sum()), (S, G)),
        "inv": (*both(lambda n, s, l: lambda a: (n.linalg.inv(a) * w4).sum()), (S,)),
        "det": (*both(lambda n, s, l: lambda a: n.linalg.det(a).sum()), (S,)),
        "slogdet": (*both(lambda n, s, l: lambda a: n.linalg.slogdet(a)[1].sum()), (S,)),
        "qr": (*both(lambda n, s, l: lambda a: (n.linalg.qr(a)[1] ** 2 * w3[0, :3]).sum()
                     + (n.linalg.qr(a)[0] ** 2 * w3[0, 0]).sum()), (R,)),
        "eigh": (*both(lambda n, s, l: lambda a: (n.linalg.eigh(a)[0] * w4[..., 0]).sum()
                       + (n.linalg.eigh(a)[1] ** 2 * w4).sum()), (S,)),
        "svd": (*both(lambda n, s, l: lambda a: (n.linalg.svd(a, compute_uv=False) ** 2).sum()
                      + (n.linalg.svd(a, full_matrices=False)[0] ** 2 * w3[0, 0]).sum()), (R,)),
        "pinv": (*both(lambda n, s, l: lambda a: (n.linalg.pinv(a) ** 2).sum()), (R,)),
        "cho_solve": (*both(lambda n, s, l: lambda a, b: (s.cho_solve(s.cho_factor(a), b) * w3).sum()), (S, G)),
        "solve_triangular": (*both(lambda n, s, l: lambda a, b: (s.solve_triangular(a, b, lower=True) * w3).sum()), (S, G)),
        "lu": (*both(lambda n, s, l: lambda a: (l.lu(a)[0] * w4).sum()), (S,)),
        "expm": (*both(lambda n, s, l: lambda a: (s.expm(a[0] / 4) * w4[0]).sum()), (S,)),
        "matrix_power": (*both(lambda n, s, l: lambda a: (n.linalg.matrix_power(a, 3) * w4).sum()), (S,)),
    }


def test_gradients_match_jax():
    with jax.enable_x64(True), hlox.enable_x64(True):
        for name, (ours, theirs, args) in grad_cases().items():
            argnums = tuple(range(len(args)))
            close(hlox.grad(ours, argnums)(*args), jax.grad(theirs, argnums)(*args), np.float64,
                  name)


def test_gradients_match_finite_differences():
    with hlox.enable_x64(True):
        S, G = spd((4,), np.float64), sample((4, 2), np.float64)
        check_grads(lambda a: hnp.linalg.cholesky(a + a.T), (S,), order=2)
        check_grads(hnp.linalg.solve, (S, G), order=1)
        check_grads(lambda a: hnp.linalg.eigh(a + a.T)[0], (S,), order=1)
        check_grads(lambda a: hnp.linalg.svd(a, compute_uv=False), (G,), order=1)
        check_grads(lambda a: hnp.linalg.slogdet(a)[1], (S,), order=1)


def test_vmap_matches_jax():
    with jax.enable_x64(True), hlox.enable_x64(True):
        S, G = spd((3, 4), np.float64), sample((4, 2), np.float64)
        close(hlox.vmap(hnp.linalg.solve, in_axes=(0, None))(S, G),
              jax.vmap(jnp.linalg.solve, in_axes=(0, None))(S, G), np.float64, "solve")
        close(hlox.vmap(lambda a: hnp.linalg.eigh(a)[0])(S), jax.vmap(lambda a: jnp.linalg.eigh(a)[0])(S),
              np.float64, "eigh")
        close(hlox.vmap(hsl.cho_solve, in_axes=((0, None), None))((np.linalg.cholesky(S), True), G),
              jax.vmap(jsl.cho_solve, in_axes=((0, None), None))((np.linalg.cholesky(S), True), G),
              np.float64, "cho_solve")


def test_bad_operands_raise_clearly():
    with pytest.raises(ValueError, match="square"):
        hnp.linalg.cholesky(np.ones((3, 4), np.float32))
    with pytest.raises(ValueError, match="rank >= 2"):
        hnp.linalg.inv(np.ones(3, np.float32))
    with pytest.raises(ValueError, match="does not fit"):
        hnp.linalg.solve(np.eye(3, dtype=np.float32), np.ones((4, 2), np.float32))
    with pytest.raises(ValueError, match="mode"):
        hnp.linalg.qr(np.eye(3, dtype=np.float32), mode="raw")
    with pytest.raises(ValueError, match="trans"):
        hsl.solve_triangular(np.eye(3, dtype=np.float32), np.ones(3, np.float32), trans=3)
    with pytest.raises(Exception, match="square matrices"):
        lax.linalg.eigh(np.ones((2, 3), np.float32))
    # Integers are computed in floating point, as JAX does.
    close(hnp.linalg.det(np.eye(3, dtype=np.int32) * 2), jnp.linalg.det(np.eye(3, dtype=np.int32) * 2),
          np.float32, "det of ints")


def test_pjrt_runs_the_calls_in_a_fresh_process():
    # A process where JAX never lowered a linear-algebra op: the pjrt backend must
    # initialize jaxlib's LAPACK kernels itself (they crashed the process otherwise).
    script = (
        "import numpy as np, hlox, hlox.numpy as hnp\n"
        "a = np.random.default_rng(0).standard_normal((3, 3)).astype(np.float32)\n"
        "s = a @ a.T + 3 * np.eye(3, dtype=np.float32)\n"
        "got = hlox.jit(lambda s: (hnp.linalg.cholesky(s), hnp.linalg.svd(s, compute_uv=False)),"
        " backend='pjrt')(s)\n"
        "np.testing.assert_allclose(got[0], np.linalg.cholesky(s), rtol=1e-5, atol=1e-5)\n"
        "np.testing.assert_allclose(got[1], np.linalg.svd(s, compute_uv=False), rtol=1e-5)\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=300)
