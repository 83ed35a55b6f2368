"""hlox-cpu-results-in-place (Python pass): compute results in the caller's buffers.

After ``buffer-results-to-out-params`` a public function fills each result
buffer by a final ``memref.copy %alloc, %out``: the result is computed into
a temporary, then copied (for a 16 MB result: a 16 MB allocation, its page
faults, and a second pass over memory). When the temporary is an
``memref.alloc`` at the top of the function with the out-parameter's exact
type, this pass computes into ``%out`` directly and drops the copy. So too
when the copy reads the temporary through ``memref.collapse_shape`` and
``expand_shape`` ops (a packed contraction's [M, N/32, 32] accumulator copied
out as [M, N]): the temporary becomes the inverse reshape of ``%out``, a
view of it.

A temporary copied into several results (``return y, y``) is computed into
the first one, and the other copies then read from it. Upstream's
``hoist-static-allocs`` option does this too but crashes on that case in MLIR
22.1.8. Run it between buffer-results-to-out-params and the deallocation
pipeline (no deallocs exist yet).
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import memref

from hlox.passes.python_passes import register


def _rewrite(fn: ir.Operation) -> None:
    if not fn.regions[0].blocks:
        return
    entry = fn.regions[0].blocks[0]
    copies = [op.operation for op in entry.operations if op.operation.name == "memref.copy"]
    used_targets = set()
    for copy in copies:
        source, target = copy.operands
        if not isinstance(target, ir.BlockArgument) or target.owner != entry \
                or target.arg_number in used_targets or isinstance(source, ir.BlockArgument):
            continue
        reshapes = []  # from the copy back to the temporary
        while not isinstance(source, ir.BlockArgument) and \
                source.owner.operation.name in _INVERSE and len(list(source.uses)) == 1:
            reshapes.append(source.owner.operation)
            source = reshapes[-1].operands[0]
        if isinstance(source, ir.BlockArgument):
            continue
        owner = source.owner.operation
        if owner.name != "memref.alloc" or owner.parent != fn or len(owner.operands) != 0:
            continue
        if source.type != target.type and not (
                reshapes and _identity(target.type)
                and all(_identity(r.operands[0].type) for r in reshapes)):
            continue
        # The out-parameter must be written only by this copy (it is fresh).
        if any(use.owner.operation != copy for use in target.uses):
            continue
        used_targets.add(target.arg_number)
        view = target
        with ir.InsertionPoint(owner), owner.location:
            for reshape in reshapes:
                view = _INVERSE[reshape.name](reshape.operands[0].type, view, reshape)
        source.replace_all_uses_with(view)
        copy.erase()
        for reshape in reshapes:
            reshape.erase()
        owner.erase()


def _identity(type_) -> bool:
    try:
        layout = ir.AffineMapAttr(ir.MemRefType(type_).layout).value
    except ValueError:  # a strided layout
        return False
    return layout == ir.AffineMap.get_identity(layout.n_dims)


def _expand(result_type, target, collapse):
    """``target`` (the collapsed shape) expanded back to ``result_type``."""
    shape = ir.MemRefType(result_type).shape
    return memref.ExpandShapeOp(result_type, target, collapse.attributes["reassociation"],
                                [], shape).result


def _collapse(result_type, target, expand):
    """``target`` (the expanded shape) collapsed back to ``result_type``."""
    return memref.CollapseShapeOp(result_type, target, expand.attributes["reassociation"]).result


# a reshape of the temporary -> the reshape of the out-parameter that undoes it
_INVERSE = {"memref.collapse_shape": _expand, "memref.expand_shape": _collapse}


@register("hlox-cpu-results-in-place",
          "compute public functions' results directly into their out-parameters "
          "(no temporary and copy)")
def results_in_place(module: ir.Operation, pass_) -> None:
    for op in module.regions[0].blocks[0].operations:
        if op.operation.name == "func.func":
            _rewrite(op.operation)
