"""Structural lax primitives (slice, pad, concatenate, rev, dynamic_slice,
dynamic_update_slice, gather, scatter*, dot_general) against JAX.

Each case is one function written against a lax module ``L`` and run with
``jax.lax`` and ``hlox.lax`` (inside one ``hlox.jit``). Values: structural ops
move elements, so results must be exactly equal (float16 and int too);
dot_general uses MATMUL_TOLERANCES. Derivatives: ``check_grads`` (float64,
finite differences, its stated tolerances) and ``jax.grad``/``jax.vjp`` at
float32 with GRAD_TOL. vmap: ``hlox.vmap`` against a Python loop, exact.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
from hlox import lax as hlax
from hlox.frontend.libraries.test_util import check_grads

GRAD_TOL = dict(rtol=1e-5, atol=1e-5)
DOT_TOL = dict(rtol=1e-5, atol=1e-5)
rng = np.random.default_rng(0)


def rand(shape, dtype=np.float32):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.kind == "u":
        return rng.integers(0, 9, shape).astype(dtype)
    return rng.integers(-5, 6, shape).astype(dtype)


def I(*v):  # noqa: E743  (an int32 index array)
    return np.asarray(v, np.int32)


def _gdn(L, *a):
    return L.GatherDimensionNumbers(*a)


def _sdn(L, *a):
    return L.ScatterDimensionNumbers(*a)


# name -> (fn(L) -> f(*arrays), arg shapes, which args are float data (others: given))
ROWS = I(3, 0, 3)[:, None]  # duplicate rows
OOB_ROWS = I(1, 7, -3)[:, None]
POINTS = I([0, 1], [4, 5], [2, 2])
CASES = {
    "slice": (lambda L: lambda x: L.slice(x, (1, 0), (5, 6), (2, 3)), [(6, 6)]),
    "slice_in_dim": (lambda L: lambda x: L.slice_in_dim(x, 1, -1, 2, axis=1), [(3, 7)]),
    "pad": (lambda L: lambda x: L.pad(x, np.asarray(1.5, x.dtype), [(1, 2, 0), (-1, 2, 1)]),
            [(4, 3)]),
    "pad_negative_interior": (lambda L: lambda x: L.pad(x, np.asarray(0, x.dtype),
                                                       [(-2, -1, 2), (0, 0, 0)]), [(5, 2)]),
    "concatenate": (lambda L: lambda x, y: L.concatenate([x, y, x], 1), [(2, 3), (2, 1)]),
    "rev": (lambda L: lambda x: L.rev(x, (0, 2)), [(2, 3, 4)]),
    "squeeze": (lambda L: lambda x: L.squeeze(x, (0, 2)), [(1, 3, 1, 2)]),
    "expand_dims": (lambda L: lambda x: L.expand_dims(x, (0, 3)), [(3, 2)]),
    "dynamic_slice": (lambda L: lambda x: L.dynamic_slice(x, (np.int32(2), np.int32(5)), (3, 2)),
                      [(6, 6)]),  # start 5 is clamped to 4
    "dynamic_slice_negative": (lambda L: lambda x: L.dynamic_slice(x, (-2, 1), (2, 3)), [(5, 4)]),
    "dynamic_slice_in_dim": (lambda L: lambda x: L.dynamic_slice_in_dim(x, np.int32(1), 2, 1),
                             [(3, 4)]),
    "dynamic_update_slice": (lambda L: lambda x, u: L.dynamic_update_slice(
        x, u, (np.int32(3), np.int32(1))), [(5, 4), (3, 2)]),  # start 3 clamped to 2
    "gather_rows": (lambda L: lambda x: L.gather(
        x, ROWS, _gdn(L, (1,), (0,), (0,)), (1, 4), mode="clip"), [(5, 4)]),
    "gather_rows_fill": (lambda L: lambda x: L.gather(
        x, OOB_ROWS, _gdn(L, (1,), (0,), (0,)), (1, 4), mode="fill"), [(5, 4)]),
    "gather_points": (lambda L: lambda x: L.gather(
        x, POINTS, _gdn(L, (), (0, 1), (0, 1)), (1, 1), mode="clip"), [(5, 6)]),
    "gather_windows": (lambda L: lambda x: L.gather(
        x, POINTS, _gdn(L, (1, 2), (), (0, 1)), (2, 3), mode="clip"), [(5, 6)]),
    "gather_batching_dims": (lambda L: lambda x: L.gather(
        x, I([1], [0], [2]), _gdn(L, (1,), (1,), (1,), (0,), (0,)), (1, 1, 2), mode="clip"),
        [(3, 4, 2)]),
    "scatter": (lambda L: lambda x, u: L.scatter(
        x, I(4, 0, 2)[:, None], u, _sdn(L, (1,), (0,), (0,))), [(5, 3), (3, 3)]),
    "scatter_add": (lambda L: lambda x, u: L.scatter_add(
        x, ROWS, u, _sdn(L, (1,), (0,), (0,))), [(5, 4), (3, 4)]),
    "scatter_add_oob": (lambda L: lambda x, u: L.scatter_add(
        x, OOB_ROWS, u, _sdn(L, (1,), (0,), (0,))), [(5, 4), (3, 4)]),
    "scatter_mul": (lambda L: lambda x, u: L.scatter_mul(
        x, ROWS, u, _sdn(L, (1,), (0,), (0,))), [(5, 4), (3, 4)]),
    "scatter_min": (lambda L: lambda x, u: L.scatter_min(
        x, POINTS, u, _sdn(L, (), (0, 1), (0, 1))), [(5, 6), (3,)]),
    "scatter_max": (lambda L: lambda x, u: L.scatter_max(
        x, ROWS, u, _sdn(L, (1,), (0,), (0,))), [(5, 4), (3, 4)]),
}

OTHER_DTYPES = [np.float16, np.int32, np.int8, np.uint8, np.bool_]


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_match_jax(name):
    make, shapes = CASES[name]
    args = [rand(s, np.float32) for s in shapes]
    expected = np.asarray(jax.jit(make(jax.lax))(*args))
    actual = hlox.jit(make(hlax))(*args)
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(actual), expected)


@pytest.mark.parametrize("dtype", OTHER_DTYPES, ids=lambda d: np.dtype(d).name)
def test_other_dtypes_match_jax(dtype):
    """Every case at once (one compiled program per dtype)."""
    names = [n for n in sorted(CASES) if dtype != np.bool_ or not n.startswith(
        ("scatter_add", "scatter_mul", "gather_rows_fill"))]
    args = {n: [rand(s, dtype) for s in CASES[n][1]] for n in names}
    got = hlox.jit(lambda a: {n: CASES[n][0](hlax)(*a[n]) for n in names})(args)
    # The reference under one jax.jit too: eager JAX compiles every op on its own.
    wants = jax.jit(lambda a: {n: CASES[n][0](jax.lax)(*a[n]) for n in names})(args)
    for n in names:
        want = np.asarray(wants[n])
        assert got[n].dtype == want.dtype and got[n].shape == want.shape, n
        np.testing.assert_array_equal(got[n], want, err_msg=n)


DIFFERENTIABLE = sorted(set(CASES) - {"scatter_mul"})  # scatter_mul: non-unique indices
FD_CASES = sorted(set(DIFFERENTIABLE) - {"gather_rows_fill"})  # its NaN fill has no difference quotient


@pytest.mark.parametrize("name", FD_CASES)
def test_grads_finite_differences(name):
    make, shapes = CASES[name]
    args = [rand(s, np.float64) for s in shapes]
    if name == "scatter_max" or name == "scatter_min":
        args = [a + np.arange(a.size).reshape(a.shape) * 0.01 for a in args]  # no ties
    check_grads(hlox.jit(make(hlax)), args, order=1)


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_vjp_matches_jax(name):
    make, shapes = CASES[name]
    args = [rand(s, np.float32) for s in shapes]
    out, f_vjp = jax.vjp(make(jax.lax), *args)
    ct = rand(out.shape, np.float32)
    expected = f_vjp(ct)

    @hlox.jit
    def hlox_vjp(ct, *xs):
        return hlox.vjp(make(hlax), *xs)[1](ct)

    actual = hlox_vjp(ct, *args)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(np.asarray(a), np.asarray(e), **GRAD_TOL)


def test_scatter_mul_grad_unique_indices():
    dn = hlax.ScatterDimensionNumbers((1,), (0,), (0,))
    idx = I(4, 0, 2)[:, None]

    def f(L, dn):
        return lambda x, u: L.scatter_mul(x, idx, u, dn, unique_indices=True)

    args = [rand((5, 3), np.float64), rand((3, 3), np.float64)]
    check_grads(hlox.jit(f(hlax, dn)), args, order=1, modes=("fwd",))
    x, u = (a.astype(np.float32) for a in args)
    jdn = jax.lax.ScatterDimensionNumbers((1,), (0,), (0,))
    expected = jax.jacfwd(f(jax.lax, jdn), argnums=(0, 1))(x, u)
    actual = hlox.jit(hlox.jacfwd(lambda x: f(hlax, dn)(x, u)))(x)
    np.testing.assert_allclose(actual, expected[0], **GRAD_TOL)


@pytest.mark.parametrize("name", sorted(CASES))
def test_vmap_matches_loop(name):
    make, shapes = CASES[name]
    f = make(hlax)
    batched = [rand((3,) + s, np.float32) for s in shapes]
    # every argument batched
    reference = jax.jit(make(jax.lax))  # one XLA compile serves every element
    out = hlox.jit(hlox.vmap(f))(*batched)
    expected = np.stack([np.asarray(reference(*(b[i] for b in batched))) for i in range(3)])
    np.testing.assert_array_equal(np.asarray(out), expected)
    if len(shapes) > 1:  # only the first argument batched
        fixed = [b[0] for b in batched[1:]]
        out = hlox.jit(hlox.vmap(lambda x: f(x, *fixed)))(batched[0])
        expected = np.stack([np.asarray(reference(batched[0][i], *fixed)) for i in range(3)])
        np.testing.assert_array_equal(np.asarray(out), expected)


def test_batched_indices_dynamic_slice_and_update():
    x = rand((4, 6, 5))
    starts = I(0, 3, 9, -1)  # 9 and -1 (-> 5) clamp
    upd = rand((4, 2, 3))

    def ds(x, i):
        return hlax.dynamic_slice(x, (i, np.int32(1)), (2, 3))

    def dus(x, u, i):
        return hlax.dynamic_update_slice(x, u, (i, np.int32(2)))

    got = hlox.jit(hlox.vmap(ds))(x, starts)
    want = np.stack([np.asarray(jax.lax.dynamic_slice(x[k], (starts[k], 1), (2, 3)))
                     for k in range(4)])
    np.testing.assert_array_equal(got, want)
    got = hlox.jit(hlox.vmap(dus))(x, upd, starts)
    want = np.stack([np.asarray(jax.lax.dynamic_update_slice(x[k], upd[k], (starts[k], 2)))
                     for k in range(4)])
    np.testing.assert_array_equal(got, want)
    got = hlox.jit(hlox.vmap(lambda i: ds(x[0], i)))(starts)  # only the index batched
    want = np.stack([np.asarray(jax.lax.dynamic_slice(x[0], (s, 1), (2, 3))) for s in starts])
    np.testing.assert_array_equal(got, want)


def test_pad_batched_padding_value():
    x, v = rand((3, 2, 2)), rand((3,))
    f = lambda x, v: hlax.pad(x, v, [(1, 0, 1), (0, 2, 0)])  # noqa: E731
    got = hlox.jit(hlox.vmap(f))(x, v)
    want = jax.vmap(lambda x, v: jax.lax.pad(x, v, [(1, 0, 1), (0, 2, 0)]))(x, v)
    np.testing.assert_array_equal(got, np.asarray(want))
    check_grads(hlox.jit(lambda x, v: hlax.pad(x, v, [(1, -1, 1), (0, 2, 0)])),
                [rand((2, 2), np.float64), np.float64(0.3)], order=1)


# ---------------------------------------------------------------------------
# dot_general: any batch/contracting positions, preferred_element_type
# ---------------------------------------------------------------------------

DOT_CASES = [
    ((3, 4), (4, 5), (((1,), (0,)), ((), ()))),
    ((4, 3), (5, 4), (((0,), (1,)), ((), ()))),
    ((3, 4, 2), (2, 4, 5), (((1,), (1,)), ((2,), (0,)))),  # batch last on lhs, first on rhs
    ((2, 3, 4, 5), (5, 3, 2, 6), (((3, 1), (0, 1)), ((0,), (2,)))),
    ((3,), (4,), (((), ()), ((), ()))),  # outer product
]


@pytest.mark.parametrize("case", range(len(DOT_CASES)))
def test_dot_general(case):
    ls, rs, dn = DOT_CASES[case]
    x, y = rand(ls), rand(rs)
    want = jax.lax.dot_general(x, y, dn)
    got = hlox.jit(lambda x, y: hlax.dot_general(x, y, dn))(x, y)
    np.testing.assert_allclose(got, want, **DOT_TOL)
    check_grads(hlox.jit(lambda x, y: hlax.dot_general(x, y, dn)),
                [x.astype(np.float64), y.astype(np.float64)], order=1)
    xs, ys = rand((2,) + ls), rand((2,) + rs)
    got = hlox.jit(hlox.vmap(lambda x, y: hlax.dot_general(x, y, dn)))(xs, ys)
    want = np.stack([np.asarray(jax.lax.dot_general(xs[i], ys[i], dn)) for i in range(2)])
    np.testing.assert_allclose(got, want, **DOT_TOL)


def test_dot_general_preferred_element_type():
    x = rng.integers(-128, 127, (3, 8)).astype(np.int8)
    y = rng.integers(-128, 127, (8, 2)).astype(np.int8)
    dn = (((1,), (0,)), ((), ()))
    want = jax.lax.dot_general(x, y, dn, preferred_element_type=jnp.int32)
    got = hlox.jit(lambda x, y: hlax.dot_general(x, y, dn, preferred_element_type=np.int32))(x, y)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, np.asarray(want))


# ---------------------------------------------------------------------------
# Errors name the primitive, the shapes and the user's line
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("fn, message", [
    (lambda x: hlax.slice(x, (0, 0), (5, 2)), "slice: .*out of bounds"),
    (lambda x: hlax.concatenate([x, x[0]], 0), "concatenate: .*same|concatenate: .*agree"),
    (lambda x: hlax.pad(x, np.float32(0), [(0, 0, -1), (0, 0, 0)]), "pad: interior"),
    (lambda x: hlax.dynamic_slice(x, (0, 0), (5, 1)), "dynamic_slice: slice_sizes"),
    (lambda x: hlax.gather(x, I(0)[:, None], hlax.GatherDimensionNumbers((1,), (0,), (0,)),
                           (2, 3)), "gather: collapsed"),
    (lambda x: hlax.dot_general(x, x, (((1,), (1,)), ((0,), (1,)))), "dot_general"),
])
def test_shape_errors(fn, message):
    with pytest.raises(TypeError, match=message) as info:
        hlox.jit(fn).lower(np.zeros((4, 3), np.float32))
    assert "test_lax_structural.py" in str(info.value)
