"""Contractions on ``cpu`` through the packed micro-kernels (hlox-cpu-vectorize-contractions).

JAX's StableHLO for dot_generals of every operand layout, batched, with
several contracting dims, sizes that are not multiples of the register tile
(8 x 32) or the cache blocks, bfloat16/float16 operands (accumulated in
float32), float64, prologues fused into the contraction (attention's
``p / sum``), epilogues after it, and convolutions (packed as im2col GEMMs:
strides, dilation, padding, feature groups, NCHW), each against float64
numpy/JAX on the same values. Integer and complex contractions, and those
with fewer than 32 rows, keep the unpacked path. Tolerance: float32 accumulation, 2e-5 of the result's largest
magnitude (K up to ~600); bfloat16/float16 results within one rounding of
their type.
"""

from __future__ import annotations

import re

import ml_dtypes
import numpy as np
import pytest

import hlox
from hlox.backends.cpu.passes import contraction_packing

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

BF16 = ml_dtypes.bfloat16
F32_RTOL = 2e-5


def run(fn, *args):
    text = jax.jit(fn).lower(*args).as_text()
    return hlox.compile_stablehlo(text)(*args)


def values(shape, dtype=np.float32, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def assert_close(got, expected, rtol=F32_RTOL):
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape
    wide = np.complex128 if np.iscomplexobj(expected) else np.float64
    scale = max(float(np.max(np.abs(expected))), 1e-30) if expected.size else 1.0
    np.testing.assert_allclose(got.astype(wide), expected.astype(wide), rtol=0, atol=rtol * scale)


def einsum64(spec, *operands):
    return np.einsum(spec, *[np.asarray(o, np.float64) for o in operands])


# (einsum spec, operand shapes): layouts, batches, several K dims, odd sizes.
EINSUMS = [
    ("ik,kj->ij", (37, 29), (29, 53)),         # nothing a multiple of a tile
    ("ki,kj->ij", (256, 64), (256, 96)),       # A transposed
    ("ik,jk->ij", (64, 256), (96, 256)),       # B transposed
    ("ki,jk->ij", (300, 70), (40, 300)),       # both transposed, K not a block multiple
    ("ik,kj->ji", (72, 40), (40, 48)),         # result transposed
    ("bij,bjk->bik", (3, 40, 24), (3, 24, 33)),
    ("bqhd,bkhd->bhqk", (2, 33, 3, 16), (2, 33, 3, 16)),  # attention scores
    ("bhqk,bkhd->bqhd", (2, 3, 33, 33), (2, 33, 3, 16)),  # attention values
    ("bqhd,hdo->bqo", (2, 17, 4, 8), (4, 8, 40)),          # two contracting dims
    ("ij,bjk->bik", (40, 16), (5, 16, 40)),    # a batch dim on one side only: N = (b, k)
    ("ik,k->i", (64, 96), (96,)),              # matrix-vector (unpacked path)
    ("ik,kj->ij", (8, 256), (256, 256)),       # 8 rows: an RNN step (unpacked path)
]


@pytest.mark.parametrize("spec,shape_a,shape_b", EINSUMS, ids=[e[0] for e in EINSUMS])
def test_float32_einsums(spec, shape_a, shape_b):
    a, b = values(shape_a, seed=1), values(shape_b, seed=2)
    got = run(lambda a, b: jnp.einsum(spec, a, b), a, b)[0]
    assert got.dtype == np.float32
    assert_close(got, einsum64(spec, a, b))


@pytest.mark.parametrize("spec,shape_a,shape_b", EINSUMS[:7], ids=[e[0] for e in EINSUMS[:7]])
def test_float64_einsums(spec, shape_a, shape_b, x64):
    a, b = values(shape_a, np.float64, 1), values(shape_b, np.float64, 2)
    got = run(lambda a, b: jnp.einsum(spec, a, b), a, b)[0]
    assert got.dtype == np.float64
    assert_close(got, einsum64(spec, a, b), rtol=1e-13)


@pytest.mark.parametrize("dtype", [BF16, np.float16], ids=["bfloat16", "float16"])
@pytest.mark.parametrize("spec,shape_a,shape_b", [EINSUMS[0], EINSUMS[3], EINSUMS[6]],
                         ids=[EINSUMS[0][0], EINSUMS[3][0], EINSUMS[6][0]])
def test_low_precision_accumulates_in_float32(spec, shape_a, shape_b, dtype):
    a, b = values(shape_a, dtype, 1), values(shape_b, dtype, 2)
    exact = einsum64(spec, a, b)
    wide = run(lambda a, b: jnp.einsum(spec, a, b, preferred_element_type=jnp.float32), a, b)[0]
    assert wide.dtype == np.float32
    assert_close(wide, exact)
    # A low-precision result: the float32 sum rounded once (within one of its ulps).
    narrow = np.asarray(run(lambda a, b: jnp.einsum(spec, a, b), a, b)[0])
    assert narrow.dtype == np.dtype(dtype)
    rounding = 0.5 * float(ml_dtypes.finfo(dtype).eps) * np.abs(exact)
    error = np.abs(narrow.astype(np.float32).astype(np.float64) - exact)
    assert np.all(error <= rounding + F32_RTOL * np.max(np.abs(exact)))


def test_integer_and_complex_keep_the_unpacked_path():
    rng = np.random.default_rng(3)
    a = rng.integers(-50, 50, (33, 40)).astype(np.int32)
    b = rng.integers(-50, 50, (40, 48)).astype(np.int32)
    np.testing.assert_array_equal(run(jnp.matmul, a, b)[0], a @ b)
    c = (values((33, 40)) + 1j * values((33, 40), seed=4)).astype(np.complex64)
    d = (values((40, 48), seed=5) + 1j * values((40, 48), seed=6)).astype(np.complex64)
    got = run(jnp.matmul, c, d)[0]
    assert got.dtype == np.complex64
    assert_close(got, c.astype(np.complex128) @ d.astype(np.complex128))


def test_epilogue_and_prologue_fused_around_the_contraction():
    x, w, bias = values((48, 64)), values((64, 80), seed=1), values((80,), seed=2)
    got = run(lambda x, w, b: jax.nn.relu(x @ w + b) * 2.0, x, w, bias)[0]
    assert_close(got, np.maximum(einsum64("ik,kj->ij", x, w) + bias, 0) * 2)


def test_contractions_of_one_shape_share_one_application(monkeypatch):
    # Three chained 64 x 72 x 72 contractions share one transform script
    # (one application for all three), the 64 x 300 x 40 one (K blocks of
    # 150) gets its own; each is computed right.
    from mlir.dialects.transform import interpreter

    applications = []
    apply = interpreter.apply_named_sequence
    monkeypatch.setattr(interpreter, "apply_named_sequence",
                        lambda *args: applications.append(args) or apply(*args))
    x, w1, w2, w3, y, v = (values(s, seed=i) for i, s in enumerate(
        [(64, 72), (72, 72), (72, 72), (72, 72), (64, 300), (300, 40)]))
    got = run(lambda x, w1, w2, w3, y, v: (x @ w1 @ w2 @ w3, y @ v), x, w1, w2, w3, y, v)
    assert len(applications) == 2
    assert_close(got[0], einsum64("ik,kj->ij", einsum64("ik,kj->ij", einsum64(
        "ik,kj->ij", x, w1), w2), w3))
    assert_close(got[1], einsum64("ik,kj->ij", y, v))


def test_causal_attention_matches_jax():
    batch, seq, width, heads = 2, 40, 64, 4
    x = values((batch, seq, width))
    ws = [values((width, width), seed=s) * width ** -0.5 for s in range(1, 5)]

    def attention(x, wq, wk, wv, wo):
        split = lambda t: t.reshape(batch, seq, heads, width // heads)  # noqa: E731
        q, k, v = split(x @ wq), split(x @ wk), split(x @ wv)
        scores = jnp.einsum("bqhd,bkhd->bhqk", q, k) / np.sqrt(width // heads)
        scores = jnp.where(jnp.tril(jnp.ones((seq, seq), bool)), scores, -1e30)
        out = jnp.einsum("bhqk,bkhd->bqhd", jax.nn.softmax(scores, axis=-1), v)
        return out.reshape(batch, seq, width) @ wo

    expected = jax.jit(attention)(x, *ws)  # XLA's float32 result
    assert_close(run(attention, x, *ws)[0], np.asarray(expected), rtol=1e-4)


def conv_reference(x, w, strides, padding, dilation, numbers, groups):
    """float64 on the same values: JAX's convolution of the float32 values in
    float32 at HIGHEST precision is exact enough for a 2e-5 tolerance."""
    return np.asarray(lax.conv_general_dilated(
        x.astype(np.float32), w.astype(np.float32), strides, padding, rhs_dilation=dilation,
        dimension_numbers=numbers, feature_group_count=groups,
        precision=lax.Precision.HIGHEST), np.float64)


CONVS = {
    # stride 1, NHWC: implicit GEMM (one panel; two panels, 7-row register tiles)
    "nhwc same": ((2, 12, 12, 16), (3, 3, 16, 24), (1, 1), "SAME", (1, 1),
                  ("NHWC", "HWIO", "NHWC"), 1),
    "nhwc 2 panels": ((1, 14, 14, 32), (3, 3, 32, 64), (1, 1), "SAME", (1, 1),
                      ("NHWC", "HWIO", "NHWC"), 1),
    "nhwc 1x5 window": ((2, 9, 16, 8), (1, 5, 8, 32), (1, 1), "VALID", (1, 1),
                        ("NHWC", "HWIO", "NHWC"), 1),
    # the others: im2col
    "stride 2 valid": ((2, 13, 11, 8), (3, 3, 8, 40), (2, 2), "VALID", (1, 1),
                       ("NHWC", "HWIO", "NHWC"), 1),
    "dilated": ((1, 16, 16, 8), (3, 3, 8, 32), (1, 1), "SAME", (2, 2),
                ("NHWC", "HWIO", "NHWC"), 1),
    "nchw": ((2, 8, 10, 10), (32, 8, 3, 3), (1, 1), "SAME", (1, 1),
             ("NCHW", "OIHW", "NCHW"), 1),
    "groups": ((2, 10, 10, 16), (3, 3, 8, 32), (1, 1), "SAME", (1, 1),
               ("NHWC", "HWIO", "NHWC"), 2),
}


@pytest.mark.parametrize("name", sorted(CONVS))
def test_convolutions(name):
    shape_x, shape_w, strides, padding, dilation, numbers, groups = CONVS[name]
    x, w = values(shape_x, seed=1), values(shape_w, seed=2)

    def conv(x, w):
        return lax.conv_general_dilated(x, w, strides, padding, rhs_dilation=dilation,
                                        dimension_numbers=numbers, feature_group_count=groups)

    got = run(conv, x, w)[0]
    assert_close(got, conv_reference(x, w, strides, padding, dilation, numbers, groups))


def test_bfloat16_convolution_accumulates_in_float32():
    x, w = values((2, 8, 8, 16), BF16, 1), values((3, 3, 16, 32), BF16, 2)
    numbers = ("NHWC", "HWIO", "NHWC")
    got = run(lambda x, w: lax.conv_general_dilated(
        x, w, (1, 1), "SAME", dimension_numbers=numbers,
        preferred_element_type=jnp.float32), x, w)[0]
    assert got.dtype == np.float32
    assert_close(got, conv_reference(x, w, (1, 1), "SAME", (1, 1), numbers, 1))


# A row-major A (batch, M, K in that order, M a multiple of the register
# tile's 8 rows, in the accumulation type) is read where it is (its packing
# copy folds away), and C is accumulated in the result's own buffer
# (hlox-cpu-results-in-place through the reshapes around the kernel): the
# only temporaries are B's panels (N here a whole number of panels: no
# padded copy of B either).
IN_PLACE = [
    ("ik,kj->ij", (64, 256), (256, 96)),
    ("ik,jk->ij", (40, 72), (64, 72)),            # B transposed
    ("bij,bjk->bik", (3, 48, 24), (3, 24, 64)),   # batched
    ("ikl,klj->ij", (32, 6, 10), (6, 10, 64)),    # two contracting dims
    ("ijk,kl->ijl", (4, 16, 32), (32, 64)),       # two M dims
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("spec,shape_a,shape_b", IN_PLACE, ids=[e[0] for e in IN_PLACE])
def test_temporaries_are_only_b_panels(spec, shape_a, shape_b, dtype, x64):
    a, b = values(shape_a, dtype, 1), values(shape_b, dtype, 2)
    text = jax.jit(lambda a, b: jnp.einsum(spec, a, b)).lower(a, b).as_text()
    compiled = hlox.compile_stablehlo(text)
    got = compiled(a, b)[0]
    assert got.dtype == dtype
    assert_close(got, einsum64(spec, a, b), rtol=F32_RTOL if dtype == np.float32 else 1e-13)
    assert compiled.memory_analysis().temp_size_in_bytes <= \
        packed_b_bytes(spec, shape_b, np.dtype(dtype))


def packed_b_bytes(spec, shape_b, dtype):
    """The bytes of B's column panels: batch x K x N rounded up to whole panels
    (of the register tile's width for this machine)."""
    inputs, out = spec.split("->")
    a_dims, b_dims = inputs.split(",")
    size = dict(zip(b_dims, shape_b))
    shared = np.prod([size[c] for c in b_dims if c in a_dims])  # batch and K
    n = np.prod([size[c] for c in b_dims if c not in a_dims])
    tiles = contraction_packing.REGISTER_TILES[contraction_packing.host_vector_bits()]
    _, panel = tiles[{4: "f32", 8: "f64"}[dtype.itemsize]]
    return int(shared * -(-n // panel) * panel * dtype.itemsize)



def with_vector_bits(text, bits):
    """JAX's module text with the register tiles of ``bits``-wide vectors."""
    return re.sub(r"(module @\w+ attributes \{)", rf"\1hlox.cpu_vector_bits = {bits} : i64, ",
                  text, count=1)


@pytest.mark.parametrize("bits", [256, 512])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_register_tiles_of_either_vector_width(bits, dtype, x64):
    """AVX2's 4 x 16 and AVX-512's 8 x 32 register tiles (the module's
    hlox.cpu_vector_bits; the host's width by default) give the same numbers,
    packed and unpacked, whichever the host runs; with the cache blocks of
    each rule of contraction_blocks: row blocks, one row block over groups of
    panels (a prime count of them), the same with K blocks outside the
    panels (K too long for all of A in L2), short row blocks for a long K."""
    for shape_a, shape_b in [((72, 100), (100, 80)), ((8, 64), (64, 48)), ((37, 29), (29, 53)),
                             ((1024, 72), (72, 64)), ((256, 200), (200, 520)),
                             ((256, 4096), (4096, 256)), ((96, 3000), (3000, 40))]:
        a, b = values(shape_a, dtype, 1), values(shape_b, dtype, 2)
        text = with_vector_bits(jax.jit(jnp.matmul).lower(a, b).as_text(), bits)
        assert f"hlox.cpu_vector_bits = {bits}" in text
        got = hlox.compile_stablehlo(text)(a, b)[0]
        assert_close(got, einsum64("ik,kj->ij", a, b),
                     rtol=F32_RTOL if dtype == np.float32 else 1e-13)


def test_unknown_vector_width_is_refused():
    a = values((64, 64))
    text = with_vector_bits(jax.jit(jnp.matmul).lower(a, a).as_text(), 384)
    with pytest.raises(hlox.backends.compiler.CompilationError,
                       match="hlox.cpu_vector_bits = 384"):
        hlox.compile_stablehlo(text)
