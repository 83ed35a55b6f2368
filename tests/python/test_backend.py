"""The CPU backend: stage dumps, failing stages, verification."""

import os

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox.backends.cpu import backend as cpu
from hlox.frontend.core.tracing import ShapedArray

from conftest import assert_close, cpu_stage, rand

LEGALIZE = "hlox-stablehlo-legalize-to-linalg"


def test_dump_dir_has_one_file_per_stage(dump_dir):
    def layer(x, w):
        return hnp.exp(x @ w) * 2.0 + x

    x, w = rand((2, 2)), rand((2, 2), seed=1)
    hlox.jit(layer)(x, w)
    files = sorted(os.listdir(dump_dir / "layer"))
    expected = ["000_stablehlo.mlir"] + [
        f"{i:03d}_{cpu.pass_name(p)}.mlir" for i, p in enumerate(cpu.PIPELINE, start=1)]
    n = len(cpu.PIPELINE)
    expected += [f"{n + 1:03d}_llvm-ir.ll", f"{n + 2:03d}_asm.s"]  # then LLVM's stages
    assert files == expected
    first = (dump_dir / "layer" / "000_stablehlo.mlir").read_text()
    assert "stablehlo.dot_general" in first
    assert "linalg" in (dump_dir / "layer" / f"{cpu_stage(LEGALIZE)}.mlir").read_text()
    assert "llvm.func" in (dump_dir / "layer" / files[-3]).read_text()


def test_stages_printed_on_demand_match_the_dumped_ones(dump_dir):
    """Without a dump folder the IR of each stage is made only when read (by
    compiling again); it is the IR a dump of the same compilation holds."""
    text = hlox.jit(lambda x: hnp.cumsum(hnp.tanh(x) @ x, axis=0)).lower(rand((3, 3))).as_text()
    dumped = cpu.CpuBackend().compile(text, "f", [], [])
    hlox.config.dump_dir = None
    lazy = cpu.CpuBackend().compile(text, "f", [], [])
    assert list(lazy.stages) == list(dumped.stages)
    files = sorted(os.listdir(dump_dir / "f"))[1:len(cpu.PIPELINE) + 1]
    for key, file in zip(lazy.stages, files):
        assert lazy.stages[key] == dumped.stages[key] == (dump_dir / "f" / file).read_text()


def test_env_var_sets_dump_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HLOX_DUMP_DIR", str(tmp_path))
    hlox.config.reset()
    assert hlox.config.dump_dir == str(tmp_path)


UNSUPPORTED = """
func.func public @main(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = stablehlo.cholesky %a : tensor<2x2xf32>
  %1 = stablehlo.add %a, %0 : tensor<2x2xf32>
  return %1 : tensor<2x2xf32>
}
"""


def test_failing_stage_names_itself_and_keeps_its_input(dump_dir):
    aval = ShapedArray((2, 2), np.float32)
    with pytest.raises(cpu.CompilationError) as info:
        cpu.backend.compile(UNSUPPORTED, "cmp", [aval], [aval])
    message = str(info.value)
    assert f"stage {cpu_stage(LEGALIZE)[:3]} '{LEGALIZE}' failed on 'cmp'" in message
    assert "no lowering for 'stablehlo.cholesky'" in message
    failed = dump_dir / "cmp" / f"{cpu_stage(LEGALIZE)}.FAILED.mlir"
    assert failed.exists() and "stablehlo.cholesky" in failed.read_text()
    assert str(failed) in message


def test_invalid_stablehlo_is_an_exception_not_an_abort():
    aval = ShapedArray((4,), np.float32)
    bad = "func.func public @main(%a: tensor<4xf32>) -> tensor<4xf32> { return %b : tensor<4xf32> }"
    with pytest.raises(cpu.CompilationError, match="does not verify"):
        cpu.backend.compile(bad, "bad", [aval], [aval])


def test_unknown_backend():
    with pytest.raises(ValueError, match="unknown hlox backend 'tpu9'"):
        hlox.backends.get("tpu9")


def test_large_input_runs():
    x = rand((256, 128), seed=1, low=-1, high=1)
    w = rand((128, 64), seed=2, low=-0.1, high=0.1)
    out = hlox.jit(lambda a, b: hnp.exp(a @ b))(x, w)
    assert_close(out, np.exp(x @ w), {np.dtype(np.float32): dict(rtol=1e-5, atol=1e-5)})


def test_pass_error_points_at_the_users_line(dump_dir):
    # A primitive declared in one place (shape rule + emission), whose
    # StableHLO op the linalg lowering does not handle yet.
    from hlox.frontend.core.tracing import Primitive

    sign_p = Primitive("test_sign")
    sign_p.def_abstract_eval(lambda x: x)
    sign_p.def_lowering(lambda ctx, x: ctx.op("stablehlo.cholesky", [x]))

    def uses_sign(x):
        return sign_p.bind(x) + 1.0  # MARK-sign

    with pytest.raises(cpu.CompilationError) as info:
        hlox.jit(uses_sign)(rand((3, 3)))
    message = str(info.value)
    line = next(n for n, text in enumerate(open(__file__), start=1)
                if "MARK-sign" in text and "next(" not in text)
    assert f"stage {cpu_stage(LEGALIZE)[:3]} '{LEGALIZE}' failed on 'uses_sign'" in message
    assert f"test_backend.py:{line} (test_sign): error: " in message
    assert "no lowering for 'stablehlo.cholesky'" in message
    assert (dump_dir / "uses_sign" / f"{cpu_stage(LEGALIZE)}.FAILED.mlir").exists()
