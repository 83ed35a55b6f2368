"""hlox.jvp / vjp / grad / value_and_grad / jacfwd / jacrev / hessian.

References: central finite differences (hlox.frontend.libraries.test_util.check_grads,
float64, tolerances in test_util.DEFAULT_TOLS: atol=rtol=1e-5 for float64) and
JAX (the same function written against jax.lax / jax.numpy, float32; tolerance
FLOAT32_TOL below). Eager hlox runs each primitive through the CPU backend.
"""

from __future__ import annotations

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax as hlax
from hlox.frontend.libraries.test_util import check_grads

jax = pytest.importorskip("jax")
jnp = jax.numpy
jlax = jax.lax

FLOAT32_TOL = dict(rtol=2e-5, atol=2e-5)  # hlox vs JAX, float32 (different op order/libm)

rng = np.random.default_rng(0)


def rand(*shape, dtype=np.float64, positive=False):
    x = rng.standard_normal(shape)
    if positive:
        x = np.abs(x) + 0.5
    return x.astype(dtype)


# (name, fn(lax_module, *args), arg shapes, positive inputs?)
PRIMITIVE_CASES = [
    ("add", lambda L, x, y: L.add(x, y), [(3, 4), (3, 4)], False),
    ("sub", lambda L, x, y: L.sub(x, y), [(3, 4), (3, 4)], False),
    ("mul", lambda L, x, y: L.mul(x, y), [(3, 4), (3, 4)], False),
    ("div", lambda L, x, y: L.div(x, y), [(3, 4), (3, 4)], True),
    ("max", lambda L, x, y: L.max(x, y), [(3, 4), (3, 4)], False),
    ("neg", lambda L, x: L.neg(x), [(5,)], False),
    ("exp", lambda L, x: L.exp(x), [(2, 3)], False),
    ("log", lambda L, x: L.log(x), [(2, 3)], True),
    ("broadcast_in_dim", lambda L, x: L.broadcast_in_dim(x, (2, 3, 4), (0, 2)), [(2, 4)], False),
    ("broadcast_in_dim_size1", lambda L, x: L.broadcast_in_dim(x, (3, 4), (0, 1)), [(1, 4)],
     False),
    ("reshape", lambda L, x: L.reshape(x, (3, 2, 2)), [(4, 3)], False),
    ("transpose", lambda L, x: L.transpose(x, (2, 0, 1)), [(2, 3, 4)], False),
    ("dot_general_matmul", lambda L, x, y: L.dot_general(x, y, (((1,), (0,)), ((), ()))),
     [(3, 4), (4, 5)], False),
    ("dot_general_batch", lambda L, x, y: L.dot_general(x, y, (((2,), (1,)), ((0,), (0,)))),
     [(2, 3, 4), (2, 4, 5)], False),
    ("dot_general_odd", lambda L, x, y: L.dot_general(x, y, (((0,), (2,)), ((2,), (0,)))),
     [(4, 3, 2), (2, 5, 4)], False),
    ("dot_general_vec", lambda L, x, y: L.dot_general(x, y, (((0,), (0,)), ((), ()))),
     [(4,), (4,)], False),
    ("reduce_sum", lambda L, x: L.reduce_sum(x, (0, 2)), [(2, 3, 4)], False),
    ("reduce_sum_all", lambda L, x: L.reduce_sum(x, (0, 1)), [(3, 4)], False),
    ("select", lambda L, x, y: L.select(L.gt(x, y), L.mul(x, y), L.exp(y)), [(3, 4), (3, 4)],
     False),
    ("convert", lambda L, x: L.mul(L.convert_element_type(x, np.float32),
                                   L.convert_element_type(x, np.float32)), [(3,)], False),
    ("stop_gradient", lambda L, x: L.mul(x, L.stop_gradient(L.exp(x))), [(3,)], False),
]


def _jax_fn(fn):
    return lambda *xs: fn(jlax, *xs)


def _hlox_fn(fn):
    return lambda *xs: fn(hlax, *xs)


@pytest.mark.parametrize("name,fn,shapes,positive", PRIMITIVE_CASES,
                         ids=[c[0] for c in PRIMITIVE_CASES])
def test_primitive_against_finite_differences(name, fn, shapes, positive):
    if name == "stop_gradient":
        pytest.skip("stop_gradient's derivative is zero by definition, not f's (checked vs JAX)")
    if name in ("convert", "stop_gradient"):  # float32 inside; fd in float32 tolerances
        args = [rand(*s, dtype=np.float32, positive=positive) for s in shapes]
    else:
        args = [rand(*s, positive=positive) for s in shapes]
    order = 1 if name in ("max", "select") else 2  # piecewise: second order is 0 a.e.
    check_grads(_hlox_fn(fn), args, order=order)


@pytest.mark.parametrize("name,fn,shapes,positive", PRIMITIVE_CASES,
                         ids=[c[0] for c in PRIMITIVE_CASES])
def test_primitive_against_jax(name, fn, shapes, positive):
    args = [rand(*s, dtype=np.float32, positive=positive) for s in shapes]
    tangents = [rand(*s, dtype=np.float32) for s in shapes]
    out, tan = hlox.jvp(_hlox_fn(fn), args, tangents)
    jout, jtan = jax.jvp(_jax_fn(fn), args, tangents)
    np.testing.assert_allclose(out, jout, **FLOAT32_TOL)
    np.testing.assert_allclose(tan, jtan, **FLOAT32_TOL)
    w = rand(*np.shape(jout), dtype=np.float32)
    argnums = tuple(range(len(args)))
    g = hlox.grad(lambda *xs: hlax.reduce_sum(hlax.mul(fn(hlax, *xs), w),
                                              tuple(range(w.ndim))), argnums)(*args)
    jg = jax.grad(lambda *xs: jnp.sum(fn(jlax, *xs) * w), argnums)(*args)
    for a, b in zip(g, jg):
        np.testing.assert_allclose(a, b, **FLOAT32_TOL)


def poly(x):
    return x ** 3 + 2 * x ** 2 - 3 * x + 1


def test_polynomial_derivatives_up_to_fourth():
    f = poly
    x = 2.0
    derivs = [f]
    for _ in range(4):
        derivs.append(hlox.grad(derivs[-1]))
    jf = [poly]
    for _ in range(4):
        jf.append(jax.grad(jf[-1]))
    for k in range(5):
        np.testing.assert_allclose(np.asarray(derivs[k](x)), np.asarray(jf[k](x)), rtol=1e-6)
    # exact values: 17, 16, 6, 0
    assert float(derivs[4](x)) == 0.0
    assert float(derivs[3](x)) == pytest.approx(6.0)


def test_grad_fails_loudly_on_wrong_derivative():
    """The harness can fail: a deliberately wrong JVP is caught by check_grads."""
    from hlox.frontend.core import tracing as core
    rule = core.jvp_rules[hlax.exp_p]
    core.jvp_rules[hlax.exp_p] = lambda p, t: (hlax.exp(p[0]), hlax.mul(t[0], p[0]))
    try:
        with pytest.raises(AssertionError):
            check_grads(lambda x: hlax.exp(x), [rand(3)], order=1)
    finally:
        core.jvp_rules[hlax.exp_p] = rule


def test_jit_of_grad_and_grad_of_jit():
    def f(x, w):
        return hnp.sum(hnp.exp(hnp.matmul(x, w)) * 0.5)

    def jf(x, w):
        return jnp.sum(jnp.exp(x @ w) * 0.5)

    x, w = rand(3, 4, dtype=np.float32), rand(4, 2, dtype=np.float32) * 0.3
    expected = jax.grad(jf, (0, 1))(x, w)
    for g in (hlox.jit(hlox.grad(f, (0, 1)))(x, w), hlox.grad(hlox.jit(f), (0, 1))(x, w),
              hlox.grad(f, (0, 1))(x, w)):
        for a, b in zip(g, expected):
            np.testing.assert_allclose(a, b, **FLOAT32_TOL)


def test_jit_of_higher_order_grad():
    d3 = hlox.jit(hlox.grad(hlox.grad(hlox.grad(poly))))
    x = np.float32(1.5)
    np.testing.assert_allclose(d3(x), jax.grad(jax.grad(jax.grad(poly)))(x), rtol=1e-6)


def test_jit_of_grad_of_relu():
    f = lambda x: hlax.reduce_sum(hnp.maximum(x, 0.0), (0,))  # noqa: E731
    x = rand(5, dtype=np.float32)
    np.testing.assert_allclose(hlox.jit(hlox.grad(f))(x), (x > 0).astype(np.float32))


def test_value_and_grad_argnums_has_aux():
    def loss(w, b, x):
        y = hnp.matmul(x, w) + b
        return hlax.reduce_sum(y * y, (0,)), y

    w, b, x = rand(3, dtype=np.float32), np.float32(0.5), rand(4, 3, dtype=np.float32)
    (val, aux), (gw, gb) = hlox.value_and_grad(loss, argnums=(0, 1), has_aux=True)(w, b, x)
    jl = lambda w, b, x: (jnp.sum((x @ w + b) ** 2), x @ w + b)  # noqa: E731
    (jval, jaux), (jgw, jgb) = jax.value_and_grad(jl, argnums=(0, 1), has_aux=True)(w, b, x)
    np.testing.assert_allclose(val, jval, **FLOAT32_TOL)
    np.testing.assert_allclose(aux, jaux, **FLOAT32_TOL)
    np.testing.assert_allclose(gw, jgw, **FLOAT32_TOL)
    np.testing.assert_allclose(gb, jgb, **FLOAT32_TOL)


def test_grad_errors():
    with pytest.raises(TypeError, match="scalar output"):
        hlox.grad(lambda x: x * 2.0)(rand(3, dtype=np.float32))
    with pytest.raises(TypeError, match="floating-point"):
        hlox.grad(lambda x: x * 2)(np.int32(3))


def test_stop_gradient():
    f = lambda x: x * hlox.stop_gradient(x)  # noqa: E731
    assert float(hlox.grad(f)(3.0)) == pytest.approx(3.0)


def test_linearize_matches_jvp():
    f = lambda x: hnp.exp(x) * x  # noqa: E731
    x, t = rand(4, dtype=np.float32), rand(4, dtype=np.float32)
    y, f_jvp = hlox.linearize(f, x)
    np.testing.assert_allclose(f_jvp(t), hlox.jvp(f, (x,), (t,))[1], **FLOAT32_TOL)
    np.testing.assert_allclose(f_jvp(t), jax.jvp(lambda x: jnp.exp(x) * x, (x,), (t,))[1],
                               **FLOAT32_TOL)


def test_jvp_of_grad_and_grad_of_jvp():
    f = lambda x: hlax.reduce_sum(hnp.exp(x) * x, (0,))  # noqa: E731
    jf = lambda x: jnp.sum(jnp.exp(x) * x)  # noqa: E731
    x, t = rand(3, dtype=np.float32), rand(3, dtype=np.float32)
    _, hvp = hlox.jvp(hlox.grad(f), (x,), (t,))
    _, jhvp = jax.jvp(jax.grad(jf), (x,), (t,))
    np.testing.assert_allclose(hvp, jhvp, **FLOAT32_TOL)


def test_jacobians_and_hessian():
    def f(x):
        return hnp.exp(hnp.matmul(A, x)) * hnp.sum(x)

    def jf(x):
        return jnp.exp(A @ x) * jnp.sum(x)

    A = rand(2, 3, dtype=np.float32) * 0.5
    x = rand(3, dtype=np.float32)
    np.testing.assert_allclose(hlox.jacfwd(f)(x), jax.jacfwd(jf)(x), **FLOAT32_TOL)
    np.testing.assert_allclose(hlox.jacrev(f)(x), jax.jacrev(jf)(x), **FLOAT32_TOL)
    s = lambda x: hlax.reduce_sum(f(x), (0,))  # noqa: E731
    js = lambda x: jnp.sum(jf(x))  # noqa: E731
    np.testing.assert_allclose(hlox.hessian(s)(x), jax.hessian(js)(x), rtol=1e-4, atol=1e-4)


def test_pytree_grad():
    def loss(params, x):
        return hlax.reduce_sum(hnp.matmul(x, params["w"]) * params["b"], (0,))

    params = {"w": rand(3, dtype=np.float32), "b": np.float32(2.0)}
    x = rand(4, 3, dtype=np.float32)
    g = hlox.grad(loss)(params, x)
    jg = jax.grad(lambda p, x: jnp.sum((x @ p["w"]) * p["b"]))(params, x)
    np.testing.assert_allclose(g["w"], jg["w"], **FLOAT32_TOL)
    np.testing.assert_allclose(g["b"], jg["b"], **FLOAT32_TOL)


def _load_example(name):
    import importlib.util
    import pathlib
    path = pathlib.Path(__file__).resolve().parents[3] / "examples" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"example_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_linear_regression_loss_falls():
    example = _load_example("linear_regression")
    params, losses = example.train(steps=40, verbose=False)
    assert losses[-1] < 1e-2 * losses[0]
    assert all(b <= a * 1.0001 for a, b in zip(losses, losses[1:]))  # monotone for this lr
    np.testing.assert_allclose(params["w"], [2.0, -1.0, 0.5], atol=1e-2)


def test_custom_jvp():
    @hlox.custom_jvp
    def f(x):
        return hnp.exp(x) * 2.0

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return f(x), t * 3.0  # deliberately not the true derivative: the rule must be used

    x = rand(3, dtype=np.float32)
    out, t = hlox.jvp(f, (x,), (np.ones(3, np.float32),))
    np.testing.assert_allclose(out, 2 * np.exp(x), **FLOAT32_TOL)
    np.testing.assert_allclose(t, np.full(3, 3.0, np.float32))
    g = hlox.grad(lambda x: hnp.sum(f(x)))(x)
    np.testing.assert_allclose(g, np.full(3, 3.0, np.float32))
    np.testing.assert_allclose(hlox.jit(hlox.grad(lambda x: hnp.sum(f(x))))(x),
                               np.full(3, 3.0, np.float32))


def test_custom_vjp():
    @hlox.custom_vjp
    def clip_grad(x):
        return x * 1.0

    def fwd(x):
        return clip_grad(x), None

    def bwd(res, ct):
        return (ct * 0.5,)

    clip_grad.defvjp(fwd, bwd)
    x = rand(4, dtype=np.float32)
    g = hlox.grad(lambda x: hnp.sum(clip_grad(x) * x))(x)
    # d/dx [c(x) * x] with c's vjp halved: 0.5 * x + c(x) = 1.5 x
    np.testing.assert_allclose(g, 1.5 * x, **FLOAT32_TOL)
    with pytest.raises(TypeError, match="forward-mode"):
        hlox.jvp(clip_grad, (x,), (x,))


def test_no_perturbation_confusion():
    # d/dx [x * d/dy (x * y)] = d/dx [x * x] = 2x
    f = lambda x: x * hlox.grad(lambda y: x * y)(3.0)  # noqa: E731
    assert float(hlox.grad(f)(2.0)) == pytest.approx(4.0)
    jf = lambda x: x * jax.grad(lambda y: x * y)(3.0)  # noqa: E731
    assert float(hlox.grad(f)(2.0)) == pytest.approx(float(jax.grad(jf)(2.0)))


def test_composite_third_order_against_finite_differences():
    """A small network-like function (dot, exp, log, max, broadcasts), float64, order 3."""
    W = rand(4, 3)

    def f(x, b):
        h = hnp.matmul(W, x) + b
        return hnp.log(hnp.exp(h) + 1.0) * hnp.maximum(h, -10.0)

    check_grads(f, [rand(3), rand(4)], order=3)


def test_jit_of_fourth_derivative():
    d4 = hlox.jit(hlox.grad(hlox.grad(hlox.grad(hlox.grad(poly)))))
    assert float(d4(np.float32(0.7))) == 0.0
    d2 = hlox.jit(hlox.grad(hlox.grad(poly)))
    np.testing.assert_allclose(d2(np.float32(0.7)), 6 * 0.7 + 4, rtol=1e-6)


def test_linearized_graph_holds_only_linear_primitives():
    from hlox.frontend.core import tracing as core
    from hlox.frontend.transforms.ad import _linearize_flat
    x = rand(4, dtype=np.float32)
    _, lin = _linearize_flat(lambda x: [hnp.exp(hnp.log(x * x + 1.0)) * x], [x])
    prims = {e.primitive for e in lin.trace.eqns}
    assert prims and all(p in core.transpose_rules for p in prims), prims
    assert hlax.exp_p not in prims and hlax.log_p not in prims


def test_missing_rule_errors_name_the_primitive():
    from hlox.frontend.core.tracing import Primitive
    p = Primitive("my_op")
    p.def_abstract_eval(lambda x: x)
    p.def_impl(lambda x: x)
    with pytest.raises(NotImplementedError, match="my_op.*no JVP rule"):
        hlox.grad(lambda x: p.bind(x))(1.0)
    with pytest.raises(NotImplementedError, match="my_op.*no batching rule"):
        hlox.vmap(lambda x: p.bind(x))(rand(3, dtype=np.float32))




@pytest.mark.parametrize("name,fn,shapes,positive", PRIMITIVE_CASES,
                         ids=[c[0] for c in PRIMITIVE_CASES])
def test_jit_of_grad_per_primitive(name, fn, shapes, positive):
    """The derivative graph of each primitive emits StableHLO and runs on the CPU backend."""
    args = [rand(*s, dtype=np.float32, positive=positive) for s in shapes]
    w = rand(*np.shape(jax.eval_shape(_jax_fn(fn), *args)), dtype=np.float32)
    argnums = tuple(range(len(args)))
    loss = lambda *xs: hlax.reduce_sum(hlax.mul(fn(hlax, *xs), w), tuple(range(w.ndim)))  # noqa
    jitted = hlox.jit(hlox.grad(loss, argnums))(*args)
    jg = jax.grad(lambda *xs: jnp.sum(fn(jlax, *xs) * w), argnums)(*args)
    for a, b in zip(jitted, jg):
        np.testing.assert_allclose(a, b, **FLOAT32_TOL)


def test_jit_of_linearize_jacrev_hessian():
    f = lambda x: hnp.exp(x) * x  # noqa: E731
    jf = lambda x: jnp.exp(x) * x  # noqa: E731
    x, t = rand(3, dtype=np.float32), rand(3, dtype=np.float32)
    np.testing.assert_allclose(hlox.jit(lambda x, t: hlox.linearize(f, x)[1](t))(x, t),
                               jax.jvp(jf, (x,), (t,))[1], **FLOAT32_TOL)
    np.testing.assert_allclose(hlox.jit(hlox.jacrev(f))(x), jax.jacrev(jf)(x), **FLOAT32_TOL)
    np.testing.assert_allclose(hlox.jit(hlox.hessian(lambda x: hnp.sum(f(x))))(x),
                               jax.hessian(lambda x: jnp.sum(jf(x)))(x), rtol=1e-4, atol=1e-4)
