"""hlox.numpy ufuncs, reductions and Tracer operators/methods against jax.numpy.

Results must match jax.numpy in dtype (promotion: ints to float for sqrt,
bool sums in int32, ...) and in value (per-dtype tolerances from
test_lax_math). One jit per case.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

from test_lax_math import compare, inputs

UNARY = ["sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh",
         "arctanh", "sqrt", "cbrt", "exp2", "log2", "log10", "expm1", "log1p", "rint",
         "reciprocal", "deg2rad", "rad2deg", "abs", "sign", "floor", "ceil", "trunc", "round",
         "square", "isfinite", "isnan", "isinf", "logical_not", "positive"]
BINARY = ["arctan2", "hypot", "minimum", "remainder", "mod", "fmod", "floor_divide", "power",
          "greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
          "logical_and", "logical_or", "logical_xor"]
INT_SAFE_UNARY = ["abs", "sign", "floor", "ceil", "trunc", "round", "square", "isfinite",
                  "isnan", "isinf", "logical_not", "positive", "sqrt", "sin", "exp2"]
INT_SAFE_BINARY = ["minimum", "remainder", "mod", "fmod", "floor_divide", "greater", "equal",
                   "not_equal", "less_equal", "logical_and", "logical_xor", "arctan2"]


def _run(names, arity, x, y):
    def f(ns, a, b):
        return {n: getattr(ns, n)(a) if arity == 1 else getattr(ns, n)(a, b) for n in names}
    out = hlox.jit(lambda a, b: f(hnp, a, b))(x, y)
    ref = jax.jit(lambda a, b: f(jnp, a, b))(x, y)
    for n in names:
        try:
            compare(out[n], ref[n])
        except AssertionError as error:
            raise AssertionError(f"hlox.numpy.{n}: {error}") from None


@pytest.mark.parametrize("dtype", [np.float32, np.float16], ids=lambda d: np.dtype(d).name)
def test_float_ufuncs(dtype):
    x = inputs(dtype, -0.9, 0.9, shapes=[(3, 4)])[0]
    y = inputs(dtype, 0.3, 2.0, seed=1, shapes=[(4,)])[0]  # broadcasts against x
    _run(UNARY, 1, x, y)
    _run(BINARY, 2, y[None] + 0 * x, x)  # positive base for power, mixed signs elsewhere


@pytest.mark.parametrize("dtype", [np.int32, np.uint8], ids=lambda d: np.dtype(d).name)
def test_integer_ufuncs(dtype):
    signed = np.dtype(dtype).kind == "i"
    x = inputs(dtype, -7 if signed else 0, 7, shapes=[(3, 4)])[0]
    y = inputs(dtype, 1, 4, seed=1, shapes=[(4,)])[0]
    y = (y * np.array([1, -1, 1, -1]) if signed else y).astype(dtype)
    _run(INT_SAFE_UNARY, 1, x, y)
    _run(INT_SAFE_BINARY, 2, x, y)


def test_mixed_promotion_and_python_scalars():
    i = np.arange(-3, 3, dtype=np.int32)
    f = inputs(np.float32, -2, 2, shapes=[(6,)])[0]
    b = np.array([True, False, True, True, False, False])

    def g(ns, a, c, p):
        return [ns.power(a, 2), ns.power(c, 2.5 * 0 + 3), ns.power(ns.abs(c), c), a ** 3,
                ns.maximum(a, c), ns.where(p, a, c), ns.where(a > 0, c, 0.0),
                ns.logical_or(p, a), ns.clip(c, -0.5, 0.5), ns.clip(a, None, 1),
                ns.floor_divide(c, 0.7), ns.remainder(-c, 0.7), c // 0.3, a % 2, 2 ** a,
                ns.round(c, 1), ns.round(a * 37), ns.sum(p), ns.isnan(a),
                ns.square(p), ns.abs(p), ns.floor(p), ns.logical_not(p), ns.isfinite(p),
                ns.maximum(p, a), ns.minimum(p, p), ns.equal(p, a)]
    compare(hlox.jit(lambda *a: g(hnp, *a))(i, f, b), jax.jit(lambda *a: g(jnp, *a))(i, f, b))


@pytest.mark.parametrize("dtype", [np.float32, np.int8, np.bool_], ids=lambda d: np.dtype(d).name)
def test_reductions(dtype):
    x = inputs(dtype, -4, 4, shapes=[(2, 3, 4)])[0]
    is_bool = np.dtype(dtype) == np.bool_

    def f(ns, a):
        out = {}
        for axis, keepdims in ((None, False), (1, True), ((0, 2), False), (-1, True)):
            k = f"{axis}-{keepdims}"
            out["sum" + k] = ns.sum(a, axis=axis, keepdims=keepdims)
            out["max" + k] = ns.max(a, axis=axis, keepdims=keepdims)
            out["amin" + k] = ns.amin(a, axis=axis, keepdims=keepdims)
            out["all" + k] = ns.all(a, axis=axis, keepdims=keepdims)
            out["any" + k] = ns.any(a, axis=axis, keepdims=keepdims)
            if not is_bool:
                out["prod" + k] = ns.prod(a, axis=axis, keepdims=keepdims)
                out["mean" + k] = ns.mean(a, axis=axis, keepdims=keepdims)
                out["var" + k] = ns.var(a, axis=axis, keepdims=keepdims)
                out["std" + k] = ns.std(a, axis=axis, ddof=1, keepdims=keepdims)
        for axis in (None, 0, -1):
            out[f"argmax{axis}"] = ns.argmax(a, axis=axis)
            out[f"argmin{axis}"] = ns.argmin(a, axis=axis, keepdims=axis is not None)
            out[f"cumsum{axis}"] = ns.cumsum(a, axis=axis)
            if not is_bool:
                out[f"cumprod{axis}"] = ns.cumprod(a, axis=axis)
        out["sum_dtype"] = ns.sum(a, axis=0, dtype=np.float32)
        return out
    out, ref = hlox.jit(lambda a: f(hnp, a))(x), jax.jit(lambda a: f(jnp, a))(x)
    assert out.keys() == ref.keys()
    for key in out:
        try:
            compare(out[key], ref[key])
        except AssertionError as error:
            raise AssertionError(f"{key}: {error}") from None


def test_tracer_operators_and_methods():
    x = inputs(np.float32, -2, 2, shapes=[(3, 4)])[0]
    y = inputs(np.float32, 0.5, 2, seed=1, shapes=[(4,)])[0]

    def f(a, b):
        return [a < b, a <= 0.5, a > b, a >= b, a == b, a != 0.0, 1.0 > a, a // b, a % b,
                3.0 // b, 5.0 % b, abs(a), b ** a, 2.0 ** a, b ** 0.5,
                a.sum(), a.sum(axis=0, keepdims=True), a.mean(1), a.max(), a.min(axis=0),
                a.prod(1), a.argmax(), a.argmin(axis=1), a.std(),
                (a > 0).any(1), (a > -3).all(), a.cumsum(1), a.cumprod(), a.clip(-1, 1)]
    compare(hlox.jit(f)(x, y), jax.jit(f)(x, y))


def test_gradients_match_jax():
    x = inputs(np.float32, -1.5, 1.5, shapes=[(3, 4)])[0]

    def loss(ns, a):
        return (ns.sum(ns.sin(a) * ns.tanh(a)) + ns.mean(ns.var(a, axis=1))
                + ns.std(a) + ns.max(a, axis=0).sum() + ns.prod(ns.cos(a)) +
                ns.sum(ns.cumsum(a, axis=1) ** 2) + ns.sum(ns.clip(a, -0.5, 0.5) * a) +
                ns.sum(ns.where(a > 0, ns.sqrt(ns.abs(a) + 1), a ** 2)) +
                ns.sum(ns.power(ns.abs(a) + 1, a)) + ns.sum(ns.arctan2(a, 2.0)))
    g = hlox.jit(hlox.grad(lambda a: loss(hnp, a)))(x)
    ref = jax.grad(lambda a: loss(jnp, a))(x)
    compare(g, ref, {np.dtype(np.float32): dict(rtol=2e-5, atol=2e-5)})


def test_vmap_matches_loop():
    x = inputs(np.float32, -2, 2, shapes=[(3, 4, 5)])[0]
    f = lambda a: [hnp.mean(a, axis=0), hnp.argmax(a), hnp.std(a, axis=1),  # noqa: E731
                   hnp.cumsum(a, axis=-1), hnp.remainder(a, 0.7), hnp.any(a > 1.5, axis=0)]
    out = hlox.jit(hlox.vmap(f))(x)
    loop = [np.stack(col) for col in zip(*[hlox.jit(f)(a) for a in x])]
    compare(out, loop)


def test_errors():
    x = np.ones((2, 3), np.float32)
    with pytest.raises(ValueError, match=r"hlox.numpy.sum: axis 2 out of range for rank 2"):
        hlox.jit(lambda a: hnp.sum(a, axis=2))(x)
    with pytest.raises(ValueError, match=r"hlox.numpy.max: zero-size array"):
        hlox.jit(lambda a: hnp.max(a, axis=0))(np.ones((0, 3), np.float32))
    with pytest.raises(TypeError, match=r"hlox.numpy.sign: not defined on bool"):
        hlox.jit(hnp.sign)(np.ones(3, bool))
