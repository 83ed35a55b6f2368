"""hlox.lax control flow (cond, switch, while_loop, fori_loop, scan, map), checkpoint,
make_jaxpr, and the errors for Python control flow on traced values.

References: JAX (the same function written against jax.lax, run on the same
inputs), Python loops over the vmapped axis for batching, and central finite
differences (check_grads, float64: atol=rtol=1e-5, test_util.DEFAULT_TOLS).
Tolerances against JAX: float32 rtol=atol=2e-5 (different libm/op order);
integers exact. Every case runs inside one hlox.jit on the CPU backend.
"""

from __future__ import annotations

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax as hlax
from hlox.frontend.core.tracing import TracerBoolConversionError, TracerError
from hlox.frontend.libraries.test_util import check_grads

jax = pytest.importorskip("jax")
jnp = jax.numpy
jlax = jax.lax

TOL = {np.dtype(np.float32): dict(rtol=2e-5, atol=2e-5),
       np.dtype(np.float64): dict(rtol=1e-12, atol=1e-12),
       np.dtype(np.int32): dict(rtol=0, atol=0)}
GRAD_TOL = dict(rtol=2e-5, atol=2e-5)  # float32 gradients vs JAX

rng = np.random.default_rng(0)


def rand(shape, dtype=np.float32):
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-5, 6, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def assert_tree_close(actual, expected):
    a_leaves, a_tree = hlox.tree_util.tree_flatten(actual)
    e_leaves = jax.tree_util.tree_leaves(expected)
    assert len(a_leaves) == len(e_leaves), (actual, expected)
    for a, e in zip(a_leaves, e_leaves):
        a, e = np.asarray(a), np.asarray(e)
        assert a.shape == e.shape, (a.shape, e.shape)
        assert a.dtype == e.dtype, (a.dtype, e.dtype)
        np.testing.assert_allclose(a, e, **TOL[a.dtype])


# ---------------------------------------------------------------------------
# Values against JAX: each program written once against a lax module L
# ---------------------------------------------------------------------------


def cond_prog(L, p, x):
    return L.cond(p, lambda v: v * 2 + 1, lambda v: v - 3, x)


def switch_prog(L, i, x):
    return L.switch(i, [lambda v: v + 1, lambda v: v * v, lambda v: -v], x)


def fori_prog(L, x):
    return L.fori_loop(0, 7, lambda i, v: v * 0.9 + i, x)


def scan_prog(L, x, xs, reverse):
    def f(c, a):
        c = c * 0.5 + a
        return c, (c * 2, a - c)
    return L.scan(f, x, xs, reverse=reverse)


def map_prog(L, xs):
    return L.map(lambda a: (a * a, a + 1), xs)


SHAPES = [(), (3,), (2, 3)]


@pytest.mark.parametrize("dtype", [np.float32, np.int32])
@pytest.mark.parametrize("shape", SHAPES)
def test_cond_values(shape, dtype):
    x = rand(shape, dtype)
    f = hlox.jit(lambda p, x: cond_prog(hlax, p, x))
    for p in (True, False):
        assert_tree_close(f(np.bool_(p), x), cond_prog(jlax, np.bool_(p), x))


@pytest.mark.parametrize("shape", [(), (4,)])
def test_switch_values_and_clamping(shape):
    x = rand(shape)
    f = hlox.jit(lambda i, x: switch_prog(hlax, i, x))
    for i in (-2, 0, 1, 2, 7):  # out-of-range indices clamp, as in JAX
        assert_tree_close(f(np.int32(i), x), switch_prog(jlax, np.int32(i), x))


@pytest.mark.parametrize("dtype", [np.float32, np.int32])
@pytest.mark.parametrize("shape", SHAPES)
def test_while_loop_values(shape, dtype):
    x = rand(shape, dtype)

    def prog(L, x):
        return L.while_loop(lambda c: L.lt(c[0], np.int32(5)),
                            lambda c: (c[0] + np.int32(1), c[1] * 2 + c[0].astype(c[1].dtype)),
                            (np.int32(0), x))

    assert_tree_close(hlox.jit(lambda x: prog(hlax, x))(x), prog(jlax, x))


def test_while_loop_data_dependent_trip_count():
    def prog(L, x):
        return L.while_loop(lambda v: L.lt(v, np.float32(100.0)), lambda v: v * 2 + 1, x)
    for x0 in (0.5, 3.0, 200.0):
        x = np.float32(x0)
        assert_tree_close(hlox.jit(lambda x: prog(hlax, x))(x), prog(jlax, x))


@pytest.mark.parametrize("shape", SHAPES)
def test_fori_loop_values(shape):
    x = rand(shape)
    assert_tree_close(hlox.jit(lambda x: fori_prog(hlax, x))(x), fori_prog(jlax, x))


def test_fori_loop_dynamic_bounds_is_a_while():
    def prog(L, n, x):
        return L.fori_loop(np.int32(1), n, lambda i, v: v * 2 + i.astype(v.dtype), x)
    f = hlox.jit(lambda n, x: prog(hlax, n, x))
    assert "while" in str(hlox.make_jaxpr(lambda n, x: prog(hlax, n, x))(np.int32(3),
                                                                           np.float32(1)))
    for n in (0, 1, 5):
        assert_tree_close(f(np.int32(n), np.float32(1.5)), prog(jlax, np.int32(n),
                                                               np.float32(1.5)))


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("shape", SHAPES)
def test_scan_values(shape, reverse):
    x, xs = rand(shape), rand((5,) + shape)
    f = hlox.jit(lambda x, xs: scan_prog(hlax, x, xs, reverse))
    assert_tree_close(f(x, xs), scan_prog(jlax, x, xs, reverse))


def test_scan_int_pytrees_and_no_xs():
    def prog(L, c):
        def f(carry, _):
            a, b = carry["a"], carry["b"]
            return {"a": a + b, "b": b * 2}, [a, b - 1]
        return L.scan(f, c, None, length=6)
    c = {"a": np.arange(3, dtype=np.int32), "b": np.int32(1)}
    assert_tree_close(hlox.jit(lambda c: prog(hlax, c))(c), prog(jlax, c))


def test_scan_length_zero_and_unroll():
    def prog(L, x, xs):
        return L.scan(lambda c, a: (c + a, c * a), x, xs, unroll=2)
    x = rand((3,))
    for n in (0, 1, 4):
        xs = rand((n, 3))
        assert_tree_close(hlox.jit(lambda x, xs: prog(hlax, x, xs))(x, xs), prog(jlax, x, xs))


def unrolled_prog(L, x, xs, unroll, reverse):
    def f(c, a):
        c = L.sin(c) * a + c
        return c, (c * 2, a - c)
    return L.scan(f, x, xs, reverse=reverse, unroll=unroll)


@pytest.mark.parametrize("unroll,reverse", [(2, False), (3, True), (True, False), (9, True)])
def test_scan_unroll_values_and_bodies(unroll, reverse):
    x, xs = rand((3,)), rand((7, 3))  # 7 steps: 3 trips of 2 + 1, 2 of 3 + 1, full, 9 > 7
    run = hlox.jit(lambda x, xs: unrolled_prog(hlax, x, xs, unroll, reverse))
    assert_tree_close(run(x, xs), unrolled_prog(jlax, x, xs, unroll, reverse))
    k = 7 if unroll is True or unroll > 7 else unroll
    bodies = k + 7 % k if k < 7 else 7  # per loop iteration, plus the remainder after it
    text = run.lower(x, xs).as_text()
    assert text.count("stablehlo.sine") == bodies
    assert ("stablehlo.while" in text) == (k < 7)


def test_scan_unroll_grad_reverse_with_remainder():
    def loss(L, np_, x, xs):
        carry, (ys, _) = unrolled_prog(L, x, xs, 3, True)
        return np_.sum(carry) + np_.sum(ys * ys)
    x, xs = rand((3,)), rand((7, 3))
    grads = hlox.jit(hlox.grad(lambda x, xs: loss(hlax, hnp, x, xs), argnums=(0, 1)))(x, xs)
    ref = jax.grad(lambda x, xs: loss(jlax, jnp, x, xs), argnums=(0, 1))(x, xs)
    for g, r in zip(grads, ref):
        np.testing.assert_allclose(g, r, **GRAD_TOL)


def test_fori_loop_unroll():
    prog = lambda L, x: L.fori_loop(1, 8, lambda i, v: L.sin(v) * i, x, unroll=3)  # noqa: E731
    x = rand((2,))
    run = hlox.jit(lambda x: prog(hlax, x))
    assert_tree_close(run(x), prog(jlax, x))
    assert run.lower(x).as_text().count("stablehlo.sine") == 3 + 1
    with pytest.raises(ValueError, match="unroll needs static"):
        hlox.jit(lambda x, n: hlax.fori_loop(0, n, lambda i, v: v, x, unroll=2))(x, 3)
    with pytest.raises(ValueError, match="non-negative"):
        hlax.scan(lambda c, a: (c, a), x, rand((3,)), unroll=-1)


@pytest.mark.parametrize("batch_size", [3, 8])
def test_map_batch_size_with_remainder(batch_size):
    # 7 rows: batches of 2 and 3 leave a remainder vmapped after the scan; 8 is all remainder
    def prog(L, np_, xs):
        return L.map(lambda d: {"s": np_.sum(d["x"]) * d["x"], "i": d["i"] + 1},
                     {"x": xs, "i": np.arange(7, dtype=np.int32)}, batch_size=batch_size)
    xs = rand((7, 3))
    assert_tree_close(hlox.jit(lambda xs: prog(hlax, hnp, xs))(xs), prog(jlax, jnp, xs))


@pytest.mark.parametrize("shape", [(4,), (3, 2)])
def test_map_values(shape):
    xs = rand(shape)
    assert_tree_close(hlox.jit(lambda xs: map_prog(hlax, xs))(xs), map_prog(jlax, xs))


def test_eager_control_flow():
    # outside jit, each control-flow primitive compiles and runs on its own
    from hlox.frontend.transforms import control_flow
    x = np.float32(1.5)
    assert_tree_close(cond_prog(hlax, True, x), cond_prog(jlax, True, x))
    assert_tree_close(fori_prog(hlax, x), fori_prog(jlax, x))
    # the same loop again (traced anew) reuses the compiled program
    cached = len(control_flow._eager_cache)
    assert_tree_close(fori_prog(hlax, x + 1), fori_prog(jlax, x + 1))
    assert len(control_flow._eager_cache) == cached


def test_closed_over_values_and_constants():
    def prog(L, x, y):
        big = np.arange(3, dtype=np.float32)
        return L.cond(L.lt(L.reduce_sum(x, (0,)), np.float32(0)), lambda v: v * y + big,
                      lambda v: v - y, x)
    x, y = rand((3,)), rand((3,))
    for s in (1, -1):
        assert_tree_close(hlox.jit(lambda x, y: prog(hlax, x, y))(x * s, y),
                          prog(jlax, x * s, y))


def test_branch_outputs_may_differ_only_in_weak_type():
    def prog(L, p, x):
        return L.cond(p, lambda v: v, lambda v: 0.0, x)  # weak float32 vs float32
    x = np.float32(2.5)
    f = hlox.jit(lambda p, x: prog(hlax, p, x))
    for p in (True, False):
        assert_tree_close(f(np.bool_(p), x), prog(jlax, np.bool_(p), x))
    # a Python int is int32: a different dtype, an error (as in JAX)
    with pytest.raises(TypeError, match=r"false_fun returns ~i32\[\]; true_fun returns f32"):
        hlox.jit(lambda x: hlax.cond(True, lambda v: v, lambda v: 0, x))(x)


# ---------------------------------------------------------------------------
# Nested control flow
# ---------------------------------------------------------------------------


def nested_prog(L, p, x, xs):
    """A scan inside a cond, then a while inside a scan."""
    def in_true(v):
        return L.scan(lambda c, a: (c * a + 1, c), v, xs)[0]

    out = L.cond(p, in_true, lambda v: v * 3, x)

    def body(c, a):
        c = L.while_loop(lambda v: L.lt(L.reduce_sum(v, (0,)), np.float32(10)),
                         lambda v: v + a * a + 0.5, c)
        return c, c

    return L.scan(body, out, xs)


def test_nested_control_flow():
    x, xs = rand((3,)), rand((4, 3))
    f = hlox.jit(lambda p, x, xs: nested_prog(hlax, p, x, xs))
    for p in (True, False):
        assert_tree_close(f(np.bool_(p), x, xs), nested_prog(jlax, np.bool_(p), x, xs))


# ---------------------------------------------------------------------------
# Derivatives: against JAX (float32) and finite differences (float64)
# ---------------------------------------------------------------------------


def loss_cond(L, x, y):
    return L.reduce_sum(L.cond(L.lt(L.reduce_sum(x, (0,)), np.asarray(0, x.dtype)),
                               lambda a, b: a * b * b, lambda a, b: a * a + b, x, y), (0,))


def loss_fori(L, x, y):
    return L.reduce_sum(L.fori_loop(0, 4, lambda i, v: v * y + L.exp(v) * 0.1, x), (0,))


def loss_scan(L, x, y, reverse=False):
    def f(c, a):
        c = c * a + L.exp(c) * 0.1
        return c, c * y
    c, ys = L.scan(f, x, L.broadcast_in_dim(y, (4,) + y.shape, (1,)) * 0.5, reverse=reverse)
    return L.reduce_sum(c, (0,)) + L.reduce_sum(ys * ys, (0, 1))


def loss_switch(L, x, y):
    i = L.convert_element_type(L.gt(L.reduce_sum(x, (0,)), np.asarray(0, x.dtype)), np.int32)
    return L.reduce_sum(L.switch(i, [lambda a: a * y, lambda a: L.exp(a) - y], x), (0,))


LOSSES = [("cond", loss_cond), ("fori", loss_fori), ("scan", loss_scan),
          ("scan_reverse", lambda L, x, y: loss_scan(L, x, y, True)), ("switch", loss_switch)]

@pytest.mark.parametrize("name,loss", LOSSES, ids=[n for n, _ in LOSSES])
def test_grad_vs_jax(name, loss):
    for sign in (1, -1):  # both branches of the conds
        x = (np.abs(rand((3,))) * sign * 0.5).astype(np.float32)
        y = rand((3,)) * 0.5
        got = hlox.jit(hlox.grad(lambda x, y: loss(hlax, x, y), argnums=(0, 1)))(x, y)
        want = jax.grad(lambda x, y: loss(jlax, x, y), argnums=(0, 1))(x, y)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, **GRAD_TOL)
        _, t = hlox.jvp(lambda x: loss(hlax, x, y), (x,), (np.ones_like(x),))
        _, tj = jax.jvp(lambda x: loss(jlax, x, y), (x,), (np.ones_like(x),))
        np.testing.assert_allclose(t, tj, **GRAD_TOL)


@pytest.mark.parametrize("name,loss", LOSSES, ids=[n for n, _ in LOSSES])
def test_grads_finite_differences(name, loss):
    x = np.abs(rand((3,), np.float64)) * 0.5 + 0.1
    y = rand((3,), np.float64) * 0.5
    check_grads(hlox.jit(lambda x, y: loss(hlax, x, y)), (x, y), order=1)


def test_jvp_through_while_and_grad_error():
    def f(x):
        return hlax.while_loop(lambda c: hlax.lt(c[0], np.int32(3)),
                               lambda c: (c[0] + np.int32(1), c[1] * c[1]), (np.int32(0), x))[1]
    x = np.float32(1.1)
    _, t = hlox.jit(lambda x: hlox.jvp(f, (x,), (np.float32(1),)))(x)
    np.testing.assert_allclose(t, 8 * x ** 7, rtol=1e-5)
    with pytest.raises(TypeError, match="Reverse-mode differentiation does not work for "
                                        "lax.while_loop"):
        hlox.grad(f)(x)
    # dynamic fori_loop bounds make it a while: same error
    with pytest.raises(TypeError, match="fori_loop with static"):
        hlox.jit(hlox.grad(lambda x, n: hlax.fori_loop(0, n, lambda i, v: v * v, x)))(
            x, np.int32(2))


def test_second_order_through_scan():
    def f(L, x):
        return L.scan(lambda c, a: (c * c * a, c), x, np.asarray([1.0, 0.5], x.dtype))[0]
    x = np.float32(0.7)
    got = hlox.jit(hlox.grad(hlox.grad(lambda x: f(hlax, x))))(x)
    want = jax.grad(jax.grad(lambda x: f(jlax, x)))(x)
    np.testing.assert_allclose(got, want, **GRAD_TOL)


def test_checkpoint_grad_equals_plain_grad():
    def block(x, w):
        return hnp.exp(x * w) * w

    def loss(x, w, ck):
        f = hlox.checkpoint(block) if ck else block
        return hnp.sum(f(f(x, w), w))

    x, w = rand((4,)) * 0.3, rand((4,)) * 0.3
    plain = hlox.jit(hlox.grad(lambda x, w: loss(x, w, False), argnums=(0, 1)))(x, w)
    ck = hlox.jit(hlox.grad(lambda x, w: loss(x, w, True), argnums=(0, 1)))(x, w)
    for a, b in zip(plain, ck):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    assert hlox.remat is hlox.checkpoint
    # the backward pass recomputes the blocks' exp instead of saving it
    def count_exp(ck):
        text = str(hlox.make_jaxpr(hlox.grad(lambda x, w: loss(x, w, ck)))(x, w))
        return text.count(" exp ")
    assert count_exp(False) == 2 and count_exp(True) == 4


# ---------------------------------------------------------------------------
# vmap against a Python loop over the batch
# ---------------------------------------------------------------------------


def _loop(f, *args):
    outs = [f(*(a[i] for a in args)) for i in range(args[0].shape[0])]
    return jax.tree_util.tree_map(lambda *o: np.stack(o), *outs)


def test_vmap_cond_batched_predicate_becomes_select():
    f = lambda p, x: cond_prog(hlax, p, x)  # noqa: E731
    p, x = np.array([True, False, True]), rand((3, 2))
    out = hlox.jit(hlox.vmap(f))(p, x)
    assert_tree_close(out, _loop(lambda p, x: cond_prog(jlax, p, x), p, x))
    text = str(hlox.make_jaxpr(hlox.vmap(f))(p, x))
    assert "select" in text and "cond[" not in text
    # unbatched predicate: stays a cond
    out = hlox.jit(hlox.vmap(f, in_axes=(None, 0)))(np.bool_(False), x)
    assert_tree_close(out, _loop(lambda x: cond_prog(jlax, False, x), x))


def test_vmap_switch():
    i, x = np.array([0, 2, 1, 5], np.int32), rand((4, 3))
    out = hlox.jit(hlox.vmap(lambda i, x: switch_prog(hlax, i, x)))(i, x)
    assert_tree_close(out, _loop(lambda i, x: switch_prog(jlax, i, x), i, x))


def test_vmap_while_batched_predicate():
    def prog(L, x):
        return L.while_loop(lambda v: L.lt(v, np.float32(50)), lambda v: v * 2 + 1, x)
    x = np.array([0.5, 3.0, 60.0, 10.0], np.float32)
    out = hlox.jit(hlox.vmap(lambda x: prog(hlax, x)))(x)
    assert_tree_close(out, _loop(lambda x: prog(jlax, x), x))


def test_vmap_fori_scan_map():
    x, xs = rand((3, 2)), rand((3, 5, 2))
    assert_tree_close(hlox.jit(hlox.vmap(lambda x: fori_prog(hlax, x)))(x),
                      _loop(lambda x: fori_prog(jlax, x), x))
    for reverse in (False, True):
        out = hlox.jit(hlox.vmap(lambda x, xs: scan_prog(hlax, x, xs, reverse)))(x, xs)
        assert_tree_close(out, _loop(lambda x, xs: scan_prog(jlax, x, xs, reverse), x, xs))
    # only xs batched (the carry becomes batched through the body)
    out = hlox.jit(hlox.vmap(lambda xs: scan_prog(hlax, x[0], xs, False)))(xs)
    assert_tree_close(out, _loop(lambda xs: scan_prog(jlax, x[0], xs, False), xs))
    assert_tree_close(hlox.jit(hlox.vmap(lambda xs: map_prog(hlax, xs)))(xs),
                      _loop(lambda xs: map_prog(jlax, xs), xs))


def test_vmap_of_grad_through_scan():
    x, y = rand((4, 3)) * 0.5, rand((3,)) * 0.5
    got = hlox.jit(hlox.vmap(hlox.grad(lambda x: loss_scan(hlax, x, y))))(x)
    want = jax.vmap(jax.grad(lambda x: loss_scan(jlax, x, y)))(x)
    np.testing.assert_allclose(got, want, **GRAD_TOL)


# ---------------------------------------------------------------------------
# make_jaxpr and the emitted StableHLO
# ---------------------------------------------------------------------------


def test_make_jaxpr_prints_nested_graphs():
    jaxpr = hlox.make_jaxpr(lambda x: fori_prog(hlax, x))(np.float32(1))
    text = str(jaxpr)
    assert text.startswith("{ lambda ")
    assert "scan[" in text and "body={ lambda" in text and "length=7" in text
    assert jaxpr.out_avals[0].shape == ()


def test_stablehlo_uses_case_and_while():
    text = hlox.jit(lambda p, x: cond_prog(hlax, p, x)).lower(np.bool_(True),
                                                              np.float32(1)).as_text()
    assert "stablehlo.case" in text
    text = hlox.jit(lambda x, xs: scan_prog(hlax, x, xs, False)).lower(
        rand((2,)), rand((3, 2))).as_text()
    assert "stablehlo.while" in text and "stablehlo.dynamic_update_slice" in text


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


def test_python_if_on_traced_value():
    def f(x):
        if hlax.gt(x, np.float32(0)):  # the line the error must name
            return x
        return -x
    with pytest.raises(TracerBoolConversionError) as info:
        hlox.jit(f)(np.float32(1))
    msg = str(info.value)
    assert "bool[]" in msg and "test_control_flow.py" in msg and "lax.cond" in msg
    assert "static_argnums" in msg
    assert isinstance(info.value, TracerError) and isinstance(info.value, TypeError)


def test_python_while_int_float_on_traced_value():
    def g(x):
        while x:
            x = x - 1
        return x
    with pytest.raises(TracerBoolConversionError, match="lax.while_loop"):
        hlox.jit(g)(np.float32(3))
    with pytest.raises(TracerError, match=r"int\(\).*i32\[2\]"):
        hlox.jit(lambda x: int(x))(np.zeros(2, np.int32))
    with pytest.raises(TracerError, match=r"float\(\)"):
        hlox.jit(lambda x: float(x))(np.float32(3))


def test_branch_type_mismatch_names_both():
    with pytest.raises(TypeError, match=r"false_fun returns f32\[2\]; true_fun returns "
                                        r"f32\[3\]"):
        hlox.jit(lambda x: hlax.cond(True, lambda v: v, lambda v: hnp.sum(v) + np.ones(
            2, np.float32), x))(rand((3,)))
    with pytest.raises(TypeError, match=r"carry leaf \d+ is f32\[\] and the body returns "
                                        r"f32\[2\]"):
        hlox.jit(lambda x: hlax.fori_loop(0, 2, lambda i, v: hlax.broadcast_in_dim(
            v, (2,), ()), x))(np.float32(1))
    with pytest.raises(TypeError, match="predicate must be a scalar"):
        hlox.jit(lambda x: hlax.cond(x, lambda v: v, lambda v: v, x))(rand((2,)))


CASE_REPRO = """
func.func public @main(%arg0: tensor<3xf32>, %arg1: tensor<3xf32>, %i: tensor<i32>)
    -> (tensor<3xf32>, tensor<3xf32>) {
  %c1 = stablehlo.constant dense<1.000000e+00> : tensor<f32>
  %one = stablehlo.broadcast_in_dim %c1, dims = [] : (tensor<f32>) -> tensor<3xf32>
  %r:3 = "stablehlo.case"(%i) ({
    %z = stablehlo.constant dense<0.000000e+00> : tensor<3xf32>
    stablehlo.return %arg0, %z, %arg1 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  }, {
    %z = stablehlo.constant dense<0.000000e+00> : tensor<3xf32>
    %e = stablehlo.exponential %arg0 : tensor<3xf32>
    %n = stablehlo.negate %one : tensor<3xf32>
    %m = stablehlo.multiply %one, %e : tensor<3xf32>
    stablehlo.return %z, %n, %m : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  }) : (tensor<i32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  %s = stablehlo.add %r#0, %r#1 : tensor<3xf32>
  return %r#2, %s : tensor<3xf32>, tensor<3xf32>
}
"""


def test_cpu_case_result_repro():
    """What grad through switch emits, reduced: the CPU backend returns %r#1 for %r#2."""
    a = np.array([1.0, 2.0, 3.0], np.float32)
    got = hlox.compile_stablehlo(CASE_REPRO, backend="cpu")(a, a, np.int32(1))
    np.testing.assert_allclose(got[0], np.exp(a), rtol=1e-6)
    np.testing.assert_allclose(got[1], -np.ones(3, np.float32))
