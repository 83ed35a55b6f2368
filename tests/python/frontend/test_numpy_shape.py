"""hlox.numpy shape ops, linear algebra and creation functions against JAX.

Each case is one function written against a numpy module ``N`` and run with
``jax.numpy`` and ``hlox.numpy`` (inside one ``hlox.jit``). Shape ops move
elements: exact equality. Contractions (dot, einsum, ...): LINALG_TOL
(float32, different summation order). Gradients: float64 ``check_grads``
(its stated tolerances). Broadcasting: hypothesis over random shapes.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hlox
import hlox.numpy as hnp
from hlox.frontend.libraries.test_util import check_grads

LINALG_TOL = dict(rtol=2e-5, atol=2e-5)
rng = np.random.default_rng(0)


def rand(shape, dtype=np.float32):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(-5, 6, shape).astype(dtype)


# name -> (fn(N) -> f(*arrays), arg shapes, exact?)
CASES = {
    "reshape": (lambda N: lambda x: N.reshape(x, (4, -1)), [(2, 3, 2)]),
    "method_reshape": (lambda N: lambda x: x.reshape(3, 4).T.reshape((2, 6)), [(2, 6)]),
    "transpose": (lambda N: lambda x: N.transpose(x, (2, 0, 1)), [(2, 3, 4)]),
    "swapaxes": (lambda N: lambda x: N.swapaxes(x, 0, -1), [(2, 3, 4)]),
    "moveaxis": (lambda N: lambda x: N.moveaxis(x, (0, 1), (-1, 0)), [(2, 3, 4)]),
    "expand_dims": (lambda N: lambda x: N.expand_dims(x, (0, -1)), [(2, 3)]),
    "squeeze": (lambda N: lambda x: N.squeeze(x), [(1, 3, 1)]),
    "squeeze_axis": (lambda N: lambda x: N.squeeze(x, -1), [(1, 3, 1)]),
    "ravel": (lambda N: lambda x: N.ravel(x), [(2, 3)]),
    "flatten": (lambda N: lambda x: x.flatten(), [(2, 3)]),
    "concatenate": (lambda N: lambda x, y: N.concatenate([x, y], axis=-1), [(2, 3), (2, 2)]),
    "concatenate_none": (lambda N: lambda x, y: N.concatenate([x, y], axis=None),
                         [(2, 3), (4,)]),
    "stack": (lambda N: lambda x, y: N.stack([x, y], axis=1), [(2, 3), (2, 3)]),
    "hstack": (lambda N: lambda x, y: N.hstack([x, y]), [(2, 3), (2, 1)]),
    "vstack": (lambda N: lambda x, y: N.vstack([x, y]), [(3,), (3,)]),
    "split": (lambda N: lambda x: N.split(x, 3, axis=1), [(2, 6)]),
    "split_indices": (lambda N: lambda x: N.split(x, [1, 3]), [(5, 2)]),
    "array_split": (lambda N: lambda x: N.array_split(x, 3), [(7,)]),
    "tile": (lambda N: lambda x: N.tile(x, (2, 1, 3)), [(2, 3)]),
    "repeat": (lambda N: lambda x: N.repeat(x, 2, axis=0), [(2, 3)]),
    "repeat_array": (lambda N: lambda x: N.repeat(x, np.array([1, 0, 3]), axis=1), [(2, 3)]),
    "repeat_flat": (lambda N: lambda x: N.repeat(x, 2), [(2, 2)]),
    "flip": (lambda N: lambda x: N.flip(x, (0, 2)), [(2, 3, 2)]),
    "flip_all": (lambda N: lambda x: N.flip(x), [(2, 3)]),
    "roll": (lambda N: lambda x: N.roll(x, 2, axis=1), [(2, 5)]),
    "roll_negative_multi": (lambda N: lambda x: N.roll(x, (-1, 3), axis=(0, 1)), [(3, 4)]),
    "roll_flat": (lambda N: lambda x: N.roll(x, 7), [(2, 3)]),
    "pad": (lambda N: lambda x: N.pad(x, ((1, 2), (0, 1))), [(2, 3)]),
    "pad_values": (lambda N: lambda x: N.pad(x, 1, constant_values=((1, 2), (3, 4))), [(2, 3)]),
    "pad_edge": (lambda N: lambda x: N.pad(x, ((2, 1), (0, 2)), mode="edge"), [(2, 3)]),
    "pad_wrap": (lambda N: lambda x: N.pad(x, ((2, 1),), mode="wrap"), [(3,)]),
    "broadcast_to": (lambda N: lambda x: N.broadcast_to(x, (2, 4, 3)), [(4, 1)]),
    "broadcast_arrays": (lambda N: lambda x, y: N.broadcast_arrays(x, y), [(4, 1), (3,)]),
    "where": (lambda N: lambda c, x, y: N.where(N.maximum(c, 0), x, y), [(3, 1), (1, 4), (3, 4)]),
    "where_scalar": (lambda N: lambda c, x: N.where(N.maximum(c, 0), x, 0.0), [(3, 4), (3, 4)]),
    "clip": (lambda N: lambda x: N.clip(x, -0.5, 0.5), [(3, 4)]),
    "clip_array": (lambda N: lambda x, lo: N.clip(x, lo), [(3, 4), (4,)]),
    "tril": (lambda N: lambda x: N.tril(x, -1), [(4, 3)]),
    "triu": (lambda N: lambda x: N.triu(x, 1), [(2, 3, 4)]),
    "take": (lambda N: lambda x: N.take(x, np.array([[2, 0], [1, 1]]), axis=1), [(2, 3)]),
    "take_flat": (lambda N: lambda x: N.take(x, np.array([5, 0, 3])), [(2, 3)]),
    "take_oob_fill": (lambda N: lambda x: N.take(x, np.array([4, -1, 1]), axis=0), [(3, 2)]),
    "take_along_axis": (lambda N: lambda x: N.take_along_axis(
        x, np.array([[0, 2], [1, 1], [2, 0]]), axis=1), [(3, 4)]),
    "diagonal": (lambda N: lambda x: N.diagonal(x, 1), [(3, 4)]),
    "diagonal_axes": (lambda N: lambda x: N.diagonal(x, -1, 0, 2), [(3, 2, 4)]),
    "getitem_mix": (lambda N: lambda x: x[1:, None, ::-2][..., 0], [(3, 4, 5)]),
}

LINALG = {
    "dot_vec": (lambda N: lambda x, y: N.dot(x, y), [(4,), (4,)]),
    "dot_mat": (lambda N: lambda x, y: N.dot(x, y), [(3, 4), (4, 2)]),
    "dot_nd": (lambda N: lambda x, y: N.dot(x, y), [(2, 3, 4), (5, 4, 2)]),
    "dot_mat_vec": (lambda N: lambda x, y: N.dot(x, y), [(2, 3, 4), (4,)]),
    "matmul_batched": (lambda N: lambda x, y: N.matmul(x, y), [(2, 1, 3, 4), (5, 4, 2)]),
    "matmul_operator": (lambda N: lambda x, y: x @ y, [(3, 4), (4,)]),
    "tensordot": (lambda N: lambda x, y: N.tensordot(x, y, axes=([0, 2], [2, 0])),
                  [(2, 3, 4), (4, 5, 2)]),
    "tensordot_int": (lambda N: lambda x, y: N.tensordot(x, y, 2), [(2, 3, 4), (3, 4, 5)]),
    "outer": (lambda N: lambda x, y: N.outer(x, y), [(3,), (2, 2)]),
    "inner": (lambda N: lambda x, y: N.inner(x, y), [(2, 3), (4, 3)]),
    "vdot": (lambda N: lambda x, y: N.vdot(x, y), [(2, 3), (6,)]),
    "einsum_matmul": (lambda N: lambda x, y: N.einsum("ij,jk->ik", x, y), [(3, 4), (4, 2)]),
    "einsum_batch": (lambda N: lambda x, y: N.einsum("bij,bjk->bki", x, y),
                     [(2, 3, 4), (2, 4, 5)]),
    "einsum_implicit": (lambda N: lambda x, y: N.einsum("ij,kj", x, y), [(3, 4), (2, 4)]),
    "einsum_trace": (lambda N: lambda x: N.einsum("ii", x), [(3, 3)]),
    "einsum_diag": (lambda N: lambda x: N.einsum("ii->i", x), [(3, 3)]),
    "einsum_sum": (lambda N: lambda x: N.einsum("ijk->j", x), [(2, 3, 4)]),
    "einsum_three": (lambda N: lambda x, y, z: N.einsum("ab,bc,cd->da", x, y, z),
                     [(2, 3), (3, 4), (4, 5)]),
    "einsum_ellipsis": (lambda N: lambda x, y: N.einsum("...ij,...jk->...ik", x, y),
                        [(2, 3, 4), (4, 5)]),
    "einsum_outer_shared": (lambda N: lambda x, y: N.einsum("i,i,j->ij", x, x, y),
                            [(3,), (2,)]),
    "trace": (lambda N: lambda x: N.trace(x, 1), [(3, 4)]),
}


def _check_equal(got, want):
    got, want = jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = np.asarray(w)
        assert g.dtype == w.dtype and g.shape == w.shape, (g.dtype, g.shape, w.dtype, w.shape)
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_ops_match_jax(name):
    make, shapes = CASES[name]
    args = [rand(s, np.float32) for s in shapes]
    _check_equal(hlox.jit(make(hnp))(*args), jax.jit(make(jnp))(*args))


@pytest.mark.parametrize("dtype", [np.int32], ids=lambda d: np.dtype(d).name)
def test_shape_ops_other_dtypes(dtype):
    """Every case at once (one compiled program per dtype; the lax-level tests cover
    float16, int8, uint8 and bool for the primitives underneath)."""
    names = [n for n in sorted(CASES) if dtype != np.bool_ or not n.startswith(("clip", "where"))]
    args = {n: [rand(s, dtype) if dtype != np.bool_ else rand(s, np.int32) > 0
                for s in CASES[n][1]] for n in names}
    got = hlox.jit(lambda a: {n: CASES[n][0](hnp)(*a[n]) for n in names})(args)
    # The reference under one jax.jit too: eager JAX compiles every op on its own.
    want = jax.jit(lambda a: {n: CASES[n][0](jnp)(*a[n]) for n in names})(args)
    for n in names:
        _check_equal(got[n], want[n])


@pytest.mark.parametrize("name", sorted(LINALG))
def test_linalg_matches_jax(name):
    make, shapes = LINALG[name]
    args = [rand(s) for s in shapes]
    want = np.asarray(jax.jit(make(jnp))(*args))
    got = hlox.jit(make(hnp))(*args)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, **LINALG_TOL)
    iargs = [rand(s, np.int32) for s in shapes]  # integer contractions are exact
    np.testing.assert_array_equal(hlox.jit(make(hnp))(*iargs), np.asarray(make(jnp)(*iargs)))


GRAD_CASES = ["transpose", "concatenate", "stack", "split", "tile", "repeat", "repeat_array",
              "flip", "roll", "pad", "pad_values", "pad_edge", "where", "clip", "triu",
              "take", "take_along_axis", "diagonal", "getitem_mix"]


@pytest.mark.parametrize("name", GRAD_CASES + ["einsum_three", "einsum_diag", "dot_nd",
                                               "tensordot", "trace"])
def test_grads(name):
    make, shapes = {**CASES, **LINALG}[name]
    args = [rand(s, np.float64) for s in shapes]
    if name == "clip":
        args = [a + np.sign(a) * 0.01 for a in args]  # keep away from the kinks
    f = make(hnp)

    def scalar_out(*xs):  # split and friends return lists
        outs = jax.tree_util.tree_leaves(f(*xs))
        return hnp.concatenate([hnp.ravel(o) for o in outs]) if len(outs) > 1 else outs[0]

    check_grads(hlox.jit(scalar_out), args, order=1)


def test_traced_roll_shift_take_wrap_and_array_of_tracers():
    x = rand((3, 4))
    for shift in (-5, 0, 6):
        got = hlox.jit(lambda x, s: hnp.roll(x, s, axis=1))(x, np.int32(shift))
        np.testing.assert_array_equal(got, np.asarray(jnp.roll(x, shift, axis=1)))
    i = np.array([5, -7, 2], np.int32)
    got = hlox.jit(lambda x, i: hnp.take(x, i, axis=1, mode="wrap"))(x, i)
    np.testing.assert_array_equal(got, np.asarray(jnp.take(x, i, axis=1, mode="wrap")))
    got = hlox.jit(lambda a, b: hnp.array([[a, b], [b, a]]))(np.float32(1), np.float32(2))
    np.testing.assert_array_equal(got, np.array([[1, 2], [2, 1]], np.float32))


def test_vmap_of_shape_ops():
    xs = rand((3, 4, 5))
    f = lambda x: hnp.einsum("ij,j->i", hnp.roll(hnp.pad(x, ((1, 0), (0, 1)))[:, 1:], 1, 0),  # noqa
                             hnp.ones(5))
    got = hlox.jit(hlox.vmap(f))(xs)
    reference = jax.jit(lambda x: jnp.einsum(  # one XLA compile serves every element
        "ij,j->i", jnp.roll(jnp.pad(x, ((1, 0), (0, 1)))[:, 1:], 1, 0), jnp.ones(5)))
    want = np.stack([np.asarray(reference(xs[i])) for i in range(3)])
    np.testing.assert_allclose(got, want, **LINALG_TOL)


# ---------------------------------------------------------------------------
# Broadcasting (hypothesis): where/clip/broadcast_arrays vs NumPy
# ---------------------------------------------------------------------------

@st.composite
def broadcastable_shapes(draw):
    ndim = draw(st.integers(0, 3))
    base = draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim))
    shapes = []
    for _ in range(3):
        drop = draw(st.integers(0, ndim))
        s = [1 if draw(st.booleans()) else d for d in base[drop:]]
        shapes.append(tuple(s))
    return shapes


@settings(max_examples=15, deadline=None)
@given(broadcastable_shapes())
def test_broadcasting_matches_numpy(shapes):
    c, x, y = (rand(s) for s in shapes)
    got = hlox.jit(lambda c, x, y: (hnp.where(hnp.maximum(c, 0), x, y), hnp.clip(x, y, 1.0),
                                    *hnp.broadcast_arrays(c, x, y)))(c, x, y)
    want = (np.where(c > 0, x, y), np.minimum(np.maximum(x, y), 1.0), *np.broadcast_arrays(c, x, y))
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_array_equal(g, w)


# ---------------------------------------------------------------------------
# Creation
# ---------------------------------------------------------------------------

CREATION = [
    lambda N: N.zeros((2, 3)),
    lambda N: N.ones(4, dtype=N.int32),
    lambda N: N.full((2, 2), 7),
    lambda N: N.full((2,), 1.5, dtype=N.float16),
    lambda N: N.zeros_like(np.ones((2, 1), np.int8)),
    lambda N: N.ones_like(np.ones(3, np.float32), dtype=N.int32),
    lambda N: N.full_like(np.ones(3, np.int32), 4),
    lambda N: N.arange(5),
    lambda N: N.arange(1, 7, 2),
    lambda N: N.arange(0.0, 1.0, 0.25),
    lambda N: N.linspace(0, 1, 5),
    lambda N: N.linspace(-1, 1, 4, endpoint=False),
    lambda N: N.eye(3),
    lambda N: N.eye(2, 4, k=1, dtype=N.int32),
    lambda N: N.identity(3),
    lambda N: N.tri(3, 4, -1),
    lambda N: N.array([[1, 2], [3, 4]]),
    lambda N: N.array([1.0, 2.0]),
    lambda N: N.asarray(3.0),
]


@pytest.mark.parametrize("case", range(len(CREATION)))
def test_creation_matches_jax(case):
    want = np.asarray(CREATION[case](jnp))
    got = CREATION[case](hnp)
    assert isinstance(got, hlox.Array)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_errors():
    with pytest.raises(ValueError, match="split: array split does not result in an equal"):
        hnp.split(np.zeros(5, np.float32), 2)
    with pytest.raises(TypeError, match="concatenate"):
        hlox.jit(lambda x: hnp.concatenate([x, x[0]])).lower(np.zeros((2, 3), np.float32))
    with pytest.raises(TypeError, match="arange: needs a concrete"):
        hlox.jit(lambda n: hnp.arange(n)).lower(np.int32(3))
    with pytest.raises(ValueError, match="einsum"):
        hnp.einsum("ij,jk->ik", np.zeros((2, 3), np.float32))
