"""Shared helpers for hlox's Python tests: tolerances and random inputs."""

from __future__ import annotations

import contextlib
import os

import numpy as np
import pytest

import hlox

# Stated tolerances per dtype, for results compared with NumPy.
# Elementwise arithmetic is exact up to rounding; exp and matmul (different
# summation order / libm) may differ by a few ulps.
TOLERANCES = {
    np.dtype(np.float16): dict(rtol=2e-3, atol=1e-3),
    np.dtype(np.float32): dict(rtol=2e-6, atol=1e-6),
    np.dtype(np.float64): dict(rtol=1e-13, atol=1e-13),
}
MATMUL_TOLERANCES = {
    np.dtype(np.float32): dict(rtol=1e-5, atol=1e-5),
    np.dtype(np.float64): dict(rtol=1e-12, atol=1e-12),
}


def assert_close(actual, expected, tolerances=None):
    """Same dtype and shape, values within the dtype's stated tolerance."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    tol = (tolerances or TOLERANCES).get(actual.dtype)
    if tol is None:  # integers and bool: exact
        np.testing.assert_array_equal(actual, expected)
    else:
        np.testing.assert_allclose(actual, expected, **tol)


def rand(shape, dtype=np.float32, seed=0, low=-2.0, high=2.0):
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return rng.uniform(low, high, size=shape).astype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, size=shape).astype(bool)
    return rng.integers(-5, 6, size=shape).astype(dtype)


@pytest.fixture
def x64():
    """JAX's 64-bit mode on for one test, in hlox and (when installed) in jax, whose
    references need it too: float64/int64 values stay 64-bit (restored afterwards)."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(hlox.enable_x64(True))
        try:
            import jax
        except ImportError:
            pass
        else:
            stack.enter_context(jax.enable_x64(True))
        yield


@pytest.fixture
def dump_dir(tmp_path):
    """Points hlox.config.dump_dir at a fresh folder for one test."""
    hlox.config.dump_dir = tmp_path / "dumps"
    yield tmp_path / "dumps"
    hlox.config.reset()


def cpu_passes() -> list[str]:
    """Every pass a cpu compilation runs, in order: the compile driver's shared
    StableHLO stage, then the cpu backend's pipeline."""
    from hlox.backends import compiler
    from hlox.backends.cpu import backend as cpu

    return [compiler.pass_name(p) for p in compiler.SHARED_PIPELINE + cpu.PIPELINE]


def cpu_stage(pass_name: str) -> str:
    """``NNN_<pass>`` of a pass of a cpu compilation as its dump file and errors number
    it (000 is the input StableHLO), so tests follow the pipeline when passes are added."""
    return f"{cpu_passes().index(pass_name) + 1:03d}_{pass_name}"


def stage_files(folder) -> list[str]:
    """The stage files in a dump folder, sorted (without its manifest, a dot-file)."""
    return sorted(n for n in os.listdir(folder) if not n.startswith("."))


def cpu_dump_files() -> list[str]:
    """The files a cpu compilation writes into its dump folder, sorted: the input, one
    per pass, then LLVM IR and assembly."""
    names = cpu_passes()
    return (["000_stablehlo.mlir"] + [f"{i:03d}_{p}.mlir" for i, p in enumerate(names, 1)]
            + [f"{len(names) + 1:03d}_llvm-ir.ll", f"{len(names) + 2:03d}_asm.s"])
