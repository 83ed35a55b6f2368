"""Compile a whole StableHLO module (text, e.g. JAX's ``lower(...).as_text()``)
with the CPU backend's pipeline (:mod:`hlox.backends.cpu`).

    exe = compile_module(text)
    outs = exe(*numpy_arrays)      # a list of NumPy arrays, one per result

The entry point is ``@main``; argument and result shapes/dtypes come from its
signature. Element types: i1 (bool), [u]i8..64, f16, bf16 (ml_dtypes), f32, f64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from mlir import ir

from hlox.backends.cpu import CompilationError, CpuBackend
from hlox.dialects import make_context

_ELEMENT_DTYPES = {
    "i1": np.bool_, "i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64,
    "ui8": np.uint8, "ui16": np.uint16, "ui32": np.uint32, "ui64": np.uint64,
    "f16": np.float16, "f32": np.float32, "f64": np.float64,
    "complex<f32>": np.complex64, "complex<f64>": np.complex128,
}


def _dtype(element: ir.Type) -> np.dtype:
    name = str(element)
    if name == "bf16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    if name not in _ELEMENT_DTYPES:
        raise CompilationError(f"hlox cpu backend: element type {name} is not supported "
                               "at the function boundary")
    return np.dtype(_ELEMENT_DTYPES[name])


@dataclass
class _Aval:
    shape: tuple
    dtype: np.dtype


def _signature(text: str):
    with make_context(), ir.Location.unknown():
        module = ir.Module.parse(text)
        for op in module.body.operations:
            if op.operation.name == "func.func" and \
                    ir.StringAttr(op.attributes["sym_name"]).value == "main":
                ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
                avals = []
                for types in (ftype.inputs, ftype.results):
                    avals.append([_Aval(tuple(ir.RankedTensorType(t).shape),
                                        _dtype(ir.RankedTensorType(t).element_type))
                                  for t in types])
                return avals
    raise CompilationError("hlox cpu backend: the module has no func.func @main")


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
    in_avals, out_avals = _signature(text)
    executable = CpuBackend(pipeline).compile(text, function, in_avals, out_avals)
    return CompiledModule(executable, in_avals, out_avals)
