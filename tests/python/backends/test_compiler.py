"""The compile driver (backends/compiler.py): stage dumps, failing stages naming the
user's line, verification, the shared StableHLO stage, compile_stablehlo's Compiled,
and a jit path with no print/parse between the frontend and the backend."""

import os

import numpy as np
import pytest
from mlir import ir

import hlox
import hlox.numpy as hnp
from hlox.backends import compile_cache, compiler
from hlox.dialects import make_context

from conftest import (assert_close, cpu_dump_files, cpu_passes, cpu_stage, rand,
                      stage_files)

LEGALIZE = "hlox-stablehlo-legalize-to-linalg"


def test_dump_dir_has_one_file_per_stage(dump_dir):
    def layer(x, w):
        return hnp.exp(x @ w) * 2.0 + x

    x, w = rand((2, 2)), rand((2, 2), seed=1)
    hlox.jit(layer)(x, w)
    files = stage_files(dump_dir / "layer")
    assert files == cpu_dump_files()  # the input, every pass, then LLVM's stages
    first = (dump_dir / "layer" / "000_stablehlo.mlir").read_text()
    assert "stablehlo.dot_general" in first
    assert "linalg" in (dump_dir / "layer" / f"{cpu_stage(LEGALIZE)}.mlir").read_text()
    assert "llvm.func" in (dump_dir / "layer" / files[-3]).read_text()


def test_stages_printed_on_demand_match_the_dumped_ones(dump_dir):
    """Without a dump folder the IR of each stage is made only when read (by
    compiling again); it is the IR a dump of the same compilation holds."""
    text = hlox.jit(lambda x: hnp.cumsum(hnp.tanh(x) @ x, axis=0)).lower(rand((3, 3))).as_text()
    dumped = hlox.compile_stablehlo(text, name="f")
    hlox.config.dump_dir = None
    lazy = hlox.compile_stablehlo(text, name="f")
    assert lazy.stages() == dumped.stages()
    passes = lazy.stages()[1:len(cpu_passes()) + 1]  # (after "stablehlo")
    files = stage_files(dump_dir / "f")[1:len(cpu_passes()) + 1]
    for key, file in zip(passes, files):
        assert lazy.as_text(key) == dumped.as_text(key) == (dump_dir / "f" / file).read_text()


def test_env_var_sets_dump_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HLOX_DUMP_DIR", str(tmp_path))
    hlox.config.reset()
    assert hlox.config.dump_dir == str(tmp_path)


@pytest.mark.parametrize("name", ["..", ".", "../..", "a/../../b", ".hidden"])
def test_a_function_name_never_leaves_the_dump_folder(dump_dir, name):
    # Files the dumper must not touch: beside the dump folder, and a user's file inside it.
    dump_dir.mkdir(parents=True)
    outside = dump_dir.parent / "000_mine.mlir"
    outside.write_text("keep")
    mine = dump_dir / "notes.mlir"
    mine.write_text("keep")

    def f(x):
        return x + 1

    f.__name__ = name
    hlox.jit(f)(rand((2,)))
    hlox.jit(f)(rand((3,)))  # a second compilation of the same name
    assert outside.read_text() == "keep" and mine.read_text() == "keep"
    folders = [p for p in dump_dir.iterdir() if p.is_dir()]
    assert folders and all(p.parent == dump_dir and not p.name.startswith(".")
                           for p in folders), folders
    assert all((p / "000_stablehlo.mlir").exists() for p in folders)


def test_a_new_run_deletes_only_the_files_the_last_run_wrote(dump_dir):
    """Another process compiling ``g`` into the same folder replaces the files the
    last run wrote (its manifest lists them) and leaves everything else alone, even
    files named like stages."""
    from hlox.backends import dumps

    def g(x):
        return x * 2

    folder = dump_dir / "g"
    with pytest.raises(compiler.CompilationError):
        hlox.compile_stablehlo(UNSUPPORTED, name="g")
    (failed,) = folder.glob("*.FAILED.mlir")
    (folder / "005_mine.mlir").write_text("keep")
    (folder / "notes.txt").write_text("keep")
    dumps._folders.clear()  # as in a new process
    hlox.jit(g)(rand((2,)))
    assert not failed.exists()  # the last run's, listed in its manifest
    assert (folder / "005_mine.mlir").read_text() == "keep"
    assert (folder / "notes.txt").read_text() == "keep"
    listed = (folder / dumps.MANIFEST).read_text().split()
    assert "000_stablehlo.mlir" in listed and "005_mine.mlir" not in listed
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        listed + [dumps.MANIFEST, "005_mine.mlir", "notes.txt"])


UNSUPPORTED = """
func.func public @main(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = stablehlo.cholesky %a : tensor<2x2xf32>
  %1 = stablehlo.add %a, %0 : tensor<2x2xf32>
  return %1 : tensor<2x2xf32>
}
"""


def test_failing_stage_names_itself_and_keeps_its_input(dump_dir):
    with pytest.raises(compiler.CompilationError) as info:
        hlox.compile_stablehlo(UNSUPPORTED, name="cmp")
    assert info.value.stage == LEGALIZE
    message = str(info.value)
    assert f"stage {cpu_stage(LEGALIZE)[:3]} '{LEGALIZE}' failed on 'cmp'" in message
    assert "no lowering for 'stablehlo.cholesky'" in message
    failed = dump_dir / "cmp" / f"{cpu_stage(LEGALIZE)}.FAILED.mlir"
    assert failed.exists() and "stablehlo.cholesky" in failed.read_text()
    assert str(failed) in message


def test_invalid_stablehlo_is_an_exception_not_an_abort():
    bad = "func.func public @main(%a: tensor<4xf32>) -> tensor<4xf32> { return %b : tensor<4xf32> }"
    with pytest.raises(hlox.backends.BackendError, match="does not parse/verify"):
        hlox.compile_stablehlo(bad, name="bad")


def test_a_module_that_does_not_verify_reaches_no_pass(dump_dir):
    """An ir.Module handed to the driver is verified before the first pass (an
    invalid one could abort the process inside a pass): its input is kept."""
    with make_context(), ir.Location.unknown():
        module = ir.Module.parse(UNSUPPORTED.replace("@main", "@mane"))
    with pytest.raises(hlox.backends.BackendError, match="no func.func @main"):
        compiler.compile(module, "cpu", hlox.backends.CompileOptions(name="mane"))
    with make_context(), ir.Location.unknown():
        module = ir.Module.parse(UNSUPPORTED)
        func = module.body.operations[0]
        func.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get([], []))
    with pytest.raises(compiler.CompilationError, match="does not verify") as info:
        compiler.compile(module, "cpu", hlox.backends.CompileOptions(name="unverified"))
    assert info.value.stage == "stablehlo"
    assert (dump_dir / "unverified" / "000_stablehlo.FAILED.mlir").exists()


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

    with pytest.raises(compiler.CompilationError) as info:
        hlox.jit(uses_sign)(rand((3, 3)))
    message = str(info.value)
    line = next(n for n, text in enumerate(open(__file__), start=1)
                if "MARK-sign" in text and "next(" not in text)
    assert f"stage {cpu_stage(LEGALIZE)[:3]} '{LEGALIZE}' failed on 'uses_sign'" in message
    assert f"test_compiler.py:{line} (test_sign): error: " in message
    assert "no lowering for 'stablehlo.cholesky'" in message
    assert (dump_dir / "uses_sign" / f"{cpu_stage(LEGALIZE)}.FAILED.mlir").exists()


# ---------------------------------------------------------------------------
# The shared StableHLO stage
# ---------------------------------------------------------------------------

CHLO_AND_SDY = """
sdy.mesh @mesh = <["x"=1]>
func.func public @main(%a: tensor<4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}]>})
    -> tensor<4xf32> {
  %0 = chlo.erf %a : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
"""


@pytest.mark.parametrize("backend", ["cpu", "interpreter"])
def test_shared_stage_runs_once_before_every_backend(backend):
    """Shardy annotations are dropped and CHLO becomes StableHLO before the
    backend's own passes, for every backend."""
    from math import erf

    compiled = hlox.compile_stablehlo(CHLO_AND_SDY, backend=backend)
    stages = compiled.stages()
    shared = [compiler.pass_name(p) for p in compiler.SHARED_PIPELINE]
    assert stages[1:1 + len(shared)] == shared  # right after the input
    after = compiled.as_text(shared[-1])
    assert "chlo." not in after and "sdy." not in after and "stablehlo." in after
    x = np.linspace(-2, 2, 4, dtype=np.float32)
    (out,) = compiled(x)
    assert_close(out, np.array([erf(v) for v in x.astype(np.float64)], np.float32))


# ---------------------------------------------------------------------------
# compile_stablehlo returns a Compiled
# ---------------------------------------------------------------------------

ADD_MUL = """
func.func public @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = stablehlo.add %a, %b : tensor<4xf32>
  %1 = stablehlo.multiply %0, %a : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}
"""


def test_compile_stablehlo_returns_a_compiled():
    compiled = hlox.compile_stablehlo(ADD_MUL, name="add_mul")
    assert isinstance(compiled, hlox.Compiled)
    a, b = rand((4,)), rand((4,), seed=1)
    out = compiled(a, b)
    assert isinstance(out, tuple) and len(out) == 2
    assert_close(out[1], (a + b) * a)
    stages = compiled.stages()
    assert stages[0] == "stablehlo" and "graph" not in stages
    assert {"linalg", "llvm", "llvm-ir", "asm"} <= set(stages)
    assert "stablehlo.add" in compiled.as_text("stablehlo")
    assert "llvm.func @main" in compiled.as_text()
    assert "_mlir_ciface_main:" in compiled.as_text("asm")
    cost = compiled.cost_analysis()
    assert cost["flops"] == 8 and cost["bytes accessed"] == 4 * 4 * 6
    again = hlox.deserialize(compiled.serialize())
    assert_close(again(a, b)[1], (a + b) * a)


def test_compile_stablehlo_checks_arguments_and_never_casts():
    compiled = hlox.compile_stablehlo(ADD_MUL)
    a = rand((4,))
    with pytest.raises(TypeError, match=r"argument 'args\[1\]' is f64\[4\], compiled for "
                                        r"f32\[4\]"):
        compiled(a, a.astype(np.float64))
    with pytest.raises(TypeError, match=r"argument 'args\[0\]' is i32\[4\]"):
        compiled(np.arange(4, dtype=np.int32), a)
    with pytest.raises(TypeError, match=r"argument 'args\[0\]' is f32\[5\]"):
        compiled(rand((5,)), a)
    with pytest.raises(TypeError, match="@main takes 2 arguments, got 1"):
        compiled(a)


# ---------------------------------------------------------------------------
# jit: the module goes to the backend as it was built
# ---------------------------------------------------------------------------


def test_jit_path_neither_prints_for_parsing_nor_parses(monkeypatch):
    parses = []
    real_parse = ir.Module.parse

    def counting_parse(text, *args, **kwargs):
        if "@main" in str(text):  # the program (not a pass's own transform script)
            parses.append(text)
        return real_parse(text, *args, **kwargs)

    monkeypatch.setattr(ir.Module, "parse", counting_parse)
    with compile_cache.disabled():
        f = hlox.jit(lambda x, w: hnp.tanh(x @ w) + 1.0)
        x, w = rand((3, 4)), rand((4, 2), seed=1)
        assert_close(f(x, w), np.tanh(x @ w) + 1.0)
        compiled = f.lower(x, w).compile()
        assert "linalg.generic" in compiled.as_text("linalg")  # stages replayed, not parsed
    assert parses == []


def test_a_python_pass_that_raises_names_its_stage(dump_dir):
    """A Python pass that raises (rather than signalling failure) is reported like
    any failing stage, its input kept."""
    from hlox.backends.cpu.backend import CpuBackend
    from hlox.passes import python_passes

    @python_passes.register("hlox-test-raising-pass", "raises (tests)")
    def raising(op, pass_):
        raise ValueError("the test pass refuses this module")

    try:
        backend = CpuBackend(pipeline=["hlox-test-raising-pass"], name="raising")
        with pytest.raises(compiler.CompilationError) as info:
            compiler.compile(ADD_MUL, backend, hlox.backends.CompileOptions(name="r"))
        index = len(compiler.SHARED_PIPELINE) + 1
        assert f"stage {index:03d} 'hlox-test-raising-pass' failed on 'r'" in str(info.value)
        assert "ValueError: the test pass refuses this module" in str(info.value)
        assert (dump_dir / "r" / f"{index:03d}_hlox-test-raising-pass.FAILED.mlir").exists()
    finally:
        python_passes.unregister("hlox-test-raising-pass")


def test_an_executable_without_execute_is_refused_naming_the_backend():
    class NoExecute(hlox.backends.get("cpu").__class__):
        name = "no-execute"

        def compile(self, module, options=None):
            return lambda *arrays: arrays  # numpy in, numpy out: not the protocol

    hlox.backends.register(NoExecute())
    try:
        with pytest.raises(hlox.backends.BackendError, match="'no-execute'.*execute"):
            hlox.jit(lambda x: x + 1, backend="no-execute")(np.ones(3, np.float32))
    finally:
        hlox.backends.unregister("no-execute")
