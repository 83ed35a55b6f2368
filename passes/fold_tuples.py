"""hlox-stablehlo-fold-tuples (Python pass): ``get_tuple_element`` of a
``stablehlo.tuple`` is the element itself.

Tuples built and taken apart inside a function (old XLA-style programs, the
StableHLO interpreter tests) then leave no tuple behind for the backend to lower:
the element is used directly and tuples nothing reads are erased. A tuple that
crosses a function boundary or a region stays (and is refused by the lowering).
"""

from __future__ import annotations

from mlir import ir

from hlox.passes.python_passes import register


def _producer(value: ir.Value) -> ir.Operation | None:
    owner = value.owner
    return owner.operation if hasattr(owner, "operation") and not isinstance(owner, ir.Block) \
        else None


@register("hlox-stablehlo-fold-tuples",
          "get_tuple_element(tuple(x0, x1, ...), i) -> xi; unused tuples erased")
def fold_tuples(module: ir.Operation, pass_) -> None:
    found: list[ir.Operation] = []

    def collect(op):
        if op.name in ("stablehlo.get_tuple_element", "stablehlo.tuple"):
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.walk(collect)
    # in program order, so that a nested get_tuple_element(get_tuple_element(...))
    # sees its operand already folded
    tuples = []
    for op in found:
        if op.name == "stablehlo.tuple":
            tuples.append(op)
            continue
        source = _producer(op.operands[0])
        if source is None or source.name != "stablehlo.tuple":
            continue
        index = ir.IntegerAttr(op.attributes["index"]).value
        op.results[0].replace_all_uses_with(source.operands[index])
        op.erase()
    # the outer tuples first: erasing one may leave its element tuples unused
    for op in reversed(tuples):
        if not list(op.results[0].uses):
            op.erase()
