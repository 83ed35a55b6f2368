"""Issue 14's jax.numpy names against jax.numpy: values over shapes and dtypes (under
jit, and eagerly), gradients where differentiable, and the errors for bad arguments.

Each case is written once against a module ``m`` (``hlox.numpy`` or ``jax.numpy``) and
runs in one ``hlox.jit`` / ``jax.jit`` per dtype. Tolerances: float32 rtol 1e-5/atol
1e-6 (sums in another order), float64 1e-12, 16-bit floats a few ulps; integers and
bools exact.
"""

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

pytestmark = pytest.mark.usefixtures("x64")

TOL = {np.dtype(np.float32): dict(rtol=1e-5, atol=1e-6),
       np.dtype(np.float64): dict(rtol=1e-12, atol=1e-12),
       np.dtype(np.float16): dict(rtol=4e-3, atol=4e-3),
       np.dtype(ml_dtypes.bfloat16): dict(rtol=3e-2, atol=3e-2)}
FLOATS = [np.float32, np.float64]


def compare(actual, expected, where="", tol=None):
    la, lb = jax.tree_util.tree_leaves(actual), jax.tree_util.tree_leaves(expected)
    assert len(la) == len(lb), where
    for a, e in zip(la, lb):
        a, e = np.asarray(a), np.asarray(e)
        assert (a.dtype, a.shape) == (e.dtype, e.shape), (where, a.dtype, a.shape, e.dtype,
                                                          e.shape)
        t = (tol or TOL).get(a.dtype)
        if t is None:
            np.testing.assert_array_equal(a, e, err_msg=where)
        else:
            np.testing.assert_allclose(a.astype(np.float64), e.astype(np.float64),
                                       err_msg=where, **t)


def rand(shape, dtype, seed=0, low=-3, high=3):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "iu":
        return rng.integers(low, high, size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


def both(case, *args):
    """``case(m, *args)`` under hlox.jit and jax.jit, compared."""
    out = hlox.jit(lambda *a: case(hnp, *a))(*args)
    ref = jax.jit(lambda *a: case(jnp, *a))(*args)
    compare(out, ref)


def with_specials(x):
    x = x.copy()
    x.flat[0], x.flat[1], x.flat[2] = np.nan, np.inf, -np.inf
    return x


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.int32],
                         ids=lambda d: np.dtype(d).name)
def test_closeness(dtype):
    a = rand((4, 5), dtype)
    b = (a + rand((4, 5), dtype, seed=1, low=0, high=2) * (1e-6 if np.dtype(dtype).kind == "f"
                                                            else 1)).astype(dtype)
    if np.dtype(dtype).kind == "f":
        a, b = with_specials(a), with_specials(b)
        b.flat[3] = np.inf
    both(lambda m, a, b: {
        "isclose": m.isclose(a, b), "isclose_nan": m.isclose(a, b, equal_nan=True),
        "isclose_tol": m.isclose(a, b, rtol=0.1, atol=0.5),
        "allclose": m.allclose(a, b), "allclose_self": m.allclose(a, a, equal_nan=True),
        "array_equal": m.array_equal(a, b), "array_equal_nan": m.array_equal(a, a, equal_nan=True),
        "array_equal_nonan": m.array_equal(a, a)}, a, b)


def test_array_equal_shapes_and_scalars():
    assert not bool(hnp.array_equal(np.ones(3), np.ones(4)))
    assert bool(hnp.array_equal(2, 2.0)) == bool(jnp.array_equal(2, 2.0))
    assert bool(hnp.allclose(1.0, 1.0 + 1e-9)) and not bool(hnp.allclose(1.0, 1.1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, np.int32],
                         ids=lambda d: np.dtype(d).name)
def test_nan_to_num_and_select(dtype):
    x = rand((3, 6), dtype)
    if np.dtype(dtype).kind == "f":
        x = with_specials(x)
    both(lambda m, x: {
        "default": m.nan_to_num(x), "given": m.nan_to_num(x, nan=-1.0, posinf=7, neginf=-7),
        "select": m.select([x > 1, x < -1], [x, 2 * x], -5),
        "select_default": m.select([x > 0], [x]),
        "select_scalar_choice": m.select([x > 0, x < 0], [1, x])}, x)


@pytest.mark.parametrize("dtype", FLOATS + [np.int32], ids=lambda d: np.dtype(d).name)
def test_meshgrid_diag_kron(dtype):
    a, b, c = rand((3,), dtype), rand((4,), dtype, 1), rand((2,), dtype, 2)
    mat = rand((4, 5), dtype, 3)
    both(lambda m, a, b, c, mat: {
        **{f"grid_{i}_{s}": m.meshgrid(a, b, c, indexing=i, sparse=s)
           for i in ("xy", "ij") for s in (False, True)},
        "grid2": m.meshgrid(a, b), "grid1": m.meshgrid(a),
        **{f"diag{k}": m.diag(a, k) for k in (-2, 0, 1)},
        **{f"diagm{k}": m.diag(mat, k) for k in (-3, 0, 2)},
        "kron": m.kron(mat[:2, :3], a), "kron2": m.kron(mat[:2], mat[:3, :2]),
        "kron_scalar": m.kron(a[0], mat)}, a, b, c, mat)


@pytest.mark.parametrize("dtype", FLOATS + [np.int32], ids=lambda d: np.dtype(d).name)
def test_convolve(dtype):
    a, v, w = rand((9,), dtype), rand((4,), dtype, 1), rand((1,), dtype, 2)
    both(lambda m, a, v, w: {
        **{f"conv_{mode}": m.convolve(a, v, mode) for mode in ("full", "same", "valid")},
        **{f"conv_swapped_{mode}": m.convolve(v, a, mode) for mode in ("full", "same", "valid")},
        **{f"corr_{mode}": m.correlate(a, v, mode) for mode in ("full", "same", "valid")},
        **{f"corr_swapped_{mode}": m.correlate(v, a, mode)
           for mode in ("full", "same", "valid")},
        "conv_one": m.convolve(a, w)}, a, v, w)


@pytest.mark.parametrize("dtype", FLOATS + [np.int32], ids=lambda d: np.dtype(d).name)
def test_searchsorted(dtype):
    a = np.sort(rand((13,), dtype, low=-5, high=5))
    v = rand((3, 4), dtype, 1, low=-7, high=7)
    v.flat[0] = a[3]  # ties: left and right differ
    if np.dtype(dtype).kind == "f":
        a[-1], v.flat[1] = np.nan, np.nan  # NaN sorts last
    sorter = np.argsort(a[::-1].copy(), kind="stable").astype(np.int32)
    both(lambda m, a, v, s: {
        "left": m.searchsorted(a, v), "right": m.searchsorted(a, v, side="right"),
        "scalar": m.searchsorted(a, v[0, 0]), "empty": m.searchsorted(a[:0], v),
        "one": m.searchsorted(a[:1], v),
        "sorter": m.searchsorted(a[::-1], v, sorter=s)}, a, v, sorter)


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
def test_interp(dtype):
    xp = np.sort(rand((8,), dtype, low=-2, high=2))
    xp[3] = xp[2]  # a zero-width interval
    fp, x = rand((8,), dtype, 1), rand((3, 5), dtype, 2, low=-3, high=3)
    x.flat[0] = xp[2]
    both(lambda m, x, xp, fp: {
        "plain": m.interp(x, xp, fp), "lr": m.interp(x, xp, fp, left=-9.0, right=9.0),
        "extrapolate": m.interp(x, xp, fp, left="extrapolate", right="extrapolate"),
        "period": m.interp(x, xp, fp, period=1.7)}, x, xp, fp)
    grad = lambda m, g, jit: jit(g(lambda x, fp: (m.interp(x, xp, fp) ** 2).sum(),  # noqa: E731
                                   argnums=(0, 1)))(x, fp)
    compare(grad(hnp, hlox.grad, hlox.jit), grad(jnp, jax.grad, jax.jit))


@pytest.mark.parametrize("dtype", FLOATS + [np.float16, np.int32], ids=lambda d: np.dtype(d).name)
def test_quantiles(dtype):
    a = rand((5, 6), dtype)
    nan_a = a.astype(np.float32 if np.dtype(dtype).kind != "f" else dtype)
    nan_a[1, 2] = nan_a[3, 0] = np.nan
    q = np.array([0.0, 0.1, 0.5, 0.93, 1.0], np.float32 if dtype != np.float64 else dtype)
    methods = ("linear", "lower", "higher", "midpoint", "nearest")
    both(lambda m, a, b, q: {
        **{f"q_{meth}": m.quantile(a, q, 1, method=meth) for meth in methods},
        **{f"q_{ax}_{kd}": m.quantile(a, q, ax, keepdims=kd)
           for ax in (None, 0, (0, 1), -1) for kd in (False, True)},
        "q_nearest_keep": m.quantile(a, q, (1, 0), method="nearest", keepdims=True),
        "q_scalar": m.quantile(a, 0.3), "p": m.percentile(a, 37.5, axis=1),
        "p_vec": m.percentile(a, q * 100, axis=0), "median": m.median(a),
        "median_ax": m.median(a, axis=1, keepdims=True), "median_nan": m.median(b, axis=0),
        "nanmedian": m.nanmedian(b, axis=0), "nanmedian_all": m.nanmedian(b),
        "nanquantile": m.nanquantile(b, q, axis=1),
        "nanpercentile": m.nanpercentile(b, 50.0)}, a, nan_a, q)


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
def test_quantile_gradients(dtype):
    a = rand((4, 7), dtype)
    for name, f in [("median", lambda m, a: m.median(a, axis=1)),
                    ("quantile", lambda m, a: m.quantile(a, 0.3, axis=0)),
                    ("nanmedian", lambda m, a: m.nanmedian(a))]:
        g = lambda m, grad, jit: jit(grad(lambda a: (f(m, a) ** 2).sum()))(a)  # noqa: E731
        compare(g(hnp, hlox.grad, hlox.jit), g(jnp, jax.grad, jax.jit), name)


@pytest.mark.parametrize("dtype", FLOATS + [np.int32], ids=lambda d: np.dtype(d).name)
def test_cov(dtype):
    x = rand((3, 7), dtype)
    fw = np.array([1, 2, 1, 3, 1, 1, 2], np.int32)
    aw = rand((7,), np.float32 if dtype != np.float64 else dtype, 1, 0.1, 2)
    both(lambda m, x, fw, aw: {
        "plain": m.cov(x), "T": m.cov(x.T, rowvar=False), "y": m.cov(x[0], x[1]),
        "bias": m.cov(x, bias=True), "ddof": m.cov(x, ddof=3), "one": m.cov(x[0]),
        "fw": m.cov(x, fweights=fw), "aw": m.cov(x, aweights=aw),
        "both": m.cov(x, fweights=fw, aweights=aw), "both_bias": m.cov(x, aweights=aw, bias=True),
        "2d_y": m.cov(x[:2], x[2:])}, x, fw, aw)
    if np.dtype(dtype).kind == "f":
        g = lambda m, grad, jit: jit(grad(lambda x: (m.cov(x, aweights=aw) ** 2).sum()))(x)  # noqa: E731
        compare(g(hnp, hlox.grad, hlox.jit), g(jnp, jax.grad, jax.jit))


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint8], ids=lambda d: np.dtype(d).name)
def test_unique(dtype):
    x = rand((4, 5), dtype, low=0, high=6)
    flags = dict(return_index=True, return_inverse=True, return_counts=True)
    for kw in [{}, flags]:
        compare(hnp.unique(x, **kw), jnp.unique(x, **kw), f"eager {kw}")
    sized = [(3, None), (9, None), (9, 7)]
    both(lambda m, x: {f"{size}_{fill}": m.unique(x, size=size, fill_value=fill, **flags)
                       for size, fill in sized}
         | {"plain": m.unique(x, size=9), "counts": m.unique(x, size=4, return_counts=True)}, x)
    if np.dtype(dtype).kind == "f":
        y = x.copy()
        y.flat[:3] = np.nan
        for nan in (True, False):
            compare(hnp.unique(y, equal_nan=nan, **flags), jnp.unique(y, equal_nan=nan, **flags))


def test_unique_needs_size_under_jit():
    with pytest.raises(TypeError, match="size="):
        hlox.jit(hnp.unique)(np.arange(3))
    with pytest.raises(NotImplementedError, match="axis"):
        hnp.unique(np.ones((2, 2)), axis=0)


def test_vectorize():
    a, b = rand((4, 5), np.float32), rand((5,), np.float32, 1)
    f = lambda x, y: x * y + 1  # noqa: E731
    compare(hnp.vectorize(f)(a, b), jnp.vectorize(f)(a, b))
    g = lambda x, y: (x @ y, x.sum())  # noqa: E731
    compare(hnp.vectorize(g, signature="(n),(n)->(),()")(a, b),
            jnp.vectorize(g, signature="(n),(n)->(),()")(a, b))
    h = lambda x, y: x[:, None] * y  # noqa: E731
    compare(hlox.jit(hnp.vectorize(h, signature="(n),(m)->(n,m)"))(a, b[:3]),
            jnp.vectorize(h, signature="(n),(m)->(n,m)")(a, b[:3]))
    scale = lambda x, s: x * s  # noqa: E731
    compare(hnp.vectorize(scale, excluded={1})(a, 3.0), jnp.vectorize(scale, excluded={1})(a, 3.0))
    with pytest.raises(ValueError, match="inconsistent size"):
        hnp.vectorize(g, signature="(n),(n)->(),()")(a, b[:3])


@pytest.mark.parametrize("call,error,match", [
    (lambda: hnp.convolve(np.ones((2, 2)), np.ones(2)), ValueError, "1-D"),
    (lambda: hnp.convolve(np.ones(3), np.ones(2), "bad"), ValueError, "mode"),
    (lambda: hnp.searchsorted(np.ones((2, 2)), 1.0), ValueError, "1-D"),
    (lambda: hnp.interp(1.0, np.ones(3), np.ones(4)), ValueError, "equal size"),
    (lambda: hnp.quantile(np.ones(3), 0.5, method="bad"), ValueError, "method"),
    (lambda: hnp.quantile(np.ones(3), np.ones((2, 2))), ValueError, "rank"),
    (lambda: hnp.select([np.ones(2, bool)], []), ValueError, "length"),
    (lambda: hnp.meshgrid(np.ones((2, 2))), ValueError, "1-D"),
    (lambda: hnp.diag(np.ones((2, 2, 2))), ValueError, "1-D or 2-D"),
    (lambda: hnp.cov(np.ones((2, 2, 2))), ValueError, "2 dimensions"),
])
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
