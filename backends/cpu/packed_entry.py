"""A packed entry point for object code: ``hlox_packed_main(void **args)``.

The runtime's allocation guard (``hlox_rt_call_guarded``, hlox_runtime.h) calls
``entry(argument)`` with one pointer, so that a failed malloc in the compiled
code jumps back to it and becomes ``MemoryError``. MLIR's ExecutionEngine makes
such a wrapper for ``_mlir_ciface_main`` itself; object code linked by ORC has
none, so this adds it to the module in the LLVM dialect, with the
ExecutionEngine's convention (``args[i]`` points at the i-th argument, itself a
pointer to a memref descriptor).
"""

from __future__ import annotations

from mlir import ir

from hlox.backends.cpu import aot

SYMBOL = "hlox_packed_main"


def add(module: ir.Module) -> None:
    """Appends ``@hlox_packed_main`` calling ``@_mlir_ciface_main`` (which takes one
    ``!llvm.ptr`` per memref) to ``module``, after the whole pipeline."""
    entry = None
    for op in module.body.operations:
        if op.operation.name == "llvm.func" and \
                ir.StringAttr(op.attributes["sym_name"]).value == aot.ENTRY:
            entry = op
    if entry is None:
        raise ValueError(f"the module has no @{aot.ENTRY} to wrap")
    count = len(entry.regions[0].blocks[0].arguments)
    lines = [f"llvm.func @{SYMBOL}(%args: !llvm.ptr) {{"]
    for i in range(count):
        lines += [f"  %slot{i} = llvm.getelementptr %args[{i}] : (!llvm.ptr) -> !llvm.ptr, "
                  f"!llvm.ptr",
                  f"  %arg_ptr{i} = llvm.load %slot{i} : !llvm.ptr -> !llvm.ptr",
                  f"  %arg{i} = llvm.load %arg_ptr{i} : !llvm.ptr -> !llvm.ptr"]
    arguments = ", ".join(f"%arg{i}" for i in range(count))
    types = ", ".join(["!llvm.ptr"] * count)
    lines += [f"  llvm.call @{aot.ENTRY}({arguments}) : ({types}) -> ()",
              "  llvm.return", "}"]
    # Parsed next to a declaration of the callee (the parser checks the call
    # against it), then moved into the module.
    scratch = ir.Module.parse(f"llvm.func @{aot.ENTRY}({types})\n" + "\n".join(lines),
                              context=module.context)
    module.body.append(list(scratch.body.operations)[-1])
