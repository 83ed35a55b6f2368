"""chlo.mulhi, chlo.ragged_dot (modes 1-3) and stablehlo.dynamic_conv on cpu and on the
interpreter (both through hlox-chlo-legalize-to-stablehlo), against Python integers
and NumPy references; malformed ragged_dot dimension numbers are clean errors."""

from __future__ import annotations

import numpy as np
import pytest

import hlox
from hlox.backends import BackendError

BACKENDS = ["cpu", "interpreter"]
INTS = {"i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64,
        "ui8": np.uint8, "ui16": np.uint16, "ui32": np.uint32, "ui64": np.uint64}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(INTS))
def test_mulhi_is_the_high_half_of_the_double_width_product(backend, name):
    dtype = np.dtype(INTS[name])
    info = np.iinfo(dtype)
    edges = [info.min, info.max, 0, 1, -1, 2, info.max // 3, info.min // 5 or 7]
    rng = np.random.default_rng(0)
    values = np.array([v for v in edges if info.min <= v <= info.max]
                      + list(rng.integers(info.min, info.max, 24, dtype=dtype, endpoint=True)),
                      dtype)
    x, y = (a.ravel() for a in np.meshgrid(values, values))
    n, t = x.size, f"tensor<{x.size}x{name}>"
    text = (f"func.func @main(%x: {t}, %y: {t}) -> {t} {{\n"
            f"  %r = chlo.mulhi %x, %y : {t}, {t} -> {t}\n  return %r : {t}\n}}")
    [got] = hlox.compile_stablehlo(text, backend=backend)(x, y)
    width = dtype.itemsize * 8
    want = [(int(a) * int(b)) >> width for a, b in zip(x, y)]
    want = np.array([w & ((1 << width) - 1) for w in want], np.uint64).astype(
        np.dtype(f"u{dtype.itemsize}")).view(dtype)
    assert n == len(want)
    np.testing.assert_array_equal(np.asarray(got), want)


def ragged_text(lhs, rhs, groups, result, dims):
    names = ["lhs_batching_dimensions", "rhs_batching_dimensions",
             "lhs_contracting_dimensions", "rhs_contracting_dimensions",
             "lhs_ragged_dimensions", "rhs_group_dimensions"]
    numbers = ", ".join(f"{k} = {list(v)}" for k, v in zip(names, dims))
    t = lambda s, e="f32": f"tensor<{'x'.join(map(str, s))}x{e}>"
    return (f"func.func @main(%a: {t(lhs)}, %b: {t(rhs)}, %g: {t(groups, 'i32')}) -> "
            f"{t(result)} {{\n  %r = \"chlo.ragged_dot\"(%a, %b, %g) "
            f"{{ragged_dot_dimension_numbers = #chlo.ragged_dot<{numbers}>}} : "
            f"({t(lhs)}, {t(rhs)}, {t(groups, 'i32')}) -> {t(result)}\n"
            f"  return %r : {t(result)}\n}}")


def bounds(sizes):
    ends = np.cumsum(sizes)
    return list(zip(ends - sizes, ends))


@pytest.mark.parametrize("backend", BACKENDS)
def test_ragged_dot_modes(backend):
    rng = np.random.default_rng(1)
    b, m, k, n, g = 2, 7, 5, 3, 3
    sizes = np.array([3, 0, 3], np.int32)  # an empty group; row 6 / column 6 in no group
    lhs = rng.standard_normal((b, m, k)).astype(np.float32)
    lhs[:, 6] = np.nan  # rows past the last group: 0 in mode 1, whatever they hold
    # mode 1: [b,m,k] x [g,b,k,n] -> [b,m,n], row i by its group's matrix
    rhs = rng.standard_normal((g, b, k, n)).astype(np.float32)
    rhs[1] = np.inf  # the empty group's matrix must not leak into any row
    want = np.zeros((b, m, n), np.float32)
    for j, (lo, hi) in enumerate(bounds(sizes)):
        want[:, lo:hi] = np.einsum("bmk,bkn->bmn", lhs[:, lo:hi], rhs[j])
    text = ragged_text((b, m, k), (g, b, k, n), (g,), (b, m, n),
                       ([0], [1], [2], [2], [1], [0]))
    [got] = hlox.compile_stablehlo(text, backend=backend)(lhs, rhs, sizes)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-6)

    # mode 2: the ragged dimension contracts: [b,m,k] x [b,k,n] -> [g,b,m,n]
    lhs2 = rng.standard_normal((b, m, 7)).astype(np.float32)
    rhs2 = rng.standard_normal((b, 7, n)).astype(np.float32)
    want = np.stack([np.einsum("bmk,bkn->bmn", lhs2[:, :, lo:hi], rhs2[:, lo:hi])
                     for lo, hi in bounds(sizes)])
    text = ragged_text((b, m, 7), (b, 7, n), (g,), (g, b, m, n), ([0], [0], [2], [1], [2], []))
    [got] = hlox.compile_stablehlo(text, backend=backend)(lhs2, rhs2, sizes)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-6)

    # mode 3: the ragged dimension is a batch: batches past the last group are 0
    lhs3 = rng.standard_normal((7, m, k)).astype(np.float32)
    rhs3 = rng.standard_normal((7, k, n)).astype(np.float32)
    want = np.einsum("bmk,bkn->bmn", lhs3, rhs3)
    want[6] = 0
    text = ragged_text((7, m, k), (7, k, n), (g,), (7, m, n), ([0], [0], [2], [1], [0], []))
    [got] = hlox.compile_stablehlo(text, backend=backend)(lhs3, rhs3, sizes)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dims, message", [
    (([0], [1], [2], [2], [1], []), "needs one rhs group dimension"),
    (([0], [1], [2], [2], [], [0]), "exactly one lhs ragged dimension"),
    (([0], [1], [5], [2], [1], [0]), "out of range"),
])
def test_ragged_dot_with_malformed_dimension_numbers_is_refused(dims, message):
    text = ragged_text((2, 7, 5), (3, 2, 5, 3), (3,), (2, 7, 3), dims)
    with pytest.raises(BackendError, match=message):
        hlox.compile_stablehlo(text, backend="cpu")


@pytest.mark.parametrize("backend", BACKENDS)
def test_dynamic_conv_with_constant_padding_is_a_convolution(backend):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, 6, 6, 2)).astype(np.float32)
    w = rng.standard_normal((3, 3, 2, 4)).astype(np.float32)
    conv = ("window_strides = array<i64: 2, 1>, lhs_dilation = array<i64: 1, 1>, "
            "rhs_dilation = array<i64: 1, 2>, "
            "dimension_numbers = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>, "
            "batch_group_count = 1 : i64, feature_group_count = 1 : i64")
    types = "(tensor<1x6x6x2xf32>, tensor<3x3x2x4xf32>"
    dynamic = f"""func.func @main(%x: tensor<1x6x6x2xf32>, %w: tensor<3x3x2x4xf32>) -> tensor<1x4x4x4xf32> {{
  %p = stablehlo.constant dense<[[1, 2], [0, 2]]> : tensor<2x2xi64>
  %r = "stablehlo.dynamic_conv"(%x, %w, %p) {{{conv}}} : {types}, tensor<2x2xi64>) -> tensor<1x4x4x4xf32>
  return %r : tensor<1x4x4x4xf32>
}}"""
    static = f"""func.func @main(%x: tensor<1x6x6x2xf32>, %w: tensor<3x3x2x4xf32>) -> tensor<1x4x4x4xf32> {{
  %r = "stablehlo.convolution"(%x, %w) {{{conv}, padding = dense<[[1, 2], [0, 2]]> : tensor<2x2xi64>}} : {types}) -> tensor<1x4x4x4xf32>
  return %r : tensor<1x4x4x4xf32>
}}"""
    [got] = hlox.compile_stablehlo(dynamic, backend=backend)(x, w)
    [want] = hlox.compile_stablehlo(static, backend="interpreter")(x, w)
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-5)
