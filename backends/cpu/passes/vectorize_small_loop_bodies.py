"""hlox-cpu-vectorize-small-loop-bodies (Python pass): a loop body's tiny elementwise ops as vectors.

A scan whose state is a handful of floats (``h = h * 0.5 + x`` on 8 of them)
runs its body's elementwise generic as a scalar loop of 8 trips, on every
iteration of the scan: LLVM does not vectorize it (the buffers may alias as
far as it knows, and hlox turns LLVM's loop unrolling off). This pass
vectorizes such generics (all-parallel, static, at most MAX_ELEMENTS
elements, arithmetic bodies) inside ``scf.for``/``scf.while`` bodies with
``transform.structured.vectorize``: one vector load per operand, the
arithmetic on vectors, one store, the same float operations per element.
It runs after hlox-loop-state-in-place, which matches the loops' state
updates as generics.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects.transform import interpreter

from hlox.passes.python_passes import register

TAG = "hlox.vectorize_small"
MAX_ELEMENTS = 64  # four AVX-512 float32 vectors
MIN_ELEMENTS = 4
LOOPS = ("scf.for", "scf.while")
# Elementwise arithmetic with the same result per lane as the scalar op.
BODY_OPS = {"arith.addf", "arith.subf", "arith.mulf", "arith.divf", "arith.negf",
            "arith.maximumf", "arith.minimumf", "arith.maxnumf", "arith.minnumf",
            "arith.cmpf", "arith.select", "arith.extf", "arith.truncf",
            "arith.addi", "arith.subi", "arith.muli", "arith.andi", "arith.ori",
            "arith.xori", "arith.cmpi", "arith.constant", "linalg.yield"}

# Types LLVM holds in vectors as they are in memory (bools and sub-byte
# integers are widened to bytes after bufferization, bf16/f16 emulated in
# f32: both rewrite scalar code).
ELEMENT_TYPES = ("f32", "f64", "i8", "i16", "i32", "i64")

_SCRIPT = """
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %ops = transform.structured.match attributes{""" + TAG + """} in %root
        : (!transform.any_op) -> !transform.any_op
    transform.structured.vectorize %ops : !transform.any_op
    transform.yield
  }
}
"""


def _in_loop(op) -> bool:
    parent = op.parent
    while parent is not None and parent.name != "func.func":
        if parent.name in LOOPS:
            return True
        parent = parent.parent
    return False


def small_elementwise(op) -> bool:
    """Whether ``op`` is a generic this pass vectorizes."""
    if op.name != "linalg.generic" or len(op.results) != 1:
        return False
    iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
    if not iterators or any("parallel" not in it for it in iterators):
        return False
    out = op.results[0].type
    if not isinstance(out, ir.RankedTensorType) or not out.has_static_shape:
        return False
    elements = 1
    for size in out.shape:
        elements *= size
    if not MIN_ELEMENTS <= elements <= MAX_ELEMENTS:
        return False
    if any(not isinstance(v.type, ir.RankedTensorType) or
           str(v.type.element_type) not in ELEMENT_TYPES for v in op.operands):
        return False
    body = op.regions[0].blocks[0]
    if any(o.operation.name not in BODY_OPS for o in body.operations):
        return False
    return _in_loop(op)


@register("hlox-cpu-vectorize-small-loop-bodies",
          "vectorize tiny static elementwise linalg.generics in loop bodies")
def vectorize_small_loop_bodies(module: ir.Operation, pass_) -> None:
    found = []

    def visit(op):
        if small_elementwise(op.operation):
            op.operation.attributes[TAG] = ir.UnitAttr.get()
            found.append(op.operation)
        return ir.WalkResult.ADVANCE

    module.walk(visit, ir.WalkOrder.PRE_ORDER)
    if not found:
        return
    script = ir.Module.parse(_SCRIPT)
    try:
        interpreter.apply_named_sequence(module, script.body.operations[0], script)
    except ValueError:
        # A generic the vectorizer declines stays a scalar loop (valid IR).
        for op in found:
            if TAG in op.attributes:
                del op.attributes[TAG]
