"""An example out-of-tree hlox backend: ``cpu-variant``.

It is hlox's CPU backend with a different pass pipeline: linalg is lowered to
affine loops instead of scf loops, and loop-invariant code is hoisted out of
them before ``lower-affine`` turns them into scf (ahead of ``convert-scf-to-cf``). Everything else (stage dumps,
the failing-stage errors, LLVM, the ExecutionEngine, host buffers) comes from
the CPU backend through :class:`hlox.backends.cpu.adapter.CpuAdapter`.

A backend for new hardware implements the same protocol
(:mod:`hlox.backends.base`): ``name``, ``platform``, ``devices()``,
``compile(module, options) -> executable``, ``to_device``/``from_device``, and
optionally ``pipeline()``, ``stages`` on executables, ``serialize``/``deserialize``.
"""

from __future__ import annotations

from hlox.backends.cpu import backend as cpu
from hlox.backends.cpu.adapter import CpuAdapter

__all__ = ["CpuVariantBackend", "variant_pipeline"]


def variant_pipeline(base: list[str] | None = None) -> list[str]:
    """The CPU pipeline with one pass replaced and one added."""
    out = []
    for element in list(cpu.PIPELINE if base is None else base):
        if cpu.pass_name(element) == "convert-linalg-to-loops":
            out += ["convert-linalg-to-affine-loops",     # replaces convert-linalg-to-loops
                    "affine-loop-invariant-code-motion",  # added
                    # affine -> scf now, before the pipeline's convert-scf-to-cf.
                    "lower-affine"]
        else:
            out.append(element)
    return out


class CpuVariantBackend(CpuAdapter):
    """``hlox.jit(f, backend="cpu-variant")``: runs on the host with :func:`variant_pipeline`."""

    name = "cpu-variant"
    platform = "cpu"

    def pipeline(self) -> list[str]:
        return variant_pipeline()
