"""hlox.vmap: every primitive's batching rule against a Python loop over the
mapped axis (same function, numpy stacking), and vmap composed with grad/jit.

Tolerances: float32, FLOAT32_TOL (batched and looped programs may sum in a
different order inside dot_general/reduce_sum).
"""

from __future__ import annotations

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax as hlax

FLOAT32_TOL = dict(rtol=1e-5, atol=1e-5)
rng = np.random.default_rng(1)


def rand(*shape, positive=False):
    x = rng.standard_normal(shape)
    if positive:
        x = np.abs(x) + 0.5
    return x.astype(np.float32)


def loop_reference(fn, args, in_axes, out_axis=0):
    size = next(np.shape(a)[ax] for a, ax in zip(args, in_axes) if ax is not None)
    outs = []
    for i in range(size):
        sliced = [a if ax is None else np.take(a, i, axis=ax) for a, ax in zip(args, in_axes)]
        outs.append(np.asarray(fn(*sliced)))
    return np.stack(outs, axis=out_axis)


L = hlax
# (name, fn, arg shapes (unbatched), positive)
CASES = [
    ("add", lambda x, y: L.add(x, y), [(3, 4), (3, 4)], False),
    ("sub", lambda x, y: L.sub(x, y), [(3, 4), (3, 4)], False),
    ("mul", lambda x, y: L.mul(x, y), [(3, 4), (3, 4)], False),
    ("div", lambda x, y: L.div(x, y), [(3, 4), (3, 4)], True),
    ("max", lambda x, y: L.max(x, y), [(3, 4), (3, 4)], False),
    ("neg", lambda x: L.neg(x), [(5,)], False),
    ("exp", lambda x: L.exp(x), [(2, 3)], False),
    ("log", lambda x: L.log(x), [(2, 3)], True),
    ("gt_select", lambda x, y: L.select(L.gt(x, y), x, y), [(3, 4), (3, 4)], False),
    ("convert", lambda x: L.convert_element_type(x, np.float16), [(3,)], False),
    ("broadcast_in_dim", lambda x: L.broadcast_in_dim(x, (2, 3, 4), (0, 2)), [(2, 4)], False),
    ("reshape", lambda x: L.reshape(x, (3, 2, 2)), [(4, 3)], False),
    ("transpose", lambda x: L.transpose(x, (2, 0, 1)), [(2, 3, 4)], False),
    ("dot_general", lambda x, y: L.dot_general(x, y, (((1,), (0,)), ((), ()))),
     [(3, 4), (4, 5)], False),
    ("dot_general_batch", lambda x, y: L.dot_general(x, y, (((2,), (1,)), ((0,), (0,)))),
     [(2, 3, 4), (2, 4, 5)], False),
    ("reduce_sum", lambda x: L.reduce_sum(x, (0, 2)), [(2, 3, 4)], False),
    ("stop_gradient", lambda x: L.stop_gradient(x), [(3,)], False),
]

BATCH = 3


def _in_axes_variants(n):
    variants = [(0,) * n, (-1,) * n]
    if n == 2:
        variants += [(0, None), (None, 1)]
    return variants


@pytest.mark.parametrize("name,fn,shapes,positive", CASES, ids=[c[0] for c in CASES])
def test_batching_rule_against_loop(name, fn, shapes, positive):
    for in_axes in _in_axes_variants(len(shapes)):
        args = []
        for s, ax in zip(shapes, in_axes):
            if ax is None:
                args.append(rand(*s, positive=positive))
            else:
                full = list(s)
                full.insert(ax % (len(s) + 1), BATCH)
                args.append(rand(*full, positive=positive))
        out = hlox.vmap(fn, in_axes=in_axes)(*args)
        expected = loop_reference(fn, args, in_axes)
        assert np.asarray(out).dtype == expected.dtype
        np.testing.assert_allclose(out, expected, err_msg=f"in_axes={in_axes}", **FLOAT32_TOL)


def test_out_axes_and_unbatched_output():
    x = rand(4, 3)
    out = hlox.vmap(lambda v: hlax.exp(v), out_axes=1)(x)
    np.testing.assert_allclose(out, np.exp(x).T, **FLOAT32_TOL)
    c = hlox.vmap(lambda v: np.float32(2.0), axis_size=4)(x)
    np.testing.assert_array_equal(c, np.full(4, 2.0, np.float32))


def test_pytree_in_axes():
    def f(p, x):
        return hnp.matmul(x, p["w"]) + p["b"]

    params = {"w": rand(3), "b": np.float32(1.0)}
    xs = rand(5, 3)
    out = hlox.vmap(f, in_axes=({"w": None, "b": None}, 0))(params, xs)
    np.testing.assert_allclose(out, xs @ params["w"] + 1.0, **FLOAT32_TOL)
    out = hlox.vmap(f, in_axes=(None, 0))(params, xs)
    np.testing.assert_allclose(out, xs @ params["w"] + 1.0, **FLOAT32_TOL)


def test_errors():
    with pytest.raises(ValueError, match="different sizes"):
        hlox.vmap(lambda a, b: a + b)(rand(3), rand(4))
    with pytest.raises(ValueError, match="axis_size"):
        hlox.vmap(lambda a: a, in_axes=None)(rand(3))


def test_squared_distance_10000_points():
    """The seed example: squared distances of 10000 2-D points to a centre."""
    pts = rand(10000, 2)
    centre = np.array([0.5, -0.25], np.float32)
    sqdist = lambda p, c: hnp.sum((p - c) * (p - c))  # noqa: E731
    out = hlox.vmap(sqdist, in_axes=(0, None))(pts, centre)
    np.testing.assert_allclose(out, ((pts - centre) ** 2).sum(axis=1), **FLOAT32_TOL)
    jitted = hlox.jit(hlox.vmap(sqdist, in_axes=(0, None)))(pts, centre)
    np.testing.assert_allclose(jitted, out, **FLOAT32_TOL)


def test_vmap_of_grad_and_grad_of_vmap():
    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    f = lambda x: hnp.sum(hnp.exp(x) * x)  # noqa: E731
    jf = lambda x: jnp.sum(jnp.exp(x) * x)  # noqa: E731
    xs = rand(4, 3)
    np.testing.assert_allclose(hlox.vmap(hlox.grad(f))(xs), jax.vmap(jax.grad(jf))(xs),
                               **FLOAT32_TOL)
    g = hlox.grad(lambda xs: hnp.sum(hlox.vmap(f)(xs)))(xs)
    jg = jax.grad(lambda xs: jnp.sum(jax.vmap(jf)(xs)))(xs)
    np.testing.assert_allclose(g, jg, **FLOAT32_TOL)
    # per-example gradients of a linear model, jitted
    w = rand(3)
    loss = lambda w, x: hnp.sum(hnp.matmul(x, w) * hnp.matmul(x, w))  # noqa: E731
    jloss = lambda w, x: jnp.sum((x @ w) ** 2)  # noqa: E731
    per_ex = hlox.jit(hlox.vmap(hlox.grad(loss), in_axes=(None, 0)))(w, xs)
    np.testing.assert_allclose(per_ex, jax.vmap(jax.grad(jloss), in_axes=(None, 0))(w, xs),
                               **FLOAT32_TOL)


def test_nested_vmap():
    x, y = rand(3, 4), rand(5, 4)
    out = hlox.vmap(hlox.vmap(lambda a, b: hnp.sum(a * b), in_axes=(None, 0)),
                    in_axes=(0, None))(x, y)
    np.testing.assert_allclose(out, x @ y.T, **FLOAT32_TOL)


@pytest.mark.parametrize("name,fn,shapes,positive", CASES, ids=[c[0] for c in CASES])
def test_jit_of_vmap_per_primitive(name, fn, shapes, positive):
    """The batched graph of each primitive emits StableHLO and runs on the CPU backend."""
    args = [rand(BATCH, *s, positive=positive) for s in shapes]
    in_axes = (0,) * len(shapes)
    out = hlox.jit(hlox.vmap(fn, in_axes=in_axes))(*args)
    np.testing.assert_allclose(out, loop_reference(fn, args, in_axes), **FLOAT32_TOL)


def test_custom_rules_survive_vmap_under_grad():
    @hlox.custom_jvp
    def f(x):
        return hnp.exp(x)

    @f.defjvp
    def f_jvp(primals, tangents):
        return f(primals[0]), tangents[0] * 3.0  # not exp's derivative: must be used

    xs = rand(4, 3)
    g = hlox.grad(lambda xs: hnp.sum(hlox.vmap(f)(xs)))(xs)
    np.testing.assert_allclose(g, np.full_like(xs, 3.0))
    np.testing.assert_allclose(hlox.vmap(f)(xs), np.exp(xs), **FLOAT32_TOL)
    np.testing.assert_allclose(hlox.vmap(hlox.grad(lambda x: hnp.sum(f(x))))(xs),
                               np.full_like(xs, 3.0))

    @hlox.custom_vjp
    def h(x, w):
        return x * w

    h.defvjp(lambda x, w: (h(x, w), (x, w)), lambda res, ct: (ct * res[1] * 0.5, ct * res[0]))
    w = rand(3)
    gx, gw = hlox.grad(lambda xs, w: hnp.sum(hlox.vmap(h, in_axes=(0, None))(xs, w)),
                       (0, 1))(xs, w)
    np.testing.assert_allclose(gx, np.broadcast_to(w * 0.5, xs.shape), **FLOAT32_TOL)
    np.testing.assert_allclose(gw, xs.sum(0), **FLOAT32_TOL)
