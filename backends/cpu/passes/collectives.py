"""hlox-cpu-collectives-to-runtime (Python pass): a per-device program's collectives
as calls into libhlox_cpu_runtime.so.

For a module of N > 1 partitions (``mhlo.num_partitions``; one replica), every
``stablehlo.all_reduce``/``all_gather``/``reduce_scatter``/``all_to_all``/
``collective_permute`` becomes a call of a private helper function that takes
and returns tensors: inside, the operand's buffer (``bufferization.to_buffer``)
and a new result buffer go to the runtime's ``hlox_rt_*`` function as raw
pointers (``memref.extract_aligned_pointer_as_index``), with the op's process
groups (as the StableHLO spec defines them, partition ids) in a constant
``memref.global``; ``stablehlo.partition_id`` becomes ``hlox_rt_partition_id()`` (on one device too:
0 outside a sharded launch).
Unsigned and bool elements travel as signless integers and bytes. One-device
modules are left to ``hlox-stablehlo-legalize-to-linalg`` (collectives there are
identities). Reductions the runtime does not compute (a body other than one
add/multiply/maximum/minimum/and/or/xor of its arguments, or an element type
outside :data:`hlox.backends.cpu.native_runtime.DTYPES`) are refused, naming the op.
"""

from __future__ import annotations

import numpy as np
from mlir import ir

from hlox.backends.cpu import native_runtime
from hlox.backends.interpreter.attributes import dense_to_numpy, dtype_of, struct
from hlox.passes.python_passes import register

_BODIES = {"stablehlo.add": "add", "stablehlo.multiply": "multiply",
           "stablehlo.maximum": "maximum", "stablehlo.minimum": "minimum",
           "stablehlo.and": "and", "stablehlo.or": "or", "stablehlo.xor": "xor"}

_DECLARATIONS = {
    "hlox_rt_partition_id": "() -> i32",
    "hlox_rt_all_reduce": "(i64, i32, i32, index, index, i64, index, i64, i64) -> i32",
    "hlox_rt_all_gather": "(i64, index, index, i64, i64, index, i64, i64) -> i32",
    "hlox_rt_reduce_scatter": "(i64, i32, i32, index, index, i64, i64, index, i64, i64) -> i32",
    "hlox_rt_all_to_all": "(i64, index, index, i64, index, i64, i64, i64, index, i64, i64) -> i32",
    "hlox_rt_collective_permute": "(i64, index, index, i64, index, i64) -> i32",
}


class Refused(Exception):
    """The op cannot run through the runtime (the message says why)."""


def _module_int(module: ir.Operation, name: str) -> int:
    return ir.IntegerAttr(module.attributes[name]).value if name in module.attributes else 1


def _channel(op) -> int:
    if "channel_handle" not in op.attributes:
        return 0
    return int(struct(op.attributes["channel_handle"]).get("handle", 0))


def _groups(op, n: int, partition_kind: bool) -> list[list[int]]:
    """The op's process groups as partition ids (the spec's strategies, one replica)."""
    raw = dense_to_numpy(op.attributes["replica_groups"]) if "replica_groups" in op.attributes \
        else np.zeros((0, 0), np.int64)
    rows = [[int(i) for i in row if i >= 0] for row in raw.reshape(raw.shape[0], -1)] \
        if raw.size else []
    channel = _channel(op)
    if partition_kind:  # all_to_all: cross_partition with a channel, else cross_replica
        mode = "partition" if channel > 0 else "replica"
    elif channel > 0:
        mode = "partition" if "use_global_device_ids" in op.attributes else "all_partitions"
    else:
        mode = "replica"
    if mode == "partition":  # ids are partition ids (flattened ids, one replica)
        groups = rows or [list(range(n))]
        ids = [i for g in groups for i in g]
        if any(i >= n for i in ids) or sorted(ids) != list(range(n)):
            raise Refused(f"replica_groups {rows} must name each of the {n} partitions once")
        return groups
    # Replica ids: with one replica only [[0]] (or none) is valid.
    if rows and rows != [[0]]:
        raise Refused(f"replica_groups {rows} name replicas, but the program has one replica")
    return [list(range(n))] if mode == "all_partitions" else [[p] for p in range(n)]


def _tensor(value) -> ir.RankedTensorType:
    return ir.RankedTensorType(value.type)


def _signless(element: str) -> str:
    """How an element travels: bool as a byte, unsigned as signless."""
    if element == "i1":
        return "i8"
    return element[1:] if element.startswith("ui") else element


def _ttype(shape, element: str) -> str:
    return f"tensor<{''.join(f'{d}x' for d in shape)}{element}>"


def _mtype(shape, element: str) -> str:
    return f"memref<{''.join(f'{d}x' for d in shape)}{element}>"


class _Builder:
    """Accumulates helper functions and globals (text) for one module."""

    def __init__(self):
        self.text: list[str] = []
        self.count = 0
        self.tables = 0

    def table(self, rows) -> str:
        self.tables += 1
        name = f"__hlox_rt_table_{self.tables}"
        array = np.asarray(rows, np.int64).reshape(len(rows), -1)
        shape = "x".join(map(str, array.shape))
        self.text.append(f'memref.global "private" constant @{name} : memref<{shape}xi64> = '
                         f"dense<{array.tolist()}>")
        return name, f"memref<{shape}xi64>", array.shape

    def helper(self, op, kind: str, operand, result, call: str, needs_table=None) -> str:
        """A helper function `(operand) -> result` around one runtime call. ``call``
        uses %send, %recv (pointers), %table (pointer) and %op_id."""
        self.count += 1
        name = f"__hlox_rt_{kind}_{self.count}"
        in_t, out_t = _tensor(operand), _tensor(result)
        element = str(in_t.element_type)
        wire = _signless(element)
        lines = [f"func.func private @{name}(%x: {_ttype(in_t.shape, element)}) -> "
                 f"{_ttype(out_t.shape, element)} {{"]
        x = "%x"
        if wire != element:
            conv = "stablehlo.convert" if element == "i1" else "stablehlo.bitcast_convert"
            lines.append(f"  %xw = {conv} %x : ({_ttype(in_t.shape, element)}) -> "
                         f"{_ttype(in_t.shape, wire)}")
            x = "%xw"
        lines += [
            f"  %in = bufferization.to_buffer {x} read_only : {_ttype(in_t.shape, wire)} to "
            f"{_mtype(in_t.shape, wire)}",
            f"  %out = memref.alloc() {{alignment = 64 : i64}} : {_mtype(out_t.shape, wire)}",
            f"  %send = memref.extract_aligned_pointer_as_index %in : {_mtype(in_t.shape, wire)} -> index",
            f"  %recv = memref.extract_aligned_pointer_as_index %out : {_mtype(out_t.shape, wire)} -> index",
            f"  %op_id = arith.constant {self.count} : i64",
        ]
        if needs_table is not None:
            table, table_type, _ = needs_table
            lines += [f"  %t = memref.get_global @{table} : {table_type}",
                      f"  %table = memref.extract_aligned_pointer_as_index %t : {table_type} -> index"]
        lines += [call,
                  f"  %r = bufferization.to_tensor %out restrict writable : "
                  f"{_mtype(out_t.shape, wire)} to {_ttype(out_t.shape, wire)}"]
        r = "%r"
        if wire != element:
            if element == "i1":
                lines += [f"  %zero = stablehlo.constant dense<0> : {_ttype(out_t.shape, wire)}",
                          f"  %rb = stablehlo.compare NE, %r, %zero : ({_ttype(out_t.shape, wire)}, "
                          f"{_ttype(out_t.shape, wire)}) -> {_ttype(out_t.shape, element)}"]
            else:
                lines.append(f"  %rb = stablehlo.bitcast_convert %r : ({_ttype(out_t.shape, wire)}) "
                             f"-> {_ttype(out_t.shape, element)}")
            r = "%rb"
        lines += [f"  return {r} : {_ttype(out_t.shape, element)}", "}"]
        self.text.append("\n".join(lines))
        return name


def _constants(**values) -> str:
    return "\n".join(f"  %{k} = arith.constant {v} : {'i32' if k in ('dtype', 'kind') else 'i64'}"
                     for k, v in values.items())


def _reduction(op, element: str) -> tuple[int, int]:
    """(hlox_rt_dtype, hlox_rt_reduction) of a reducing op's body."""
    block = op.regions[0].blocks[0]
    body = [o.operation for o in block.operations]
    args = list(block.arguments)
    if len(body) != 2 or body[0].name not in _BODIES or \
            sorted(map(_arg_index(args), body[0].operands)) != [0, 1] or \
            body[1].operands[0] != body[0].results[0]:
        raise Refused("its body is not one add/multiply/maximum/minimum/and/or/xor of its "
                      "two arguments (other bodies run on the interpreter backend)")
    dtype = np.dtype(dtype_of(element))
    code = native_runtime.DTYPES.get(dtype)
    kind = _BODIES[body[0].name]
    if code is None:
        raise Refused(f"element type {element} is not reduced by the runtime")
    if dtype.kind == "c" and kind not in ("add", "multiply"):
        raise Refused(f"{kind} of complex numbers is not reduced by the runtime")
    if dtype.kind in "fc" and kind in ("and", "or", "xor"):
        raise Refused(f"{kind} of {element}")
    return code, native_runtime.REDUCTIONS[kind]


def _arg_index(args):
    def index(value):
        for i, a in enumerate(args):
            if a == value:
                return i
        return -1
    return index


def _lower(op, n: int, builder: _Builder) -> str | None:
    """The helper replacing ``op`` (None: not a collective)."""
    name = op.name
    if name == "stablehlo.all_reduce":
        if len(op.operands) != 1:
            raise Refused("all_reduce of several operands (split it into one per operand)")
        operand, result = op.operands[0], op.results[0]
        element = str(_tensor(operand).element_type)
        dtype, kind = _reduction(op, element)
        count = int(np.prod(_tensor(operand).shape, dtype=np.int64))
        groups = builder.table(_groups(op, n, False))
        _, _, (ng, gs) = groups
        call = (_constants(dtype=dtype, kind=kind, count=count, ng=ng, gs=gs) +
                "\n  %s = func.call @hlox_rt_all_reduce(%op_id, %dtype, %kind, %send, %recv, "
                "%count, %table, %ng, %gs) : " + _DECLARATIONS["hlox_rt_all_reduce"])
        return builder.helper(op, "all_reduce", operand, result, call, groups)
    if name == "stablehlo.reduce_scatter":
        operand, result = op.operands[0], op.results[0]
        shape = list(_tensor(operand).shape)
        element = str(_tensor(operand).element_type)
        dtype, kind = _reduction(op, element)
        dim = ir.IntegerAttr(op.attributes["scatter_dimension"]).value
        rows = _groups(op, n, False)
        k = len(rows[0])
        outer = int(np.prod(shape[:dim], dtype=np.int64))
        inner = int(np.prod(shape[dim + 1:], dtype=np.int64)) * (shape[dim] // k)
        groups = builder.table(rows)
        _, _, (ng, gs) = groups
        call = (_constants(dtype=dtype, kind=kind, outer=outer, inner=inner, ng=ng, gs=gs) +
                "\n  %s = func.call @hlox_rt_reduce_scatter(%op_id, %dtype, %kind, %send, %recv, "
                "%outer, %inner, %table, %ng, %gs) : " + _DECLARATIONS["hlox_rt_reduce_scatter"])
        return builder.helper(op, "reduce_scatter", operand, result, call, groups)
    if name == "stablehlo.all_gather":
        if len(op.operands) != 1:
            raise Refused("all_gather of several operands (split it into one per operand)")
        operand, result = op.operands[0], op.results[0]
        t = _tensor(operand)
        shape = list(t.shape)
        dim = ir.IntegerAttr(op.attributes["all_gather_dim"]).value
        width = np.dtype(dtype_of(_signless(str(t.element_type)))).itemsize
        outer = int(np.prod(shape[:dim], dtype=np.int64))
        chunk = int(np.prod(shape[dim:], dtype=np.int64)) * width
        groups = builder.table(_groups(op, n, False))
        _, _, (ng, gs) = groups
        call = (_constants(outer=outer, chunk=chunk, ng=ng, gs=gs) +
                "\n  %s = func.call @hlox_rt_all_gather(%op_id, %send, %recv, %outer, %chunk, "
                "%table, %ng, %gs) : " + _DECLARATIONS["hlox_rt_all_gather"])
        return builder.helper(op, "all_gather", operand, result, call, groups)
    if name == "stablehlo.all_to_all":
        if len(op.operands) != 1:
            raise Refused("all_to_all of several operands (split it into one per operand)")
        operand, result = op.operands[0], op.results[0]
        t = _tensor(operand)
        width = np.dtype(dtype_of(_signless(str(t.element_type)))).itemsize
        split = ir.IntegerAttr(op.attributes["split_dimension"]).value
        concat = ir.IntegerAttr(op.attributes["concat_dimension"]).value
        groups = _groups(op, n, True)
        # One table: the groups, then the operand's shape (a row of its own width).
        rows = [list(g) for g in groups]
        shape_table = builder.table([list(t.shape)])
        table = builder.table(rows)
        _, _, (ng, gs) = table
        shape_name, shape_type, _ = shape_table
        call = (_constants(rank=len(t.shape), split=split, concat=concat, width=width, ng=ng,
                           gs=gs) +
                f"\n  %st = memref.get_global @{shape_name} : {shape_type}"
                f"\n  %shape = memref.extract_aligned_pointer_as_index %st : {shape_type} -> index"
                "\n  %s = func.call @hlox_rt_all_to_all(%op_id, %send, %recv, %rank, %shape, "
                "%split, %concat, %width, %table, %ng, %gs) : " + _DECLARATIONS["hlox_rt_all_to_all"])
        return builder.helper(op, "all_to_all", operand, result, call, table)
    if name == "stablehlo.collective_permute":
        operand, result = op.operands[0], op.results[0]
        t = _tensor(operand)
        raw = dense_to_numpy(op.attributes["source_target_pairs"]).reshape(-1, 2).tolist()
        if _channel(op) > 0:
            pairs = raw
        elif all(s == d == 0 for s, d in raw):  # cross_replica, one replica: to itself
            pairs = [[p, p] for p in range(n)] if raw else []
        else:
            raise Refused(f"source_target_pairs {raw} name replicas, but the program has one")
        if any(not (0 <= i < n) for pair in pairs for i in pair):
            raise Refused(f"source_target_pairs {raw} name a partition outside 0..{n - 1}")
        width = np.dtype(dtype_of(_signless(str(t.element_type)))).itemsize
        size = int(np.prod(t.shape, dtype=np.int64)) * width
        table = builder.table(pairs or [[-1, -1]])
        call = (_constants(bytes=size, np=len(pairs)) +
                "\n  %s = func.call @hlox_rt_collective_permute(%op_id, %send, %recv, %bytes, "
                "%table, %np) : " + _DECLARATIONS["hlox_rt_collective_permute"])
        return builder.helper(op, "collective_permute", operand, result, call, table)
    if name in ("stablehlo.collective_broadcast", "stablehlo.replica_id"):
        raise Refused("not supported on N devices by the cpu backend yet")
    return None


def _partition_id(builder: _Builder) -> str:
    builder.count += 1
    name = f"__hlox_rt_partition_id_{builder.count}"
    builder.text.append(
        f"func.func private @{name}() -> tensor<ui32> {{\n"
        f"  %p = func.call @hlox_rt_partition_id() : () -> i32\n"
        f"  %t = tensor.from_elements %p : tensor<i32>\n"
        f"  %u = stablehlo.bitcast_convert %t : (tensor<i32>) -> tensor<ui32>\n"
        f"  return %u : tensor<ui32>\n}}")
    return name


@register("hlox-cpu-collectives-to-runtime",
          "collectives and partition_id of an N-partition module as calls into "
          "libhlox_cpu_runtime.so")
def collectives_to_runtime(module: ir.Operation, pass_) -> None:
    n = _module_int(module, "mhlo.num_partitions")
    replicas = _module_int(module, "mhlo.num_replicas")
    if replicas != 1 and n * replicas > 1:
        module.location.emit_error(f"hlox-cpu-collectives-to-runtime: the cpu backend runs "
                                   f"partitions, not replicas (mhlo.num_replicas = {replicas})")
        pass_.signal_pass_failure()
        return
    builder = _Builder()
    targets = []

    def collect(op):
        name = op.operation.name
        if name.startswith("stablehlo.") and (name in ("stablehlo.partition_id",) or any(
                name.endswith(k) for k in ("all_reduce", "all_gather", "reduce_scatter",
                                           "all_to_all", "collective_permute",
                                           "collective_broadcast", "replica_id"))):
            targets.append(op.operation)
        return ir.WalkResult.ADVANCE

    module.walk(collect)
    if n * replicas == 1:  # one device: only partition_id (0); collectives are identities
        targets = [op for op in targets if op.name == "stablehlo.partition_id"]
    if not targets:
        return
    replacements = []
    for op in targets:
        try:
            helper = _partition_id(builder) if op.name == "stablehlo.partition_id" \
                else _lower(op, n, builder)
        except Refused as why:
            op.location.emit_error(f"hlox-cpu-collectives-to-runtime: '{op.name}' on {n} "
                                   f"partitions: {why}")
            pass_.signal_pass_failure()
            return
        replacements.append((op, helper))
    declarations = [f"func.func private @{name}{signature}"
                    for name, signature in _DECLARATIONS.items()]
    parsed = ir.Module.parse("\n".join(declarations + builder.text), module.context)
    body = module.regions[0].blocks[0]
    existing = {ir.StringAttr(o.attributes["sym_name"]).value
                for o in body.operations if "sym_name" in o.attributes}
    for new in list(parsed.body.operations):
        if ir.StringAttr(new.attributes["sym_name"]).value in existing:
            continue
        new.operation.detach_from_parent()
        body.append(new.operation)
    for op, helper in replacements:
        with ir.InsertionPoint(op), op.location:
            call = ir.Operation.create(
                "func.call", results=[r.type for r in op.results],
                operands=list(op.operands),
                attributes={"callee": ir.FlatSymbolRefAttr.get(helper)})
        for old, new in zip(op.results, call.results):
            old.replace_all_uses_with(new)
        op.erase()
