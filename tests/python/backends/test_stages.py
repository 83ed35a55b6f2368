"""IR at every stage (as_text, dump folder with .ll/.s) and cost_analysis."""

from __future__ import annotations

import os

import numpy as np
import pytest

import hlox
import hlox.numpy as jnp

from conftest import cpu_dump_files, rand, stage_files


def affine(w, x):
    return jnp.exp(x @ w) + 1.0


W, X = rand((4, 3), seed=1), rand((5, 4), seed=2)


def test_lowered_stages_as_text():
    lowered = hlox.jit(affine).lower(W, X)
    assert "stablehlo.dot_general" in lowered.as_text()
    assert lowered.as_text() == lowered.as_text("stablehlo")
    linalg = lowered.as_text("linalg")
    assert "linalg.generic" in linalg and "stablehlo." not in linalg and "memref" not in linalg
    llvm = lowered.as_text("llvm")
    assert "llvm.func @main" in llvm and "linalg." not in llvm
    assert "define void @_mlir_ciface_main" in lowered.as_text("llvm-ir")
    asm = lowered.as_text("asm")
    assert "_mlir_ciface_main:" in asm
    with pytest.raises(ValueError, match="unknown stage 'ptx'"):
        lowered.as_text("ptx")
    compiled = lowered.compile()
    assert {"linalg", "llvm", "llvm-ir", "asm"} <= set(compiled.stages())
    assert compiled.as_text("asm") == asm


def test_config_update_and_dump_folder(tmp_path):
    hlox.config.update("dump_dir", tmp_path)
    try:
        assert hlox.config.dump_dir == str(tmp_path)
        out = hlox.jit(affine)(W, X)
    finally:
        hlox.config.update("dump_dir", None)
    np.testing.assert_allclose(out, np.exp(X @ W) + 1, rtol=1e-5)
    files = stage_files(tmp_path / "affine")
    assert files == cpu_dump_files()
    assert "_mlir_ciface_main" in (tmp_path / "affine" / files[-1]).read_text()
    with pytest.raises(AttributeError, match="no option 'dumpdir'"):
        hlox.config.update("dumpdir", tmp_path)


def test_cost_analysis_matmul():
    m, k, n = 5, 4, 3
    cost = hlox.jit(lambda a, b: a @ b).lower(rand((m, k)), rand((k, n))).compile() \
        .cost_analysis()
    assert cost["flops"] == 2 * m * n * k
    assert cost["bytes accessed"] == 4 * (m * k + k * n + m * n)


def test_cost_analysis_elementwise_and_transcendental(x64):
    x = rand((6, 7), np.float64)
    cost = hlox.jit(lambda a, b: jnp.exp(a) * b).lower(x, x).compile().cost_analysis()
    assert cost["transcendentals"] == 42 and cost["flops"] == 42
    assert cost["bytes accessed"] == 8 * 42 * (2 + 3)  # exp: in+out; multiply: 2 in + out


def _jax_programs():
    jnp_ = pytest.importorskip("jax.numpy")
    lax = pytest.importorskip("jax.lax")
    x = rand((8, 16))
    return {
        "matmul": (lambda p, q: p @ q, (x, rand((16, 4), seed=1)), True),
        "add": (lambda p, q: p + q, (x, rand((8, 16), seed=2)), True),
        "exp": (jnp_.exp, (x,), True),
        "tanh": (jnp_.tanh, (x,), True),
        "sum_axis": (lambda p: jnp_.sum(p, axis=0), (x,), True),
        "max_all": (jnp_.max, (x,), True),
        "batched_einsum": (lambda p, q: jnp_.einsum("bij,bjk->bik", p, q),
                           (rand((3, 4, 5)), rand((3, 5, 6), seed=3)), True),
        # XLA's CPU compiler adds layout transposes around a convolution: only
        # the flops agree by definition.
        "conv": (lambda a, b: lax.conv(a, b, (1, 1), "VALID"),
                 (rand((2, 3, 10, 10)), rand((4, 3, 3, 3), seed=4)), False),
    }


@pytest.mark.parametrize("name", ["matmul", "add", "exp", "tanh", "sum_axis", "max_all",
                                  "batched_einsum", "conv"])
def test_cost_analysis_agrees_with_jax_on_single_ops(name):
    """JAX's StableHLO through our analysis, against XLA's analysis of the same program."""
    jax = pytest.importorskip("jax")
    from hlox.backends import cost_analysis

    fn, args, same_bytes = _jax_programs()[name]
    lowered = jax.jit(fn).lower(*args)
    theirs = lowered.compile().cost_analysis()
    theirs = theirs[0] if isinstance(theirs, list) else theirs
    ours = cost_analysis.analyze(lowered.as_text())
    assert ours["flops"] == theirs.get("flops", 0.0)
    assert ours["transcendentals"] == theirs.get("transcendentals", 0.0)
    if same_bytes:
        assert ours["bytes accessed"] == theirs["bytes accessed"]
