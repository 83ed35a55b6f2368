"""hlox-cpu-results-in-place (Python pass): compute results in the caller's buffers.

After ``buffer-results-to-out-params`` a public function fills each result
buffer by a final ``memref.copy %alloc, %out``: the result is computed into
a temporary, then copied (for a 16 MB result: a 16 MB allocation, its page
faults, and a second pass over memory). When the temporary is an
``memref.alloc`` at the top of the function with the out-parameter's exact
type, this pass computes into ``%out`` directly and drops the copy.

A temporary copied into several results (``return y, y``) is computed into
the first one, and the other copies then read from it. Upstream's
``hoist-static-allocs`` option does this too but crashes on that case in MLIR
22.1.8. Run it between buffer-results-to-out-params and the deallocation
pipeline (no deallocs exist yet).
"""

from __future__ import annotations

from mlir import ir

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
        owner = source.owner.operation
        if owner.name != "memref.alloc" or owner.parent != fn \
                or source.type != target.type or len(owner.operands) != 0:
            continue
        # The out-parameter must be written only by this copy (it is fresh).
        if any(use.owner.operation != copy for use in target.uses):
            continue
        used_targets.add(target.arg_number)
        source.replace_all_uses_with(target)
        copy.erase()
        owner.erase()


@register("hlox-cpu-results-in-place",
          "compute public functions' results directly into their out-parameters "
          "(no temporary and copy)")
def results_in_place(module: ir.Operation, pass_) -> None:
    for op in module.regions[0].blocks[0].operations:
        if op.operation.name == "func.func":
            _rewrite(op.operation)
