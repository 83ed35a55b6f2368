"""hlox-cpu-fft-to-runtime (Python pass): ``stablehlo.fft`` as a call of the runtime library.

Each ``stablehlo.fft`` becomes a call of ``hlox_rt_fft_{c2c,r2c,c2r}_{f32,f64}``
in ``libhlox_cpu_runtime.so`` (``backends/cpu/runtime/fft.cpp``: O(n log n)
for every length), on buffers: the operand as a read-only buffer
(``bufferization.to_buffer``), the result a fresh ``memref.alloc`` returned
as a tensor (``to_tensor restrict writable``); both are passed as unranked
memrefs (rank + descriptor pointer in the C ABI), with the number of
transformed axes (and for FFT/IFFT the direction) as i64 arguments. Runs
before ``hlox-stablehlo-legalize-to-linalg``, whose O(n^2) DFT
(FftToLinalg.cpp) stays for element types the runtime does not take.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import arith, bufferization, func, memref

from hlox.passes.python_passes import register

_PRECISION = {"f32": "f32", "f64": "f64"}


def _fft_ops(op: ir.Operation, found: list) -> None:
    for region in op.regions:
        for block in region.blocks:
            for child in block.operations:
                child = child.operation
                if child.name == "stablehlo.fft":
                    found.append(child)
                else:
                    _fft_ops(child, found)


def _real_type(element: ir.Type) -> str | None:
    """'f32'/'f64' for f32, f64, complex<f32>, complex<f64>; None otherwise."""
    if isinstance(element, ir.ComplexType):
        element = ir.ComplexType(element).element_type
    return _PRECISION.get(str(element))


def _callee(fft_type: str, precision: str) -> str:
    kind = {"FFT": "c2c", "IFFT": "c2c", "RFFT": "r2c", "IRFFT": "c2r"}[fft_type]
    return f"hlox_rt_fft_{kind}_{precision}"


def _declare(module: ir.Operation, declared: dict, name: str, operand_types: list) -> None:
    if name in declared:
        return
    with ir.InsertionPoint.at_block_begin(module.regions[0].blocks[0]):
        decl = func.FuncOp(name, ir.FunctionType.get(operand_types, []), visibility="private")
    declared[name] = decl


def _rewrite(op: ir.Operation, module: ir.Operation, declared: dict) -> bool:
    fft_type = str(op.attributes["fft_type"]).split()[-1].rstrip(">")
    fft_rank = len(ir.DenseI64ArrayAttr(op.attributes["fft_length"]))
    operand, result = op.operands[0], op.results[0]
    in_type, out_type = ir.RankedTensorType(operand.type), ir.RankedTensorType(result.type)
    precision = _real_type(in_type.element_type)
    if precision is None or precision != _real_type(out_type.element_type) \
            or fft_type not in ("FFT", "IFFT", "RFFT", "IRFFT"):
        return False
    name = _callee(fft_type, precision)
    i64 = ir.IntegerType.get_signless(64)
    with ir.InsertionPoint(op), op.location:
        in_buffer = bufferization.to_buffer(
            ir.MemRefType.get(in_type.shape, in_type.element_type), operand, read_only=True)
        out_buffer = memref.alloc(ir.MemRefType.get(out_type.shape, out_type.element_type), [], [])
        args = [memref.cast(ir.UnrankedMemRefType.get(t.element_type, None), b)
                for t, b in ((in_type, in_buffer), (out_type, out_buffer))]
        args.append(arith.constant(i64, fft_rank))
        if name.startswith("hlox_rt_fft_c2c"):
            args.append(arith.constant(i64, int(fft_type == "IFFT")))
        _declare(module, declared, name, [a.type for a in args])
        func.call([], ir.FlatSymbolRefAttr.get(name), args)
        value = bufferization.to_tensor(out_type, out_buffer, restrict=True, writable=True)
    result.replace_all_uses_with(value)
    op.erase()
    return True


@register("hlox-cpu-fft-to-runtime",
          "stablehlo.fft (f32/f64, complex64/128) as calls of hlox_rt_fft_* in the cpu "
          "runtime library (O(n log n) for every length)")
def fft_to_runtime(module: ir.Operation, pass_) -> None:
    found: list = []
    _fft_ops(module, found)
    declared: dict = {}
    for op in found:
        _rewrite(op, module, declared)
