"""Calls of the runtime library (``libhlox_cpu_runtime.so``) in two steps.

``hlox-cpu-fft-to-runtime`` and ``hlox-cpu-lapack-to-runtime`` replace ops by
:func:`call_on_tensors`: a ``func.call`` of a private placeholder declaration
(ranked tensor types, one per call site, naming the C function in
``hlox.runtime_callee``), which no later pass merges, moves or drops (its effects
are unknown). ``hlox-cpu-runtime-calls-on-buffers``, run right before
``one-shot-bufferize``, turns each into the C call on buffers: operands as
read-only buffers (``bufferization.to_buffer``), results as fresh allocations
returned as tensors (``to_tensor restrict writable``), all passed as unranked
memrefs (rank + descriptor pointer in the C ABI), in the order (inputs...,
outputs..., i64 scalars...).

Why two steps: a ``to_buffer`` is a read of its tensor where it stands, and CSE
would merge the ``to_buffer`` of two calls on one tensor, so that the second call
read the buffer after bufferization had let another op overwrite it. Created right
before bufferization, each ``to_buffer`` is next to its call.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import bufferization, func, memref

from hlox.passes.python_passes import register

CALLEE_ATTR = "hlox.runtime_callee"


def call_on_tensors(module: ir.Operation, callee: str, operands: list, result_types: list,
                    counter: list) -> list:
    """A placeholder call of ``callee`` (at the current insertion point) taking
    ``operands`` (ranked tensors, then i64 scalars) and giving ``result_types``."""
    name = f"{callee}__hlox_placeholder_{counter[0]}"
    counter[0] += 1
    with ir.InsertionPoint.at_block_begin(module.regions[0].blocks[0]):
        decl = func.FuncOp(name, ir.FunctionType.get([v.type for v in operands], result_types),
                           visibility="private")
        decl.attributes[CALLEE_ATTR] = ir.StringAttr.get(callee)
    call = func.CallOp(result_types, ir.FlatSymbolRefAttr.get(name), operands)
    return list(call.results)


def _unranked(value, t):
    return memref.cast(ir.UnrankedMemRefType.get(t.element_type, None), value)


def _placeholders(module: ir.Operation) -> dict:
    found = {}
    for op in module.regions[0].blocks[0].operations:
        op = op.operation
        if op.name == "func.func" and CALLEE_ATTR in op.attributes:
            found[ir.StringAttr(op.attributes["sym_name"]).value] = op
    return found


def _calls(op: ir.Operation, names: dict, found: list) -> None:
    for region in op.regions:
        for block in region.blocks:
            for child in block.operations:
                child = child.operation
                if child.name == "func.call" and \
                        ir.FlatSymbolRefAttr(child.attributes["callee"]).value in names:
                    found.append(child)
                _calls(child, names, found)


@register("hlox-cpu-runtime-calls-on-buffers",
          "placeholder calls of the runtime library (hlox-cpu-fft/lapack-to-runtime) as calls "
          "on buffers; run right before one-shot-bufferize")
def runtime_calls_on_buffers(module: ir.Operation, pass_) -> None:
    placeholders = _placeholders(module)
    if not placeholders:
        return
    calls: list = []
    _calls(module, placeholders, calls)
    declared = {ir.StringAttr(op.operation.attributes["sym_name"]).value
                for op in module.regions[0].blocks[0].operations
                if op.operation.name == "func.func"}
    for call in calls:
        placeholder = placeholders[ir.FlatSymbolRefAttr(call.attributes["callee"]).value]
        callee = ir.StringAttr(placeholder.attributes[CALLEE_ATTR]).value
        with ir.InsertionPoint(call), call.location:
            # The C functions take (inputs..., outputs..., scalars...).
            args, scalars = [], []
            for value in call.operands:
                if isinstance(value.type, ir.RankedTensorType):
                    t = ir.RankedTensorType(value.type)
                    buffer = bufferization.to_buffer(
                        ir.MemRefType.get(t.shape, t.element_type), value, read_only=True)
                    args.append(_unranked(buffer, t))
                else:
                    scalars.append(value)
            outputs = []
            for value in call.results:
                t = ir.RankedTensorType(value.type)
                buffer = memref.alloc(ir.MemRefType.get(t.shape, t.element_type), [], [])
                outputs.append((buffer, t))
                args.append(_unranked(buffer, t))
            args += scalars
            if callee not in declared:
                declared.add(callee)
                with ir.InsertionPoint.at_block_begin(module.regions[0].blocks[0]):
                    func.FuncOp(callee, ir.FunctionType.get([a.type for a in args], []),
                                visibility="private")
            func.CallOp([], ir.FlatSymbolRefAttr.get(callee), args)
            results = [bufferization.to_tensor(t, b, restrict=True, writable=True)
                       for b, t in outputs]
        for old, new in zip(call.results, results):
            old.replace_all_uses_with(new)
        call.erase()
    for placeholder in placeholders.values():
        placeholder.erase()
