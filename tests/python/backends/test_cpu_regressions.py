"""CPU-backend bugs found by validation, each against JAX (XLA) on the same program.

Each test lowers a JAX function with ``jax.jit(f).lower(*args).as_text()``,
compiles that StableHLO with hlox's CPU backend and compares with
``jax.jit(f)(*args)``: integers exactly, float32 with rtol 1e-6 / atol 1e-6
(the programs are a few multiplications and additions, evaluated in the same
order; exp is libm's in XLA and a polynomial here, a few ulps apart).
"""

from __future__ import annotations

import numpy as np
import pytest

import hlox

jax = pytest.importorskip("jax")
from jax import lax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

F32_TOL = dict(rtol=1e-6, atol=1e-6)


def run_both(fn, *args):
    """(hlox CPU results, JAX results) of ``fn`` on ``args``, as lists of arrays."""
    text = jax.jit(fn, keep_unused=True).lower(*args).as_text()
    ours = hlox.compile_stablehlo(text, backend="cpu")(*args)
    theirs = jax.tree_util.tree_leaves(jax.jit(fn)(*args))
    assert len(ours) == len(theirs)
    return list(ours), [np.asarray(t) for t in theirs]


def assert_matches_jax(fn, *args):
    ours, theirs = run_both(fn, *args)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype and a.shape == b.shape, (a.dtype, a.shape, b.dtype, b.shape)
        if a.dtype.kind == "f":
            np.testing.assert_allclose(a, b, **F32_TOL)
        else:
            np.testing.assert_array_equal(a, b)


def rand(shape, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.uniform(-2, 2, size=shape).astype(dtype)
    return rng.integers(-5, 6, size=shape).astype(dtype)


# --- stablehlo.case with several results -------------------------------------
# The case used to become scf.index_switch, whose results one-shot-bufferize
# (MLIR 22.1.8) does not alias with the buffers the branches yield: a later op
# computed in place into a buffer the switch still returned.

def three_results(i, x, y):
    branches = [lambda x, y: (x, jnp.zeros_like(x), y),
                lambda x, y: (jnp.zeros_like(x), -jnp.ones_like(x), jnp.exp(x) * 2.0),
                lambda x, y: (x * y, x + y, x - y)]
    a, b, c = lax.switch(i, branches, x, y)
    return c, a + b


@pytest.mark.parametrize("index", [-1, 0, 1, 2, 5])  # JAX clamps the index
def test_switch_several_results(index):
    x, y = rand((5,)), rand((5,), seed=1)
    assert_matches_jax(three_results, np.int32(index), x, y)


def test_grad_through_switch():
    def loss(x, y):
        i = (jnp.sum(x) > 0).astype(np.int32)
        return jnp.sum(lax.switch(i, [lambda a: a * y, lambda a: jnp.exp(a) - y], x))

    for sign in (1, -1):
        x, y = np.abs(rand((3,))) * sign, rand((3,), seed=2)
        assert_matches_jax(jax.grad(loss, argnums=(0, 1)), x, y)


# hlox's own clamping of the case index (JAX clamps before emitting a case),
# and a one-branch case; reference: the branches evaluated by NumPy.
CASE_TEXT = """
func.func public @main(%i: tensor<i32>, %x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r:2 = "stablehlo.case"(%i) ({
    stablehlo.return %x, %x : tensor<4xf32>, tensor<4xf32>
  }, {
    %a = stablehlo.add %x, %x : tensor<4xf32>
    stablehlo.return %a, %x : tensor<4xf32>, tensor<4xf32>
  }, {
    %m = stablehlo.multiply %x, %x : tensor<4xf32>
    %n = stablehlo.negate %x : tensor<4xf32>
    stablehlo.return %m, %n : tensor<4xf32>, tensor<4xf32>
  }) : (tensor<i32>) -> (tensor<4xf32>, tensor<4xf32>)
  %s = stablehlo.add %r#0, %r#1 : tensor<4xf32>
  %one:1 = "stablehlo.case"(%i) ({
    %d = stablehlo.subtract %s, %x : tensor<4xf32>
    stablehlo.return %d : tensor<4xf32>
  }) : (tensor<i32>) -> tensor<4xf32>
  return %r#0, %one#0 : tensor<4xf32>, tensor<4xf32>
}
"""


@pytest.mark.parametrize("index", [-3, 0, 1, 2, 3, 2**31 - 1])
def test_case_index_out_of_range_runs_last_branch(index):
    x = rand((4,))
    first, second = {0: (x, x), 1: (x + x, x)}.get(index, (x * x, -x))
    got = hlox.compile_stablehlo(CASE_TEXT, backend="cpu")(np.int32(index), x)
    np.testing.assert_allclose(got[0], first, **F32_TOL)
    np.testing.assert_allclose(got[1], first + second - x, **F32_TOL)


# --- dot_general without contracting dimensions --------------------------------
# Such a dot_general used to accumulate into a zero-filled init; fused into a
# consumer with more loops (linalg-fuse-elementwise-ops keeps a producer's init
# as an output of the fused op) it was accumulated once per extra iteration.

NO_CONTRACTION = {
    "chained_outer": (lambda x, y: lax.dot_general(
        lax.dot_general(x, x, (((), ()), ((0,), (0,)))), y, (((), ()), ((), ()))),
        [(3,), (2,)]),
    "outer_then_scale": (lambda x, y: lax.dot_general(x, y, (((), ()), ((), ()))) * x[:, None],
                         [(4,), (3,)]),
    "batch_only_then_outer": (lambda a, b: lax.dot_general(
        lax.dot_general(a, b, (((), ()), ((0, 1), (0, 1)))), b[0], (((), ()), ((), ()))),
        [(2, 3), (2, 3)]),
    "batch_and_free": (lambda a, b: lax.dot_general(a, b, (((), ()), ((0,), (1,)))) + 1.0,
                       [(2, 3), (4, 2)]),
    "matrix_outer": (lambda a, b: lax.dot_general(a, b, (((), ()), ((), ()))).sum(axis=1),
                     [(2, 3), (3, 2)]),
    "product_broadcast_into_matmul": (lambda x, m: lax.dot_general(
        lax.dot_general(x, x, (((), ()), ((0,), (0,)))), m, (((0,), (0,)), ((), ()))),
        [(3,), (3, 4)]),
}


@pytest.mark.parametrize("dtype", [np.float32, np.int32])
@pytest.mark.parametrize("name", sorted(NO_CONTRACTION))
def test_dot_general_without_contraction(name, dtype):
    fn, shapes = NO_CONTRACTION[name]
    args = [rand(s, dtype, seed=i) for i, s in enumerate(shapes)]
    if dtype == np.int32:  # `+ 1.0` and friends keep the integer dtype
        fn = (lambda f: lambda *a: jax.tree_util.tree_map(lambda r: r.astype(np.int32), f(*a)))(fn)
    assert_matches_jax(fn, *args)


def test_reduce_over_no_dimension_then_broadcast():
    """reduce with dimensions = [] (JAX emits it, e.g. in jnp.unique) is body(init, x)."""
    fn = lambda x, y: lax.reduce(x, np.float32(1), lax.add, ())[:, None] * y  # noqa: E731
    assert_matches_jax(fn, rand((3,)), rand((2,), seed=1))
    fn = lambda x, y: (lax.reduce(x, np.int32(3), lax.max, ())[:, None] * y, x)  # noqa: E731
    assert_matches_jax(fn, rand((4,), np.int32), rand((2,), np.int32, seed=1))


# --- sort: a merge sort (was an O(n^2) insertion sort) --------------------------
# Sizes around the run length (16/32) and the number of merge passes (odd and
# even), several operands, a descending comparator, the non-last dimension;
# many equal keys check stability (JAX's sort is stable with is_stable=True).

@pytest.mark.parametrize("n", [2, 16, 17, 33, 100, 1000, 4099])
def test_sort_sizes_and_stability(n):
    keys = rand((n,), np.int32, seed=n) // 3  # many ties
    values = np.arange(n, dtype=np.int32)
    assert_matches_jax(lambda k, v: lax.sort((k, v), num_keys=1, is_stable=True), keys, values)
    x = rand((n,), seed=n)
    assert_matches_jax(lambda x: lax.sort(x), x)


def test_sort_multi_operand_comparators_and_dimension():
    x = rand((5, 40, 3), seed=3)
    k = rand((5, 40, 3), np.int32, seed=4)
    assert_matches_jax(lambda k, x: lax.sort((k, x), dimension=1, num_keys=2), k, x)
    assert_matches_jax(lambda x: (-lax.sort(-x, dimension=0), jnp.argsort(x, axis=1)), x)
    assert_matches_jax(lambda x: jnp.sort(x, axis=-1, descending=True, stable=True), x)


# --- zero-size results ----------------------------------------------------------
# A slice whose start equals the dimension (x[2:2:2] of 2 elements) became a
# tensor.extract_slice that fails to verify; so did negative padding cropping
# everything. The other zero-size results are here so that none regresses.

ZERO_SIZE = {
    "slice_at_end": (lambda x: lax.slice(x, (2,), (2,), (2,)), [(2,)]),
    "slice_2d_at_end": (lambda x: lax.slice(x, (0, 3), (2, 3)), [(2, 3)]),
    "pad_cropping_everything": (lambda x: lax.pad(x, 2.0, [(-3, 0, 0)]), [(3,)]),
    "pad_of_empty": (lambda x: lax.pad(x, 2.0, [(1, 2, 0)]), [(0,)]),
    "dynamic_slice": (lambda x: lax.dynamic_slice(x, (np.int32(2),), (0,)), [(3,)]),
    "dynamic_update_slice": (lambda x, u: lax.dynamic_update_slice(x, u, (np.int32(3),)),
                             [(3,), (0,)]),
    "concatenate": (lambda x, y: jnp.concatenate([x, y]), [(0, 2), (3, 2)]),
    "reduce_over_empty": (lambda x: (jnp.sum(x, axis=0), lax.reduce(x, -np.inf, lax.max, (0,))),
                          [(0, 3)]),
    "reduce_to_empty": (lambda x: (jnp.sum(x, axis=1), jnp.argmax(x, axis=1)), [(0, 3)]),
    "dot_zero_contraction": (lambda a, b: a @ b, [(2, 0), (0, 3)]),
    "dot_zero_rows": (lambda a, b: a @ b, [(0, 4), (4, 3)]),
    "iota_sort_cumsum": (lambda x: (jnp.sort(x) + jnp.arange(0, dtype=np.float32),
                                    jnp.cumsum(x[::-1])), [(0,)]),
    "associative_scan": (lambda x: lax.associative_scan(jnp.add, x), [(5,)]),
}


@pytest.mark.parametrize("name", sorted(ZERO_SIZE))
def test_zero_size_results(name):
    fn, shapes = ZERO_SIZE[name]
    assert_matches_jax(fn, *[rand(s, seed=i) for i, s in enumerate(shapes)])


def test_zero_size_gather_and_scatter():
    """JAX folds gathers with no indices away; this is the op itself (reference: NumPy)."""
    text = """
func.func @main(%x: tensor<3x2xf32>, %i: tensor<0x1xi32>, %u: tensor<0x2xf32>)
    -> (tensor<0x2xf32>, tensor<3x2xf32>) {
  %0 = "stablehlo.gather"(%x, %i) {dimension_numbers = #stablehlo.gather<offset_dims = [1],
      collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>,
      slice_sizes = array<i64: 1, 2>, indices_are_sorted = false}
      : (tensor<3x2xf32>, tensor<0x1xi32>) -> tensor<0x2xf32>
  %1 = "stablehlo.scatter"(%x, %i, %u) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1],
      inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>,
      indices_are_sorted = false, unique_indices = false}
      : (tensor<3x2xf32>, tensor<0x1xi32>, tensor<0x2xf32>) -> tensor<3x2xf32>
  return %0, %1 : tensor<0x2xf32>, tensor<3x2xf32>
}
"""
    x = rand((3, 2))
    gathered, scattered = hlox.compile_stablehlo(text, backend="cpu")(
        x, np.zeros((0, 1), np.int32), np.zeros((0, 2), np.float32))
    assert gathered.shape == (0, 2) and gathered.dtype == np.float32
    np.testing.assert_array_equal(scattered, x)


# --- JAX's scan: ys updated in place ------------------------------------------------
# JAX writes a scan's ys with dynamic_update_slice in a private function the
# while loop calls. That function's result, equivalent to its argument, became
# an out-parameter filled by a copy of the whole ys on every step: 16k steps
# took ~60 ms, 64k ~1 s. The same for a scatter into the carried array, whose
# loop nest must first be canonicalized away for the result to be seen as the
# argument. (Structure: lit tests in drop-equivalent-buffer-results/.)

@pytest.mark.parametrize("n", [1, 7, 300])
def test_jax_scan_ys(n):
    xs = rand((n,))
    assert_matches_jax(lambda xs: lax.scan(lambda c, x: (c + x, c * x), 0.0, xs), xs)
    xs = rand((n, 3), seed=1)
    assert_matches_jax(lambda xs: lax.scan(lambda c, x: (c * 0.5 + x, (c, -x)), xs[0], xs,
                                           reverse=True), xs)


@pytest.mark.parametrize("n", [1, 9])
def test_fori_loop_scatter_rows(n):
    """acc.at[i].set(...) in a fori_loop: a scatter in the loop body's private
    function (64k steps took 8 s, a copy of acc per step; now 19 ms)."""
    xs = rand((n, 3))
    assert_matches_jax(lambda xs: lax.fori_loop(
        0, xs.shape[0], lambda i, acc: acc.at[i].set(xs[i] * i), jnp.zeros_like(xs)), xs)


def test_dynamic_update_slice_leaves_the_callers_array():
    x, u = rand((6,)), rand((2,), seed=1)
    before = x.copy()
    assert_matches_jax(lambda x, u, i: (lax.dynamic_update_slice(x, u, (i,)), x * 2),
                       x, u, np.int32(3))
    np.testing.assert_array_equal(x, before)


# bfloat16/float16 contractions: XLA CPU sums in float32 and rounds once, so the
# results agree to within one ulp of the low-precision type (rtol = its epsilon);
# summing in the low-precision type is ~3 ulps off over 257 terms.
LOW_PRECISION_CONTRACTIONS = {
    "matmul": (lambda a, b: a @ b, [(16, 257), (257, 8)]),
    "batched_dot_general": (lambda a, b: jnp.einsum("bkm,bkn->bmn", a, b), [(3, 257, 5), (3, 257, 4)]),
    "vector_dot": (jnp.dot, [(513,), (513,)]),
    "conv": (lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "SAME"),
             [(2, 29, 9, 9), (4, 29, 3, 3)]),
}


@pytest.mark.parametrize("dtype", [jnp.bfloat16, np.float16], ids=["bfloat16", "float16"])
@pytest.mark.parametrize("name", sorted(LOW_PRECISION_CONTRACTIONS))
def test_low_precision_contractions_accumulate_in_float32(name, dtype):
    fn, shapes = LOW_PRECISION_CONTRACTIONS[name]
    rng = np.random.default_rng(0)
    args = [rng.random(shape).astype(dtype) for shape in shapes]
    [ours], [theirs] = run_both(fn, *args)
    assert ours.dtype == theirs.dtype == np.dtype(dtype)
    np.testing.assert_allclose(ours.astype(np.float32), theirs.astype(np.float32),
                               rtol=float(jnp.finfo(dtype).eps), atol=0)


# Reducer bodies with any elementwise op (JAX's logaddexp reducer uses
# log_plus_one, exponential, abs, negate, maximum, select). exp/log1p are
# polynomials here and libm in XLA: float32 rtol 1e-6, float64 rtol 1e-13.
BODY_TOLERANCES = {"float32": dict(rtol=1e-6, atol=1e-6), "float64": dict(rtol=1e-13, atol=1e-13)}

LOG_SPACE_REDUCTIONS = {
    "cumlogsumexp_vector": (lambda x: lax.cumlogsumexp(x), (7,)),
    "cumlogsumexp_axis0": (lambda x: lax.cumlogsumexp(x, axis=0), (4, 5)),
    "cumlogsumexp_axis1_reverse": (lambda x: lax.cumlogsumexp(x, axis=1, reverse=True), (3, 6)),
    "cumlogsumexp_axis2_reverse": (lambda x: lax.cumlogsumexp(x, axis=2, reverse=True), (2, 3, 4)),
    "reduce_logaddexp": (lambda x: lax.reduce(x, -jnp.inf, jnp.logaddexp, (1,)), (3, 8)),
    "reduce_window_logaddexp": (
        lambda x: lax.reduce_window(x, -jnp.inf, jnp.logaddexp, (3,), (2,), "SAME"), (9,)),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(LOG_SPACE_REDUCTIONS))
def test_log_space_reductions(name, dtype, request):
    if dtype == "float64":
        request.getfixturevalue("x64")
    fn, shape = LOG_SPACE_REDUCTIONS[name]
    x = np.random.default_rng(1).normal(size=shape).astype(dtype) * 3
    [ours], [theirs] = run_both(fn, x)
    assert ours.dtype == theirs.dtype == np.dtype(dtype)
    np.testing.assert_allclose(ours, theirs, **BODY_TOLERANCES[dtype])
