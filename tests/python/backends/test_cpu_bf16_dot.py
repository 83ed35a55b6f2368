"""bfloat16 contractions on bf16 dot-product instructions (backends/cpu/passes/bf16_dot.py).

JAX's StableHLO for bf16 dot_generals (float32 results through
``preferred_element_type``, and bf16 results), of every operand layout,
batched, with odd M/N/K (K odd: a zero pad in the packing), several
contracting dims, fused epilogues and convolutions (im2col GEMMs), against
float64 numpy and against JAX (XLA) on the same values, with
test_cpu_contractions' tolerances: float32
accumulation, 2e-5 of the result's largest magnitude; bf16 results within
one rounding of their type. Each kernel kind ("amx": tdpbf16ps, "dot":
vdpbf16ps) is pinned by the module attribute ``hlox.cpu_bf16_kernel`` and
runs only where the CPU has its instructions (elsewhere those tests skip);
the assembly shows which ran.
"""

from __future__ import annotations

import re

import ml_dtypes
import numpy as np
import pytest

import hlox
from hlox.backends.cpu.passes import bf16_dot
from test_cpu_contractions import (BF16, F32_RTOL, assert_close, conv_reference, einsum64,
                                   values)

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

INSTRUCTION = {"amx": "tdpbf16ps", "dot": "vdpbf16ps"}
KINDS = [pytest.param(kind, marks=pytest.mark.skipif(
    not bf16_dot.host_runs(kind), reason=f"this CPU cannot run {INSTRUCTION[kind]}"))
    for kind in INSTRUCTION]


def pinned(text: str, kind: str) -> str:
    """JAX's module text with ``hlox.cpu_bf16_kernel`` set to ``kind``."""
    return re.sub(r"(module @\w+ attributes \{)", rf'\1hlox.cpu_bf16_kernel = "{kind}", ',
                  text, count=1)


def compile_pinned(fn, *args, kind: str):
    return hlox.compile_stablehlo(pinned(jax.jit(fn).lower(*args).as_text(), kind))


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


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("spec,shape_a,shape_b", EINSUMS, ids=IDS)
def test_float32_results_match_float64_and_jax(spec, shape_a, shape_b, kind):
    a, b = values(shape_a, BF16, 1), values(shape_b, BF16, 2)
    fn = lambda a, b: jnp.einsum(spec, a, b, preferred_element_type=jnp.float32)  # noqa: E731
    compiled = compile_pinned(fn, a, b, kind=kind)
    assert INSTRUCTION[kind] in compiled.as_text("asm")
    got = compiled(a, b)[0]
    assert got.dtype == np.float32
    assert_close(got, einsum64(spec, a, b))
    assert_close(got, np.asarray(jax.jit(fn)(a, b), np.float64))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("spec,shape_a,shape_b", EINSUMS[:7], ids=IDS[:7])
def test_bfloat16_results_within_one_rounding(spec, shape_a, shape_b, kind):
    a, b = values(shape_a, BF16, 1), values(shape_b, BF16, 2)
    exact = einsum64(spec, a, b)
    compiled = compile_pinned(lambda a, b: jnp.einsum(spec, a, b), a, b, kind=kind)
    got = np.asarray(compiled(a, b)[0])
    assert got.dtype == np.dtype(BF16)
    rounding = 0.5 * float(ml_dtypes.finfo(BF16).eps) * np.abs(exact)
    error = np.abs(got.astype(np.float64) - exact)
    assert np.all(error <= rounding + F32_RTOL * np.max(np.abs(exact)))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("out", [np.float32, BF16], ids=["float32", "bfloat16"])
def test_fused_bias_and_activation(out, kind):
    x, w, bias = values((48, 65), BF16), values((65, 80), BF16, 1), values((80,), BF16, 2)

    def layer(x, w, bias):
        y = jnp.matmul(x, w, preferred_element_type=jnp.float32) + bias.astype(jnp.float32)
        return jax.nn.relu(y).astype(out) * 2

    compiled = compile_pinned(layer, x, w, bias, kind=kind)
    assert INSTRUCTION[kind] in compiled.as_text("asm")
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


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("strides,padding", [((1, 1), "VALID"), ((1, 1), "SAME"),
                                             ((2, 2), "SAME")], ids=["valid", "same", "strided"])
def test_convolutions_as_gemms(strides, padding, kind):
    from jax import lax

    x, w = values((2, 12, 12, 24), BF16, 1), values((3, 3, 24, 40), BF16, 2)
    numbers = ("NHWC", "HWIO", "NHWC")

    def conv(x, w):
        return lax.conv_general_dilated(x, w, strides, padding, dimension_numbers=numbers,
                                        preferred_element_type=jnp.float32)

    compiled = compile_pinned(conv, x, w, kind=kind)
    assert INSTRUCTION[kind] in compiled.as_text("asm")
    assert_close(compiled(x, w)[0], conv_reference(x, w, strides, padding, (1, 1), numbers, 1))


@pytest.mark.parametrize("kind", KINDS)
def test_pinned_choice_shows_in_the_code_and_agrees_with_fma(kind):
    a, b = values((64, 99), BF16, 1), values((99, 64), BF16, 2)
    fn = lambda a, b: jnp.matmul(a, b, preferred_element_type=jnp.float32)  # noqa: E731
    dot, widened = compile_pinned(fn, a, b, kind=kind), compile_pinned(fn, a, b, kind="fma")
    assert INSTRUCTION[kind] in dot.as_text("asm")
    assert not any(name in widened.as_text("asm") for name in INSTRUCTION.values())
    assert_close(dot(a, b)[0], einsum64("ik,kj->ij", a, b))
    assert_close(widened(a, b)[0], einsum64("ik,kj->ij", a, b))


@pytest.mark.skipif(not bf16_dot.host_runs("amx"), reason="this CPU cannot run tdpbf16ps")
@pytest.mark.parametrize("shape_a,shape_b,amx", [
    ((256, 256), (256, 256), True),
    ((64, 64), (64, 64), False),       # too small to pay for the tiles
    ((33, 1000), (1000, 33), False),   # padding to tiles would more than double the work
])
def test_hosts_with_amx_use_it_unpinned_where_it_pays(shape_a, shape_b, amx):
    a, b = values(shape_a, BF16, 1), values(shape_b, BF16, 2)
    fn = lambda a, b: jnp.matmul(a, b, preferred_element_type=jnp.float32)  # noqa: E731
    compiled = hlox.compile_stablehlo(jax.jit(fn).lower(a, b).as_text())
    assert ("tdpbf16ps" in compiled.as_text("asm")) == amx
    assert_close(compiled(a, b)[0], einsum64("ik,kj->ij", a, b))


@pytest.mark.parametrize("kind", KINDS)
def test_denormals_are_flushed_as_xla_flushes_them(kind):
    """tdpbf16ps and vdpbf16ps read denormal bf16 inputs as zero and flush
    denormal results; XLA's CPU bf16 dot does the same (measured here, on
    its result)."""
    fn = lambda a, b: jnp.matmul(a, b, preferred_element_type=jnp.float32)  # noqa: E731
    tiny = np.full((64, 64), 1e-39, np.float32).astype(BF16)  # a bf16 denormal
    huge = np.full((64, 64), 2.0 ** 100, np.float32).astype(BF16)
    small = np.full((64, 64), 2.0 ** -70, np.float32).astype(BF16)  # products denormal
    for a, b in [(tiny, huge), (small, small)]:
        assert np.all(einsum64("ik,kj->ij", a, b) != 0)
        xla = np.asarray(jax.jit(fn)(a, b))
        got = np.asarray(compile_pinned(fn, a, b, kind=kind)(a, b)[0])
        np.testing.assert_array_equal(got, xla)
        np.testing.assert_array_equal(got, 0)


@pytest.mark.parametrize("kind", list(INSTRUCTION))
def test_pinned_on_a_cpu_without_it_is_refused(monkeypatch, kind):
    monkeypatch.setattr(bf16_dot, "host_runs", lambda kind: kind == "fma")
    a = values((64, 64), BF16)
    with pytest.raises(hlox.backends.compiler.CompilationError,
                       match=f'hlox.cpu_bf16_kernel = "{kind}": this CPU has no'):
        compile_pinned(jnp.matmul, a, a, kind=kind)


def test_unknown_kernel_is_refused():
    a = values((64, 64), BF16)
    with pytest.raises(hlox.backends.compiler.CompilationError,
                       match="hlox.cpu_bf16_kernel = 'avx'"):
        compile_pinned(jnp.matmul, a, a, kind="avx")


_LOADER = """
import sys, numpy as np, ml_dtypes, hlox
fn = hlox.deserialize(open(sys.argv[1], "rb").read())
a, b = (np.load(sys.argv[2])[k].view(ml_dtypes.bfloat16) for k in ("a", "b"))
np.save(sys.argv[3], np.asarray(fn(a, b)[0]))
"""


@pytest.mark.skipif(not bf16_dot.host_runs("amx"), reason="this CPU cannot run tdpbf16ps")
def test_amx_artifact_runs_in_a_fresh_process(tmp_path):
    """A fresh process loading AMX kernels gets its tile state first (else
    the first tile instruction would kill it)."""
    import os
    import subprocess
    import sys

    a, b = values((64, 96), BF16, 1), values((96, 48), BF16, 2)
    fn = lambda a, b: jnp.matmul(a, b, preferred_element_type=jnp.float32)  # noqa: E731
    compiled = compile_pinned(fn, a, b, kind="amx")
    assert "tdpbf16ps" in compiled.as_text("asm")
    (tmp_path / "f.hlox").write_bytes(compiled.serialize())
    np.savez(tmp_path / "in.npz", a=a.view(np.uint16), b=b.view(np.uint16))
    subprocess.run([sys.executable, "-c", _LOADER, str(tmp_path / "f.hlox"),
                    str(tmp_path / "in.npz"), str(tmp_path / "out.npy")], check=True,
                   cwd=tmp_path, env=dict(os.environ, HLOX_CACHE_DIR="", HLOX_DUMP_DIR=""))
    assert_close(np.load(tmp_path / "out.npy"), einsum64("ik,kj->ij", a, b))
