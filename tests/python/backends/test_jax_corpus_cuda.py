"""Every program of the JAX corpus (jax_programs.py) on hlox's cuda backend.

Here (no GPU): each program, as JAX lowers it (``.as_text()``), compiles with
``hlox.compile_stablehlo(text, backend="cuda")`` for sm_80 or sm_90 (alternately): PTX from
LLVM, a cubin from ptxas with no error, and no kernel spilling more than
SPILL_BOUND bytes (stores + loads; the one-thread kernels of long scalar programs,
random_gamma's rejection loop, spill a little: about 220 bytes on sm_90).

On a GPU (marked ``gpu``; tests/gpu/run_on_device.sh): the results equal
``jax.jit(fn)(*args)`` on JAX's CPU with test_jax_corpus_cpu.py's tolerances.
"""

from __future__ import annotations

import pytest

jax = pytest.importorskip("jax")

import jax_programs  # noqa: E402
from cuda_support import requires_gpu  # noqa: E402
from test_jax_corpus_cpu import assert_matches_reference  # noqa: E402

import hlox  # noqa: E402
from hlox.backends import BackendError  # noqa: E402
from hlox.backends.cuda import target  # noqa: E402

pytestmark = pytest.mark.skipif(target.ptxas_path() is None,
                                reason="ptxas (CUDA toolkit) is not installed")

PROGRAMS = {p.name: p for p in jax_programs.programs()}

# Programs the cuda backend refuses, and the error that says why.
REJECTED: dict[str, str] = {
    "cholesky": "lapack_spotrf_ffi.*cannot run on this backend",       # JAX's CPU LAPACK call
    "triangular_solve": "lapack_strsm_ffi.*cannot run on this backend",
}

SPILL_BOUND = 512  # bytes of spill stores + loads, per kernel


@pytest.fixture(autouse=True)
def _default_arch():
    yield
    hlox.config.update("cuda_arch", None)


def _compile(name: str, arch: str):
    hlox.config.update("cuda_arch", arch)
    return hlox.compile_stablehlo(jax_programs.texts(PROGRAMS[name])[0], backend="cuda")


# Each program compiles for one of the two targets, alternating down the sorted
# list: both targets meet every kind of kernel across the corpus at half the
# compile time (test_cuda_backend.py compiles for every architecture hlox knows).
ARCH_OF = {name: ("sm_80", "sm_90")[i % 2] for i, name in enumerate(sorted(PROGRAMS))}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_corpus_program_compiles_to_cubin(name):
    arch = ARCH_OF[name]
    if name in REJECTED:
        with pytest.raises(BackendError, match=REJECTED[name]):
            _compile(name, arch)
        return
    executable = _compile(name, arch).executable
    assert f".target {arch}" in executable.ptx()
    assert executable.modules and all(m.cubin[:4] == b"\x7fELF" for m in executable.modules)
    resources = executable.resources()
    assert len(resources) == sum(m.ptx.count(".entry") for m in executable.modules)
    worst = max(resources, key=lambda r: r.spill_stores + r.spill_loads)
    assert worst.spill_stores + worst.spill_loads <= SPILL_BOUND, worst.line()


@requires_gpu
@pytest.mark.gpu
@pytest.mark.parametrize("name", sorted(set(PROGRAMS) - set(REJECTED)))
def test_corpus_program_on_gpu(name):
    ref = jax_programs.reference(PROGRAMS[name])
    hlox.config.update("cuda_arch", _device_arch())
    got = hlox.compile_stablehlo(ref.lowered.as_text(), backend="cuda")(*ref.inputs)
    assert_matches_reference(name, got, ref.outputs)


def _device_arch() -> str:
    from hlox.backends.cuda import runtime

    arch = runtime.driver().archs[0]
    return arch if arch in target.ARCHS else "sm_80"  # (a newer GPU JIT-compiles the PTX)
