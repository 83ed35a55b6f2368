"""hlox-stablehlo-composite-to-call (Python pass): a ``stablehlo.composite`` is a
call of its decomposition.

A composite names an operation a backend may implement natively and carries its
meaning as a function (``decomposition``). A backend without a native version
computes that function: the op becomes ``func.call @decomposition(inputs)``
(as StableHLO's own ``stablehlo-legalize-composite-to-call``).
"""

from __future__ import annotations

from mlir import ir

from hlox.passes.python_passes import register


@register("hlox-stablehlo-composite-to-call",
          "stablehlo.composite -> func.call of its decomposition")
def composite_to_call(module: ir.Operation, pass_) -> None:
    found: list[ir.Operation] = []

    def collect(op):
        if op.name == "stablehlo.composite":
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.walk(collect)
    for op in found:
        with ir.InsertionPoint(op), op.location:
            call = ir.Operation.create(
                "func.call", results=[r.type for r in op.results], operands=list(op.operands),
                attributes={"callee": op.attributes["decomposition"]})
        for old, new in zip(op.results, call.results):
            old.replace_all_uses_with(new)
        op.erase()
