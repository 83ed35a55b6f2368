"""Numerics of the structured/region lowerings (reduce, reduce_window, convolution,
control flow, sort, gather, scatter, select_and_scatter) on the CPU backend.

Each test lowers a JAX program with ``jax.jit(f).lower(*args).as_text()``,
compiles that StableHLO text with hlox's CPU backend
(:func:`hlox.backends.cpu.module.compile_module`) and compares with JAX's own
result on the same inputs.

Tolerances (stated): integers and booleans exact; float32 rtol=atol=1e-5
(reductions and convolutions sum in a different order than XLA). (JAX's
x64 mode is process-global, so float64 is not exercised here.)

A program that also uses an op lowered by another family which is not in
this branch yet (the lowering names it: "no lowering for 'stablehlo.X'") is
skipped with that reason; a failure in one of this file's ops fails.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = jax.numpy
lax = jax.lax

import hlox  # noqa: E402
from hlox.backends.compiler import CompilationError  # noqa: E402


def compile_cpu(text):
    return hlox.compile_stablehlo(text, backend="cpu")

# The ops this file's lowerings are responsible for.
OURS = {"reduce", "reduce_window", "convolution", "while", "if", "case", "sort",
        "gather", "scatter", "select_and_scatter", "map", "return", "dot_general"}

TOL = {
    np.dtype(np.float32): dict(rtol=1e-5, atol=1e-5),
    np.dtype(np.float64): dict(rtol=1e-12, atol=1e-12),
}

RNG = np.random.default_rng(0)


def randn(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def check(f, *args):
    """Runs f through JAX and through hlox; compares every result."""
    text = jax.jit(f).lower(*args).as_text()
    try:
        exe = compile_cpu(text)
    except CompilationError as error:
        missing = set(re.findall(r"no lowering for 'stablehlo\.(\w+)'", str(error)))
        if missing and not (missing & OURS):
            pytest.skip(f"needs lowerings from another family: {sorted(missing)}")
        raise
    expected = jax.jit(f)(*args)
    # Copies: the compiled code may write into its argument buffers.
    ours = exe(*[np.array(a) for a in args])
    expected = jax.tree_util.tree_leaves(expected)
    assert len(ours) == len(expected)
    for got, want in zip(ours, expected):
        want = np.asarray(want)
        assert got.shape == want.shape, (got.shape, want.shape)
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
        tol = TOL.get(want.dtype)
        if tol is None:
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, **tol)


# --------------------------------------------------------------------------- reduce

@pytest.mark.parametrize("axis", [None, 0, 1, (0, 2)])
def test_sum_max_min(axis):
    x = randn(3, 4, 5)
    check(lambda x: (jnp.sum(x, axis=axis), jnp.max(x, axis=axis), jnp.min(x, axis=axis)), x)


def test_sum_int_and_f64():
    check(lambda x: jnp.sum(x, axis=1), RNG.integers(-50, 50, (4, 6)).astype(np.int32))
    check(lambda x: jnp.prod(x, axis=0), randn(5, 3))


def test_reduce_bool():
    x = RNG.standard_normal((4, 5)) > 0
    check(lambda x: (jnp.any(x, axis=1), jnp.all(x, axis=0)), x)


def test_argmax_argmin():
    x = randn(4, 7)
    x[1, 3] = x[1, 5] = 10.0  # ties: the first index wins
    check(lambda x: (jnp.argmax(x, axis=1), jnp.argmin(x, axis=0)), x)


def test_reduce_two_operands_custom_body():
    def f(x, y):
        return lax.reduce((x, y), (np.float32(0), np.float32(1)),
                          lambda a, b: (a[0] + b[0], a[1] * b[1]), (1,))
    check(f, randn(3, 4), randn(3, 4))


# --------------------------------------------------------------------------- reduce_window

@pytest.mark.parametrize("window,strides,padding", [
    ((1, 2, 2, 1), (1, 2, 2, 1), "VALID"),
    ((1, 3, 3, 1), (1, 1, 1, 1), "SAME"),
    ((1, 3, 2, 1), (1, 2, 1, 1), ((0, 0), (1, 2), (0, 1), (0, 0))),
])
def test_max_and_avg_pool(window, strides, padding):
    x = randn(2, 7, 6, 3)
    check(lambda x: (lax.reduce_window(x, -jnp.inf, lax.max, window, strides, padding),
                     lax.reduce_window(x, 0.0, lax.add, window, strides, padding)), x)


def test_reduce_window_dilations():
    x = randn(9, 8)
    check(lambda x: lax.reduce_window(x, 0.0, lax.add, (2, 3), (1, 2), ((1, 0), (2, 1)),
                                      base_dilation=(2, 1), window_dilation=(1, 2)), x)


def test_cumsum():
    check(lambda x: jnp.cumsum(x, axis=1), randn(3, 6))


# --------------------------------------------------------------------------- convolution

@pytest.mark.parametrize("dn,lhs_shape,rhs_shape", [
    (("NCHW", "OIHW", "NCHW"), (2, 3, 9, 8), (4, 3, 3, 2)),
    (("NHWC", "HWIO", "NHWC"), (2, 9, 8, 3), (3, 2, 3, 4)),
    (("CNHW", "IOHW", "HWNC"), (3, 2, 9, 8), (3, 4, 3, 2)),
])
@pytest.mark.parametrize("strides,padding,lhs_dil,rhs_dil", [
    ((1, 1), "VALID", (1, 1), (1, 1)),
    ((2, 1), ((1, 2), (0, 1)), (1, 1), (2, 1)),
    ((1, 2), ((2, 1), (1, 1)), (2, 1), (1, 1)),
])
def test_conv_general_dilated(dn, lhs_shape, rhs_shape, strides, padding, lhs_dil, rhs_dil):
    def f(x, w):
        return lax.conv_general_dilated(x, w, strides, padding, lhs_dilation=lhs_dil,
                                        rhs_dilation=rhs_dil, dimension_numbers=dn)
    check(f, randn(*lhs_shape), randn(*rhs_shape))


def test_conv_feature_groups():
    def f(x, w):
        return lax.conv_general_dilated(x, w, (1, 1), "SAME", feature_group_count=2,
                                        dimension_numbers=("NHWC", "HWIO", "NHWC"))
    check(f, randn(2, 5, 5, 4), randn(3, 3, 2, 6))


def test_conv_batch_groups():
    def f(x, w):
        return lax.conv_general_dilated(x, w, (1,), "VALID", batch_group_count=2,
                                        dimension_numbers=("NCH", "OIH", "NCH"))
    check(f, randn(4, 3, 7), randn(6, 3, 2))


def test_conv_1d_and_3d_int():
    check(lambda x, w: lax.conv_general_dilated(x, w, (2,), ((1, 1),)), randn(1, 2, 9),
          randn(3, 2, 3))
    check(lambda x, w: lax.conv_general_dilated(x, w, (1, 1, 1), "VALID"),
          RNG.integers(-3, 3, (1, 2, 4, 4, 3)).astype(np.int32),
          RNG.integers(-3, 3, (2, 2, 2, 2, 2)).astype(np.int32))


def test_conv_preferred_element_type():
    def f(x, w):
        return lax.conv_general_dilated(x, w, (1, 1), "VALID",
                                        preferred_element_type=jnp.float32)
    check(f, RNG.integers(-3, 3, (1, 2, 5, 5)).astype(np.int8).astype(np.float16),
          RNG.integers(-3, 3, (3, 2, 2, 2)).astype(np.float16))


def test_dot_general_batch_and_contracting():
    def f(x, y):
        return lax.dot_general(x, y, (((1, 3), (2, 0)), ((0,), (1,))))
    check(f, randn(2, 3, 4, 5), randn(5, 2, 3, 6))


# --------------------------------------------------------------------------- control flow

def test_while_fori():
    def f(x):
        return lax.fori_loop(0, 5, lambda i, c: c * 2.0 + i.astype(c.dtype), x)
    check(f, randn(3))


def test_while_loop_data_dependent():
    def f(x):
        return lax.while_loop(lambda c: c[0] < 100, lambda c: (c[0] * 3 + 1, c[1] + 1),
                              (x, jnp.int32(0)))
    check(f, np.int32(2))


def test_cond():
    def f(p, x):
        return lax.cond(p > 0, lambda x: jnp.sum(x) * 2.0, lambda x: jnp.max(x), x)
    check(f, np.float32(1.0), randn(4))
    check(f, np.float32(-1.0), randn(4))


@pytest.mark.parametrize("index", [-3, 0, 1, 2, 7])
def test_switch_index_clamped(index):
    branches = [lambda x: x + 1.0, lambda x: x * 3.0, lambda x: -x]
    check(lambda i, x: lax.switch(i, branches, x), np.int32(index), randn(3))


# --------------------------------------------------------------------------- sort

def test_sort_axes():
    x = randn(4, 6)
    x[0, 1] = np.nan
    x[2, 2] = -0.0
    x[2, 3] = 0.0
    check(lambda x: (jnp.sort(x, axis=1), jnp.sort(x, axis=0)), x)


def test_argsort_stable_and_int():
    x = RNG.integers(0, 3, (3, 8)).astype(np.int32)
    check(lambda x: (jnp.argsort(x, axis=1), jnp.sort(x, axis=0)), x)


def test_sort_multi_operand():
    k = RNG.integers(0, 4, (10,)).astype(np.int32)
    v = randn(10)
    check(lambda k, v: lax.sort((k, v), num_keys=1), k, v)


# --------------------------------------------------------------------------- gather / scatter

def test_take_and_indexing():
    x = randn(5, 4)
    i = np.array([4, 0, 2, 2], np.int32)
    check(lambda x, i: (x[i], x[:, i[:2]], jnp.take(x, i, axis=1)), x, i)


def test_gather_clamps():
    x = randn(6)
    check(lambda x: lax.dynamic_slice(x, (jnp.int32(4),), (3,)), x)
    check(lambda x, i: jnp.take(x, i, mode="clip"), x, np.array([-2, 9, 3], np.int32))


@pytest.mark.parametrize("update", ["set", "add", "max", "mul"])
def test_scatter(update):
    x = randn(5, 3)
    i = np.array([1, 3, 1], np.int32)
    u = randn(3, 3)
    check(lambda x, i, u: getattr(x.at[i], update)(u), x, i, u)


def test_scatter_out_of_bounds_dropped():
    x = randn(5)
    check(lambda x, i: x.at[i].add(1.0, mode="drop"), x, np.array([0, 7, 4], np.int32))


def test_vmapped_gather_scatter_batching_dims():
    x = randn(3, 5)
    i = np.array([[0, 4], [1, 1], [3, 2]], np.int32)
    check(jax.vmap(lambda x, i: (x[i], x.at[i].add(2.0))), x, i)


# --------------------------------------------------------------------------- select_and_scatter

def test_max_pool_grad():
    def pool(x):
        return lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "SAME")
    check(jax.grad(lambda x: jnp.sum(pool(x) ** 2)), randn(1, 5, 6, 2))


def test_conv_window_reversal_vs_numpy():
    # JAX never emits window_reversal: hand-written, against NumPy.
    text = """
func.func @main(%x: tensor<1x1x6xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x4xf32> {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, f, 0]x[o, i, 0]->[b, f, 0], window = {reverse = [true]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x1x6xf32>, tensor<1x1x3xf32>) -> tensor<1x1x4xf32>
  return %0 : tensor<1x1x4xf32>
}
"""
    x, w = randn(1, 1, 6), randn(1, 1, 3)
    (got,) = compile_cpu(text)(x, w)
    want = np.correlate(x[0, 0], w[0, 0, ::-1], mode="valid")[None, None]
    np.testing.assert_allclose(got, want, **TOL[np.dtype(np.float32)])


# --------------------------------------------------------------------------- errors

def test_unsupported_body_names_op():
    text = """
func.func @main(%x: tensor<4xf32>) -> tensor<f32> {
  %c = stablehlo.constant dense<0.0> : tensor<f32>
  %r = stablehlo.reduce(%x init: %c) across dimensions = [0] : (tensor<4xf32>, tensor<f32>) -> tensor<f32>
   reducer(%a: tensor<f32>, %b: tensor<f32>) {
    %t = stablehlo.broadcast_in_dim %a, dims = [] : (tensor<f32>) -> tensor<1xf32>
    %u = stablehlo.reshape %t : (tensor<1xf32>) -> tensor<f32>
    stablehlo.return %u : tensor<f32>
  }
  return %r : tensor<f32>
}
"""
    # Every elementwise op has a scalar form in a body; a shape op has none.
    with pytest.raises(CompilationError, match="stablehlo.broadcast_in_dim"):
        compile_cpu(text)


# --------------------------------------------------------------------------- more programs

def test_segment_sum_duplicates_and_take_along_axis():
    data = randn(8)
    seg = np.array([0, 2, 2, 1, 0, 2, 3, 3], np.int32)
    check(lambda d, s: jax.ops.segment_sum(d, s, num_segments=4), data, seg)
    x = randn(3, 5)
    idx = RNG.integers(0, 5, (3, 2)).astype(np.int32)
    check(lambda x, i: jnp.take_along_axis(x, i, axis=1), x, idx)


def test_sort_two_keys_and_unsigned():
    a = RNG.integers(0, 3, (12,)).astype(np.int32)
    b = RNG.integers(0, 3, (12,)).astype(np.uint32)
    c = np.arange(12, dtype=np.int32)
    check(lambda a, b, c: lax.sort((a, b, c), num_keys=2), a, b, c)
    check(lambda b: (jnp.sort(b), jnp.max(b), jnp.sum(b)), b)


def test_nested_control_flow():
    def f(x):
        def body(i, c):
            return lax.cond(i % 2 == 0, lambda c: c + jnp.sum(c), lambda c: c * 0.5, c)
        return lax.fori_loop(0, 4, body, x)
    check(f, randn(3))


def test_cummax_and_reduce_window_int():
    check(lambda x: lax.cummax(x, axis=0), randn(6, 2))
    x = RNG.integers(-9, 9, (2, 6, 6, 1)).astype(np.int32)
    check(lambda x: lax.reduce_window(x, np.int32(-2**31), lax.max, (1, 3, 3, 1), (1, 2, 2, 1),
                                      "SAME"), x)
