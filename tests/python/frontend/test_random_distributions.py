"""hlox.random's gamma, loggamma, beta, dirichlet, poisson, laplace, multivariate_normal
and orthogonal against jax.random: the same key gives JAX's samples (they follow JAX's
algorithms on the same threefry streams; float results within a few ulps, as the math
functions differ in their last bits), JAX's shapes and dtypes, and the distributions'
moments on large samples."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
import hlox.random as hr

from test_numpy_api_extras import compare

pytestmark = pytest.mark.usefixtures("x64")

# Rejection samplers feed the last bits of log/pow/sqrt back into their accept tests: a
# sample may move by a few ulps more than one elementwise op would.
SAMPLE_TOL = {np.dtype(np.float32): dict(rtol=2e-5, atol=1e-6),
              np.dtype(np.float64): dict(rtol=1e-12, atol=1e-13),
              np.dtype(np.float16): dict(rtol=4e-3, atol=4e-3)}


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16],
                         ids=lambda d: np.dtype(d).name)
def test_same_samples_as_jax(dtype):
    a = np.array([0.2, 1.0, 3.5], dtype)
    alpha = np.array([0.5, 1.0, 4.0], dtype)
    for name, ours in [
        ("laplace", lambda r, k: r.laplace(k, (40, 3), dtype)),
        ("gamma", lambda r, k: r.gamma(k, a, (20, 3), dtype)),
        ("gamma_scalar", lambda r, k: r.gamma(k, 0.7, (15,), dtype)),
        ("gamma_default_shape", lambda r, k: r.gamma(k, a, dtype=dtype)),
        ("loggamma", lambda r, k: r.loggamma(k, a, (20, 3), dtype)),
        ("beta", lambda r, k: r.beta(k, 0.5, a, (10, 3), dtype)),
        ("dirichlet", lambda r, k: r.dirichlet(k, alpha, (7,), dtype)),
    ]:
        if dtype != np.float32 and name not in ("gamma", "dirichlet"):
            continue  # (the other dtypes only change the element type: two samplers suffice)
        compare(ours(hr, hr.PRNGKey(11)), ours(jax.random, jax.random.PRNGKey(11)), name,
                tol=SAMPLE_TOL)
        if dtype == np.float32:
            compare(ours(hr, hr.key(12)), ours(jax.random, jax.random.key(12)),
                    name + " typed", tol=SAMPLE_TOL)


def test_poisson_is_jax_below_rate_10_and_almost_above():
    lam = np.array([0.0, 0.3, 2.0, 9.5, 10.0, 40.0, 1000.0], np.float32)
    ours = np.asarray(hr.poisson(hr.PRNGKey(5), lam, (200, 7)))
    theirs = np.asarray(jax.random.poisson(jax.random.PRNGKey(5), lam, (200, 7)))
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    # Knuth's method (rate < 10) multiplies uniforms: the same integers
    np.testing.assert_array_equal(ours[:, :4], theirs[:, :4])
    # above, an accept test compares lgamma(k + 1) with k * log(rate) - rate (large and
    # nearly equal): a last-bit difference of lgamma can flip a rare decision
    assert np.mean(ours[:, 4:] == theirs[:, 4:]) > 0.98
    compare(hr.poisson(hr.key(1), 3.0, (4,), np.int16),
            jax.random.poisson(jax.random.key(1), 3.0, (4,), np.int16))


def test_moments():
    n = 20000
    g = np.asarray(hr.gamma(hr.PRNGKey(0), 2.5, (n,)))
    assert abs(g.mean() - 2.5) < 0.05 and abs(g.var() - 2.5) < 0.15
    b = np.asarray(hr.beta(hr.PRNGKey(1), 2.0, 3.0, (n,)))
    assert abs(b.mean() - 0.4) < 0.01 and abs(b.var() - 0.04) < 0.003
    p = np.asarray(hr.poisson(hr.PRNGKey(2), 25.0, (n,)))
    assert abs(p.mean() - 25) < 0.25 and abs(p.var() - 25) < 1.5
    lap = np.asarray(hr.laplace(hr.PRNGKey(3), (n,)))
    assert abs(lap.mean()) < 0.05 and abs(lap.var() - 2) < 0.1
    d = np.asarray(hr.dirichlet(hr.PRNGKey(4), np.array([1.0, 2.0, 7.0]), (n,)))
    np.testing.assert_allclose(d.sum(-1), 1, rtol=1e-5)
    np.testing.assert_allclose(d.mean(0), [0.1, 0.2, 0.7], atol=0.01)


def test_under_jit_and_vmap():
    keys = hr.split(hr.PRNGKey(3), 4)
    out = hlox.jit(hlox.vmap(lambda k: hr.gamma(k, 2.0, (3,))))(keys)
    ref = jax.vmap(lambda k: jax.random.gamma(k, 2.0, (3,)))(jax.random.split(jax.random.PRNGKey(3), 4))
    compare(out, ref, tol=SAMPLE_TOL)


def test_errors():
    with pytest.raises(ValueError, match="shape"):
        hr.gamma(hr.PRNGKey(0), np.ones(3), (2,))
    with pytest.raises(TypeError, match="integer"):
        hr.poisson(hr.PRNGKey(0), 1.0, (2,), np.float32)
    with pytest.raises(ValueError, match="ndim"):
        hr.dirichlet(hr.PRNGKey(0), 1.0)
    with pytest.raises(ValueError, match="cov"):
        hr.multivariate_normal(hr.PRNGKey(0), np.zeros(3), np.eye(2))
    # no silent wrong derivative through the rejection loop
    for sample in (lambda a: hr.gamma(hr.PRNGKey(0), a, (3,)),
                   lambda a: hr.beta(hr.PRNGKey(0), a, 2.0, (3,))):
        with pytest.raises(NotImplementedError, match="derivative"):
            hlox.grad(lambda a: sample(a).sum())(np.float32(2.0))
        with pytest.raises(NotImplementedError, match="derivative"):
            hlox.jvp(sample, (np.float32(2.0),), (np.float32(1.0),))


@pytest.mark.parametrize("method", ["cholesky", "eigh", "svd"])
def test_multivariate_normal(method):
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 3)).astype(np.float32)
    cov = a @ a.T + 3 * np.eye(3, dtype=np.float32)
    mean = np.array([1.0, -2.0, 0.5], np.float32)
    compare(hr.multivariate_normal(hr.PRNGKey(1), mean, cov, (5,), method=method),
            jax.random.multivariate_normal(jax.random.PRNGKey(1), mean, cov, (5,),
                                           method=method), tol={np.dtype(np.float32): dict(
                                               rtol=1e-4, atol=1e-5)})


@pytest.mark.parametrize("n,m", [(4, 4), (5, 3), (3, 5)])
def test_orthogonal(n, m):
    q = np.asarray(hr.orthogonal(hr.PRNGKey(2), n, (2,), m=m))
    ref = np.asarray(jax.random.orthogonal(jax.random.PRNGKey(2), n, (2,), m=m))
    assert q.shape == ref.shape == (2, n, m)
    np.testing.assert_allclose(q, ref, rtol=1e-4, atol=1e-5)
    small = min(n, m)
    gram = q.swapaxes(-1, -2) @ q if n >= m else q @ q.swapaxes(-1, -2)
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(small), gram.shape), atol=1e-5)
