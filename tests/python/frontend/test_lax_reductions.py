"""hlox.lax reductions against jax.lax: reduce_max/min/prod/and/or, argmax/argmin, reduce,
cumsum/cumprod/cummax/cummin; values per dtype, JAX's tie/NaN rules, gradients, vmap."""

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax
from hlox.frontend.libraries.test_util import check_grads

from test_lax_math import TOL, compare, inputs

pytestmark = pytest.mark.usefixtures("x64")  # float64/int64 cases, in hlox and JAX

AXES = [(0,), (1, 2)]


@pytest.mark.parametrize("dtype", [np.float16, ml_dtypes.bfloat16, np.float32, np.int8,
                                   np.uint32, np.bool_], ids=lambda d: np.dtype(d).name)
def test_reductions_match_jax(dtype):
    x = inputs(dtype, -5, 5, shapes=[(3, 4, 5)])[0]
    is_bool = np.dtype(dtype) == np.bool_
    is_int = np.dtype(dtype).kind in "iub"

    def f(lx, a):
        out = {}
        for axes in AXES:
            out[f"max{axes}"] = lx.reduce_max(a, axes)
            out[f"min{axes}"] = lx.reduce_min(a, axes)
            if not is_bool:
                out[f"prod{axes}"] = lx.reduce_prod(a, axes)
            if is_int:
                out[f"and{axes}"] = lx.reduce_and(a, axes)
                out[f"or{axes}"] = lx.reduce_or(a, axes)
        for axis, reverse in ((0, True), (2, False)):
            out[f"argmax{axis}"] = lx.argmax(a, axis, np.int32)
            out[f"argmin{axis}"] = lx.argmin(a, axis, np.int32)
            if not is_bool:  # jax.lax's cumulative reductions take numbers only
                out[f"cummax{axis}{reverse}"] = lx.cummax(a, axis, reverse)
                out[f"cummin{axis}{reverse}"] = lx.cummin(a, axis, reverse)
                out[f"cumsum{axis}{reverse}"] = lx.cumsum(a, axis, reverse)
                out[f"cumprod{axis}{reverse}"] = lx.cumprod(a, axis, reverse)
        return out
    out, ref = hlox.jit(lambda a: f(lax, a))(x), jax.jit(lambda a: f(jax.lax, a))(x)
    assert out.keys() == ref.keys()
    # sums/products of up to 20 terms, associated differently: ~10 ulps in 16-bit floats
    tol = {**TOL, np.dtype(np.float16): dict(rtol=1e-2, atol=1e-2),
           np.dtype(ml_dtypes.bfloat16): dict(rtol=8e-2, atol=8e-2)}
    for key in out:
        try:
            compare(out[key], ref[key], tol)
        except AssertionError as error:
            raise AssertionError(f"{key} on {np.dtype(dtype).name}: {error}") from None


def test_argmax_nan_and_ties_follow_jax():
    x = np.array([[1.0, 3.0, 3.0, 0.0], [np.nan, 2.0, np.nan, 5.0], [-np.inf, -np.inf, -np.inf,
                  -np.inf], [2.0, 2.0, 1.0, np.nan]], np.float32)
    f = lambda lx, a: [lx.argmax(a, 1, np.int32), lx.argmin(a, 1, np.int32),  # noqa: E731
                       lx.argmax(a, 0, np.int32), lx.argmin(a, 0, np.int32)]
    compare(hlox.jit(lambda a: f(lax, a))(x), jax.jit(lambda a: f(jax.lax, a))(x))


def test_generic_reduce_routes_monoids_as_jax():
    # lax.add/max/bitwise_or with their identity become reduce_sum/max/or; anything else
    # (a lambda doing the same, a non-identity init) is a generic reduce with that body.
    x = inputs(np.float32, -3, 3, shapes=[(4, 6)])[0]
    ints = inputs(np.int32, -9, 9, shapes=[(4, 6)])[0]

    def f(lx, a, i):
        return [lx.reduce(a, np.float32(0), lx.add, (0,)),
                lx.reduce(a, np.float32(-np.inf), lx.max, (0, 1)),
                lx.reduce(i, np.int32(0), lx.bitwise_or, (1,)),
                lx.reduce(i, np.int32(-1), lx.bitwise_and, (0,)),
                lx.reduce(a, np.float32(1), lambda p, q: lx.mul(q, p), (1,)),
                lx.reduce(a, np.float32(0.5), lx.min, (1,)),
                lx.reduce((a,), (np.float32(2),), lambda p, q: (lx.add(p[0], q[0]),), (0,))]
    compare(hlox.jit(lambda a, i: f(lax, a, i))(x, ints),
            jax.jit(lambda a, i: f(jax.lax, a, i))(x, ints))
    graph = str(hlox.make_jaxpr(lambda a, i: f(lax, a, i))(x, ints))
    assert [line.split("=")[1].split("[")[0].strip() for line in graph.splitlines()
            if "[axes=" in line or "reduce[" in line] == [
        "reduce_sum", "reduce_max", "reduce_or", "reduce_and", "reduce", "reduce", "reduce"]


def _argmax_by_reduce(lx, a, axis):
    """argmax as a variadic reduce over (values, indices): first maximum wins."""
    def better(p, q):
        take_p = lx.bitwise_or(lx.gt(p[0], q[0]), lx.bitwise_and(lx.eq(p[0], q[0]),
                                                                  lx.lt(p[1], q[1])))
        return lx.select(take_p, p[0], q[0]), lx.select(take_p, p[1], q[1])
    idx = lx.broadcasted_iota(np.int32, a.shape, axis)
    low = np.array(np.iinfo(a.dtype).min if a.dtype.kind in "iu" else -np.inf, a.dtype)
    return lx.reduce((a, idx), (low, np.int32(np.iinfo(np.int32).max)), better, (axis,))


@pytest.mark.parametrize("dtype,shape,axis", [
    (np.float32, (7,), 0), (np.float32, (3, 4, 5), 1), (ml_dtypes.bfloat16, (4, 6), 0),
    (np.int8, (5, 3), 1), (np.uint32, (2, 3, 4), 2)], ids=str)
def test_variadic_reduce_matches_jax(dtype, shape, axis):
    x = inputs(dtype, -4, 4, shapes=[shape])[0]  # small ints: ties, first index must win
    out = hlox.jit(lambda a: _argmax_by_reduce(lax, a, axis))(x)
    compare(out, jax.jit(lambda a: _argmax_by_reduce(jax.lax, a, axis))(x))
    compare(out[1], np.argmax(x, axis).astype(np.int32))


def test_generic_reduce_gradients_and_vmap():
    rng = np.random.default_rng(1)
    x = rng.uniform(0.5, 1.5, size=(3, 5, 2))  # float64: check_grads' finite differences

    def prod(a, dims):  # a product through the generic path (a lambda is no monoid)
        return lax.reduce(a, np.array(1.0, a.dtype), lambda p, q: p * q, dims)
    check_grads(hlox.jit(lambda a: [prod(a, (0, 2)), _argmax_by_reduce(lax, a, 1)[0]]), (x,),
                order=1)
    x32 = x.astype(np.float32)
    g = hlox.jit(hlox.grad(lambda a: hnp.sum(prod(a, (1,)) ** 2)))(x32)
    ref = jax.grad(lambda a: jnp.sum(jax.lax.reduce(a, np.float32(1), lambda p, q: p * q,
                                                    (1,)) ** 2))(x32)
    compare(g, ref)
    out = hlox.jit(hlox.vmap(lambda a: _argmax_by_reduce(lax, a, 0), in_axes=1))(x32)
    loop = [np.stack(c) for c in zip(*(hlox.jit(lambda a: _argmax_by_reduce(lax, a, 0))(
        x32[:, i]) for i in range(x32.shape[1])))]
    compare(out, loop)


def test_generic_reduce_errors():
    x = np.ones((2, 3), np.float32)
    mul = lambda p, q: p * q  # noqa: E731
    with pytest.raises(NotImplementedError, match="non-zero tangents for initial values"):
        hlox.grad(lambda i: hnp.sum(lax.reduce(x, i, mul, (0,))))(np.float32(1))
    with pytest.raises(NotImplementedError, match="closes over traced values"):
        hlox.jit(lambda a, b: lax.reduce(a, np.float32(1), lambda p, q: p * q * b, (0,)))(
            x, np.float32(2))
    with pytest.raises(ValueError, match="same tree structure"):
        lax.reduce((x, x), (np.float32(0),), mul, (0,))
    with pytest.raises(TypeError, match=r"reduce: each operand's dtype"):
        hlox.jit(lambda a: lax.reduce(a, np.int32(1), mul, (0,)))(x)
    with pytest.raises(TypeError, match=r"reduce: axes \(2,\) are not distinct"):
        hlox.jit(lambda a: lax.reduce(a, np.float32(1), mul, (2,)))(x)


# -- gradients ---------------------------------------------------------------

def test_reduction_gradients_finite_differences():
    rng = np.random.default_rng(0)
    x = rng.uniform(0.5, 1.5, size=(3, 4)) * rng.choice([-1, 1], size=(3, 4))

    def f(a):
        return {"max": lax.reduce_max(a, (1,)), "min": lax.reduce_min(a, (0, 1)),
                "prod": lax.reduce_prod(a, (0,)), "cumsum": lax.cumsum(a, 1),
                "cumsum_rev": lax.cumsum(a, 0, reverse=True), "cumprod": lax.cumprod(a, 1),
                "cummax": lax.cummax(a, 1), "cummin": lax.cummin(a, 0, reverse=True)}
    check_grads(hlox.jit(f), (x,), order=1)
    check_grads(hlox.jit(lambda a: lax.reduce_prod(a, (0,))), (x,), order=2)


def test_reduction_gradients_match_jax_with_ties_and_zeros():
    # ties in max share the gradient; products with one and with two zeros
    x = np.array([[1.0, 3.0, 3.0, 0.5], [0.0, 2.0, 1.5, -1.0], [0.0, 0.0, 2.0, 3.0]])

    def loss(lx, jnp_sum, a):
        return (jnp_sum(lx.reduce_max(a, (1,)) * np.array([1.0, 2.0, 3.0]))
                + jnp_sum(lx.reduce_prod(a, (1,)) * np.array([1.0, -2.0, 0.5]))
                + jnp_sum(lx.cumprod(a, 1) * np.arange(12.0).reshape(3, 4))
                + jnp_sum(lx.cumsum(a, 0) * np.arange(12.0).reshape(3, 4)))
    g = hlox.jit(hlox.grad(lambda a: loss(lax, hnp.sum, a)))(x)
    ref = jax.grad(lambda a: loss(jax.lax, jnp.sum, a))(x)
    compare(g, ref)


# -- vmap --------------------------------------------------------------------

def test_vmap_matches_loop():
    x = inputs(np.float32, -3, 3, shapes=[(3, 4, 5)])[0]

    def f(a):
        return [lax.reduce_max(a, (1,)), lax.reduce_prod(a, (0,)), lax.argmin(a, 1, np.int32),
                lax.cumsum(a, 0, reverse=True), lax.cummax(a, 1),
                lax.reduce_or(lax.is_finite(a), (0, 1))]
    out = hlox.jit(hlox.vmap(f))(x)
    loop = [np.stack(col) for col in zip(*[hlox.jit(f)(a) for a in x])]
    compare(out, loop)


def test_errors():
    x = np.ones((2, 3), np.float32)
    with pytest.raises(TypeError, match=r"reduce_max: axes \(2,\) are not distinct dimensions"):
        hlox.jit(lambda a: lax.reduce_max(a, (2,)))(x)
    with pytest.raises(TypeError, match=r"reduce_and: needs a bool or integer operand"):
        hlox.jit(lambda a: lax.reduce_and(a, (0,)))(x)
    with pytest.raises(TypeError, match=r"cumsum: axis 3 is out of range"):
        hlox.jit(lambda a: lax.cumsum(a, 3))(x)
