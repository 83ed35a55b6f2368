"""An example out-of-tree hlox backend: ``cpu-variant``.

It is hlox's CPU backend with a different pass pipeline: linalg is lowered to
affine loops instead of scf loops, and loop-invariant code is hoisted out of
them before ``lower-affine`` turns them into scf (ahead of ``convert-scf-to-cf``).
It receives the module after the compile driver's shared StableHLO stage, as
every backend does; everything else (running the passes through the driver's
runner: stage dumps, failing-stage errors; LLVM, the ExecutionEngine, host
buffers) comes from :class:`hlox.backends.cpu.backend.CpuBackend`.

A backend for new hardware implements the same protocol
(:mod:`hlox.backends.base`): ``name``, ``platform``, ``devices()``,
``compile(module, options) -> executable`` (``execute(buffers)``, ``in_specs``,
``out_specs``), ``to_device``/``from_device``, and optionally ``pipeline()``,
``stages`` on executables, ``serialize``/``deserialize``.
"""

from __future__ import annotations

from hlox.backends.compiler import pass_name
from hlox.backends.cpu.backend import PIPELINE, CpuBackend

__all__ = ["CpuVariantBackend", "variant_pipeline"]


def variant_pipeline(base: list[str] | None = None) -> list[str]:
    """The CPU pipeline with one pass replaced and one added."""
    out = []
    for element in list(PIPELINE if base is None else base):
        if pass_name(element) == "convert-linalg-to-parallel-loops":
            out += ["convert-linalg-to-affine-loops",     # replaces convert-linalg-to-parallel-loops
                    "affine-loop-invariant-code-motion",  # added
                    # affine -> scf now, before the pipeline's convert-scf-to-cf.
                    "lower-affine"]
        else:
            out.append(element)
    return out


class CpuVariantBackend(CpuBackend):
    """``hlox.jit(f, backend="cpu-variant")``: runs on the host with :func:`variant_pipeline`."""

    name = "cpu-variant"
    platform = "cpu"

    def pipeline(self) -> list[str]:
        return variant_pipeline()
