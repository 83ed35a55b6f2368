"""hlox-cpu-reciprocal-divisors (Python pass): a row's divisor inverted once.

In an elementwise ``linalg.generic``, ``a / b`` where ``b`` is read through
an indexing map without the innermost loop (a value broadcast along the row:
softmax's sum) becomes ``a * (1 / b)``. LLVM hoists ``1 / b`` out of the
inner loop, so each element costs a multiply instead of a divide (a vector
divide has a fifth of a multiply's throughput). XLA's algebraic simplifier
rewrites ``A / broadcast(B)`` into ``A * broadcast(1 / B)`` the same way, so
the results are XLA's (within an ulp of the quotient).

Only float32 and float64: a float16 reciprocal overflows for divisors below
2^-14 (its subnormals), where XLA computes float16 in float32; and bfloat16
is computed in float32 by a later pass anyway.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import arith

from hlox.backends.cpu.passes.contraction_packing import plain_dims
from hlox.passes.python_passes import register


def _row_invariant(generic: ir.Operation, value: ir.Value) -> bool:
    """Whether ``value`` is an input's block argument whose indexing map
    leaves out the generic's innermost loop."""
    if not isinstance(value, ir.BlockArgument) or value.owner != generic.regions[0].blocks[0]:
        return False
    if value.arg_number >= len(generic.operands) - len(generic.results):
        return False  # an output's value
    map_attr = ir.ArrayAttr(generic.attributes["indexing_maps"])[value.arg_number]
    dims = plain_dims(map_attr)
    innermost = ir.AffineMapAttr(map_attr).value.n_dims - 1
    return dims is not None and innermost not in dims


def _is_f32_or_f64(type_: ir.Type) -> bool:
    return isinstance(type_, (ir.F32Type, ir.F64Type))


def _is_one(value: ir.Value) -> bool:
    if not isinstance(value, ir.OpResult):
        return False
    owner = value.owner.operation
    if owner.name != "arith.constant":
        return False
    constant = owner.attributes["value"]
    return isinstance(constant, ir.FloatAttr) and constant.value == 1.0


@register("hlox-cpu-reciprocal-divisors",
          "a / b in an elementwise linalg.generic, b invariant along the innermost loop, "
          "as a * (1 / b) (as XLA)")
def reciprocal_divisors(module: ir.Operation, pass_) -> None:
    targets = []

    def visit(op):
        op = op.operation
        if op.name == "linalg.generic" and len(op.results) > 0 and all(
                "parallel" in str(it) for it in ir.ArrayAttr(op.attributes["iterator_types"])):
            for inner in op.regions[0].blocks[0].operations:
                inner = inner.operation
                if (inner.name == "arith.divf" and _is_f32_or_f64(inner.operands[1].type)
                        and _row_invariant(op, inner.operands[1])
                        and not _is_one(inner.operands[0])):
                    targets.append(inner)
        return ir.WalkResult.ADVANCE

    module.walk(visit, ir.WalkOrder.PRE_ORDER)
    for div in targets:
        numerator, divisor = div.operands
        with ir.InsertionPoint(div), div.location:
            one = arith.ConstantOp(divisor.type, ir.FloatAttr.get(divisor.type, 1.0)).result
            product = arith.mulf(numerator, arith.divf(one, divisor))
        div.results[0].replace_all_uses_with(product)
        div.erase()
