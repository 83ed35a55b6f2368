"""hlox.lax math primitives against jax.lax: values per dtype, gradients, vmap, errors.

Each case is one ``hlox.jit`` over three shapes at once (a scalar, a vector and
a rank-3 array), compared with ``jax.jit`` of the same lax function. Tolerances
are per dtype (``TOL``): a few ulps for float16/bfloat16/float32 (our libm and
CHLO decompositions are not XLA's); float64 needs no more than ~1e-12
relative except the special functions (``SPECIAL_TOL``).
"""

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

import hlox
from hlox import lax
from hlox.frontend.libraries.test_util import check_grads



# float64/int64 cases, and JAX's references for them, need the 64-bit mode (conftest.x64).
pytestmark = pytest.mark.usefixtures("x64")

SHAPES = [(), (7,), (2, 3, 4)]
FLOATS = [np.float16, ml_dtypes.bfloat16, np.float32, np.float64]
SIGNED = [np.int8, np.int32]
UNSIGNED = [np.uint32]
ONE_SHAPE = [(2, 3, 4)]

TOL = {np.dtype(np.float16): dict(rtol=4e-3, atol=4e-3),  # eps 9.8e-4: ~4 ulps
       np.dtype(ml_dtypes.bfloat16): dict(rtol=3e-2, atol=3e-2),  # eps 7.8e-3: ~4 ulps
       np.dtype(np.float32): dict(rtol=1e-5, atol=1e-6),
       np.dtype(np.float64): dict(rtol=1e-12, atol=1e-13)}
# erf/lgamma/digamma/... are polynomial approximations in both implementations
SPECIAL_TOL = {np.dtype(np.float32): dict(rtol=5e-5, atol=5e-6),
               np.dtype(np.float64): dict(rtol=1e-9, atol=1e-10)}


def inputs(dtype, low, high, seed=0, shapes=SHAPES):
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    out = []
    for shape in shapes:
        if dtype.kind == "f" or dtype == np.dtype(ml_dtypes.bfloat16):
            out.append(rng.uniform(low, high, size=shape).astype(dtype))
        elif dtype == np.bool_:
            out.append(rng.integers(0, 2, size=shape).astype(bool))
        else:
            lo = max(int(low), np.iinfo(dtype).min)
            out.append(rng.integers(lo, int(high) + 1, size=shape).astype(dtype))
    return out


def compare(actual, expected, tol=None):
    for a, e in zip(jax.tree_util.tree_leaves(actual), jax.tree_util.tree_leaves(expected)):
        a, e = np.asarray(a), np.asarray(e)
        assert a.dtype == e.dtype and a.shape == e.shape, (a.dtype, a.shape, e.dtype, e.shape)
        t = (tol or TOL).get(a.dtype, TOL.get(a.dtype))
        if t is None:
            np.testing.assert_array_equal(a, e)
        else:
            np.testing.assert_allclose(a.astype(np.float64), e.astype(np.float64), **t)


def check_against_jax(hfn, jfn, args, tol=None):
    out = hlox.jit(lambda *xs: [hfn(*x) for x in zip(*xs)])(*args)
    ref = jax.jit(lambda *xs: [jfn(*x) for x in zip(*xs)])(*args)
    compare(out, ref, tol)


# name -> (domain low, high, special-function tolerance?)
UNARY_FLOAT = {
    "sin": (-4, 4), "cos": (-4, 4), "tan": (-1.4, 1.4), "tanh": (-4, 4),
    "asin": (-0.95, 0.95), "acos": (-0.95, 0.95), "atan": (-4, 4), "sinh": (-3, 3),
    "cosh": (-3, 3), "asinh": (-4, 4), "acosh": (1.05, 5), "atanh": (-0.9, 0.9),
    "sqrt": (0.01, 9), "rsqrt": (0.05, 9), "cbrt": (-8, 8), "floor": (-5, 5), "ceil": (-5, 5),
    "is_finite": (-5, 5), "log1p": (-0.9, 4), "expm1": (-3, 3), "logistic": (-6, 6),
    "square": (-3, 3), "abs": (-3, 3), "sign": (-3, 3), "reciprocal": (0.2, 4),
    "erf": (-3, 3), "erfc": (-2, 3), "lgamma": (0.1, 6), "digamma": (0.2, 6),
}
SPECIAL = {"erf", "erfc", "lgamma", "digamma", "asin", "acos", "atan", "asinh", "acosh",
           "atanh", "sinh", "cosh"}


# A few ops per jit: compiling dominates and grows faster than linearly with program size.
UNARY_GROUPS = [sorted(UNARY_FLOAT)[i::5] for i in range(5)]


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("names", UNARY_GROUPS, ids=lambda g: "-".join(g))
def test_unary_float(names, dtype):
    # several shapes for float32; the other dtypes only change the element type
    shapes = [(), (2, 3, 4)] if dtype == np.float32 else [(2, 3, 4)]
    args = {n: inputs(dtype, *UNARY_FLOAT[n], shapes=shapes) for n in names}
    out = hlox.jit(lambda a: {n: [getattr(lax, n)(x) for x in a[n]] for n in names})(args)
    ref = jax.jit(lambda a: {n: [getattr(jax.lax, n)(x) for x in a[n]] for n in names})(args)
    for n in names:
        try:
            compare(out[n], ref[n], {**TOL, **SPECIAL_TOL} if n in SPECIAL else TOL)
        except AssertionError as error:
            raise AssertionError(f"lax.{n} on {np.dtype(dtype).name}: {error}") from None


@pytest.mark.parametrize("method", [lax.RoundingMethod.AWAY_FROM_ZERO,
                                    lax.RoundingMethod.TO_NEAREST_EVEN])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64],
                         ids=lambda d: np.dtype(d).name)
def test_round_ties(dtype, method):
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -3.7], dtype)
    out = hlox.jit(lambda a: lax.round(a, method))(x)
    ref = jax.lax.round(x, jax.lax.RoundingMethod(method))
    compare(out, ref)


@pytest.mark.parametrize("dtype", SIGNED + UNSIGNED, ids=lambda d: np.dtype(d).name)
def test_integer_ops(dtype):
    signed = np.dtype(dtype).kind == "i"
    x = inputs(dtype, -9 if signed else 0, 9, shapes=ONE_SHAPE)
    y = [np.where(v == 0, 3, v).astype(dtype)
         for v in inputs(dtype, -5 if signed else 1, 5, 1, shapes=ONE_SHAPE)]

    def f(lx, a, b):
        out = [lx.sign(a), lx.square(a), lx.rem(a, b), lx.min(a, b), lx.integer_pow(a, 3),
               lx.clamp(np.array(2, dtype), a, np.array(7, dtype))]
        return out + ([lx.abs(a)] if signed else [])
    out = hlox.jit(lambda xs, ys: [f(lax, a, b) for a, b in zip(xs, ys)])(x, y)
    ref = [f(jax.lax, a, b) for a, b in zip(x, y)]
    compare(out, ref)


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
def test_binary_float(dtype):
    x = inputs(dtype, 0.2, 3, shapes=ONE_SHAPE)
    y = inputs(dtype, -2, 2, seed=1, shapes=ONE_SHAPE)

    def f(lx, a, b):
        return [lx.pow(a, b), lx.atan2(b, a), lx.rem(b, a), lx.min(a, b),
                lx.integer_pow(a, -2), lx.integer_pow(b, 0), lx.clamp(np.asarray(-0.5, dtype), b,
                                                                       np.asarray(1.0, dtype))]
    out = hlox.jit(lambda xs, ys: [f(lax, a, b) for a, b in zip(xs, ys)])(x, y)
    ref = [f(jax.lax, a, b) for a, b in zip(x, y)]
    compare(out, ref)


def test_min_bool_and_clamp_full_bounds():
    a, b = inputs(np.bool_, 0, 1), inputs(np.bool_, 0, 1, seed=3)
    compare(hlox.jit(lambda xs, ys: [lax.min(p, q) for p, q in zip(xs, ys)])(a, b),
            [jax.lax.min(p, q) for p, q in zip(a, b)])
    lo, x, hi = (inputs(np.float32, -1, 0, 4), inputs(np.float32, -2, 2, 5),
                 inputs(np.float32, 0, 1, 6))
    compare(hlox.jit(lambda *a: [lax.clamp(*t) for t in zip(*a)])(lo, x, hi),
            [jax.lax.clamp(*t) for t in zip(lo, x, hi)])


def test_special_values():
    x = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, 1e-30], np.float32)
    compare(hlox.jit(lambda a: (lax.is_finite(a), lax.sign(a), lax.abs(a)))(x),
            (jax.lax.is_finite(x), jax.lax.sign(x), jax.lax.abs(x)))


# -- gradients ---------------------------------------------------------------

GRAD_OPS = {
    "sin": lax.sin, "cos": lax.cos, "tan": lax.tan, "tanh": lax.tanh, "asin": lax.asin,
    "acos": lax.acos, "atan": lax.atan, "sinh": lax.sinh, "cosh": lax.cosh,
    "asinh": lax.asinh, "acosh": lambda x: lax.acosh(x + 2.0), "atanh": lax.atanh,
    "sqrt": lambda x: lax.sqrt(x + 1.0), "rsqrt": lambda x: lax.rsqrt(x + 1.0),
    "cbrt": lambda x: lax.cbrt(x + 1.0), "abs": lax.abs, "log1p": lax.log1p,
    "expm1": lax.expm1, "logistic": lax.logistic, "square": lax.square,
    "reciprocal": lambda x: lax.reciprocal(x + 2.0), "erf": lax.erf, "erfc": lax.erfc,
    "lgamma": lambda x: lax.lgamma(x + 1.5), "digamma": lambda x: lax.digamma(x + 1.5),
    "integer_pow": lambda x: lax.integer_pow(x, 3),
    "pow": lambda x: lax.pow(x + 1.0, x), "atan2": lambda x: lax.atan2(x, x * x + 0.5),
    "rem": lambda x: lax.rem(x, np.full(x.shape, 0.3)),
    "min": lambda x: lax.min(x, lax.sin(x)),
    "clamp": lambda x: lax.clamp(np.float64(-0.3), x, np.float64(0.4)),
}


SECOND_ORDER = ("sin", "tanh", "erf", "pow", "lgamma", "integer_pow")
GRAD_GROUPS = [sorted(GRAD_OPS)[i::4] for i in range(4)]


@pytest.mark.parametrize("names", GRAD_GROUPS, ids=lambda g: "-".join(g))
def test_gradients_finite_differences(names):
    # |x| < 0.8 keeps asin/atanh/log1p away from their poles; 0.05 from abs's kink.
    # Each output leaf is checked separately (check_grads compares pytrees leaf by leaf).
    x = np.array([-0.71, -0.33, 0.12, 0.47, 0.69], np.float64)
    check_grads(hlox.jit(lambda a: {n: GRAD_OPS[n](a) for n in names}), (x,), order=1)
    second = [n for n in names if n in SECOND_ORDER]
    check_grads(hlox.jit(lambda a: {n: GRAD_OPS[n](a) for n in second}), (x,), order=2)


@pytest.mark.parametrize("name", ["sin", "tanh", "asin", "lgamma", "pow", "atan2", "clamp",
                                  "rem", "cbrt", "logistic"])
def test_gradients_match_jax(name):
    jax_ops = {"sin": jax.lax.sin, "tanh": jax.lax.tanh, "asin": jax.lax.asin,
               "lgamma": lambda x: jax.lax.lgamma(x + 1.5), "logistic": jax.lax.logistic,
               "pow": lambda x: jax.lax.pow(x + 1.0, x), "cbrt": lambda x: jax.lax.cbrt(x + 1.0),
               "atan2": lambda x: jax.lax.atan2(x, x * x + 0.5),
               "clamp": lambda x: jax.lax.clamp(np.float32(-0.3), x, np.float32(0.4)),
               "rem": lambda x: jax.lax.rem(x, jnp.full(x.shape, 0.3, x.dtype))}
    hops = dict(GRAD_OPS, clamp=lambda x: lax.clamp(np.float32(-0.3), x, np.float32(0.4)),
                rem=lambda x: lax.rem(x, np.full(x.shape, 0.3, x.dtype)))
    x = inputs(np.float32, -0.7, 0.7, shapes=[(2, 5)])[0]
    g = hlox.jit(hlox.grad(lambda a: hlox.numpy.sum(hops[name](a))))(x)
    ref = jax.grad(lambda a: jnp.sum(jax_ops[name](a)))(x)
    compare(g, ref, {np.dtype(np.float32): dict(rtol=5e-5, atol=5e-6)})


def test_clamp_bound_gradients_and_min_ties():
    x = np.array([-1.0, 0.0, 0.5, 2.0])
    lo, hi = np.float64(-0.5), np.float64(1.0)
    full = (np.full(x.shape, lo), x, np.full(x.shape, hi))  # jax's clamp JVP needs full bounds
    for argnum in (0, 1, 2):
        g = hlox.jit(hlox.grad(lambda *a: hlox.numpy.sum(lax.clamp(*a)), argnums=argnum))(lo, x, hi)
        ref = jax.grad(lambda *a: jnp.sum(jax.lax.clamp(*a)), argnums=argnum)(*full)
        compare(g, np.asarray(ref) if argnum == 1 else np.sum(ref))
    t = np.array([1.0, 2.0, 3.0])  # ties split the tangent in half (as jax.lax.min)
    compare(hlox.jit(hlox.grad(lambda a: hlox.numpy.sum(lax.min(a, t))))(t),
            jax.grad(lambda a: jnp.sum(jax.lax.min(a, t)))(t))


# -- vmap --------------------------------------------------------------------

def test_vmap_matches_loop():
    x = inputs(np.float32, 0.2, 2, shapes=[(4, 3)])[0]
    y = inputs(np.float32, -1, 1, seed=2, shapes=[(4, 3)])[0]

    def f(a, b):
        return [lax.sin(a), lax.pow(a, b), lax.clamp(np.float32(-0.5), b, np.float32(0.5)),
                lax.integer_pow(a, 2), lax.round(b), lax.atan2(a, b), lax.is_finite(a)]
    out = hlox.jit(hlox.vmap(f))(x, y)
    loop = [np.stack(col) for col in zip(*[hlox.jit(f)(a, b) for a, b in zip(x, y)])]
    compare(out, loop)
    # clamp with batched bounds and an unbatched operand
    lo = np.linspace(-1, 0, 4).astype(np.float32)
    out = hlox.jit(hlox.vmap(lambda l: lax.clamp(l, y[0], np.float32(0.7))))(lo)
    compare(out, np.stack([np.clip(y[0], l, 0.7) for l in lo]))


# -- errors ------------------------------------------------------------------

@pytest.mark.parametrize("fn,args,match", [
    (lax.sin, (np.arange(3, dtype=np.int32),), r"sin: needs a floating-point operand.*i32\[3\]"),
    (lax.abs, (np.arange(3, dtype=np.uint8),), r"abs: is not defined on unsigned"),
    (lax.pow, (np.ones(3, np.float32), np.ones(4, np.float32)), r"pow: operand shapes"),
    (lambda x: lax.integer_pow(x, -1), (np.arange(3, dtype=np.int32),),
     r"integer_pow: integers cannot be raised to the negative power -1"),
    (lambda x: lax.clamp(np.zeros(2, np.float32), x, np.float32(1)), (np.ones(3, np.float32),),
     r"clamp: min must be a scalar or have the operand's shape"),
])
def test_errors_name_the_primitive_and_line(fn, args, match):
    with pytest.raises(TypeError, match=match) as info:
        hlox.jit(fn)(*args)
    assert "test_lax_math.py" in str(info.value)
