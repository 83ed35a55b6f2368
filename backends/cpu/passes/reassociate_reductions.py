"""hlox-cpu-reassociate-reductions (Python pass): let LLVM vectorize reductions.

A float sum in a loop is a chain of dependent adds; LLVM's loop vectorizer
keeps that order (and the loop scalar) unless the adds may be reassociated.
This pass marks the float arithmetic in the body of every ``linalg.generic``
that has a reduction loop with ``fastmath<reassoc>``: the sum of a row is
then computed as several partial sums in vector lanes, as numpy's pairwise
summation and XLA also do. Results change only by reassociation (the usual
float tolerance of a sum); max/min reductions do not change at all. No other
fast-math assumption (no NaN/inf, signed zeros) is made.
"""

from __future__ import annotations

from mlir import ir

from hlox.passes.python_passes import register

REASSOCIATIVE = ("arith.addf", "arith.mulf", "arith.maximumf", "arith.minimumf",
                 "arith.maxnumf", "arith.minnumf")


@register("hlox-cpu-reassociate-reductions",
          "fastmath<reassoc> on the float ops of reducing linalg.generics, "
          "so LLVM vectorizes the reductions")
def reassociate_reductions(module: ir.Operation, pass_) -> None:
    reassoc = ir.Attribute.parse("#arith.fastmath<reassoc>")
    targets = []

    def visit(op):
        op = op.operation
        if op.name == "linalg.generic":
            iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
            if any("reduction" in it for it in iterators):
                for inner in op.regions[0].blocks[0].operations:
                    if inner.operation.name in REASSOCIATIVE:
                        targets.append(inner.operation)
        return ir.WalkResult.ADVANCE

    module.walk(visit, ir.WalkOrder.PRE_ORDER)
    for op in targets:
        op.attributes["fastmath"] = reassoc
