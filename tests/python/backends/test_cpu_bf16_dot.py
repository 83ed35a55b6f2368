"""bfloat16 contractions on AVX512-BF16's ``vdpbf16ps`` (backends/cpu/passes/bf16_dot.py).

JAX's StableHLO for bf16 dot_generals (float32 results through
``preferred_element_type``, and bf16 results), of every operand layout,
batched, with odd M/N/K (K odd: a zero pad in the packing), several
contracting dims and fused epilogues, against float64 numpy and against JAX
(XLA) on the same values, with test_cpu_contractions' tolerances: float32
accumulation, 2e-5 of the result's largest magnitude; bf16 results within
one rounding of their type. The dot kernels run only where the CPU has
avx512bf16 (elsewhere those tests skip); the module attribute
``hlox.cpu_bf16_dot`` pins the choice, which the IR and the assembly show.
"""

from __future__ import annotations

import re

import ml_dtypes
import numpy as np
import pytest

import hlox
from hlox.backends.cpu.passes import bf16_dot
from test_cpu_contractions import BF16, F32_RTOL, assert_close, einsum64, values

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

needs_dot = pytest.mark.skipif(not bf16_dot.host_has_dot(),
                               reason="this CPU has no AVX512-BF16 (vdpbf16ps)")


def pinned(text: str, dot: bool) -> str:
    """JAX's module text with ``hlox.cpu_bf16_dot`` set to ``dot``."""
    flag = "true" if dot else "false"
    return re.sub(r"(module @\w+ attributes \{)", rf"\1hlox.cpu_bf16_dot = {flag}, ",
                  text, count=1)


def compile_pinned(fn, *args, dot: bool = True):
    return hlox.compile_stablehlo(pinned(jax.jit(fn).lower(*args).as_text(), dot))


# (einsum spec, operand shapes): every layout, batches, odd sizes, odd K.
EINSUMS = [
    ("ik,kj->ij", (37, 29), (29, 53)),          # nothing a multiple of a tile; K odd
    ("ik,kj->ij", (96, 257), (257, 64)),        # K odd past a K block
    ("ki,kj->ij", (256, 64), (256, 96)),        # A transposed
    ("ik,jk->ij", (64, 255), (96, 255)),        # B transposed, K odd
    ("ki,jk->ij", (301, 70), (40, 301)),        # both transposed
    ("ik,kj->ji", (72, 41), (41, 48)),          # result transposed
    ("bij,bjk->bik", (3, 40, 25), (3, 25, 33)),  # batched
    ("bqhd,bkhd->bhqk", (2, 33, 3, 16), (2, 33, 3, 16)),  # attention scores
    ("bhqk,bkhd->bqhd", (2, 3, 33, 33), (2, 33, 3, 40)),  # attention values (K = 33)
    ("bqhd,hdo->bqo", (2, 17, 4, 9), (4, 9, 40)),          # two contracting dims
    ("ij,bjk->bik", (40, 17), (5, 17, 40)),     # batch on one side only
    ("ik,kj->ij", (64, 128), (128, 16)),        # N of one 16-lane dot output
]
IDS = [f"{spec}-{'x'.join(map(str, a))}-{'x'.join(map(str, b))}" for spec, a, b in EINSUMS]


@needs_dot
@pytest.mark.parametrize("spec,shape_a,shape_b", EINSUMS, ids=IDS)
def test_float32_results_match_float64_and_jax(spec, shape_a, shape_b):
    a, b = values(shape_a, BF16, 1), values(shape_b, BF16, 2)
    fn = lambda a, b: jnp.einsum(spec, a, b, preferred_element_type=jnp.float32)  # noqa: E731
    compiled = compile_pinned(fn, a, b)
    assert "vdpbf16ps" in compiled.as_text("asm")
    got = compiled(a, b)[0]
    assert got.dtype == np.float32
    assert_close(got, einsum64(spec, a, b))
    assert_close(got, np.asarray(jax.jit(fn)(a, b), np.float64))


@needs_dot
@pytest.mark.parametrize("spec,shape_a,shape_b", EINSUMS[:7], ids=IDS[:7])
def test_bfloat16_results_within_one_rounding(spec, shape_a, shape_b):
    a, b = values(shape_a, BF16, 1), values(shape_b, BF16, 2)
    exact = einsum64(spec, a, b)
    got = np.asarray(compile_pinned(lambda a, b: jnp.einsum(spec, a, b), a, b)(a, b)[0])
    assert got.dtype == np.dtype(BF16)
    rounding = 0.5 * float(ml_dtypes.finfo(BF16).eps) * np.abs(exact)
    error = np.abs(got.astype(np.float64) - exact)
    assert np.all(error <= rounding + F32_RTOL * np.max(np.abs(exact)))


@needs_dot
@pytest.mark.parametrize("out", [np.float32, BF16], ids=["float32", "bfloat16"])
def test_fused_bias_and_activation(out):
    x, w, bias = values((48, 65), BF16), values((65, 80), BF16, 1), values((80,), BF16, 2)

    def layer(x, w, bias):
        y = jnp.matmul(x, w, preferred_element_type=jnp.float32) + bias.astype(jnp.float32)
        return jax.nn.relu(y).astype(out) * 2

    compiled = compile_pinned(layer, x, w, bias)
    assert "vdpbf16ps" in compiled.as_text("asm")
    got = np.asarray(compiled(x, w, bias)[0])
    assert got.dtype == np.dtype(out)
    expected = np.asarray(layer(x, w, bias)).astype(np.float64)
    exact = np.maximum(einsum64("ik,kj->ij", x, w) + np.asarray(bias, np.float64), 0) * 2
    if out == np.float32:
        assert_close(got, exact)
        assert_close(got, expected)
    else:  # one rounding of the f32 result (JAX's rounds it the same way)
        rounding = 0.5 * float(ml_dtypes.finfo(BF16).eps) * np.abs(exact)
        assert np.all(np.abs(got.astype(np.float64) - exact)
                      <= rounding + F32_RTOL * np.max(np.abs(exact)))


@needs_dot
def test_pinned_choice_shows_in_the_code_and_both_agree():
    a, b = values((64, 99), BF16, 1), values((99, 64), BF16, 2)
    fn = lambda a, b: jnp.matmul(a, b, preferred_element_type=jnp.float32)  # noqa: E731
    dot, widened = compile_pinned(fn, a, b, dot=True), compile_pinned(fn, a, b, dot=False)
    assert "vdpbf16ps" in dot.as_text("asm")
    assert "vdpbf16ps" not in widened.as_text("asm")
    assert_close(dot(a, b)[0], einsum64("ik,kj->ij", a, b))
    assert_close(widened(a, b)[0], einsum64("ik,kj->ij", a, b))


@needs_dot
def test_denormals_are_flushed_as_xla_flushes_them():
    """vdpbf16ps reads denormal bf16 inputs as zero and flushes denormal
    results; XLA's CPU bf16 dot does the same (measured here, on its result)."""
    fn = lambda a, b: jnp.matmul(a, b, preferred_element_type=jnp.float32)  # noqa: E731
    tiny = np.full((64, 64), 1e-39, np.float32).astype(BF16)  # a bf16 denormal
    huge = np.full((64, 64), 2.0 ** 100, np.float32).astype(BF16)
    small = np.full((64, 64), 2.0 ** -70, np.float32).astype(BF16)  # products denormal
    for a, b in [(tiny, huge), (small, small)]:
        assert np.all(einsum64("ik,kj->ij", a, b) != 0)
        xla = np.asarray(jax.jit(fn)(a, b))
        got = np.asarray(compile_pinned(fn, a, b)(a, b)[0])
        np.testing.assert_array_equal(got, xla)
        np.testing.assert_array_equal(got, 0)


def test_pinned_on_a_cpu_without_it_is_refused(monkeypatch):
    monkeypatch.setattr(bf16_dot, "host_has_dot", lambda: False)
    a = values((64, 64), BF16)
    with pytest.raises(hlox.backends.compiler.CompilationError, match="AVX512-BF16"):
        compile_pinned(jnp.matmul, a, a)
