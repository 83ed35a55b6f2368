"""hlox-readonly-arguments (Python pass): callers' arrays are never written.

A public function's arguments are the caller's buffers (NumPy arrays handed
over without a copy). One-shot bufferization may update a function argument
in place (an in-place sort, a scatter into an input) unless the argument is
marked ``bufferization.writable = false``; this pass marks every argument of
every public ``func.func``, so bufferization copies exactly where an op would
otherwise write into an input.
"""

from __future__ import annotations

from mlir import ir

from hlox.passes.python_passes import register

WRITABLE = "bufferization.writable"


def _is_public(fn: ir.Operation) -> bool:
    if "sym_visibility" not in fn.attributes:
        return True
    return ir.StringAttr(fn.attributes["sym_visibility"]).value == "public"


@register("hlox-readonly-arguments",
          "mark public functions' arguments bufferization.writable = false")
def readonly_arguments(module: ir.Operation, pass_) -> None:
    readonly = ir.BoolAttr.get(False)
    for op in module.regions[0].blocks[0].operations:
        fn = op.operation
        if fn.name != "func.func" or not _is_public(fn):
            continue
        n_args = len(ir.FunctionType(ir.TypeAttr(fn.attributes["function_type"]).value).inputs)
        if n_args == 0:
            continue
        if "arg_attrs" in fn.attributes:
            old = [ir.DictAttr(d) for d in ir.ArrayAttr(fn.attributes["arg_attrs"])]
        else:
            old = [ir.DictAttr.get({}) for _ in range(n_args)]
        new = []
        for entries in old:
            merged = {na.name: na.attr for na in entries}
            merged[WRITABLE] = readonly
            new.append(ir.DictAttr.get(merged))
        fn.attributes["arg_attrs"] = ir.ArrayAttr.get(new)
