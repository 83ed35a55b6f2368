"""Compile a whole StableHLO module (text, e.g. JAX's ``lower(...).as_text()``)
with the CPU backend's pipeline (:mod:`hlox.backends.cpu.backend`).

    exe = compile_module(text)
    outs = exe(*numpy_arrays)      # a list of NumPy arrays, one per result

The entry point is ``@main``; argument and result shapes/dtypes come from its
signature (:func:`hlox.backends.base.main_signature`). ``hlox.compile_stablehlo``
is the registry-level form of this (any backend, tuple results).
"""

from __future__ import annotations

import numpy as np

from hlox.backends.base import main_signature
from hlox.backends.cpu.backend import CpuBackend


class CompiledModule:
    """A compiled ``@main``: call it with NumPy arrays."""

    def __init__(self, executable, in_avals, out_avals):
        self.executable = executable
        self.in_avals = in_avals
        self.out_avals = out_avals

    @property
    def stages(self):
        return self.executable.stages

    def __call__(self, *args):
        if len(args) != len(self.in_avals):
            raise TypeError(f"expected {len(self.in_avals)} arguments, got {len(args)}")
        arrays = []
        for arg, aval in zip(args, self.in_avals):
            array = np.array(arg, dtype=aval.dtype, order="C")
            if array.shape != aval.shape:
                raise ValueError(f"argument shape {array.shape} != {aval.shape}")
            arrays.append(array)
        return self.executable.execute(arrays)


def compile_module(text: str, function: str = "main",
                   pipeline: list[str] | None = None) -> CompiledModule:
    """Compiles StableHLO text whose entry point is ``@main`` for the CPU."""
    in_avals, out_avals = main_signature(text)
    executable = CpuBackend(pipeline).compile(text, function, in_avals, out_avals)
    return CompiledModule(executable, in_avals, out_avals)
