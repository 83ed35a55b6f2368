"""hlox-cpu-fills-per-writer (Python pass): a constant-filled tensor filled again for each writer.

CSE merges equal fills: the zeros every convolution pads its input with, the
zeros its accumulator starts from. Each op that then writes into that one
tensor (a pad's interior, a contraction's accumulator) makes bufferization
copy the filled buffer first, a read and a write of the whole buffer on one
thread (``memref.copy``, and for strided destinations MLIR's generic
``memrefCopy``, one memcpy per row); the convnet training step copied 19
such buffers per call. This pass, right before bufferization (after the last
CSE; before eliminate-empty-tensors, which would make the writers' own
destinations slices of the shared fill), gives every writer in the fill's block a fill of its own: the writer
then works in place in a buffer filled by a parallel loop, write-only.
Read-only uses (inputs of linalg ops) keep the original.
"""

from __future__ import annotations

from mlir import ir

from hlox.passes.python_passes import register


def _is_fill(op) -> bool:
    """A linalg.fill, or an input-less generic yielding a value from outside
    its body, into a tensor.empty."""
    if len(op.results) != 1 or not isinstance(op.results[0].type, ir.RankedTensorType):
        return False
    if op.name == "linalg.fill":
        init = op.operands[1]
    elif op.name == "linalg.generic" and len(op.operands) == 1:
        block = op.regions[0].blocks[0]
        ops = [o.operation for o in block.operations]
        if len(ops) != 1 or ops[0].name != "linalg.yield":
            return False
        value = ops[0].operands[0]
        if isinstance(value.owner, ir.Block) and value.owner == block:
            return False  # yields its own block argument (a copy of the init)
        init = op.operands[0]
    else:
        return False
    owner = init.owner
    return not isinstance(owner, ir.Block) and owner.name == "tensor.empty"


def _reads_only(use) -> bool:
    """Whether ``use`` is an input of a linalg op (the op does not write it)."""
    user = use.owner.operation
    if not user.name.startswith("linalg.") or "operandSegmentSizes" not in user.attributes:
        return False
    inputs = ir.DenseI32ArrayAttr(user.attributes["operandSegmentSizes"])[0]
    return use.operand_number < inputs


@register("hlox-cpu-fills-per-writer",
          "give every op writing into a shared constant-filled tensor a fill "
          "of its own (no bufferization copy of the filled buffer)")
def fills_per_writer(module: ir.Operation, pass_) -> None:
    fills = []

    def visit(op):
        if _is_fill(op.operation):
            fills.append(op.operation)
        return ir.WalkResult.ADVANCE

    module.walk(visit, ir.WalkOrder.PRE_ORDER)
    for fill in fills:
        result = fill.results[0]
        uses = list(result.uses)
        if len(uses) < 2:
            continue
        position = {op.operation: i for i, op in enumerate(fill.block.operations)}
        writers = sorted((u for u in uses if u.owner.operation.block == fill.block
                          and not _reads_only(u)),
                         key=lambda u: position[u.owner.operation])
        # The original stays with the first writer unless something reads it.
        first = 0 if any(_reads_only(u) for u in uses) else 1
        for use in writers[first:]:
            user, number = use.owner.operation, use.operand_number
            empty = fill.operands[-1].owner.clone(ir.InsertionPoint(user))
            copy = fill.clone(ir.InsertionPoint(user))
            copy.operands[len(copy.operands) - 1] = empty.results[0]
            user.operands[number] = copy.results[0]
