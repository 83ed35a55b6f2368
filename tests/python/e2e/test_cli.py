"""The ``hlox`` command: compile JAX's StableHLO to an artifact, run it, fail clearly."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from hlox.backends import artifact

from conftest import MATMUL_TOLERANCES, assert_close, rand, stage_files

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")


def hlox_cli(*args):
    """Runs ``python -m hlox.cli`` (what the ``hlox`` console script calls), away from
    the source tree so that the installed package is imported."""
    env = dict(os.environ, HLOX_CACHE_DIR="", HLOX_DUMP_DIR="")
    return subprocess.run([sys.executable, "-m", "hlox.cli", *map(str, args)], cwd="/",
                          env=env, capture_output=True, text=True)


def mlp(w, b, x):
    return jnp.tanh(x @ w + b), jnp.sum(x, axis=0)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    w, b, x = rand((4, 3), seed=1), rand((3,), seed=2), rand((6, 4), seed=3)
    (folder / "mlp.mlir").write_text(jax.jit(mlp).lower(w, b, x).as_text())
    np.savez(folder / "in.npz", w, b, x)
    result = hlox_cli("compile", folder / "mlp.mlir", "--backend", "cpu", "-o",
                      folder / "mlp.hlox", "--dump-dir", folder / "dump")
    assert result.returncode == 0, result.stderr
    return folder, (w, b, x)


def test_compile_then_run_matches_jax(compiled):
    folder, (w, b, x) = compiled
    result = hlox_cli("run", folder / "mlp.hlox", "--inputs", folder / "in.npz",
                      "--output", folder / "out.npz")
    assert result.returncode == 0, result.stderr
    got = np.load(folder / "out.npz")
    assert got.files == ["out_0", "out_1"]
    want = mlp(w, b, x)
    assert_close(got["out_0"], np.asarray(want[0]), MATMUL_TOLERANCES)
    assert_close(got["out_1"], np.asarray(want[1]), MATMUL_TOLERANCES)
    assert not [n for n in os.listdir(folder) if n.startswith(".hlox-tmp")]


def test_run_prints_results_without_output(compiled):
    folder, _ = compiled
    result = hlox_cli("run", folder / "mlp.hlox", "--inputs", folder / "in.npz")
    assert result.returncode == 0, result.stderr
    assert "out_0: float32[6, 3]" in result.stdout and "out_1: float32[4]" in result.stdout


def test_dump_dir_has_every_stage(compiled):
    folder, _ = compiled
    (stage_dir,) = os.listdir(folder / "dump")
    files = stage_files(folder / "dump" / stage_dir)
    assert files[0] == "000_stablehlo.mlir"
    assert files[-2].endswith("_llvm-ir.ll") and files[-1].endswith("_asm.s")
    assert "define" in (folder / "dump" / stage_dir / files[-2]).read_text()


def test_errors_have_messages_and_exit_codes(compiled, tmp_path):
    folder, _ = compiled
    missing = hlox_cli("compile", tmp_path / "nope.mlir", "-o", tmp_path / "x.hlox")
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    (tmp_path / "bad.mlir").write_text("func.func @main( this is not mlir")
    bad = hlox_cli("compile", tmp_path / "bad.mlir", "-o", tmp_path / "x.hlox")
    assert bad.returncode == 1 and "compiling" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.hlox").exists()
    data = (folder / "mlp.hlox").read_bytes()
    (tmp_path / "cut.hlox").write_bytes(data[: len(data) // 2])
    cut = hlox_cli("run", tmp_path / "cut.hlox", "--inputs", folder / "in.npz")
    assert cut.returncode == 1 and "truncated" in cut.stderr
    np.savez(tmp_path / "two.npz", np.zeros(3), np.zeros(3))
    few = hlox_cli("run", folder / "mlp.hlox", "--inputs", tmp_path / "two.npz")
    assert few.returncode == 2 and "takes 3" in few.stderr
    np.savez(tmp_path / "shapes.npz", np.zeros((4, 3), np.float32), np.zeros(3, np.float32),
             np.zeros((2, 2), np.float32))
    shape = hlox_cli("run", folder / "mlp.hlox", "--inputs", tmp_path / "shapes.npz")
    assert shape.returncode == 2 and "input 2 has shape (2, 2)" in shape.stderr
    # A dtype that differs is refused, never cast (int32 into float32 "worked" before).
    inputs = np.load(folder / "in.npz")
    np.savez(tmp_path / "ints.npz", *[inputs[n].astype(np.int32) for n in inputs.files])
    ints = hlox_cli("run", folder / "mlp.hlox", "--inputs", tmp_path / "ints.npz")
    assert ints.returncode == 2 and "input 0 has dtype int32" in ints.stderr
    # An artifact whose header names another backend is a message, not a traceback.
    art = artifact.unpack(data)
    (tmp_path / "pjrt.hlox").write_bytes(artifact.pack(dict(art.header, backend="pjrt"),
                                                       art.payload))
    relabelled = hlox_cli("run", tmp_path / "pjrt.hlox", "--inputs", folder / "in.npz")
    assert relabelled.returncode == 1 and "Traceback" not in relabelled.stderr
    usage = hlox_cli("compile")
    assert usage.returncode == 2
