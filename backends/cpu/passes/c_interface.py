"""hlox-cpu-emit-c-interface (Python pass): make the public ``@main`` callable from the host.

Marks ``func.func @main`` with ``llvm.emit_c_interface``, so that
``convert-func-to-llvm`` adds ``_mlir_ciface_main``, which takes one memref
descriptor per argument and result (what :mod:`hlox.backends.cpu.invoke` and
the object code of an artifact call). A pass rather than an edit before the
pipeline, so that the stages printed on demand (by running the passes again)
are the ones a dump folder holds.
"""

from __future__ import annotations

from mlir import ir

from hlox.passes.python_passes import register


@register("hlox-cpu-emit-c-interface",
          "llvm.emit_c_interface on func.func @main (the host calls it through memref "
          "descriptors)")
def emit_c_interface(module: ir.Operation, pass_) -> None:
    for op in module.regions[0].blocks[0].operations:
        if op.operation.name == "func.func" and \
                ir.StringAttr(op.attributes["sym_name"]).value == "main":
            op.attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
            return
    module.location.emit_error("hlox-cpu-emit-c-interface: the module has no func.func @main")
    pass_.signal_pass_failure()
