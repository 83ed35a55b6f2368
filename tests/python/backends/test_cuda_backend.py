"""The cuda backend without a GPU: cross-compilation to PTX and cubin, its stages,
artifacts, and clear errors (no driver, unknown architecture, corrupt artifacts).
Tests that run kernels are marked ``gpu`` and skip here."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox.backends import BackendError, artifact
from hlox.backends.artifact import ArtifactError
from hlox.backends.cuda import target

from conftest import assert_close, rand
from cuda_support import has_gpu, requires_gpu

pytestmark = pytest.mark.skipif(target.ptxas_path() is None,
                                reason="ptxas (CUDA toolkit) is not installed")


def softplus_rows(x, w):
    return hnp.sum(hnp.log1p(hnp.exp(x * w)), axis=1) + 1.0


def _args():
    return rand((8, 300), seed=1), rand((8, 300), seed=2)


@pytest.fixture(autouse=True)
def _default_arch():
    hlox.config.update("cuda_arch", None)
    yield
    hlox.config.update("cuda_arch", None)


@pytest.fixture(scope="module")
def compiled():
    return hlox.jit(softplus_rows, backend="cuda").lower(*_args()).compile()


def test_cuda_is_listed_and_has_no_devices_without_a_driver():
    assert "cuda" in hlox.backends.list()
    if not has_gpu():
        assert hlox.devices("cuda") == []


def test_jit_compiles_to_ptx_and_cubin_for_sm80(compiled):
    ptx = compiled.as_text("ptx")
    assert ".target sm_80" in ptx and ".entry" in ptx
    assert all(m.cubin[:4] == b"\x7fELF" for m in compiled.executable.modules)
    report = compiled.as_text("ptxas")
    assert "registers" in report and "spill" in report
    assert "launch" in compiled.as_text("launch-plan")
    stages = list(compiled.stages())
    assert stages.index("hlox-stablehlo-legalize-to-linalg") < stages.index(
        "gpu-kernel-outlining") < stages.index("gpu-module-to-binary")


def test_resources_parse_every_kernel(compiled):
    resources = compiled.executable.resources()
    kernels = [line for line in compiled.as_text("ptx").splitlines() if ".entry" in line]
    assert len(resources) == len(kernels) > 0
    assert all(r.registers > 0 for r in resources)


def test_arch_from_config_and_environment(tmp_path, monkeypatch):
    hlox.config.update("cuda_arch", "sm_90")
    c = hlox.jit(softplus_rows, backend="cuda").lower(*_args()).compile()
    assert ".target sm_90" in c.as_text("ptx")
    hlox.config.update("cuda_arch", None)
    monkeypatch.setenv("HLOX_CUDA_ARCH", "sm_86")
    text = hlox.jit(softplus_rows).lower(*_args()).as_text()
    c = hlox.compile_stablehlo(text, backend="cuda")
    assert ".target sm_86" in c.as_text("ptx")


@pytest.mark.parametrize("arch", sorted(target.ARCHS))
def test_every_known_arch_compiles(arch):
    # Each architecture with its PTX version: one LLVM rejects would stop the
    # process (report_fatal_error), not raise; ptxas must accept the result.
    hlox.config.update("cuda_arch", arch)
    c = hlox.jit(softplus_rows, backend="cuda").lower(*_args()).compile()
    assert f".target {arch}" in c.as_text("ptx")
    assert f".version {target.ptx_version(arch)}" in c.as_text("ptx")
    assert all(m.cubin[:4] == b"\x7fELF" for m in c.executable.modules)


@pytest.mark.parametrize("arch", ["sm_xx", "sm_60", "compute_80", ""])
def test_unknown_arch_is_a_clear_error(arch, monkeypatch):
    monkeypatch.setenv("HLOX_CUDA_ARCH", arch)
    if arch == "":  # empty: the default, sm_80
        assert "sm_80" in hlox.jit(softplus_rows, backend="cuda").lower(
            *_args()).compile().as_text("ptx")
        return
    with pytest.raises(BackendError, match=f"unknown GPU architecture '{arch}'"):
        hlox.jit(softplus_rows, backend="cuda").lower(*_args()).compile()


def test_every_stage_is_dumped(tmp_path):
    hlox.config.update("dump_dir", str(tmp_path))
    try:
        hlox.jit(softplus_rows, backend="cuda").lower(*_args()).compile()
    finally:
        hlox.config.update("dump_dir", None)
    files = sorted(os.listdir(tmp_path / "softplus_rows"))
    names = [f.split("_", 1)[1] for f in files if f[:3].isdigit()]
    for stage in ("stablehlo.mlir", "hlox-stablehlo-legalize-to-linalg.mlir",
                  "gpu-kernel-outlining.mlir", "gpu-module-to-binary.mlir", "ptx.ptx",
                  "ptxas.txt", "launch-plan.txt"):
        assert stage in names, (stage, names)
    ptxas = (tmp_path / "softplus_rows" / next(f for f in files if f.endswith("ptxas.txt")))
    assert "Used" in ptxas.read_text() and "registers" in ptxas.read_text()


def test_calling_without_a_driver_is_a_clear_error(compiled):
    if has_gpu():
        pytest.skip("a GPU is here")
    with pytest.raises(BackendError, match="no CUDA driver found"):
        compiled(*_args())
    with pytest.raises(BackendError, match="no CUDA driver found"):
        hlox.jit(softplus_rows, backend="cuda")(*_args())


def test_artifact_holds_cubin_and_ptx_and_reloads(compiled):
    data = compiled.serialize()
    header = artifact.unpack(data).header
    assert header["backend"] == "cuda" and header["arch"] == "sm_80"
    loaded = hlox.deserialize(data)
    original, again = compiled.executable, loaded.executable
    assert [m.cubin for m in again.modules] == [m.cubin for m in original.modules]
    assert [m.ptx for m in again.modules] == [m.ptx for m in original.modules]
    assert again.plan.launches == original.plan.launches
    assert [tuple(s) for s in again.in_specs] == [tuple(s) for s in original.in_specs]
    if not has_gpu():
        with pytest.raises(BackendError, match="no CUDA driver found"):
            loaded(*_args())


def _repacked(data: bytes, change) -> bytes:
    art = artifact.unpack(data)
    header = json.loads(json.dumps(art.header))
    change(header)
    return artifact.pack(header, art.payload)


@pytest.mark.parametrize("change, message", [
    (lambda h: h.update(arch="sm_xx"), "unknown GPU architecture"),
    (lambda h: h["sections"].update({k: [0, 10**9] for k in h["sections"]}), "out of bounds"),
    (lambda h: h["plan"]["launches"][0].update(module="nowhere"), "missing module"),
    (lambda h: h["plan"]["buffers"].append({"kind": "input", "index": 99}), "names input 99"),
    (lambda h: h.pop("plan"), "malformed launch plan"),
])
def test_corrupt_artifacts_are_refused(compiled, change, message):
    with pytest.raises(ArtifactError, match=message):
        hlox.deserialize(_repacked(compiled.serialize(), change))


def test_programs_over_several_devices_are_refused():
    text = """
    module @m attributes {mhlo.num_partitions = 2 : i32} {
      func.func public @main(%a: tensor<4xf32>) -> tensor<4xf32> {
        return %a : tensor<4xf32>
      }
    }"""
    with pytest.raises(BackendError, match="cuda"):
        hlox.compile_stablehlo(text, backend="cuda")


@requires_gpu
@pytest.mark.gpu
def test_runs_on_the_gpu_and_keeps_results_there(compiled):
    x, w = _args()
    y = hlox.jit(softplus_rows, backend="cuda")(x, w)
    assert y.devices() == {hlox.devices("cuda")[0]}
    assert_close(np.asarray(y.block_until_ready()),
                 np.sum(np.log1p(np.exp(x * w)), axis=1) + np.float32(1),
                 {np.dtype(np.float32): dict(rtol=1e-5, atol=1e-5)})
    z = hlox.jit(softplus_rows, backend="cuda")(y[:, None] * np.ones((1, 300), np.float32), w)
    assert z.shape == (8,)
