"""The cuda pipeline's loop structure checked for numbers without a GPU.

The cuda backend's passes up to ``convert-parallel-loops-to-gpu`` (StableHLO to
linalg, bufferization, parallel loops, ``hlox-cuda-map-to-gpu``: blocks x threads
over the linearized index, bounds checks, one-thread kernels for serial work, nested
parallel loops as scf.for) are followed here by a CPU lowering instead of the GPU
one: the mapped loops run sequentially in the ExecutionEngine. Every program of the
JAX corpus must then equal JAX's CPU numbers (test_jax_corpus_cpu.py's tolerances):
a wrong linearization, a dropped bounds check or a misplaced one-thread kernel
shows up here, although nothing runs on a GPU. (Races cannot show: the loops run
one iteration at a time.) ``hlox-cuda-warp-reductions`` is left out: its warp
shuffles need 32 lanes running together (a GPU); the GPU script covers it.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import jax_programs  # noqa: E402
from test_jax_corpus_cpu import assert_matches_reference  # noqa: E402
from test_jax_corpus_cuda import REJECTED  # noqa: E402

import hlox  # noqa: E402
from hlox.backends.cpu.backend import CpuBackend  # noqa: E402
from hlox.backends.cuda import backend as cuda_backend  # noqa: E402

PROGRAMS = {p.name: p for p in jax_programs.programs()}

# After the mapping: scf.parallel (mapped or not) runs as sequential loops.
CPU_TAIL = [
    "convert-scf-to-cf", "expand-strided-metadata", "lower-affine",
    "convert-complex-to-standard",
    "arith-emulate-unsupported-floats{source-types=bf16 target-type=f32}",
    "hlox-bf16-truncation-on-bits", "convert-math-to-llvm", "convert-math-to-libm",
    "convert-arith-to-llvm", "convert-cf-to-llvm", "convert-complex-to-llvm",
    "finalize-memref-to-llvm", "convert-func-to-llvm", "convert-index-to-llvm",
    "convert-ub-to-llvm", "reconcile-unrealized-casts",
]


@pytest.fixture(scope="module")
def loops_on_cpu():
    cut = cuda_backend.LOWERING.index("convert-parallel-loops-to-gpu")
    mapping = [p for p in cuda_backend.LOWERING[:cut] if p != "hlox-cuda-warp-reductions"]
    backend = CpuBackend(pipeline=["hlox-cpu-emit-c-interface"] + mapping + CPU_TAIL,
                         name="cuda-loops-on-cpu")
    hlox.backends.register(backend, replace=True)
    yield backend.name
    hlox.backends.unregister(backend.name)


@pytest.mark.parametrize("name", sorted(set(PROGRAMS) - set(REJECTED)))
def test_mapped_loops_compute_jax_numbers(name, loops_on_cpu):
    ref = jax_programs.reference(PROGRAMS[name])
    got = hlox.compile_stablehlo(ref.lowered.as_text(), backend=loops_on_cpu)(*ref.inputs)
    assert_matches_reference(name, got, ref.outputs)


def _contractions():
    import ml_dtypes

    rng = np.random.default_rng(0)

    def f32(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    return {  # name: (fn, args); shapes that take the 4x4 register tiles and some that do not
        "matmul": (lambda a, b: a @ b, (f32(8, 12), f32(12, 16))),
        "matmul_odd": (lambda a, b: a @ b, (f32(6, 5), f32(5, 7))),
        "batched": (lambda a, b: a @ b, (f32(3, 8, 5), f32(3, 5, 4))),
        "transposed": (lambda a, b: a.T @ b.T, (f32(12, 8), f32(16, 12))),
        "int": (lambda a, b: a @ b, (rng.integers(-9, 9, (4, 6)).astype(np.int32),
                                     rng.integers(-9, 9, (6, 8)).astype(np.int32))),
        "bf16": (lambda a, b: a @ b, (f32(8, 16).astype(ml_dtypes.bfloat16),
                                      f32(16, 8).astype(ml_dtypes.bfloat16))),
    }


@pytest.mark.parametrize("name", sorted(_contractions()))
def test_register_tiled_contractions(name, loops_on_cpu):
    fn, args = _contractions()[name]
    want = np.asarray(jax.jit(fn)(*args))
    got = np.asarray(hlox.jit(fn, backend=loops_on_cpu)(*args))
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.kind == "i":
        np.testing.assert_array_equal(got, want)
    else:
        rtol = 1e-5 if want.dtype == np.float32 else 8e-3
        np.testing.assert_allclose(got.astype(np.float32), want.astype(np.float32), rtol=rtol,
                                   atol=rtol * max(1.0, float(np.abs(want.astype(np.float32)).max())))
