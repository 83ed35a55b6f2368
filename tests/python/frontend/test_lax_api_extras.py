"""Issue 14's jax.lax names against jax.lax: associative_scan and cumlogsumexp (values,
gradients, vmap), optimization_barrier (values through jit, grad and vmap) and
reduce_precision (bit for bit, every format JAX's tests use), and the segment
reductions of hlox.ops against jax.ops."""

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
import pytest

import hlox
import hlox.lax as hl
import hlox.numpy as hnp
import hlox.ops

from test_numpy_api_extras import compare, rand

pytestmark = pytest.mark.usefixtures("x64")


def _pair(a, b):  # an associative, non-commutative combination: affine maps composed
    return (a[0] * b[0], a[1] * b[0] + b[1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32],
                         ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", [1, 2, 7, 8])
def test_associative_scan(n, dtype):
    x = rand((n, 3), dtype, low=-2, high=3)
    run = lambda lax, m, x: {  # noqa: E731
        **{f"add_{axis}_{rev}": lax.associative_scan(m.add, x, reverse=rev, axis=axis)
           for axis in (0, 1) for rev in (False, True)},
        "max": lax.associative_scan(m.maximum, x),
        "pair": lax.associative_scan(_pair, (x, x + 1)),
        "pair_rev": lax.associative_scan(_pair, (x, x * 2), reverse=True, axis=1)}
    compare(hlox.jit(lambda x: run(hl, hnp, x))(x), jax.jit(lambda x: run(jax.lax, jnp, x))(x))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16],
                         ids=lambda d: np.dtype(d).name)
def test_cumlogsumexp(dtype):
    x = rand((6, 5), dtype, low=-30, high=30)
    x[0, 0], x[1, 1], x[2, 1] = -np.inf, -np.inf, np.inf
    run = lambda lax, x: {f"{axis}_{rev}": lax.cumlogsumexp(x, axis=axis, reverse=rev)  # noqa: E731
                          for axis in (0, 1) for rev in (False, True)}
    compare(hlox.jit(lambda x: run(hl, x))(x), jax.jit(lambda x: run(jax.lax, x))(x))


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: np.dtype(d).name)
def test_scan_gradients_and_vmap(dtype):
    x = rand((7, 4), dtype)
    x[2, 1] = x[3, 1]  # a tie
    loss = lambda lax, m: lambda x: sum(  # noqa: E731
        (v ** 2).sum() for v in (lax.cumlogsumexp(x, axis=0), lax.cumlogsumexp(x, 1, True),
                                 lax.associative_scan(m.multiply, x, axis=1),
                                 lax.associative_scan(_pair, (x, x))[1]))
    compare(hlox.jit(hlox.grad(loss(hl, hnp)))(x), jax.grad(loss(jax.lax, jnp))(x))
    compare(hlox.jit(hlox.vmap(lambda r: hl.cumlogsumexp(r)))(x),
            jax.vmap(lambda r: jax.lax.cumlogsumexp(r))(x))


def test_associative_scan_errors():
    with pytest.raises(ValueError, match="different sizes"):
        hl.associative_scan(hnp.add, (np.ones(3), np.ones(4)))
    with pytest.raises(TypeError, match="structure"):
        hl.associative_scan(lambda a, b: a[0] + b[0], (np.ones(3), np.ones(3)))


def test_optimization_barrier():
    x = rand((3, 4), np.float32)
    tree = {"a": x, "b": (x.astype(np.int32), x * 2)}
    compare(hl.optimization_barrier(tree), jax.lax.optimization_barrier(tree))
    compare(hlox.jit(hl.optimization_barrier)(tree), tree)
    assert "stablehlo.optimization_barrier" in hlox.jit(hl.optimization_barrier).lower(
        tree).as_text()
    f = lambda lax: lambda x: (lax.optimization_barrier((x * x, x))[0] ** 2).sum()  # noqa: E731
    compare(hlox.jit(hlox.grad(f(hl)))(x), jax.grad(f(jax.lax))(x))
    compare(hlox.jvp(f(hl), (x,), (x,))[1],
            jax.jvp(f(jax.lax), (x,), (x,))[1])
    compare(hlox.vmap(lambda r: hl.optimization_barrier(r) * 2)(x), x * 2)


FORMATS = [(5, 10), (8, 7), (4, 3), (5, 2), (8, 23), (11, 52), (2, 1)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, ml_dtypes.bfloat16],
                         ids=lambda d: np.dtype(d).name)
def test_reduce_precision_is_xla_bit_for_bit(dtype):
    rng = np.random.default_rng(0)
    info = ml_dtypes.finfo(dtype)
    x = np.concatenate([rng.normal(size=64) * 10.0 ** rng.integers(-8, 8, 64),
                        [0.0, -0.0, np.inf, -np.inf, np.nan, float(info.max),
                         float(info.tiny), float(info.tiny) / 4]])
    with np.errstate(over="ignore"):  # (large samples overflow 16-bit floats: inf is a case)
        x = x.astype(dtype)
    formats = [(e, m) for e, m in FORMATS if e <= info.nexp and m <= info.nmant]
    out = hlox.jit(lambda x: [hl.reduce_precision(x, e, m) for e, m in formats])(x)
    ref = jax.jit(lambda x: [jax.lax.reduce_precision(x, e, m) for e, m in formats])(x)
    for (e, m), a, b in zip(formats, out, ref):
        np.testing.assert_array_equal(np.asarray(a).view(np.uint8), np.asarray(b).view(np.uint8),
                                      err_msg=f"format e{e}m{m}")


def test_reduce_precision_derivatives():
    x = rand((5,), np.float32)
    f = lambda lax: lambda x: (lax.reduce_precision(x * 3, 5, 4) ** 2).sum()  # noqa: E731
    compare(hlox.jit(hlox.grad(f(hl)))(x), jax.grad(f(jax.lax))(x))
    with pytest.raises(ValueError, match="exponent_bits"):
        hl.reduce_precision(x, 0, 3)


SEGMENT_OPS = ["segment_sum", "segment_max", "segment_min", "segment_prod"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32],
                         ids=lambda d: np.dtype(d).name)
def test_segment_ops(dtype):
    data = rand((9, 3), dtype, low=-4, high=5)
    ids = np.array([0, 2, 2, 1, 5, -1, 0, 3, 3], np.int32)  # 5 and -1: out of range (dropped)
    sorted_ids = np.sort(ids)
    run = lambda ops, d, i, s: {  # noqa: E731
        **{f"{n}_{k}": getattr(ops, n)(d, i, k) for n in SEGMENT_OPS for k in (4, 7)},
        **{f"{n}_1d": getattr(ops, n)(d[:, 0], i, 4) for n in SEGMENT_OPS},
        **{f"{n}_sorted": getattr(ops, n)(d, s, 6, indices_are_sorted=True) for n in SEGMENT_OPS}}
    compare(hlox.jit(lambda *a: run(hlox.ops, *a))(data, ids, sorted_ids),
            jax.jit(lambda *a: run(jax.ops, *a))(data, ids, sorted_ids))
    for n in SEGMENT_OPS:  # num_segments from the data, eagerly
        compare(getattr(hlox.ops, n)(data, ids), getattr(jax.ops, n)(data, ids), n)


def test_segment_gradients_and_errors():
    data = rand((9, 3), np.float32)
    ids = np.array([0, 2, 2, 1, 5, -1, 0, 3, 3], np.int32)
    loss = lambda ops: lambda d: (ops.segment_sum(d, ids, 4) ** 2).sum()  # noqa: E731
    compare(hlox.jit(hlox.grad(loss(hlox.ops)))(data), jax.grad(loss(jax.ops))(data))
    with pytest.raises(NotImplementedError, match="unique_indices"):  # as JAX
        hlox.grad(lambda d: hlox.ops.segment_prod(d, ids, 4).sum())(data)
    mx = lambda ops: lambda d: (ops.segment_max(d, ids, 4) + ops.segment_min(d, ids, 4)).sum()  # noqa: E731
    compare(hlox.jit(hlox.grad(mx(hlox.ops)))(data), jax.grad(mx(jax.ops))(data))
    with pytest.raises(TypeError, match="num_segments"):
        hlox.jit(lambda d, i: hlox.ops.segment_sum(d, i))(data, ids)
    with pytest.raises(ValueError, match="shape"):
        hlox.ops.segment_sum(data, ids[:3], 4)
    with pytest.raises(TypeError, match="integers"):
        hlox.ops.segment_sum(data, ids.astype(np.float32), 4)
