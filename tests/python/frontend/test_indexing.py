"""Indexing: ``x[idx]`` against NumPy (hypothesis over shapes and index
expressions) and JAX (out-of-bounds clamping), ``x.at[idx]`` updates against
JAX, gradients of both, and the eager :class:`hlox.Array`.

Indexing moves elements: results must be exactly equal. Gradients: float64
``check_grads`` (its stated tolerances) and ``jax.grad`` at float32 with GRAD_TOL.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import hlox
import hlox.numpy as hnp
from hlox.frontend.libraries.test_util import check_grads

GRAD_TOL = dict(rtol=1e-5, atol=1e-5)


# ---------------------------------------------------------------------------
# Random index expressions (in bounds), compared with NumPy
# ---------------------------------------------------------------------------

@st.composite
def shape_and_index(draw):
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=ndim, max_size=ndim)))
    entries, dims_left = [], list(shape)
    used_ellipsis = False
    n_arrays = 0
    array_shape = draw(st.sampled_from([(), (2,), (2, 1), (3,)]))
    while dims_left:
        kind = draw(st.sampled_from(["int", "slice", "none", "array", "ellipsis", "stop"]))
        if kind == "stop" and not used_ellipsis:  # after '...', index the trailing dims all
            break
        if kind == "stop":
            continue
        if kind == "none":
            entries.append(None)
            continue
        if kind == "ellipsis":
            if used_ellipsis:
                continue
            used_ellipsis = True
            entries.append(Ellipsis)
            take = draw(st.integers(0, len(dims_left)))
            dims_left = dims_left[take:]
            continue
        n = dims_left.pop(0)
        if kind == "int":
            entries.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            start = draw(st.one_of(st.none(), st.integers(-n - 1, n + 1)))
            stop = draw(st.one_of(st.none(), st.integers(-n - 1, n + 1)))
            step = draw(st.one_of(st.none(), st.sampled_from([1, 2, 3, -1, -2])))
            entries.append(slice(start, stop, step))
        else:
            n_arrays += 1
            size = int(np.prod(array_shape, dtype=int))
            vals = draw(st.lists(st.integers(-n, n - 1), min_size=size, max_size=size))
            entries.append(np.asarray(vals, np.int32).reshape(array_shape))
    return shape, tuple(entries)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape_and_index())
@example(((1, 1), (None, np.array([0, 0], np.int32), Ellipsis, 0)))  # a zero-width '...'
def test_getitem_matches_numpy(case):
    shape, index = case
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    expected = x[index]
    # index arrays are traced arguments; the rest of the index is static
    arrays = [e for e in index if isinstance(e, np.ndarray)]

    def f(x, *arrs):
        it = iter(arrs)
        return x[tuple(next(it) if isinstance(e, np.ndarray) else e for e in index)]

    got = hlox.jit(f)(x, *arrays)
    assert got.shape == expected.shape, (index, got.shape, expected.shape)
    np.testing.assert_array_equal(got, expected)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape_and_index(), st.sampled_from(["set", "add", "multiply", "min", "max"]))
def test_at_updates_match_jax(case, op):
    shape, index = case
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape) - 3
    values = np.float32(2.5)
    expected = getattr(jnp.asarray(x).at[index], op)(values)
    got = hlox.jit(lambda x: getattr(x.at[index], op)(values))(x)
    np.testing.assert_array_equal(got, np.asarray(expected))


# ---------------------------------------------------------------------------
# Fixed cases: JAX's out-of-bounds rules, traced scalars, negative steps
# ---------------------------------------------------------------------------

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
CASES = [
    (lambda x: x[1], ()),
    (lambda x: x[:, ::-1, 1::2], ()),
    (lambda x: x[..., None, 2], ()),
    (lambda x: x[None, :, np.array([2, 0, -1])], ()),
    (lambda x: x[np.array([[0], [1]]), :, np.array([1, 3])], ()),
    (lambda x: x[0, :, np.array([1, 3])], ()),  # int and array separated: array dims first
    (lambda x: x[None, np.array([0, 1, 1]), ..., 0], ()),  # separated by an empty Ellipsis
    (lambda x: x[:, np.array([5, -7])], ()),  # out of bounds: clamped (JAX)
    (lambda x: x[7, 0, -9], ()),  # static ints out of bounds: clamped too
    (lambda x: x[np.array([True, False])], ()),  # concrete boolean mask
    (lambda x: x[True, 1], ()),  # boolean scalars: a new axis of size 1 or 0
    (lambda x: x[..., False], ()),
    (lambda x, i: x[i], (np.int32(1),)),
    (lambda x, i: x[:, i, -1], (np.int32(-1),)),
    (lambda x, i: x[i, 1:], (np.array([1, 0, 1], np.int32),)),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_getitem_matches_jax(case):
    f, extra = CASES[case]
    want = jax.jit(f)(jnp.asarray(X), *extra)
    got = hlox.jit(f)(X, *extra)
    np.testing.assert_array_equal(got, np.asarray(want))


@pytest.mark.parametrize("op", ["set", "add", "multiply", "min", "max", "get"])
def test_at_out_of_bounds_and_duplicates(op):
    # duplicates accumulate for add/multiply/min/max; out-of-bounds updates are dropped
    idx = np.array([1, 1, 5, -1, -9], np.int32)
    x = np.arange(6, dtype=np.float32).reshape(6) * 0.5 - 1
    vals = np.array([3.0, -2.0, 7.0, 4.0, 9.0], np.float32)
    if op == "set":
        idx, vals = idx[2:], vals[2:]  # a set with duplicates has no defined winner
    args = () if op == "get" else (vals,)
    want = getattr(jnp.asarray(x).at[idx], op)(*args)
    got = hlox.jit(lambda x, i, *v: getattr(x.at[i], op)(*v))(x, idx, *args)
    np.testing.assert_array_equal(got, np.asarray(want))


def test_at_get_fill_mode():
    x = np.arange(5, dtype=np.float32)
    idx = np.array([0, 7, -2], np.int32)
    want = jnp.asarray(x).at[idx].get(mode="fill", fill_value=-1.0)
    got = hlox.jit(lambda x, i: x.at[i].get(mode="fill", fill_value=-1.0))(x, idx)
    np.testing.assert_array_equal(got, np.asarray(want))


def test_getitem_grad():
    def f(x, i):
        return (x[i, ::-1, 1:3] * x[0, 1, 2:]).sum()

    i = np.array([1, 0, 1], np.int32)
    x64 = np.random.default_rng(0).standard_normal((2, 3, 4))
    check_grads(hlox.jit(lambda x: f(x, i)), [x64], order=1)
    x32 = x64.astype(np.float32)
    want = jax.grad(f)(x32, i)
    np.testing.assert_allclose(hlox.jit(hlox.grad(f))(x32, i), want, **GRAD_TOL)


@pytest.mark.parametrize("op", ["set", "add", "multiply"])
def test_at_grad(op):
    def f(x, v):
        # (JAX differentiates multiply only with unique_indices=True; hlox sees
        # that static indices are unique by itself)
        return getattr(x.at[1:, np.array([0, 2])], op)(v, unique_indices=True) * x

    rng = np.random.default_rng(1)
    x, v = rng.standard_normal((3, 4)), rng.standard_normal((2, 2))
    check_grads(hlox.jit(f), [x, v], order=1)
    x32, v32 = x.astype(np.float32), v.astype(np.float32)
    ct = rng.standard_normal((3, 4)).astype(np.float32)
    want = jax.vjp(f, x32, v32)[1](ct)
    got = hlox.jit(lambda x, v, ct: hlox.vjp(f, x, v)[1](ct))(x32, v32, ct)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, **GRAD_TOL)


def test_vmap_of_indexing():
    xs = np.random.default_rng(2).standard_normal((3, 5, 4)).astype(np.float32)
    idx = np.array([[4, 0], [1, 1], [2, 3]], np.int32)

    def f(x, i):
        return x[i, ::2].at[0].add(1.0)

    got = hlox.jit(hlox.vmap(f))(xs, idx)
    want = np.stack([np.asarray(jax.jit(f)(jnp.asarray(xs[k]), idx[k])) for k in range(3)])
    np.testing.assert_array_equal(got, want)


# ---------------------------------------------------------------------------
# The eager array type
# ---------------------------------------------------------------------------

def test_eager_arrays_have_at_and_convert_to_numpy():
    z = hnp.zeros(4)
    assert isinstance(z, hlox.Array) and not isinstance(z, np.ndarray)  # as jax.Array
    y = z.at[1].set(2.0)
    assert isinstance(y, hlox.Array)
    np.testing.assert_array_equal(y, np.array([0, 2, 0, 0], np.float32))
    np.testing.assert_array_equal(z, np.zeros(4, np.float32))  # functional: z unchanged
    out = hlox.jit(lambda x: x * 2)(y)
    assert isinstance(out, hlox.Array)
    # on the cpu backend np.asarray is a view of the device buffer, no copy
    assert np.asarray(out).ctypes.data == out.unsafe_buffer_pointer()
    assert float(np.sum(out)) == 4.0
    assert out.block_until_ready() is out


def test_eager_array_indexed_by_a_traced_value():
    table = hnp.arange(10) * 2
    got = hlox.jit(lambda i: table[i])(np.array([3, 9], np.int32))
    np.testing.assert_array_equal(got, np.array([6, 18], np.int32))


def test_index_errors():
    x = np.zeros((2, 3), np.float32)
    with pytest.raises(IndexError, match="too many indices"):
        hlox.jit(lambda x: x[0, 0, 0]).lower(x)
    with pytest.raises(IndexError, match="boolean"):
        hlox.jit(lambda x: x[hlox.lax.gt(x, np.zeros((2, 3), np.float32))]).lower(x)
    with pytest.raises(IndexError, match="broadcast"):
        hlox.jit(lambda x: x[np.array([0, 1]), np.array([0, 1, 2])]).lower(x)
