"""The host side of a compiled function, as data: buffers and kernel launches.

After the pipeline, ``@main`` (results as out-parameters) holds only constants,
allocations, global constants, views and ``gpu.launch_func``\\ s
(:mod:`.passes` put everything else into kernels). :func:`extract` reads it into a
:class:`LaunchPlan` that the runtime replays on a stream without MLIR: no host
code is generated, so the plan (JSON) and the kernels' cubin/PTX are the whole
artifact.

Kernel parameters follow MLIR's default memref calling convention: a memref is
``allocated pointer, aligned pointer, offset, sizes..., strides...`` (i64s), a
scalar its own type. Every shape, offset and stride is static here (the views'
types hold them); a dynamic one is refused.
"""

from __future__ import annotations

import math

import numpy as np
from mlir import ir

from hlox.backends.cuda.plan import LaunchPlan, PlanError


def _scalar_type(t: ir.Type) -> str:
    if isinstance(t, ir.IndexType):
        return "i64"
    if isinstance(t, ir.IntegerType):
        return f"i{t.width}"
    for cls, name in ((ir.F16Type, "f16"), (ir.BF16Type, "bf16"), (ir.F32Type, "f32"),
                      (ir.F64Type, "f64")):
        if isinstance(t, cls):
            return name
    raise PlanError(f"cuda: a kernel argument of type {t} is not supported")


def element_bytes(t: ir.Type) -> int:
    from hlox.backends.interpreter.attributes import dtype_of

    if isinstance(t, ir.IntegerType) and t.width == 1:
        return 1  # i1 in memory is a byte
    try:
        return np.dtype(dtype_of(t)).itemsize
    except Exception:  # noqa: BLE001
        raise PlanError(f"cuda: buffers of {t} are not supported") from None


def _layout(t: ir.MemRefType) -> tuple[int, list, list]:
    if not t.has_static_shape:
        raise PlanError(f"cuda: a buffer of dynamic shape {t} (shapes must be static)")
    strides, offset = t.get_strides_and_offset()
    dynamic = ir.ShapedType.get_dynamic_stride_or_offset()
    if offset == dynamic or dynamic in strides:
        raise PlanError(f"cuda: a view with a dynamic offset or stride ({t})")
    return offset, list(t.shape), list(strides)


def _global_bytes(op: ir.Operation) -> bytes:
    t = ir.MemRefType(ir.TypeAttr(op.attributes["type"]).value)
    value = op.attributes["initial_value"]
    count = math.prod(t.shape)
    try:
        dense = ir.DenseElementsAttr(value)
    except ValueError:
        raise PlanError(f"cuda: constant {value} is not dense data") from None
    from hlox.backends.interpreter.attributes import dtype_of

    element = t.element_type
    if isinstance(element, ir.IntegerType) and element.width == 1:
        dtype = np.dtype(np.bool_)
    else:
        dtype = np.dtype(dtype_of(element))
    if dense.is_splat:
        one = dense.get_splat_value()
        scalar = (ir.IntegerAttr(one).value if isinstance(element, ir.IntegerType)
                  else ir.FloatAttr(one).value)
        data = np.full(count, scalar).astype(dtype)
    else:
        data = np.array(dense).astype(dtype, copy=False)
    return np.ascontiguousarray(data).tobytes()


def _constant(op: ir.Operation):
    attr = op.attributes["value"]
    if isinstance(op.results[0].type, (ir.IndexType, ir.IntegerType)):
        return ir.IntegerAttr(attr).value
    return ir.FloatAttr(attr).value


def _main(module: ir.Module) -> ir.Operation:
    for op in module.body.operations:
        op = op.operation
        if op.name == "func.func" and ir.StringAttr(op.attributes["sym_name"]).value == "main":
            return op
    raise PlanError("cuda: the module has no @main")


def extract(module: ir.Module, num_inputs: int) -> LaunchPlan:
    """The launch plan of ``@main`` (after the pipeline: results are its last arguments)."""
    with module.context, ir.Location.unknown():
        return _extract(module, num_inputs)


def _extract(module: ir.Module, num_inputs: int) -> LaunchPlan:
    globals_ops = {ir.StringAttr(op.attributes["sym_name"]).value: op.operation
                   for op in module.body.operations if op.operation.name == "memref.global"}
    main = _main(module)
    block = main.regions[0].blocks[0]
    buffers, launches, data = [], [], {}
    views: dict = {}   # value -> (buffer index, offset, sizes, strides)
    scalars: dict = {}  # value -> Python number
    for i, arg in enumerate(block.arguments):
        kind, index = ("input", i) if i < num_inputs else ("output", i - num_inputs)
        buffers.append({"kind": kind, "index": index})
        views[arg] = (len(buffers) - 1, *_layout(ir.MemRefType(arg.type)))
    for op in block.operations:
        op = op.operation
        name = op.name
        if name == "arith.constant":
            scalars[op.results[0]] = _constant(op)
        elif name == "memref.alloc":
            t = ir.MemRefType(op.results[0].type)
            if len(op.operands):
                raise PlanError(f"cuda: an allocation of dynamic size {t}")
            buffers.append({"kind": "temp",
                            "bytes": math.prod(t.shape) * element_bytes(t.element_type)})
            views[op.results[0]] = (len(buffers) - 1, *_layout(t))
        elif name == "memref.get_global":
            symbol = ir.FlatSymbolRefAttr(op.attributes["name"]).value
            if symbol not in data:
                data[symbol] = _global_bytes(globals_ops[symbol])
            buffers.append({"kind": "global", "name": symbol})
            views[op.results[0]] = (len(buffers) - 1, *_layout(ir.MemRefType(op.results[0].type)))
        elif name == "memref.cast" and op.operands[0] in views:
            views[op.results[0]] = views[op.operands[0]]  # (the same descriptor values)
        elif name in ("memref.subview", "memref.expand_shape", "memref.collapse_shape",
                      "memref.reinterpret_cast"):
            source = op.operands[0]
            if source not in views:
                raise PlanError(f"cuda: a view of a value the plan does not know ({op})")
            views[op.results[0]] = (views[source][0],
                                    *_layout(ir.MemRefType(op.results[0].type)))
        elif name == "gpu.launch_func":
            launches.append(_launch(op.opview, views, scalars))
        elif name == "func.return":
            pass
        else:
            raise PlanError(f"cuda: host code has a {name} ({op.location}), which the launch "
                            f"plan cannot run")
    return LaunchPlan(buffers, launches, data)


def _known(value, scalars: dict, what: str) -> int:
    if value not in scalars:
        raise PlanError(f"cuda: a launch's {what} is not a constant")
    return scalars[value]


def _launch(op, views: dict, scalars: dict) -> dict:
    if op.dynamicSharedMemorySize is not None or len(op.asyncDependencies):
        raise PlanError("cuda: launches with dynamic shared memory or async tokens are not "
                        "supported by the launch plan")
    kernel = ir.SymbolRefAttr(op.attributes["kernel"])
    module, name = kernel.value
    args = []
    for value in op.kernelOperands:
        if value in views:
            buffer, offset, sizes, strides = views[value]
            args.append({"buffer": buffer, "offset": offset, "sizes": sizes, "strides": strides})
        elif value in scalars:
            args.append({"scalar": scalars[value], "type": _scalar_type(value.type)})
        else:
            raise PlanError(f"cuda: kernel {module}::{name} takes a value computed on the "
                            f"host ({value})")
    return {"module": module, "kernel": name,
            "grid": [_known(v, scalars, "grid size") for v in
                     (op.gridSizeX, op.gridSizeY, op.gridSizeZ)],
            "block": [_known(v, scalars, "block size") for v in
                      (op.blockSizeX, op.blockSizeY, op.blockSizeZ)],
            "shared": 0, "args": args}
