"""hlox-cpu-hoist-loop-buffers (Python pass): a loop's scratch buffers allocated once.

A row-block loop (softmax, layernorm: hlox-cpu-fuse-regions) allocates its
per-block intermediates in every iteration and frees them at its end: two
mallocs and frees per block of rows. After hlox-cpu-outline-loops every
``scf.parallel`` and ``scf.for`` runs its iterations one after the other (a
kernel runs one chunk of iterations on one thread), so a statically shaped
buffer allocated and freed in the same iteration can be allocated before the
loop and freed after it: once per chunk instead of once per block.
"""

from __future__ import annotations

from mlir import ir

from hlox.passes.python_passes import register

LOOPS = ("scf.parallel", "scf.for")


def _scratch(op: ir.Operation, body: ir.Block) -> ir.Operation | None:
    """The dealloc of ``op`` in ``body`` if ``op`` is a static alloc freed there."""
    if op.name != "memref.alloc" or len(op.operands) != 0:
        return None
    deallocs = [use.owner.operation for use in op.results[0].uses
                if use.owner.operation.name == "memref.dealloc"]
    if len(deallocs) != 1 or deallocs[0].block != body:
        return None
    return deallocs[0]


@register("hlox-cpu-hoist-loop-buffers",
          "static buffers allocated and freed in one iteration of a (serial) loop: "
          "allocated before the loop, freed after it")
def hoist_loop_buffers(module: ir.Operation, pass_) -> None:
    loops = []

    def visit(op):
        if op.operation.name in LOOPS:
            loops.append(op.operation)
        return ir.WalkResult.ADVANCE

    # Inner loops first: a buffer hoisted out of one may leave the next too.
    module.walk(visit, ir.WalkOrder.POST_ORDER)
    for loop in loops:
        body = loop.regions[0].blocks[0]
        pairs = [(op.operation, dealloc) for op in body.operations
                 if (dealloc := _scratch(op.operation, body)) is not None]
        for alloc, dealloc in pairs:
            alloc.move_before(loop)
            dealloc.move_after(loop)
